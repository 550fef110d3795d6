/**
 * The wasm backend (`npx tsx bench/wasm.ts` runs this alone; `wasmBenchmark` and `wasmTables`
 * for bench/index.ts):
 * 1. the MLP step (784→128→10, batch 64): loss and gradient as one program, on js, on wasm in
 *    float64 and float32, on one thread and on all, and tfjs valueAndGrads on its wasm engine;
 *    GFLOP/s counts the matrix products' multiply-adds (2 flops each);
 * 2. MNIST training (784→128 relu→10, 8,000 digits, Adam 1e-3, batch 64, 3 epochs, the same
 *    initial weights and batches): typegrad's `train` on js and wasm against the tfjs layers API on
 *    its wasm engine, with test accuracy on 2,000 other digits;
 * 3. f and ∇f of 4x(sin(xy) + y) at 1,000,000 points, against a handwritten loop;
 * 4. where splitting a matrix product across the threads pays: one product alone, split and not,
 *    over sizes around the crossover (`PARALLEL_WORK`).
 * Times are medians after warm-up, wall clock; the CPU time of the process is given beside them
 * (on a machine shared with other work, wall times of one thread include waiting for a core).
 */
import { handwritten, N, points } from './value-and-gradient.js';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Node } from '../src/ad/node.js';
import { backendFor } from '../src/backend/registry.js';
import type { WasmTuning } from '../src/backend/wasm/index.js';
import type { WasmExecutable } from '../src/backend/wasm/render.js';
import { buildPlan } from '../src/program/planner.js';
import { backendInfo, compile, grad, initBackend, matmul, MVar, sin, Var, type EngineOptions } from '../src/index.js';
import { adam, dense, evaluate, Random, sequential, train } from '../src/nn/index.js';
import { loadMnist } from '../src/node/index.js';
import { mlpData, mlpLoss, tfjsMlpStep } from './mlp.js';
import { machineLine, maxRelativeError, relativeError } from './measure.js';

/** A timing: median wall ms and median process CPU ms per run. */
export interface Timing {
  readonly ms: number;
  readonly cpuMs: number;
}

async function timed(run: () => unknown, repetitions: number, warmups: number): Promise<Timing> {
  for (let i = 0; i < warmups; i++) await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const before = process.cpuUsage();
    const start = performance.now();
    await run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  const middle = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { ms: middle(wall), cpuMs: middle(cpu) };
}

/** The wasm configurations measured: one thread, and every thread this machine gives. */
function wasmConfigurations(): { name: string; options: EngineOptions }[] {
  const threads = Number(/(\d+) thread/.exec(backendInfo('wasm')!.engine)![1]);
  const all = threads > 1 ? ([['float64', threads], ['float32', threads]] as const) : [];
  return ([['float64', 1], ['float32', 1], ...all] as const).map(([precision, t]) => ({ name: `typegrad wasm (${precision}, ${t} thread${t > 1 ? 's' : ''})`, options: { precision, threads: t } }));
}

export interface StepRow extends Timing {
  readonly name: string;
  readonly gflops: number;
  /** Largest difference from typegrad js, relative to each result's largest magnitude. */
  readonly error: number;
}

/** Multiply-adds of the matrix products in the MLP step's program (forward and backward). */
function productMultiplyAdds(roots: readonly Node[]): number {
  const seen = new Set<Node>();
  const stack = [...roots];
  let total = 0;
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.op === 'matmul') {
      const a = n.args[0]!.shape;
      total += n.shape.reduce((p, d) => p * d, 1) * a[a.length - 1]!;
    }
    stack.push(...n.args);
  }
  return total;
}

