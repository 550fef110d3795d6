/**
 * Compile-time shape checks for the tensor operations. A check is `unknown` (no constraint) when
 * the dimensions agree or either is the plain `number` (then the check happens at run time),
 * and a readable string literal type otherwise: the argument then fails to match with TS2345,
 * and the message the user reads contains the string, e.g.
 * `"shape mismatch: cannot add vector[2] and vector[3]"`.
 *
 * A check is written as an intersection with the parameter (`other: VFun<M, W> & Check`) and
 * the other operand's dimension `M` is inferred on its own, never from `this`: inferring both
 * from one candidate list would widen `Vec(1, 2).add(Vec(1, 2, 3))` to `N = 2 | 3` and accept it.
 */
import type {
  Add, Broadcast, DropAxes, ElementCount, InsertAxis, IsNatural, JoinFault, Lt, Lte, MatmulShape, Mul, NormalizeAxes, NormalizeAxis, NormalizePermutation, Permute,
  ReducedShape, ReshapeTarget, Shape as TupleShape, ShapeFault, SumAlong, TakeAxes, WithDimension, EinsumShape,
} from '../typelevel/index.js';

/**
 * `unknown` when A and B may be equal (equal literals, or either only known at run time), else `Message`.
 * @example
 * SameDimension<3, 3, 'no'>      // unknown
 * SameDimension<3, number, 'no'> // unknown
 * SameDimension<2, 3, 'no'>      // 'no'
 */
export type SameDimension<A extends number, B extends number, Message extends string> =
  number extends A ? unknown : number extends B ? unknown : [A] extends [B] ? ([B] extends [A] ? unknown : Message) : Message;

/**
 * How a shape is written in messages, as at run time (`describeShape`).
 * @example VectorShape<3> // 'vector[3]'
 */
export type VectorShape<N extends number> = `vector[${N}]`;

/** @example MatrixShape<2, 3> // 'matrix[2×3]' */
export type MatrixShape<R extends number, C extends number> = `matrix[${R}×${C}]`;

/** Elementwise vector operands must have one length. @example VectorMismatch<'add', 2, 3> */
export type VectorMismatch<Op extends string, N extends number, M extends number> =
  `shape mismatch: cannot ${Op} ${VectorShape<N>} and ${VectorShape<M>}`;

/** Elementwise matrix operands must have one shape. */
export type MatrixMismatch<Op extends string, R extends number, C extends number, R2 extends number, C2 extends number> =
  `shape mismatch: cannot ${Op} ${MatrixShape<R, C>} and ${MatrixShape<R2, C2>}`;

/** A row vector combined with every row of a matrix must have the matrix's column count. */
export type RowMismatch<Op extends string, R extends number, C extends number, M extends number> =
  `shape mismatch: cannot ${Op} ${MatrixShape<R, C>} and ${VectorShape<M>} (a row needs ${VectorShape<C>})`;

/** The same, with the vector first (`add(b, M)`). */
export type RowFirstMismatch<Op extends string, M extends number, R extends number, C extends number> =
  `shape mismatch: cannot ${Op} ${VectorShape<M>} and ${MatrixShape<R, C>} (a row needs ${VectorShape<C>})`;

/** The inner dimensions of a product must agree. */
export type InnerMismatch<A extends string, B extends string, K extends number, K2 extends number> =
  `shape mismatch: cannot multiply ${A} by ${B} (inner dimensions ${K} and ${K2})`;

/** Both checks, each `unknown` when satisfied. */
export type SameShape<R extends number, C extends number, R2 extends number, C2 extends number, Message extends string> =
  SameDimension<R, R2, Message> & SameDimension<C, C2, Message>;

/**
 * A check on a number parameter (`columns: C & NumberCheck<…>`): a string literal would reduce
 * `3 & "message"` to `never`, so the message is the type of a property instead, which still
 * shows in the error: `parameter of type '2 & { readonly error: "shape mismatch: …"; }'`.
 * (Not the name of a property: tsc escapes non-ASCII in names, `matrix[2\u00D73]`.)
 * @example NumberCheck<'bad'> // { readonly error: 'bad' }
 */
export type NumberCheck<Check> = Check extends string ? { readonly error: Check } : unknown;

/**
 * A reshape keeps the element count.
 * @example ReshapeCheck<4, 3, 2, 'vector[4]'> // { readonly error: 'shape mismatch: cannot reshape vector[4] to matrix[3×2]' }
 */
