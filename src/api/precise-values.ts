/**
 * Values crossing the arbitrary-precision API (`precision.ts`): what a variable may be bound to
 * (numbers, decimal strings, fractions, bigints, Decimals, and arrays of them for tensors), read
 * exactly, and the results, which carry their precision.
 */
import type { Decimal } from 'decimal.js';
import { TypegradError } from '../ad/errors.js';
import { rationalOfDouble } from '../ad/algebra/exact-value.js';
import { Rational } from '../ad/algebra/rational.js';
import { decimalOfDouble, type DecimalConstructor } from '../ad/precise/decimal-rules.js';
import { describeShape, elementCount, type Shape } from '../ad/shape.js';
import { describeValue } from './record.js';

/**
 * A fraction given as an input: a bigint numerator and a nonzero bigint denominator (any signs,
 * any common factor).
 * @example evalExact(x, { x: { numerator: 2n, denominator: 6n } }).toString() // '1/3'
 */
export interface FractionInput {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/**
 * An exact rational number, what `evalExact` returns: lowest terms with a positive denominator.
 * @example evalExact(x.div(3), { x: 1 }).value // { numerator: 1n, denominator: 3n }, printed 1/3
 */
export interface Fraction extends FractionInput {
  /** `'1/3'`, `'-2'`. */
  toString(): string;
  /** The nearest double. */
  toNumber(): number;
}

/**
 * A scalar given to the arbitrary-precision evaluations, read exactly:
 * - a number: the simplest fraction that rounds to it (0.1 is one tenth), else its exact binary
 *   value, as constants in expressions are read;
 * - a string: a decimal (`'0.1'`, `'-2.5e-30'`, every digit kept) or a fraction (`'1/3'`);
 * - a bigint, a `Fraction` (`{ numerator: 1n, denominator: 3n }`), or a decimal.js `Decimal`
 *   (all its digits).
 */
export type PreciseScalarInput = number | bigint | string | FractionInput | Decimal;

/** A tensor's value: nested arrays of `PreciseScalarInput` (one level per axis), or flat row-major doubles. */
export type PreciseTensorInput = readonly (PreciseScalarInput | PreciseTensorInput)[] | Float64Array;

/** Anything a variable can be bound to in `evalDecimal`, `evalExact` and their compiled functions. */
export type PreciseInput = PreciseScalarInput | PreciseTensorInput;

/** The precision of a decimal result. */
export interface DecimalPrecision {
  readonly kind: 'decimal';
  /** The significant digits asked for: the value is rounded (half to even) to them. */
  readonly digits: number;
  /**
   * How many leading significant digits agree with an evaluation at more working digits (at
   * most `digits`): below `digits` only where cancellation ate all the guard digits, such as a
   * result that should be 0 but is rounding noise (sin π). An estimate, not a proof.
   */
  readonly correctDigits: number;
  /** The working precision of the evaluation returned (digits plus guard digits). */
  readonly workingDigits: number;
}

/** The precision of an exact result: every operation was carried out in exact rationals. */
export interface ExactPrecision {
  readonly kind: 'exact';
}

/** A scalar result of an arbitrary-precision evaluation: the value `E` (a `Decimal` or a `Fraction`) and its precision `P`. */
export interface PreciseNumber<E, P> {
  readonly value: E;
  readonly precision: P;
  /** The value with all its digits (trailing zeros too: `precision.digits` of them), or the fraction. */
  toString(): string;
  /** The nearest double. */
  toNumber(): number;
}

/** A tensor result: its elements flat and row-major, its shape, and their precision (the least of the elements'). */
export interface PreciseTensor<E, P> {
  readonly shape: readonly number[];
  readonly values: readonly E[];
  readonly precision: P;
  /** Nested brackets of every element's digits, e.g. `[[1/2, 1], [3/2, 2]]`. */
  toString(): string;
  /** The nearest doubles, flat row-major. */
  toNumbers(): Float64Array;
}

/** How a scalar input was read, before a number system sees it. */
export type ReadScalar =
  | { readonly kind: 'rational'; readonly value: Rational }
  | { readonly kind: 'decimal'; readonly text: string }
  | { readonly kind: 'double'; readonly value: number };

const FRACTION = /^\s*([+-]?\d+)\s*\/\s*([+-]?\d+)\s*$/;
const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;
const SPECIAL = /^\s*[+-]?(?:Infinity|NaN)\s*$/;

function isFraction(value: unknown): value is FractionInput {
  return typeof value === 'object' && value !== null && typeof (value as FractionInput).numerator === 'bigint' && typeof (value as FractionInput).denominator === 'bigint';
}

/** A decimal.js Decimal (of any copy of the library): its sign, exponent and digit words. */
function isDecimal(value: unknown): value is Decimal {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { s?: unknown; e?: unknown; d?: unknown; toFixed?: unknown };
  return typeof v.s === 'number' && typeof v.e === 'number' && (Array.isArray(v.d) || v.d === null) && typeof v.toFixed === 'function';
}

/** One scalar input read exactly, or undefined when it is not one. */
function readScalar(value: unknown): ReadScalar | undefined {
  if (typeof value === 'number') return { kind: 'double', value };
  if (typeof value === 'bigint') return { kind: 'rational', value: Rational.of(value) };
  if (isFraction(value)) {
    if (value.denominator === 0n) return undefined;
    return { kind: 'rational', value: Rational.of(value.numerator, value.denominator) };
  }
  if (isDecimal(value)) return { kind: 'decimal', text: value.toString() };
  if (typeof value === 'string') {
    const fraction = FRACTION.exec(value);
    if (fraction !== null) return BigInt(fraction[2]!) === 0n ? undefined : { kind: 'rational', value: Rational.of(BigInt(fraction[1]!), BigInt(fraction[2]!)) };
    const decimal = DECIMAL.exec(value);
    if ((decimal !== null && (decimal[2] !== '' || (decimal[3] ?? '') !== '')) || SPECIAL.test(value)) return { kind: 'decimal', text: value.trim() };
  }
  return undefined;
}

const WHAT = "a number, a decimal string ('0.1'), a fraction ('1/3' or { numerator, denominator } in bigints), a bigint or a Decimal";

/**
 * The flat exact values bound to `variable` of `shape`: a scalar for a scalar variable; nested
 * arrays of the shape (or flat doubles) for a tensor. A wrong shape or element is a
 * TypegradError naming the variable.
 */
export function readBinding(value: unknown, shape: Shape, variable: string, operation: string): ReadScalar[] {
  const element = (v: unknown, where: string): ReadScalar => {
    const read = readScalar(v);
    if (read === undefined) throw new TypegradError(`${operation}: variable '${variable}'${where} must be ${WHAT}, got ${describeValue(v)}`);
    return read;
  };
  if (shape.length === 0) return [element(value, '')];
  if (value instanceof Float64Array) {
    if (value.length !== elementCount(shape)) throw new TypegradError(`${operation}: variable '${variable}' is a ${describeShape(shape)}, got a Float64Array of ${value.length} values`);
    return Array.from(value, (v) => ({ kind: 'double', value: v }));
  }
  // Level by level, never recursively: each level must be arrays of the axis's length.
  let level: unknown[] = [value];
  for (let axis = 0; axis < shape.length; axis++) {
    const next: unknown[] = [];
    for (const item of level) {
      if (!Array.isArray(item) || item.length !== shape[axis]) {
        throw new TypegradError(`${operation}: variable '${variable}' is a ${describeShape(shape)}, got ${describeValue(item)} at depth ${axis}`);
      }
      for (const e of item) next.push(e);
    }
    level = next;
  }
  return level.map((v, k) => element(v, ` (element ${k})`));
}

/** An input as a Decimal of the working precision of `D` (exact except a fraction's division). */
export function decimalOfInput(input: ReadScalar, D: DecimalConstructor): Decimal {
  switch (input.kind) {
    case 'double':
      return decimalOfDouble(input.value, D);
    case 'decimal':
      return new D(input.text);
    case 'rational':
      return input.value.den === 1n ? new D(input.value.num.toString()) : new D(input.value.num.toString()).div(input.value.den.toString());
  }
}

/** Decimal exponents beyond this are refused in exact evaluation (10^100000 already has 332,000 bits). */
const LARGEST_EXPONENT = 100_000;

/** An input as an exact rational; NaN and the infinities are errors. */
export function rationalOfInput(input: ReadScalar, variable: string, operation: string): Rational {
  const fail = (what: string) => new TypegradError(`${operation}: variable '${variable}' is bound to ${what}, which is not a rational number`);
  switch (input.kind) {
    case 'rational':
      return input.value;
    case 'double': {
      const r = rationalOfDouble(input.value);
      if (r === undefined) throw fail(String(input.value));
      return r;
    }
    case 'decimal': {
      const match = DECIMAL.exec(input.text);
      if (match === null) throw fail(input.text);
      const [, sign, whole, fraction = '', exponentText = '0'] = match;
      const exponent = Number(exponentText) - fraction.length;
      if (Math.abs(exponent) > LARGEST_EXPONENT) throw new TypegradError(`${operation}: variable '${variable}' is bound to ${input.text}, whose exponent is too large for exact evaluation`);
      const digits = BigInt(`${sign}${whole}${fraction}` === sign ? '0' : `${sign}${whole}${fraction}`);
      return exponent >= 0 ? Rational.of(digits * 10n ** BigInt(exponent)) : Rational.of(digits, 10n ** BigInt(-exponent));
    }
  }
}

const bitLength = (n: bigint) => (n < 0n ? -n : n).toString(2).length;

/** The double nearest num/den (rounded once from a quotient of at least 64 bits). */
export function rationalToNumber(r: Rational): number {
  if (r.den === 1n) return Number(r.num);
  const negative = r.num < 0n;
  const n = negative ? -r.num : r.num;
  const shift = bitLength(r.den) - bitLength(n) + 65;
  const quotient = shift >= 0 ? (n << BigInt(shift)) / r.den : (n >> BigInt(-shift)) / r.den;
  // Two halves, so that neither power of two overflows or underflows on its own.
  const half = Math.trunc(shift / 2);
  const value = Number(quotient) * 2 ** -half * 2 ** -(shift - half);
  return negative ? -value : value;
}

const inspect = Symbol.for('nodejs.util.inspect.custom');

class ExactFraction implements Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
  constructor(r: Rational) {
    this.numerator = r.num;
    this.denominator = r.den;
  }
  toString(): string {
    return this.denominator === 1n ? String(this.numerator) : `${this.numerator}/${this.denominator}`;
  }
  toNumber(): number {
    return rationalToNumber(Rational.of(this.numerator, this.denominator));
  }
  [inspect](): string {
    return this.toString();
  }
}

