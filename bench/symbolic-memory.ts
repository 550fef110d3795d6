/**
 * The memory half of bench/symbolic.ts, run in its own process with --expose-gc (collections
 * forced between measurements) against the built package: heap above the baseline after a full
 * collection, over repetitions of building and dropping a million small expressions, and over
 * 20 epochs of MNIST MLP training. Prints one JSON line.
 */
import { sin, Var } from '../dist/index.js';
import { adam, dense, sequential, train } from '../dist/nn/index.js';
import { loadMnist } from '../dist/node/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
/** The heap in MB after collections with turns of the event loop between (finalisers, then sweeps, run there). */
async function heap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await settle();
    gc!();
  }
  await settle();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const EXPRESSIONS = Number(process.env.TYPEGRAD_BENCH_EXPRESSIONS ?? 1_000_000);
const REPETITIONS = Number(process.env.TYPEGRAD_BENCH_REPETITIONS ?? 10);
const EPOCHS = Number(process.env.TYPEGRAD_BENCH_EPOCHS ?? 20);

const x = Var('x');
const baseline = await heap();
const expressions: { seconds: number; heap: number }[] = [];
for (let r = 0; r < REPETITIONS; r++) {
  const start = performance.now();
  for (let i = 0; i < EXPRESSIONS; i++) sin(x.mul(i + r * EXPRESSIONS)).add(i + r * EXPRESSIONS);
  const seconds = (performance.now() - start) / 1000;
  expressions.push({ seconds, heap: (await heap()) - baseline });
}

const { train: digits } = loadMnist({ train: 8000, test: 0, seed: 0 });
const model = sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));
const trainingBaseline = await heap();
const epochHeaps: number[] = [];
// The callback runs inside train (synchronously), so the heap is read there without turns of
// the event loop: a collection, then the live heap.
train(model, { inputs: digits.images, targets: digits.oneHot }, {
  epochs: EPOCHS, batchSize: 64, optimizer: adam({ lr: 1e-3 }), seed: 1,
  onEpochEnd: () => {
    gc();
    epochHeaps.push(process.memoryUsage().heapUsed / 2 ** 20 - trainingBaseline);
  },
});
console.log(JSON.stringify({ expressions: EXPRESSIONS, repetitions: expressions, epochs: epochHeaps }));
