/**
 * The evaluation seam of training: a list of Funs (the loss, the outputs, the gradients) made
 * into ONE program, run at every step with the variables bound to flat Float64Arrays.
 *
 * Programs are compiled for the chosen backend (through the program layer, like every compile);
 * a program a backend cannot run is a TypegradError at compile time, never a silent switch to
 * another engine. The reference interpreter (`evaluateTensors`) runs a program only when a
 * caller asks for it (`engine: 'interpreter'`: tests and the benchmark's reference row).
 */
import { evaluateTensors } from '../ad/evaluate.js';
import { TypegradError } from '../ad/errors.js';
import { requireSynchronous, type BackendName, type EngineOptions } from '../backend/registry.js';
import { compile } from '../api/compile.js';
import type { Fun } from '../api/fun.js';

/** Where a program runs. */
export type Engine = 'compiled' | 'interpreter';

/**
 * A program: the values of its roots (flat row-major) for variables bound by name. The arrays
 * are valid until the next `run`, which may overwrite them: a training step consumes them at once.
 */
export interface Program {
  readonly engine: Engine;
  run(environment: ReadonlyMap<string, Float64Array>): Float64Array[];
}

/** Options of `compileProgram` (`precision` and `threads` as `compile` takes them). */
export interface ProgramOptions extends EngineOptions {
  /** The backend `compile` uses (when programs are compiled). */
  readonly backend?: BackendName;
  /** `compiled` (the default) or the reference `interpreter`, for tests and benchmarks. */
  readonly engine?: Engine;
}

/** The roots as one program: compiled (default), or on the reference interpreter when asked. */
export function compileProgram(roots: readonly Fun<string>[], options: ProgramOptions = {}): Program {
  const engine = options.engine ?? 'compiled';
  if (engine === 'interpreter') {
    const nodes = roots.map((r) => r.node);
    return { engine, run: (environment) => evaluateTensors(nodes, environment) };
  }
  if (engine !== 'compiled') throw new TypegradError(`compileProgram: engine must be 'compiled' or 'interpreter', got ${String(engine)}`);
  requireSynchronous(options.backend, 'compileProgram (train, evaluate)');
  // An array of Funs compiles as one program with shared nodes computed once; its output
  // buffers are reused at every step rather than a fresh gradient allocated per step.
  const run = compile(roots as never, { backend: options.backend, precision: options.precision, threads: options.threads, reuseOutputs: true } as never) as unknown as (bindings: Record<string, Float64Array>) => unknown[];
  // Float32 results are widened into arrays of their own, reused at every step.
  const widened: (Float64Array | undefined)[] = roots.map(() => undefined);
  return {
    engine,
    run: (environment) => run(Object.fromEntries(environment)).map((value, k) => toFloat64(value, widened, k)),
  };
}

/** A compiled result as flat float64 data (a number for a scalar root; float32 data widened into `widened[k]`). */
function toFloat64(value: unknown, widened: (Float64Array | undefined)[], k: number): Float64Array {
  if (value instanceof Float64Array) return value;
  if (typeof value === 'number') return Float64Array.of(value);
  if (value instanceof Float32Array) {
    const target = (widened[k] ??= new Float64Array(value.length));
    target.set(value);
    return target;
  }
  throw new Error(`internal: a compiled program returned ${String(value)}`);
}
