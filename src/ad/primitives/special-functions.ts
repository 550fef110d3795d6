/**
 * The algorithms of the special functions (erf, erfc, lgamma, digamma, polygamma), written once
 * over an `Arithmetic`: on numbers they are the reference numerics, on nodes the decomposition
 * every backend lowers. So the compiled value is the reference's to rounding, on every backend.
 * Branches are `where`s: every region is computed and one is chosen, as a GPU would.
 *
 * - erf, erfc: W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969; CALERF),
 *   relative error below 1e−16 in three regions, with exp(−y²) split so its error does not grow.
 * - lgamma: ln|Γ(x)| by Lanczos (g = 7, 9 terms; relative error ≈ 1e−15), and the reflection
 *   ln(π/|sin πx|) − lgamma(1 − x) below ½.
 * - digamma and polygamma: the recurrence up to x + M, then the asymptotic (Bernoulli) series;
 *   below ½ the reflection, with the n-th derivative of cot as a polynomial in cot.
 */
import type { Node } from '../node.js';
import type { Builder } from './types.js';

/** What the algorithms compute with. Comparisons give 1 or 0; `where` picks by a nonzero mask. */
export interface Arithmetic<T> {
  constant(value: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  /** a^n for an integer constant n. */
  power(a: T, n: number): T;
  unary(op: 'exp' | 'ln' | 'sin' | 'tan' | 'floor' | 'abs' | 'neg', a: T): T;
  compare(op: 'lt' | 'gt' | 'equal', a: T, b: T): T;
  where(mask: T, a: T, b: T): T;
}

const unaryNumbers = { exp: Math.exp, ln: Math.log, sin: Math.sin, tan: Math.tan, floor: Math.floor, abs: Math.abs, neg: (a: number) => -a };

/** The reference: plain numbers. */
export const numbers: Arithmetic<number> = {
  constant: (value) => value,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  power: (a, n) => Math.pow(a, n),
  unary: (op, a) => unaryNumbers[op](a),
  compare: (op, a, b) => ((op === 'lt' ? a < b : op === 'gt' ? a > b : a === b) ? 1 : 0),
  where: (mask, a, b) => (mask !== 0 ? a : b),
};

/** Nodes, through the smart constructors: a decomposition. */
export function nodes(b: Builder): Arithmetic<Node> {
  return {
    constant: (value) => b.constant(value),
    add: b.add,
    sub: b.sub,
    mul: b.mul,
    div: b.div,
    power: (a, n) => b.pow(a, b.constant(n)),
    unary: (op, a) => b.apply(op, [a]),
    compare: (op, a, c) => b.apply(op, [a, c]),
    where: (mask, a, c) => b.apply('where', [mask, a, c]),
  };
}

/** c₀ + c₁·x + c₂·x² + ... by Horner's rule. */
function polynomial<T>(A: Arithmetic<T>, x: T, coefficients: readonly number[]): T {
  let sum = A.constant(coefficients[coefficients.length - 1]!);
  for (let i = coefficients.length - 2; i >= 0; i--) sum = A.add(A.mul(sum, x), A.constant(coefficients[i]!));
  return sum;
}

/* erf and erfc (Cody). */

const ERF_A = [3.1611237438705656, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const ERF_C = [0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.635138197400131, 881.952221241769090, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8];
const ERF_D = [15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495];
const ERF_P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 6.587491615298378e-4, 0.016315387137302097];
const ERF_Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514284, 0.06051834131244132, 0.0023352049762686918];
const ONE_OVER_SQRT_PI = 0.5641895835477563;
/** Beyond this |x|, erfc(x) underflows; the argument is clamped to it so that ∞ gives 0, not NaN. */
const ERFC_UNDERFLOW = 30;

/** Cody's numerator/denominator loop: xnum = (xnum + pᵢ)·y, xden = (xden + qᵢ)·y, then the last terms. */
function codyRatio<T>(A: Arithmetic<T>, y: T, p: readonly number[], q: readonly number[], last: number): T {
  let xnum = A.mul(A.constant(p[last + 1]!), y), xden = y;
  for (let i = 0; i < last; i++) {
    xnum = A.mul(A.add(xnum, A.constant(p[i]!)), y);
    xden = A.mul(A.add(xden, A.constant(q[i]!)), y);
  }
  return A.div(A.add(xnum, A.constant(p[last]!)), A.add(xden, A.constant(q[last]!)));
}

