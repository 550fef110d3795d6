/**
 * The evaluation backends and their detection. `js` is always there; `tfjs`, `gpu` and `onnx` load their
 * optional peer libraries on `initBackend` (a dynamic import, so a missing library is an error
 * only for whoever asks for that backend) and report what they found in `backendInfo`.
 */
import { TypegradError } from '../ad/errors.js';
import { jsBackend } from './js/index.js';
import type { Backend, BackendInfo, BackendName } from './types.js';

export type { AsyncExecutable, Backend, BackendInfo, BackendName, Executable, FloatArray } from './types.js';

const loaded = new Map<BackendName, Backend>([['js', jsBackend]]);
const loading = new Map<BackendName, Promise<Backend>>();

/** The loader of each optional backend, imported only when asked for. */
const loaders: Record<Exclude<BackendName, 'js'>, () => Promise<Backend>> = {
  tfjs: async () => (await import('./tfjs/index.js')).loadTfjsBackend(),
  gpu: async () => (await import('./gpu/index.js')).loadGpuBackend(),
  onnx: async () => (await import('./onnx/index.js')).loadOnnxBackend(),
};

function checkName(name: unknown, operation: string): BackendName {
  if (name === 'js' || name === 'tfjs' || name === 'gpu' || name === 'onnx') return name;
  throw new TypegradError(`${operation}: unknown backend ${JSON.stringify(name)}; the backends are 'js', 'tfjs', 'gpu' and 'onnx'`);
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
