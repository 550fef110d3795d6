/**
 * `trace`: runs an ordinary TypeScript function once on symbolic inputs and keeps the
 * expression it builds, as a function of numbers (compiled on first call) that `grad`, `jit`,
 * `jacobian` and `hessian` transform. Arguments marked static are passed as given, so the
 * function's own control flow on them runs at trace time: tracing specialises (stages) it.
 *
 * Control flow on the inputs' values (`x > 0 ? x : neg(x)`) cannot run on symbols: comparing a
 * Fun throws a `ConcretizationError` (see coercion.ts). A function that does so is traced at each
 * point it is called at instead, its comparisons decided by the point's values, as JAX's eager
 * `grad` traces with the point in hand: `grad(absolute)(1)` is 1 and `grad(absolute)(-1)` is −1.
 * The guards of a specialisation are the branches taken, and only the function itself can tell
 * which it takes at a new point (a comparison's other operand and its outcome stay inside
 * JavaScript), so each call runs the function again on symbols; the expression it builds is
 * interned, so a point that takes branches already seen builds the same nodes and finds that
 * specialisation's compiled program (and its derivatives) in the cache, and a point that flips a
 * branch builds, differentiates and compiles another.
 */
import { TypegradError } from '../../ad/errors.js';
import { variableNode } from '../../ad/node.js';
import { checkDimension } from '../../ad/shape.js';
import { atPoint, ConcretizationError } from '../coercion.js';
import { Fun } from '../fun.js';
import { flatten } from '../pytree.js';
import { describeValue } from '../record.js';
import { Var, type SFun } from '../scalar.js';
import { toFlat } from '../values.js';
import { wrap } from '../wrap.js';
import { parameterNames } from './parameters.js';
import { isTraced, listNames, makeState, makeTraced, stagedFunction, type TracedState } from './traced.js';
import type { DynamicParameters, Traced } from './types.js';

export { isTraced };

/** Options of `trace`. */
export interface TraceOptions {
  /** The names of the parameters, in order (default: read from the function's source). */
  readonly names?: readonly string[];
  /** Values for some parameters, by name: passed to the function as they are, at trace time. */
  readonly static?: { readonly [name: string]: unknown };
  /** The shape of each tensor parameter, by name (`{ W: [2, 3], b: [3] }`); others are scalars. */
  readonly shapes?: { readonly [name: string]: readonly number[] };
}

const OPTIONS: readonly string[] = ['names', 'static', 'shapes'];

/**
 * Traces `fn` once on symbolic inputs named after its parameters (or `options.names`) and
 * returns the traced function: callable with numbers, with columns (`Float64Array`s, one value
 * per point; one compiled loop) or with a record of bindings, and transformable by `grad`,
 * `valueAndGrad`, `jacobian`, `hessian` and `jit`. The function may return a Fun, a number, or
 * arrays and records of them. Control flow on static arguments runs once, at trace time.
 * @example
 * const f = trace((x, y) => x.mul(y).add(sin(x)));
 * f(1, 2);                                        // 2 + sin 1
 * f(new Float64Array([1, 2]), new Float64Array([3, 4])); // Float64Array [3 + sin 1, 8 + sin 2]
 * f.expr.toString();                              // 'x * y + sin(x)'
 * const p5 = trace(power, { static: { n: 5 } });  // b ↦ b⁵ by square-and-multiply, no n left
 */
