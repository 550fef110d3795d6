/**
 * Transformations of traced functions (as in JAX): `grad`, `valueAndGrad`, `jacobian` and
 * `hessian` of a traced function are traced functions again, over the same inputs, so they
 * compose: `grad(grad(f))`, `hessian(f)`, `jit(grad(f))`. Each takes `wrt`, the inputs to
 * differentiate by: one (an index or name; default 0, the first) gives one derivative, so a
 * scalar function's gradient is scalar again; a list gives a tuple in that order.
 * On expressions (Funs), `valueAndGrad`, `jacobian` and `hessian` are the expression API's.
 */
import { TypegradError } from '../../ad/errors.js';
import type { Node } from '../../ad/node.js';
import { reverseGradient } from '../../ad/reverse.js';
import { describeShape } from '../../ad/shape.js';
import type { Gradient } from '../calculus.js';
import { gradientOf } from '../gradient.js';
import { Fun } from '../fun.js';
import type { AnyRankFun, FunVars } from '../compile.js';
import { mapTree } from '../pytree.js';
import { describeValue } from '../record.js';
import { Const, SFun } from '../scalar.js';
import type { FunOf, ShapeOf } from '../tensor.js';
import * as vectorCalculus from '../vector-calculus.js';
import { wrap } from '../wrap.js';
import { trace } from './trace.js';
import { groupByInput, isTraced, leafRanges, makeState, transformTraced, type TracedState } from './traced.js';
import type { AuxOptions, GradientOf, ReplaceLeaves, TransformOptions, Traced, Wrt } from './types.js';

/** A traced function, or a plain function (traced here, its parameters named from its source). */
export function tracedOf(f: unknown, operation: string): Traced {
  if (isTraced(f)) return f;
  if (typeof f === 'function') return trace(f as (...args: never[]) => unknown) as unknown as Traced;
  throw new TypegradError(`${operation}: expected a traced function or a function to trace, got ${describeValue(f)}`);
}

/** The names of a traced function's inputs. */
const namesOf = (f: Traced) => f.names;

/** Which inputs `wrt` selects (checked against the names), and whether it selected one (not a list). */
interface Selection {
  readonly indices: readonly number[];
  readonly single: boolean;
}

function selectInputs(names: readonly string[], wrt: unknown, operation: string): Selection {
  const pick = (w: unknown): number => {
    if (typeof w === 'number') {
      if (!Number.isInteger(w) || w < 0 || w >= names.length) {
        throw new TypegradError(`${operation}: wrt ${w} is not an input index; the function has ${names.length} input(s) (${names.join(', ') || 'none'})`);
      }
      return w;
    }
    if (typeof w === 'string') {
      const index = names.indexOf(w);
      if (index < 0) throw new TypegradError(`${operation}: wrt '${w}' is not an input; the inputs are ${names.join(', ') || 'none'}`);
      return index;
    }
    throw new TypegradError(`${operation}: wrt must be an input index or name, or an array of them, got ${describeValue(w)}`);
  };
  if (wrt === undefined) {
    if (names.length === 0) throw new TypegradError(`${operation}: the function has no inputs to differentiate by`);
    return { indices: [0], single: true };
  }
  if (!Array.isArray(wrt)) return { indices: [pick(wrt)], single: true };
  if (wrt.length === 0) throw new TypegradError(`${operation}: wrt lists no inputs`);
  const indices = wrt.map(pick);
  const twice = indices.findIndex((n, i) => indices.indexOf(n) !== i);
  if (twice >= 0) throw new TypegradError(`${operation}: wrt lists the input '${names[indices[twice]!]}' twice`);
  return { indices, single: false };
}

/** The input nodes of a state that a selection picks. */
/** The inputs a selection picks in a state: their leaf symbols' nodes, and how to group the derivatives by them. */
interface Picked {
  readonly nodes: Node[];
  /** The derivatives by `nodes` in the inputs' structures: one input's, or a tuple. */
  readonly group: (partials: Fun<string>[]) => Fun<string> | unknown[] | unknown;
}

function selectedNodes(state: TracedState, selection: Selection): Picked {
  const ranges = leafRanges(state.trees);
  const nodes = selection.indices.flatMap((i) => ranges[i]!.map((k) => state.symbols[k]!.node));
  const group = (partials: Fun<string>[]) => {
    const grouped = groupByInput(selection.indices.map((i) => state.trees[i]!), partials);
    return selection.single ? grouped[0] : grouped;
  };
  return { nodes, group };
}

