/**
 * Shapes as tuples of dimension literals, and the shape rules of the tensor operations computed
 * by the type checker: numpy broadcasting, reductions over axes, permutations, reshapes, joins.
 *
 * Shared rules:
 * - A dimension `number` is known only at run time: a rule that would compare it gives way (the
 *   operation checks it when the expression is built) and a dimension computed from it is `number`.
 * - A shape whose length is `number` (`number[]`) has a rank known only at run time: rules on it
 *   give `number[]` and check nothing.
 * - A rule that cannot hold gives a `ShapeFault` saying where (never a silent `never`), which the
 *   typed API turns into the message users read (`src/api/shape-types.ts`).
 * - Every recursion is tail-form over the rank, so cost grows with the rank, not the dimensions.
 */
import type { Add, Div, Mul, Sub } from './arithmetic.js';
import type { Lt } from './comparison.js';
import type { IsNatural } from './literal.js';

/** A shape: one dimension per axis. @example const images: Shape = [64, 28, 28, 1]; */
export type Shape = readonly number[];

/**
 * Why a shape rule does not hold, with what the message needs: `Kind` names the rule, `Detail`
 * the axis and dimensions concerned.
 * @example ShapeFault<'broadcast', [1, 3, 5]> // axis 1 of the result: 3 and 5
 */
export interface ShapeFault<Kind extends string = string, Detail extends readonly unknown[] = readonly unknown[]> {
  readonly shapeFault: Kind;
  readonly detail: Detail;
}

/**
 * `true` when the rank of `S` is known at compile time (a tuple), `false` for `number[]`.
 * @example
 * KnownRank<[2, 3]>   // true
 * KnownRank<number[]> // false
 */
export type KnownRank<S extends Shape> = number extends S['length'] ? false : true;

/**
 * The shape as a mutable tuple (what `const` inference gives is readonly).
 * @example Mutable<readonly [2, 3]> // [2, 3]
 */
export type Mutable<S extends Shape> = [...S];

/**
 * The number of elements: the product of the dimensions (1 for a scalar), `number` if any
 * dimension or the rank is known only at run time.
 * @example
 * ElementCount<[64, 28, 28, 1]> // 50176
 * ElementCount<[number, 3]>     // number
 */
export type ElementCount<S extends Shape, Count extends number = 1> =
  number extends S['length']
    ? number
    : S extends readonly [infer N extends number, ...infer Rest extends Shape]
      ? ElementCount<Rest, Mul<Count, N>>
      : Count;

/**
 * The broadcast of two dimensions: equal ones, or the other when one is 1; `never` for two
 * different literals, neither 1. A dimension known only at run time gives way to a literal
 * other than 1 (if the operation builds, the result has that dimension).
 * @example
 * BroadcastDimension<1, 5>      // 5
 * BroadcastDimension<number, 5> // 5
 * BroadcastDimension<3, 5>      // never
 */
export type BroadcastDimension<A extends number, B extends number> =
  [A] extends [1] ? B : [B] extends [1] ? A : number extends A ? B : number extends B ? A : [A] extends [B] ? ([B] extends [A] ? A : never) : never;

/**
 * The shape of an elementwise operation on operands of shapes `A` and `B` by the numpy rule:
 * aligned at the last axis, size-1 axes and missing leading axes repeat. On failure, a
 * `ShapeFault<'broadcast', [axis of the result, dimension of A, dimension of B]>`.
 * @example
 * Broadcast<[64, 10], [10]>        // [64, 10]
 * Broadcast<[8, 1, 4], [3, 1]>     // [8, 3, 4]
 * Broadcast<[2, 3, 4], [5, 4]>     // ShapeFault<'broadcast', [1, 3, 5]>
 */
export type Broadcast<A extends Shape, B extends Shape> =
  number extends A['length'] | B['length'] ? number[] : BroadcastFromEnd<A, B, []>;

type BroadcastFromEnd<A extends Shape, B extends Shape, Result extends number[]> =
  A extends readonly [...infer AHead extends Shape, infer DA extends number]
    ? B extends readonly [...infer BHead extends Shape, infer DB extends number]
      ? [BroadcastDimension<DA, DB>] extends [never]
        ? ShapeFault<'broadcast', [Longer<AHead, BHead>['length'], DA, DB]>
        : BroadcastFromEnd<AHead, BHead, [BroadcastDimension<DA, DB>, ...Result]>
      : [...A, ...Result]
    : [...B, ...Result];

/** The longer of two shapes: the leading axes left when a broadcast fails are the result's axis index. */
type Longer<A extends Shape, B extends Shape> = [Lt<A['length'], B['length']>] extends [true] ? B : A;

