/**
 * An independent oracle: TensorFlow.js computes the same gradients with its own autodiff
 * (`tf.grads`, cpu backend, float32), compared with typegrad's symbolic gradients evaluated in
 * float64 by the reference interpreter.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
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
