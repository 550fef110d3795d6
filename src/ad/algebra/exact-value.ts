/**
 * Exact values of constant expressions, where they can be had cheaply: numbers a + b·√k
 * (a, b rational, k a square-free integer: the field ℚ(√k), which holds every root that the
 * quadratic formula gives) and rational multiples of π (what the inverse trigonometric functions
 * give at their special points). On these the sign and equality are decided exactly; `solve`
 * uses them to decide whether a candidate lies in the domain (a denominator is 0, a logarithm's
 * argument is not positive) and whether it is a root, without rounding.
 *
 * `exactValue` returns `undefined` for anything else (ln 2, √2 + √3, sin 1): callers then use
 * interval arithmetic (`interval.ts`), which decides the sign when it is far enough from 0.
 */
import { constantNode, operationNode, pin, type Node } from '../node.js';
import { SCALAR } from '../shape.js';
import { topologicalOrder } from '../traverse.js';
import { Rational, splitSquare } from './rational.js';

/** a + b·√k with k > 1 square-free, or b = 0 and k = 1 (a rational). */
export interface Quadratic {
  readonly kind: 'quadratic';
  readonly a: Rational;
  readonly b: Rational;
  readonly k: bigint;
}

/** m·π. */
export interface PiMultiple {
  readonly kind: 'pi';
  readonly m: Rational;
}

/** A value that is undefined (0 as a divisor, √ of a negative number, ln of a non-positive one). */
export interface Undefined {
  readonly kind: 'undefined';
}

export type ExactValue = Quadratic | PiMultiple | Undefined;

const UNDEFINED: Undefined = { kind: 'undefined' };

export const rational = (a: Rational): Quadratic => ({ kind: 'quadratic', a, b: Rational.ZERO, k: 1n });
const quadratic = (a: Rational, b: Rational, k: bigint): Quadratic => (b.isZero() || k === 1n ? rational(k === 1n ? a.add(b) : a) : { kind: 'quadratic', a, b, k });
const pi = (m: Rational): ExactValue => (m.isZero() ? rational(Rational.ZERO) : { kind: 'pi', m });

/** The node of π: acos(−1), built unfolded (it prints as `pi`). */
export const PI: Node = pin(operationNode('acos', [constantNode(-1)], SCALAR));

/** The exact rational a double stands for: the small fraction it rounds (0.1 is 1/10), else its binary value. */
export function rationalOfDouble(v: number): Rational | undefined {
  return Rational.fromNumber(v) ?? Rational.fromDouble(v);
}

/** The rational value, when the value is one. */
export function asRational(v: ExactValue | undefined): Rational | undefined {
  return v?.kind === 'quadratic' && v.b.isZero() ? v.a : undefined;
}

/** The exact sign, or undefined for an undefined value. */
export function exactSign(v: ExactValue): -1 | 0 | 1 | undefined {
  if (v.kind === 'undefined') return undefined;
  if (v.kind === 'pi') return v.m.sign() as -1 | 0 | 1;
  const sa = v.a.sign(), sb = v.b.sign();
  if (sb === 0 || sa === sb) return (sa || sb) as -1 | 0 | 1;
  if (sa === 0) return sb as -1 | 1;
  // a and b√k have opposite signs: compare a² with b²k.
  const difference = v.a.mul(v.a).sub(v.b.mul(v.b).mul(Rational.of(v.k)));
  return (difference.sign() === 0 ? 0 : difference.sign() > 0 ? sa : sb) as -1 | 0 | 1;
}

function add(x: ExactValue, y: ExactValue): ExactValue | undefined {
  if (x.kind === 'undefined' || y.kind === 'undefined') return UNDEFINED;
  if (x.kind === 'pi' && y.kind === 'pi') return pi(x.m.add(y.m));
  if (x.kind === 'pi' || y.kind === 'pi') {
    const [p, q] = x.kind === 'pi' ? [x, y as Quadratic] : [y as PiMultiple, x];
    return asRational(q)?.isZero() ? p : undefined;
  }
  if (x.k !== y.k && !x.b.isZero() && !y.b.isZero()) return undefined;
  return quadratic(x.a.add(y.a), x.b.add(y.b), x.b.isZero() ? y.k : x.k);
}

