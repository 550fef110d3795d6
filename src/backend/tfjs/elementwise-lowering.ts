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
  return tf.pow(a!, b!);
}

/** sign(a) from two steps: tfjs's own `sign` returns 0 for small nonzero a on the wasm engine. */
function sign(tf: Tf, a: Tensor): Tensor {
  return tf.sub(tf.step(a, 0), tf.step(tf.neg(a), 0));
}

export const tfjsLowering: Record<PrimitiveName, TfjsLowering> = {
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
};
