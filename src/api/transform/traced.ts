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
import { flatten, leafCount, sameStructure, unflatten, type TreeDef } from '../pytree.js';
import { describeValue } from '../record.js';
import { Const, SFun } from '../scalar.js';
import { fromFlat, shapeOfValue, toFlat } from '../values.js';
import { wrap } from '../wrap.js';
import { currentContext } from './context.js';
import type { Traced } from './types.js';
import type { Node } from '../../ad/node.js';

/**
 * What a static traced function is made of. Its inputs are `names`, one per parameter; an input
 * is a Fun, or a pytree of them (`trees`: its structure), and `symbols` are the inputs' leaves
 * in order, each a variable named by its path (`params.W`).
 */
export interface TracedState {
  readonly symbols: readonly Fun<string>[];
  readonly names: readonly string[];
  readonly trees: readonly TreeDef[];
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
  /** The structure of each input (a leaf for a Fun). */
  readonly trees: readonly TreeDef[];
  /** The inputs' leaf symbols where they do not depend on the call (not for `vmap`, whose shapes do). */
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
  /** The expression for calls with arguments whose leaves have these shapes, their values unknown. */
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

const LEAF: TreeDef = { kind: 'leaf' };

/** Each of `count` inputs a single Fun. */
export const leafTrees = (count: number): TreeDef[] => new Array<TreeDef>(count).fill(LEAF);

/**
 * The leaves of call arguments, one argument per input, each flattened by its input's structure
 * (a TypegradError naming the input where the structure differs).
 */
export function flattenArguments(names: readonly string[], trees: readonly TreeDef[], values: readonly unknown[], operation: string): unknown[] {
  if (trees.every((t) => t.kind === 'leaf')) return [...values];
  return values.flatMap((value, i) => leavesLike(trees[i]!, value, names[i]!, `${operation}: argument ${i + 1} ('${names[i]}')`));
}

/**
 * The leaves of `value` read by the structure `tree`: where the tree has a leaf the value is
 * taken whole (a tensor given as nested arrays is one leaf), elsewhere it must have the tree's
 * keys or length. Iterative.
 */
function leavesLike(tree: TreeDef, value: unknown, name: string, context: string): unknown[] {
  const leaves: unknown[] = [];
  const stack: [TreeDef, unknown, string][] = [[tree, value, name]];
  while (stack.length > 0) {
    const [def, v, path] = stack.pop()!;
    const mismatch = () => new TypegradError(`${context} must have the structure of the input: at ${path}, ${describeStructure(def)}, got ${describeValue(v)}`);
    if (def.kind === 'leaf') leaves.push(v);
    else if (def.kind === 'none') {
      if (v !== def.value) throw mismatch();
    } else if (def.kind === 'array') {
      if (!Array.isArray(v) || v.length !== def.children.length) throw mismatch();
      for (let k = def.children.length - 1; k >= 0; k--) stack.push([def.children[k]!, v[k], `${path}[${k}]`]);
    } else if (def.kind === 'object') {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw mismatch();
      const keys = Object.keys(v).sort();
      if (keys.join('\0') !== def.keys.join('\0')) throw mismatch();
      for (let k = def.keys.length - 1; k >= 0; k--) stack.push([def.children[k]!, (v as Record<string, unknown>)[def.keys[k]!], `${path}.${def.keys[k]}`]);
    } else {
      const { leaves: inner, treedef } = flatten(v);
      if (!sameStructure(def, treedef)) throw mismatch();
      for (const leaf of inner) leaves.push(leaf); // no spread: a wide structure overflows the stack
    }
  }
  return leaves;
}

/** Per input, its leaves among `leaves` (in order) in its structure: a leaf itself, else the pytree. */
export function groupByInput<T>(trees: readonly TreeDef[], leaves: readonly T[]): unknown[] {
  let next = 0;
  return trees.map((tree) => {
    const count = leafCount(tree);
    const own = leaves.slice(next, (next += count));
    return tree.kind === 'leaf' ? own[0] : unflatten(tree, own);
  });
}

/** The indices of the leaf symbols of each input. */
export function leafRanges(trees: readonly TreeDef[]): number[][] {
  let next = 0;
  return trees.map((tree) => Array.from({ length: leafCount(tree) }, () => next++));
}

/** A structure in words: the keys of a record, the length of an array. */
function describeStructure(tree: TreeDef): string {
  if (tree.kind === 'object') return `a record with keys ${tree.keys.join(', ')}`;
  if (tree.kind === 'array') return `an array of ${tree.children.length}`;
  if (tree.kind === 'none') return String(tree.value);
  return `a ${tree.kind}`;
}

/**
 * The state of a traced function over `symbols` whose result is `expr` (a Fun, a number, or a
 * pytree of them). Every variable of the result must be one of the symbols. `trees` groups the
 * symbols into the inputs `names` (default: one symbol each).
 */
export function makeState(symbols: readonly Fun<string>[], names: readonly string[], expr: unknown, backend: BackendName | undefined, operation: string, trees: readonly TreeDef[] = leafTrees(names.length)): TracedState {
  if (trees.length !== names.length || trees.reduce((n, t) => n + leafCount(t), 0) !== symbols.length) {
    throw new Error(`internal: ${symbols.length} symbols for inputs ${names.join(', ')}`);
  }
  const variables = new Set(symbols.map((s) => s.node.name));
  const { leaves: raw, treedef } = flatten(expr);
  if (raw.length === 0) throw new TypegradError(`${operation}: the function returned ${describeValue(expr)}, which holds no Fun or number`);
  const leaves = raw.map((leaf, i) => {
    if (leaf instanceof Fun) return leaf;
    if (typeof leaf === 'number') return Const(leaf);
    throw new TypegradError(`${operation}: the function must return Funs or numbers (or arrays and records of them); result leaf ${i} is ${describeValue(leaf)}`);
  });
  for (const leaf of leaves) {
    for (const name of Fun.declaredVariables(leaf)) {
      if (!variables.has(name)) {
        throw new TypegradError(`${operation}: the result depends on the variable '${name}', which is not an input (${listNames(names)}); make it a parameter or bind it with .at()`);
      }
    }
  }
  freeVariables([...symbols, ...leaves].map((f) => f.node)); // rejects one name with two shapes
  return { symbols, names, trees, expr: unflatten(treedef, leaves), leaves, treedef, backend, kernels: new Map() };
}

/** The traced function of a state: callable with values, columns, bindings or Funs. */
export function tracedFunction(state: TracedState): Traced {
  const traced = function (...args: unknown[]): unknown {
    return callTraced(state, args);
  };
  Object.defineProperties(traced, {
    expr: { value: state.expr, enumerable: true },
    symbols: { value: Object.freeze(groupByInput(state.trees, state.symbols)), enumerable: true },
    names: { value: Object.freeze([...state.names]), enumerable: true },
    toSource: { value: (options?: { readonly batch?: boolean }) => sourceOf(state, options?.batch === true) },
  });
  states.set(traced, state);
  return traced as unknown as Traced;
}

/** `tracedFunction(makeState(...))`. */
export function makeTraced(symbols: readonly Fun<string>[], names: readonly string[], expr: unknown, backend: BackendName | undefined, operation: string, trees?: readonly TreeDef[]): Traced {
  return tracedFunction(makeState(symbols, names, expr, backend, operation, trees));
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
    const leaves = flattenArguments(staged.names, staged.trees, values, OPERATION);
    if (leaves.some((v) => v instanceof Fun)) return applyTraced(staged.symbolic(shapesOf(leaves)), values);
    if (staged.valueDependence !== undefined && staged.symbols !== undefined && isColumnCall(staged.symbols, leaves)) return pointByPoint(staged, values);
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
        return Object.freeze(groupByInput(staged.trees, staged.symbols));
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
 * The shapes of the leaves of call arguments, as a symbolic specialisation needs them: a Fun's, a
 * number's (scalar), nested arrays' (by their nesting), a flat Float64Array's (a vector).
 */
export function shapesOf(leaves: readonly unknown[]): Shape[] {
  return leaves.map((v, i) => {
    if (v instanceof Fun) return v.node.shape;
    const shape = shapeOfValue(v);
    if (typeof shape === 'string') throw new TypegradError(`${OPERATION}: argument leaf ${i + 1} must be a number, a tensor (nested arrays) or a Fun, got ${shape}`);
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
    trees: inner.trees,
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
  const leaves = flattenArguments(staged.names, staged.trees, args, OPERATION);
  return leaves.some((v) => v instanceof Fun) ? staged.symbolic(shapesOf(leaves)) : staged.atPoint(args);
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
  const leaves = flattenArguments(state.names, state.trees, values, OPERATION);
  state.symbols.forEach((symbol, i) => {
    const value = leaves[i];
    const shape = symbol.node.shape;
    const name = symbol.node.name;
    if (value instanceof Fun) {
      if (!sameShape(value.node.shape, shape)) {
        throw new TypegradError(`${OPERATION}: input '${name}' is a ${describeShape(shape)}, got a Fun of shape ${describeShape(value.node.shape)}`);
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
  const leaves = flattenArguments(names, state.trees, values, OPERATION);
  if (leaves.some((v) => v instanceof Fun)) return applyTraced(state, values);
  if (!isScalarProgram(state)) {
    const raw = kernel(state, false)(...leaves);
    const results = state.leaves.length === 1 ? [raw] : (raw as unknown[]);
    return unflatten(state.treedef, results.map((r, k) => (typeof r === 'number' ? r : fromFlat(r instanceof Float64Array ? r : Float64Array.from(r as ArrayLike<number>), state.leaves[k]!.node.shape))));
  }
  const batch = leaves.length > 0 && isColumn(leaves[0]);
  leaves.forEach((v, i) => {
    if (batch ? !isColumn(v) : typeof v !== 'number') {
      const expected = batch ? 'a column (Float64Array, Float32Array or array of numbers) like argument 1' : 'a number';
      throw new TypegradError(`${OPERATION}: argument ${i + 1} ('${state.symbols[i]!.node.name}') must be ${expected}, got ${describeValue(v)}`);
    }
  });
  const raw = kernel(state, batch)(...leaves);
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