export type ReshapeCheck<Count extends number, R extends number, C extends number, From extends string> =
  NumberCheck<SameDimension<Count, Mul<R, C>, `shape mismatch: cannot reshape ${From} to ${MatrixShape<R, C>}`>>;

/**
 * `unknown` when index I may lie in [0, N) (or either is only known at run time), else a readable error.
 * @example IndexCheck<3, 3, 'vector[3]'> // { readonly error: 'index out of bounds: 3 for vector[3]' }
 */
export type IndexCheck<I extends number, N extends number, Of extends string> =
  NumberCheck<Lt<I, N> extends false ? `index out of bounds: ${I} for ${Of}` : unknown>;

/**
 * `unknown` when start ≤ i < end is a non-empty range within [0, N) (or any bound is only known
 * at run time), else a readable error.
 * @example SliceCheck<2, 5, 4, 'vector[4]'> // { readonly error: 'index out of bounds: cannot slice 2:5 from vector[4]' }
 */
export type SliceCheck<S extends number, E extends number, N extends number, Of extends string> =
  NumberCheck<[Lt<S, E>, Lte<E, N>] extends [false, unknown] | [unknown, false] ? `index out of bounds: cannot slice ${S}:${E} from ${Of}` : unknown>;

/**
 * The rows of `Mat(...)` must have one length: `unknown` for a row of the first row's length
 * (or of a length only known at run time), else a message naming the row.
 * @example RowLengthCheck<2, readonly [3], '1'> // 'shape mismatch: row 1 has length 1, but row 0 has length 2'
 */
export type RowLengthCheck<First extends number, Row extends readonly unknown[], Index> =
  SameDimension<First, Row['length'], `shape mismatch: row ${Index & string} has length ${Row['length']}, but row 0 has length ${First}`>;

// ---------------------------------------------------------------------------------------------
// Shapes of any rank. The rules are in `src/typelevel/shape.ts`; these turn a rule that does not
// hold into the message a user reads, in the words the operation throws at run time
// (`tensor-operations.ts`) when a dimension is only known then.

/** A dimension in a message: the literal, or `?` when it is known only at run time. */
type DimensionText<N extends number> = number extends N ? '?' : `${N}`;

/** The dimensions joined by `×`. */
type JoinedDimensions<S extends TupleShape, Text extends string = ''> =
  S extends readonly [infer N extends number, ...infer Rest extends TupleShape]
    ? JoinedDimensions<Rest, Text extends '' ? DimensionText<N> : `${Text}×${DimensionText<N>}`>
    : Text;

/**
 * How a shape of any rank is written in messages, as at run time (`describeShape`).
 * @example
 * DescribeShape<[]>              // 'scalar'
 * DescribeShape<[2, 3]>          // 'matrix[2×3]'
 * DescribeShape<[64, 28, 28, 1]> // 'tensor[64×28×28×1]'
 */
export type DescribeShape<S extends TupleShape> =
  number extends S['length']
    ? 'tensor of unknown rank'
    : S extends readonly []
      ? 'scalar'
      : S extends readonly [number]
        ? `vector[${JoinedDimensions<S>}]`
        : S extends readonly [number, number]
          ? `matrix[${JoinedDimensions<S>}]`
          : `tensor[${JoinedDimensions<S>}]`;

/** A list of numbers as written in messages. @example ListText<[0, -1]> // '[0, -1]' */
export type ListText<L, Text extends string = ''> =
  L extends readonly [infer N extends number, ...infer Rest]
    ? ListText<Rest, Text extends '' ? `${N}` : `${Text}, ${N}`>
    : L extends number ? `${L}` : `[${Text}]`;

/**
 * Why operands of shapes `A` and `B` do not combine elementwise under `Op` (numpy broadcasting);
 * `unknown` when they may.
 * @example
 * BroadcastCheck<'add', [2, 3, 4], [5, 4]> // 'shape mismatch: cannot add tensor[2×3×4] and matrix[5×4] (axis 1 of the result: 3 and 5)'
 * BroadcastCheck<'add', [64, 10], [10]>    // unknown
 */
export type BroadcastCheck<Op extends string, A extends TupleShape, B extends TupleShape> =
  Broadcast<A, B> extends ShapeFault<'broadcast', infer Detail> ? BroadcastMessage<Op, A, B, Detail> : unknown;