export async function stepBenchmark(): Promise<StepRow[]> {
  const data = mlpData();
  const { loss, W1, b1, W2, b2 } = mlpLoss();
  const g = grad(loss, { W1, b1, W2, b2 });
  const roots = [loss, g.W1, g.b1, g.W2, g.b2];
  const flops = 2 * productMultiplyAdds(roots.map((f) => (f as unknown as { node: Node }).node));
  const rows: StepRow[] = [];
  let reference: Float64Array[] = [];
  const js = compile([loss, g.W1, g.b1, g.W2, g.b2], { reuseOutputs: true });
  const jsTime = await timed(() => {
    const [value, ...gradients] = js(data);
    reference = [Float64Array.of(value), ...gradients];
  }, 31, 10);
  rows.push({ name: 'typegrad js (float64)', ...jsTime, gflops: flops / jsTime.ms / 1e6, error: 0 });
  for (const { name, options } of wasmConfigurations()) {
    const step = compile(roots, { backend: 'wasm', reuseOutputs: true, ...options }) as unknown as (d: typeof data) => [number, ...Float64Array[]];
    let results: ArrayLike<number>[] = [];
    const time = await timed(() => {
      const [value, ...gradients] = step(data);
      results = [[value], ...gradients];
    }, 101, 100);
    rows.push({ name, ...time, gflops: flops / time.ms / 1e6, error: Math.max(...results.map((r, k) => relativeError(r, reference[k]!))) });
  }
  const tfjs = await tfjsMlpStep('wasm', data);
  const time = await timed(tfjs.run, 31, 10);
  rows.push({ name: 'tfjs valueAndGrads (wasm, float32)', ...time, gflops: flops / time.ms / 1e6, error: Math.max(...tfjs.results().map((r, k) => relativeError(r, reference[k]!))) });
  tfjs.dispose();
  return rows;
}

export interface EpochRow {
  readonly name: string;
  readonly epochSeconds: readonly number[];
  readonly cpuSeconds: readonly number[];
  readonly accuracy: number;
}

const EPOCHS = 3;
const SEED = 2024;

export async function epochBenchmark(): Promise<EpochRow[]> {
  const { train: digits, test } = loadMnist({ train: 8000, test: 2000, seed: 0 });
  const model = sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));
  const initial = model.init(new Random(SEED));
  const rows: EpochRow[] = [];
  const configurations = [{ name: 'typegrad js (float64)', options: {} as EngineOptions & { backend?: 'wasm' } }, ...wasmConfigurations().map((c) => ({ name: c.name, options: { ...c.options, backend: 'wasm' as const } }))];
  for (const { name, options } of configurations) {
    const epochSeconds: number[] = [];
    const cpuSeconds: number[] = [];
    let before = process.cpuUsage();
    const result = train(model, { inputs: digits.images, targets: digits.oneHot }, {
      epochs: EPOCHS, batchSize: 64, optimizer: adam({ lr: 1e-3 }), seed: SEED, initial, progress: 'none', ...options,
      onEpochEnd: (info) => {
        epochSeconds.push(info.seconds);
        const used = process.cpuUsage(before);
        cpuSeconds.push((used.user + used.system) / 1e6);
        before = process.cpuUsage();
      },
    });
    const { accuracy } = evaluate(model, result.params, { inputs: test.images, targets: test.oneHot });
    rows.push({ name, epochSeconds, cpuSeconds, accuracy });
  }
  // train shuffles with Random(`shuffle ${seed}`), one permutation per epoch: the same batches here.
  const f32 = (a: Float64Array) => Float32Array.from(a);
  await tf.setBackend('wasm');
  await tf.ready();
  const shuffler = new Random(`shuffle ${SEED}`);
  const orders = Array.from({ length: EPOCHS }, () => shuffler.permutation(digits.count));
  const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tf.layers.dense({ units: 10 })] });
  net.layers[0]!.setWeights([tf.tensor2d(f32(initial['l1.W']), [784, 128]), tf.tensor1d(f32(initial['l1.b']))]);
  net.layers[1]!.setWeights([tf.tensor2d(f32(initial['l2.W']), [128, 10]), tf.tensor1d(f32(initial['l2.b']))]);
  net.compile({ optimizer: tf.train.adam(1e-3), loss: (y: tf.Tensor, z: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, z) });
  const x = tf.tensor2d(f32(digits.images), [digits.count, 784]);
  const y = tf.tensor2d(f32(digits.oneHot), [digits.count, 10]);
  const epochSeconds: number[] = [];
  const cpuSeconds: number[] = [];
  for (const order of orders) {
    const indices = tf.tensor1d(order, 'int32');
    const [xs, ys] = [tf.gather(x, indices), tf.gather(y, indices)];
    const before = process.cpuUsage();
    const start = performance.now();
    await net.fit(xs, ys, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
    epochSeconds.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(before);
    cpuSeconds.push((used.user + used.system) / 1e6);
    tf.dispose([indices, xs, ys]);
  }
  const predicted = tf.tidy(() => (net.predict(tf.tensor2d(f32(test.images), [test.count, 784])) as tf.Tensor).argMax(-1).dataSync());
  const correct = test.labels.reduce((n, label, i) => n + (predicted[i] === label ? 1 : 0), 0);
  rows.push({ name: 'tfjs layers (wasm, float32)', epochSeconds, cpuSeconds, accuracy: correct / test.count });
  tf.dispose([x, y]);
  net.dispose();
  return rows;
}

