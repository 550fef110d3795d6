/** The tensor operations as functions, for those who prefer `dot(a, b)` to `a.dot(b)`. */
import type { Add } from '../typelevel/index.js';
import { TypegradError } from '../ad/errors.js';
import { MFun } from './matrix.js';
import { describeValue } from './record.js';
import type { SFun } from './scalar.js';
import type { InnerMismatch, MatrixShape, ProductMismatch, SameDimension, VectorMismatch, VectorShape } from './shape-types.js';
import { VFun } from './vector.js';
import { applyFuns, applyTo, outerProduct, type AnyFun } from './wrap.js';

function tensor(value: unknown, operation: string): VFun<number, string> | MFun<number, number, string> {
  if (value instanceof VFun || value instanceof MFun) return value;
  throw new TypegradError(`${operation}: expected a vector or matrix Fun, got ${describeValue(value)}`);
}

/** The inner product of two vectors of one length (`M` is inferred from `b` alone and checked against `N`). */
export function dot<N extends number, M extends number, V extends string = never, W extends string = never>(
  a: VFun<N, V>,
  b: VFun<M, W> & SameDimension<N, M, VectorMismatch<'take the dot product of', N, M>>,
): SFun<V | W> {
  return applyFuns('matmul', [tensor(a, 'dot'), tensor(b, 'dot')]) as SFun<V | W>;
}

/**
 * The matrix product: [R, K]·[K, C] → [R, C], [R, K]·[K] → [R], [K]·[K, C] → [C]. The inner
 * dimension of `b` (`K2`) is inferred from `b` alone and checked against `a`'s, so that a
 * mismatch names both shapes and a dimension known only at run time mixes with a literal.
 */
export function matmul<R extends number, K extends number, K2 extends number, C extends number, V extends string = never, W extends string = never>(
  a: MFun<R, K, V>,
  b: MFun<K2, C, W> & SameDimension<K, K2, InnerMismatch<MatrixShape<R, K>, MatrixShape<K2, C>, K, K2>>,
): MFun<R, C, V | W>;
export function matmul<R extends number, K extends number, K2 extends number, V extends string = never, W extends string = never>(
  a: MFun<R, K, V>,
  b: VFun<K2, W> & SameDimension<K, K2, InnerMismatch<MatrixShape<R, K>, VectorShape<K2>, K, K2>>,
): VFun<R, V | W>;
export function matmul<K extends number, K2 extends number, C extends number, V extends string = never, W extends string = never>(
  a: VFun<K, V>,
  b: MFun<K2, C, W> & SameDimension<K, K2, InnerMismatch<VectorShape<K>, MatrixShape<K2, C>, K, K2>>,
): VFun<C, V | W>;
/**
 * Matches no call: when every overload above fails, TypeScript reports only the last one's error,
 * so this one exists to make that error name both shapes (`ProductMismatch`).
 */
export function matmul<A extends AnyFun, B extends AnyFun>(a: A, b: B & ProductMismatch<A, B>): never;
export function matmul(a: unknown, b: unknown): AnyFun {
  return applyFuns('matmul', [tensor(a, 'matmul'), tensor(b, 'matmul')]);
}

/** The outer product of two vectors. */
export function outer<N extends number, M extends number, V extends string, W extends string>(a: VFun<N, V>, b: VFun<M, W>): MFun<N, M, V | W> {
  const [u, v] = [tensor(a, 'outer'), tensor(b, 'outer')];
  if (!(u instanceof VFun) || !(v instanceof VFun)) throw new TypegradError(`outer: expected two vector Funs, got ${describeValue(a)} and ${describeValue(b)}`);
  return outerProduct(u, v) as MFun<N, M, V | W>;
}

/** The transpose of a matrix. */
export function transpose<R extends number, C extends number, V extends string>(m: MFun<R, C, V>): MFun<C, R, V> {
  return applyTo('transpose', tensor(m, 'transpose')) as MFun<C, R, V>;
}

/** The sum of all elements. */
export function sum<V extends string>(t: VFun<number, V> | MFun<number, number, V>): SFun<V> {
  return applyTo('sum', tensor(t, 'sum')) as SFun<V>;
}

/** The mean of all elements. */
export function mean<V extends string>(t: VFun<number, V> | MFun<number, number, V>): SFun<V> {
  const f = tensor(t, 'mean');
  return applyFuns('div', [applyTo('sum', f), f.node.shape.reduce((p, n) => p * n, 1)]) as SFun<V>;
}

/** The Euclidean (Frobenius for a matrix) norm. */
export function norm<V extends string>(t: VFun<number, V> | MFun<number, number, V>): SFun<V> {
  const f = tensor(t, 'norm');
  return applyFuns('sqrt', [applyTo('sum', applyFuns('mul', [f, f]))]) as SFun<V>;
}

/** The softmax of a vector, or of each row of a matrix. */
export function softmax<N extends number, V extends string>(t: VFun<N, V>): VFun<N, V>;
export function softmax<R extends number, C extends number, V extends string>(t: MFun<R, C, V>): MFun<R, C, V>;
export function softmax(t: unknown): AnyFun {
  return applyTo('softmax', tensor(t, 'softmax'));
}

/** ln Σ exp over all elements, computed without overflow. */
export function logsumexp<V extends string>(t: VFun<number, V> | MFun<number, number, V>): SFun<V> {
  return applyTo('logsumexp', tensor(t, 'logsumexp')) as SFun<V>;
}

/** Two vectors joined: `VFun<A>` and `VFun<B>` give `VFun<Add<A, B>>`. */
export function concat<A extends number, B extends number, V extends string, W extends string>(a: VFun<A, V>, b: VFun<B, W>): VFun<Add<A, B>, V | W> {
  return applyFuns('concat', [tensor(a, 'concat'), tensor(b, 'concat')], [0]) as VFun<Add<A, B>, V | W>;
}