type BroadcastMessage<Op extends string, A extends TupleShape, B extends TupleShape, Detail> =
  `shape mismatch: cannot ${Op} ${DescribeShape<A>} and ${DescribeShape<B>} ${A extends readonly [number, infer C extends number]
    ? B extends readonly [number] ? `(a row needs vector[${C}])` : AxisDetail<Detail>
    : B extends readonly [number, infer C extends number] ? (A extends readonly [number] ? `(a row needs vector[${C}])` : AxisDetail<Detail>) : AxisDetail<Detail>}`;

type AxisDetail<Detail> = Detail extends readonly [infer Axis extends number, infer M extends number, infer N extends number] ? `(axis ${Axis} of the result: ${M} and ${N})` : '';

/** The shape of an elementwise result (`never` when the operands do not broadcast: the call is an error then). */
export type BroadcastShape<A extends TupleShape, B extends TupleShape> = Broadcast<A, B> extends infer S extends TupleShape ? S : never;

/**
 * Why `A`·`B` has no numpy matrix product, as a message; `unknown` when it may. `Vectors`
 * `'reject'` also refuses vector·vector (the free `matmul`: use `dot`).
 * @example MatmulCheck<[8, 2, 3], [8, 4, 5]> // 'shape mismatch: cannot multiply tensor[8×2×3] by tensor[8×4×5] (inner dimensions 3 and 4)'
 */
export type MatmulCheck<A extends TupleShape, B extends TupleShape, Vectors extends 'accept' | 'reject' = 'accept'> =
  [Vectors, A, B] extends ['reject', readonly [number], readonly [number]]
    ? `shape mismatch: cannot multiply ${DescribeShape<A>} by ${DescribeShape<B>} with matmul (use dot for two vectors)`
    : MatmulShape<A, B> extends ShapeFault<infer Kind, infer Detail>
      ? Kind extends 'scalar'
        ? `shape mismatch: cannot multiply ${DescribeShape<A>} by ${DescribeShape<B>} with matmul (use mul for a scalar)`
        : Kind extends 'inner'
          ? Detail extends readonly [infer K extends number, infer K2 extends number] ? InnerMismatch<DescribeShape<A>, DescribeShape<B>, K, K2> : never
          : `shape mismatch: the batch axes of ${DescribeShape<A>} and ${DescribeShape<B>} do not broadcast`
      : unknown;

/** The shape of a numpy matrix product (`never` when there is none). */
export type ProductShape<A extends TupleShape, B extends TupleShape> = MatmulShape<A, B> extends infer S extends TupleShape ? S : never;

/** The message for an axis that a shape does not have, as `normalizeAxis` words it at run time. */
type NoSuchAxis<Axis, S extends TupleShape> = `axis ${Axis & number} does not exist on ${DescribeShape<S>} (rank ${S['length']})`;

/**
 * Axes of a reduction (one, a list, or `undefined` for all; negative ones count from the end)
 * checked against a shape, for an axes parameter (`axes: A & AxesCheck<S, A>`).
 * @example AxesCheck<[2, 3, 4], 3> // { readonly error: 'axis 3 does not exist on tensor[2×3×4] (rank 3)' }
 */
export type AxesCheck<S extends TupleShape, Axes> = NumberCheck<AxesMessage<S, Axes, NormalizeAxes<Axes, S['length']>>>;

type AxesMessage<S extends TupleShape, Axes, Normalized> =
  Normalized extends ShapeFault<infer Kind, readonly [infer Axis]>
    ? Kind extends 'axis' ? NoSuchAxis<Axis, S> : `axes ${ListText<Axes>} name an axis twice on ${DescribeShape<S>}`
    : unknown;

/**
 * The shape a reduction leaves: the axes removed, or with `KeepDims` kept as size-1 axes.
 * @example ReductionShape<[2, 3, 4], -1, false> // [2, 3]
 */
export type ReductionShape<S extends TupleShape, Axes, KeepDims extends boolean> =
  NormalizeAxes<Axes, S['length']> extends infer Normalized extends TupleShape ? ReducedShape<S, Normalized, KeepDims> : never;

/**
 * One axis (negative counts from the end) checked against a shape.
 * @example AxisCheck<[2, 3, 4], -4> // { readonly error: 'axis -4 does not exist on tensor[2×3×4] (rank 3)' }
 */
