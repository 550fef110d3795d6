/**
 * Exact rationals over BigInt, for the algebra that must not round: polynomial roots by the
 * rational root theorem, fraction-free elimination, exact coefficients in `simplify`.
 * Always normalised: the denominator is positive and coprime to the numerator.
 */
import { TypegradError } from '../errors.js';

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** The largest denominator `fromNumber` looks for before falling back to the exact binary value. */
const SMALL_DENOMINATOR = 1_000_000n;

export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    let n = BigInt(num), d = BigInt(den);
    // Integers need no gcd; most coefficients in polynomial arithmetic are integers.
    if (d === 1n) return new Rational(n, 1n);
    if (d === 0n) throw new TypegradError('rational: division by zero');
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n, d);
    return g === 1n || g === 0n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  static readonly ZERO = Rational.of(0n);
  static readonly ONE = Rational.of(1n);

  /**
   * A finite number as a rational: the simplest fraction with a denominator up to a million that
   * reads back as exactly this double (so 0.1 is 1/10, not 3602879701896397/2^55), else `undefined`.
   * Integers are always exact.
   */
  static fromNumber(value: number): Rational | undefined {
    if (!Number.isFinite(value)) return undefined;
    if (Number.isInteger(value)) return Rational.of(BigInt(value));
    // Continued fraction convergents h/k of |value|.
    const x0 = Math.abs(value);
    let x = x0;
    let [h0, h1, k0, k1] = [0n, 1n, 1n, 0n];
    for (let i = 0; i < 64; i++) {
      const a = Math.floor(x);
      const big = BigInt(a);
      [h0, h1] = [h1, big * h1 + h0];
      [k0, k1] = [k1, big * k1 + k0];
      if (k1 > SMALL_DENOMINATOR) break;
      if (Number(h1) / Number(k1) === x0) return Rational.of(value < 0 ? -h1 : h1, k1);
      const fraction = x - a;
      if (fraction === 0) break;
      x = 1 / fraction;
    }
    return undefined;
  }

  /** The exact binary value of a finite double (every double is a fraction with a power-of-2 denominator). */
  static fromDouble(value: number): Rational | undefined {
    if (!Number.isFinite(value)) return undefined;
    if (Number.isInteger(value)) return Rational.of(BigInt(value));
    let exponent = 0n;
    let scaled = value;
    // Multiplying by 2 is exact; at most 1074 doublings make any finite double an integer.
    while (!Number.isInteger(scaled)) {
      scaled *= 2;
      exponent++;
    }
    return Rational.of(BigInt(scaled), 2n ** exponent);
  }

  add(o: Rational): Rational {
    if (this.den === 1n && o.den === 1n) return new Rational(this.num + o.num, 1n);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    if (this.den === 1n && o.den === 1n) return new Rational(this.num - o.num, 1n);
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational): Rational {
    if (this.den === 1n && o.den === 1n) return new Rational(this.num * o.num, 1n);
    return Rational.of(this.num * o.num, this.den * o.den);
  }
  div(o: Rational): Rational {
    if (o.num === 0n) throw new TypegradError('rational: division by zero');
    return Rational.of(this.num * o.den, this.den * o.num);
  }
  neg(): Rational {
    return new Rational(-this.num, this.den);
  }
  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }
  /** this^n for an integer n (negative powers invert). */
  pow(n: number): Rational {
    if (!Number.isInteger(n)) throw new TypegradError(`rational: exponent must be an integer, got ${n}`);
    const e = BigInt(Math.abs(n));
    const r = Rational.of(this.num ** e, this.den ** e);
    return n < 0 ? Rational.ONE.div(r) : r;
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }
  sign(): number {
    return this.num > 0n ? 1 : this.num < 0n ? -1 : 0;
  }
  equals(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }
  compare(o: Rational): number {
    return this.sub(o).sign();
  }
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }
  toString(): string {
    return this.den === 1n ? String(this.num) : `${this.num}/${this.den}`;
  }
}

/** n = s² · k with k square-free as far as trial division up to `limit` finds: returns [s, k]. */
export function splitSquare(n: bigint, limit = 100_000n): [bigint, bigint] {
  let s = 1n, k = n;
  for (let p = 2n; p * p <= k && p <= limit; p++) {
    while (k % (p * p) === 0n) {
      k /= p * p;
      s *= p;
    }
  }
  return [s, k];
}

/** r = base^power with the largest power ≥ 2 (both numerator and denominator powers), if any. */
export function perfectPowerRoot(r: Rational): { base: Rational; power: number } | undefined {
  const largest = Math.floor(Math.log2(Math.max(Number(r.num), Number(r.den))));
  for (let k = Math.min(largest, 64); k >= 2; k--) {
    const num = integerRoot(r.num, k), den = integerRoot(r.den, k);
    if (num !== undefined && den !== undefined) return { base: Rational.of(num, den), power: k };
  }
  return undefined;
}

/** The k-th root of a positive integer when it is an integer. */
function integerRoot(n: bigint, k: number): bigint | undefined {
  const guess = BigInt(Math.round(Number(n) ** (1 / k)));
  for (const candidate of [guess - 1n, guess, guess + 1n]) if (candidate > 0n && candidate ** BigInt(k) === n) return candidate;
  return undefined;
}

export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

export { gcd };
