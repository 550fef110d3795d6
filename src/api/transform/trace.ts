/**
 * `trace`: runs an ordinary TypeScript function once on symbolic inputs and keeps the
 * expression it builds, as a function of numbers (compiled on first call) that `grad`, `jit`,
 * `jacobian` and `hessian` transform. Arguments marked static are passed as given, so the
 * function's own control flow on them runs at trace time: tracing specialises (stages) it.
 */
import { TypegradError } from '../../ad/errors.js';
import { variableNode, type Node } from '../../ad/node.js';
import { substituteAll } from '../../ad/substitute.js';
import { checkDimension, describeShape, sameShape } from '../../ad/shape.js';
import { freeVariables } from '../../ad/variables.js';
import type { BackendName } from '../../backend/registry.js';
import { compile, toSource, type AnyRankFun } from '../compile.js';
import { constantTensor, Fun } from '../fun.js';
import { flatten, unflatten, type TreeDef } from '../pytree.js';
import { describeValue } from '../record.js';
import { Const, SFun, Var } from '../scalar.js';
import { fromFlat, toFlat } from '../values.js';
import { wrap } from '../wrap.js';
import { currentContext } from './context.js';
import { parameterNames } from './parameters.js';
import type { DynamicParameters, Traced } from './types.js';

/** Options of `trace`. */
export interface TraceOptions {
  /** The names of the parameters, in order (default: read from the function's source). */
  readonly names?: readonly string[];
  /** Values for some parameters, by name: passed to the function as they are, at trace time. */
  readonly static?: { readonly [name: string]: unknown };
  /** The shape of each tensor parameter, by name (`{ W: [2, 3], b: [3] }`); others are scalars. */
  readonly shapes?: { readonly [name: string]: readonly number[] };
}

/** What a traced function is made of. */
export interface TracedState {
  readonly symbols: readonly Fun<string>[];
  readonly names: readonly string[];
  readonly expr: unknown;
  readonly leaves: readonly Fun<string>[];
  readonly treedef: TreeDef;
  /** The backend fixed by `jit`; undefined: the context's at each call. */
  readonly backend: BackendName | undefined;
  /** Compiled programs by backend and mode, made on first use. */
  readonly kernels: Map<string, (...args: unknown[]) => unknown>;
}

/** The state behind each traced function (a WeakMap, so a traced function is an ordinary function). */
const states = new WeakMap<Function, TracedState>();

/** The state of a traced function, or undefined for anything else. */
export function tracedState(f: unknown): TracedState | undefined {
  return typeof f === 'function' ? states.get(f) : undefined;
}

/**
 * Whether `f` is a traced function (made by `trace`, `grad` or `jit` of one).
 * @example isTraced(trace((x) => x.sin())) // true
 */
export function isTraced(f: unknown): f is Traced {
  return tracedState(f) !== undefined;
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
  const result: unknown = (fn as (...a: unknown[]) => unknown)(...args);
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    throw new TypegradError('trace: the function returned a Promise; trace needs its result now, so pass a synchronous function');
  }
  return makeTraced(symbols, dynamic, result, undefined, 'trace');
}

