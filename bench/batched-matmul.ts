/**
 * Benchmark 5: a rank-3 workload, a chain of batched matrix products with its gradient.
 * loss = Σ (tanh(A·B)·C)² / n for A [8, 64, 48] and B [8, 48, 64] (one product per batch
 * element) and C [64, 32] shared by the batch (its batch axis broadcast), by A, B and C:
 * typegrad's compiled program against tfjs `valueAndGrads` of the same loss from the same data.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { compile, grad, matmul, tanh, TVar } from '../src/index.js';
import { median, relativeError, sequence } from './measure.js';

export const BATCH = 8, ROWS = 64, INNER = 48, COLUMNS = 64, OUT = 32;
const COUNT = BATCH * ROWS * OUT;

export interface BatchedRow {
  readonly name: string;
  readonly ms: number;
  /** Largest difference from typegrad's loss and gradients, relative to each one's largest magnitude. */
  readonly error: number;
}



/** The loss and its three variables. */
function batchedLoss() {
  const A = TVar('A', [BATCH, ROWS, INNER]), B = TVar('B', [BATCH, INNER, COLUMNS]), C = TVar('C', [COLUMNS, OUT]);
  const z = matmul(tanh(matmul(A, B)), C);
  return { loss: z.mul(z).sum().div(COUNT), A, B, C };
}

export async function batchedMatmulBenchmark(): Promise<{ rows: BatchedRow[]; note: string }> {
  const data = {
    A: sequence(BATCH * ROWS * INNER, 11, 1),
    B: sequence(BATCH * INNER * COLUMNS, 12, Math.sqrt(3 / INNER)),
    C: sequence(COLUMNS * OUT, 13, Math.sqrt(3 / COLUMNS)),
  };
  const { loss, A, B, C } = batchedLoss();
  let start = performance.now();
  const g = grad(loss, { A, B, C });
  const buildMs = performance.now() - start;
  start = performance.now();
  const step = compile([loss, g.A, g.B, g.C], { reuseOutputs: true });
  const compileMs = performance.now() - start;
  let reference: Float64Array[] = [];
  const run = () => {
    const [value, ...gradients] = step(data);
    reference = [Float64Array.of(value), ...gradients];
  };
  const rows: BatchedRow[] = [{ name: 'typegrad js (compiled loss and gradient, float64)', ms: await median(run, 31, 10), error: 0 }];

  for (const engine of ['wasm', 'cpu']) {
    await tf.setBackend(engine);
    await tf.ready();
    const weights = [
      tf.tensor3d(Float32Array.from(data.A), [BATCH, ROWS, INNER]),
      tf.tensor3d(Float32Array.from(data.B), [BATCH, INNER, COLUMNS]),
      tf.tensor2d(Float32Array.from(data.C), [COLUMNS, OUT]),
    ];
    // tfjs's BatchMatMul gradient does not sum over a broadcast batch axis (it throws: 'The gradient
    // of input b has shape 8,64,32, which does not match the shape of the input 64,32'), so C is
    // broadcast explicitly, and tf.broadcastTo's gradient sums it back.
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const z = tf.matMul(tf.tanh(tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D)), tf.broadcastTo(c, [BATCH, COLUMNS, OUT]) as tf.Tensor3D);
      return tf.div(tf.sum(tf.mul(z, z)), COUNT) as tf.Scalar;
    };
    const valueAndGrads = tf.valueAndGrads(f);
    let results: Float32Array[] = [];
    const runTf = () => {
      const { value, grads } = valueAndGrads(weights);
      results = [value, ...grads].map((t) => t.dataSync() as Float32Array);
      tf.dispose([value, ...grads]);
    };
    const ms = await median(runTf, engine === 'cpu' ? 11 : 31, engine === 'cpu' ? 3 : 10);
    const error = Math.max(...results.map((r, k) => relativeError(r, reference[k]!)));
    rows.push({ name: `tfjs valueAndGrads (${engine}, float32)`, ms, error });
    tf.dispose(weights);
  }
  return {
    rows,
    note: `Building the symbolic gradient took ${buildMs.toFixed(0)} ms and compiling the program ${compileMs.toFixed(0)} ms (once; not included in the times below).`,
  };
}

// `tsx bench/batched-matmul.ts`: this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, note } = await batchedMatmulBenchmark();
  console.log(note);
  for (const r of rows) console.log(`${r.name}: ${r.ms.toFixed(2)} ms (×${(r.ms / rows[0]!.ms).toFixed(2)}), error ${r.error.toExponential(1)}`);
}
