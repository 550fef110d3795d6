/** Differentiation: forward `d` and reverse-mode `grad`, for scalar, vector and matrix Funs. */
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import { Fun, variableOf } from './fun.js';
import { gradientOf } from './gradient.js';
import type { MFun } from './matrix.js';
import { describeValue } from './record.js';
import type { SFun } from './scalar.js';
import type { FunOf, ShapeOf, TFun } from './tensor.js';
import type { VFun } from './vector.js';
import { wrap } from './wrap.js';
import { gradTraced } from './transform/transforms.js';
import type { AuxOptions, GradientOf, TransformOptions, Traced, Wrt } from './transform/types.js';

/**
 * The derivative of `f` by each scalar variable in turn (forward symbolic differentiation):
 * `d(f, x)` is ∂f/∂x, `d(f, x, x)` is ∂²f/∂x², `d(f, x, y)` is ∂/∂y (∂f/∂x). A Fun of any
 * rank is differentiated elementwise and keeps its shape. The result keeps the variables of `f`.
 * @example d(x.mul(x), x).eval({ x: 3 }) // 6
 */
export function d<V extends string>(f: SFun<V>, ...variables: readonly [SFun<string>, ...SFun<string>[]]): SFun<V>;
export function d<N extends number, V extends string>(f: VFun<N, V>, ...variables: readonly [SFun<string>, ...SFun<string>[]]): VFun<N, V>;
export function d<R extends number, C extends number, V extends string>(f: MFun<R, C, V>, ...variables: readonly [SFun<string>, ...SFun<string>[]]): MFun<R, C, V>;
export function d<S extends readonly number[], V extends string>(f: TFun<S, V>, ...variables: readonly [SFun<string>, ...SFun<string>[]]): TFun<S, V>;
export function d(f: Fun<string>, ...variables: readonly SFun<string>[]): Fun<string> {
  if (!(f instanceof Fun)) throw new TypegradError(`d: expected a Fun to differentiate, got ${describeValue(f)}`);
  if (variables.length === 0) throw new TypegradError('d: name at least one variable to differentiate by');
  let node = f.node;
  for (const x of variables) node = forwardDerivative(node, variableOf(x, 'd'));
  return wrap(node, [f]);
}

/** The gradient as a record: one partial derivative per variable name. */
export type Gradient<K extends string, V extends string> = { readonly [P in K]: SFun<V> };

/** A Fun of the shape of `T` with the variables `V`: the type of a gradient by the variable `T`. */
export type ShapedLike<T, V extends string> = FunOf<ShapeOf<T>, V>;

/** A variable of any rank among the variables `V`. */
export type AnyVariable<V extends string> = SFun<V> | VFun<number, V> | MFun<number, number, V> | TFun<readonly number[], V>;

/** A pytree of variables: a variable, or arrays and plain objects of them, nested. */
export type VariableTree<V extends string> = AnyVariable<V> | readonly VariableTree<V>[] | { readonly [key: string]: VariableTree<V> };

/** The gradient by a pytree of variables: the same structure, each variable replaced by the partial of its shape. */
export type GradientTree<T, V extends string> = T extends Fun<string> ? ShapedLike<T, V> : { -readonly [K in keyof T]: GradientTree<T[K], V> };

/**
 * The gradient of the scalar `f`, built in ONE reverse (adjoint) pass over the DAG: its cost is
 * proportional to the size of `f`, whatever the number of variables, and the gradient by a
 * vector or matrix variable is one Fun of that variable's shape (`grad(loss, W)` for
 * `W = MVar('W', 784, 128)` is an `MFun<784, 128>`).
 * - `grad(f)`: keyed by variable name; `grad(f, [x, y])`: only those (scalar) variables.
 * - `grad(f, W)`: the gradient by one variable, of its shape.
 * - `grad(f, { W1, b1 })`: an object with the same keys, each of its variable's shape.
 * - `grad(f, { layer1: { W, b }, layer2: [W2, b2] })`: a pytree of variables (objects and
 *   arrays, nested, an object at the top); the gradient has the same structure, in one pass.
 * - `grad(traced, { wrt? })` (a traced function, or a plain function, traced first): a traced
 *   function over the same inputs giving ∂f/∂(first input), or by `wrt`: one input (index or
 *   name) gives one derivative, so `grad(grad(f))` is the second derivative; a list gives a tuple.
 *   With `{ hasAux: true }` the function returns `[loss, aux]` and the gradient comes back as
 *   `[gradient, aux]` (JAX's has_aux).
 * @example
 * grad(x.mul(y)) // { x: y, y: x }
 * const df = grad(trace((x, y) => x.mul(x).mul(y))); // ∂/∂x: 2xy
 * df(1, 3); grad(df)(1, 3); // 6, 6
 */
export function grad<A extends readonly unknown[], R extends readonly [SFun<string> | number, unknown], const W extends Wrt = 0>(
  f: Traced<A, R>,
  options: AuxOptions<W>,
): Traced<A, [GradientOf<A, W>, R[1]]>;
export function grad<const A extends readonly SFun<string>[], R extends readonly [SFun<string> | number, unknown], const W extends Wrt = 0>(
  f: (...args: A) => R,
  options: AuxOptions<W>,
): Traced<A, [GradientOf<A, W>, R[1]]>;
export function grad<A extends readonly unknown[], R extends SFun<string> | number, const W extends Wrt = 0>(
  f: Traced<A, R>,
  options?: TransformOptions<W>,
): Traced<A, GradientOf<A, W>>;
export function grad<const A extends readonly SFun<string>[], const W extends Wrt = 0>(
  f: (...args: A) => SFun<string>,
  options?: TransformOptions<W>,
): Traced<A, GradientOf<A, W>>;
export function grad<V extends string, const T extends { readonly [key: string]: VariableTree<V> }>(
  f: SFun<V>,
  variables: T & (T extends { readonly [key: string]: AnyVariable<V> } ? never : unknown),
): GradientTree<T, V>;
export function grad<V extends string>(f: SFun<V>): Gradient<V, V>;
export function grad<V extends string, W extends V>(f: SFun<V>, variables: readonly SFun<W>[]): Gradient<W, V>;
export function grad<V extends string, T extends AnyVariable<V>>(f: SFun<V>, variable: T): ShapedLike<T, V>;
export function grad<V extends string, const O extends { readonly [key: string]: AnyVariable<V> }>(
  f: SFun<V>,
  variables: O,
): { readonly [K in keyof O]: ShapedLike<O[K], V> };
export function grad(f: unknown, variables?: unknown): unknown {
  if (typeof f === 'function') return gradTraced(f, variables);
  return gradientOf(f, variables);
}