/** [erf(x) for |x| ≤ 0.46875, erfc(|x|) for |x| > 0.46875]: Cody's three regions. */
function erfParts<T>(A: Arithmetic<T>, x: T): { small: T; tail: T; y: T } {
  const y = A.unary('abs', x);
  const small = A.mul(x, codyRatio(A, A.mul(y, y), ERF_A, ERF_B, 3));
  const middle = codyRatio(A, y, ERF_C, ERF_D, 7);
  const far = A.where(A.compare('gt', y, A.constant(ERFC_UNDERFLOW)), A.constant(ERFC_UNDERFLOW), y);
  const z = A.div(A.constant(1), A.mul(far, far));
  const asymptotic = A.div(A.sub(A.constant(ONE_OVER_SQRT_PI), A.mul(z, codyRatio(A, z, ERF_P, ERF_Q, 4))), far);
  const ratio = A.where(A.compare('gt', y, A.constant(4)), asymptotic, middle);
  // exp(−y²) = exp(−s²)·exp(−(y − s)(y + s)) with s = ⌊16y⌋/16, so that y² is not rounded.
  const s = A.div(A.unary('floor', A.mul(far, A.constant(16))), A.constant(16));
  const tail = A.mul(A.mul(A.unary('exp', A.unary('neg', A.mul(s, s))), A.unary('exp', A.unary('neg', A.mul(A.sub(far, s), A.add(far, s))))), ratio);
  return { small, tail, y };
}

const isSmall = <T>(A: Arithmetic<T>, y: T) => A.compare('lt', y, A.constant(0.46875));
const isNegative = <T>(A: Arithmetic<T>, x: T) => A.compare('lt', x, A.constant(0));

/** The error function. */
export function erf<T>(A: Arithmetic<T>, x: T): T {
  const { small, tail, y } = erfParts(A, x);
  const large = A.sub(A.constant(1), tail);
  return A.where(isSmall(A, y), small, A.where(isNegative(A, x), A.unary('neg', large), large));
}

/** The complementary error function 1 − erf(x), accurate where erf(x) is near 1. */
export function erfc<T>(A: Arithmetic<T>, x: T): T {
  const { small, tail, y } = erfParts(A, x);
  return A.where(isSmall(A, y), A.sub(A.constant(1), small), A.where(isNegative(A, x), A.sub(A.constant(2), tail), tail));
}

/* lgamma. */

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
const HALF_LN_TWO_PI = 0.9189385332046728;

/** ln Γ(z) for z ≥ ½ (Lanczos). */
function lanczos<T>(A: Arithmetic<T>, z: T): T {
  const shifted = A.sub(z, A.constant(1));
  let series = A.constant(LANCZOS[0]!);
  for (let i = 1; i < LANCZOS.length; i++) series = A.add(series, A.div(A.constant(LANCZOS[i]!), A.add(shifted, A.constant(i))));
  const t = A.add(shifted, A.constant(7.5));
  return A.add(A.sub(A.add(A.constant(HALF_LN_TWO_PI), A.mul(A.add(shifted, A.constant(0.5)), A.unary('ln', t))), t), A.unary('ln', series));
}

/**
 * x − ⌊x⌋ moved to (−½, ½] by subtracting 1 above ½ (both exact): the point of the period of
 * sin(πx) (up to sign) and cot(πx) nearest 0, so πx is not rounded for large x and integers give
 * exactly 0.
 */
function reducedPeriod<T>(A: Arithmetic<T>, x: T): T {
  const r = A.sub(x, A.unary('floor', x));
  return A.where(A.compare('gt', r, A.constant(0.5)), A.sub(r, A.constant(1)), r);
}

/** ln|Γ(x)|: +∞ at the poles (0, −1, −2, ...) and at ±∞, exactly 0 at 1 and 2. */
export function lgamma<T>(A: Arithmetic<T>, x: T): T {
  const sine = A.unary('abs', A.unary('sin', A.mul(A.constant(Math.PI), reducedPeriod(A, x))));
  const reflected = A.sub(A.unary('ln', A.div(A.constant(Math.PI), sine)), lanczos(A, A.sub(A.constant(1), x)));
  const value = A.where(A.compare('lt', x, A.constant(0.5)), reflected, lanczos(A, x));
  const exactZero = A.add(A.compare('equal', x, A.constant(1)), A.compare('equal', x, A.constant(2)));
  const infinite = A.compare('equal', A.unary('abs', x), A.constant(Infinity));
  return A.where(infinite, A.constant(Infinity), A.where(exactZero, A.constant(0), value));
}

/* digamma and polygamma. */

/** B₂, B₄, ..., B₂₀. */
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];
/** How far the recurrence moves the argument before the asymptotic series: 10 + 3n. */
const shiftFor = (n: number) => 10 + 3 * n;

