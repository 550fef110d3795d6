/**
 * Digit strings: the representation behind the type-level arithmetic.
 *
 * A natural number is handled as its decimal digits, least significant first
 * ("reversed"), so that column-by-column algorithms can peel digits off the front of a
 * template literal type. Every algorithm here is tail-recursive and costs a number of
 * steps proportional to the number of digits, never to the value.
 *
 * Reversed digit strings are normalised: no trailing zeros (leading zeros of the number),
 * and zero is `'0'`. These types are internal to `src/typelevel`; see `arithmetic.ts`.
 */
import type { DigitAddition, DigitComparison, DigitMultiplication, DigitSubtraction } from './generated/index.js';

/** A decimal digit character. */
export type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/** A carry (addition) or borrow (subtraction) between two columns. */
type Bit = '0' | '1';

/** The result of comparing two numbers or two digits. */
export type Ordering = 'lt' | 'eq' | 'gt';

/** `Table[Key]`, or `never` when `Key` is not in the table (for keys the type checker cannot prove valid). */
type Lookup<Table, Key extends string> = Key extends keyof Table ? Table[Key] : never;

/** Least significant digit; `'0'` once the digits are used up, so shorter operands read as zero-padded. */
type LowestDigit<Reversed extends string> = Reversed extends `${infer D extends Digit}${string}` ? D : '0';

/** The digits above the least significant one. */
type HigherDigits<Reversed extends string> = Reversed extends `${string}${infer Rest}` ? Rest : '';

/**
 * Reversed digits of a natural number literal; `never` for anything else (negative,
 * fractional, `1e+21`-style exponent notation, `number`).
 * @example NaturalDigits<120> // '021'
 */
export type NaturalDigits<N extends number> = ReverseDigitString<`${N}`>;

type ReverseDigitString<S extends string, Reversed extends string = ''> =
  S extends `${infer D extends Digit}${infer Rest}`
    ? ReverseDigitString<Rest, `${D}${Reversed}`>
    : S extends ''
      ? Reversed
      : never;

/**
 * The number literal type whose reversed digits are given.
 * @example NumberFromReversedDigits<'021'> // 120
 */
export type NumberFromReversedDigits<Reversed, Forward extends string = ''> =
  Reversed extends `${infer D}${infer Rest}`
    ? NumberFromReversedDigits<Rest, `${D}${Forward}`>
    : Forward extends `${infer N extends number}`
      ? N
      : never;

/** Drops the zeros a subtraction leaves above its most significant digit ('0' stays '0'). */
type TrimHighZeros<Reversed extends string> =
  Reversed extends `${infer Rest}0`
    ? Rest extends ''
      ? '0'
      : TrimHighZeros<Rest>
    : Reversed;

/** `A + B` on reversed digit strings. */
export type AddReversed<A extends string, B extends string, Carry extends Bit = '0', Sum extends string = ''> =
  `${A}${B}` extends ''
    ? Carry extends '1'
      ? `${Sum}1`
      : Sum
    : Lookup<DigitAddition, `${Carry}${LowestDigit<A>}${LowestDigit<B>}`> extends `${infer CarryOut extends Bit}${infer D extends Digit}`
      ? AddReversed<HigherDigits<A>, HigherDigits<B>, CarryOut, `${Sum}${D}`>
      : never;

/** `A - B` on reversed digit strings; `never` when `A < B` (a borrow is left over). */
export type SubtractReversed<A extends string, B extends string, Borrow extends Bit = '0', Difference extends string = ''> =
  `${A}${B}` extends ''
    ? Borrow extends '1'
      ? never
      : TrimHighZeros<Difference>
    : Lookup<DigitSubtraction, `${Borrow}${LowestDigit<A>}${LowestDigit<B>}`> extends `${infer BorrowOut extends Bit}${infer D extends Digit}`
      ? SubtractReversed<HigherDigits<A>, HigherDigits<B>, BorrowOut, `${Difference}${D}`>
      : never;

