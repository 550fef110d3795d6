/**
 * Interval arithmetic on doubles with outward rounding: each operation returns an interval
 * that contains every exact result for operands in the operand intervals. `solve` uses it to
 * decide signs (is a denominator 0 at a candidate? does the equation vanish on the small
 * interval that encloses an approximate root?) where exact arithmetic does not reach: the
 * width of the result is the rounding error of the evaluation, so a tolerance comes out scaled
 * to the conditioning of the expression instead of being a fixed 1e-9.
 *
 * Rounding: +, −, ·, / and √ are correctly rounded in IEEE, so one ulp outward suffices; the
 * `Math` functions are within one ulp in V8 (fdlibm), and two ulps are added for them. An
 * operation that is undefined somewhere on its operands (ln of an interval reaching 0) gives
 * `UNDEFINED`, and one that may be infinite gives the whole line.
 */
import type { Node } from '../node.js';
import { topologicalOrder } from '../traverse.js';

export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/** The result of an operation that is undefined (NaN) for some operand values. */
export const UNDEFINED: Interval = { lo: NaN, hi: NaN };
const WHOLE: Interval = { lo: -Infinity, hi: Infinity };

const buffer = new DataView(new ArrayBuffer(8));

/** The next double towards +∞ (towards −∞ when `down`). */
function step(v: number, down: boolean): number {
  if (Number.isNaN(v) || v === (down ? -Infinity : Infinity)) return v;
  if (v === 0) return down ? -Number.MIN_VALUE : Number.MIN_VALUE;
  buffer.setFloat64(0, v);
  const bits = buffer.getBigUint64(0);
  const away = v > 0 !== down;
  buffer.setBigUint64(0, away ? bits + 1n : bits - 1n);
  return buffer.getFloat64(0);
}

export const nextUp = (v: number): number => step(v, false);
export const nextDown = (v: number): number => step(v, true);

function widen(lo: number, hi: number, ulps: number): Interval {
  if (Number.isNaN(lo) || Number.isNaN(hi)) return UNDEFINED;
  for (let i = 0; i < ulps; i++) {
    lo = nextDown(lo);
    hi = nextUp(hi);
  }
  return { lo, hi };
}

export const point = (v: number): Interval => ({ lo: v, hi: v });
export const isUndefined = (i: Interval): boolean => Number.isNaN(i.lo);
export const contains = (i: Interval, v: number): boolean => i.lo <= v && v <= i.hi;

function add(a: Interval, b: Interval): Interval {
  return widen(a.lo + b.lo, a.hi + b.hi, 1);
}

function neg(a: Interval): Interval {
  return { lo: -a.hi, hi: -a.lo };
}

function mul(a: Interval, b: Interval): Interval {
  const products = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi].map((p) => (Number.isNaN(p) ? 0 : p)); // 0·∞ bounds are 0
  return widen(Math.min(...products), Math.max(...products), 1);
}

function div(a: Interval, b: Interval): Interval {
  if (b.lo <= 0 && b.hi >= 0) return b.lo === 0 && b.hi === 0 ? UNDEFINED : WHOLE;
  return mul(a, widen(1 / b.hi, 1 / b.lo, 1));
}

/** A function increasing on the operand (decreasing when `decreasing`), with its rounding in ulps. */
function monotone(f: (v: number) => number, a: Interval, ulps = 2, decreasing = false): Interval {
  const [x, y] = decreasing ? [f(a.hi), f(a.lo)] : [f(a.lo), f(a.hi)];
  return widen(x, y, ulps);
}

function integerPower(a: Interval, n: number): Interval {
  if (n === 0) return point(1);
  if (n < 0) return div(point(1), integerPower(a, -n));
  const ends = [a.lo ** n, a.hi ** n];
  if (n % 2 === 1) return widen(ends[0]!, ends[1]!, n + 1);
  const lo = a.lo <= 0 && a.hi >= 0 ? 0 : Math.min(...ends);
  return widen(lo, Math.max(...ends), n + 1);
}

/** Whether the interval holds a point c + k·period for some integer k (tested with margin). */
function reaches(a: Interval, c: number, period: number): boolean {
  if (a.hi - a.lo >= period) return true;
  const k = Math.ceil((a.lo - c) / period - 1e-9);
  return c + k * period <= a.hi + 1e-9 * Math.max(1, Math.abs(a.hi));
}

