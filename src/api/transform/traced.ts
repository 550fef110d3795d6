/**
 * Traced functions: what `trace`, `grad`, `jit`, `vmap` and the other transformations return. A
 * traced function is an ordinary function with a state behind it, of one of two kinds:
 *
 * - static (`TracedState`): one expression over its input symbols, compiled on first call;
 * - staged (`Staged`): an expression per call. A function whose control flow reads its inputs'
 *   values (`x > 0 ? x : neg(x)`) is traced again at each point it is called at, specialised to
 *   the branches taken there (`trace.ts`); a `vmap` has an expression per batch size (`vmap.ts`).
 *   Transformations of a staged function are staged too: `grad` of one transforms each of its
 *   expressions, once (`transformTraced`).
 */
import { TypegradError } from '../../ad/errors.js';
import type { ConcretizationError } from '../coercion.js';
import { substituteAll } from '../../ad/substitute.js';
import { describeShape, sameShape, type Shape } from '../../ad/shape.js';
import { freeVariables } from '../../ad/variables.js';
import type { BackendName } from '../../backend/registry.js';
import { compile, toSource, type AnyRankFun } from '../compile.js';
import { constantTensor, Fun } from '../fun.js';
import { flatten, unflatten, type TreeDef } from '../pytree.js';
import { describeValue } from '../record.js';
import { Const, SFun } from '../scalar.js';
import { fromFlat, shapeOfValue, toFlat } from '../values.js';
import { wrap } from '../wrap.js';
import { currentContext } from './context.js';
import type { Traced } from './types.js';
import type { Node } from '../../ad/node.js';

/** What a static traced function is made of. */
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

/** A traced function with an expression per call (see the file comment). */
export interface Staged {
  /** The names of the inputs, in order. */
  readonly names: readonly string[];
  /** The input symbols where they do not depend on the call (not for `vmap`, whose shapes do). */
  readonly symbols: readonly Fun<string>[] | undefined;
  /**
   * Set for a function whose control flow reads its inputs' values: the error of the trace that
   * found it, rethrown wherever an expression is needed without a point (`expr`, `toSource`,
   * `jit`, `vmap`, a call with Funs).
   */
  readonly valueDependence: ConcretizationError | undefined;
  /** Why `expr` is not available (for a staged function without value dependence). */
  readonly noExpression: string;
  /** The expression for a call with these arguments: an eager call, so values may decide branches. */
  atPoint(args: readonly unknown[]): TracedState;
  /** The expression for calls with arguments of these shapes, their values unknown. */
  symbolic(shapes: readonly Shape[]): TracedState;
  /** How many specialisations are kept (the branch combinations or batch sizes met so far). */
  specialisations(): number;
}

const OPERATION = 'traced function';

/** The state behind each traced function (WeakMaps, so a traced function is an ordinary function). */
const states = new WeakMap<Function, TracedState>();
const stagings = new WeakMap<Function, Staged>();

/** The state of a static traced function, or undefined for anything else. */
export function tracedState(f: unknown): TracedState | undefined {
  return typeof f === 'function' ? states.get(f) : undefined;
}

/** The staging of a staged traced function, or undefined for anything else. */
export function stagedOf(f: unknown): Staged | undefined {
  return typeof f === 'function' ? stagings.get(f) : undefined;
}

/**
 * Whether `f` is a traced function (made by `trace`, `grad`, `jit`, `vmap`, ... of one).
 * @example isTraced(trace((x) => sin(x))) // true
 */
export function isTraced(f: unknown): f is Traced {
  return tracedState(f) !== undefined || stagedOf(f) !== undefined;
}

export function listNames(names: readonly string[]): string {
  return names.length === 0 ? 'it has none' : `its parameters are ${names.join(', ')}`;
}

/**
 * The state of a traced function over `symbols` whose result is `expr` (a Fun, a number, or a
 * pytree of them). Every variable of the result must be one of the symbols.
 */
export function makeState(symbols: readonly Fun<string>[], names: readonly string[], expr: unknown, backend: BackendName | undefined, operation: string): TracedState {
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
  return { symbols, names, expr: unflatten(treedef, leaves), leaves, treedef, backend, kernels: new Map() };
}

/** The traced function of a state: callable with values, columns, bindings or Funs. */
export function tracedFunction(state: TracedState): Traced {
  const traced = function (...args: unknown[]): unknown {
    return callTraced(state, args);
  };
  Object.defineProperties(traced, {
    expr: { value: state.expr, enumerable: true },
    symbols: { value: Object.freeze([...state.symbols]), enumerable: true },
    names: { value: Object.freeze([...state.names]), enumerable: true },
    toSource: { value: (options?: { readonly batch?: boolean }) => sourceOf(state, options?.batch === true) },
  });
  states.set(traced, state);
  return traced as unknown as Traced;
}

/** `tracedFunction(makeState(...))`. */
export function makeTraced(symbols: readonly Fun<string>[], names: readonly string[], expr: unknown, backend: BackendName | undefined, operation: string): Traced {
  return tracedFunction(makeState(symbols, names, expr, backend, operation));
}

/** The error for an expression asked of a staged function without a point. */
function withoutPoint(staged: Staged): TypegradError {
  return staged.valueDependence ?? new TypegradError(staged.noExpression);
}

/**
 * The traced function of a staging: each call asks it for the expression (`atPoint`), or with
 * Funs for the symbolic one; `expr` and `toSource` are errors, since there is no single one.
 */
