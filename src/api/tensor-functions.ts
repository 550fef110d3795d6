/**
 * The tensor operations as functions, for those who prefer `sum(t, 1)` to `t.sum(1)`: each takes
 * a Fun of any rank (numbers as scalars) and gives the Fun of its result's rank (`FunOf`), so a
 * reduction of a `TFun<[2, 3, 4]>` to two axes is an `MFun<2, 3>` and an `MFun` is accepted
 * wherever a rank-2 tensor is. Shapes are checked at compile time where the dimensions are
 * literals, and when the expression is built otherwise, in the same words.
 */
import type { Add, EinsumShape, NormalizeAxis, Sub } from '../typelevel/index.js';
import { TypegradError } from '../ad/errors.js';
import { einsumOf } from './einsum.js';
import { Fun } from './fun.js';
import type { MFun } from './matrix.js';
import { describeValue } from './record.js';
import type { SFun } from './scalar.js';
import type {
  AxesCheck, AxisCheck, BroadcastToCheck, DepthCheck, DescribeShape, EinsumCheck, GatheredShape, InnerMismatch, JoinedShape, JoinListCheck, MatmulCheck,
  MatrixShape, PaddingCheck, PermutationCheck, PermutedShape, ProductShape, ReductionShape, ReshapedShape, ReshapeToCheck, SameDimension, ShapeLiteralCheck,
  SliceRangeCheck, StackAxisCheck, StackCheck, StackedShape, VectorMismatch, VectorShape, WithDimensionAt,
} from './shape-types.js';
import type { Axes, FunOf, OperandVars, IndexOperand, IndexShape, Operand, ShapeOf } from './tensor.js';
import {
  broadcastToShape, concatAlong, euclideanNorm, gatherAlong, logSoftmaxAlong, matrixProduct, oneHotOf, padAlong, reduce, reshape as reshapeFun, sliceAlong,
  softmaxAlong, stackAlong, transposeBy, type ReduceOptions,
} from './tensor-operations.js';
import type { VFun } from './vector.js';
import { outerProduct, type AnyFun } from './wrap.js';

/** The shapes of a tuple of operands. */
type ShapesOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: ShapeOf<T[K]> };

/** The variables of a tuple of operands. */
type VarsOfAll<T extends readonly unknown[]> = OperandVars<T[number]>;

/** The inner product of two vectors of one length (`M` is inferred from `b` alone and checked against `N`). @example dot(w, Vec(1, 2, 3)) */
export function dot<N extends number, M extends number, V extends string = never, W extends string = never>(
  a: VFun<N, V>,
  b: VFun<M, W> & SameDimension<N, M, VectorMismatch<'take the dot product of', N, M>>,
): SFun<V | W> {
  return matrixProduct(vectorOf(a, 'dot'), vectorOf(b, 'dot')) as SFun<V | W>;
}

/**
 * The matrix product, numpy's `matmul`: [R, K]·[K, C] → [R, C], [R, K]·[K] → [R], [K]·[K, C] → [C],
 * and for higher ranks the last two axes multiply while the leading (batch) axes broadcast:
 * [8, R, K]·[K, C] → [8, R, C]. The inner dimension of `b` is inferred from `b` alone and checked
 * against `a`'s, so that a mismatch names both shapes and a dimension known only at run time
 * mixes with a literal. Two vectors are refused (use `dot`), as is a scalar (use `mul`).
 * @example matmul(TVar('A', [8, 2, 3]), MVar('B', 3, 5)) // TFun<[8, 2, 5]>
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
 * Any ranks (batched). As the last overload its error is the one TypeScript reports when none
 * matches, so its check names both shapes for the cases above too.
 */
export function matmul<A extends AnyFun, B extends AnyFun>(
  a: A,
  b: B & MatmulCheck<ShapeOf<A>, ShapeOf<B>, 'reject'>,
): FunOf<ProductShape<ShapeOf<A>, ShapeOf<B>>, OperandVars<A> | OperandVars<B>>;
export function matmul(a: unknown, b: unknown): AnyFun {
  return matrixProduct(a, b);
}

/** The outer product of two vectors. @example outer(Vec(1, 2), Vec(3, 4, 5)) // MFun<2, 3> */
export function outer<N extends number, M extends number, V extends string, W extends string>(a: VFun<N, V>, b: VFun<M, W>): MFun<N, M, V | W> {
  return outerProduct(vectorOf(a, 'outer'), vectorOf(b, 'outer')) as MFun<N, M, V | W>;
}

