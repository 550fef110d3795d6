/**
 * Comparisons of number literal types, giving boolean literal types.
 *
 * Either operand `number` gives `boolean` (the answer is only known at run time); unions
 * distribute. The order comparisons (`Lt`, `Lte`, `Gt`, `Gte`, `Max`, `Min`) accept
 * natural number literals and give `never` for any other literal; `Eq` accepts any literal.
 */
import type { CompareReversed, NaturalDigits, Ordering } from './digits.js';
import type { NonNaturalResult, OperandKind } from './literal.js';

/**
 * `true` when `A` and `B` are the same number literal.
 * @example
 * Eq<784, 784>    // true
 * Eq<2, 3>        // false
 * Eq<2, number>   // boolean
 */
export type Eq<A extends number, B extends number> =
  A extends unknown
    ? B extends unknown
      ? number extends A | B
        ? boolean
        : [A] extends [B]
          ? true
          : false
      : never
    : never;

/**
 * `'lt'`, `'eq'` or `'gt'`: how natural `A` compares to natural `B`.
 * @example Compare<99, 100> // 'lt'
 */
export type Compare<A extends number, B extends number> =
  A extends unknown
    ? B extends unknown
      ? OperandKind<A, B> extends 'natural'
        ? CompareReversed<NaturalDigits<A>, NaturalDigits<B>>
        : NonNaturalResult<A, B, Ordering>
      : never
    : never;

/**
 * `A < B`.
 * @example
 * Lt<999999999, 1000000000> // true
 * Lt<5, number>             // boolean
 */
export type Lt<A extends number, B extends number> = OrderIs<Compare<A, B>, 'lt'>;

/**
 * `A <= B`.
 * @example Lte<3, 3> // true
 */
export type Lte<A extends number, B extends number> = OrderIs<Compare<A, B>, 'lt' | 'eq'>;

/**
 * `A > B`.
 * @example Gt<10, 9> // true
 */
export type Gt<A extends number, B extends number> = OrderIs<Compare<A, B>, 'gt'>;

/**
 * `A >= B`.
 * @example Gte<784, 785> // false
 */
export type Gte<A extends number, B extends number> = OrderIs<Compare<A, B>, 'gt' | 'eq'>;

/**
 * The larger of `A` and `B`.
 * @example
 * Max<128, 784>    // 784
 * Max<128, number> // number
 */
export type Max<A extends number, B extends number> = PickByOrder<A, B, 'gt' | 'eq'>;

/**
 * The smaller of `A` and `B`.
 * @example Min<128, 784> // 128
 */
export type Min<A extends number, B extends number> = PickByOrder<A, B, 'lt' | 'eq'>;

/** Whether an ordering is one of `Wanted`; distributes, so `Ordering` (unknown order) gives `boolean`. */
type OrderIs<Order extends Ordering, Wanted extends Ordering> = Order extends Wanted ? true : false;

/** `A` when `Compare<A, B>` is one of `KeepA`, else `B`; `number` if either is `number`. */
type PickByOrder<A extends number, B extends number, KeepA extends Ordering> =
  A extends unknown
    ? B extends unknown
      ? OperandKind<A, B> extends 'natural'
        ? Compare<A, B> extends KeepA
          ? A
          : B
        : NonNaturalResult<A, B, number>
      : never
    : never;
