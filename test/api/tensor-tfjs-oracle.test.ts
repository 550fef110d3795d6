/**
 * An independent oracle: TensorFlow.js computes the same gradients with its own autodiff
 * (`tf.grads`, cpu backend, float32), compared with typegrad's symbolic gradients evaluated in
 * float64 by the reference interpreter: networks written with the typed API, and programs of
 * rank 3 and 4 built with `apply` (batched and broadcasting products, biases, reductions over
 * several axes, softmax along a middle axis, gather).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { constantNode, variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { Mat, MVar, VVar, grad, relu, sigmoid, softmax, tanh, type MFun, type SFun, type VFun } from '../../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A deterministic pseudo-random matrix in [−1, 1]. */
function randomMatrix(rows: number, columns: number, seed: number): number[][] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  return Array.from({ length: rows }, () => Array.from({ length: columns }, next));
}

function expectCloseFloat32(actual: number[] | number[][] | number, expected: number[] | number[][] | number): void {
  const a = [actual].flat(2) as number[], e = [expected].flat(2) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((x, i) => expect(Math.abs(x - e[i]!)).toBeLessThanOrEqual(2e-5 + 2e-4 * Math.abs(e[i]!)));
}

type Parameter = SFun<string> | VFun<number, string> | MFun<number, number, string>;

/** Compares grad(loss, parameters) with tf.grads of the tfjs version of the same loss. */
function compareWithTfjs(
  loss: SFun<string>,
  parameters: Record<string, Parameter>,
  values: Record<string, number[] | number[][]>,
  tfLoss: (...tensors: tf.Tensor[]) => tf.Scalar,
): void {
  const names = Object.keys(parameters);
  const gradients = grad(loss, parameters) as Record<string, Parameter>;
  const ours = names.map((n) => (gradients[n] as { eval(b: unknown): number[] | number[][] }).eval(values));
  const theirs = tf.tidy(() => tf.grads(tfLoss)(names.map((n) => tf.tensor(values[n]!))).map((t) => t.arraySync() as number[] | number[][]));
  const ourLoss = loss.eval(values as never);
  const theirLoss = tf.tidy(() => tfLoss(...names.map((n) => tf.tensor(values[n]!))).arraySync());
  expectCloseFloat32(ourLoss, theirLoss);
  names.forEach((n, i) => expectCloseFloat32(ours[i]!, theirs[i]!));
}

describe('gradients agree with TensorFlow.js autodiff', () => {
  const X = randomMatrix(6, 4, 1), labels = [0, 2, 1, 2, 0, 1];
  const Y = labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));

  it('an MLP with a softmax cross-entropy loss (matmul, bias, relu, logsumexp)', () => {
    const W1 = MVar('W1', 4, 5), b1 = VVar('b1', 5), W2 = MVar('W2', 5, 3), b2 = VVar('b2', 3);
    const logits = relu(Mat(...X).matmul(W1).add(b1)).matmul(W2).add(b2);
    const loss = logits.logsumexp(1).sub(Mat(...Y).mul(logits).sum(1)).mean();
    const values = { W1: randomMatrix(4, 5, 2), b1: randomMatrix(1, 5, 3)[0]!, W2: randomMatrix(5, 3, 4), b2: randomMatrix(1, 3, 5)[0]! };
    compareWithTfjs(loss, { W1, b1, W2, b2 }, values, (w1, c1, w2, c2) => {
      const l = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.tensor(X), w1!), c1!)), w2!), c2!);
      return tf.losses.softmaxCrossEntropy(tf.tensor(Y), l) as tf.Scalar;
    });
  });

  it('a tanh/sigmoid network with softmax, transpose and a squared error', () => {
    const W = MVar('W', 4, 3), v = VVar('v', 6);
    const hidden = tanh(Mat(...X).matmul(W));
    const probabilities = softmax(hidden.T.matmul(sigmoid(v)));
    const loss = probabilities.sub(Mat(...Y).row(1)).pow(2).sum();
    const values = { W: randomMatrix(4, 3, 7), v: randomMatrix(1, 6, 8)[0]! };
    compareWithTfjs(loss, { W, v }, values, (w, u) => {
      const h = tf.tanh(tf.matMul(tf.tensor(X), w!));
      const p = tf.softmax(tf.squeeze(tf.matMul(tf.transpose(h), tf.reshape(tf.sigmoid(u!), [6, 1]))));
      return tf.sum(tf.square(tf.sub(p, tf.tensor(Y[1]!))));
    });
  });

  it('slices, concatenation, outer products and norms', () => {
    const a = VVar('a', 5), B = MVar('B', 3, 4);
    const joined = a.slice(1, 4).concat(B.sum(0));
    const loss = joined.outer(a).matmul(a).norm().add(B.mul(B).mean(1).logsumexp());
    const values = { a: randomMatrix(1, 5, 9)[0]!, B: randomMatrix(3, 4, 10) };
    compareWithTfjs(loss, { a, B }, values, (u, b) => {
      const j = tf.concat([tf.slice(u!, [1], [3]), tf.sum(b!, 0)]);
      const outerTimes = tf.squeeze(tf.matMul(tf.matMul(tf.reshape(j, [7, 1]), tf.reshape(u!, [1, 5])), tf.reshape(u!, [5, 1])));
      return tf.add(tf.norm(outerTimes), tf.logSumExp(tf.mean(tf.mul(b!, b!), 1))) as tf.Scalar;
    });
  });
});

