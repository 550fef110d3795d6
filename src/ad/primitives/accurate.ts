/**
 * Functions that a composition of the others computes badly: `expm1` and `log1p` (exp(x) − 1
 * and ln(1 + x) lose every digit for tiny x), `hypot` (√(a² + b²) overflows for |a| > 1e154)
 * and `atan2` (atan(y/x) loses the quadrant). Values are `Math`'s. A backend without one lowers
 * it by the record's decomposition: the classic accurate formulas (Kahan's for expm1, Goldberg's
 * for log1p, a scaled hypot), built as written (the planner applies no algebra to them).
 */
import type { Node } from '../node.js';
import type { Builder, ElementwisePrimitive } from './types.js';

const one = (b: Builder) => b.constant(1);
const call = (name: string, latex: (args: readonly string[]) => string) => ({ kind: 'call', name, latex }) as const;

/** where(equal(a, value), then, otherwise). */
const whereEqual = (b: Builder, a: Node, value: number, then: Node, otherwise: Node) =>
  b.apply('where', [b.apply('equal', [a, b.constant(value)]), then, otherwise]);

/** eˣ − 1, accurate near 0. */
export const expm1: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'expm1',
  arity: 1,
  notation: call('expm1', ([a]) => `\\left(e^{${a}} - 1\\right)`),
  evaluate: Math.expm1,
  // (eˣ − 1)′ = eˣ = self + 1
  partials: (_args, self, b) => [b.add(self, one(b))],
  // Kahan: u = eˣ; x where u = 1, −1 where u − 1 = −1, ∞ where u = ∞, else (u − 1)·x / ln u.
  decompose: (self, b) => {
    const x = self.args[0]!;
    const u = b.apply('exp', [x]);
    const um1 = b.sub(u, one(b));
    const general = b.div(b.mul(um1, x), b.apply('ln', [u]));
    return whereEqual(b, u, 1, x, whereEqual(b, um1, -1, b.constant(-1), whereEqual(b, u, Infinity, u, general)));
  },
};

/** ln(1 + x), accurate near 0. */
export const log1p: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'log1p',
  arity: 1,
  notation: call('log1p', ([a]) => `\\ln\\left(1 + ${a}\\right)`),
  evaluate: Math.log1p,
  partials: ([a], _self, b) => [b.div(one(b), b.add(one(b), a!))],
  // Goldberg: u = 1 + x; x where u = 1, ∞ where u = ∞, else ln(u)·x / (u − 1).
  decompose: (self, b) => {
    const x = self.args[0]!;
    const u = b.add(one(b), x);
    const general = b.div(b.mul(b.apply('ln', [u]), x), b.sub(u, one(b)));
    return whereEqual(b, u, 1, x, whereEqual(b, u, Infinity, u, general));
  },
};

/**
 * hypot(a, b) = √(a² + b²) without overflow or underflow (`Math.hypot`: ∞ if either is ±∞,
 * even with a NaN). Its derivative (a/hypot, b/hypot) is taken as 0 at the origin, where it
 * does not exist, as abs′(0) = 0 (hypot(a, 0) is |a|).
 */
export const hypot: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'hypot',
  arity: 2,
  commutative: true,
  notation: call('hypot', ([a, c]) => `\\sqrt{${a}^{2} + ${c}^{2}}`),
  evaluate: (a, c) => Math.hypot(a, c),
  partials: ([a, c], self, b, needed) => {
    const atOrigin = b.apply('equal', [self, b.constant(0)]);
    const share = (operand: Node) => b.apply('where', [atOrigin, b.constant(0), b.div(operand, self)]);
    return [needed[0] ? share(a!) : undefined, needed[1] ? share(c!) : undefined];
  },
  // m·√(1 + (n/m)²) with m = max(|a|, |b|), n = min(|a|, |b|); 0 where m = 0; ∞ where either is ∞.
  decompose: (self, b) => {
    const [a, c] = self.args.map((x) => b.apply('abs', [x]));
    const m = b.apply('maximum', [a!, c!]), n = b.apply('minimum', [a!, c!]);
    const ratio = b.div(n, m);
    const scaled = b.mul(m, b.apply('sqrt', [b.add(one(b), b.mul(ratio, ratio))]));
    const infinite = b.apply('maximum', [b.apply('equal', [a!, b.constant(Infinity)]), b.apply('equal', [c!, b.constant(Infinity)])]);
    return b.apply('where', [infinite, b.constant(Infinity), whereEqual(b, m, 0, b.constant(0), scaled)]);
  },
  convention: "hypot′ = (a, b)/hypot(a, b), taken as 0 at the origin (as abs′(0) = 0)",
};

/**
 * atan2(y, x): the angle of the point (x, y), in (−π, π] (`Math.atan2`). Its derivative is
 * (x, −y)/(x² + y²) by (y, x); at the origin it does not exist and is NaN.
 */
export const atan2: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'atan2',
  arity: 2,
  notation: call('atan2', ([y, x]) => `\\operatorname{atan2}\\left(${y}, ${x}\\right)`),
  evaluate: Math.atan2,
  partials: ([y, x], _self, b, needed) => {
    const squared = b.add(b.mul(x!, x!), b.mul(y!, y!));
    return [needed[0] ? b.div(x!, squared) : undefined, needed[1] ? b.neg(b.div(y!, squared)) : undefined];
  },
  // atan(y/x) put in its quadrant (±π for x < 0 by the sign of y, ±π/2 for x = 0), with Math's
  // rules for signed zeros (by the sign of 1/0), two infinities (as ±1) and NaN.
  decompose: (self, b) => {
    const [y0, x0] = self.args as [Node, Node];
    const zero = b.constant(0), pi = b.constant(Math.PI);
    const isInfinite = (v: Node) => b.apply('equal', [b.apply('abs', [v]), b.constant(Infinity)]);
    const bothInfinite = b.mul(isInfinite(y0), isInfinite(x0));
    const [y, x] = [y0, x0].map((v) => b.apply('where', [bothInfinite, b.apply('sign', [v]), v])) as [Node, Node];
    /** v > 0, or v = +0 (1/v = +∞). */
    const positive = (v: Node) => b.apply('where', [b.apply('equal', [v, zero]), b.apply('gt', [b.div(b.constant(1), v), zero]), b.apply('gt', [v, zero])]);
    const angle = b.apply('atan', [b.div(y, x)]);
    // Signs from the operands themselves: ONNX Runtime's Where turns −0 into +0.
    const upper = positive(y0), right = positive(x0);
    const left = b.apply('where', [upper, b.add(angle, pi), b.sub(angle, pi)]);
    const vertical = b.apply('where', [upper, b.constant(Math.PI / 2), b.constant(-Math.PI / 2)]);
    const general = b.apply('where', [b.apply('equal', [x, zero]), vertical, b.apply('where', [right, angle, left])]);
    const origin = b.apply('where', [right, y, b.apply('where', [upper, pi, b.neg(pi)])]);
    const atOrigin = b.mul(b.apply('equal', [x, zero]), b.apply('equal', [y, zero]));
    const isNaN = b.apply('maximum', [b.apply('ne', [y, y]), b.apply('ne', [x, x])]);
    return b.apply('where', [isNaN, b.add(x, y), b.apply('where', [atOrigin, origin, general])]);
  },
};
