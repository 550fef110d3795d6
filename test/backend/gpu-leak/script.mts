/**
 * Run by gpu-leak.test.ts in a child process with --expose-gc: gpu programs compiled and
 * dropped, disposed or not. Prints one JSON line of findings.
 */
import { createRequire } from 'node:module';
import { compile, grad, initBackend, matmul, MVar, sin, sum, Var } from '../../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

// Count the kernels gpu.js builds and destroys, in whatever mode it runs.
const { GPU } = createRequire(import.meta.url)('gpu.js');
const kernelClass = new GPU().Kernel as { prototype: { build(...args: unknown[]): unknown; destroy(...args: unknown[]): unknown; built?: boolean } };
let built = 0, destroyed = 0;
const { build, destroy } = kernelClass.prototype;
kernelClass.prototype.build = function (this: { built?: boolean }, ...args: unknown[]) {
  if (!this.built) built++;
  return build.apply(this, args);
};
kernelClass.prototype.destroy = function (...args: unknown[]) {
  destroyed++;
  return destroy.apply(this, args);
};

const info = await initBackend('gpu');
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await settle();
    gc!();
  }
  await settle();
}
const rss = () => process.memoryUsage().rss / 2 ** 20;

const x = Var('x'), y = Var('y');
const z = x.mul(4).mul(sin(x.mul(y)).add(y));
const g = grad(z);
const xs = Float32Array.from({ length: 1000 }, (_, i) => i / 1000);
const W = MVar('W', 8, 8), A = MVar('A', 4, 8);
const loss = sum(sin(matmul(A, W)));
const dW = grad(loss, { W }).W;
const data = { A: new Float64Array(32).fill(0.5), W: new Float64Array(64).fill(0.25) };

/** One batch program (one kernel) and, every tenth cycle, one tensor program (a pipeline of several). */
const cycle = (dispose: boolean, i: number) => {
  const batch = compile([z, g.x, g.y], { batch: true, backend: 'gpu' });
  batch({ x: xs, y: xs });
  if (dispose) batch.dispose();
  if (i % 10 !== 0) return;
  const tensor = compile([loss, dW], { backend: 'gpu' });
  tensor(data);
  if (dispose) tensor.dispose();
};

// 1. Disposed at once: after a warm-up, 300 cycles leave RSS flat and every kernel destroyed.
for (let i = 0; i < 20; i++) cycle(true, i);
await collect();
const disposedStart = rss();
for (let i = 0; i < 300; i++) cycle(true, i);
await collect();
const disposedGrowth = rss() - disposedStart;
const disposedBalance = built - destroyed;

// 2. Dropped without dispose: the collector's finalisers destroy the kernels.
const before = { built, destroyed };
for (let i = 0; i < 100; i++) {
  cycle(false, i);
  if (i % 25 === 24) await collect();
}
await collect();
const droppedBuilt = built - before.built, droppedDestroyed = destroyed - before.destroyed;
console.log(JSON.stringify({ engine: info.engine, disposedGrowth, disposedBalance, droppedBuilt, droppedDestroyed }));
