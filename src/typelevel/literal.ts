import type { NaturalDigits } from './digits.js';

/**
 * `true` when `N` is a number literal type (a dimension known at compile time), `false`
 * for the plain `number` type (a dimension known only at run time).
 * @example
 * IsLiteral<3>      // true
 * IsLiteral<number> // false
 */
export type IsLiteral<N extends number> = number extends N ? false : true;

/**
 * `true` when `N` is the literal type of a natural number (0, 1, 2, ...) written in plain
 * decimal, which is what the arithmetic in this folder accepts; `false` for negative,
 * fractional and exponent-notation (`1e21`) literals and for `number`.
 * @example
 * IsNatural<784>    // true
 * IsNatural<-1>     // false
 * IsNatural<number> // false
 */
export type IsNatural<N extends number> = [NaturalDigits<N>] extends [never] ? false : true;

/**
 * How a binary operator treats its operands: `'runtime'` when either is `number`,
 * `'natural'` when both are natural number literals, `'invalid'` otherwise.
 * @example OperandKind<2, number> // 'runtime'
 */
export type OperandKind<A extends number, B extends number> =
  number extends A | B
    ? 'runtime'
    : [IsNatural<A>, IsNatural<B>] extends [true, true]
      ? 'natural'
      : 'invalid';

/**
 * The result of an operator whose operands are not both natural literals: `Runtime` (e.g.
 * `number`, `boolean`) when either operand is `number`, `never` for invalid literals.
 * @example NonNaturalResult<2, number, boolean> // boolean
 */
export type NonNaturalResult<A extends number, B extends number, Runtime> = number extends A | B ? Runtime : never;
