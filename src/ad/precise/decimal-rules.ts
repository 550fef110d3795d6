/**
 * Arbitrary-precision decimal evaluation with decimal.js: one rule per elementwise primitive.
 * Every operation is rounded (half to even) to the precision of the Decimal constructor it is
 * given, as decimal.js does; the semantics follow the float64 reference (`Math`) wherever IEEE
 * has a special value: 1/0 is Infinity, ln(−1) and 0/0 are NaN, relu and sign keep NaN.
 *
 * decimal.js is an optional peer: this file only names its types; the constructor comes from
 * the caller (the API loads the library).
 */
import type { Decimal } from 'decimal.js';
import { TypegradError } from '../errors.js';
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

/** e^t − 1 without losing a small t: evaluated with as many extra digits as t has leading zeros. */
function expm1(t: Decimal, D: DecimalConstructor): Decimal {
  if (t.isZero() || !t.isFinite() || t.e >= 0) return t.exp().minus(1);
  const Wide = D.clone({ precision: D.precision - t.e + 2 });
  return new D(new Wide(t).exp().minus(1).toSignificantDigits(D.precision));
}

/**
 * erf t = 2/√π Σ (−1)ⁿ t^(2n+1) / (n! (2n+1)), summed with enough guard digits to absorb the
 * cancellation of its terms (the largest is about e^(t²)); beyond |t| = 27 erf t rounds to ±1 at
 * any precision below 300 digits, and erfc is then summed from its own side by `erfc`.
 */
function erf(t: Decimal, D: DecimalConstructor): Decimal {
  if (t.isNaN()) return t;
  if (!t.isFinite()) return new D(t.isPositive() ? 1 : -1);
  if (t.isZero()) return t;
  const guard = Math.ceil(t.times(t).toNumber() / Math.LN10) + 10;
  const W = D.clone({ precision: D.precision + guard });
  const x = new W(t), x2 = x.times(x);
  let power = x; // (−1)ⁿ t^(2n+1) / n!
  let sum = x;
  const epsilon = new W(10).pow(-(D.precision + guard));
  for (let n = 1; ; n++) {
    power = power.times(x2).neg().div(n);
    const term = power.div(2 * n + 1);
    sum = sum.plus(term);
    if (term.abs().lte(epsilon.times(sum.abs()))) break;
  }
  const pi = W.acos(-1);
  return new D(sum.times(2).div(pi.sqrt()).toSignificantDigits(D.precision));
}

/**
 * erfc t: 1 − erf t for t below 2; above, the continued fraction
 * erfc t = e^(−t²)/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + ...)))), evaluated backwards from a
 * depth at which it has converged to the precision (checked by doubling the depth).
 */
function erfc(t: Decimal, D: DecimalConstructor): Decimal {
  if (t.isNaN()) return t;
  if (!t.isFinite()) return new D(t.isPositive() ? 0 : 2);
  if (t.lt(2)) {
    const W = D.clone({ precision: D.precision + 5 });
    return new D(new W(1).minus(erf(new W(t), W)).toSignificantDigits(D.precision));
  }
  const W = D.clone({ precision: D.precision + 10 });
  const x = new W(t);
  const fraction = (depth: number) => {
    let tail = x;
    for (let k = depth; k >= 1; k--) tail = x.plus(new W(k).div(2).div(tail));
    return new W(1).div(tail);
  };
  let depth = 16;
  let value = fraction(depth);
  for (;;) {
    depth *= 2;
    const next = fraction(depth);
    if (next.minus(value).abs().lte(next.abs().times(new W(10).pow(-(D.precision + 5))))) break;
    value = next;
  }
  const pi = W.acos(-1);
  return new D(x.times(x).neg().exp().div(pi.sqrt()).times(fraction(depth)).toSignificantDigits(D.precision));
}

/**
 * The primitives decimal evaluation refuses with a TypegradError: their float64 algorithms
 * (series with double coefficients) cannot give more digits, and arbitrary-precision versions
 * are not written yet.
 */
export const DECIMAL_REFUSED: ReadonlySet<PrimitiveName> = new Set<PrimitiveName>(['lgamma', 'digamma', 'polygamma']);

function refused(op: string): DecimalRule {
  return (args) => {
    throw new TypegradError(`evalDecimal: ${op}(${args.map(String).join(', ')}) has no arbitrary-precision rule (its float64 algorithm's coefficients would limit the digits); evaluate it with eval in float64`);
  };
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
  relu: ([a], D) => (a!.lte(0) ? zero(D) : a!),
  abs: ([a]) => a!.abs(),
  sign: ([a], D) => (a!.gt(0) ? one(D) : a!.lt(0) ? new D(-1) : a!),
  heaviside: ([a], D) => (a!.gt(0) ? one(D) : a!.lte(0) ? zero(D) : new D(NaN)),
  equal: ([a, b], D) => (a!.eq(b!) ? one(D) : zero(D)),
  gt: ([a, b], D) => (a!.gt(b!) ? one(D) : zero(D)),
  ge: ([a, b], D) => (a!.gte(b!) ? one(D) : zero(D)),
  lt: ([a, b], D) => (a!.lt(b!) ? one(D) : zero(D)),
  le: ([a, b], D) => (a!.lte(b!) ? one(D) : zero(D)),
  ne: ([a, b], D) => (a!.eq(b!) ? zero(D) : one(D)),
  where: ([c, a, b]) => (c!.isZero() ? b! : a!),
  // As Math.max and Math.min: NaN wins, and max(−0, 0) is 0.
  maximum: ([a, b]) => (a!.isNaN() ? a! : b!.isNaN() ? b! : a!.gt(b!) || (a!.eq(b!) && !a!.isNegative()) ? a! : b!),
  minimum: ([a, b]) => (a!.isNaN() ? a! : b!.isNaN() ? b! : a!.lt(b!) || (a!.eq(b!) && a!.isNegative()) ? a! : b!),
  clip: ([x, lo, hi]) => {
    if (x!.isNaN() || lo!.isNaN() || hi!.isNaN()) return x!.isNaN() ? x! : lo!.isNaN() ? lo! : hi!;
    const low = x!.gte(lo!) ? x! : lo!;
    return low.lte(hi!) ? low : hi!;
  },
  floor: ([a]) => a!.floor(),
  ceil: ([a]) => a!.ceil(),
  // Math.round: halves go up (towards +∞).
  round: ([a]) => (a!.isFinite() ? a!.plus(0.5).floor() : a!),
  stopGradient: ([a]) => a!,
  expm1: ([a], D) => expm1(a!, D),
  log1p: ([a], D) => log1p(a!, D),
  hypot: ([a, b], D) => (!a!.isFinite() && !a!.isNaN()) || (!b!.isFinite() && !b!.isNaN()) ? new D(Infinity) : a!.times(a!).plus(b!.times(b!)).sqrt(),
  atan2: ([y, x], D) => D.atan2(y!, x!),
  erf: ([a], D) => erf(a!, D),
  erfc: ([a], D) => erfc(a!, D),
  lgamma: refused('lgamma'),
  digamma: refused('digamma'),
  polygamma: refused('polygamma'),
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
