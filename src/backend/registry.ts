/**
 * The evaluation backends and their detection. `js` is always there; `tfjs`, `gpu`, `onnx` and `wasm` load their
 * optional peer libraries on `initBackend` (a dynamic import, so a missing library is an error
 * only for whoever asks for that backend) and report what they found in `backendInfo`.
 */
import { TypegradError } from '../ad/errors.js';
import { jsBackend } from './js/index.js';
import type { Backend, BackendInfo, BackendName, EngineOptions } from './types.js';

export type { AsyncExecutable, Backend, BackendInfo, BackendName, EngineOptions, Executable, FloatArray, Precision } from './types.js';

const loaded = new Map<BackendName, Backend>([['js', jsBackend]]);
const loading = new Map<BackendName, Promise<Backend>>();

/** The loader of each optional backend, imported only when asked for. */
const loaders: Record<Exclude<BackendName, 'js'>, () => Promise<Backend>> = {
  tfjs: async () => (await import('./tfjs/index.js')).loadTfjsBackend(),
  gpu: async () => (await import('./gpu/index.js')).loadGpuBackend(),
  onnx: async () => (await import('./onnx/index.js')).loadOnnxBackend(),
  wasm: async () => (await import('./wasm/index.js')).loadWasmBackend(),
};

function checkName(name: unknown, operation: string): BackendName {
  if (name === 'js' || name === 'tfjs' || name === 'gpu' || name === 'onnx' || name === 'wasm') return name;
  throw new TypegradError(`${operation}: unknown backend ${JSON.stringify(name)}; the backends are 'js', 'tfjs', 'gpu', 'onnx' and 'wasm'`);
}

/**
 * Refuses the onnx backend where a program must run synchronously (training, jit): ONNX
 * Runtime's API returns Promises, so `compile` gives Promise-returning functions there.
 */
export function requireSynchronous(name: BackendName | undefined, operation: string): void {
  if (name === 'onnx') {
    throw new TypegradError(
      `${operation} needs a synchronous backend, and onnx is asynchronous (ONNX Runtime's API returns Promises); use compile(f, { backend: 'onnx' }), whose functions return Promises, or export the program (exportOnnx, exportTrainingStep) and run it in ONNX Runtime`,
    );
  }
}

/**
 * Loads and initialises a backend (once; later calls return the same). Rejects with a
 * TypegradError naming the missing package when the backend's library is not installed.
 */
export async function initBackend(name: BackendName): Promise<BackendInfo> {
  const backend = checkName(name, 'initBackend');
  const ready = loaded.get(backend);
  if (ready !== undefined) return ready.info;
  let pending = loading.get(backend);
  if (pending === undefined) {
    pending = loaders[backend as Exclude<BackendName, 'js'>]();
    loading.set(backend, pending);
    pending.then(
      (b) => loaded.set(backend, b),
      () => loading.delete(backend),
    );
  }
  return (await pending).info;
}

/** The initialised backend, or an error telling the caller to initialise it. */
export function backendFor(name: unknown, operation: string): Backend {
  const backend = loaded.get(checkName(name, operation));
  if (backend !== undefined) return backend;
  throw new TypegradError(`${operation}: backend '${String(name)}' is not initialised; call \`await initBackend('${String(name)}')\` first, or use compileAsync`);
}

/** What an initialised backend runs on (undefined while it is not initialised). */
export function backendInfo(name: BackendName = 'js'): BackendInfo | undefined {
  return loaded.get(checkName(name, 'backendInfo'))?.info;
}

/**
 * The backend computing as the options say: the wasm backend configured (precision, threads),
 * another backend itself when the options ask for what it does, else a TypegradError naming
 * the option and what the backend offers.
 */
export function configureBackend(backend: Backend, options: EngineOptions | undefined, operation: string): Backend {
  const precision = options?.precision;
  const threads = options?.threads;
  if (precision === undefined && threads === undefined) return backend;
  if (backend.configure !== undefined) return backend.configure({ precision, threads }, operation);
  const name = backend.info.backend;
  if (precision !== undefined && precision !== backend.info.precision) {
    throw new TypegradError(`${operation}: the ${name} backend computes in ${backend.info.precision}, not ${JSON.stringify(precision)}; the wasm backend computes in either`);
  }
  if (threads !== undefined) throw new TypegradError(`${operation}: threads is an option of the wasm backend, not of ${name}`);
  return backend;
}