export function trace<const A extends readonly SFun<string>[], R>(fn: (...args: A) => R, options?: Omit<TraceOptions, 'static'>): Traced<A, R>;
export function trace<P extends readonly unknown[], R>(fn: (...args: P) => R, options: TraceOptions): Traced<DynamicParameters<P>, R>;
export function trace(fn: unknown, options: TraceOptions = {}): unknown {
  if (typeof fn !== 'function') throw new TypegradError(`trace: expected a function to trace, got ${describeValue(fn)}`);
  if (isTraced(fn)) return fn;
  checkOptions(options);
  const names = options.names === undefined ? parameterNames(fn) : checkNames(options.names);
  const statics = options.static ?? {};
  for (const key of Object.keys(statics)) {
    if (!names.includes(key)) throw new TypegradError(`trace: static argument '${key}' is not a parameter of the function (${listNames(names)})`);
  }
  const dynamic = names.filter((n) => !Object.hasOwn(statics, n));
  const shapes = options.shapes ?? {};
  for (const key of Object.keys(shapes)) {
    if (!dynamic.includes(key)) throw new TypegradError(`trace: options.shapes names '${key}', which is not a symbolic parameter (${listNames(dynamic)})`);
  }
  const symbols = dynamic.map((name) => symbolFor(name, Object.hasOwn(shapes, name) ? shapes[name] : undefined));
  const args = names.map((name) => (Object.hasOwn(statics, name) ? statics[name] : symbols[dynamic.indexOf(name)]));
  const run = (...values: unknown[]) => checkSynchronous((fn as (...a: unknown[]) => unknown)(...names.map((name) => (Object.hasOwn(statics, name) ? statics[name] : values[dynamic.indexOf(name)]))));
  let result: unknown;
  try {
    result = run(...symbols);
  } catch (error) {
    // A comparison on a symbol: the function's branches depend on its inputs' values.
    if (error instanceof ConcretizationError) return stagedFunction(valueStaged(run, symbols, dynamic, error));
    throw error;
  }
  return makeTraced(symbols, dynamic, result, undefined, 'trace');
}

function checkSynchronous(result: unknown): unknown {
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    throw new TypegradError('trace: the function returned a Promise; trace needs its result now, so pass a synchronous function');
  }
  return result;
}

/** How many specialisations of one function are kept (the branch combinations seen most recently). */
const SPECIALISATIONS_KEPT = 64;

/**
 * The staging of a function whose control flow reads its inputs' values: at each point, `run`
 * on the symbols with comparisons decided by the point (`atPoint` of coercion.ts), the
 * expression it builds looked up among those already built (see the file comment).
 */
function valueStaged(run: (...symbols: unknown[]) => unknown, symbols: readonly Fun<string>[], names: readonly string[], found: ConcretizationError) {
  const specialisations = new Map<string, TracedState>();
  return {
    names,
    symbols,
    valueDependence: found,
    noExpression: found.message,
    atPoint(args: readonly unknown[]): TracedState {
      const environment = new Map(symbols.map((s, i) => [s.node.name, toFlat(args[i], s.node.shape, names[i]!, 'traced function')]));
      const { result } = atPoint(environment, () => run(...symbols));
      const key = expressionKey(result);
      let state = specialisations.get(key);
      if (state !== undefined) {
        specialisations.delete(key); // most recent last
      } else {
        state = makeState(symbols, names, result, undefined, 'trace');
        if (specialisations.size >= SPECIALISATIONS_KEPT) specialisations.delete(specialisations.keys().next().value!);
      }
      specialisations.set(key, state);
      return state;
    },
    symbolic(): TracedState {
      throw found;
    },
    specialisations: () => specialisations.size,
  };
}

/** The identity of an expression (a pytree of Funs and numbers): its structure and its interned nodes. */
function expressionKey(result: unknown): string {
  const { leaves, treedef } = flatten(result);
  return JSON.stringify(treedef, (_key, value) => (typeof value === 'object' && value !== null && 'rule' in value ? '[class]' : value)) + leaves.map((l) => (l instanceof Fun ? `#${l.node.id}` : `=${String(l)}`)).join(',');
}

function checkOptions(options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypegradError(`trace: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) throw new TypegradError(`trace: unknown option '${key}'; the options are ${OPTIONS.join(', ')}`);
  }
}

function checkNames(names: unknown): string[] {
  if (!Array.isArray(names)) throw new TypegradError(`trace: options.names must be an array of parameter names, got ${describeValue(names)}`);
  names.forEach((n, i) => {
    if (typeof n !== 'string' || n.length === 0) throw new TypegradError(`trace: options.names[${i}] must be a non-empty string, got ${describeValue(n)}`);
    if (names.indexOf(n) !== i) throw new TypegradError(`trace: parameter name '${n}' is given twice in options.names`);
  });
  return names as string[];
}

/** The variable for a parameter: a scalar, or a tensor of the given shape (any rank). */
function symbolFor(name: string, shape: readonly number[] | undefined): Fun<string> {
  if (shape === undefined) return Var(name);
  if (!Array.isArray(shape)) throw new TypegradError(`trace: the shape of '${name}' must be an array of dimensions such as [2, 3], got ${describeValue(shape)}`);
  return wrap(variableNode(name, shape.map((n) => checkDimension(n, `trace: the shape of '${name}'`))), [], new Set([name]));
}
