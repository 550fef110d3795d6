/**
 * What a backend is and what it produces: a renderer of plans (`src/program`) into executables.
 */
import type { OperationName } from '../ad/primitives/index.js';
import type { Plan } from '../program/plan.js';

export type BackendName = 'js' | 'tfjs' | 'gpu' | 'onnx' | 'wasm';

/** Flat row-major numbers as a backend computes them: float64 (js) or float32 (tfjs, gpu, onnx); wasm either. */
export type FloatArray = Float64Array | Float32Array;

/** The arithmetic of a program: IEEE double or single precision. */
export type Precision = 'float32' | 'float64';

/**
 * How a backend computes, where it offers a choice (the wasm backend offers both): given to
 * `compile`, `train`, `evaluate` beside `backend`. Another backend accepts only what it does.
 */
export interface EngineOptions {
  /** `float64` or `float32`; wasm computes in either (default float64), js in float64, tfjs, gpu and onnx in float32. */
  readonly precision?: Precision;
  /** wasm: the most threads a program uses (1: none but the caller's); default: one per core where memory can be shared. */
  readonly threads?: number;
}

/** What a backend is running on. */
export interface BackendInfo {
  readonly backend: BackendName;
  /** The engine underneath: `js`; for tfjs `tensorflow` (tfjs-node), `wasm` or `cpu`; for gpu the gpu.js mode; for onnx `onnxruntime-node <version>`; for wasm `wasm-simd128, <n> threads`. */
  readonly engine: string;
  /** Arithmetic precision of the engine. */
  readonly precision: 'float64' | 'float32';
  /** Why a preferred engine was not used (e.g. `@tensorflow/tfjs-node is not installed`), if one was not. */
  readonly notes: readonly string[];
}

/**
 * A compiled program. A point plan runs with `run` (one value per input: a number for a scalar,
 * flat row-major data for a tensor) and is read with `result`; a batch plan runs with
 * `runBatch` (n points; per input a column of n values, or n·size values point after point for
 * a tensor input) and writes each root's values into `outputs` the same way.
 */
export interface Executable {
  run(inputs: readonly (number | ArrayLike<number>)[]): void;
  /** Root k after the last `run`: a number, or flat data owned by the program (overwritten by the next run). */
  result(k: number): number | FloatArray;
  runBatch(n: number, inputs: readonly ArrayLike<number>[], outputs: readonly FloatArray[]): void;
  /** Releases what the engine holds for this program (kernels, uploaded constants); a no-op where there is nothing. */
  dispose(): void;
}

/**
 * A compiled program on an engine whose API is asynchronous (ONNX Runtime): each run resolves
 * to its own results (a number per scalar root, fresh flat data otherwise), so calls that
 * overlap do not share them; a batch run resolves once it has written `outputs`.
 */
export interface AsyncExecutable {
  readonly asynchronous: true;
  run(inputs: readonly (number | ArrayLike<number>)[]): Promise<readonly (number | FloatArray)[]>;
  runBatch(n: number, inputs: readonly ArrayLike<number>[], outputs: readonly FloatArray[]): Promise<void>;
  /** Releases the engine's session. */
  dispose(): Promise<void>;
}

export interface Backend {
  readonly info: BackendInfo;
  /** Whether the backend lowers a primitive (the others are decomposed by the planner, or refused). */
  lowers(op: OperationName): boolean;
  /** Allocates an output column of this backend's precision. */
  allocate(n: number): FloatArray;
  /** The plan as an executable (kernels created, constants uploaded: calls only run); asynchronous on onnx. */
  render(plan: Plan): Executable | AsyncExecutable;
  /** `render` for engines that compile asynchronously where they must (wasm in a browser's main thread); `compileAsync` uses it. */
  renderAsync?(plan: Plan): Promise<Executable | AsyncExecutable>;
  /** The backend computing as `options` say (wasm); backends without it offer one precision and no threads. */
  configure?(options: EngineOptions, operation: string): Backend;
}