/**
 * A caller's axis as an index in [0, rank): negative axes count from the end (−1 is the last).
 * `never` for an axis that does not exist; `number` when the axis or the rank is known only at run time.
 * @example
 * NormalizeAxis<-1, 4> // 3
 * NormalizeAxis<4, 4>  // never
 */
export type NormalizeAxis<Axis extends number, Rank extends number> =
  number extends Axis | Rank
    ? number
    : `${Axis}` extends `-${infer Back extends number}`
      ? IsNatural<Back> extends true
        ? Lt<Rank, Back> extends true ? never : Sub<Rank, Back>
        : never
      : IsNatural<Axis> extends true
        ? Lt<Axis, Rank> extends true ? Axis : never
        : never;

/**
 * Axes given as one axis, a list, or `undefined` (every axis), normalized and checked: the
 * sorted tuple of distinct axes, or a `ShapeFault<'axis', [axis]>` for an axis that does not
 * exist, `ShapeFault<'repeated axis', [axis]>` for one named twice. An axis known only at run
 * time makes every axis `number` (the count stays known); a list of unknown length is `number[]`.
 * @example
 * NormalizeAxes<[-1, 0], 3>   // [0, 2]
 * NormalizeAxes<undefined, 2> // [0, 1]
 * NormalizeAxes<3, 3>         // ShapeFault<'axis', [3]>
 */
export type NormalizeAxes<Axes, Rank extends number> =
  Axes extends undefined
    ? AxesUpTo<Rank>
    : Axes extends number
      ? NormalizeAxisList<[Axes], Rank>
      : Axes extends Shape
        ? number extends Axes['length'] ? number[] : NormalizeAxisList<Axes, Rank>
        : never;

type NormalizeAxisList<Axes extends Shape, Rank extends number, Seen extends number = never, All extends Shape = Axes> =
  Axes extends readonly [infer Axis extends number, ...infer Rest extends Shape]
    ? number extends NormalizeAxis<Axis, Rank>
      ? { -readonly [K in keyof All]: number }
      : [NormalizeAxis<Axis, Rank>] extends [never]
        ? ShapeFault<'axis', [Axis]>
        : [NormalizeAxis<Axis, Rank>] extends [Seen]
          ? ShapeFault<'repeated axis', [Axis]>
          : NormalizeAxisList<Rest, Rank, Seen | NormalizeAxis<Axis, Rank>, All>
    : SortedAxes<Seen, Rank>;

/** The axes in the union `Axes`, in increasing order. */
type SortedAxes<Axes extends number, Rank extends number, Index extends unknown[] = [], Sorted extends number[] = []> =
  Index['length'] extends Rank ? Sorted : SortedAxes<Axes, Rank, [...Index, unknown], Index['length'] extends Axes ? [...Sorted, Index['length']] : Sorted>;

/**
 * Every axis of a rank: `[0, 1, ..., Rank − 1]`; `number[]` for a rank known only at run time.
 * @example AxesUpTo<3> // [0, 1, 2]
 */
export type AxesUpTo<Rank extends number, Axes extends number[] = []> =
  number extends Rank ? number[] : Axes['length'] extends Rank ? Axes : AxesUpTo<Rank, [...Axes, Axes['length']]>;

/**
 * The shape left by a reduction over the (normalized, sorted) `Axes`: those axes removed, or
 * kept as size-1 axes with `KeepDims`. Axes known only at run time leave the rank (when the
 * list's length is known) but no dimension: each is `number`.
 * @example
 * ReducedShape<[2, 3, 4], [1], false> // [2, 4]
 * ReducedShape<[2, 3, 4], [1], true>  // [2, 1, 4]
 */
export type ReducedShape<S extends Shape, Axes extends Shape, KeepDims extends boolean> =
  number extends S['length']
    ? number[]
    : KeepDims extends true
      ? number extends Axes[number] ? { -readonly [K in keyof S]: number } : ReduceAxes<S, Axes[number], KeepDims, [], []>
      : number extends Axes['length']
        ? number[]
        : number extends Axes[number]
          ? DropAxes<{ -readonly [K in keyof S]: number }, Axes['length']>
          : ReduceAxes<S, Axes[number], KeepDims, [], []>;

type ReduceAxes<S extends Shape, Axes extends number, KeepDims extends boolean, Index extends unknown[], Result extends number[]> =
  S extends readonly [infer N extends number, ...infer Rest extends Shape]
    ? ReduceAxes<Rest, Axes, KeepDims, [...Index, unknown], Index['length'] extends Axes ? (KeepDims extends true ? [...Result, 1] : Result) : [...Result, N]>
    : Result;

/**
 * The shape with axis `Axis` (normalized) set to `N`.
 * @example WithDimension<[2, 3, 4], 1, 7> // [2, 7, 4]
 */
