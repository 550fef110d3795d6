/**
 * Special functions: `erf`, `erfc`, `lgamma`, `digamma` and `polygamma`. Their numerics are the
 * algorithms of `special-functions.ts`, evaluated on numbers for the reference and built as
 * nodes for every backend (`decompose`), so compiled values are the reference's to rounding.
 * Derivatives close the family: lgamma′ = digamma, digamma′ = polygamma(1, ·),
 * polygamma(n, ·)′ = polygamma(n + 1, ·).
 */
import { TypegradError } from '../errors.js';
import type { Node } from '../node.js';
import { broadcastTo } from './broadcasting.js';
import * as algorithm from './special-functions.js';
import type { Builder, ElementwisePrimitive } from './types.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** e^(−x²)·2/√π: the derivative of erf. */
const gaussian = (x: Node, b: Builder) => b.mul(b.constant(TWO_OVER_SQRT_PI), b.apply('exp', [b.neg(b.mul(x, x))]));

const call = (name: string, latex: (args: readonly string[]) => string) => ({ kind: 'call', name, latex }) as const;

/** The error function 2/√π ∫₀ˣ e^(−t²) dt. */
export const erf: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'erf',
  arity: 1,
  notation: call('erf', ([a]) => `\\operatorname{erf}\\left(${a}\\right)`),
  evaluate: (x) => algorithm.erf(algorithm.numbers, x),
  partials: ([a], _self, b) => [gaussian(a!, b)],
  decompose: (self, b) => algorithm.erf(algorithm.nodes(b), self.args[0]!),
};

/** The complementary error function 1 − erf(x), accurate in the tail (erfc(10) ≈ 2.1e−45). */
export const erfc: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'erfc',
  arity: 1,
  notation: call('erfc', ([a]) => `\\operatorname{erfc}\\left(${a}\\right)`),
  evaluate: (x) => algorithm.erfc(algorithm.numbers, x),
  partials: ([a], _self, b) => [b.neg(gaussian(a!, b))],
  decompose: (self, b) => algorithm.erfc(algorithm.nodes(b), self.args[0]!),
};

/** ln|Γ(x)|, the log-gamma function (+∞ at the poles 0, −1, −2, ...). */
export const lgamma: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'lgamma',
  arity: 1,
  notation: call('lgamma', ([a]) => `\\ln\\left|\\Gamma\\left(${a}\\right)\\right|`),
  evaluate: (x) => algorithm.lgamma(algorithm.numbers, x),
  partials: ([a], _self, b) => [b.apply('digamma', [a!])],
  decompose: (self, b) => algorithm.lgamma(algorithm.nodes(b), self.args[0]!),
};

/** ψ(x) = Γ′(x)/Γ(x), the digamma function. */
export const digamma: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'digamma',
  arity: 1,
  notation: call('digamma', ([a]) => `\\psi\\left(${a}\\right)`),
  evaluate: (x) => algorithm.digamma(algorithm.numbers, x),
  partials: ([a], _self, b) => [b.apply('polygamma', [b.constant(1), a!])],
  decompose: (self, b) => algorithm.digamma(algorithm.nodes(b), self.args[0]!),
};

/** The constant order of a polygamma node (a number, or a tensor filled with one), for its decomposition. */
function constantOrder(n: Node): number {
  const value = n.op === 'const' ? n.value : n.op === 'broadcast' && n.args[0]!.op === 'const' ? n.args[0]!.value : undefined;
  if (value === undefined) throw new TypegradError('polygamma: a backend other than the reference computes polygamma(n, x) only for a constant order n; give n as a number');
  return value;
}

/**
 * ψ⁽ⁿ⁾(x), the n-th derivative of digamma, for an integer order n ≥ 0 (NaN for any other n).
 * Differentiable in x; the order is an integer with no derivative, so ∂/∂n is NaN.
 */
export const polygamma: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'polygamma',
  arity: 2,
  notation: call('polygamma', ([n, a]) => `\\psi^{\\left(${n}\\right)}\\left(${a}\\right)`),
  evaluate: (n, x) => algorithm.polygamma(algorithm.numbers, n, x),
  partials: ([n, a], _self, b, needed) => [
    needed[0] ? b.constant(NaN) : undefined,
    needed[1] ? b.apply('polygamma', [b.add(n!, b.constant(1)), a!]) : undefined,
  ],
  simplify: ([n, a], b) => (n!.op === 'const' && n!.value === 0 ? b.apply('digamma', [a!]) : undefined),
  decompose: (self, b) => broadcastTo(b, algorithm.polygamma(algorithm.nodes(b), constantOrder(self.args[0]!), self.args[1]!), self.shape),
  convention: 'polygamma(n, x) is differentiated in x only: its integer order n has no derivative (NaN)',
};
