import type { ElementwisePrimitive } from './types.js';

function sigmoidValue(a: number): number {
  // Two branches so that exp never overflows.
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

const call = (name: string, latexName = `\\operatorname{${name}}`) =>
  ({ kind: 'call', name, latex: ([a]: readonly string[]) => `${latexName}\\left(${a}\\right)` }) as const;

export const sigmoid: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'sigmoid',
  arity: 1,
  notation: call('sigmoid', '\\sigma'),
  evaluate: sigmoidValue,
  partials: (_args, self, b) => [b.mul(self, b.sub(b.constant(1), self))],
};

export const softplus: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'softplus',
  arity: 1,
  notation: call('softplus'),
  // ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|), which neither overflows nor loses small values.
  evaluate: (a) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))),
  partials: ([a], _self, b) => [b.apply('sigmoid', [a!])],
};

export const relu: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'relu',
  arity: 1,
  notation: call('relu'),
  // NaN stays NaN (IEEE, as on every backend): `a > 0 ? a : 0` would turn a NaN in the data into 0.
  evaluate: (a) => (a <= 0 ? 0 : a),
  partials: ([a], _self, b) => [b.apply('heaviside', [a!])],
  convention: "relu′(0) = 0 (the subgradient used by TensorFlow and PyTorch)",
};

export const abs: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'abs',
  arity: 1,
  notation: { kind: 'call', name: 'abs', latex: ([a]) => `\\left|${a}\\right|` },
  evaluate: Math.abs,
  partials: ([a], _self, b) => [b.apply('sign', [a!])],
  convention: 'abs′(0) = sign(0) = 0',
};

/** sign(x) ∈ {−1, 0, 1}: the derivative of abs. Its own derivative is 0 everywhere (a.e.). */
export const sign: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'sign',
  arity: 1,
  notation: call('sign', '\\operatorname{sgn}'),
  evaluate: (a) => (a > 0 ? 1 : a < 0 ? -1 : a),
  partials: (_args, _self, b) => [b.constant(0)],
  convention: "sign′(x) = 0, also at 0",
};

/** heaviside(x) = 1 for x > 0, else 0: the derivative of relu. Its own derivative is 0 (a.e.). */
export const heaviside: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'heaviside',
  arity: 1,
  notation: call('heaviside', '\\operatorname{H}'),
  evaluate: (a) => (a > 0 ? 1 : a <= 0 ? 0 : NaN),
  partials: (_args, _self, b) => [b.constant(0)],
  convention: "heaviside(0) = 0 and heaviside′(x) = 0, also at 0",
};
