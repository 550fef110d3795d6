/**
 * `TFun<S, V>`: a tensor of any rank whose shape is the tuple `S` (dimensions as number
 * literals, or `number` when known only at run time) and whose free variables are `V`. Scalars,
 * vectors and matrices have their own classes (`SFun`, `VFun`, `MFun`); a result of rank 3 or
 * more is a TFun, and an operation's result is the class of its rank (`FunOf`), so reducing a
 * `TFun<[2, 3, 4]>` over two axes gives a `VFun<2>`. Built with `TVar` and `Tensor`; evaluates to
 * nested arrays.
 */
import { toPrimitive } from './coercion.js';
import type { VarSet } from './declared.js';
import type { Add, ElementCount, Mutable, NormalizeAxis, Shape, Sub } from '../typelevel/index.js';
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import type { Node } from '../ad/node.js';
import { evaluateFun, Fun, substituteBindings } from './fun.js';
import type { MFun } from './matrix.js';
import type { EvalArgs, OnlyKeysOf, SFun, Substitution, SubstitutedVars } from './scalar.js';
import type { FlattenedShape } from './window-types.js';
import type {
  AxesCheck, AxisCheck, BroadcastCheck, DescribeShape, NumberCheck, BroadcastShape, BroadcastToCheck, GatheredShape, JoinCheck, JoinedShape, MatmulCheck, PaddingCheck, PermutationCheck,
  PermutedShape, ProductShape, ReductionShape, ReshapedShape, ReshapeToCheck, ShapeLiteralCheck, SliceRangeCheck, WithDimensionAt,
} from './shape-types.js';
import type { VFun } from './vector.js';
import { variableNodeOf } from './scalar.js';
import {
  broadcastToShape, concatAlong, constantFrom, constantFromFlat, elementwise, euclideanNorm, flattenFrom, gatherAlong, logSoftmaxAlong, matrixProduct, negate, padAlong,
  reduce, reshape, sliceAlong, softmaxAlong, tensorVariable, transposeBy, type ReduceOptions,
} from './tensor-operations.js';
import { fromFlat, type Nested, type NestedArray } from './values.js';
import { registerFunClass, type AnyFun } from './wrap.js';

declare const shapeOf: unique symbol;
declare const tensorRank: unique symbol;

/**
 * A Fun whose rank is known only at run time (its shape type is `number[]`): one of the four
 * classes. Narrow it with `instanceof`, or pass it to the free functions, which take any rank;
 * `reshape` gives it a known rank again.
 * @example const t: UnknownRankFun<'x'> = TVar('x', shapeFromData);
 */
export type UnknownRankFun<V extends string> = (SFun<V> | VFun<number, V> | MFun<number, number, V> | TFun<number[], V>) & AnyRankMembers<V>;

/**
 * What the four classes share with one signature, so that it can be called on a Fun of unknown
 * rank (a union of classes whose `eval` differ cannot be called).
 * @example TVar('x', shapeFromData).eval({ x: data }) // number | NestedArray
 */
// Only `eval`: a generic member here (`at`) would stop TypeScript measuring TFun as covariant in
// its shape, and every `TFun<[2, 3, 4]>` passed where a `TFun` is expected would be compared
// method by method instead.
export interface AnyRankMembers<V extends string> {
  /** The value at a point: a number, or nested arrays (one level per axis). */
  eval(...args: EvalArgs<V>): number | NestedArray;
}

/**
 * The shape tuple of a Fun type (or of a number: `[]`): `[]` for an SFun, `[N]` for a VFun,
 * `[R, C]` for an MFun, `S` for a TFun; `number[]` for a rank known only at run time.
 * @example ShapeOf<MFun<2, 3, 'W'>> // [2, 3]
 */
