/**
 * stopGradient(x): the value of x, with derivative 0 (JAX's `stop_gradient`). What it wraps is
 * a constant to differentiation, so `x · stopGradient(x)` differentiates to `stopGradient(x)`:
 * for targets that must not be trained through, straight-through estimators, and the like.
 */
import type { ElementwisePrimitive } from './types.js';

export const stopGradient: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'stopGradient',
  arity: 1,
  notation: { kind: 'call', name: 'stopGradient', latex: ([a]) => `\\operatorname{sg}\\left(${a}\\right)` },
  evaluate: (a) => a,
  partials: (_args, _self, b) => [b.constant(0)],
  // Stopping twice is stopping once; a constant has no derivative to stop.
  simplify: ([a]) => (a!.op === 'stopGradient' ? a : undefined),
  convention: 'stopGradient′ = 0 everywhere: its operand is a constant to differentiation',
};