/** A vector Fun argument, or a TypegradError naming the operation. */
function vectorOf(value: unknown, operation: string): Fun<string> {
  if (value instanceof Fun && value.node.shape.length === 1) return value;
  throw new TypegradError(`${operation}: expected a vector Fun, got ${value instanceof Fun ? `a Fun of rank ${value.node.shape.length}` : describeValue(value)}`);
}

/** A tensor that a transpose or softmax needs axes of: at least one (softmax) or two (transpose). */
type RankCheck<S extends readonly number[], Least extends 1 | 2, Operation extends string, Hint extends string = ''> =
  number extends S['length']
    ? unknown
    : S extends readonly [] | (Least extends 2 ? readonly [number] : never)
      ? `shape mismatch: ${Operation} needs ${Least extends 2 ? 'two axes' : 'an axis'}, got ${DescribeShape<S>}${Hint}`
      : unknown;

/**
 * The axes permuted: axis i of the result is axis `permutation[i]` of `t` (negative ones count
 * from the end); with none, reversed (a matrix's transpose). A vector has no axes to swap (its
 * transpose would be itself; reshape it to [n, 1] for a column).
 * @example transpose(TVar('x', [2, 3, 4]), [0, 2, 1]) // TFun<[2, 4, 3]>
 */
export function transpose<R extends number, C extends number, V extends string>(m: MFun<R, C, V>): MFun<C, R, V>;
/** Any rank from 2, with a permutation. */
export function transpose<T extends AnyFun, const P extends readonly number[] | undefined = undefined>(
  t: T & RankCheck<ShapeOf<T>, 2, 'transpose', ShapeOf<T> extends readonly [infer N extends number] ? ` (reshape it to [${N}, 1] for a column)` : ''>,
  permutation?: P & PermutationCheck<ShapeOf<T>, P>,
): FunOf<PermutedShape<ShapeOf<T>, P>, OperandVars<T>>;
export function transpose(t: unknown, permutation?: unknown): AnyFun {
  return transposeBy(t, permutation);
}

/** The result of a reduction of `T` over `A` (with `K`: axes kept as size 1). */
type Reduction<T, A, K extends boolean> = FunOf<ReductionShape<ShapeOf<T>, A, K>, OperandVars<T>>;

/**
 * The sum over axes: one, a list, or all of them (none given); negative axes count from the end.
 * `{ keepDims: true }` keeps the reduced axes as size-1 axes.
 * @example sum(TVar('x', [2, 3, 4]), [0, 2]) // VFun<3>
 */
export function sum<T extends Operand, const A extends Axes = undefined, K extends boolean = false>(t: T, axes?: A & AxesCheck<ShapeOf<T>, A>, options?: ReduceOptions<K>): Reduction<T, A, K> {
  return reduce('sum', t, axes, options) as Reduction<T, A, K>;
}

/** The mean over axes, as `sum`. @example mean(images, [1, 2, 3]) // one mean per image */
export function mean<T extends Operand, const A extends Axes = undefined, K extends boolean = false>(t: T, axes?: A & AxesCheck<ShapeOf<T>, A>, options?: ReduceOptions<K>): Reduction<T, A, K> {
  return reduce('mean', t, axes, options) as Reduction<T, A, K>;
}

/** The maximum over axes, as `sum`; at ties the derivative is shared equally among the maxima. @example max(logits, -1) */
export function max<T extends Operand, const A extends Axes = undefined, K extends boolean = false>(t: T, axes?: A & AxesCheck<ShapeOf<T>, A>, options?: ReduceOptions<K>): Reduction<T, A, K> {
  return reduce('max', t, axes, options) as Reduction<T, A, K>;
}

/** The minimum over axes, as `sum`. @example min(t, 0, { keepDims: true }) */
export function min<T extends Operand, const A extends Axes = undefined, K extends boolean = false>(t: T, axes?: A & AxesCheck<ShapeOf<T>, A>, options?: ReduceOptions<K>): Reduction<T, A, K> {
  return reduce('min', t, axes, options) as Reduction<T, A, K>;
}

/** ln Σ exp over axes, as `sum`, computed without overflow. @example logsumexp(logits, -1) */
export function logsumexp<T extends Operand, const A extends Axes = undefined, K extends boolean = false>(t: T, axes?: A & AxesCheck<ShapeOf<T>, A>, options?: ReduceOptions<K>): Reduction<T, A, K> {
  return reduce('logsumexp', t, axes, options) as Reduction<T, A, K>;
}