// Not distributive: a union of Funs (a rank known only at run time) is `number[]`. TFun and SFun
// are tested first because a rank brand rejects any other class at once.
export type ShapeOf<T> =
  [T] extends [number]
    ? []
    : [T] extends [TFun<infer S, string>]
      ? S
      : [T] extends [SFun<string>]
        ? []
        : [T] extends [MFun<infer R, infer C, string>]
          ? [R, C]
          : [T] extends [VFun<infer N, string>]
            ? [N]
            : number[];

/**
 * The Fun class for a shape, as the runtime makes it: SFun for `[]`, VFun for `[N]`, MFun for
 * `[R, C]`, TFun from rank 3, and `UnknownRankFun` for a shape whose rank is not known.
 * @example FunOf<[64, 10], 'x'> // MFun<64, 10, 'x'>
 */
export type FunOf<S extends Shape, V extends string> = number extends S['length']
  ? UnknownRankFun<V>
  : S extends readonly []
    ? SFun<V>
    : S extends readonly [infer N extends number]
      ? VFun<N, V>
      : S extends readonly [infer R extends number, infer C extends number]
        ? MFun<R, C, V>
        : TFun<Mutable<S>, V>;

/**
 * The free variables of an operand: `V` for a Fun of `V`, nothing for a number.
 * @example OperandVars<MFun<2, 3, 'W'> | number> // 'W'
 */
// `Fun<never>` is tested first: its phantom member is only `undefined`, from which TypeScript 5.9
// cannot infer `W` and falls back to `string`.
export type OperandVars<T> = T extends number ? never : T extends Fun<never> ? never : T extends Fun<infer W> ? W : never;

/** An operand of an elementwise operation: a number or a Fun of any rank. @example const scale: Operand = 2; */
export type Operand = number | AnyFun;

/** Reduction axes as a caller gives them: one axis, a list, or `undefined` for every axis. @example x.sum([1, -1] satisfies Axes) */
export type Axes = number | readonly number[] | undefined;

/** The result of an elementwise operation of a Fun of shape `S` and variables `V` with `O`. */
type Elementwise<S extends Shape, V extends string, O> = FunOf<BroadcastShape<S, ShapeOf<O>>, V | OperandVars<O>>;

/**
 * A tensor function of rank 3 or more.
 * @example
 * const x = TVar('x', [2, 3, 4]);            // TFun<[2, 3, 4], 'x'>
 * x.sum([1, 2]).eval({ x: new Float64Array(24).fill(1) }) // [12, 12]
 */
export class TFun<S extends Shape = Shape, V extends string = string> extends Fun<V> {
  /** Type-level only: the shape. */
  declare readonly [shapeOf]?: S;
  /**
   * Type-level only: a brand, so that an SFun, VFun or MFun fails to match a TFun at once instead
   * of after comparing every method (as SFun's rank brand).
   */
  declare readonly [tensorRank]: 'rank 3 or more';

  /** @internal Use `TVar` and the operations instead. */
  constructor(node: Node, sources: readonly Fun<string>[], declared?: VarSet | ReadonlySet<string>) {
    if (node.shape.length < 3) throw new TypegradError('internal: a tensor Fun has rank 3 or more (SFun, VFun and MFun are ranks 0 to 2)');
    super(node, sources, declared);
  }
  /**
   * What JavaScript gets when it converts this Fun: the printed expression for a string
   * (`String(f)`, template literals); for a number (`<`, `Number(f)`, `+ ''`) its value at the
   * point a traced function is being called at, else a TypegradError pointing to `where`.
   */
  [Symbol.toPrimitive](hint: string): string | number {
    return toPrimitive(this, hint);
  }


  /** The dimensions. */
  get shape(): S {
    return this.node.shape as unknown as S;
  }

  /** The number of axes. */
  get rank(): S['length'] {
    return this.node.shape.length;
  }

