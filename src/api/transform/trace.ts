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
import { flatten, type TreeDef } from '../pytree.js';
import { describeValue } from '../record.js';
import { Var, type SFun } from '../scalar.js';
import { isArrayOfNumbers, toFlat } from '../values.js';
import { wrap } from '../wrap.js';
import { parameterNames } from './parameters.js';
import { flattenArguments, isTraced, listNames, makeState, makeTraced, stagedFunction, type Staged, type TracedState } from './traced.js';
import type { DynamicParameters, Traced } from './types.js';


/** Options of `trace`. */
export interface TraceOptions {
  /** The names of the parameters, in order (default: read from the function's source). */
  readonly names?: readonly string[];
  /** Values for some parameters, by name: passed to the function as they are, at trace time. */
  readonly static?: { readonly [name: string]: unknown };
  /**
   * The shape of each tensor parameter, by name (`{ W: [2, 3], b: [3] }`); others are scalars. A
   * record or array of shapes makes the parameter a pytree of tensors (`{ params: { W: [2, 3],
   * b: [3] } }`), each a variable named by its path (`params.W`).
   */
  readonly shapes?: { readonly [name: string]: ShapeTree };
}

/**
 * The shape of a parameter for `trace`: an array of dimensions (a tensor), or a record or array
 * of them (a pytree input: `{ W: [2, 3], b: [3] }` gives the function `{ W, b }` of those shapes).
 */
export type ShapeTree = readonly number[] | { readonly [key: string]: ShapeTree } | readonly ShapeTree[];

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
  // Each input a symbol, or a pytree of symbols named by their paths (params.W).
  const inputs = dynamic.map((name) => inputFor(name, Object.hasOwn(shapes, name) ? shapes[name] : undefined));
  const flat = inputs.map((input) => flatten(input));
  const symbols = flat.flatMap((f) => f.leaves as Fun<string>[]);
  const trees = flat.map((f) => f.treedef);
  const run = () => checkSynchronous((fn as (...a: unknown[]) => unknown)(...names.map((name) => (Object.hasOwn(statics, name) ? statics[name] : inputs[dynamic.indexOf(name)]))));
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    // A comparison on a symbol: the function's branches depend on its inputs' values.
    if (error instanceof ConcretizationError) return stagedFunction(valueStaged(run, symbols, dynamic, trees, error));
    throw error;
  }
  return makeTraced(symbols, dynamic, result, undefined, 'trace', trees);
}

/** Whether a `shapes` entry is one shape (an array of dimensions) rather than a pytree of them. */
const isShape = (value: unknown): value is readonly number[] => isArrayOfNumbers(value);

/**
 * The symbolic input for a parameter: a scalar variable (no shape), a tensor variable (a
 * shape), or for a pytree of shapes the same pytree of variables named by their paths.
 */
function inputFor(name: string, spec: unknown): unknown {
  if (spec === undefined || isShape(spec)) return symbolFor(name, spec);
  if (Array.isArray(spec)) return spec.map((s, i) => inputFor(`${name}[${i}]`, s));
  if (spec !== null && typeof spec === 'object' && (Object.getPrototypeOf(spec) === Object.prototype || Object.getPrototypeOf(spec) === null)) {
    return Object.fromEntries(Object.keys(spec).map((key) => [key, inputFor(`${name}.${key}`, (spec as Record<string, unknown>)[key])]));
  }
  throw new TypegradError(`trace: the shape of '${name}' must be an array of dimensions such as [2, 3], or a record or array of them for a pytree input, got ${describeValue(spec)}`);
}

function checkSynchronous(result: unknown): unknown {
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    // Its rejection is handled here: the TypegradError is the report, and an unhandled rejection would end the process.
    (result as unknown as PromiseLike<unknown>).then(undefined, () => undefined);
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
function valueStaged(run: () => unknown, symbols: readonly Fun<string>[], names: readonly string[], trees: readonly TreeDef[], found: ConcretizationError): Staged {
  const specialisations = new Map<string, TracedState>();
  return {
    names,
    trees,
    symbols,
    valueDependence: found,
    noExpression: found.message,
    atPoint(args: readonly unknown[]): TracedState {
      const leaves = flattenArguments(names, trees, args, 'traced function');
      const environment = new Map(symbols.map((s, i) => [s.node.name, toFlat(leaves[i], s.node.shape, s.node.name, 'traced function')]));
      const { result } = atPoint(environment, run);
      const key = expressionKey(result);
      let state = specialisations.get(key);
      if (state !== undefined) {
        specialisations.delete(key); // most recent last
      } else {
        state = makeState(symbols, names, result, undefined, 'trace', trees);
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
