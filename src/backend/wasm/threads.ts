/**
 * Worker threads for the wasm backend: a pool of workers (one fewer than the cores) that run
 * parts of a program's steps in the program's own shared memory. In Node they are
 * `worker_threads` workers, in browsers Web Workers (both from the same source, `WORKER_SOURCE`);
 * nothing here is imported from Node at load time.
 *
 * A program that splits work (render.ts: large matrix products, batch points) is compiled with
 * a shared memory; `attach` posts its module and memory to the workers, which instantiate it and
 * set their flag in the memory's header. Until every worker's flag is set the program runs on
 * the calling thread alone (results are the same either way: each output element is computed by
 * one thread, in the same order).
 *
 * Hand-off: each worker has a block of a shared Int32Array: the caller writes a job (program,
 * function, part, parts), bumps the job's generation and notifies; the worker runs it, writes
 * the generation to `done` and notifies; the caller runs part 0 meanwhile, then waits for
 * every `done` (Atomics.wait in Node and in workers; a spin on a browser's main thread, which
 * may not block). Between jobs a worker waits on its generation for `BURST_MS` (jobs of one run
 * come in bursts), then returns to its event loop (Atomics.waitAsync) so that messages (new
 * programs) get through; a `yield` job sends it there at once.
 */
import { IMPORTED_MATH } from './emitter.js';
import { HEADER_BYTES, type ParallelRunner } from './render.js';
import type { WasmMemory, WasmModule } from './engine.js';

/** Int32 fields per worker in the control array. */
const FIELDS = 16;
const GENERATION = 0, DONE = 1, PROGRAM = 2, KIND = 3, FUNCTION = 4, FIRST = 5, SECOND = 6, THIRD = 7, FAILED = 8;
/** Job kinds. */
const SEGMENT = 1, POINTS = 2, YIELD = 3;
/** How long a worker waits for the next job before returning to its event loop, in ms. */
const BURST_MS = 100;
/** The most workers a pool starts (the program memory's header has a flag per worker). */
const MOST_WORKERS = HEADER_BYTES / 4 - 1;

/**
 * The worker's code, the same in Node (`new Worker(source, { eval: true })`) and in browsers
 * (a Blob URL). It receives `init` (its control array and index), `program` (id, module,
 * memory: instantiated at once) and `drop` (id) messages, and runs jobs from the control array.
 */
export const WORKER_SOURCE = `'use strict';
const nodePort = typeof require === 'function' ? require('node:worker_threads').parentPort : null;
const listen = (handler) => nodePort ? nodePort.on('message', handler) : (self.onmessage = (event) => handler(event.data));
const programs = new Map();
let control, base, seen = 0;
const math = {};
for (const name of ${JSON.stringify(IMPORTED_MATH)}) math[name] = Math[name];
const env = (memory) => ({ memory, indexError: () => { throw new Error('index error in a worker'); } });
function job() {
  const kind = control[base + ${KIND}];
  if (kind === ${YIELD}) return false;
  const exports = programs.get(control[base + ${PROGRAM}]);
  try {
    if (kind === ${SEGMENT}) exports['s' + control[base + ${FUNCTION}]](control[base + ${FIRST}], control[base + ${SECOND}]);
    else exports.block(control[base + ${FIRST}], control[base + ${SECOND}], control[base + ${THIRD}]);
  } catch (error) {
    control[base + ${FAILED}] = 1;
  }
  return true;
}
function work() {
  for (;;) {
    const generation = Atomics.load(control, base + ${GENERATION});
    if (generation !== seen) {
      seen = generation;
      const stay = job();
      Atomics.store(control, base + ${DONE}, generation);
      Atomics.notify(control, base + ${DONE});
      if (!stay) break;
      continue;
    }
    if (Atomics.wait(control, base + ${GENERATION}, seen, ${BURST_MS}) === 'timed-out') break;
  }
  idle();
}
function idle() {
  if (typeof Atomics.waitAsync === 'function') {
    const waiting = Atomics.waitAsync(control, base + ${GENERATION}, seen);
    if (waiting.async) waiting.value.then(work);
    else setTimeout(work, 0);
  } else {
    setTimeout(work, ${BURST_MS});
  }
}
listen((message) => {
  if (message.type === 'init') {
    control = new Int32Array(message.control);
    base = message.index * ${FIELDS};
    idle();
  } else if (message.type === 'program') {
    const instance = new WebAssembly.Instance(message.module, { math, env: env(message.memory) });
    programs.set(message.id, instance.exports);
    Atomics.store(new Int32Array(message.memory.buffer, 0, ${HEADER_BYTES / 4}), message.index + 1, 1);
  } else if (message.type === 'drop') {
    programs.delete(message.id);
  }
});
`;

/** A started worker, as either platform gives it. */
interface WorkerHandle {
  postMessage(message: unknown): void;
  terminate(): void;
}