export type AxisCheck<S extends TupleShape, Axis extends number> =
  NumberCheck<[NormalizeAxis<Axis, S['length']>] extends [never] ? NoSuchAxis<Axis, S> : unknown>;

/**
 * A permutation of the axes (negative ones count from the end; `undefined` reverses them).
 * @example PermutationCheck<[2, 3, 4], [0, 0, 1]> // { readonly error: '[0, 0, 1] is not a permutation of the 3 axes of tensor[2×3×4]' }
 */
export type PermutationCheck<S extends TupleShape, Permutation> =
  NumberCheck<NormalizePermutation<Permutation, S['length']> extends ShapeFault ? `${ListText<Permutation>} is not a permutation of the ${S['length']} axes of ${DescribeShape<S>}` : unknown>;

/**
 * The shape permuted (reversed for `undefined`).
 * @example PermutedShape<[2, 3, 4], [0, 2, 1]> // [2, 4, 3]
 */
export type PermutedShape<S extends TupleShape, Permutation> =
  NormalizePermutation<Permutation, S['length']> extends infer Normalized extends TupleShape
    ? number extends Normalized['length'] ? { -readonly [K in keyof S]: number } : Permute<S, Normalized>
    : never;

/** `true` for a dimension that is a positive integer literal (or known only at run time). */
type IsDimension<N extends number> = number extends N ? true : N extends 0 ? false : IsNatural<N>;

/** The first entry of a shape literal that is not a dimension (−1 allowed when `Inferred`). */
type BadDimension<S extends TupleShape, Inferred extends boolean> =
  S extends readonly [infer N extends number, ...infer Rest extends TupleShape]
    ? IsDimension<N> extends true ? BadDimension<Rest, Inferred> : [Inferred, N] extends [true, -1] ? BadDimension<Rest, Inferred> : N
    : never;

/**
 * A shape given as a literal (`TVar`, `broadcastTo`): each dimension a positive integer.
 * @example ShapeLiteralCheck<[2, 0]> // { readonly error: '[2, 0] is not a shape (dimensions must be positive integers)' }
 */
export type ShapeLiteralCheck<S extends TupleShape> =
  NumberCheck<[BadDimension<S, false>] extends [never] ? unknown : `${ListText<S>} is not a shape (dimensions must be positive integers)`>;

/**
 * A reshape of `S` to `Target` (one dimension may be −1): the element count kept.
 * @example ReshapeToCheck<[2, 3, 4], [5, 5]> // { readonly error: 'shape mismatch: cannot reshape tensor[2×3×4] to matrix[5×5] (element counts 24 and 25)' }
 */
export type ReshapeToCheck<S extends TupleShape, Target extends TupleShape> =
  NumberCheck<[BadDimension<Target, true>] extends [never] ? ReshapeMessage<S, Target, ReshapeTarget<ElementCount<S>, Target>> : `${ListText<Target>} is not a shape (dimensions must be positive integers, or one -1)`>;

type ReshapeMessage<S extends TupleShape, Target extends TupleShape, Result> =
  Result extends ShapeFault<'reshape', infer Detail>
    ? Detail extends readonly ['count', infer Count extends number, infer Other extends number]
      ? `shape mismatch: cannot reshape ${DescribeShape<S>} to ${DescribeShape<Target>} (element counts ${Count} and ${Other})`
      : Detail extends readonly ['not divisible', infer Count extends number, infer Known extends number]
        ? `shape mismatch: cannot reshape ${DescribeShape<S>} to ${ListText<Target>} (${Count} elements do not divide by ${Known})`
        : `cannot reshape ${DescribeShape<S>} to ${ListText<Target>} (only one dimension may be -1)`
    : unknown;

/** The shape of a reshape of `S` to `Target`, −1 resolved. @example ReshapedShape<[2, 3, 4], [-1, 4]> // [6, 4] */
export type ReshapedShape<S extends TupleShape, Target extends TupleShape> =
  ReshapeTarget<ElementCount<S>, Target> extends infer R extends TupleShape ? R : never;

/**
 * A slice `Start:End` along an axis: a non-empty range within it (the axis itself is checked by `AxisCheck`).
 * @example SliceRangeCheck<[2, 4, 3], 1, 2, 5> // { readonly error: 'index out of bounds: cannot slice 2:5 from axis 1 of tensor[2×4×3]' }
 */
