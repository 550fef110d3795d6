/**
 * A realistic shape-checked model file, for `npm run bench:types` to measure what the shapes in
 * the types cost: a 784→128→10 MLP on MNIST with its training loop, written as a user would
 * (importing `typegrad`, every dimension a literal). It is type-checked, not run.
 */
import { grad, MVar, relu, VVar, type MFun, type SFun, type VFun } from 'typegrad';
import { adam, glorotUniform, Random } from 'typegrad/nn';
import { loadMnist } from 'typegrad/node';

const batchSize = 64;
const pixels = 784;
const hiddenUnits = 128;
const classes = 10;

// The batch and its one-hot labels are variables too: one symbolic graph serves every batch.
const X = MVar('X', batchSize, pixels);
const Y = MVar('Y', batchSize, classes);
const W1 = MVar('W1', pixels, hiddenUnits);
const b1 = VVar('b1', hiddenUnits);
const W2 = MVar('W2', hiddenUnits, classes);
const b2 = VVar('b2', classes);

type Parameters = 'W1' | 'b1' | 'W2' | 'b2';

/** The logits of a batch: relu(X·W1 + b1)·W2 + b2, one row per image. */
function logitsOf<B extends number>(images: MFun<B, 784, 'X'>): MFun<B, 10, 'X' | Parameters> {
  const hidden = relu(images.matmul(W1).add(b1));
  return hidden.matmul(W2).add(b2);
}

const logits: MFun<64, 10, 'X' | Parameters> = logitsOf(X);

// Softmax cross-entropy, averaged over the batch: per row, logsumexp(logits) − ⟨logits, label⟩.
const logPartition: VFun<64, 'X' | Parameters> = logits.logsumexp(1);
const labelLogits: VFun<64, 'X' | 'Y' | Parameters> = logits.mul(Y).sum(1);
const loss: SFun<'X' | 'Y' | Parameters> = logPartition.sub(labelLogits).sum().div(batchSize);

// One gradient per parameter, each of its parameter's shape.
const gradients = grad(loss, { W1, b1, W2, b2 });
const dW1: MFun<784, 128, 'X' | 'Y' | Parameters> = gradients.W1;
const db1: VFun<128, 'X' | 'Y' | Parameters> = gradients.b1;
const dW2: MFun<128, 10, 'X' | 'Y' | Parameters> = gradients.W2;
const db2: VFun<10, 'X' | 'Y' | Parameters> = gradients.b2;

// Predictions: the most likely class of each image.
const probabilities: MFun<64, 10, 'X' | Parameters> = logits.softmax();

const random = new Random('mlp');
const parameters = {
  W1: glorotUniform(pixels, hiddenUnits, random),
  b1: new Float64Array(hiddenUnits),
  W2: glorotUniform(hiddenUnits, classes, random),
  b2: new Float64Array(classes),
};
const optimizer = adam({ lr: 0.001 });
const state = optimizer.init(parameters);
const mnist = loadMnist({ train: 6400, test: 640 });

/** Rows start..start+64 of a row-major matrix with `width` columns. */
function batchOf(data: Float64Array, width: number, start: number): Float64Array {
  return data.subarray(start * width, (start + batchSize) * width);
}

/** The index of the largest element of each row. */
function argmaxRows(rows: number[][]): number[] {
  return rows.map((row) => row.indexOf(Math.max(...row)));
}

/** The flat values of a matrix or vector gradient, for the optimizer. */
function flat(value: number[][] | number[]): Float64Array {
  return Float64Array.from(value.flat());
}

for (let epoch = 0; epoch < 5; epoch++) {
  let total = 0;
  for (let start = 0; start + batchSize <= mnist.train.count; start += batchSize) {
    const at = { X: batchOf(mnist.train.images, pixels, start), Y: batchOf(mnist.train.oneHot, classes, start), ...parameters };
    total += loss.eval(at);
    optimizer.step(parameters, { W1: flat(dW1.eval(at)), b1: flat(db1.eval(at)), W2: flat(dW2.eval(at)), b2: flat(db2.eval(at)) }, state);
  }
  const test = { X: batchOf(mnist.test.images, pixels, 0), ...parameters };
  const predicted = argmaxRows(probabilities.eval(test));
  const correct = predicted.filter((digit, i) => digit === mnist.test.labels[i]).length;
  console.log(`epoch ${epoch + 1}: loss ${(total / (mnist.train.count / batchSize)).toFixed(4)}, test accuracy ${((100 * correct) / batchSize).toFixed(1)}%`);
}