export type WithDimension<S extends Shape, Axis extends number, N extends number> =
  number extends S['length'] ? number[] : number extends Axis ? { -readonly [K in keyof S]: number } : { -readonly [K in keyof S]: K extends `${Axis}` ? N : S[K] };

/**
 * The first `Count` axes of a shape.
 * @example TakeAxes<[2, 3, 4], 2> // [2, 3]
 */
export type TakeAxes<S extends Shape, Count extends number, Taken extends number[] = []> =
  Taken['length'] extends Count ? Taken : S extends readonly [infer N extends number, ...infer Rest extends Shape] ? TakeAxes<Rest, Count, [...Taken, N]> : Taken;

/**
 * The shape without its first `Count` axes.
 * @example DropAxes<[2, 3, 4], 1> // [3, 4]
 */
export type DropAxes<S extends Shape, Count extends number, Dropped extends unknown[] = []> =
  Dropped['length'] extends Count ? [...S] : S extends readonly [unknown, ...infer Rest extends Shape] ? DropAxes<Rest, Count, [...Dropped, unknown]> : [];

/**
 * The shape with an axis of length `N` inserted before axis `Axis` (normalized, 0 to rank).
 * @example InsertAxis<[2, 3], 1, 5> // [2, 5, 3]
 */
export type InsertAxis<S extends Shape, Axis extends number, N extends number> =
  number extends S['length'] | Axis ? number[] : [...TakeAxes<S, Axis>, N, ...DropAxes<S, Axis>];

/**
 * The shape permuted: axis i of the result is axis `Permutation[i]` of `S` (a normalized permutation).
 * @example Permute<[2, 3, 4], [0, 2, 1]> // [2, 4, 3]
 */
export type Permute<S extends Shape, Permutation extends Shape> = { -readonly [K in keyof Permutation]: S[Permutation[K] & keyof S & number] };

/**
 * A caller's permutation (negative axes counting from the end, `undefined` for the reversal)
 * normalized, or a `ShapeFault<'permutation'>` when it is not a permutation of the axes.
 * @example
 * NormalizePermutation<[0, -1, 1], 3> // [0, 2, 1]
 * NormalizePermutation<[0, 0, 1], 3>  // ShapeFault<'permutation', []>
 */
export type NormalizePermutation<Permutation, Rank extends number> =
  number extends Rank
    ? number[]
    : Permutation extends undefined
      ? ReversedAxes<Rank>
      : Permutation extends Shape
        ? number extends Permutation['length']
          ? number[]
          : NormalizePermutationEntries<Permutation, Rank, []>
        : never;

type NormalizePermutationEntries<Permutation extends Shape, Rank extends number, Result extends number[]> =
  Permutation extends readonly [infer Axis extends number, ...infer Rest extends Shape]
    ? number extends NormalizeAxis<Axis, Rank>
      ? number[]
      : [NormalizeAxis<Axis, Rank>] extends [never]
        ? ShapeFault<'permutation', []>
        : NormalizeAxis<Axis, Rank> extends Result[number]
          ? ShapeFault<'permutation', []>
          : NormalizePermutationEntries<Rest, Rank, [...Result, NormalizeAxis<Axis, Rank>]>
    : Result['length'] extends Rank
      ? Result
      : ShapeFault<'permutation', []>;

/** `[Rank − 1, ..., 1, 0]`. */
type ReversedAxes<Rank extends number, Axes extends number[] = []> = Axes['length'] extends Rank ? Axes : ReversedAxes<Rank, [Axes['length'], ...Axes]>;

/**
 * The target of a reshape with at most one −1 (that axis takes the elements left over), from
 * `Count` elements; a `ShapeFault<'reshape', [...]>` when the counts differ or −1 cannot be
 * resolved. Dimensions known only at run time give way.
 * @example
 * ReshapeTarget<24, [2, -1, 4]> // [2, 3, 4]
 * ReshapeTarget<24, [5, -1]>    // ShapeFault<'reshape', ['not divisible', 24, 5]>
 */
export type ReshapeTarget<Count extends number, Target extends Shape> =
  number extends Target['length']
    ? number[]
    : HasInferredAxis<Target> extends true
      ? ResolveInferredAxis<Count, Target>
      : number extends Count | ElementCount<Target>
        ? Mutable<Target>
        : [Count] extends [ElementCount<Target>]
          ? Mutable<Target>
          : ShapeFault<'reshape', ['count', Count, ElementCount<Target>]>;

type ResolveInferredAxis<Count extends number, Target extends Shape> =
  WithoutInferred<Target> extends infer Known extends Shape
    ? Sub<Target['length'], Known['length']> extends 1
      ? number extends Count | ElementCount<Known>
        ? ReplaceInferred<Target, number>
        : [Div<Count, ElementCount<Known>>] extends [never]
          ? ShapeFault<'reshape', ['not divisible', Count, ElementCount<Known>]>
          : ReplaceInferred<Target, Div<Count, ElementCount<Known>>>
      : ShapeFault<'reshape', ['two inferred']>
    : never;