  /**
   * this + other, elementwise with numpy broadcasting (aligned at the last axis; size-1 and
   * missing leading axes repeat). @example TVar('x', [8, 3, 4]).add(VVar('b', 4)) // TFun<[8, 3, 4]>
   */
  add<O extends Operand>(other: O & BroadcastCheck<'add', S, ShapeOf<O>>): Elementwise<S, V, O> {
    return elementwise('add', this, other) as Elementwise<S, V, O>;
  }
  /** this − other, elementwise with broadcasting. @example x.sub(1) */
  sub<O extends Operand>(other: O & BroadcastCheck<'subtract', S, ShapeOf<O>>): Elementwise<S, V, O> {
    return elementwise('sub', this, other) as Elementwise<S, V, O>;
  }
  /** this · other, elementwise with broadcasting (see `matmul` for the matrix product). @example x.mul(x) */
  mul<O extends Operand>(other: O & BroadcastCheck<'multiply', S, ShapeOf<O>>): Elementwise<S, V, O> {
    return elementwise('mul', this, other) as Elementwise<S, V, O>;
  }
  /** this / other, elementwise with broadcasting. @example x.div(255) */
  div<O extends Operand>(other: O & BroadcastCheck<'divide', S, ShapeOf<O>>): Elementwise<S, V, O> {
    return elementwise('div', this, other) as Elementwise<S, V, O>;
  }
  /** this ^ exponent, elementwise with broadcasting. @example x.pow(2) */
  pow<O extends Operand>(exponent: O & BroadcastCheck<'take powers of', S, ShapeOf<O>>): Elementwise<S, V, O> {
    return elementwise('pow', this, exponent) as Elementwise<S, V, O>;
  }
  /** −this @example x.neg() */
  neg(): TFun<S, V> {
    return negate(this) as unknown as TFun<S, V>;
  }

  /**
   * The batched matrix product (numpy's `matmul`): the last two axes multiply as matrices, the
   * leading (batch) axes broadcast; a vector operand is a column.
   * @example TVar('A', [8, 2, 3]).matmul(MVar('B', 3, 5)) // TFun<[8, 2, 5]>
   */
  matmul<O extends AnyFun>(other: O & MatmulCheck<S, ShapeOf<O>>): FunOf<ProductShape<S, ShapeOf<O>>, V | OperandVars<O>> {
    return matrixProduct(this, other) as FunOf<ProductShape<S, ShapeOf<O>>, V | OperandVars<O>>;
  }

  /**
   * The sum over axes: one, a list, or all (none given); negative axes count from the end.
   * `{ keepDims: true }` keeps them as size-1 axes.
   * @example TVar('x', [2, 3, 4]).sum(-1) // MFun<2, 3>
   */
  sum<const A extends Axes = undefined, K extends boolean = false>(axes?: A & AxesCheck<S, A>, options?: ReduceOptions<K>): FunOf<ReductionShape<S, A, K>, V> {
    return reduce('sum', this, axes, options) as FunOf<ReductionShape<S, A, K>, V>;
  }
  /** The mean over axes, as `sum`. @example x.mean([1, 2]) // VFun<2> */
  mean<const A extends Axes = undefined, K extends boolean = false>(axes?: A & AxesCheck<S, A>, options?: ReduceOptions<K>): FunOf<ReductionShape<S, A, K>, V> {
    return reduce('mean', this, axes, options) as FunOf<ReductionShape<S, A, K>, V>;
  }
  /** The maximum over axes, as `sum` (at ties its derivative is shared among the maxima). @example x.max(-1, { keepDims: true }) */
  max<const A extends Axes = undefined, K extends boolean = false>(axes?: A & AxesCheck<S, A>, options?: ReduceOptions<K>): FunOf<ReductionShape<S, A, K>, V> {
    return reduce('max', this, axes, options) as FunOf<ReductionShape<S, A, K>, V>;
  }
  /** The minimum over axes, as `sum`. @example x.min(0) */
  min<const A extends Axes = undefined, K extends boolean = false>(axes?: A & AxesCheck<S, A>, options?: ReduceOptions<K>): FunOf<ReductionShape<S, A, K>, V> {
    return reduce('min', this, axes, options) as FunOf<ReductionShape<S, A, K>, V>;
  }
  /** ln Σ exp over axes, as `sum`, computed without overflow. @example x.logsumexp(-1) */
  logsumexp<const A extends Axes = undefined, K extends boolean = false>(axes?: A & AxesCheck<S, A>, options?: ReduceOptions<K>): FunOf<ReductionShape<S, A, K>, V> {
    return reduce('logsumexp', this, axes, options) as FunOf<ReductionShape<S, A, K>, V>;
  }
  /** The Euclidean (Frobenius) norm √(Σ element²). @example x.norm() */
  norm(): SFun<V> {
    return euclideanNorm(this) as SFun<V>;
  }