function listNames(names: readonly string[]): string {
  return names.length === 0 ? 'it has none' : `its parameters are ${names.join(', ')}`;
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

/**
 * A traced function over `symbols` whose result is `expr` (a Fun, a number, or a pytree of
 * them). Every variable of the result must be one of the symbols.
 */
export function makeTraced(symbols: readonly Fun<string>[], names: readonly string[], expr: unknown, backend: BackendName | undefined, operation: string): Traced {
  const { leaves: raw, treedef } = flatten(expr);
  if (raw.length === 0) throw new TypegradError(`${operation}: the function returned ${describeValue(expr)}, which holds no Fun or number`);
  const leaves = raw.map((leaf, i) => {
    if (leaf instanceof Fun) return leaf;
    if (typeof leaf === 'number') return Const(leaf);
    throw new TypegradError(`${operation}: the function must return Funs or numbers (or arrays and records of them); result leaf ${i} is ${describeValue(leaf)}`);
  });
  for (const leaf of leaves) {
    for (const name of Fun.declaredVariables(leaf)) {
      if (!names.includes(name)) {
        throw new TypegradError(`${operation}: the result depends on the variable '${name}', which is not an input (${listNames(names)}); make it a parameter or bind it with .at()`);
      }
    }
  }
  freeVariables([...symbols, ...leaves].map((f) => f.node)); // rejects one name with two shapes
  const state: TracedState = { symbols, names, expr: unflatten(treedef, leaves), leaves, treedef, backend, kernels: new Map() };
  const traced = function (...args: unknown[]): unknown {
    return callTraced(state, args);
  };
  Object.defineProperties(traced, {
    expr: { value: state.expr, enumerable: true },
    symbols: { value: Object.freeze([...symbols]), enumerable: true },
    names: { value: Object.freeze([...names]), enumerable: true },
    toSource: { value: (options?: { readonly batch?: boolean }) => sourceOf(state, options?.batch === true) },
  });
  states.set(traced, state);
  return traced as unknown as Traced;
}

/** Whether every input and result is a scalar (such a function also runs on columns of points). */
function isScalarProgram(state: TracedState): boolean {
  return state.symbols.every((s) => s instanceof SFun) && state.leaves.every((l) => l instanceof SFun);
}

function sourceOf(state: TracedState, batch: boolean): string {
  const funs = state.leaves as AnyRankFun[];
  return toSource(state.treedef.kind === 'leaf' ? funs[0]! : funs, { args: state.symbols as AnyRankFun[], batch });
}

const OPERATION = 'traced function';

function isColumn(value: unknown): boolean {
  return value instanceof Float64Array || value instanceof Float32Array || Array.isArray(value);
}

function isBindings(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The positional arguments of a call by bindings (`f({ x: 1, y: 2 })`). */
function fromBindings(state: TracedState, bindings: Record<string, unknown>): unknown[] {
  for (const key of Object.keys(bindings)) {
    if (!state.names.includes(key)) throw new TypegradError(`${OPERATION}: '${key}' is not an input (${listNames(state.names)})`);
  }
  return state.names.map((name) => {
    if (!Object.hasOwn(bindings, name)) throw new TypegradError(`${OPERATION}: missing value for input '${name}'`);
    return bindings[name];
  });
}

/**
 * The traced function applied to Funs (and values, taken as constants): its expression with each
 * input replaced, as Funs of the same structure as its result. How traced functions compose
 * inside other traces (`vmap(f)` called in a function given to `grad`, `jvp` of Funs).
 */
export function applyTraced(state: TracedState, values: readonly unknown[]): unknown {
  const replacements = new Map<Node, Node>();
  const sources: Fun<string>[] = [];
  state.symbols.forEach((symbol, i) => {
    const value = values[i];
    const shape = symbol.node.shape;
    const name = state.names[i]!;
    if (value instanceof Fun) {
      if (!sameShape(value.node.shape, shape)) {
        throw new TypegradError(`${OPERATION}: argument ${i + 1} ('${name}') is a ${describeShape(shape)}, got a Fun of shape ${describeShape(value.node.shape)}`);
      }
      replacements.set(symbol.node, value.node);
      sources.push(value);
    } else replacements.set(symbol.node, constantTensor(toFlat(value, shape, name, OPERATION), shape));
  });
  const nodes = substituteAll(state.leaves.map((l) => l.node), replacements);
  return unflatten(state.treedef, nodes.map((node) => wrap(node, sources)));
}

/**
 * Calls the traced function, compiled (on first use, for the backend): at a point, or for a
 * function of scalars also on columns of points. Tensor results come back as nested arrays.
 * Called with Funs, it is applied symbolically (`applyTraced`).
 */
export function callTraced(state: TracedState, args: readonly unknown[]): unknown {
  const values = args.length === 1 && isBindings(args[0]) ? fromBindings(state, args[0]) : args;
  const { names } = state;
  if (values.length !== names.length) {
    throw new TypegradError(`${OPERATION} takes ${names.length} argument(s) (${names.join(', ')}), got ${values.length}`);
  }
  if (values.some((v) => v instanceof Fun)) return applyTraced(state, values);
  if (!isScalarProgram(state)) {
    const raw = kernel(state, false)(...values);
    const results = state.leaves.length === 1 ? [raw] : (raw as unknown[]);
    return unflatten(state.treedef, results.map((r, k) => (typeof r === 'number' ? r : fromFlat(Float64Array.from(r as ArrayLike<number>), state.leaves[k]!.node.shape))));
  }
  const batch = values.length > 0 && isColumn(values[0]);
  values.forEach((v, i) => {
    if (batch ? !isColumn(v) : typeof v !== 'number') {
      const expected = batch ? 'a column (Float64Array, Float32Array or array of numbers) like argument 1' : 'a number';
      throw new TypegradError(`${OPERATION}: argument ${i + 1} ('${names[i]}') must be ${expected}, got ${describeValue(v)}`);
    }
  });
  const raw = kernel(state, batch)(...values);
  // A compiled program of one root returns its value bare, even when compiled as an array.
  const results = Array.isArray(raw) ? raw : [raw];
  return unflatten(state.treedef, batch ? results.map(toFloat64) : results);
}

/** Float32 backends write Float32Array columns; a traced function always gives Float64Arrays. */
function toFloat64(column: unknown): unknown {
  return column instanceof Float32Array ? Float64Array.from(column) : column;
}

/** The compiled program for the state's backend (or the context's) and mode, compiled once. */
export function kernel(state: TracedState, batch: boolean): (...args: unknown[]) => unknown {
  const backend = state.backend ?? currentContext().backend;
  const key = `${backend}|${batch ? 'batch' : 'point'}`;
  let run = state.kernels.get(key);
  if (run === undefined) {
    const options = { args: state.symbols as AnyRankFun[], batch, backend };
    const roots = state.leaves as AnyRankFun[];
    run = compile(roots.length === 1 ? roots[0]! : roots, options) as unknown as (...args: unknown[]) => unknown;
    state.kernels.set(key, run);
  }
  return run;
}
