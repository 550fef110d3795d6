/**
 * Checking a candidate root in the original equation, with its domain respected: the value of x
 * where a denominator is 0, a logarithm's argument is not positive, an even root's radicand is
 * negative or an inverse sine's argument is outside [−1, 1] is not a solution, whatever IEEE
 * arithmetic makes of the expression there ((x − 1)/(1 + 1/(x − 1)) at 1 is 0 in doubles).
 *
 * Each question is decided exactly where the candidate allows it (`exact-value.ts`: rationals,
 * quadratic surds, rational multiples of π), else by interval arithmetic over an interval that
 * encloses the candidate (`interval.ts`), whose width is the rounding error of the evaluation
 * and so scales with the conditioning of the equation. A question that neither settles is
 * reported as undecided, and `solve` says so rather than guess.
 */
import { builder } from '../build.js';
import type { Node } from '../node.js';
import { dependsOn, topologicalOrder } from '../traverse.js';
import { applyExact, exactSign, rational, type ExactValue } from './exact-value.js';
import { applyInterval, nextDown, nextUp, point, UNDEFINED, type Interval } from './interval.js';
import { Rational } from './rational.js';

/** What must hold for the expression to be defined: `expression` ≠ 0, > 0, ≥ 0, in [−1, 1], or a real power. */
export type Condition =
  | { readonly kind: 'nonzero' | 'positive' | 'nonnegative' | 'unit'; readonly expression: Node; readonly origin: Node }
  | { readonly kind: 'power'; readonly base: Node; readonly exponent: Node; readonly origin: Node };

/** The domain conditions of `f` that depend on x, in the order of evaluation. */
export function domainConditions(f: Node, x: Node): Condition[] {
  const order = topologicalOrder([f]);
  const live = dependsOn(order, new Set([x]));
  const conditions: Condition[] = [];
  for (const node of order) {
    if (!live.has(node) || node.args.length === 0) continue;
    const [a, b] = node.args;
    switch (node.op) {
      case 'div':
        conditions.push({ kind: 'nonzero', expression: b!, origin: node });
        break;
      case 'ln':
        conditions.push({ kind: 'positive', expression: a!, origin: node });
        break;
      case 'log':
        conditions.push({ kind: 'positive', expression: a!, origin: node }, { kind: 'positive', expression: b!, origin: node });
        conditions.push({ kind: 'nonzero', expression: builder.sub(b!, builder.constant(1)), origin: node });
        break;
      case 'sqrt':
        conditions.push({ kind: 'nonnegative', expression: a!, origin: node });
        break;
      case 'asin':
      case 'acos':
        conditions.push({ kind: 'unit', expression: a!, origin: node });
        break;
      case 'tan':
        conditions.push({ kind: 'nonzero', expression: builder.apply('cos', [a!]), origin: node });
        break;
      case 'pow': {
        // A constant exponent: none for a natural one, base ≠ 0 for a negative integer, base ≥ 0
        // (> 0 when negative) otherwise; a symbolic exponent needs the general real power.
        if (b!.op !== 'const') conditions.push({ kind: 'power', base: a!, exponent: b!, origin: node });
        else if (Number.isInteger(b!.value)) {
          if (b!.value < 0) conditions.push({ kind: 'nonzero', expression: a!, origin: node });
        } else conditions.push({ kind: b!.value > 0 ? 'nonnegative' : 'positive', expression: a!, origin: node });
        break;
      }
    }
  }
  return conditions;
}

/** How x is given: its exact value when it has one, and an interval that encloses it. */
export interface Point {
  readonly exact: ExactValue | undefined;
  readonly enclosure: Interval;
}

/** The values of every node of `roots` at the point: exact where possible, and enclosures. */
export class Evaluation {
  readonly #exact = new Map<Node, ExactValue | undefined>();
  readonly #interval = new Map<Node, Interval>();
  /** The largest magnitude of any interval met: the scale of the rounding errors. */
  scale = 1;