  /** exp(x) / Σ exp(x) along an axis (the last by default), without overflow. @example x.softmax() */
  softmax<const A extends number = -1>(axis?: A & AxisCheck<S, A>): TFun<S, V> {
    return softmaxAlong(this, axis) as unknown as TFun<S, V>;
  }
  /** ln softmax along an axis (the last by default): x − logsumexp(x), without overflow. @example logits.logSoftmax() */
  logSoftmax<const A extends number = -1>(axis?: A & AxisCheck<S, A>): TFun<S, V> {
    return logSoftmaxAlong(this, axis) as unknown as TFun<S, V>;
  }

  /**
   * The axes permuted: axis i of the result is axis `permutation[i]` (negative ones count from
   * the end); with none, reversed. @example TVar('x', [2, 3, 4]).transpose([0, 2, 1]) // TFun<[2, 4, 3]>
   */
  transpose<const P extends readonly number[] | undefined = undefined>(permutation?: P & PermutationCheck<S, P>): FunOf<PermutedShape<S, P>, V> {
    return transposeBy(this, permutation) as FunOf<PermutedShape<S, P>, V>;
  }
  /** The axes reversed (numpy's `.T`). @example TVar('x', [2, 3, 4]).T // TFun<[4, 3, 2]> */
  get T(): FunOf<PermutedShape<S, undefined>, V> {
    return transposeBy(this) as FunOf<PermutedShape<S, undefined>, V>;
  }

  /**
   * The same elements, row-major, in another shape with as many; one dimension may be −1 (the
   * count left over). @example TVar('x', [64, 28, 28, 1]).reshape([64, -1]) // MFun<64, 784>
   */
  reshape<const T extends readonly number[]>(shape: T & ReshapeToCheck<S, T>): FunOf<ReshapedShape<S, T>, V> {
    return reshape(this, shape) as FunOf<ReshapedShape<S, T>, V>;
  }
  /**
   * The elements, row-major, as one vector; from `startAxis` on (0 by default), so that
   * `flatten(1)` keeps the batch axis (numpy's reshape to [N, -1], PyTorch's `flatten(x, 1)`).
   * @example
   * TVar('x', [2, 3, 4]).flatten()          // VFun<24>
   * TVar('x', [64, 4, 4, 16]).flatten(1)    // MFun<64, 256>
   */
  flatten<const A extends number = 0>(startAxis?: A & AxisCheck<S, A>): FunOf<FlattenedShape<S, A>, V> {
    return flattenFrom(this, startAxis ?? 0) as FunOf<FlattenedShape<S, A>, V>;
  }