export function stagedFunction(staged: Staged): Traced {
  const traced = function (...args: unknown[]): unknown {
    const values = args.length === 1 && isBindings(args[0]) ? positional(staged.names, args[0]) : args;
    if (values.length !== staged.names.length) {
      throw new TypegradError(`${OPERATION} takes ${staged.names.length} argument(s) (${staged.names.join(', ')}), got ${values.length}`);
    }
    if (values.some((v) => v instanceof Fun)) return applyTraced(staged.symbolic(shapesOf(values, staged.names)), values);
    if (staged.valueDependence !== undefined && staged.symbols !== undefined && isColumnCall(staged.symbols, values)) return pointByPoint(staged, values);
    return callTraced(staged.atPoint(values), values);
  };
  Object.defineProperties(traced, {
    expr: {
      get: () => {
        throw withoutPoint(staged);
      },
      enumerable: true,
    },
    symbols: {
      get: () => {
        if (staged.symbols === undefined) throw withoutPoint(staged);
        return Object.freeze([...staged.symbols]);
      },
      enumerable: true,
    },
    names: { value: Object.freeze([...staged.names]), enumerable: true },
    toSource: {
      value: () => {
        throw withoutPoint(staged);
      },
    },
    specialisations: { get: () => staged.specialisations() },
  });
  stagings.set(traced, staged);
  return traced as unknown as Traced;
}

/** Whether a call of scalar symbols passes columns (one value per point). */
function isColumnCall(symbols: readonly Fun<string>[], values: readonly unknown[]): boolean {
  return values.length > 0 && symbols.every((s) => s instanceof SFun) && values.every(isColumn);
}

/**
 * A call on columns of a function whose branches depend on values: each point specialised on
 * its own (the points of one branch share their compiled program), results gathered in columns.
 */
function pointByPoint(staged: Staged, columns: readonly unknown[]): unknown {
  const n = (columns[0] as ArrayLike<number>).length;
  let results: Float64Array[] | undefined;
  let treedef: TreeDef | undefined;
  for (let i = 0; i < n; i++) {
    const point = columns.map((c) => (c as ArrayLike<number>)[i]!);
    const state = staged.atPoint(point);
    const { leaves } = flatten(callTraced(state, point));
    if (results === undefined) {
      results = leaves.map(() => new Float64Array(n));
      treedef = state.treedef;
    }
    leaves.forEach((value, k) => {
      if (typeof value !== 'number') throw new TypegradError(`${OPERATION} (batch): columns are for functions of scalars, and result ${k} is not a scalar`);
      results![k]![i] = value;
    });
  }
  if (results === undefined) throw new TypegradError(`${OPERATION} (batch): the columns hold no points`);
  return unflatten(treedef!, results);
}

/**
 * The shapes of call arguments, as a symbolic specialisation needs them: a Fun's, a number's
 * (scalar), nested arrays' (by their nesting), a flat Float64Array's (a vector).
 */
export function shapesOf(values: readonly unknown[], names: readonly string[]): Shape[] {
  return values.map((v, i) => {
    if (v instanceof Fun) return v.node.shape;
    const shape = shapeOfValue(v);
    if (typeof shape === 'string') throw new TypegradError(`${OPERATION}: argument ${i + 1} ('${names[i]}') must be a number, a tensor (nested arrays) or a Fun, got ${shape}`);
    return shape;
  });
}

/** The positional arguments of a call by bindings (`f({ x: 1, y: 2 })`). */
function positional(names: readonly string[], bindings: Record<string, unknown>): unknown[] {
  for (const key of Object.keys(bindings)) {
    if (!names.includes(key)) throw new TypegradError(`${OPERATION}: '${key}' is not an input (${listNames(names)})`);
  }
  return names.map((name) => {
    if (!Object.hasOwn(bindings, name)) throw new TypegradError(`${OPERATION}: missing value for input '${name}'`);
    return bindings[name];
  });
}

/** Whether every input and result is a scalar (such a function also runs on columns of points). */
function isScalarProgram(state: TracedState): boolean {
  return state.symbols.every((s) => s instanceof SFun) && state.leaves.every((l) => l instanceof SFun);
}

function sourceOf(state: TracedState, batch: boolean): string {
  const funs = state.leaves as AnyRankFun[];
  return toSource(state.treedef.kind === 'leaf' ? funs[0]! : funs, { args: state.symbols as AnyRankFun[], batch });
}

/**
 * A transformation applied to every expression of a traced function: to its state if static
 * (a static traced function), to each specialisation if staged, once per specialisation (a
 * staged traced function with the same inputs).
 */
export function transformTraced(f: Traced, transform: (state: TracedState) => TracedState): Traced {
  const state = tracedState(f);
  if (state !== undefined) return tracedFunction(transform(state));
  const inner = stagedOf(f)!;
  const done = new WeakMap<TracedState, TracedState>();
  const cached = (s: TracedState) => {
    let t = done.get(s);
    if (t === undefined) done.set(s, (t = transform(s)));
    return t;
  };
  return stagedFunction({
    names: inner.names,
    symbols: inner.symbols,
    valueDependence: inner.valueDependence,
    noExpression: inner.noExpression,
    atPoint: (args) => cached(inner.atPoint(args)),
    symbolic: (shapes) => cached(inner.symbolic(shapes)),
    specialisations: () => inner.specialisations(),
  });
}

/** The expression of a traced function for a call with `args` (values decide branches where the function reads them). */
export function specialise(f: Traced, args: readonly unknown[]): TracedState {
  const state = tracedState(f);
  if (state !== undefined) return state;
  const staged = stagedOf(f)!;
  return args.some((v) => v instanceof Fun) ? staged.symbolic(shapesOf(args, staged.names)) : staged.atPoint(args);
}

function isColumn(value: unknown): boolean {
  return value instanceof Float64Array || value instanceof Float32Array || Array.isArray(value);
}

function isBindings(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
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
  const values = args.length === 1 && isBindings(args[0]) ? positional(state.names, args[0]) : args;
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
