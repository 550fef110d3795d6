/**
 * The WebAssembly backend: plans rendered as one WebAssembly module per program (`render.ts`),
 * with 128-bit SIMD kernels, in float64 (default) or float32 (`precision: 'float32'`), every
 * primitive lowered but the special functions and custom-derivative nodes, which the planner
 * decomposes. It runs wherever WebAssembly with SIMD does: Node ≥ 16.4 and current
 * browsers. It imports nothing from Node: worker threads are started through `threads.ts`, which
 * uses `worker_threads` in Node and Web Workers in browsers.
 *
 * Compiling a module: `compile` compiles synchronously (`new WebAssembly.Module`), which Node
 * allows at any size, and browsers in workers or, on the main thread, up to a size (Chromium
 * 156: 8 MB; older Chrome: 4 KB); past it use `compileAsync`, which compiles with
 * `WebAssembly.compile` off the main thread.
 */
import { TypegradError } from '../../ad/errors.js';
import type { Plan } from '../../program/plan.js';
import type { Backend, BackendInfo, EngineOptions, Executable, Precision } from '../types.js';
import { sharedMemoryUnavailable, supportsSimd, webAssembly, type WasmApi, type WasmModule } from './engine.js';
import { WASM_DECOMPOSED } from './elementwise-lowering.js';
import { executableOf, instantiate, renderWasm, type RenderOptions } from './render.js';
import { startThreadPool, type ThreadPool } from './threads.js';

export { renderWasm } from './render.js';

/**
 * Work from which it is split across threads: multiply-adds (rows · inner · columns) of a matrix
 * product, or points times per-point elements of a block of batch points. Measured on the
 * benchmark machine (2 cores, bench/wasm.ts, its "Splitting one matrix product" table) in two
 * sessions: a split 64×784·784×128 product (6.4 M) took 1.11× and 1.54× the time of one thread,
 * a 256×256·256×256 one (16.8 M) 0.62× and 0.76× (a hand-off costs 60–100 µs there, where the
 * other core is busy with the collector and other work); so the two cross near 10 M. (It was
 * 400 k, from an earlier quiet measurement: then two threads made the MLP step and batch
 * programs slower than one, 1.3–2× on f and ∇f at 10⁶ points.) The backend's `configure` takes
 * another (`WasmTuning`: the tests and bench/wasm.ts split small work on purpose).
 */
export const PARALLEL_WORK = 10_000_000;

/** Primitives the planner decomposes for this backend: the special functions (see `WASM_DECOMPOSED`) and custom-derivative nodes (into their primal). */
const decomposed: ReadonlySet<string> = new Set(WASM_DECOMPOSED);

/** Bytes of input and output columns per block of points in batch programs (they stay in cache). */
const BLOCK_BYTES = 256 * 1024;

/** What `configure` accepts beyond `EngineOptions`: the crossover, for measuring it (bench/wasm.ts). */
export interface WasmTuning {
  /** Work from which a matrix product or a block of batch points is split across threads (default `PARALLEL_WORK`). */
  readonly parallelWork?: number;
}

/** How one configured backend computes. */
interface Settings {
  readonly precision: Precision;
  readonly threads: number;
  readonly parallelWork: number;
}

/** The backend for one precision and thread count. */
function wasmBackend(wasm: WasmApi, pool: ThreadPool | undefined, settings: Settings, notes: readonly string[]): Backend {
  const { precision, threads } = settings;
  const info: BackendInfo = {
    backend: 'wasm',
    engine: `wasm-simd128, ${threads} thread${threads === 1 ? '' : 's'}`,
    precision,
    notes,
  };
  const options: RenderOptions = { type: precision === 'float32' ? 'f32' : 'f64', threads, parallelWork: settings.parallelWork, blockBytes: BLOCK_BYTES };
  const finish = (plan: Plan, program: ReturnType<typeof renderWasm>, module: WasmModule | undefined): Executable => {
    const { memory, instance, module: compiled } = instantiate(wasm, program, module);
    const runner = program.shared && pool !== undefined ? pool.attach(compiled, memory, threads) : undefined;
    return executableOf(plan, program, memory, instance, runner);
  };
  const self: Backend = {
    info,
    lowers: (operation) => operation !== 'custom' && !decomposed.has(operation),
    allocate: (n) => (precision === 'float32' ? new Float32Array(n) : new Float64Array(n)),
    render: (plan) => {
      const program = renderWasm(plan, options);
      let module: WasmModule;
      try {
        module = new wasm.Module(program.bytes);
      } catch (error) {
        // Browsers refuse to compile large modules synchronously on the main thread (Chromium: over 8 MB).
        if (error instanceof RangeError) {
          throw new TypegradError(`compile: this engine refuses to compile a ${program.bytes.length}-byte WebAssembly module synchronously here (${error.message}); use compileAsync, which compiles it asynchronously`);
        }
        throw error;
      }
      return finish(plan, program, module);
    },
    renderAsync: async (plan) => {
      const program = renderWasm(plan, options);
      return finish(plan, program, await wasm.compile(program.bytes));
    },
    configure: (given: EngineOptions & WasmTuning, operation) => {
      const p = given.precision ?? precision;
      if (p !== 'float32' && p !== 'float64') throw new TypegradError(`${operation}: precision must be 'float32' or 'float64', got ${JSON.stringify(p)}`);
      const t = given.threads ?? threads;
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 1) throw new TypegradError(`${operation}: threads must be a positive integer, got ${JSON.stringify(t)}`);
      const available = pool === undefined ? 1 : pool.size + 1;
      const next: Settings = { precision: p, threads: Math.min(t, available), parallelWork: given.parallelWork ?? settings.parallelWork };
      const same = next.precision === precision && next.threads === threads && next.parallelWork === settings.parallelWork;
      return same ? self : wasmBackend(wasm, pool, next, notes);
    },
  };
  return self;
}

/**
 * Checks that this engine runs WebAssembly with SIMD and starts the worker threads (one fewer
 * than the cores) where memory can be shared with them; without shared memory programs run on
 * one thread, and `backendInfo('wasm').notes` says why.
 */
export async function loadWasmBackend(): Promise<Backend> {
  const wasm = webAssembly();
  if (wasm === undefined) throw new TypegradError("initBackend('wasm'): this JavaScript engine has no WebAssembly");
  if (!supportsSimd(wasm)) throw new TypegradError("initBackend('wasm'): this engine's WebAssembly has no 128-bit SIMD (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4 have it)");
  const notes: string[] = [];
  let pool: ThreadPool | undefined;
  const unavailable = sharedMemoryUnavailable(wasm);
  if (unavailable !== undefined) notes.push(`one thread: ${unavailable}`);
  else {
    const started = await startThreadPool();
    if (typeof started === 'string') notes.push(`one thread: ${started}`);
    else if (started.size === 0) {
      started.close();
      notes.push('one thread: this machine has one core');
    } else pool = started;
  }
  return wasmBackend(wasm, pool, { precision: 'float64', threads: pool === undefined ? 1 : pool.size + 1, parallelWork: PARALLEL_WORK }, notes);
}