export interface PointsRow extends Timing {
  readonly name: string;
  readonly error: number;
}

export async function pointsBenchmark(): Promise<PointsRow[]> {
  const { xs, ys } = points();
  const expected = [new Float64Array(N), new Float64Array(N), new Float64Array(N)] as const;
  const rows: PointsRow[] = [{ name: 'handwritten JS loop', ...(await timed(() => handwritten(xs, ys, ...expected), 9, 3)), error: 0 }];
  const x = Var('x');
  const y = Var('y');
  const z = x.mul(4).mul(sin(x.mul(y)).add(y));
  const g = grad(z);
  const add = async (name: string, options: EngineOptions & { backend?: 'wasm' }) => {
    const program = compile([z, g.x, g.y], { batch: true, ...options });
    const single = options.precision === 'float32';
    const out = single ? [new Float32Array(N), new Float32Array(N), new Float32Array(N)] : [new Float64Array(N), new Float64Array(N), new Float64Array(N)];
    const time = await timed(() => program({ x: xs, y: ys }, out as never), 9, 3);
    rows.push({ name, ...time, error: Math.max(...out.map((o, k) => maxRelativeError(o, expected[k]!))) });
  };
  await add('typegrad js batch', {});
  for (const { name, options } of wasmConfigurations()) await add(`${name} batch`, { ...options, backend: 'wasm' });
  return rows;
}

export interface CrossoverRow {
  readonly rows: number;
  readonly inner: number;
  readonly columns: number;
  readonly single: Timing;
  readonly split: Timing;
}

