/**
 * ONNX benchmark (`npx tsx bench/onnx.ts`, runnable by itself): the MNIST MLP (784→128
 * relu→10, 8,000 digits, Adam lr 1e-3, batch 64, 3 epochs) trained by its exported training
 * step (`exportModelOnnx`) in ONNX Runtime (onnxruntime-node, CPU, two intra-op threads),
 * against typegrad's own `train` (js, float64) and the tfjs layers API on the wasm backend, all
 * from the same initial weights with the same batches in the same order. Prints the table of
 * `bench/train-mnist.ts`: seconds per epoch (training only) and test accuracy on 2,000 other
 * digits after the last epoch.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-node';
import { adam, dense, evaluate, exportModelOnnx, Random, sequential, train, type ParameterValues } from '../src/nn/index.js';
import { loadMnist, type Mnist } from '../src/node/index.js';
import { machineLine } from './measure.js';
import { trainingTable, type TrainingRow } from './train-mnist.js';

const EPOCHS = 3;
const BATCH = 64;
const SEED = 2024;
/** ONNX Runtime's intra-op threads: the benchmark machine's two cores. */
const THREADS = 2;
const f32 = (a: Float64Array) => Float32Array.from(a);

type Parameters = ParameterValues<'l1.W' | 'l1.b' | 'l2.W' | 'l2.b'>;

/** The exported training step run epoch by epoch in ONNX Runtime over `orders`: seconds per epoch and the parameters reached. */
async function trainInOnnxRuntime(model: ReturnType<typeof mlp>, initial: Parameters, digits: Mnist['train'], orders: readonly number[][]) {
  const { training } = await exportModelOnnx(model, { batchSize: BATCH, optimizer: { kind: 'adam', lr: 1e-3 } });
  const session = await ort.InferenceSession.create(training.model, { intraOpNumThreads: THREADS, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const carried: Record<string, ort.Tensor> = {};
  for (const { input, shape, role } of training.carried) {
    const data = role === 'parameter' ? f32(initial[input as keyof Parameters]) : new Float32Array(shape.reduce((n, d) => n * d, 1));
    carried[input] = new ort.Tensor('float32', data, [...shape]);
  }
  const images = f32(digits.images), targets = f32(digits.oneHot);
  const weights = new ort.Tensor('float32', new Float32Array(BATCH).fill(1 / BATCH), [BATCH]);
  const epochSeconds: number[] = [];
  for (const order of orders) {
    const start = performance.now();
    for (let first = 0; first + BATCH <= order.length; first += BATCH) {
      // Fresh batch arrays each step: ORT may still read the previous ones (as train gathers rows).
      const x = new Float32Array(BATCH * 784), y = new Float32Array(BATCH * 10);
      for (let r = 0; r < BATCH; r++) {
        const row = order[first + r]!;
        x.set(images.subarray(row * 784, (row + 1) * 784), r * 784);
        y.set(targets.subarray(row * 10, (row + 1) * 10), r * 10);
      }
      const results = await session.run({
        ...carried,
        'batch.inputs': new ort.Tensor('float32', x, [BATCH, 784]),
        'batch.targets': new ort.Tensor('float32', y, [BATCH, 10]),
        'batch.weights': weights,
      });
      for (const { input, output } of training.carried) carried[input] = results[output]!;
    }
    epochSeconds.push((performance.now() - start) / 1000);
  }
  await session.release();
  const params = Object.fromEntries(Object.keys(initial).map((name) => [name, Float64Array.from(carried[name]!.data as Float32Array)])) as Parameters;
  return { epochSeconds, params };
}

const mlp = () => sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));

export async function onnxTrainingBenchmark(): Promise<TrainingRow[]> {
  const { train: digits, test } = loadMnist({ train: 8000, test: 2000, seed: 0 });
  const model = mlp();
  const initial = model.init(new Random(SEED)) as Parameters;
  const testSet = { inputs: test.images, targets: test.oneHot };
  // 8,000 digits are 125 whole batches of 64, so every implementation sees the same batches.
  const shuffler = new Random(`shuffle ${SEED}`);
  const orders = Array.from({ length: EPOCHS }, () => shuffler.permutation(digits.count));
  const rows: TrainingRow[] = [];

  const onnx = await trainInOnnxRuntime(model, initial, digits, orders);
  rows.push({ name: `exported training step in ONNX Runtime ${ort.env.versions.node} (CPU, ${THREADS} threads, float32)`, epochSeconds: onnx.epochSeconds, accuracy: evaluate(model, onnx.params, testSet).accuracy });

  const epochSeconds: number[] = [];
  const result = train(model, { inputs: digits.images, targets: digits.oneHot }, {
    epochs: EPOCHS, batchSize: BATCH, optimizer: adam({ lr: 1e-3 }), seed: SEED, initial,
    onEpochEnd: (info) => void epochSeconds.push(info.seconds),
  });
  rows.push({ name: 'typegrad train (js, float64)', epochSeconds, accuracy: evaluate(model, result.params, testSet).accuracy });

  await tf.setBackend('wasm');
  await tf.ready();
  const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tf.layers.dense({ units: 10 })] });
  net.layers[0]!.setWeights([tf.tensor2d(f32(initial['l1.W']), [784, 128]), tf.tensor1d(f32(initial['l1.b']))]);
  net.layers[1]!.setWeights([tf.tensor2d(f32(initial['l2.W']), [128, 10]), tf.tensor1d(f32(initial['l2.b']))]);
  net.compile({ optimizer: tf.train.adam(1e-3), loss: (y: tf.Tensor, z: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, z) });
  const x = tf.tensor2d(f32(digits.images), [digits.count, 784]);
  const y = tf.tensor2d(f32(digits.oneHot), [digits.count, 10]);
  const tfSeconds: number[] = [];
  for (const order of orders) {
    const indices = tf.tensor1d(order, 'int32');
    const [xs, ys] = [tf.gather(x, indices), tf.gather(y, indices)];
    const start = performance.now();
    await net.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
    tfSeconds.push((performance.now() - start) / 1000);
    tf.dispose([indices, xs, ys]);
  }
  const predicted = tf.tidy(() => (net.predict(tf.tensor2d(f32(test.images), [test.count, 784])) as tf.Tensor).argMax(-1).dataSync());
  rows.push({ name: 'tfjs layers (wasm, float32)', epochSeconds: tfSeconds, accuracy: test.labels.reduce((n, label, i) => n + (predicted[i] === label ? 1 : 0), 0) / test.count });
  tf.dispose([x, y]);
  net.dispose();
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(machineLine());
  console.log(`MLP 784→128 relu→10, 8,000 MNIST digits, Adam lr 1e-3, batch ${BATCH}, ${EPOCHS} epochs, same initial weights and batches\n`);
  console.log(trainingTable(await onnxTrainingBenchmark()));
}
