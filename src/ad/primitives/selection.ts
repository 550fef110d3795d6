/**
 * Selection: `where(cond, a, b)` (a where cond is nonzero, else b), the elementwise `maximum`
 * and `minimum`, and `clip`. Their derivatives follow the value chosen: where's is the chosen
 * branch's (0 for the condition, a mask), so a function that branches with `where` is
 * differentiated piece by piece.
 */
import { isConstant, type Node } from '../node.js';
import type { Builder, ElementwisePrimitive } from './types.js';

/** The value of a constant or of a tensor filled with one, else undefined. */
function filledValue(n: Node): number | undefined {
  if (n.op === 'const') return n.value;
  if (n.op === 'broadcast' && n.args[0]!.op === 'const') return n.args[0]!.value;
  return undefined;
}

/** A condition in LaTeX: a comparison's Iverson bracket [a > b] read as the relation, anything else as ≠ 0. */
function condition(c: string): string {
  const bracket = /^\\left\[(.*)\\right\]$/.exec(c);
  return bracket !== null ? bracket[1]! : `${c} \\neq 0`;
}

/**
 * where(cond, a, b): a where cond ≠ 0 (NaN counts as true, as numpy's truth value), else b; the
 * three operands broadcast together. Its derivative is the chosen branch's: ∂/∂a is 1 where cond
 * holds, ∂/∂b where it does not, ∂/∂cond is 0. As in JAX, an unchosen branch that is not finite
 * (√x at x < 0) still gives NaN in reverse mode through its own partials (0 · ∞): keep such
 * operands in their domain (`where(c, sqrt(where(c, x, 1)), 0)`).
 */
export const where: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'where',
  arity: 3,
  notation: { kind: 'call', name: 'where', latex: ([c, a, b]) => `\\begin{cases}${a} & \\text{if } ${condition(c!)}\\\\${b} & \\text{otherwise}\\end{cases}` },
  evaluate: (c, a, b) => (c !== 0 ? a : b),
  partials: ([c], _self, b, needed) => [
    b.constant(0),
    needed[1] ? b.apply('where', [c!, b.constant(1), b.constant(0)]) : undefined,
    needed[2] ? b.apply('where', [c!, b.constant(0), b.constant(1)]) : undefined,
  ],
  simplify: ([c, a, e]) => {
    const known = filledValue(c!);
    if (known !== undefined) return known !== 0 ? a : e;
    if (a === e) return a;
    return undefined;
  },
  convention: "where′ is the chosen branch's derivative; ∂where/∂cond = 0",
};

/** 1 where a beats b (by `wins`), ½ at a tie, else 0: JAX's balanced derivative of max and min. */
function balanced(wins: 'gt' | 'lt', a: Node, other: Node, b: Builder): Node {
  return b.add(b.apply(wins, [a, other]), b.mul(b.constant(0.5), b.apply('equal', [a, other])));
}

/** maximum/minimum: commutative, NaN wins (as `Math.max`), ties share the derivative. */
function extremum(name: 'maximum' | 'minimum', evaluate: (a: number, b: number) => number, wins: 'gt' | 'lt'): ElementwisePrimitive {
  return {
    kind: 'elementwise',
    name,
    arity: 2,
    commutative: true,
    notation: { kind: 'call', name, latex: ([a, b]) => `\\${name === 'maximum' ? 'max' : 'min'}\\left(${a}, ${b}\\right)` },
    evaluate,
    partials: ([a, c], _self, b, needed) => [needed[0] ? balanced(wins, a!, c!, b) : undefined, needed[1] ? balanced(wins, c!, a!, b) : undefined],
    simplify: ([a, c]) => (a === c ? a : undefined),
    convention: `at a tie (a = b) each operand gets half the derivative (JAX's convention; TensorFlow gives it all to the first operand)`,
  };
}

/** The elementwise maximum of two operands (NaN if either is NaN, as `Math.max`). */
export const maximum = extremum('maximum', Math.max, 'gt');
/** The elementwise minimum of two operands (NaN if either is NaN, as `Math.min`). */
export const minimum = extremum('minimum', Math.min, 'lt');

/**
 * clip(x, lo, hi) = min(max(x, lo), hi) (numpy's order: hi wins where lo > hi). Its derivative
 * by x is 1 where lo ≤ x ≤ hi, the bounds included (TensorFlow's `clip_by_value`), else 0; by lo
 * where x < lo ≤ hi, by hi where max(x, lo) > hi, so the three always sum to 1.
 */
export const clip: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'clip',
  arity: 3,
  notation: { kind: 'call', name: 'clip', latex: ([x, lo, hi]) => `\\operatorname{clip}\\left(${x}, ${lo}, ${hi}\\right)` },
  evaluate: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
  partials: ([x, lo, hi], _self, b, needed) => [
    needed[0] ? b.mul(b.apply('ge', [x!, lo!]), b.apply('le', [x!, hi!])) : undefined,
    needed[1] ? b.mul(b.apply('lt', [x!, lo!]), b.apply('le', [lo!, hi!])) : undefined,
    needed[2] ? b.apply('gt', [b.apply('maximum', [x!, lo!]), hi!]) : undefined,
  ],
  simplify: ([x, lo, hi]) => {
    // Unbounded sides: clip(x, −∞, hi) is min(x, hi) in value, but its derivative convention
    // differs at ties, so only the fully unbounded clip simplifies.
    if (isConstant(lo!, -Infinity) && isConstant(hi!, Infinity)) return x;
    return undefined;
  },
  decompose: (self, b) => {
    const [x, lo, hi] = self.args;
    return b.apply('minimum', [b.apply('maximum', [x!, lo!]), hi!]);
  },
  convention: "clip′ by x is 1 where lo ≤ x ≤ hi, bounds included (TensorFlow's clip_by_value), else 0",
};
