/**
 * The evaluation backends and their detection. `js` is always there; `tfjs` and `gpu` load their
 * optional peer libraries on `initBackend` (a dynamic import, so a missing library is an error
 * only for whoever asks for that backend) and report what they found in `backendInfo`.
 */
import { TypegradError } from '../ad/errors.js';
import type { Node } from '../ad/node.js';
import { compileJsBatch, type Column } from './js.js';
import { compileTensorProgram, lowerTensorProgram } from './js-tensor.js';

export type BackendName = 'js' | 'tfjs' | 'gpu';

/** A column a batch program writes into. */
export type OutputColumn = Float64Array | Float32Array;

/** Evaluates the roots at `n` points: input column j holds variable j, output column k root k. */
export type BatchProgram = (n: number, columns: readonly Column[], outputs: readonly OutputColumn[]) => void;

/** What a backend is running on. */
export interface BackendInfo {
  readonly backend: BackendName;
  /** The engine underneath: `js`; for tfjs `tensorflow` (tfjs-node), `wasm` or `cpu`; for gpu the gpu.js mode. */
  readonly engine: string;
  /** Arithmetic precision of the engine. */
  readonly precision: 'float64' | 'float32';
  /** Why a preferred engine was not used (e.g. `@tensorflow/tfjs-node is not installed`), if one was not. */
  readonly notes: readonly string[];
}

/**
 * A program over values of any shape, evaluated one point at a time: `run` computes every root
 * from one value per input (a number for a scalar variable, flat row-major data otherwise).
 */
export interface TensorExecutable {
  run(values: readonly (number | Float64Array)[]): void;
  /** Root k after the last run: a number, or flat row-major data owned by the program (copy it to keep it). */
  result(k: number): number | OutputColumn;
}

export interface Backend {
  readonly info: BackendInfo;
  /** Allocates an output column of this backend's precision. */
  allocate(n: number): OutputColumn;
  compileBatch(roots: readonly Node[], inputs: readonly Node[]): BatchProgram;
  /** Compiles a program with vector or matrix inputs, roots or operations (see `js-tensor.ts`). */
  compileTensor(roots: readonly Node[], inputs: readonly Node[]): TensorExecutable;
}

export const jsBackend: Backend = {
  info: { backend: 'js', engine: 'js', precision: 'float64', notes: [] },
  allocate: (n) => new Float64Array(n),
  compileBatch(roots, inputs) {
    const kernel = compileJsBatch(roots, inputs);
    return (n, columns, outputs) => kernel(n, ...columns, ...outputs);
  },
  compileTensor: (roots, inputs) => compileTensorProgram(lowerTensorProgram(roots, inputs)),
};

const loaded = new Map<BackendName, Backend>([['js', jsBackend]]);
const loading = new Map<BackendName, Promise<Backend>>();

/** The loader of each optional backend, imported only when asked for. */
const loaders: Record<Exclude<BackendName, 'js'>, () => Promise<Backend>> = {
  tfjs: async () => (await import('./tfjs.js')).loadTfjsBackend(),
  gpu: async () => (await import('./gpu.js')).loadGpuBackend(),
};

function checkName(name: unknown, operation: string): BackendName {
  if (name === 'js' || name === 'tfjs' || name === 'gpu') return name;
  throw new TypegradError(`${operation}: unknown backend ${JSON.stringify(name)}; the backends are 'js', 'tfjs' and 'gpu'`);
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