  /**
   * Indices start ≤ i < end along an axis (a non-empty range within it).
   * @example TVar('x', [8, 28, 28]).slice(1, 2, 26) // TFun<[8, 24, 28]>
   */
  slice<const A extends number, const Start extends number, const End extends number>(
    axis: A & AxisCheck<S, A>,
    start: Start,
    end: End & SliceRangeCheck<S, A, Start, End>,
  ): FunOf<WithDimensionAt<S, A, Sub<End, Start>>, V> {
    return sliceAlong(this, axis, start, end) as FunOf<WithDimensionAt<S, A, Sub<End, Start>>, V>;
  }
  /** `before` zeros, then this, then `after` zeros along an axis. @example TVar('x', [8, 28, 28]).pad(1, 2, 2) // TFun<[8, 32, 28]> */
  pad<const A extends number, const Before extends number, const After extends number>(
    axis: A & AxisCheck<S, A>,
    before: Before & PaddingCheck<Before>,
    after: After & PaddingCheck<After>,
  ): FunOf<WithDimensionAt<S, A, Add<Add<DimensionOf<S, A>, Before>, After>>, V> {
    return padAlong(this, axis, before, after) as FunOf<WithDimensionAt<S, A, Add<Add<DimensionOf<S, A>, Before>, After>>, V>;
  }
  /**
   * This and another tensor of the same rank joined along an axis (0 by default); the other axes must agree.
   * @example TVar('a', [2, 3, 4]).concat(TVar('b', [2, 5, 4]), 1) // TFun<[2, 8, 4]>
   */
  concat<O extends AnyFun, const A extends number = 0>(
    other: O & JoinCheck<S, ShapeOf<O>, A>,
    axis?: A & AxisCheck<S, A>,
  ): FunOf<JoinedShape<[S, ShapeOf<O>], A>, V | OperandVars<O>> {
    return concatAlong([this, other], axis) as FunOf<JoinedShape<[S, ShapeOf<O>], A>, V | OperandVars<O>>;
  }
  /** This repeated to a larger shape by the numpy rule. @example TVar('x', [1, 3, 4]).broadcastTo([8, 3, 4]) */
  broadcastTo<const T extends readonly number[]>(shape: T & BroadcastToCheck<S, T> & ShapeLiteralCheck<T>): FunOf<Mutable<T>, V> {
    return broadcastToShape(this, shape) as FunOf<Mutable<T>, V>;
  }
  /**
   * The slices at the given positions along an axis (0 by default), as `tf.gather`: indices of
   * shape I replace that axis by I's axes. Indices are a Fun or nested arrays of integers.
   * @example TVar('x', [10, 4, 5]).gather([3, 1]) // TFun<[2, 4, 5]>
   */
  gather<const I extends IndexOperand, const A extends number = 0>(indices: I, axis?: A & AxisCheck<S, A>): FunOf<GatheredShape<S, IndexShape<I>, A>, V | OperandVars<I>> {
    return gatherAlong(this, indices, axis) as FunOf<GatheredShape<S, IndexShape<I>, A>, V | OperandVars<I>>;
  }

  /** The derivative by scalar variables in turn, elementwise: `t.d(x)` is ∂t/∂x. */
  d(...variables: readonly [SFun<string>, ...SFun<string>[]]): TFun<S, V> {
    let node = this.node;
    for (const x of variables) node = forwardDerivative(node, variableNodeOf(x, 'd'));
    return new TFun(node, [this]);
  }

  /** The value at a point, as nested arrays (one level per axis). */
  eval(...args: EvalArgs<V>): Nested<S> {
    return fromFlat(evaluateFun(this, args[0] ?? {}, 'eval'), this.node.shape) as Nested<S>;
  }

  /** Binds some variables to values or substitutes Funs for them. */
  at<const B extends Substitution<V>>(bindings: B & OnlyKeysOf<B, V>): TFun<S, Exclude<V, keyof B> | SubstitutedVars<B>> {
    const { node, remaining } = substituteBindings(this, bindings, 'at');
    return new TFun(node, [], remaining);
  }
}

/** The dimension along a caller's axis. */
type DimensionOf<S extends Shape, A extends number> = S[NormalizeAxis<A, S['length']> & keyof S] & number;

/** Indices: a Fun holding integers, or nested arrays of them. @example gather(table, [3, 0, 3] satisfies IndexOperand) */
export type IndexOperand = AnyFun | number | NestedArray;

/** The shape of an index operand. @example IndexShape<readonly [3, 0, 3]> // [3] */
export type IndexShape<I> = I extends Fun<string> | number ? ShapeOf<I> : I extends NestedArray ? NestedShape<I> : number[];

