/**
 * The real roots of a polynomial with exact rational coefficients, each either exact (a
 * rational, a quadratic surd, a real k-th root of one) or a double marked approximate with an
 * enclosing interval that is certified to hold exactly one root:
 *
 * 1. the square-free part p/gcd(p, p′), so that repeated roots are found once and every root is
 *    simple (roots are then never merged: distinct roots of a square-free polynomial differ);
 * 2. real-root isolation by Sturm sequences over exact rationals, bisecting from a power-of-two
 *    Cauchy bound so that every endpoint is a double; then bisection to adjacent doubles, with
 *    each sign evaluated exactly;
 * 3. rational roots recognised from those approximations by their continued fractions and
 *    confirmed exactly (a search over divisors of the coefficients, which once took 362 s on
 *    5·963761198400·x³ + x + 963761198400, is never made);
 * 4. what remains: the quadratic formula in the form that does not cancel, a polynomial in
 *    x^k through its roots in u = x^k, else the approximations.
 *
 * All work is counted against a budget; past it a TypegradError says so.
 */
import { TypegradError } from '../errors.js';
import { constantNode, type Node } from '../node.js';
import { exactApply, exactBuilder as E, rationalNode } from './exact.js';
import { nextDown, nextUp, type Interval } from './interval.js';
import { Rational, splitSquare } from './rational.js';

/** Coefficients, lowest degree first, without trailing zeros ([] is the zero polynomial). */
export type Univariate = Rational[];

/** One real root: exact (with its node) or approximate; `enclosure` holds it in both cases. */
export interface RealRoot {
  /** The exact root as a node, when it has one. */
  readonly exact: Node | undefined;
  /** The root as a double (for an approximate root the nearer of two adjacent doubles). */
  readonly value: number;
  /** An interval of doubles that contains the root. */
  readonly enclosure: Interval;
}

/** Sign evaluations of a polynomial that one call may make. */
const EVALUATION_BUDGET = 400_000;

