/**
 * Training benchmark (`npm run bench:train`, runnable by itself): the 784→128 relu→10 perceptron
 * on 8,000 MNIST digits, Adam lr 1e-3, batch 64, 3 epochs, in typegrad and in the tfjs layers
 * API (wasm and cpu backends), from the SAME initial weights (typegrad's, copied into the tfjs
 * model) and with the SAME batches in the same order. Prints a markdown table: seconds per epoch
 * (training only) and test accuracy on the other 2,000 digits after 3 epochs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { adam, dense, evaluate, Random, sequential, train, type Engine } from '../src/nn/index.js';
import { loadMnist } from '../src/node/index.js';
import { machineLine } from './measure.js';

const EPOCHS = 3;
const f32 = (a: Float64Array) => Float32Array.from(a);
const BATCH = 64;
const SEED = 2024;

export interface TrainingRow {
  readonly name: string;
  readonly epochSeconds: readonly number[];
  readonly accuracy: number;
}

export async function trainingBenchmark(): Promise<TrainingRow[]> {
  const { train: digits, test } = loadMnist({ train: 8000, test: 2000, seed: 0 });
  const model = sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));
  const initial = model.init(new Random(SEED));
  const rows: TrainingRow[] = [];

  for (const engine of ['interpreter', 'compiled'] as Engine[]) {
    const epochSeconds: number[] = [];
    const result = train(model, { inputs: digits.images, targets: digits.oneHot }, {
      epochs: EPOCHS, batchSize: BATCH, optimizer: adam({ lr: 1e-3 }), seed: SEED, initial, engine,
      onEpochEnd: (info) => void epochSeconds.push(info.seconds),
    });
    // Until compile lowers tensor programs, asking for 'compiled' falls back: report it once.
    if (engine === 'compiled' && result.stats.engine !== 'compiled') continue;
    const { accuracy } = evaluate(model, result.params, { inputs: test.images, targets: test.oneHot });
    rows.push({ name: `typegrad (${result.stats.engine}, float64)`, epochSeconds, accuracy });
  }

  // train shuffles with Random(`shuffle ${seed}`), one permutation per epoch: the same batches here.
  const shuffler = new Random(`shuffle ${SEED}`);
  const orders = Array.from({ length: EPOCHS }, () => shuffler.permutation(digits.count));
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    await tf.ready();
    const net = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tf.layers.dense({ units: 10 })],
    });
    net.layers[0]!.setWeights([tf.tensor2d(f32(initial['l1.W']), [784, 128]), tf.tensor1d(f32(initial['l1.b']))]);
    net.layers[1]!.setWeights([tf.tensor2d(f32(initial['l2.W']), [128, 10]), tf.tensor1d(f32(initial['l2.b']))]);
    net.compile({ optimizer: tf.train.adam(1e-3), loss: (y: tf.Tensor, z: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, z) });
    const x = tf.tensor2d(f32(digits.images), [digits.count, 784]);
    const y = tf.tensor2d(f32(digits.oneHot), [digits.count, 10]);
    const epochSeconds: number[] = [];
    for (const order of orders) {
      const indices = tf.tensor1d(order, 'int32');
      const [xs, ys] = [tf.gather(x, indices), tf.gather(y, indices)];
      const start = performance.now();
      await net.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
      epochSeconds.push((performance.now() - start) / 1000);
      tf.dispose([indices, xs, ys]);
    }
    const predicted = tf.tidy(() => (net.predict(tf.tensor2d(f32(test.images), [test.count, 784])) as tf.Tensor).argMax(-1).dataSync());
    const correct = test.labels.reduce((n, label, i) => n + (predicted[i] === label ? 1 : 0), 0);
    rows.push({ name: `tfjs layers (${backend}, float32)`, epochSeconds, accuracy: correct / test.count });
    tf.dispose([x, y]);
    net.dispose();
  }
  return rows;
}

/** The markdown table of the rows. */
export function trainingTable(rows: readonly TrainingRow[]): string {
  const lines = ['| implementation | s per epoch (1, 2, 3) | median s per epoch | test accuracy after 3 epochs |', '|---|---:|---:|---:|'];
  for (const r of rows) {
    const sorted = [...r.epochSeconds].sort((a, b) => a - b);
    lines.push(`| ${r.name} | ${r.epochSeconds.map((s) => s.toFixed(2)).join(', ')} | ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} | ${(100 * r.accuracy).toFixed(2)}% |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(machineLine());
  console.log('MLP 784→128 relu→10, 8,000 MNIST digits, Adam lr 1e-3, batch 64, same initial weights and batches\n');
  console.log(trainingTable(await trainingBenchmark()));
}
