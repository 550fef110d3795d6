import type { ElementwisePrimitive } from './types.js';

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
