/**
 * The wasm backend on worker threads: a split matrix product and batch points split across
 * threads give the single-thread results bit for bit (each output element is computed by one
 * thread, in the same order), in float64 and float32; `threads: 1` never uses the workers, and
 * work below the crossover (`PARALLEL_WORK`) stays on the calling thread. The splitting tests
 * set the crossover to 0 (the backend's tuning option), so that small work is split.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backendFor, initBackend } from '../../src/backend/registry.js';
import type { WasmExecutable } from '../../src/backend/wasm/render.js';
import type { Node } from '../../src/ad/node.js';
import { buildPlan } from '../../src/program/planner.js';
import { grad, matmul, MVar, relu, sin, Var, VVar, type AnyRankFun } from '../../src/index.js';

/** Values in [−1, 1) from a seed, deterministic. */
function values(n: number, seed: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 0.7 + seed * 1.3));
}

const nodeOf = (f: AnyRankFun) => (f as unknown as { node: Node }).node;

/** The program compiled on wasm with these options, as its executable. */
function executable(roots: readonly AnyRankFun[], inputs: readonly AnyRankFun[], options: { threads: number; precision?: 'float32' | 'float64'; parallelWork?: number }, batch = false): WasmExecutable {
  const backend = backendFor('wasm', 'test').configure!(options, 'test');
  const plan = buildPlan(roots.map(nodeOf), inputs.map(nodeOf), { name: 'wasm', lowers: () => true }, { batch });
  return backend.render(plan) as WasmExecutable;
}

/** Runs until a run was split across threads (the workers instantiate the module when it is attached). */
async function runSplit(run: () => void, program: WasmExecutable): Promise<void> {
  for (let attempt = 0; attempt < 500 && program.parallelRuns() === 0; attempt++) {
    run();
    if (program.parallelRuns() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(program.parallelRuns()).toBeGreaterThan(0);
}

const X = MVar('X', 64, 784), W1 = MVar('W1', 784, 128), b1 = VVar('b1', 128), W2 = MVar('W2', 128, 10), b2 = VVar('b2', 10), Y = MVar('Y', 64, 10);
const z = matmul(relu(matmul(X, W1).add(b1)), W2).add(b2);
const loss = z.logsumexp(1).sum().sub(z.mul(Y).sum()).div(64);
const g = grad(loss, { W1, b1, W2, b2 });
const roots = [loss, g.W1, g.b1, g.W2, g.b2];
const inputs = [X, W1, b1, W2, b2, Y];
const data = [values(64 * 784, 1), values(784 * 128, 2), values(128, 3), values(128 * 10, 4), values(10, 5), values(640, 6)];

let workers = 0;
beforeAll(async () => {
  const info = await initBackend('wasm');
  workers = Number(/(\d+) thread/.exec(info.engine)![1]) - 1;
});

describe('worker threads', () => {
  for (const precision of ['float64', 'float32'] as const) {
    it(`a split MLP step equals the single-thread step bit for bit (${precision})`, async () => {
      if (workers === 0) return; // one core: nothing to split
      const single = executable(roots, inputs, { threads: 1, precision });
      single.run(data);
      const expected = roots.map((_, k) => structuredClone(single.result(k)));
      const split = executable(roots, inputs, { threads: 2, precision, parallelWork: 0 });
      await runSplit(() => split.run(data), split);
      roots.forEach((_, k) => expect(split.result(k), `root ${k}`).toEqual(expected[k]));
      expect(single.parallelRuns()).toBe(0);
      split.dispose();
    });
  }

  it('batch points split across threads give the single-thread columns bit for bit', async () => {
    if (workers === 0) return;
    const x = Var('x'), y = Var('y');
    const f = x.mul(4).mul(sin(x.mul(y)).add(y));
    const gf = grad(f, { x, y });
    const n = 50_000;
    const columns = [values(n, 7), values(n, 8)];
    const out = () => [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    const single = executable([f, gf.x, gf.y], [x, y], { threads: 1 }, true);
    const expected = out();
    single.runBatch(n, columns, expected);
    const split = executable([f, gf.x, gf.y], [x, y], { threads: 2, parallelWork: 0 }, true);
    const got = out();
    await runSplit(() => split.runBatch(n, columns, got), split);
    expect(got).toEqual(expected);
    split.dispose();
  });

  it('a product below the crossover stays on the calling thread', () => {
    const A = MVar('A', 8, 8), B = MVar('B', 8, 8);
    const small = executable([matmul(A, B)], [A, B], { threads: 2 });
    small.run([values(64, 1), values(64, 2)]);
    expect(small.parallelRuns()).toBe(0);
  });

  it('with the default crossover the MLP step and f and ∇f at 50,000 points stay on the calling thread (split, both were slower)', async () => {
    if (workers === 0) return;
    const step = executable(roots, inputs, { threads: 2 });
    const x = Var('x'), y = Var('y');
    const f = x.mul(4).mul(sin(x.mul(y)).add(y));
    const gf = grad(f, { x, y });
    const batch = executable([f, gf.x, gf.y], [x, y], { threads: 2 }, true);
    const n = 50_000;
    for (let attempt = 0; attempt < 20; attempt++) {
      step.run(data);
      batch.runBatch(n, [values(n, 7), values(n, 8)], [new Float64Array(n), new Float64Array(n), new Float64Array(n)]);
      await new Promise((resolve) => setTimeout(resolve, 10)); // time for the workers to hold the modules
    }
    expect(step.parallelRuns()).toBe(0);
    expect(batch.parallelRuns()).toBe(0);
    step.dispose();
    batch.dispose();
  });

  it('a product above the default crossover is split (256×256 · 256×256, 16.8 M multiply-adds)', async () => {
    if (workers === 0) return;
    const A = MVar('A', 256, 256), B = MVar('B', 256, 256);
    const single = executable([matmul(A, B)], [A, B], { threads: 1 });
    const input = [values(256 * 256, 1), values(256 * 256, 2)];
    single.run(input);
    const expected = structuredClone(single.result(0));
    const large = executable([matmul(A, B)], [A, B], { threads: 2 });
    await runSplit(() => large.run(input), large);
    expect(large.result(0)).toEqual(expected);
    large.dispose();
  });
});