function negate(x: ExactValue): ExactValue {
  if (x.kind === 'undefined') return x;
  return x.kind === 'pi' ? pi(x.m.neg()) : quadratic(x.a.neg(), x.b.neg(), x.k);
}

function mul(x: ExactValue, y: ExactValue): ExactValue | undefined {
  if (x.kind === 'undefined' || y.kind === 'undefined') return UNDEFINED;
  if (x.kind === 'pi' || y.kind === 'pi') {
    if (x.kind === 'pi' && y.kind === 'pi') return undefined;
    const [p, q] = x.kind === 'pi' ? [x, y as Quadratic] : [y as PiMultiple, x];
    const r = asRational(q);
    return r === undefined ? undefined : pi(p.m.mul(r));
  }
  if (x.k !== y.k && !x.b.isZero() && !y.b.isZero()) return undefined;
  const k = x.b.isZero() ? y.k : x.k;
  // (a + b√k)(c + d√k) = ac + bdk + (ad + bc)√k
  return quadratic(x.a.mul(y.a).add(x.b.mul(y.b).mul(Rational.of(k))), x.a.mul(y.b).add(x.b.mul(y.a)), k);
}

function inverse(x: ExactValue): ExactValue | undefined {
  if (x.kind === 'undefined') return x;
  if (x.kind === 'pi') return undefined;
  // 1/(a + b√k) = (a − b√k)/(a² − b²k)
  const norm = x.a.mul(x.a).sub(x.b.mul(x.b).mul(Rational.of(x.k)));
  if (norm.isZero()) return UNDEFINED;
  return quadratic(x.a.div(norm), x.b.neg().div(norm), x.k);
}

function squareRoot(x: ExactValue): ExactValue | undefined {
  const r = asRational(x);
  if (r === undefined) return x.kind === 'undefined' ? x : undefined;
  if (r.sign() < 0) return UNDEFINED;
  const [s, k] = splitSquare(r.num * r.den);
  // √(n/d) = √(n·d)/d = (s/d)·√k; trial division up to 10⁵ may leave a square factor in k, in
  // which case √k is not a number of ℚ(√k) with k square-free and the value is not decided.
  if (k > 10n ** 10n) return undefined;
  return quadratic(Rational.ZERO, Rational.of(s, r.den), k);
}

function power(x: ExactValue, n: number): ExactValue | undefined {
  if (n < 0) {
    const inv = inverse(x);
    return inv === undefined ? undefined : power(inv, -n);
  }
  let result: ExactValue | undefined = rational(Rational.ONE);
  for (let i = 0; i < n && result !== undefined; i++) result = mul(result, x);
  return result;
}

/** sin(m·π) for m with denominator 1, 2, 3, 4 or 6 (the values in ℚ or ℚ(√k)). */
function sineOfPi(m: Rational): ExactValue | undefined {
  // Reduce m to [0, 2) in twelfths.
  const twelfths = m.mul(Rational.of(12));
  if (!twelfths.isInteger()) return undefined;
  const t = Number(((twelfths.num % 24n) + 24n) % 24n);
  const table: Record<number, [number, number, number, number]> = {
    // [a numerator, a denominator, b numerator/denominator over 2, k]: value = a + b·√k
    0: [0, 1, 0, 1], 2: [1, 2, 0, 1], 3: [0, 1, 1, 2], 4: [0, 1, 1, 3], 6: [1, 1, 0, 1],
  };
  const sign = t >= 12 ? -1 : 1;
  const u = t % 12;
  const angle = u > 6 ? 12 - u : u;
  const entry = table[angle];
  if (entry === undefined) return undefined;
  const [an, ad, bn, k] = entry;
  return quadratic(Rational.of(sign * an, ad), Rational.of(sign * bn, 2), BigInt(k));
}