// A dimension `number` may hold −1 at run time, but is not taken for one here: its result is `number` either way.
/** Whether a literal −1 is among the dimensions. */
type HasInferredAxis<S extends Shape> = S extends readonly [infer N extends number, ...infer Rest extends Shape] ? ([N] extends [-1] ? true : HasInferredAxis<Rest>) : false;

/** The dimensions other than −1. */
type WithoutInferred<S extends Shape, Kept extends number[] = []> =
  S extends readonly [infer N extends number, ...infer Rest extends Shape] ? WithoutInferred<Rest, [N] extends [-1] ? Kept : [...Kept, N]> : Kept;

type ReplaceInferred<S extends Shape, N extends number> = { -readonly [K in keyof S]: [S[K]] extends [-1] ? N : S[K] };

/**
 * The sum of the dimensions along `Axis` of several shapes (a concat's result dimension).
 * @example SumAlong<[[2, 3], [4, 3]], 0> // 6
 */
export type SumAlong<Shapes extends readonly Shape[], Axis extends number, Total extends number = 0> =
  Shapes extends readonly [infer First extends Shape, ...infer Rest extends readonly Shape[]] ? SumAlong<Rest, Axis, Add<Total, First[Axis]>> : Total;

/**
 * The first axis other than `Axis` on which two shapes of one rank differ, as
 * `ShapeFault<'join', [axis, dimension of A, dimension of B]>`, or a `ShapeFault<'rank'>`;
 * `unknown` when they may agree.
 * @example JoinFault<[2, 3], [4, 5], 0> // ShapeFault<'join', [1, 3, 5]>
 */
export type JoinFault<A extends Shape, B extends Shape, Axis extends number> =
  number extends A['length'] | B['length']
    ? unknown
    : A['length'] extends B['length']
      ? FirstDifference<A, B, Axis, []>
      : ShapeFault<'rank', [A['length'], B['length']]>;

type FirstDifference<A extends Shape, B extends Shape, Axis extends number, Index extends unknown[]> =
  A extends readonly [infer DA extends number, ...infer ARest extends Shape]
    ? B extends readonly [infer DB extends number, ...infer BRest extends Shape]
      ? Index['length'] extends Axis
        ? FirstDifference<ARest, BRest, Axis, [...Index, unknown]>
        : number extends DA | DB
          ? FirstDifference<ARest, BRest, Axis, [...Index, unknown]>
          : [DA] extends [DB]
            ? FirstDifference<ARest, BRest, Axis, [...Index, unknown]>
            : ShapeFault<'join', [Index['length'], DA, DB]>
      : unknown
    : unknown;

/**
 * The dimensions of a numpy matrix product of shapes `A` and `B`: `[...batch, rows, columns]`
 * with the batch axes broadcast, a vector on the left a row and on the right a column (its axis
 * dropped from the result). On failure a `ShapeFault<'scalar'>`, `ShapeFault<'inner', [K, K2]>`
 * or `ShapeFault<'batch', [...]>`.
 * @example
 * MatmulShape<[8, 2, 3], [3, 5]> // [8, 2, 5]
 * MatmulShape<[3], [3, 5]>       // [5]
 * MatmulShape<[2, 3], [4, 5]>    // ShapeFault<'inner', [3, 4]>
 */
export type MatmulShape<A extends Shape, B extends Shape> =
  number extends A['length'] | B['length']
    ? number[]
    : A extends readonly []
      ? ShapeFault<'scalar', []>
      : B extends readonly []
        ? ShapeFault<'scalar', []>
        : PromotedProduct<A extends readonly [number] ? [1, ...A] : A, B extends readonly [number] ? [...B, 1] : B, A extends readonly [number] ? true : false, B extends readonly [number] ? true : false>;

type PromotedProduct<A extends Shape, B extends Shape, LeftVector extends boolean, RightVector extends boolean> =
  A extends readonly [...infer ABatch extends Shape, infer R extends number, infer K extends number]
    ? B extends readonly [...infer BBatch extends Shape, infer K2 extends number, infer C extends number]
      ? [number extends K | K2 ? true : [K] extends [K2] ? true : false] extends [false]
        ? ShapeFault<'inner', [K, K2]>
        : Broadcast<ABatch, BBatch> extends infer Batch
          ? Batch extends Shape
            ? [...Batch, ...(LeftVector extends true ? [] : [R]), ...(RightVector extends true ? [] : [C])]
            : ShapeFault<'batch', [ABatch, BBatch]>
          : never
      : never
    : never;
