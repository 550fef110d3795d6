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
import type { Lt, Lte, Mul } from '../typelevel/index.js';
import type { MFun } from './matrix.js';
import type { VFun } from './vector.js';

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

/** How an operand's shape is written in messages. @example ShapeName<VFun<3>> // 'vector[3]' */
export type ShapeName<T> =
  T extends MFun<infer R, infer C, string> ? MatrixShape<R, C> : T extends VFun<infer N, string> ? VectorShape<N> : 'scalar';

/**
 * Why the operands `A` and `B` of an elementwise `Op` do not combine, as a message (for the
 * free functions, whose overloads cannot each carry one).
 * @example ElementwiseMismatch<'add', VFun<2>, VFun<3>> // 'shape mismatch: cannot add vector[2] and vector[3]'
 */
export type ElementwiseMismatch<Op extends string, A, B> =
  A extends MFun<infer R, infer C, string>
    ? B extends VFun<infer M, string> ? RowMismatch<Op, R, C, M> : PlainMismatch<Op, A, B>
    : A extends VFun<infer M, string>
      ? B extends MFun<infer R, infer C, string> ? RowFirstMismatch<Op, M, R, C> : PlainMismatch<Op, A, B>
      : PlainMismatch<Op, A, B>;

/** The message for two operands whose shapes do not broadcast. */
type PlainMismatch<Op extends string, A, B> = `shape mismatch: cannot ${Op} ${ShapeName<A>} and ${ShapeName<B>}`;

/**
 * Why `A`·`B` has no matrix product, as a message.
 * @example ProductMismatch<MFun<2, 3>, VFun<2>> // 'shape mismatch: cannot multiply matrix[2×3] by vector[2] (inner dimensions 3 and 2)'
 */
export type ProductMismatch<A, B> =
  [ShapeName<A>, ShapeName<B>] extends ['scalar', string] | [string, 'scalar']
    ? `shape mismatch: cannot multiply ${ShapeName<A>} by ${ShapeName<B>} with matmul (use mul for a scalar)`
    : [A, B] extends [VFun<number, string>, VFun<number, string>]
      ? `shape mismatch: cannot multiply ${ShapeName<A>} by ${ShapeName<B>} with matmul (use dot for two vectors)`
      : InnerMismatch<ShapeName<A>, ShapeName<B>, InnerDimensionOf<A, 'columns'>, InnerDimensionOf<B, 'rows'>>;

/** The dimension a product contracts: a matrix's columns on the left or rows on the right, a vector's length. */
type InnerDimensionOf<T, Side extends 'rows' | 'columns'> =
  T extends MFun<infer R, infer C, string> ? (Side extends 'rows' ? R : C) : T extends VFun<infer N, string> ? N : never;