export type SliceRangeCheck<S extends TupleShape, Axis extends number, Start extends number, End extends number> =
  NumberCheck<
    [Lt<Start, End>, Lte<End, DimensionAt<S, Axis>>] extends [false, unknown] | [unknown, false]
      ? `index out of bounds: cannot slice ${Start}:${End} from axis ${Axis} of ${DescribeShape<S>}`
      : unknown
  >;

/** The dimension along a caller's axis (`number` when it is not known). */
type DimensionAt<S extends TupleShape, Axis extends number> =
  NormalizeAxis<Axis, S['length']> extends infer A extends number ? (number extends A ? number : S[A]) : number;

/** The shape with a caller's axis set to `N`. */
export type WithDimensionAt<S extends TupleShape, Axis extends number, N extends number> = WithDimension<S, NormalizeAxis<Axis, S['length']>, N>;

/**
 * Padding amounts: natural numbers.
 * @example PaddingCheck<-1> // { readonly error: 'padding -1 must be a natural number' }
 */
export type PaddingCheck<N extends number> = NumberCheck<number extends N ? unknown : IsNatural<N> extends true ? unknown : `padding ${N} must be a natural number`>;

/**
 * Why `A` and `B` cannot be joined along a caller's `Axis` (one rank, equal dimensions elsewhere); `unknown` when they may.
 * @example JoinCheck<[2, 3, 4], [2, 5, 5], 1> // 'shape mismatch: cannot join tensor[2×3×4] and tensor[2×5×5] along axis 1 (axis 2: 4 and 5)'
 */
export type JoinCheck<A extends TupleShape, B extends TupleShape, Axis extends number> =
  JoinMessage<'join', A, B, ` along axis ${Axis}`, JoinFault<A, B, NormalizeAxis<Axis, A['length']>>>;

type JoinMessage<Verb extends string, A extends TupleShape, B extends TupleShape, Along extends string, Fault> =
  Fault extends ShapeFault<infer Kind, readonly [infer X extends number, infer Y extends number, ...infer Z extends number[]]>
    ? `shape mismatch: cannot ${Verb} ${DescribeShape<A>} and ${DescribeShape<B>}${Along} ${Kind extends 'rank' ? `(ranks ${X} and ${Y})` : `(axis ${X}: ${Y} and ${Z[0]})`}`
    : unknown;

/**
 * The first pair of a list of shapes that cannot be joined along `Axis` (each against the first), as a message.
 * @example JoinListCheck<[[2, 3], [4, 3], [1, 2]], 0> // 'shape mismatch: cannot join matrix[2×3] and matrix[1×2] along axis 0 (axis 1: 3 and 2)'
 */
export type JoinListCheck<Shapes extends readonly TupleShape[], Axis extends number> =
  Shapes extends readonly [infer First extends TupleShape, ...infer Rest extends readonly TupleShape[]] ? EachJoins<First, Rest, Axis> : unknown;

type EachJoins<First extends TupleShape, Rest extends readonly TupleShape[], Axis extends number> =
  Rest extends readonly [infer Next extends TupleShape, ...infer More extends readonly TupleShape[]]
    ? JoinCheck<First, Next, Axis> extends string ? JoinCheck<First, Next, Axis> : EachJoins<First, More, Axis>
    : unknown;

/** The shape of shapes joined along a caller's axis. @example JoinedShape<[[2, 3], [4, 3]], 0> // [6, 3] */
export type JoinedShape<Shapes extends readonly TupleShape[], Axis extends number> =
  Shapes extends readonly [infer First extends TupleShape, ...TupleShape[]]
    ? NormalizeAxis<Axis, First['length']> extends infer A extends number ? WithDimension<First, A, SumAlong<Shapes, A>> : never
    : never;

/**
 * The first shape of a list that differs from the first one, for `stack`, as a message.
 * @example StackCheck<[[2, 3], [2, 4]]> // 'shape mismatch: cannot stack matrix[2×3] and matrix[2×4] (axis 1: 3 and 4)'
 */
export type StackCheck<Shapes extends readonly TupleShape[]> =
  Shapes extends readonly [infer First extends TupleShape, ...infer Rest extends readonly TupleShape[]] ? EachStacks<First, Rest> : unknown;

type EachStacks<First extends TupleShape, Rest extends readonly TupleShape[]> =
  Rest extends readonly [infer Next extends TupleShape, ...infer More extends readonly TupleShape[]]
    ? JoinMessage<'stack', First, Next, '', JoinFault<First, Next, never>> extends infer Message extends string ? Message : EachStacks<First, More>
    : unknown;