/* Programs of any rank built with `apply`: batched, broadcasting, reducing over several axes. */

/** Deterministic pseudo-random values in [−1, 1). */
function randomValues(count: number, seed: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length: count }, () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}

/** reverseGradient of `loss` (evaluated in float64 by the reference interpreter) against tf.grads of the tfjs version. */
function compareNodesWithTfjs(loss: Node, parameters: readonly Node[], tfLoss: (...tensors: tf.Tensor[]) => tf.Scalar, seed: number): void {
  const values = new Map(parameters.map((p, i) => [p.name, randomValues(p.shape.reduce((n, d) => n * d, 1), seed + i)]));
  const [ourLoss, ...ours] = evaluateTensors([loss, ...reverseGradient(loss, parameters)], values);
  const inputs = () => parameters.map((p) => tf.tensor(Array.from(values.get(p.name)!), [...p.shape]));
  const theirLoss = tf.tidy(() => tfLoss(...inputs()).dataSync()[0]!);
  const theirs = tf.tidy(() => tf.grads(tfLoss)(inputs()).map((t) => Array.from(t.dataSync())));
  expectCloseFloat32(ourLoss![0]!, theirLoss);
  parameters.forEach((p, i) => expectCloseFloat32(Array.from(ours[i]!), theirs[i]!));
}