/** The special values of the inverse functions: asin, acos and atan at 0, ±1/2, ±√2/2, ±√3/2, ±1, ±√3, ±√3/3. */
function inverseTrigonometric(op: string, x: ExactValue): ExactValue | undefined {
  if (x.kind !== 'quadratic') return x.kind === 'undefined' ? x : undefined;
  const sameValue = (p: ExactValue | undefined) => p !== undefined && p.kind === 'quadratic' && p.a.equals(x.a) && p.b.equals(x.b) && (p.k === x.k || p.b.isZero());
  // The principal ranges in twelfths of π: asin [−6, 6], acos [0, 12], atan (−6, 6).
  const [first, last] = op === 'acos' ? [0, 12] : op === 'asin' ? [-6, 6] : [-5, 5];
  for (let j = first; j <= last; j++) {
    const m = Rational.of(j, 12);
    const sine = sineOfPi(m), cosine = sineOfPi(m.add(Rational.of(1, 2)));
    if (sine === undefined || cosine === undefined) continue;
    const value = op === 'asin' ? sine : op === 'acos' ? cosine : mul(sine, inverse(cosine)!);
    if (sameValue(value)) return pi(m);
  }
  if (op === 'atan') return undefined;
  const above = exactSign(add(x, rational(Rational.ONE.neg()))!), below = exactSign(add(x, rational(Rational.ONE))!);
  return above! > 0 || below! < 0 ? UNDEFINED : undefined;
}

/** The exact value of one operation from its operands' exact values, or undefined when not exact. */
export function applyExact(node: Node, args: readonly ExactValue[]): ExactValue | undefined {
  const [x, y] = args as [ExactValue, ExactValue];
  switch (node.op) {
    case 'const': {
      const r = rationalOfDouble(node.value);
      return r === undefined ? undefined : rational(r);
    }
    case 'add': return add(x, y);
    case 'sub': return add(x, negate(y));
    case 'neg': return negate(x);
    case 'mul': return mul(x, y);
    case 'div': {
      const inv = inverse(y);
      return inv === undefined ? undefined : mul(x, inv);
    }
    case 'pow': {
      const n = asRational(y);
      if (n === undefined) return undefined;
      if (n.isInteger() && n.num >= -64n && n.num <= 64n) {
        if (n.sign() < 0 && exactSign(x) === 0) return UNDEFINED;
        return power(x, Number(n.num));
      }
      if (n.equals(Rational.of(1, 2))) return squareRoot(x);
      return undefined;
    }
    case 'sqrt': return squareRoot(x);
    case 'abs': {
      const s = exactSign(x);
      return s === undefined ? UNDEFINED : s < 0 ? negate(x) : x;
    }
    case 'sin':
    case 'cos':
    case 'tan': {
      if (x.kind === 'undefined') return x;
      const r = asRational(x);
      if (r !== undefined && r.isZero()) return rational(node.op === 'cos' ? Rational.ONE : Rational.ZERO);
      if (x.kind !== 'pi') return undefined;
      const sine = sineOfPi(x.m), cosine = sineOfPi(x.m.add(Rational.of(1, 2)));
      if (node.op === 'sin') return sine;
      if (node.op === 'cos') return cosine;
      if (sine === undefined || cosine === undefined) return undefined;
      const inv = inverse(cosine);
      return inv === undefined ? undefined : mul(sine, inv);
    }
    case 'asin':
    case 'acos':
    case 'atan':
      return inverseTrigonometric(node.op, x);
    case 'exp': return asRational(x)?.isZero() ? rational(Rational.ONE) : x.kind === 'undefined' ? x : undefined;
    case 'ln': {
      const s = x.kind === 'undefined' ? undefined : exactSign(x);
      if (s === undefined) return UNDEFINED;
      if (s <= 0) return UNDEFINED;
      return asRational(x)?.equals(Rational.ONE) ? rational(Rational.ZERO) : undefined;
    }
    default:
      return args.some((a) => a.kind === 'undefined') ? UNDEFINED : undefined;
  }
}

/**
 * The exact value of a constant expression, with some nodes' values given (a variable bound to
 * a candidate root), or undefined when some step is not exact.
 */
export function exactValue(root: Node, given: ReadonlyMap<Node, ExactValue> = new Map()): ExactValue | undefined {
  const values = new Map<Node, ExactValue>();
  for (const node of topologicalOrder([root])) {
    let v = given.get(node);
    if (v === undefined) {
      if (node.op === 'var' || node.shape.length !== 0) return undefined;
      if (node === PI || (node.op === 'acos' && node.args[0]!.op === 'const' && node.args[0]!.value === -1)) v = pi(Rational.ONE);
      else v = applyExact(node, node.args.map((a) => values.get(a)!));
    }
    if (v === undefined) return undefined;
    values.set(node, v);
  }
  return values.get(root);
}