/** The Euclidean norm of all elements (Frobenius for a matrix). @example norm(TVar('x', [2, 3, 4])) */
export function norm<T extends Operand>(t: T): SFun<OperandVars<T>> {
  return euclideanNorm(t) as SFun<OperandVars<T>>;
}

/**
 * exp(x) / Σ exp(x) along an axis (the last by default: a vector's elements, a matrix's rows),
 * without overflow. @example softmax(logits) // each row sums to 1
 */
export function softmax<T extends AnyFun, const A extends number = -1>(t: T & RankCheck<ShapeOf<T>, 1, 'softmax'>, axis?: A & AxisCheck<ShapeOf<T>, A>): FunOf<ShapeOf<T>, OperandVars<T>> {
  return softmaxAlong(t, axis) as FunOf<ShapeOf<T>, OperandVars<T>>;
}

/** ln softmax along an axis (the last by default): x − logsumexp(x), without overflow. @example logSoftmax(logits, -1) */
export function logSoftmax<T extends AnyFun, const A extends number = -1>(t: T & RankCheck<ShapeOf<T>, 1, 'logSoftmax'>, axis?: A & AxisCheck<ShapeOf<T>, A>): FunOf<ShapeOf<T>, OperandVars<T>> {
  return logSoftmaxAlong(t, axis) as FunOf<ShapeOf<T>, OperandVars<T>>;
}

/**
 * The same elements, row-major, in another shape with as many; one dimension may be −1 (the
 * count left over). @example reshape(TVar('x', [64, 28, 28, 1]), [64, -1]) // MFun<64, 784>
 */
export function reshape<T extends Operand, const S extends readonly number[]>(t: T, shape: S & ReshapeToCheck<ShapeOf<T>, S>): FunOf<ReshapedShape<ShapeOf<T>, S>, OperandVars<T>> {
  return reshapeFun(t, shape) as FunOf<ReshapedShape<ShapeOf<T>, S>, OperandVars<T>>;
}

/** Indices start ≤ i < end along an axis (a non-empty range within it). @example slice(images, 1, 2, 26) */
export function slice<T extends AnyFun, const A extends number, const Start extends number, const End extends number>(
  t: T,
  axis: A & AxisCheck<ShapeOf<T>, A>,
  start: Start,
  end: End & SliceRangeCheck<ShapeOf<T>, A, Start, End>,
): FunOf<WithDimensionAt<ShapeOf<T>, A, Sub<End, Start>>, OperandVars<T>> {
  return sliceAlong(t, axis, start, end) as FunOf<WithDimensionAt<ShapeOf<T>, A, Sub<End, Start>>, OperandVars<T>>;
}

/** `before` zeros, then `t`, then `after` zeros along an axis. @example pad(images, 1, 2, 2) // 28 → 32 rows */
export function pad<T extends AnyFun, const A extends number, const Before extends number, const After extends number>(
  t: T,
  axis: A & AxisCheck<ShapeOf<T>, A>,
  before: Before & PaddingCheck<Before>,
  after: After & PaddingCheck<After>,
): FunOf<WithDimensionAt<ShapeOf<T>, A, Add<Add<DimensionAt<ShapeOf<T>, A>, Before>, After>>, OperandVars<T>> {
  return padAlong(t, axis, before, after) as FunOf<WithDimensionAt<ShapeOf<T>, A, Add<Add<DimensionAt<ShapeOf<T>, A>, Before>, After>>, OperandVars<T>>;
}

/** The dimension along a caller's axis. */
type DimensionAt<S extends readonly number[], A extends number> = S[NormalizeAxis<A, S['length']> & keyof S] & number;

/**
 * Tensors of one rank joined along an axis (0 by default); their other axes must agree.
 * `concat(a, b)` of two vectors is the vector of both.
 * @example concat([TVar('a', [2, 3, 4]), TVar('b', [2, 5, 4])], 1) // TFun<[2, 8, 4]>
 */
export function concat<A extends number, B extends number, V extends string, W extends string>(a: VFun<A, V>, b: VFun<B, W>): VFun<Add<A, B>, V | W>;
/** A list of tensors of any rank, joined along `axis`. */
export function concat<const T extends readonly [AnyFun, ...AnyFun[]], const A extends number = 0>(
  funs: T & JoinListCheck<ShapesOf<T>, A>,
  axis?: A & AxisCheck<ShapeOf<T[0]>, A>,
): FunOf<JoinedShape<ShapesOf<T>, A>, VarsOfAll<T>>;
export function concat(first: unknown, second?: unknown): AnyFun {
  return first instanceof Fun ? concatAlong([first, second]) : concatAlong(first, second);
}

