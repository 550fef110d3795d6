/**
 * Convolutional training benchmark (`npx tsx bench/cnn.ts`, runnable by itself): the LeNet-style
 * network of `npm run demo:cnn` (conv 5×5×6 relu → max-pool 2 → conv 5×5×16 relu → max-pool 2 →
 * dense 120 relu → dense 10) on 8,000 MNIST digits, Adam lr 1e-3, batch 64, 2 epochs, in
 * typegrad's `train` (js backend, float64), in the tfjs layers API on its wasm engine and in
 * jax-js (wasm), from the SAME initial weights (typegrad's) and with the SAME batches in the same
 * order. Prints a markdown table: seconds per epoch (training only; the first includes each
 * engine's compilation and warm-up, the second is the steady state compared) and test accuracy
 * on the other 2,000 digits after 2 epochs.
 *
 * tfjs's cpu engine is left out: one epoch took over 15 minutes on the 2-core benchmark machine
 * (its convolution gradients are plain JavaScript over float32 arrays of tensors).
 *
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel (the gradient of a convolution by its
 * kernel), so as it is it cannot train a convolutional network; the benchmark registers one for
 * it that runs the engine's own Conv3DBackpropFilterV2 kernel on the images as one-frame videos
 * ('valid' padding, as LeNet's).
 */
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { adam, conv2dLayer, dense, evaluate, flattenLayer, inputLayer, maxPool2dLayer, Random, sequential, train, type ParameterValues } from '../src/nn/index.js';
import { loadMnist, type Mnist } from '../src/node/index.js';
import { buildGraph } from '../src/nn/train.js';
import { compileProgram } from '../src/nn/program.js';
import { grad } from '../src/index.js';
import { machineLine } from './measure.js';

const EPOCHS = 2;
const BATCH = 64;
const SEED = 2024;
const f32 = (a: Float64Array) => Float32Array.from(a);

export interface CnnRow {
  readonly name: string;
  readonly epochSeconds: readonly number[];
  readonly accuracy: number;
  readonly note?: string;
}

/** The network of the demo. */
export function lenet() {
  return sequential(
    inputLayer([28, 28, 1]),
    conv2dLayer('c1', 1, 6, 5, { activation: 'relu' }),
    maxPool2dLayer(2),
    conv2dLayer('c2', 6, 16, 5, { activation: 'relu' }),
    maxPool2dLayer(2),
    flattenLayer(),
    dense('d1', 256, 120, { activation: 'relu' }),
    dense('d2', 120, 10),
  );
}

type Parameters = ParameterValues<'c1.W' | 'c1.b' | 'c2.W' | 'c2.b' | 'd1.W' | 'd1.b' | 'd2.W' | 'd2.b'>;

/** Registers a Conv2DBackpropFilter kernel for tfjs's wasm engine, which has none (see the file comment). */
function registerWasmFilterGradient(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm')!;
  type Info = { shape: number[] };
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: (({ inputs, backend, attrs }: { inputs: { x: Info; dy: Info }; backend: unknown; attrs: { strides: number[]; pad: unknown; filterShape: number[] } }) => {
      const asVideo = (t: Info) => ({ ...t, shape: [t.shape[0], 1, ...t.shape.slice(1)] });
      const attributes = { strides: [1, ...attrs.strides], pad: attrs.pad, filterShape: [1, ...attrs.filterShape] };
      const out = conv3d.kernelFunc({ inputs: { x: asVideo(inputs.x), dy: asVideo(inputs.dy) } as never, backend: backend as never, attrs: attributes as never }) as Info;
      return { ...out, shape: attrs.filterShape };
    }) as never,
  });
}

/** The tfjs layers model with typegrad's initial weights. */
function tfjsLenet(initial: Parameters): tf.Sequential {
  const net = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  net.layers[0]!.setWeights([tf.tensor4d(f32(initial['c1.W']), [5, 5, 1, 6]), tf.tensor1d(f32(initial['c1.b']))]);
  net.layers[2]!.setWeights([tf.tensor4d(f32(initial['c2.W']), [5, 5, 6, 16]), tf.tensor1d(f32(initial['c2.b']))]);
  net.layers[5]!.setWeights([tf.tensor2d(f32(initial['d1.W']), [256, 120]), tf.tensor1d(f32(initial['d1.b']))]);
  net.layers[6]!.setWeights([tf.tensor2d(f32(initial['d2.W']), [120, 10]), tf.tensor1d(f32(initial['d2.b']))]);
  net.compile({ optimizer: tf.train.adam(1e-3), loss: (y: tf.Tensor, z: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, z) });
  return net;
}