/** One float32 product, split across every thread and not (the crossover forced to 0). */
export async function crossoverBenchmark(): Promise<CrossoverRow[]> {
  const threads = Number(/(\d+) thread/.exec(backendInfo('wasm')!.engine)![1]);
  if (threads < 2) return [];
  const shapes: [number, number, number][] = [[16, 64, 64], [32, 64, 64], [64, 64, 64], [64, 128, 64], [64, 128, 128], [64, 256, 128], [64, 784, 128], [256, 256, 256]];
  const rows: CrossoverRow[] = [];
  for (const [m, k, n] of shapes) {
    const A = MVar('A', m, k), B = MVar('B', k, n);
    const root = (matmul(A, B) as unknown as { node: Node }).node;
    const inputs = [A, B].map((v) => (v as unknown as { node: Node }).node);
    const data = [Float64Array.from({ length: m * k }, (_, i) => Math.sin(i)), Float64Array.from({ length: k * n }, (_, i) => Math.cos(i))];
    const measure = async (t: number) => {
      const tuning: EngineOptions & WasmTuning = { precision: 'float32', threads: t, parallelWork: 0 };
      const backend = backendFor('wasm', 'bench').configure!(tuning, 'bench');
      const program = backend.render(buildPlan([root], inputs, { name: 'wasm', lowers: () => true })) as WasmExecutable;
      // Until the workers hold the module, runs stay on this thread.
      for (let i = 0; t > 1 && program.parallelRuns() === 0 && i < 1000; i++) {
        program.run(data);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const reps = Math.max(21, Math.min(2001, Math.round(2e8 / (m * k * n))));
      const time = await timed(() => program.run(data), reps, reps);
      program.dispose();
      return time;
    };
    rows.push({ rows: m, inner: k, columns: n, single: await measure(1), split: await measure(threads) });
  }
  return rows;
}

export interface WasmResults {
  readonly step: StepRow[];
  readonly epochs: EpochRow[];
  readonly points: PointsRow[];
  readonly crossover: CrossoverRow[];
}

/** Runs the four measurements. */
export async function wasmBenchmark(): Promise<WasmResults> {
  await initBackend('wasm');
  return { step: await stepBenchmark(), epochs: await epochBenchmark(), points: await pointsBenchmark(), crossover: await crossoverBenchmark() };
}

const middle = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The markdown tables of the four measurements. */
export function wasmTables(results: WasmResults): string {
  const step = ['| implementation | median ms per step | CPU ms | × typegrad js | GFLOP/s (products) | max rel. difference from typegrad js |', '|---|---:|---:|---:|---:|---:|'];
  const base = results.step[0]!.ms;
  for (const r of results.step) step.push(`| ${r.name} | ${r.ms.toFixed(2)} | ${r.cpuMs.toFixed(2)} | ${(r.ms / base).toFixed(2)} | ${r.gflops.toFixed(1)} | ${r.error.toExponential(1)} |`);

  const epochs = ['| implementation | s per epoch (1, 2, 3) | median s per epoch | CPU s per epoch (median) | × tfjs wasm | test accuracy |', '|---|---:|---:|---:|---:|---:|'];
  const tfjs = middle(results.epochs[results.epochs.length - 1]!.epochSeconds);
  for (const r of results.epochs) {
    epochs.push(`| ${r.name} | ${r.epochSeconds.map((s) => s.toFixed(2)).join(', ')} | ${middle(r.epochSeconds).toFixed(2)} | ${middle(r.cpuSeconds).toFixed(2)} | ${(middle(r.epochSeconds) / tfjs).toFixed(2)} | ${(100 * r.accuracy).toFixed(2)}% |`);
  }

  const points = ['| implementation | median ms | CPU ms | × handwritten | max rel. error vs handwritten |', '|---|---:|---:|---:|---:|'];
  const hand = results.points[0]!.ms;
  for (const r of results.points) points.push(`| ${r.name} | ${r.ms.toFixed(1)} | ${r.cpuMs.toFixed(1)} | ${(r.ms / hand).toFixed(2)} | ${r.error.toExponential(1)} |`);

  const crossover = ['| product (float32) | multiply-adds | one thread ms | split ms | split / one |', '|---|---:|---:|---:|---:|'];
  for (const r of results.crossover) {
    crossover.push(`| ${r.rows}×${r.inner} · ${r.inner}×${r.columns} | ${(r.rows * r.inner * r.columns).toLocaleString('en')} | ${r.single.ms.toFixed(3)} | ${r.split.ms.toFixed(3)} | ${(r.split.ms / r.single.ms).toFixed(2)} |`);
  }
  return [
    '### MLP step (784→128→10, batch 64): loss and gradient',
    step.join('\n'),
    '### MNIST training (784→128 relu→10, 8,000 digits, Adam 1e-3, batch 64, 3 epochs)',
    epochs.join('\n'),
    '### f and ∇f of 4x(sin(xy) + y) at 1,000,000 points',
    points.join('\n'),
    '### Splitting one matrix product across threads',
    crossover.length > 2 ? crossover.join('\n') : 'One thread on this machine: nothing to split.',
  ].join('\n\n');
}

// `npx tsx bench/wasm.ts`: this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(machineLine());
  await initBackend('wasm');
  console.log(`wasm backend: ${backendInfo('wasm')!.engine}\n`);
  console.log(wasmTables(await wasmBenchmark()));
}