/** `A * D` for a reversed digit string `A` and one digit `D`. */
type MultiplyByDigitReversed<A extends string, D extends Digit, Carry extends Digit = '0', Product extends string = ''> =
  A extends `${infer Lowest extends Digit}${infer Rest}`
    ? Lookup<DigitMultiplication, `${Lowest}${D}${Carry}`> extends `${infer CarryOut extends Digit}${infer P extends Digit}`
      ? MultiplyByDigitReversed<Rest, D, CarryOut, `${Product}${P}`>
      : never
    : Carry extends '0'
      ? Product
      : `${Product}${Carry}`;

/** `A * B` on reversed digit strings: schoolbook multiplication, one shifted row per digit of `B`. */
export type MultiplyReversed<A extends string, B extends string> =
  A extends '0' ? '0' : MultiplyRows<A, B, '', '0'>;

type MultiplyRows<A extends string, B extends string, Shift extends string, Product extends string> =
  B extends `${infer Lowest extends Digit}${infer Rest}`
    ? AddRow<Product, A, Lowest, Shift> extends infer NextProduct extends string
      ? MultiplyRows<A, Rest, `${Shift}0`, NextProduct>
      : never
    : Product;

/** `Product + A * D * 10^Shift`, where `Shift` is a string of zeros; a zero row is skipped. */
type AddRow<Product extends string, A extends string, D extends Digit, Shift extends string> =
  D extends '0' ? Product : AddReversed<Product, `${Shift}${MultiplyByDigitReversed<A, D>}`>;

/** Orders two reversed digit strings: the most significant differing column decides. */
export type CompareReversed<A extends string, B extends string, Order extends Ordering = 'eq'> =
  `${A}${B}` extends ''
    ? Order
    : CompareReversed<HigherDigits<A>, HigherDigits<B>, MoreSignificantOrder<Lookup<DigitComparison, `${LowestDigit<A>}${LowestDigit<B>}`>, Order>>;

/** A higher column overrides the order of the lower columns unless its digits are equal. */
type MoreSignificantOrder<Column, Lower extends Ordering> = Column extends 'lt' | 'gt' ? Column : Lower;

/**
 * `[quotient, remainder]` of `Dividend / Divisor` by long division. `Dividend` is in
 * ordinary (most significant first) order because long division consumes it from the top;
 * `Divisor`, quotient and remainder are normalised reversed digit strings.
 */
export type LongDivision<Dividend extends string, Divisor extends string, Remainder extends string = '0', Quotient extends string = ''> =
  Dividend extends `${infer D extends Digit}${infer Rest}`
    ? DivideStep<BringDown<Remainder, D>, Divisor> extends [infer Q extends Digit, infer NewRemainder extends string]
      ? LongDivision<Rest, Divisor, NewRemainder, `${Q}${Quotient}`>
      : never
    : [TrimHighZeros<Quotient>, Remainder];

/** `10 * Remainder + D` in reversed digits. */
type BringDown<Remainder extends string, D extends Digit> = Remainder extends '0' ? D : `${D}${Remainder}`;

/**
 * `[q, Partial - q * Divisor]` for the largest digit `q` with `q * Divisor <= Partial`, by
 * repeated subtraction; `q <= 9` because long division keeps `Partial < 10 * Divisor`.
 */
type DivideStep<Partial extends string, Divisor extends string, Count extends Digit = '0'> =
  [SubtractReversed<Partial, Divisor>] extends [infer Difference extends string]
    ? [Difference] extends [never]
      ? [Count, Partial]
      : DivideStep<Difference, Divisor, NextDigit[Count]>
    : never;

type NextDigit = { '0': '1'; '1': '2'; '2': '3'; '3': '4'; '4': '5'; '5': '6'; '6': '7'; '7': '8'; '8': '9'; '9': never };
