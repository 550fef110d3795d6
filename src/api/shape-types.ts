/**
 * Compile-time shape checks for the tensor methods. A check is `unknown` (no constraint) when
 * the dimensions agree or either is the plain `number` (then the check happens at run time),
 * and a readable string literal type otherwise: the argument then fails to match with TS2345,
 * and the message the user reads contains the string, e.g.
 * `"shape mismatch: cannot add vector[2] and vector[3]"`.
 */
import type { Mul } from '../typelevel/index.js';

/** `unknown` when A and B may be equal, else `Message`. */
export type SameDimension<A extends number, B extends number, Message extends string> =
  number extends A ? unknown : number extends B ? unknown : [A] extends [B] ? ([B] extends [A] ? unknown : Message) : Message;

/** Elementwise vector operands must have one length. @example VectorMismatch<'add', 2, 3> */
export type VectorMismatch<Op extends string, N extends number, M extends number> =
  `shape mismatch: cannot ${Op} vector[${N}] and vector[${M}]`;

/** Elementwise matrix operands must have one shape. */
export type MatrixMismatch<Op extends string, R extends number, C extends number, R2 extends number, C2 extends number> =
  `shape mismatch: cannot ${Op} matrix[${R}×${C}] and matrix[${R2}×${C2}]`;

/** A row vector combined with every row of a matrix must have the matrix's column count. */
export type RowMismatch<Op extends string, R extends number, C extends number, M extends number> =
  `shape mismatch: cannot ${Op} matrix[${R}×${C}] and vector[${M}] (a row needs vector[${C}])`;

/** The inner dimensions of a product must agree. */
export type InnerMismatch<A extends string, B extends string, K extends number, K2 extends number> =
  `shape mismatch: cannot multiply ${A} by ${B} (inner dimensions ${K} and ${K2})`;

/** Both checks, each `unknown` when satisfied. */
export type SameShape<R extends number, C extends number, R2 extends number, C2 extends number, Message extends string> =
  SameDimension<R, R2, Message> & SameDimension<C, C2, Message>;

/**
 * A check on a number parameter (`columns: C & NumberCheck<…>`): a string literal would reduce
 * `3 & "message"` to `never`, so the message is the key of an object type instead, which
 * still shows in the error: `parameter of type '2 & { "shape mismatch: …": true; }'`.
 */
export type NumberCheck<Check> = Check extends string ? { readonly [K in Check]: true } : unknown;

/** A reshape keeps the element count. */
export type ReshapeCheck<Count extends number, R extends number, C extends number, From extends string> =
  NumberCheck<SameDimension<Count, Mul<R, C>, `shape mismatch: cannot reshape ${From} to matrix[${R}x${C}]`>>;