function sine(a: Interval, shift: number): Interval {
  // sin(v + shift): the maxima are at π/2 − shift + 2kπ, the minima at −π/2 − shift + 2kπ.
  if (!Number.isFinite(a.lo) || !Number.isFinite(a.hi)) return { lo: -1, hi: 1 };
  const f = (v: number) => Math.sin(v + shift);
  const ends = widen(Math.min(f(a.lo), f(a.hi)), Math.max(f(a.lo), f(a.hi)), 4);
  const hi = reaches(a, Math.PI / 2 - shift, 2 * Math.PI) ? 1 : Math.min(1, ends.hi);
  const lo = reaches(a, -Math.PI / 2 - shift, 2 * Math.PI) ? -1 : Math.max(-1, ends.lo);
  return { lo, hi };
}

function power(a: Interval, b: Interval): Interval {
  if (b.lo === b.hi && Number.isInteger(b.lo)) return integerPower(a, b.lo);
  if (a.hi < 0) return UNDEFINED;
  if (a.lo < 0) return UNDEFINED;
  if (a.lo === 0 && b.lo <= 0) return a.hi === 0 && b.hi > 0 ? point(0) : UNDEFINED;
  // a^b = exp(b·ln a), monotone in each operand on a > 0.
  const values = [Math.pow(a.lo, b.lo), Math.pow(a.lo, b.hi), Math.pow(a.hi, b.lo), Math.pow(a.hi, b.hi)];
  return widen(Math.min(...values), Math.max(...values), 3);
}

/** The interval of one operation from its operands' intervals. */
export function applyInterval(op: string, args: readonly Interval[]): Interval {
  if (args.some(isUndefined)) return UNDEFINED;
  const [a, b] = args as [Interval, Interval];
  switch (op) {
    case 'add': return add(a, b);
    case 'sub': return add(a, neg(b));
    case 'neg': return neg(a);
    case 'mul': return mul(a, b);
    case 'div': return div(a, b);
    case 'pow': return power(a, b);
    case 'sqrt': return a.lo < 0 ? UNDEFINED : monotone(Math.sqrt, a, 1);
    case 'cbrt': return monotone(Math.cbrt, a);
    case 'exp': return monotone(Math.exp, a);
    case 'ln': return a.lo <= 0 ? UNDEFINED : monotone(Math.log, a);
    case 'log': {
      if (a.lo <= 0 || b.lo <= 0) return UNDEFINED;
      return div(monotone(Math.log, a), monotone(Math.log, b));
    }
    case 'sin': return sine(a, 0);
    case 'cos': return sine(a, Math.PI / 2);
    case 'tan': return reaches(a, Math.PI / 2, Math.PI) ? WHOLE : monotone(Math.tan, a, 4);
    case 'asin': return a.lo < -1 || a.hi > 1 ? UNDEFINED : monotone(Math.asin, a);
    case 'acos': return a.lo < -1 || a.hi > 1 ? UNDEFINED : monotone(Math.acos, a, 2, true);
    case 'atan': return monotone(Math.atan, a);
    case 'sinh': return monotone(Math.sinh, a);
    case 'tanh': return monotone(Math.tanh, a);
    case 'cosh': {
      const ends = [Math.cosh(a.lo), Math.cosh(a.hi)];
      return widen(a.lo <= 0 && a.hi >= 0 ? 1 : Math.min(...ends), Math.max(...ends), 2);
    }
    case 'abs': return a.lo >= 0 ? a : a.hi <= 0 ? neg(a) : { lo: 0, hi: Math.max(-a.lo, a.hi) };
    case 'sign': return { lo: Math.sign(a.lo), hi: Math.sign(a.hi) };
    case 'relu': return { lo: Math.max(0, a.lo), hi: Math.max(0, a.hi) };
    case 'heaviside': return { lo: a.lo > 0 ? 1 : 0, hi: a.hi > 0 ? 1 : 0 };
    case 'sigmoid': return monotone((v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))), a, 4);
    case 'softplus': return monotone((v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))), a, 4);
    default: return UNDEFINED;
  }
}

/**
 * The interval of a scalar expression, with the intervals of some nodes given (a variable bound
 * to the interval that encloses a root). Also returns the largest magnitude met, the scale of
 * the rounding errors.
 */
export function evaluateInterval(root: Node, given: ReadonlyMap<Node, Interval>): Interval {
  const values = new Map<Node, Interval>();
  for (const node of topologicalOrder([root])) {
    let v = given.get(node);
    if (v === undefined) {
      if (node.op === 'const') v = point(node.value);
      else if (node.op === 'var' || node.shape.length !== 0) v = UNDEFINED;
      else v = applyInterval(node.op, node.args.map((a) => values.get(a)!));
    }
    values.set(node, v);
  }
  return values.get(root)!;
}
