/**
 * The TensorFlow.js lowering of each elementwise primitive: the tfjs ops computing it on whole
 * tensors (operands broadcast by tfjs's numpy rule, as typegrad's). One entry per primitive.
 */
import type { Node } from '../../ad/node.js';
import type { PrimitiveName } from '../../ad/primitives/index.js';

/** The part of `@tensorflow/tfjs-core` the lowerings use (typed loosely: it is an optional peer). */
export type Tf = typeof import('@tensorflow/tfjs-core');
export type Tensor = import('@tensorflow/tfjs-core').Tensor;

export type TfjsLowering = (tf: Tf, args: readonly Tensor[], node: Node) => Tensor;

function power(tf: Tf, [a, b]: readonly Tensor[], node: Node): Tensor {
  const exponent = node.args[1]!;
  if (exponent.op === 'const' && exponent.value === 2) return tf.square(a!);
  if (exponent.op === 'const' && exponent.value === -1) return tf.reciprocal(a!);
  if (exponent.op === 'const' && Number.isFinite(exponent.value)) return tf.pow(a!, b!);
  // Math.pow(±1, ±∞) and Math.pow(±1, NaN) are NaN; C's pow (the wasm engine's) gives 1.
  const unitBase = tf.equal(tf.abs(a!), 1);
  return tf.where(tf.logicalAnd(unitBase, tf.logicalNot(tf.isFinite(b!))), tf.scalar(NaN), tf.pow(a!, b!));
}

/** sign(a) from two steps: tfjs's own `sign` returns 0 for small nonzero a on the wasm engine. */
function sign(tf: Tf, a: Tensor): Tensor {
  return tf.sub(tf.step(a, 0), tf.step(tf.neg(a), 0));
}

/** A boolean tensor as a float32 mask of 0s and 1s. */
const asMask = (tf: Tf, condition: Tensor) => tf.cast(condition, 'float32');

/** `result` with NaN wherever an operand is NaN (tfjs's maximum and minimum drop NaN on some engines; Math's keep it). */
function withNaN(tf: Tf, result: Tensor, ...operands: Tensor[]): Tensor {
  const anyNaN = operands.map((o) => tf.isNaN(o)).reduce((a, b) => tf.logicalOr(a, b));
  return tf.where(anyNaN, tf.scalar(NaN), result);
}

/**
 * Primitives the tfjs backend lowers by their records' decompositions: the special functions
 * (as on every backend: the reference's algorithm) and hypot, which tfjs lacks.
 */
export const TFJS_DECOMPOSED = ['erf', 'erfc', 'lgamma', 'digamma', 'polygamma', 'hypot'] as const;
export type TfjsDecomposed = (typeof TFJS_DECOMPOSED)[number];

export const tfjsLowering: Record<Exclude<PrimitiveName, TfjsDecomposed>, TfjsLowering> = {
  add: (tf, [a, b]) => tf.add(a!, b!),
  sub: (tf, [a, b]) => tf.sub(a!, b!),
  mul: (tf, [a, b]) => tf.mul(a!, b!),
  div: (tf, [a, b]) => tf.div(a!, b!),
  neg: (tf, [a]) => tf.neg(a!),
  pow: power,
  exp: (tf, [a]) => tf.exp(a!),
  ln: (tf, [a]) => tf.log(a!),
  log: (tf, [a, b]) => tf.div(tf.log(a!), tf.log(b!)),
  sqrt: (tf, [a]) => tf.sqrt(a!),
  // tfjs has no cube root: sign(a)·|a|^(1/3) keeps negative arguments real.
  cbrt: (tf, [a]) => tf.mul(sign(tf, a!), tf.pow(tf.abs(a!), 1 / 3)),
  sin: (tf, [a]) => tf.sin(a!),
  cos: (tf, [a]) => tf.cos(a!),
  tan: (tf, [a]) => tf.tan(a!),
  asin: (tf, [a]) => tf.asin(a!),
  acos: (tf, [a]) => tf.acos(a!),
  atan: (tf, [a]) => tf.atan(a!),
  sinh: (tf, [a]) => tf.sinh(a!),
  cosh: (tf, [a]) => tf.cosh(a!),
  tanh: (tf, [a]) => tf.tanh(a!),
  sigmoid: (tf, [a]) => tf.sigmoid(a!),
  softplus: (tf, [a]) => tf.softplus(a!),
  relu: (tf, [a]) => tf.relu(a!),
  abs: (tf, [a]) => tf.abs(a!),
  sign: (tf, [a]) => sign(tf, a!),
  // step(a, 0) is 1 for a > 0, else 0 (NaN stays NaN), as heaviside.
  heaviside: (tf, [a]) => tf.step(a!, 0),
  equal: (tf, [a, b]) => tf.cast(tf.equal(a!, b!), 'float32'),
  gt: (tf, [a, b]) => asMask(tf, tf.greater(a!, b!)),
  ge: (tf, [a, b]) => asMask(tf, tf.greaterEqual(a!, b!)),
  lt: (tf, [a, b]) => asMask(tf, tf.less(a!, b!)),
  le: (tf, [a, b]) => asMask(tf, tf.lessEqual(a!, b!)),
  ne: (tf, [a, b]) => asMask(tf, tf.notEqual(a!, b!)),
  // NaN ≠ 0, so a NaN condition picks a (as the reference).
  where: (tf, [c, a, b]) => tf.where(tf.notEqual(c!, 0), a!, b!),
  maximum: (tf, [a, b]) => withNaN(tf, tf.maximum(a!, b!), a!, b!),
  minimum: (tf, [a, b]) => withNaN(tf, tf.minimum(a!, b!), a!, b!),
  clip: (tf, [x, lo, hi]) => withNaN(tf, tf.minimum(tf.maximum(x!, lo!), hi!), x!, lo!, hi!),
  floor: (tf, [a]) => tf.floor(a!),
  ceil: (tf, [a]) => tf.ceil(a!),
  // Math.round's halves towards +∞, not tfjs's halves to even: ⌊a⌋ + [a − ⌊a⌋ ≥ ½] (the difference is exact).
  round: (tf, [a]) => {
    const down = tf.floor(a!);
    return tf.add(down, asMask(tf, tf.greaterEqual(tf.sub(a!, down), 0.5)));
  },
  stopGradient: (_tf, [a]) => a!,
  expm1: (tf, [a]) => tf.expm1(a!),
  log1p: (tf, [a]) => tf.log1p(a!),
  atan2: (tf, [y, x]) => tf.atan2(y!, x!),
};