function checkOptions(options: unknown, operation: string, allowed: readonly string[] = ['wrt']): TransformOptions & { readonly hasAux?: boolean } {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypegradError(`${operation}: options must be an object such as { wrt: 0 }, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TypegradError(`${operation}: unknown option '${key}'; the option${allowed.length > 1 ? 's are' : ' is'} ${allowed.join(', ')}`);
  }
  const hasAux = (options as { hasAux?: unknown }).hasAux;
  if (hasAux !== undefined && typeof hasAux !== 'boolean') throw new TypegradError(`${operation}: hasAux must be true or false, got ${describeValue(hasAux)}`);
  return options as TransformOptions & { readonly hasAux?: boolean };
}

/**
 * With `hasAux`, the function returns `[loss, aux]`: the loss to differentiate (one scalar) and
 * anything else (a pytree of Funs and numbers), passed through undifferentiated, as JAX's has_aux.
 */
function withAux(state: TracedState, operation: string): { value: Fun<string>; aux: unknown } {
  const expr = state.expr;
  if (!Array.isArray(expr) || expr.length !== 2) {
    throw new TypegradError(`${operation}: with hasAux the function must return [loss, aux], got ${describeValue(expr)}`);
  }
  const [loss, aux] = expr as [unknown, unknown];
  if (!(loss instanceof SFun) && typeof loss !== 'number') {
    const what = loss instanceof Fun ? `a ${describeShape(loss.node.shape)}` : describeValue(loss);
    throw new TypegradError(`${operation}: with hasAux the function must return [loss, aux] with a scalar loss, got ${what} first`);
  }
  return { value: loss instanceof SFun ? loss : Const(loss as number), aux };
}

/** The derivatives of the scalar `f` by the inputs: one Fun, or an array in `wrt` order. */
function derivatives(f: Fun<string>, inputs: Picked): unknown {
  return inputs.group(reverseGradient(f.node, inputs.nodes).map((node) => wrap(node, [f])));
}

/** The one scalar result of a traced function, or an error saying what it returns instead. */
function scalarResult(state: TracedState, operation: string): Fun<string> {
  const only = state.treedef.kind === 'leaf' ? state.leaves[0]! : undefined;
  if (only === undefined || !(only instanceof SFun)) {
    const what = only !== undefined ? `a ${describeShape(only.node.shape)}` : `${state.leaves.length} values`;
    throw new TypegradError(`${operation}: the function must return one scalar, it returns ${what}; use jacobian for several outputs`);
  }
  return only;
}

/** `grad` of a traced function (or of a function, traced first); see `grad` in calculus.ts. */
export function gradTraced(f: unknown, options: unknown, operation = 'grad'): Traced {
  const traced = tracedOf(f, operation);
  const checked = checkOptions(options, operation, ['wrt', 'hasAux']);
  const selection = selectInputs(namesOf(traced), checked.wrt, operation);
  return transformTraced(traced, (state) => {
    const inputs = selectedNodes(state, selection);
    if (checked.hasAux === true) {
      const { value, aux } = withAux(state, operation);
      return makeState(state.symbols, state.names, [derivatives(value, inputs), aux], state.backend, operation, state.trees);
    }
    return makeState(state.symbols, state.names, derivatives(scalarResult(state, operation), inputs), state.backend, operation, state.trees);
  });
}

/**
 * The value and the gradient together: for a traced function, a traced function returning
 * `[value, gradient]` (the gradient as `grad` gives it, by `wrt`); for a scalar Fun, the pair
 * `[f, grad(f, variables)]`. Compiled, both come from one program sharing their common nodes.
 * With `{ hasAux: true }` the function returns `[loss, aux]` and this gives `[[loss, aux], gradient]`.
 * @example
 * const vg = valueAndGrad(trace((x, y) => x.mul(y)), { wrt: [0, 1] });
 * vg(2, 3); // [6, [3, 2]]
 */
export function valueAndGrad<A extends readonly unknown[], R extends readonly [SFun<string> | number, unknown], const W extends Wrt = 0>(
  f: Traced<A, R>,
  options: AuxOptions<W>,
): Traced<A, [[SFun<string>, R[1]], GradientOf<A, W>]>;
export function valueAndGrad<const A extends readonly SFun<string>[], R extends readonly [SFun<string> | number, unknown], const W extends Wrt = 0>(
  f: (...args: A) => R,
  options: AuxOptions<W>,
): Traced<A, [[SFun<string>, R[1]], GradientOf<A, W>]>;
export function valueAndGrad<A extends readonly unknown[], R extends SFun<string> | number, const W extends Wrt = 0>(
  f: Traced<A, R>,
  options?: TransformOptions<W>,
): Traced<A, [SFun<string>, GradientOf<A, W>]>;
export function valueAndGrad<const A extends readonly SFun<string>[], const W extends Wrt = 0>(
  f: (...args: A) => SFun<string>,
  options?: TransformOptions<W>,
): Traced<A, [SFun<string>, GradientOf<A, W>]>;
export function valueAndGrad<V extends string>(f: SFun<V>): [SFun<V>, Gradient<V, V>];
export function valueAndGrad<V extends string, W extends V>(f: SFun<V>, variables: readonly SFun<W>[]): [SFun<V>, Gradient<W, V>];
export function valueAndGrad(f: unknown, options?: unknown): unknown {
  if (f instanceof SFun) return [f, gradientOf(f, options) as never];
  const traced = tracedOf(f, 'valueAndGrad');
  const checked = checkOptions(options, 'valueAndGrad', ['wrt', 'hasAux']);
  const selection = selectInputs(namesOf(traced), checked.wrt, 'valueAndGrad');
  return transformTraced(traced, (state) => {
    const inputs = selectedNodes(state, selection);
    if (checked.hasAux === true) {
      const { value, aux } = withAux(state, 'valueAndGrad');
      return makeState(state.symbols, state.names, [[value, aux], derivatives(value, inputs)], state.backend, 'valueAndGrad', state.trees);
    }
    const value = scalarResult(state, 'valueAndGrad');
    return makeState(state.symbols, state.names, [value, derivatives(value, inputs)], state.backend, 'valueAndGrad', state.trees);
  });
}

/** `jacobian` of a traced function: each scalar output replaced by its derivatives by `wrt`. */
function jacobianTraced(f: unknown, options: unknown, operation: string): Traced {
  const traced = tracedOf(f, operation);
  const selection = selectInputs(namesOf(traced), checkOptions(options, operation).wrt, operation);
  return transformTraced(traced, (state) => {
    const inputs = selectedNodes(state, selection);
    const expr = mapTree((leaf: Fun<string>) => {
      if (!(leaf instanceof SFun)) {
        throw new TypegradError(`${operation}: a traced function's outputs must be scalars (arrays and records of them), got a ${describeShape(leaf.node.shape)} output`);
      }
      return derivatives(leaf, inputs);
    }, state.expr);
    return makeState(state.symbols, state.names, expr, state.backend, operation, state.trees);
  });
}