/** cot(πx), from x reduced to (−½, ½] (cot(πx) has period 1). */
function cotPi<T>(A: Arithmetic<T>, x: T): T {
  return A.div(A.constant(1), A.unary('tan', A.mul(A.constant(Math.PI), reducedPeriod(A, x))));
}

/** ψ(z) for z ≥ ½. */
function digammaRight<T>(A: Arithmetic<T>, z: T): T {
  const M = shiftFor(0);
  let reciprocals = A.constant(0);
  for (let k = 0; k < M; k++) reciprocals = A.add(reciprocals, A.div(A.constant(1), A.add(z, A.constant(k))));
  const w = A.add(z, A.constant(M));
  const w2 = A.div(A.constant(1), A.mul(w, w));
  // Σ B₂ₖ/(2k·w²ᵏ), k = 1..7
  const series = A.mul(w2, polynomial(A, w2, BERNOULLI.slice(0, 7).map((bk, i) => bk / (2 * (i + 1)))));
  return A.sub(A.sub(A.sub(A.unary('ln', w), A.div(A.constant(0.5), w)), series), reciprocals);
}

/** ψ(x) = Γ′(x)/Γ(x); −∞ at the poles (0, −1, −2, ...). */
export function digamma<T>(A: Arithmetic<T>, x: T): T {
  const reflected = A.sub(digammaRight(A, A.sub(A.constant(1), x)), A.mul(A.constant(Math.PI), cotPi(A, x)));
  return A.where(A.compare('lt', x, A.constant(0.5)), reflected, digammaRight(A, x));
}

const factorial = (n: number) => {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
};

/** ψ⁽ⁿ⁾(z) for z ≥ ½ and n ≥ 1. */
function polygammaRight<T>(A: Arithmetic<T>, n: number, z: T): T {
  const M = shiftFor(n);
  const sign = n % 2 === 1 ? 1 : -1;
  let sum = A.constant(0);
  for (let k = 0; k < M; k++) sum = A.add(sum, A.power(A.add(z, A.constant(k)), -(n + 1)));
  const w = A.add(z, A.constant(M));
  const w2 = A.div(A.constant(1), A.mul(w, w));
  // (n−1)!/wⁿ + n!/(2wⁿ⁺¹) + Σ B₂ₖ (2k+n−1)!/((2k)! w²ᵏ⁺ⁿ)
  const coefficients = BERNOULLI.map((bk, i) => (bk * factorial(2 * (i + 1) + n - 1)) / factorial(2 * (i + 1)));
  const bernoulli = A.mul(w2, polynomial(A, w2, coefficients));
  const asymptotic = A.mul(A.power(w, -n), A.add(A.add(A.constant(factorial(n - 1)), A.div(A.constant(factorial(n) / 2), w)), bernoulli));
  return A.mul(A.constant(sign), A.add(asymptotic, A.mul(A.constant(factorial(n)), sum)));
}

/** The coefficients of Pₙ with dⁿ/dxⁿ cot(πx) = πⁿ·Pₙ(cot πx): P₀(c) = c, Pₖ₊₁ = −(1 + c²)·Pₖ′. */
function cotDerivativePolynomial(n: number): number[] {
  let p = [0, 1];
  for (let k = 0; k < n; k++) {
    const derivative = p.slice(1).map((c, i) => c * (i + 1));
    const next = new Array<number>(derivative.length + 2).fill(0);
    derivative.forEach((c, i) => {
      next[i] -= c;
      next[i + 2] -= c;
    });
    p = next;
  }
  return p;
}

/**
 * ψ⁽ⁿ⁾(x), the n-th derivative of digamma, for an integer n ≥ 1 (NaN otherwise; n = 0 is
 * digamma). Below ½ by the reflection (−1)ⁿψ⁽ⁿ⁾(1 − x) − πⁿ⁺¹·Pₙ(cot πx).
 */
export function polygamma<T>(A: Arithmetic<T>, n: number, x: T): T {
  if (n === 0) return digamma(A, x);
  if (!Number.isInteger(n) || n < 0) return A.constant(NaN);
  const reflected = A.sub(
    A.mul(A.constant(n % 2 === 0 ? 1 : -1), polygammaRight(A, n, A.sub(A.constant(1), x))),
    A.mul(A.constant(Math.PI ** (n + 1)), polynomial(A, cotPi(A, x), cotDerivativePolynomial(n))),
  );
  return A.where(A.compare('lt', x, A.constant(0.5)), reflected, polygammaRight(A, n, x));
}