class Counter {
  #left = EVALUATION_BUDGET;
  spend(what: string): void {
    if (--this.#left < 0) throw new TypegradError(`solve: gave up finding the real roots of ${what} after ${EVALUATION_BUDGET} exact evaluations`);
  }
}

function trim(p: Univariate): Univariate {
  const q = [...p];
  while (q.length > 0 && q[q.length - 1]!.isZero()) q.pop();
  return q;
}

export const degree = (p: Univariate): number => p.length - 1;

export function evaluate(p: Univariate, x: Rational): Rational {
  let value = Rational.ZERO;
  for (let i = p.length - 1; i >= 0; i--) value = value.mul(x).add(p[i]!);
  return value;
}

function derivative(p: Univariate): Univariate {
  return trim(p.slice(1).map((c, i) => c.mul(Rational.of(i + 1))));
}

function divide(p: Univariate, q: Univariate): { quotient: Univariate; remainder: Univariate } {
  const remainder = [...p];
  const quotient = new Array<Rational>(Math.max(0, p.length - q.length + 1)).fill(Rational.ZERO);
  const lead = q[q.length - 1]!;
  for (let k = p.length - q.length; k >= 0; k--) {
    const c = remainder[k + q.length - 1]!.div(lead);
    quotient[k] = c;
    if (c.isZero()) continue;
    for (let j = 0; j < q.length; j++) remainder[k + j] = remainder[k + j]!.sub(c.mul(q[j]!));
  }
  return { quotient: trim(quotient), remainder: trim(remainder.slice(0, q.length - 1)) };
}

/** Scaled by a positive factor to integer coefficients with gcd 1 (signs are kept, for Sturm). */
function tidy(p: Univariate): Univariate {
  if (p.length === 0) return p;
  let den = 1n, num = 0n;
  const gcd = (a: bigint, b: bigint): bigint => {
    if (a < 0n) a = -a;
    if (b < 0n) b = -b;
    while (b !== 0n) [a, b] = [b, a % b];
    return a;
  };
  for (const c of p) {
    den = (den / gcd(den, c.den)) * c.den;
    num = gcd(num, c.num);
  }
  const factor = Rational.of(den, num === 0n ? 1n : num);
  return p.map((c) => c.mul(factor));
}

function gcdUnivariate(p: Univariate, q: Univariate): Univariate {
  let [a, b] = [trim(p), trim(q)];
  while (b.length > 0) [a, b] = [b, tidy(divide(a, b).remainder)];
  return tidy(a);
}

/** p divided by (x − r) for a root r. */
export function deflate(p: Univariate, r: Rational): Univariate {
  return divide(p, [r.neg(), Rational.ONE]).quotient;
}

function sturmSequence(p: Univariate): Univariate[] {
  const sequence = [p, tidy(derivative(p))];
  for (;;) {
    const r = divide(sequence[sequence.length - 2]!, sequence[sequence.length - 1]!).remainder;
    if (r.length === 0) return sequence;
    sequence.push(tidy(r.map((c) => c.neg())));
  }
}

/** Sign changes of the sequence at x (at ±∞ when x is ±Infinity). */
function signChanges(sequence: readonly Univariate[], x: Rational | number): number {
  let changes = 0, previous = 0;
  for (const q of sequence) {
    let s: number;
    if (typeof x === 'number') s = q[q.length - 1]!.sign() * (x < 0 && (q.length - 1) % 2 === 1 ? -1 : 1);
    else s = evaluate(q, x).sign();
    if (s === 0) continue;
    if (previous !== 0 && s !== previous) changes++;
    previous = s;
  }
  return changes;
}

/** A power of two above every root's magnitude (Cauchy: 1 + max |aᵢ/aₙ|). */
function rootBound(p: Univariate, what: string): Rational {
  const lead = p[p.length - 1]!;
  let bound = Rational.ONE;
  for (const c of p.slice(0, -1)) {
    const ratio = c.div(lead).abs();
    if (ratio.compare(bound) > 0) bound = ratio;
  }
  let power = 1n;
  while (Rational.of(power).compare(bound.add(Rational.ONE)) <= 0) power <<= 1n;
  if (power > 1n << 1000n) throw new TypegradError(`solve: the roots of ${what} may exceed the range of doubles (a bound on them is 2^${power.toString(2).length - 1})`);
  return Rational.of(power);
}

interface Isolated {
  readonly lo: Rational;
  readonly hi: Rational;
}

/**
 * Disjoint intervals (lo, hi] that each hold exactly one root of the square-free p; or a root met
 * exactly at a bisection point (the caller divides it out and isolates again).
 */
function isolate(p: Univariate, counter: Counter, what: string): { intervals: Isolated[] } | { exact: Rational } {
  const sequence = sturmSequence(p);
  const bound = rootBound(p, what);
  const intervals: Isolated[] = [];
  const stack = [{ lo: bound.neg(), hi: bound, vLo: signChanges(sequence, bound.neg()), vHi: signChanges(sequence, bound) }];
  while (stack.length > 0) {
    const { lo, hi, vLo, vHi } = stack.pop()!;
    const count = vLo - vHi;
    if (count === 0) continue;
    if (count === 1) {
      intervals.push({ lo, hi });
      continue;
    }
    counter.spend(what);
    const mid = lo.add(hi).div(Rational.of(2));
    if (evaluate(p, mid).isZero()) return { exact: mid };
    const vMid = signChanges(sequence, mid);
    stack.push({ lo, hi: mid, vLo, vHi: vMid }, { lo: mid, hi, vLo: vMid, vHi });
  }
  return { intervals };
}

/** Bisects an isolating interval down to adjacent doubles; the root's enclosure and nearest endpoint. */
function refine(p: Univariate, { lo, hi }: Isolated, counter: Counter, what: string): RealRoot {
  if (evaluate(p, hi).isZero()) return { exact: undefined, value: hi.toNumber(), enclosure: { lo: hi.toNumber(), hi: hi.toNumber() } };
  let a = lo, b = hi;
  const sa = evaluate(p, a).sign();
  for (;;) {
    counter.spend(what);
    const mid = a.add(b).div(Rational.of(2));
    const [da, db, dm] = [a.toNumber(), b.toNumber(), mid.toNumber()];
    if (dm === da || dm === db || nextUp(da) >= db) break;
    const s = evaluate(p, mid).sign();
    if (s === 0) return { exact: undefined, value: dm, enclosure: { lo: dm, hi: dm } };
    if (s === sa) a = mid;
    else b = mid;
  }
  // The endpoints may not be doubles (they are dyadic, but may underflow); widen outward.
  const enclosure = { lo: nextDown(a.toNumber()), hi: nextUp(b.toNumber()) };
  const value = evaluate(p, a).abs().compare(evaluate(p, b).abs()) <= 0 ? a.toNumber() : b.toNumber();
  return { exact: undefined, value, enclosure };
}

/** A rational near `value` that is a root of p, found among the continued-fraction convergents. */
function rationalRootNear(p: Univariate, value: number, enclosure: Interval): Rational | undefined {
  let x = value;
  let [h0, h1, k0, k1] = [0n, 1n, 1n, 0n];
  for (let i = 0; i < 64 && Number.isFinite(x); i++) {
    const a = Math.floor(x);
    if (!Number.isSafeInteger(a)) return undefined;
    [h0, h1] = [h1, BigInt(a) * h1 + h0];
    [k0, k1] = [k1, BigInt(a) * k1 + k0];
    const candidate = Rational.of(h1, k1);
    const v = candidate.toNumber();
    if (v >= enclosure.lo && v <= enclosure.hi && evaluate(p, candidate).isZero()) return candidate;
    if (k1 > 1n << 40n) return undefined;
    const fraction = x - a;
    if (fraction === 0) return undefined;
    x = 1 / fraction;
  }
  return undefined;
}

const safe = (n: bigint): boolean => n <= BigInt(Number.MAX_SAFE_INTEGER) && -n <= BigInt(Number.MAX_SAFE_INTEGER);
/** Whether r is a double exactly (1e-13 read as its binary value, a root of x − 1e-13). */
const isDouble = (r: Rational): boolean => Rational.fromDouble(r.toNumber())?.equals(r) === true;
/** An exact root: a fraction of safe integers (`7 / 2`), or a double that is exactly the root. */
const exactRoot = (r: Rational): RealRoot => {
  const v = r.toNumber();
  const node = safe(r.num) && safe(r.den) ? rationalNode(r) : constantNode(v);
  return { exact: node, value: v, enclosure: isDouble(r) ? { lo: v, hi: v } : { lo: nextDown(v), hi: nextUp(v) } };
};
const isRepresentable = (r: Rational): boolean => (safe(r.num) && safe(r.den)) || isDouble(r);
/** A fraction of safe integers: the surds of the quadratic formula are written with these only (no 2^69 in a printed root). */
const isSafeFraction = (r: Rational): boolean => safe(r.num) && safe(r.den);

/** The real roots of a·x² + b·x + c with a negative discriminant's roots dropped, exactly; undefined when its numbers exceed 2^53. */
function quadraticRoots(c: Rational, b: Rational, a: Rational): RealRoot[] | undefined {
  const discriminant = b.mul(b).sub(Rational.of(4).mul(a).mul(c));
  if (discriminant.sign() < 0) return [];
  const center = b.neg().div(a.mul(Rational.of(2)));
  if (discriminant.isZero()) return isSafeFraction(center) ? [exactRoot(center)] : undefined;
  // √(n/d) = √(n·d)/d = s·√k/d, so the roots are center ± (s / (2|a|·d))·√k.
  const [s, k] = splitSquare(discriminant.num * discriminant.den);
  const scale = Rational.of(s).div(a.mul(Rational.of(2)).mul(Rational.of(discriminant.den))).abs();
  if (k === 1n) {
    const roots = [center.sub(scale), center.add(scale)];
    return roots.every(isSafeFraction) ? roots.map(exactRoot) : undefined;
  }
  if (!isSafeFraction(center) || !isSafeFraction(scale) || !safe(k) || k > 1n << 52n) return undefined;
  const radical = Math.sqrt(Number(k));
  const offset = scale.equals(Rational.ONE) ? exactApply('sqrt', [constantNode(Number(k))]) : E.mul(rationalNode(scale), exactApply('sqrt', [constantNode(Number(k))]));
  const values = [center.toNumber() - scale.toNumber() * radical, center.toNumber() + scale.toNumber() * radical];
  // The root of the same sign as the center has no cancellation; the other is (c/a)/that root
  // when center ∓ offset would lose more than ten bits.
  const far = center.sign() < 0 ? 0 : 1;
  const nodes = [E.sub(rationalNode(center), offset), E.add(rationalNode(center), offset)];
  if (Math.abs(center.toNumber()) > 1024 * Math.abs(values[1 - far]!)) {
    nodes[1 - far] = E.div(rationalNode(c.div(a)), nodes[far]!);
    values[1 - far] = c.div(a).toNumber() / values[far]!;
  }
  return nodes.map((node, i) => ({ exact: node, value: values[i]!, enclosure: { lo: nextDown(nextDown(values[i]!)), hi: nextUp(nextUp(values[i]!)) } }));
}

/** The real roots of p, sorted; see the module comment. */
export function realRoots(polynomial: Univariate, what: string): RealRoot[] {
  let p = trim(polynomial);
  if (p.length === 0) throw new TypegradError(`solve: ${what} is identically 0`);
  const counter = new Counter();
  const roots: RealRoot[] = [];
  let low = 0;
  while (p[low]!.isZero()) low++;
  if (low > 0) {
    roots.push(exactRoot(Rational.ZERO));
    p = p.slice(low);
  }
  if (p.length > 2) p = tidy(divide(p, gcdUnivariate(p, derivative(p))).quotient);
  else p = tidy(p);
  roots.push(...rootsOfSquareFree(p, counter, what));
  return roots.sort((a, b) => a.value - b.value);
}

function rootsOfSquareFree(p: Univariate, counter: Counter, what: string): RealRoot[] {
  if (p.length <= 1) return [];
  if (p.length === 2) {
    const r = p[0]!.neg().div(p[1]!);
    return [isRepresentable(r) ? exactRoot(r) : approximateRational(r)];
  }
  if (p.length === 3) {
    const exact = quadraticRoots(p[0]!, p[1]!, p[2]!);
    if (exact !== undefined) return exact;
  }
  // Rational roots, recognised from their approximations and confirmed exactly.
  const roots: RealRoot[] = [];
  let isolated = isolate(p, counter, what);
  while ('exact' in isolated) {
    roots.push(isRepresentable(isolated.exact) ? exactRoot(isolated.exact) : approximateRational(isolated.exact));
    p = deflate(p, isolated.exact);
    if (p.length <= 1) return roots;
    isolated = isolate(p, counter, what);
  }
  const { intervals } = isolated;
  const approximations: RealRoot[] = [];
  for (const interval of intervals) {
    const root = refine(p, interval, counter, what);
    const r = rationalRootNear(p, root.value, root.enclosure);
    if (r !== undefined && isRepresentable(r)) {
      roots.push(exactRoot(r));
      p = deflate(p, r);
    } else approximations.push(root);
  }
  if (approximations.length === 0) return roots;
  if (p.length === 3) return [...roots, ...(quadraticRoots(p[0]!, p[1]!, p[2]!) ?? approximations)];
  const powers = powerRoots(p, counter, what);
  return [...roots, ...(powers ?? approximations)];
}

function approximateRational(r: Rational): RealRoot {
  const v = r.toNumber();
  return { exact: undefined, value: v, enclosure: { lo: nextDown(v), hi: nextUp(v) } };
}

/** A polynomial in x^k only (x⁴ − 4): the real k-th roots of its roots in u = x^k, exact when those are. */
function powerRoots(p: Univariate, counter: Counter, what: string): RealRoot[] | undefined {
  let common = 0;
  p.forEach((c, i) => {
    if (!c.isZero() && i > 0) common = gcdNumber(common, i);
  });
  if (common <= 1) return undefined;
  // One prime at a time (x⁴ = 4 as (x²)² = 4, so x² = 2 and x = ±√2, not ±4^(1/4)).
  let k = 2;
  while (common % k !== 0) k++;
  const reduced = p.filter((_, i) => i % k === 0);
  const roots: RealRoot[] = [];
  for (const u of rootsOfSquareFree(reduced, counter, what)) {
    if (u.value < 0 && k % 2 === 0) continue;
    const magnitude = (v: number) => Math.abs(v) ** (1 / k);
    const root = (sign: number): RealRoot => {
      const node = u.exact === undefined ? undefined : kthRoot(sign < 0 && k % 2 === 1 ? E.neg(u.exact) : u.exact, k, sign);
      const v = sign * magnitude(u.value);
      const ends = [sign * magnitude(u.enclosure.lo), sign * magnitude(u.enclosure.hi)].sort((a, b) => a - b);
      return { exact: node, value: v, enclosure: { lo: nextDown(nextDown(ends[0]!)), hi: nextUp(nextUp(ends[1]!)) } };
    };
    if (k % 2 === 1) roots.push(root(u.value < 0 ? -1 : 1));
    else if (u.value === 0) roots.push(root(1));
    else roots.push(root(-1), root(1));
  }
  return roots.sort((a, b) => a.value - b.value);
}

/** sign · |u|^(1/k) as a node (√, ∛ or a power). */
function kthRoot(u: Node, k: number, sign: number): Node {
  const magnitude = k === 2 ? exactApply('sqrt', [u]) : k === 3 ? exactApply('cbrt', [u]) : E.pow(u, E.div(constantNode(1), constantNode(k)));
  return sign < 0 ? E.neg(magnitude) : magnitude;
}

function gcdNumber(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