describe('gradients of programs of rank 3 and 4 agree with TensorFlow.js autodiff', () => {
  const op = (name: string, ...args: Node[]) => apply(name, args);

  it('a batched matmul chain whose batch axes broadcast ([2, 1, 3, 4]·[5, 4, 3]·[3, 2])', () => {
    const X = variableNode('X', [2, 1, 3, 4]), W1 = variableNode('W1', [5, 4, 3]), W2 = variableNode('W2', [3, 2]);
    const loss = apply('sum', [op('sin', op('matmul', op('tanh', op('matmul', X, W1)), W2))]);
    // tf.matMul reads the wrong matrices when both operands repeat along different batch axes, and
    // its gradient does not sum repeated axes back (tfjs 4.22): the tfjs version broadcasts the
    // operands itself, and tf.broadcastTo's gradient does the summing.
    compareNodesWithTfjs(loss, [X, W1, W2], (x, w1, w2) => {
      const hidden = tf.tanh(tf.matMul(tf.broadcastTo(x!, [2, 5, 3, 4]), tf.broadcastTo(w1!, [2, 5, 4, 3])));
      return tf.sum(tf.sin(tf.matMul(hidden, tf.broadcastTo(w2!, [2, 5, 3, 2]))));
    }, 11);
  });

  it('batched products with vector operands and a transposed batch ([4]·[2, 4, 3] and [2, 3, 4]ᵀ·[3])', () => {
    const u = variableNode('u', [4]), A = variableNode('A', [2, 4, 3]), v = variableNode('v', [4]);
    const rows = op('matmul', u, A); // [2, 3]
    const columns = op('matmul', apply('transpose', [A], [0, 2, 1]), v); // [2, 3]
    const loss = apply('sum', [op('mul', rows, op('sigmoid', columns))]);
    compareNodesWithTfjs(loss, [u, A, v], (x, a, y) => {
      const r = tf.squeeze(tf.matMul(tf.reshape(x!, [1, 1, 4]).tile([2, 1, 1]), a!), [1]);
      const c = tf.squeeze(tf.matMul(a!, tf.reshape(y!, [1, 4, 1]).tile([2, 1, 1]), true, false), [2]);
      return tf.sum(tf.mul(r, tf.sigmoid(c)));
    }, 17);
  });

  it('a bias broadcast over a rank-3 tensor, and a size-1 axis stretched, under relu and a squared error', () => {
    const H = variableNode('H', [2, 3, 4]), b = variableNode('b', [4]), g = variableNode('g', [3, 1]);
    const loss = apply('sum', [op('pow', op('sub', op('relu', op('add', H, b)), op('mul', g, H)), constantNode(2))]);
    compareNodesWithTfjs(loss, [H, b, g], (h, c, s) => tf.sum(tf.square(tf.sub(tf.relu(tf.add(h!, c!)), tf.mul(s!, h!)))), 23);
  });

  it('reductions over several axes (sum over [0, 2], logsumexp over [1, 3], max over [0, 1]) of rank 4', () => {
    const T = variableNode('T', [2, 3, 2, 4]);
    const summed = apply('sum', [op('cos', T)], [0, 2]); // [3, 4]
    const soft = apply('logsumexp', [T], [1, 3]); // [2, 2]
    const peak = apply('max', [op('mul', T, T)], [0, 1]); // [2, 4]
    const loss = op('add', op('add', apply('sum', [op('exp', summed)]), apply('sum', [op('mul', soft, soft)])), apply('sum', [peak]));
    compareNodesWithTfjs(loss, [T], (t) =>
      tf.add(tf.add(tf.sum(tf.exp(tf.sum(tf.cos(t!), [0, 2]))), tf.sum(tf.square(tf.logSumExp(t!, [1, 3])))), tf.sum(tf.max(tf.mul(t!, t!), [0, 1]))), 29);
  });

  it('softmax along the middle axis of a rank-3 tensor', () => {
    const Z = variableNode('Z', [2, 4, 3]), Y = variableNode('Y', [2, 4, 3]);
    const loss = apply('sum', [op('mul', Y, op('ln', apply('softmax', [Z], [1])))]);
    compareNodesWithTfjs(loss, [Z, Y], (z, y) => tf.sum(tf.mul(y!, tf.log(tf.transpose(tf.softmax(tf.transpose(z!, [0, 2, 1])), [0, 2, 1])))), 31);
  });

  it('gather of rows of an embedding table along axis 0 and of columns along axis 2 (repeated indices add up)', () => {
    const E = variableNode('E', [5, 3]), T = variableNode('T', [2, 3, 4]);
    const ids = [3, 0, 3, 1], columns = [2, 2, 0];
    const indices = (values: readonly number[], shape: readonly number[]) => apply('pack', values.map(constantNode), shape);
    const rows = apply('gather', [E, indices(ids, [2, 2])], [0]); // [2, 2, 3]
    const picked = apply('gather', [T, indices(columns, [3])], [2]); // [2, 3, 3]
    const loss = apply('sum', [op('tanh', op('matmul', rows, picked))]); // [2, 2, 3]
    compareNodesWithTfjs(loss, [E, T], (e, t) => {
      const r = tf.gather(e!, tf.tensor2d(ids, [2, 2], 'int32'), 0);
      const p = tf.gather(t!, tf.tensor1d(columns, 'int32'), 2);
      return tf.sum(tf.tanh(tf.matMul(r, p)));
    }, 37);
  });
});