/**
 * The shape of nested arrays of numbers: one axis per level, its length from the outer tuple
 * (`number` for an array whose length is not known).
 * @example NestedShape<readonly [readonly [1, 2, 3], readonly [4, 5, 6]]> // [2, 3]
 */
// Arrays of arrays of any depth (`NestedArray` itself) have no known rank: `number[]`.
export type NestedShape<T, Result extends number[] = []> =
  [T] extends [number]
    ? Result
    : [NestedArray] extends [T]
      ? number[]
      : [T] extends [readonly [infer First, ...unknown[]]]
        ? NestedShape<First, [...Result, T['length']]>
        : [T] extends [readonly (infer E)[]]
          ? NestedShape<E, [...Result, number]>
          : number[];

/**
 * Every element of nested arrays has the shape of the first at its depth; a message naming the
 * first one that does not.
 * @example RaggedCheck<readonly [readonly [1, 2], readonly [3]]> // { readonly error: 'shape mismatch: element [1] has shape vector[1], but element [0] has shape vector[2]' }
 */
export type RaggedCheck<T> = NumberCheck<RaggedMessage<T, ''>>;

type RaggedMessage<T, Path extends string> =
  T extends readonly [infer First, ...infer Rest]
    ? FirstRaggedSibling<NestedShape<First>, Rest, Path, 1> extends infer Message extends string ? Message : RaggedElements<T, Path, []>
    : unknown;

/** The first element (at any depth) whose own elements differ in shape. */
type RaggedElements<T extends readonly unknown[], Path extends string, Index extends unknown[]> =
  Index['length'] extends T['length']
    ? unknown
    : RaggedMessage<T[Index['length']], `${Path}[${Index['length']}]`> extends infer Message extends string
      ? Message
      : RaggedElements<T, Path, [...Index, unknown]>;

type FirstRaggedSibling<Expected extends Shape, Rest extends readonly unknown[], Path extends string, Index extends number> =
  Rest extends readonly [infer Next, ...infer More]
    ? [NestedShape<Next>] extends [Expected]
      ? FirstRaggedSibling<Expected, More, Path, Add<Index, 1>>
      : `shape mismatch: element ${Path}[${Index}] has shape ${DescribeShape<NestedShape<Next>>}, but element ${Path}[0] has shape ${DescribeShape<Expected>}`
    : unknown;

/**
 * A tensor variable: `TVar('x', [64, 28, 28, 1])` is a `TFun<[64, 28, 28, 1], 'x'>`; ranks 0 to 2
 * give the scalar, vector and matrix classes (`TVar('W', [784, 128])` is an `MFun<784, 128, 'W'>`).
 * A dimension known only at run time is `number` in the type and checked when the variable is made.
 * @example TVar('images', [64, 28, 28, 1]).mean([1, 2, 3]) // VFun<64, 'images'>
 */
export function TVar<const Name extends string, const S extends readonly number[]>(name: Name, shape: S & ShapeLiteralCheck<S>): FunOf<S, Name> {
  return tensorVariable(name, shape) as FunOf<S, Name>;
}

/**
 * A constant tensor from nested arrays of numbers (`Tensor([[1, 2], [3, 4]])` is an
 * `MFun<2, 2, never>`), or from flat row-major data and a shape (`Tensor(data, [64, 28, 28, 1])`).
 * Rows must have one length at every depth: a literal that does not is a compile error, other
 * arrays are checked when the tensor is made.
 * @example Tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]) // TFun<[2, 2, 2], never>
 */
export function Tensor<const T extends number | NestedArray>(values: T & RaggedCheck<T>): FunOf<NestedShape<T>, never>;
export function Tensor<const S extends readonly number[]>(data: Float64Array | readonly number[], shape: S & ShapeLiteralCheck<S>): FunOf<S, never>;
export function Tensor(values: unknown, shape?: unknown): AnyFun {
  return shape === undefined ? constantFrom(values, 'Tensor') : constantFromFlat(values, shape, 'Tensor');
}

registerFunClass('TFun', TFun);
