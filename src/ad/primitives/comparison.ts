/**
 * Comparisons: 1 where the relation holds, else 0 (IEEE: NaN compares false, and unequal to
 * everything). Masks: their derivative is 0 everywhere, as in JAX and TensorFlow. With `where`
 * they are how a traced function branches on its values (`where(gt(x, 0), x, neg(x))`).
 */
import type { ElementwisePrimitive } from './types.js';

/** A comparison printed as `name(a, b)` and in LaTeX as the Iverson bracket `[a ⋄ b]`. */
function comparison(name: string, latexSymbol: string, evaluate: (a: number, b: number) => number, strict: boolean, commutative = false): ElementwisePrimitive {
  return {
    kind: 'elementwise',
    name,
    arity: 2,
    ...(commutative ? { commutative } : {}),
    notation: { kind: 'call', name, latex: ([a, b]) => `\\left[${a} ${latexSymbol} ${b}\\right]` },
    evaluate,
    partials: (_args, _self, b) => [b.constant(0), b.constant(0)],
    // a < a and a > a are 0 whatever a is (NaN compares false); a ≤ a, a ≥ a and a ≠ a depend
    // on whether a is NaN, so they are not decided at build time.
    simplify: (args, b) => (strict && args[0] === args[1] ? b.constant(0) : undefined),
    convention: `${name}′ = 0 everywhere (a mask)`,
  };
}

/**
 * equal(a, b): 1 where a equals b, else 0 (NaN equals nothing). A mask: its derivative is 0.
 * The derivative rule of `max` uses it to find where the maximum was taken.
 */
export const equal: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'equal',
  arity: 2,
  commutative: true,
  notation: { kind: 'call', name: 'equal', latex: ([a, b]) => `\\left[${a} = ${b}\\right]` },
  evaluate: (a, b) => (a === b ? 1 : 0),
  partials: (_args, _self, b) => [b.constant(0), b.constant(0)],
  convention: 'equal′ = 0 everywhere (a mask)',
};

/** gt(a, b): 1 where a > b, else 0. */
export const gt = comparison('gt', '>', (a, b) => (a > b ? 1 : 0), true);
/** ge(a, b): 1 where a ≥ b, else 0. */
export const ge = comparison('ge', '\\geq', (a, b) => (a >= b ? 1 : 0), false);
/** lt(a, b): 1 where a < b, else 0. */
export const lt = comparison('lt', '<', (a, b) => (a < b ? 1 : 0), true);
/** le(a, b): 1 where a ≤ b, else 0. */
export const le = comparison('le', '\\leq', (a, b) => (a <= b ? 1 : 0), false);
/** ne(a, b): 1 where a ≠ b (NaN is unequal to everything, itself included), else 0. */
export const ne = comparison('ne', '\\neq', (a, b) => (a !== b ? 1 : 0), false, true);