  constructor(roots: readonly Node[], given: ReadonlyMap<Node, Point>) {
    for (const node of topologicalOrder(roots)) {
      const g = given.get(node);
      let exact: ExactValue | undefined, interval: Interval;
      if (g !== undefined) [exact, interval] = [g.exact, g.enclosure];
      else if (node.op === 'var' || node.shape.length !== 0) [exact, interval] = [undefined, UNDEFINED];
      else {
        const args = node.args.map((a) => this.#exact.get(a));
        exact = node.op === 'const' || args.every((v) => v !== undefined) ? applyExact(node, args as ExactValue[]) : undefined;
        interval = node.op === 'const' ? point(node.value) : applyInterval(node.op, node.args.map((a) => this.#interval.get(a)!));
      }
      this.#exact.set(node, exact);
      this.#interval.set(node, interval);
      for (const end of [interval.lo, interval.hi]) if (Number.isFinite(end)) this.scale = Math.max(this.scale, Math.abs(end));
    }
  }

  exact(node: Node): ExactValue | undefined {
    return this.#exact.get(node);
  }

  interval(node: Node): Interval {
    return this.#interval.get(node)!;
  }
}

export type Verdict = 'yes' | 'no' | 'undecided';

function exactVerdict(kind: Condition['kind'], v: ExactValue): Verdict {
  if (v.kind === 'undefined') return 'no';
  const s = exactSign(v)!;
  switch (kind) {
    case 'nonzero': return s !== 0 ? 'yes' : 'no';
    case 'positive': return s > 0 ? 'yes' : 'no';
    case 'nonnegative': return s >= 0 ? 'yes' : 'no';
    case 'unit': {
      const above = exactSign(addRational(v, Rational.ONE.neg())), below = exactSign(addRational(v, Rational.ONE));
      if (above === undefined || below === undefined) return 'undecided';
      return above <= 0 && below >= 0 ? 'yes' : 'no';
    }
    default: return 'undecided';
  }
}

function addRational(v: ExactValue, r: Rational): ExactValue {
  if (v.kind === 'quadratic') return { ...v, a: v.a.add(r) };
  return r.isZero() ? v : { kind: 'undefined' };
}

function intervalVerdict(kind: Condition['kind'], i: Interval): Verdict {
  if (Number.isNaN(i.lo)) return 'undecided';
  switch (kind) {
    case 'nonzero': return i.lo > 0 || i.hi < 0 ? 'yes' : i.lo === 0 && i.hi === 0 ? 'no' : 'undecided';
    case 'positive': return i.lo > 0 ? 'yes' : i.hi <= 0 ? 'no' : 'undecided';
    case 'nonnegative': return i.lo >= 0 ? 'yes' : i.hi < 0 ? 'no' : 'undecided';
    case 'unit': return i.lo >= -1 && i.hi <= 1 ? 'yes' : i.hi < -1 || i.lo > 1 ? 'no' : 'undecided';
    default: return 'undecided';
  }
}

function signVerdict(kind: 'nonzero' | 'positive' | 'nonnegative' | 'unit', node: Node, at: Evaluation): Verdict {
  const exact = at.exact(node);
  if (exact !== undefined) {
    const verdict = exactVerdict(kind, exact);
    if (verdict !== 'undecided') return verdict;
  }
  return intervalVerdict(kind, at.interval(node));
}

/** Whether one domain condition holds at the evaluated point. */
export function conditionHolds(condition: Condition, at: Evaluation): Verdict {
  if (condition.kind !== 'power') return signVerdict(condition.kind, condition.expression, at);
  // b^e: any base for an integer exponent (but not 0 to a negative one); otherwise a positive
  // base, or 0 to a positive exponent.
  const exponent = at.exact(condition.exponent);
  const integer = exponent?.kind === 'quadratic' && exponent.b.isZero() && exponent.a.isInteger() ? exponent.a : undefined;
  const constantInteger = condition.exponent.op === 'const' && Number.isInteger(condition.exponent.value);
  if (integer !== undefined || constantInteger) {
    const negative = integer !== undefined ? integer.sign() < 0 : condition.exponent.value < 0;
    return negative ? signVerdict('nonzero', condition.base, at) : 'yes';
  }
  const positive = signVerdict('positive', condition.base, at);
  if (positive !== 'no') return positive;
  const zeroBase = signVerdict('nonzero', condition.base, at) === 'no';
  return zeroBase ? signVerdict('positive', condition.exponent, at) : 'no';
}

/** Whether `f` is 0 at the evaluated point: exactly, or an enclosure that holds 0 and is narrow for its scale. */
export function vanishes(f: Node, at: Evaluation): Verdict {
  const exact = at.exact(f);
  if (exact !== undefined) {
    if (exact.kind === 'undefined') return 'no';
    return exactSign(exact) === 0 ? 'yes' : 'no';
  }
  const i = at.interval(f);
  if (Number.isNaN(i.lo)) return 'undecided';
  if (i.lo > 0 || i.hi < 0) return 'no';
  // 0 is in the enclosure: a root unless the evaluation lost most of its digits (width past
  // 2^−20 of the largest magnitude met), in which case nothing can be told.
  return i.hi - i.lo <= 2 ** -20 * at.scale ? 'yes' : 'undecided';
}

/** An exact value or enclosure for a constant candidate, as a `Point`. */
export function pointOf(value: Node, approximations: ReadonlyMap<Node, Interval>): Point {
  const given = new Map<Node, Point>([...approximations].map(([node, enclosure]) => [node, { exact: undefined, enclosure }]));
  const evaluation = new Evaluation([value], given);
  return { exact: evaluation.exact(value), enclosure: evaluation.interval(value) };
}

/** A rational constant as an exact point. */
export function rationalPoint(r: Rational): Point {
  const v = r.toNumber();
  const exactDouble = Rational.fromDouble(v)?.equals(r) === true;
  return { exact: rational(r), enclosure: exactDouble ? point(v) : { lo: nextDown(v), hi: nextUp(v) } };
}