/** A Rational as the public `Fraction`. */
export function fractionOf(r: Rational): Fraction {
  return new ExactFraction(r);
}

/** How a result's elements print and convert to doubles. */
export interface ElementFormat<E> {
  readonly text: (value: E) => string;
  readonly number: (value: E) => number;
}

class ScalarResult<E, P> implements PreciseNumber<E, P> {
  readonly value: E;
  readonly precision: P;
  readonly #format: ElementFormat<E>;
  constructor(value: E, precision: P, format: ElementFormat<E>) {
    this.value = value;
    this.precision = precision;
    this.#format = format;
  }
  toString(): string {
    return this.#format.text(this.value);
  }
  toNumber(): number {
    return this.#format.number(this.value);
  }
  [inspect](): string {
    return this.toString();
  }
}

/** Nested brackets of printed elements, row-major over `shape`. */
function nested(texts: readonly string[], shape: Shape): string {
  let level: string[] = [...texts];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += shape[axis]!) next.push(`[${level.slice(i, i + shape[axis]!).join(', ')}]`);
    level = next;
  }
  return level[0]!;
}

class TensorResult<E, P> implements PreciseTensor<E, P> {
  readonly shape: readonly number[];
  readonly values: readonly E[];
  readonly precision: P;
  readonly #format: ElementFormat<E>;
  constructor(shape: Shape, values: readonly E[], precision: P, format: ElementFormat<E>) {
    this.shape = Object.freeze([...shape]);
    this.values = Object.freeze([...values]);
    this.precision = precision;
    this.#format = format;
  }
  toString(): string {
    return nested(this.values.map(this.#format.text), this.shape);
  }
  toNumbers(): Float64Array {
    return Float64Array.from(this.values, this.#format.number);
  }
  [inspect](): string {
    return this.toString();
  }
}

/** A result of `shape`: a `PreciseNumber` for a scalar, else a `PreciseTensor`. */
export function preciseResult<E, P>(shape: Shape, values: readonly E[], precision: P, format: ElementFormat<E>): PreciseNumber<E, P> | PreciseTensor<E, P> {
  return shape.length === 0 ? new ScalarResult(values[0]!, precision, format) : new TensorResult(shape, values, precision, format);
}
