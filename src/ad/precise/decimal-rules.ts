/**
 * Arbitrary-precision decimal evaluation with decimal.js: one rule per elementwise primitive.
 * Every operation is rounded (half to even) to the precision of the Decimal constructor it is
 * given, as decimal.js does; the semantics follow the float64 reference (`Math`) wherever IEEE
 * has a special value: 1/0 is Infinity, ln(−1) and 0/0 are NaN, relu(NaN) is 0, sign keeps NaN.
 *
 * decimal.js is an optional peer: this file only names its types; the constructor comes from
 * the caller (the API loads the library).
 */
import type { Decimal } from 'decimal.js';
import { rationalOfDouble } from '../algebra/exact-value.js';
import type { PrimitiveName } from '../primitives/index.js';
import type { ElementwiseRules, NumberSystem } from './number-system.js';

/** A Decimal constructor (a decimal.js clone) configured with the working precision. */
export type DecimalConstructor = Decimal.Constructor;

/** One elementwise primitive on Decimals; `D` makes new values at the working precision. */
export type DecimalRule = (args: readonly Decimal[], D: DecimalConstructor) => Decimal;

/**
 * ln(1 + t) without losing a small t to the rounding of 1 + t: below 10^−precision the series
 * t − t²/2 is exact to the precision; above it, 1 + t is formed with enough extra digits to keep
 * all of t's.
 */
function log1p(t: Decimal, D: DecimalConstructor): Decimal {
  if (t.isZero() || !t.isFinite()) return new D(1).plus(t).ln();
  const exponent = t.e;
  if (exponent >= 0) return new D(1).plus(t).ln();
  if (-exponent > D.precision) return t.minus(t.times(t).div(2));
  const Wide = D.clone({ precision: D.precision - exponent + 2 });
  return new D(new Wide(1).plus(new Wide(t)).ln().toSignificantDigits(D.precision));
}

const zero = (D: DecimalConstructor) => new D(0);
const one = (D: DecimalConstructor) => new D(1);

/** The rules, one per primitive (a missing one is a compile error). */
export const decimalRules: { readonly [P in PrimitiveName]: DecimalRule } = {
  add: ([a, b]) => a!.plus(b!),
  sub: ([a, b]) => a!.minus(b!),
  mul: ([a, b]) => a!.times(b!),
  div: ([a, b]) => a!.div(b!),
  neg: ([a]) => a!.neg(),
  pow: ([a, b]) => a!.pow(b!),
  exp: ([a]) => a!.exp(),
  ln: ([a]) => a!.ln(),
  log: ([a, base]) => a!.ln().div(base!.ln()),
  sqrt: ([a]) => a!.sqrt(),
  cbrt: ([a]) => a!.cbrt(),
  sin: ([a]) => a!.sin(),
  cos: ([a]) => a!.cos(),
  tan: ([a]) => a!.tan(),
  asin: ([a]) => a!.asin(),
  acos: ([a]) => a!.acos(),
  atan: ([a]) => a!.atan(),
  sinh: ([a]) => a!.sinh(),
  cosh: ([a]) => a!.cosh(),
  tanh: ([a]) => a!.tanh(),
  sigmoid: ([a], D) => one(D).div(one(D).plus(a!.neg().exp())),
  // max(a, 0) + ln(1 + e^−|a|): for a ≪ 0 the value e^a survives (ln(1 + e^a) would round it to 0).
  softplus: ([a], D) => (a!.isNaN() ? a! : (a!.isPositive() ? a! : zero(D)).plus(log1p(a!.abs().neg().exp(), D))),
  relu: ([a], D) => (a!.gt(0) ? a! : zero(D)),
  abs: ([a]) => a!.abs(),
  sign: ([a], D) => (a!.gt(0) ? one(D) : a!.lt(0) ? new D(-1) : a!),
  heaviside: ([a], D) => (a!.gt(0) ? one(D) : a!.lte(0) ? zero(D) : new D(NaN)),
  equal: ([a, b], D) => (a!.eq(b!) ? one(D) : zero(D)),
};

/**
 * The value a double constant of the DAG stands for: the simplest fraction that rounds to it
 * (0.1 is one tenth, 1/3 one third: constants are written, or folded, as doubles), else its
 * exact binary value; then rounded to the working precision.
 */
export function decimalOfDouble(value: number, D: DecimalConstructor): Decimal {
  if (!Number.isFinite(value) || Object.is(value, -0)) return new D(value);
  const r = rationalOfDouble(value)!;
  return r.den === 1n ? new D(r.num.toString()) : new D(r.num.toString()).div(r.den.toString());
}

/** Decimal evaluation at the precision of `D` (named `name` in errors). */
export function decimalSystem(D: DecimalConstructor, name: string): NumberSystem<Decimal> {
  const elementwise = {} as Record<PrimitiveName, (args: readonly Decimal[]) => Decimal>;
  for (const op of Object.keys(decimalRules) as PrimitiveName[]) {
    const rule = decimalRules[op];
    elementwise[op] = (args) => rule(args, D);
  }
  return {
    name,
    constant: (value) => decimalOfDouble(value, D),
    zero: new D(0),
    one: new D(1),
    elementwise: elementwise as ElementwiseRules<Decimal>,
    maximum: (a, b) => (a.isNaN() ? a : b.isNaN() ? b : a.gte(b) ? a : b),
    isFinite: (a) => a.isFinite(),
    toNumber: (a) => a.toNumber(),
  };
}