async function tfjsRow(backend: 'wasm' | 'cpu', data: Mnist, initial: Parameters, orders: readonly number[][]): Promise<CnnRow> {
  await tf.setBackend(backend);
  await tf.ready();
  if (backend === 'wasm') registerWasmFilterGradient();
  const { train: digits, test } = data;
  const net = tfjsLenet(initial);
  const x = tf.tensor4d(f32(digits.images), [digits.count, 28, 28, 1]);
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
  const predicted = tf.tidy(() => (net.predict(tf.tensor4d(f32(test.images), [test.count, 28, 28, 1])) as tf.Tensor).argMax(-1).dataSync());
  const correct = test.labels.reduce((n, label, i) => n + (predicted[i] === label ? 1 : 0), 0);
  tf.dispose([x, y]);
  net.dispose();
  const note = backend === 'wasm' ? 'with a Conv2DBackpropFilter kernel registered for it (see bench/cnn.ts)' : undefined;
  return { name: `tfjs layers (${backend}, float32)`, epochSeconds, accuracy: correct / test.count, ...(note === undefined ? {} : { note }) };
}

/** jax-js: jit(valueAndGrad) of the same loss (NCHW inside, as jax-js's conv takes), Adam on the host. */
async function jaxRow(data: Mnist, initial: Parameters, orders: readonly number[][]): Promise<CnnRow> {
  try {
    // jax-js reads navigator.userAgent/hardwareConcurrency, which Node has only from version 21.
    if (!('navigator' in globalThis)) {
      Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js ${process.version}`, hardwareConcurrency: cpus().length }, configurable: true });
    }
    const jax = await import('@jax-js/jax');
    const np = jax.numpy;
    await jax.init('wasm');
    type A = InstanceType<typeof np.Array>;
    // Kernels [KH, KW, C, O] as jax-js's [O, C, KH, KW]; dense weights as they are.
    const oihw = (k: Float64Array, [kh, kw, c, o]: [number, number, number, number]) => {
      const out = new Float32Array(k.length);
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let i = 0; i < c; i++) for (let j = 0; j < o; j++) out[((j * c + i) * kh + a) * kw + b] = k[((a * kw + b) * c + i) * o + j]!;
      return out;
    };
    const shapes: Record<string, number[]> = { k1: [6, 1, 5, 5], b1: [1, 6, 1, 1], k2: [16, 6, 5, 5], b2: [1, 16, 1, 1], w3: [256, 120], b3: [120], w4: [120, 10], b4: [10] };
    const names = Object.keys(shapes);
    const values: Record<string, Float32Array> = {
      k1: oihw(initial['c1.W'], [5, 5, 1, 6]), b1: f32(initial['c1.b']), k2: oihw(initial['c2.W'], [5, 5, 6, 16]), b2: f32(initial['c2.b']),
      w3: f32(initial['d1.W']), b3: f32(initial['d1.b']), w4: f32(initial['d2.W']), b4: f32(initial['d2.b']),
    };
    const pool = (h: A, size: number, channels: number) => h.reshape([BATCH, channels, size / 2, 2, size / 2, 2]).max([3, 5]);
    const loss = (k1: A, b1: A, k2: A, b2: A, w3: A, b3: A, w4: A, b4: A, x: A, y: A) => {
      let h = pool(jax.nn.relu(jax.lax.conv(x, k1, [1, 1], 'VALID').add(b1)), 24, 6);
      h = pool(jax.nn.relu(jax.lax.conv(h, k2, [1, 1], 'VALID').add(b2)), 8, 16);
      // Flattened as typegrad and tfjs do (height, width, then channels), so the dense weights are the same.
      const flat = h.transpose([0, 2, 3, 1]).reshape([BATCH, 256]);
      const z = np.matmul(jax.nn.relu(np.matmul(flat, w3).add(b3)), w4).add(b4);
      return jax.nn.logsumexp(z.ref, -1).sum().sub(z.mul(y).sum()).div(BATCH);
    };
    const step = jax.jit(jax.valueAndGrad(loss as never, { argnums: [0, 1, 2, 3, 4, 5, 6, 7] }) as never) as unknown as (...args: A[]) => [A, A[]];
    const moments = names.map((n) => [new Float32Array(values[n]!.length), new Float32Array(values[n]!.length)] as const);
    let t = 0;
    const { train: digits, test } = data;
    const epochSeconds: number[] = [];
    const xb = new Float32Array(BATCH * 784), yb = new Float32Array(BATCH * 10);
    for (const order of orders) {
      const start = performance.now();
      for (let first = 0; first < digits.count; first += BATCH) {
        for (let r = 0; r < BATCH; r++) {
          xb.set(digits.images.subarray(order[first + r]! * 784, (order[first + r]! + 1) * 784), r * 784);
          yb.set(digits.oneHot.subarray(order[first + r]! * 10, (order[first + r]! + 1) * 10), r * 10);
        }
        const [value, grads] = step(...names.map((n) => np.array(values[n]!).reshape(shapes[n]!)), np.array(xb).reshape([BATCH, 1, 28, 28]), np.array(yb).reshape([BATCH, 10]));
        value.dispose();
        t++;
        grads.forEach((g, i) => {
          const gradient = g.dataSync() as Float32Array;
          const [m, v] = moments[i]!;
          const w = values[names[i]!]!;
          const correction = Math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t);
          for (let e = 0; e < w.length; e++) {
            m[e] = 0.9 * m[e]! + 0.1 * gradient[e]!;
            v[e] = 0.999 * v[e]! + 0.001 * gradient[e]! * gradient[e]!;
            w[e] -= (1e-3 * correction * m[e]!) / (Math.sqrt(v[e]!) + 1e-7);
          }
        });
      }
      epochSeconds.push((performance.now() - start) / 1000);
    }
    // Test accuracy with the trained weights, through typegrad's evaluate (same network).
    const back = (k: Float32Array, [o, c, kh, kw]: number[]) => {
      const out = new Float64Array(k.length);
      for (let a = 0; a < kh!; a++) for (let b = 0; b < kw!; b++) for (let i = 0; i < c!; i++) for (let j = 0; j < o!; j++) out[((a * kw! + b) * c! + i) * o! + j] = k[((j * c! + i) * kh! + a) * kw! + b]!;
      return out;
    };
    const params: Parameters = {
      'c1.W': back(values['k1']!, shapes['k1']!), 'c1.b': Float64Array.from(values['b1']!), 'c2.W': back(values['k2']!, shapes['k2']!), 'c2.b': Float64Array.from(values['b2']!),
      'd1.W': Float64Array.from(values['w3']!), 'd1.b': Float64Array.from(values['b3']!), 'd2.W': Float64Array.from(values['w4']!), 'd2.b': Float64Array.from(values['b4']!),
    };
    const { accuracy } = evaluate(lenet(), params, { inputs: test.images, targets: test.oneHot });
    return { name: 'jax-js jit(valueAndGrad) (wasm, float32), Adam on the host', epochSeconds, accuracy };
  } catch (error) {
    return { name: 'jax-js', epochSeconds: [], accuracy: NaN, note: `failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Each row as it is measured, on stderr (a run takes minutes). */
function progress(rows: readonly CnnRow[]): void {
  const row = rows.at(-1)!;
  process.stderr.write(`bench/cnn: ${row.name}: ${row.epochSeconds.map((s) => s.toFixed(2)).join(', ')} s per epoch, test accuracy ${(100 * row.accuracy).toFixed(2)}%\n`);
}

/** One row of the benchmark alone, over `epochs` epochs (to time the implementations one at a time). */
export async function cnnParts(which: string, epochs: number): Promise<CnnRow> {
  const data = loadMnist({ train: 8000, test: 2000, seed: 0 });
  const initial = lenet().init(new Random(SEED));
  const shuffler = new Random(`shuffle ${SEED}`);
  const orders = Array.from({ length: epochs }, () => shuffler.permutation(data.train.count));
  if (which === 'wasm' || which === 'cpu') return tfjsRow(which, data, initial, orders);
  if (which === 'jax') return jaxRow(data, initial, orders);
  const epochSeconds: number[] = [];
  const model = lenet();
  const result = train(model, { inputs: data.train.images, targets: data.train.oneHot }, {
    epochs, batchSize: BATCH, optimizer: adam({ lr: 1e-3 }), seed: SEED, initial, progress: 'none', onEpochEnd: (info) => void epochSeconds.push(info.seconds),
  });
  return { name: 'typegrad', epochSeconds, accuracy: evaluate(model, result.params, { inputs: data.test.images, targets: data.test.oneHot }).accuracy };
}

export async function cnnBenchmark(): Promise<CnnRow[]> {
  const data = loadMnist({ train: 8000, test: 2000, seed: 0 });
  const { train: digits, test } = data;
  const model = lenet();
  const initial = model.init(new Random(SEED));
  const rows: CnnRow[] = [];

  const epochSeconds: number[] = [];
  const result = train(model, { inputs: digits.images, targets: digits.oneHot }, {
    epochs: EPOCHS, batchSize: BATCH, optimizer: adam({ lr: 1e-3 }), seed: SEED, initial, progress: 'none',
    onEpochEnd: (info) => void epochSeconds.push(info.seconds),
  });
  const { accuracy } = evaluate(model, result.params, { inputs: test.images, targets: test.oneHot });
  rows.push({ name: `typegrad train (js backend, ${result.stats.engine}, float64)`, epochSeconds, accuracy });
  progress(rows);

  // train shuffles with Random(`shuffle ${seed}`), one permutation per epoch: the same batches here.
  const shuffler = new Random(`shuffle ${SEED}`);
  const orders = Array.from({ length: EPOCHS }, () => shuffler.permutation(digits.count));
  rows.push(await tfjsRow('wasm', data, initial, orders));
  progress(rows);
  rows.push(await jaxRow(data, initial, orders));
  return rows;
}

/** One training step of each, alternated, so that both see the same load on a shared machine. */
export interface StepTimes {
  /** Median milliseconds of typegrad's step (the compiled loss and gradients, then Adam). */
  readonly typegrad: number;
  /** Median milliseconds of tfjs-wasm's `trainOnBatch` on the same batch. */
  readonly tfjs: number;
  readonly rounds: number;
}

/**
 * Training steps on one batch of 64 digits, typegrad's and tfjs-wasm's in turn (after warm-up),
 * `rounds` times each: on a busy machine the epochs above run minutes apart, under different
 * loads, while these alternate within milliseconds.
 */
export async function alternatingSteps(rounds = 30): Promise<StepTimes> {
  const { train: digits } = loadMnist({ train: 64, test: 1, seed: 0 });
  const model = lenet();
  const params = model.init(new Random(SEED));
  const graph = buildGraph(model, BATCH, undefined, 'bench');
  const names = Object.keys(model.parameters) as (keyof Parameters)[];
  const gradient = grad(graph.loss, model.parameters as never) as Record<string, never>;
  const program = compileProgram([graph.loss, graph.outputs, ...names.map((n) => gradient[n]!)]);
  const optimizer = adam({ lr: 1e-3 });
  const state = optimizer.init(params);
  const environment = new Map<string, Float64Array>([...names.map((n) => [n, params[n]] as [string, Float64Array]),
    ['batch.inputs', digits.images], ['batch.targets', digits.oneHot], ['batch.weights', new Float64Array(BATCH).fill(1 / BATCH)]]);
  const ours = () => {
    const [, , ...values] = program.run(environment);
    optimizer.step(params, Object.fromEntries(names.map((n, k) => [n, values[k]!])) as Parameters, state);
  };
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmFilterGradient();
  const net = tfjsLenet(model.init(new Random(SEED)));
  const xs = tf.tensor4d(f32(digits.images), [BATCH, 28, 28, 1]), ys = tf.tensor2d(f32(digits.oneHot), [BATCH, 10]);
  const theirs = async () => void (await net.trainOnBatch(xs, ys));
  for (let i = 0; i < 5; i++) {
    ours();
    await theirs();
  }
  const times = { typegrad: [] as number[], tfjs: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    let start = performance.now();
    ours();
    times.typegrad.push(performance.now() - start);
    start = performance.now();
    await theirs();
    times.tfjs.push(performance.now() - start);
  }
  tf.dispose([xs, ys]);
  net.dispose();
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  return { typegrad: median(times.typegrad), tfjs: median(times.tfjs), rounds };
}

/** The step table. */
export function stepTable(t: StepTimes): string {
  return [
    '| implementation | median ms per training step (batch 64), alternated | × typegrad |',
    '|---|---:|---:|',
    `| typegrad (js backend, float64) | ${t.typegrad.toFixed(1)} | 1.00 |`,
    `| tfjs layers (wasm, float32) trainOnBatch | ${t.tfjs.toFixed(1)} | ${(t.tfjs / t.typegrad).toFixed(2)} |`,
  ].join('\n');
}

/** The markdown table of the rows, each one's last (steady) epoch against typegrad's. */
export function cnnTable(rows: readonly CnnRow[]): string {
  const base = rows[0]!.epochSeconds.at(-1)!;
  const lines = ['| implementation | s, epoch 1 | s, epoch 2 | epoch 2 × typegrad | test accuracy after 2 epochs |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) {
    const name = r.note === undefined ? r.name : `${r.name} (${r.note})`;
    if (r.epochSeconds.length === 0) lines.push(`| ${name} | — | — | — | — |`);
    else lines.push(`| ${name} | ${r.epochSeconds.map((s) => s.toFixed(2)).join(' | ')} | ${(r.epochSeconds.at(-1)! / base).toFixed(2)} | ${(100 * r.accuracy).toFixed(2)}% |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(machineLine());
  console.log('LeNet (conv 5×5×6 relu, max-pool 2, conv 5×5×16 relu, max-pool 2, dense 120 relu, dense 10), 8,000 MNIST digits, Adam lr 1e-3, batch 64, same initial weights and batches\n');
  console.log(cnnTable(await cnnBenchmark()));
  console.log('\nOne training step each, alternated (the same load for both):\n');
  console.log(stepTable(await alternatingSteps()));
}
