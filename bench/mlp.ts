/**
 * Benchmark 3: one training step's forward and backward pass of an MLP, 784→128→10 with relu,
 * batch 64, softmax cross-entropy through logsumexp: typegrad's compiled loss and gradient (one
 * program) against tfjs `valueAndGrads` of the same loss from the same weights and batch.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { compile, grad, matmul, MVar, relu, VVar } from '../src/index.js';
import { median, relativeError, sequence } from './measure.js';

export const BATCH = 64;
export const INPUTS = 784;
export const HIDDEN = 128;
export const CLASSES = 10;

export interface MlpRow {
  readonly name: string;
  readonly ms: number;
  /** Largest difference from typegrad's loss and gradient, relative to each one's largest magnitude. */
  readonly error: number;
}

/** The loss: mean over the batch of logsumexp(z_i) − z_i[y_i], z = relu(X·W1 + b1)·W2 + b2. */
export function mlpLoss() {
  const X = MVar('X', BATCH, INPUTS);
  const Y = MVar('Y', BATCH, CLASSES);
  const W1 = MVar('W1', INPUTS, HIDDEN);
  const b1 = VVar('b1', HIDDEN);
  const W2 = MVar('W2', HIDDEN, CLASSES);
  const b2 = VVar('b2', CLASSES);
  const h = relu(matmul(X, W1).add(b1));
  const z = matmul(h, W2).add(b2);
  const loss = z.logsumexp(1).sum().sub(z.mul(Y).sum()).div(BATCH);
  return { loss, W1, b1, W2, b2 };
}

export function mlpData() {
  const labels = Array.from({ length: BATCH }, (_, i) => (i * 7) % CLASSES);
  const Y = new Float64Array(BATCH * CLASSES);
  labels.forEach((label, i) => (Y[i * CLASSES + label] = 1));
  return {
    X: sequence(BATCH * INPUTS, 1, 1).map((v) => (v + 1) / 2), // pixel-like values in [0, 1)
    Y,
    W1: sequence(INPUTS * HIDDEN, 2, Math.sqrt(6 / (INPUTS + HIDDEN))),
    b1: sequence(HIDDEN, 3, 0.1),
    W2: sequence(HIDDEN * CLASSES, 4, Math.sqrt(6 / (HIDDEN + CLASSES))),
    b2: sequence(CLASSES, 5, 0.1),
  };
}


/**
 * The same loss and gradient as tfjs `valueAndGrads` on `engine` from `data`: `run` computes one
 * step, `results` gives the last one's loss and gradients, `dispose` frees the tensors.
 */
export async function tfjsMlpStep(engine: string, data: ReturnType<typeof mlpData>): Promise<{ run: () => void; results: () => Float32Array[]; dispose: () => void }> {
  await tf.setBackend(engine);
  await tf.ready();
  const X = tf.tensor2d(Float32Array.from(data.X), [BATCH, INPUTS]);
  const Y = tf.tensor2d(Float32Array.from(data.Y), [BATCH, CLASSES]);
  const weights = [
    tf.tensor2d(Float32Array.from(data.W1), [INPUTS, HIDDEN]),
    tf.tensor1d(Float32Array.from(data.b1)),
    tf.tensor2d(Float32Array.from(data.W2), [HIDDEN, CLASSES]),
    tf.tensor1d(Float32Array.from(data.b2)),
  ];
  const f = (w1: tf.Tensor, c1: tf.Tensor, w2: tf.Tensor, c2: tf.Tensor) => {
    const h = tf.relu(tf.add(tf.matMul(X, w1 as tf.Tensor2D), c1));
    const z = tf.add(tf.matMul(h, w2 as tf.Tensor2D), c2);
    return tf.div(tf.sub(tf.sum(tf.logSumExp(z, 1)), tf.sum(tf.mul(z, Y))), BATCH) as tf.Scalar;
  };
  const valueAndGrads = tf.valueAndGrads(f);
  let results: Float32Array[] = [];
  return {
    run: () => {
      const { value, grads } = valueAndGrads(weights);
      results = [value, ...grads].map((t) => t.dataSync() as Float32Array);
      tf.dispose([value, ...grads]);
    },
    results: () => results,
    dispose: () => tf.dispose([X, Y, ...weights]),
  };
}

export async function mlpBenchmark(): Promise<{ rows: MlpRow[]; note: string }> {
  const data = mlpData();
  const { loss, W1, b1, W2, b2 } = mlpLoss();
  let start = performance.now();
  const g = grad(loss, { W1, b1, W2, b2 });
  const buildMs = performance.now() - start;
  start = performance.now();
  const step = compile([loss, g.W1, g.b1, g.W2, g.b2], { reuseOutputs: true });
  const compileMs = performance.now() - start;
  let reference: Float64Array[] = [];
  const run = () => {
    const [value, ...gradients] = step(data);
    reference = [Float64Array.of(value), ...gradients];
  };
  const rows: MlpRow[] = [{ name: 'typegrad js (compiled loss and gradient, float64)', ms: await median(run, 51, 20), error: 0 }];

  for (const engine of ['wasm', 'cpu']) {
    const tfjs = await tfjsMlpStep(engine, data);
    const ms = await median(tfjs.run, engine === 'cpu' ? 11 : 51, engine === 'cpu' ? 3 : 20);
    const error = Math.max(...tfjs.results().map((r, k) => relativeError(r, reference[k]!)));
    rows.push({ name: `tfjs valueAndGrads (${engine}, float32)`, ms, error });
    tfjs.dispose();
  }
  return {
    rows,
    note: `Building the symbolic gradient took ${buildMs.toFixed(0)} ms and compiling the program ${compileMs.toFixed(0)} ms (once; not included in the times below).`,
  };
}

// `tsx bench/mlp.ts`: this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, note } = await mlpBenchmark();
  console.log(note);
  for (const r of rows) console.log(`${r.name}: ${r.ms.toFixed(2)} ms (×${(r.ms / rows[0]!.ms).toFixed(2)}), error ${r.error.toExponential(1)}`);
}
