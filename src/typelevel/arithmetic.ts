/**
 * Arithmetic on natural number literal types, for compile-time shapes.
 *
 * Shared rules for `Add`, `Sub`, `Mul`, `Div`:
 * - Operands are natural number literals (0, 1, 2, ...). Results are exact while they stay
 *   at or below `Number.MAX_SAFE_INTEGER` (2^53 - 1; every number of up to 15 digits).
 * - Either operand `number` (a dimension known only at run time): the result is `number`.
 * - Any other operand (negative, fractional, `1e21`): the result is `never`.
 * - Unions distribute: `Add<1 | 2, 10>` is `11 | 12`.
 * - Cost grows with the number of digits, not with the value.
 */
import type {
  AddReversed,
  LongDivision,
  MultiplyReversed,
  NaturalDigits,
  NumberFromReversedDigits,
  SubtractReversed,
} from './digits.js';
import type { NonNaturalResult, OperandKind } from './literal.js';

/**
 * `A + B`.
 * @example
 * Add<784, 128>    // 912
 * Add<number, 128> // number
 */
export type Add<A extends number, B extends number> =
  A extends unknown
    ? B extends unknown
      ? OperandKind<A, B> extends 'natural'
        ? NumberFromReversedDigits<AddReversed<NaturalDigits<A>, NaturalDigits<B>>>
        : NonNaturalResult<A, B, number>
      : never
    : never;

/**
 * `A - B` for `A >= B`; `never` when `A < B` (natural numbers have no negatives, and a
 * negative dimension is always a mistake).
 * @example
 * Sub<1000, 1> // 999
 * Sub<1, 2>    // never
 */
export type Sub<A extends number, B extends number> =
  A extends unknown
    ? B extends unknown
      ? OperandKind<A, B> extends 'natural'
        ? NumberFromReversedDigits<SubtractReversed<NaturalDigits<A>, NaturalDigits<B>>>
        : NonNaturalResult<A, B, number>
      : never
    : never;

/**
 * `A * B`.
 * @example
 * Mul<60000, 784> // 47040000
 * Mul<number, 0>  // number
 */
export type Mul<A extends number, B extends number> =
  A extends unknown
    ? B extends unknown
      ? OperandKind<A, B> extends 'natural'
        ? NumberFromReversedDigits<MultiplyReversed<NaturalDigits<A>, NaturalDigits<B>>>
        : NonNaturalResult<A, B, number>
      : never
    : never;

/**
 * Exact division `A / B`; `never` when `B` does not divide `A` (including `B = 0`), because
 * a reshape or split that does not divide evenly has no valid shape.
 * @example
 * Div<47040000, 784> // 60000
 * Div<7, 2>          // never
 */
export type Div<A extends number, B extends number> =
  A extends unknown
    ? B extends unknown
      ? OperandKind<A, B> extends 'natural'
        ? B extends 0
          ? never
          : ExactQuotient<LongDivision<`${A}`, NaturalDigits<B>>>
        : NonNaturalResult<A, B, number>
      : never
    : never;

/** The quotient of a `[quotient, remainder]` pair when the remainder is zero. */
type ExactQuotient<QuotientAndRemainder> =
  QuotientAndRemainder extends [infer Quotient extends string, '0'] ? NumberFromReversedDigits<Quotient> : never;
