/**
 * The evaluation seam of training: a list of Funs (the loss, the outputs, the gradients) made
 * into ONE program, run at every step with the variables bound to flat Float64Arrays.
 *
 * Programs are compiled (the js backend lowers tensor programs to specialised loops over
 * preallocated buffers); a program the chosen backend cannot lower (the gpu backend lowers no
 * tensor operation) runs on the reference interpreter (`evaluateTensors`), and `engine` says so.
 */
import { evaluateTensors } from '../../ad/evaluate.js';
import { TypegradError } from '../../ad/errors.js';
import type { BackendName } from '../../backend/registry.js';
import { compile } from '../compile.js';
import type { Fun } from '../fun.js';

/** How programs run unless a caller asks otherwise. */
const PREFERRED_ENGINE: Engine = 'compiled';

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

/** Options of `compileProgram`. */
export interface ProgramOptions {
  /** The backend `compile` uses (when programs are compiled). */
  readonly backend?: BackendName;
  /** Overrides PREFERRED_ENGINE (for tests and benchmarks). */
  readonly engine?: Engine;
}

/** The roots as one program, compiled when the engine and `compile` allow it. */
export function compileProgram(roots: readonly Fun<string>[], options: ProgramOptions = {}): Program {
  const engine = options.engine ?? PREFERRED_ENGINE;
  if (engine === 'compiled') {
    const compiled = tryCompile(roots, options.backend);
    if (compiled !== undefined) return compiled;
  }
  const nodes = roots.map((r) => r.node);
  return { engine: 'interpreter', run: (environment) => evaluateTensors(nodes, environment) };
}

function tryCompile(roots: readonly Fun<string>[], backend: BackendName | undefined): Program | undefined {
  let run: (bindings: Record<string, Float64Array>) => unknown[];
  try {
    // An array of Funs compiles as one program with shared nodes computed once; its output
    // buffers are reused at every step rather than a fresh gradient allocated per step.
    run = compile(roots as never, { backend, reuseOutputs: true } as never) as unknown as typeof run;
  } catch (error) {
    if (error instanceof TypegradError) return undefined; // not lowerable on this backend: interpret
    throw error;
  }
  return {
    engine: 'compiled',
    run: (environment) => run(Object.fromEntries(environment)).map(toFloat64),
  };
}

/** A compiled result as flat float64 data (a number for a scalar root). */
function toFloat64(value: unknown): Float64Array {
  if (value instanceof Float64Array) return value;
  if (typeof value === 'number') return Float64Array.of(value);
  if (value instanceof Float32Array) return Float64Array.from(value);
  if (Array.isArray(value)) return Float64Array.from(value.flat() as number[]);
  throw new TypegradError(`compiled program: unexpected result ${String(value)}`);
}