/**
 * A stack axis: from −(rank + 1) to rank.
 * @example StackAxisCheck<[2, 3], 3> // { readonly error: 'axis 3 does not exist on matrix[2×3] stacked (rank 3)' }
 */
export type StackAxisCheck<S extends TupleShape, Axis extends number> =
  NumberCheck<[NormalizeAxis<Axis, Add<S['length'], 1>>] extends [never] ? `axis ${Axis} does not exist on ${DescribeShape<S>} stacked (rank ${Add<S['length'], 1>})` : unknown>;

/** The shape of `Count` tensors of shape `S` stacked along a caller's axis. @example StackedShape<[2, 3], 3, -1> // [2, 3, 3] */
export type StackedShape<S extends TupleShape, Count extends number, Axis extends number> = InsertAxis<S, NormalizeAxis<Axis, Add<S['length'], 1>>, Count>;

/**
 * `S` broadcasts to `Target` (numpy rule: its size-1 and missing leading axes repeat).
 * @example BroadcastToCheck<[3], [2, 4]> // { readonly error: 'shape mismatch: cannot broadcast vector[3] to matrix[2×4]' }
 */
export type BroadcastToCheck<S extends TupleShape, Target extends TupleShape> =
  NumberCheck<
    [BadDimension<Target, false>] extends [never]
      ? Broadcast<S, Target> extends Target ? unknown : `shape mismatch: cannot broadcast ${DescribeShape<S>} to ${DescribeShape<Target>}`
      : `${ListText<Target>} is not a shape (dimensions must be positive integers)`
  >;

/** The shape of a gather: `[...before, ...Indices, ...after]` around a caller's axis. @example GatheredShape<[5, 3], [2, 2], 0> // [2, 2, 3] */
export type GatheredShape<S extends TupleShape, Indices extends TupleShape, Axis extends number> =
  number extends S['length'] | Indices['length']
    ? number[]
    : NormalizeAxis<Axis, S['length']> extends infer A extends number
      ? number extends A ? number[] : [...TakeAxes<S, A>, ...Indices, ...DropAxes<S, Add<A, 1>>]
      : never;

/**
 * A depth: a positive integer.
 * @example DepthCheck<0> // { readonly error: 'the depth must be a positive integer, got 0' }
 */
export type DepthCheck<N extends number> = NumberCheck<IsDimension<N> extends true ? unknown : `the depth must be a positive integer, got ${N}`>;

/**
 * An einsum equation checked against its operands' shapes (`EinsumShape`), for the equation parameter.
 * @example EinsumCheck<'ij,jk->ik', [[2, 3], [4, 5]]> // { readonly error: "einsum 'ij,jk->ik': shape mismatch: index j is 3 in operand 0 and 4 in operand 1" }
 */
export type EinsumCheck<Equation extends string, Shapes extends readonly TupleShape[]> =
  NumberCheck<EinsumShape<Equation, Shapes> extends ShapeFault<'einsum', infer Detail> ? `einsum '${Equation}': ${EinsumProblem<Detail>}` : unknown>;

type EinsumProblem<Detail> =
  Detail extends readonly ['not a letter', infer C extends string]
    ? `'${C}' is not an index (indices are letters a–z and A–Z; ellipses are not supported)`
    : Detail extends readonly ['operands', infer Lists extends number, infer Operands extends number]
      ? `${Lists} subscript lists for ${Operands} operands`
      : Detail extends readonly ['rank', infer Operand extends number, infer Written extends string, infer S extends TupleShape]
        ? `subscripts '${Written}' do not fit operand ${Operand}, a ${DescribeShape<S>}`
        : Detail extends readonly ['repeated', infer L extends string, infer Operand extends number]
          ? `index ${L} repeats within operand ${Operand} (traces and diagonals are not supported)`
          : Detail extends readonly ['dimension', infer L extends string, infer M extends number, infer First extends number, infer N extends number, infer Operand extends number]
            ? `shape mismatch: index ${L} is ${M} in operand ${First} and ${N} in operand ${Operand}`
            : Detail extends readonly ['unknown output', infer L extends string]
              ? `output index ${L} is in no operand`
              : Detail extends readonly ['repeated output', infer L extends string]
                ? `output index ${L} repeats`
                : 'more than one ->';