/** Workers that run parts of programs (see the file's comment). */
export interface ThreadPool {
  /** The number of workers. */
  readonly size: number;
  /** Sends a program to the first `threads − 1` workers; the runner its executable uses. */
  attach(module: WasmModule, memory: WasmMemory, threads: number): ParallelRunner;
  /** Stops the workers. */
  close(): void;
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The number of cores, or undefined where the engine does not say. */
async function coreCount(node: boolean): Promise<number | undefined> {
  if (node) {
    const osModule = 'node:os'; // a variable, so that bundlers for browsers leave it alone
    const os = (await import(osModule)) as { availableParallelism?: () => number; cpus: () => unknown[] };
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
}

/** Starts the workers of this platform; a string says why none could be started. */
async function startWorkers(count: number, node: boolean): Promise<WorkerHandle[] | string> {
  if (count === 0) return [];
  if (node) {
    const threadsModule = 'node:worker_threads';
    const { Worker } = (await import(threadsModule)) as { Worker: new (source: string, options: { eval: boolean }) => WorkerHandle & { unref(): void } };
    return Array.from({ length: count }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref(); // idle workers do not keep the process alive
      return worker;
    });
  }
  const scope = globalThis as { Worker?: new (url: string) => WorkerHandle; Blob?: new (parts: string[], options: { type: string }) => object; URL?: { createObjectURL(blob: object): string } };
  if (scope.Worker === undefined || scope.Blob === undefined || scope.URL === undefined) return 'this engine has no Web Workers';
  const url = scope.URL.createObjectURL(new scope.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  try {
    return Array.from({ length: count }, () => new scope.Worker!(url));
  } catch (error) {
    return `Web Workers could not be started (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Starts one worker per core but one (at most 15); a string says why there are none (no
 * workers on this platform). A machine with one core gets a pool of size 0.
 */
export async function startThreadPool(): Promise<ThreadPool | string> {
  // Through globalThis: a browser bundle must not reference Node's `process` global.
  const node = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
  const cores = (await coreCount(node)) ?? 1;
  const workers = await startWorkers(Math.min(MOST_WORKERS, Math.max(0, cores - 1)), node);
  if (typeof workers === 'string') return workers;
  const control = new Int32Array(new SharedArrayBuffer(Math.max(1, workers.length) * FIELDS * 4));
  workers.forEach((worker, index) => worker.postMessage({ type: 'init', control: control.buffer, index }));
  return new Pool(workers, control, canBlock());
}

class Pool implements ThreadPool {
  readonly #workers: readonly WorkerHandle[];
  readonly #control: Int32Array;
  readonly #block: boolean;
  #next = 1;
  /** Programs whose runners were collected without `dispose`: their workers' instances are dropped. */
  readonly #registry = new FinalizationRegistry<{ id: number; workers: number }>(({ id, workers }) => this.#drop(id, workers));

  constructor(workers: readonly WorkerHandle[], control: Int32Array, block: boolean) {
    this.#workers = workers;
    this.#control = control;
    this.#block = block;
  }

  get size(): number {
    return this.#workers.length;
  }

  #drop(id: number, workers: number): void {
    for (let w = 0; w < workers; w++) this.#workers[w]!.postMessage({ type: 'drop', id });
  }

  /** Waits until worker w has finished its last job. */
  #wait(w: number): void {
    const control = this.#control;
    const at = w * FIELDS;
    for (let spin = 0; ; spin++) {
      const generation = Atomics.load(control, at + GENERATION);
      const done = Atomics.load(control, at + DONE);
      if (done === generation) return;
      if (this.#block && spin > 64) Atomics.wait(control, at + DONE, done, 50);
    }
  }

  /** Posts a job to worker w (after its previous one). */
  #post(w: number, program: number, kind: number, fn: number, first: number, second: number, third: number): void {
    const control = this.#control;
    const at = w * FIELDS;
    this.#wait(w);
    control[at + PROGRAM] = program;
    control[at + KIND] = kind;
    control[at + FUNCTION] = fn;
    control[at + FIRST] = first;
    control[at + SECOND] = second;
    control[at + THIRD] = third;
    Atomics.add(control, at + GENERATION, 1);
    Atomics.notify(control, at + GENERATION);
  }

  #failed(count: number): boolean {
    let failed = false;
    for (let w = 0; w < count; w++) {
      if (this.#control[w * FIELDS + FAILED] !== 0) failed = true;
      this.#control[w * FIELDS + FAILED] = 0;
    }
    return failed;
  }

  attach(module: WasmModule, memory: WasmMemory, threads: number): ParallelRunner {
    const id = this.#next++;
    const helpers = Math.min(threads - 1, this.#workers.length);
    for (let w = 0; w < helpers; w++) {
      this.#workers[w]!.postMessage({ type: 'program', id, module, memory, index: w });
      // Sends the worker to its event loop if it is waiting for jobs, so that it reads the message.
      this.#post(w, id, YIELD, 0, 0, 0, 0);
    }
    const flags = new Int32Array(memory.buffer, 0, HEADER_BYTES / 4);
    let ready = helpers === 0;
    const isReady = () => {
      if (!ready) {
        ready = true;
        for (let w = 0; w < helpers; w++) if (Atomics.load(flags, w + 1) !== 1) ready = false;
      }
      return ready;
    };
    const finish = () => {
      for (let w = 0; w < helpers; w++) this.#wait(w);
      if (this.#failed(helpers)) throw new Error('internal: a worker thread failed while running its part of a program');
    };
    let disposed = false;
    const runner: ParallelRunner = {
      parts: helpers + 1,
      run: (segment, local) => {
        if (disposed || !isReady()) return false;
        for (let w = 0; w < helpers; w++) this.#post(w, id, SEGMENT, segment, w + 1, helpers + 1, 0);
        try {
          local();
        } finally {
          finish();
        }
        return true;
      },
      runPoints: (count, local) => {
        if (disposed || !isReady() || count < 2 * (helpers + 1)) return false;
        const bound = (part: number) => Math.floor((count * part) / (helpers + 1));
        for (let w = 0; w < helpers; w++) this.#post(w, id, POINTS, 0, bound(w + 1), bound(w + 2), w + 1);
        try {
          local(0, bound(1), 0);
        } finally {
          finish();
        }
        return true;
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.#registry.unregister(runner);
        this.#drop(id, helpers);
      },
    };
    this.#registry.register(runner, { id, workers: helpers }, runner);
    return runner;
  }

  close(): void {
    for (const worker of this.#workers) worker.terminate();
  }
}