/**
 * Tensors of one shape stacked along a new axis (0 by default; −1 makes it the last).
 * @example stack([x, y, z], -1) // three vectors [n] → a matrix [n, 3]
 */
export function stack<const T extends readonly [AnyFun, ...AnyFun[]], const A extends number = 0>(
  funs: T & StackCheck<ShapesOf<T>>,
  axis?: A & StackAxisCheck<ShapeOf<T[0]>, A>,
): FunOf<StackedShape<ShapeOf<T[0]>, T['length'], A>, VarsOfAll<T>> {
  return stackAlong(funs, axis) as FunOf<StackedShape<ShapeOf<T[0]>, T['length'], A>, VarsOfAll<T>>;
}

/**
 * `t` repeated to a larger shape by the numpy rule (aligned at the last axis; its size-1 and
 * missing leading axes repeat). @example broadcastTo(VVar('b', 4), [8, 3, 4]) // TFun<[8, 3, 4]>
 */
export function broadcastTo<T extends Operand, const S extends readonly number[]>(t: T, shape: S & BroadcastToCheck<ShapeOf<T>, S>): FunOf<S, OperandVars<T>> {
  return broadcastToShape(t, shape) as FunOf<S, OperandVars<T>>;
}

/**
 * The slices of `t` at the given positions along an axis (0 by default), as `tf.gather`: `t` of
 * shape [...before, n, ...after] and indices of shape I give [...before, ...I, ...after]. Indices
 * are a Fun or nested arrays holding integers in [0, n) (checked when evaluated); the result is
 * not differentiable in them.
 * @example gather(embeddings, [4, 1, 4]) // rows 4, 1 and 4 of a [vocabulary, width] matrix
 */
export function gather<T extends AnyFun, const I extends IndexOperand, const A extends number = 0>(
  t: T,
  indices: I,
  axis?: A & AxisCheck<ShapeOf<T>, A>,
): FunOf<GatheredShape<ShapeOf<T>, IndexShape<I>, A>, OperandVars<T> | OperandVars<I>> {
  return gatherAlong(t, indices, axis) as FunOf<GatheredShape<ShapeOf<T>, IndexShape<I>, A>, OperandVars<T> | OperandVars<I>>;
}

/**
 * One-hot rows for class labels: indices of shape I give [...I, depth], 1 where the last axis
 * equals the index and 0 elsewhere (a value that is no integer in [0, depth) gives a row of zeros).
 * @example oneHot([2, 0, 1], 3) // MFun<3, 3>: [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
 */
export function oneHot<const I extends IndexOperand, const D extends number>(indices: I, depth: D & DepthCheck<D>): FunOf<[...IndexShape<I>, D], OperandVars<I>> {
  return oneHotOf(indices, depth) as FunOf<[...IndexShape<I>, D], OperandVars<I>>;
}

/**
 * A general contraction written as an equation: each operand's subscripts name its axes, a
 * letter names one dimension throughout, and the letters after `->` are kept in that order (the
 * others are summed over). `einsum('bij,bjk->bik', A, B)` is a batched product,
 * `einsum('ij->ji', M)` a transpose, `einsum('bi,bi->b', u, v)` row-wise dot products. Without
 * `->` the output is each letter that appears once, in ASCII order. It is built from transposes,
 * reshapes, batched products and sums. Letters a–z and A–Z only: no letter twice in one operand
 * (traces, diagonals) and no ellipsis, each a TypegradError (and a compile error for a literal equation).
 * @example einsum('bhqd,bhkd->bhqk', queries, keys) // attention scores
 */
export function einsum<const E extends string, const T extends readonly AnyFun[]>(
  equation: E & EinsumCheck<E, ShapesOf<T>>,
  ...operands: T
): FunOf<EinsumResult<E, ShapesOf<T>>, VarsOfAll<T>> {
  return einsumOf(equation, operands) as FunOf<EinsumResult<E, ShapesOf<T>>, VarsOfAll<T>>;
}

/** The shape of an einsum (`never` when it has none). */
type EinsumResult<E extends string, Shapes extends readonly (readonly number[])[]> = EinsumShape<E, Shapes> extends infer S extends readonly number[] ? S : never;
