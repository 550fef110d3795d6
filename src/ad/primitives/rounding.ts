/**
 * Rounding to integers: `floor`, `ceil` and `round`. Piecewise constant, so their derivative is
 * 0 everywhere, at the jumps included (JAX's and TensorFlow's convention). `round` is
 * `Math.round`'s: to the nearest integer, halves towards +∞ (round(2.5) = 3, round(−2.5) = −2),
 * on every backend; numpy's and JAX's `round` take halves to even instead.
 */
import type { Node } from '../node.js';
import type { ElementwisePrimitive } from './types.js';

/** Operations whose value is always an integer (or ±∞, NaN, −0): rounding leaves them as they are. */
const INTEGER_VALUED = new Set(['floor', 'ceil', 'round', 'sign', 'heaviside', 'equal', 'gt', 'ge', 'lt', 'le', 'ne']);

const isIntegerValued = (n: Node) => INTEGER_VALUED.has(n.op);

function rounding(name: string, evaluate: (a: number) => number, latex: (a: string) => string): ElementwisePrimitive {
  return {
    kind: 'elementwise',
    name,
    arity: 1,
    notation: { kind: 'call', name, latex: ([a]) => latex(a!) },
    evaluate,
    partials: (_args, _self, b) => [b.constant(0)],
    simplify: ([a]) => (isIntegerValued(a!) ? a : undefined),
    convention: `${name}′ = 0 everywhere, also at the jumps`,
  };
}

/** The largest integer ≤ x. */
export const floor = rounding('floor', Math.floor, (a) => `\\left\\lfloor ${a} \\right\\rfloor`);
/** The smallest integer ≥ x. */
export const ceil = rounding('ceil', Math.ceil, (a) => `\\left\\lceil ${a} \\right\\rceil`);
/** The nearest integer, halves towards +∞ (`Math.round`). */
export const round = rounding('round', Math.round, (a) => `\\operatorname{round}\\left(${a}\\right)`);