/**
 * The Jacobian. Of a traced function: a traced function whose result has the structure of the
 * function's result with each scalar output replaced by its derivatives by `wrt` (one input, the
 * first by default: one derivative; a list: a tuple), as JAX's `jacobian`. Of a Fun of shape F
 * by a variable of shape X: the Fun of shape [...F, ...X] of ∂F[f]/∂X[x] (see vector-calculus.ts).
 * @example
 * const J = jacobian(trace((x, y) => [x.mul(y), x.add(y)]), { wrt: [0, 1] });
 * J(2, 3); // [[3, 2], [1, 1]]
 */
export function jacobian<F extends AnyRankFun, X extends AnyRankFun>(f: F, x: X): FunOf<[...ShapeOf<F>, ...ShapeOf<X>], FunVars<F> | FunVars<X>>;
export function jacobian<F extends AnyRankFun, const L extends readonly SFun<string>[]>(f: F, vars: L): FunOf<[...ShapeOf<F>, L['length']], FunVars<F> | FunVars<L[number]>>;
export function jacobian<A extends readonly unknown[], R, const W extends Wrt = 0>(f: Traced<A, R>, options?: TransformOptions<W>): Traced<A, ReplaceLeaves<R, GradientOf<A, W>>>;
export function jacobian<const A extends readonly SFun<string>[], R, const W extends Wrt = 0>(
  f: (...args: A) => R,
  options?: TransformOptions<W>,
): Traced<A, ReplaceLeaves<R, GradientOf<A, W>>>;
export function jacobian(f: unknown, arg?: unknown): unknown {
  if (typeof f === 'function') return jacobianTraced(f, arg, 'jacobian');
  return vectorCalculus.jacobian(f as AnyRankFun, arg as AnyRankFun);
}

/**
 * The Hessian. Of a traced function: `jacobian(grad(f, { wrt }), { wrt })`, a traced function
 * giving the second derivative by one input (the first by default) or the matrix (array of
 * rows) of second derivatives by a list of inputs. Of a Fun of shape F by a variable of shape X:
 * the Fun of shape [...F, ...X, ...X], symmetric in the two groups of X axes (see vector-calculus.ts).
 * @example
 * const H = hessian(trace((x, y) => x.mul(x).mul(y)), { wrt: ['x', 'y'] });
 * H(1, 2); // [[4, 2], [2, 0]]
 */
export function hessian<F extends AnyRankFun, X extends AnyRankFun>(f: F, x: X): FunOf<[...ShapeOf<F>, ...ShapeOf<X>, ...ShapeOf<X>], FunVars<F> | FunVars<X>>;
export function hessian<F extends AnyRankFun, const L extends readonly SFun<string>[]>(f: F, vars: L): FunOf<[...ShapeOf<F>, L['length'], L['length']], FunVars<F> | FunVars<L[number]>>;
export function hessian<A extends readonly unknown[], R extends SFun<string> | number, const W extends Wrt = 0>(
  f: Traced<A, R>,
  options?: TransformOptions<W>,
): Traced<A, ReplaceLeaves<GradientOf<A, W>, GradientOf<A, W>>>;
export function hessian<const A extends readonly SFun<string>[], const W extends Wrt = 0>(
  f: (...args: A) => SFun<string>,
  options?: TransformOptions<W>,
): Traced<A, ReplaceLeaves<GradientOf<A, W>, GradientOf<A, W>>>;
export function hessian(f: unknown, arg?: unknown): unknown {
  if (typeof f === 'function') return jacobianTraced(gradTraced(f, arg, 'hessian'), arg, 'hessian');
  return vectorCalculus.hessian(f as AnyRankFun, arg as AnyRankFun);
}
