/**
 * The gpu backend at extreme sizes: batches of 0 to more than 2^24 points, in any order of
 * calls (each is computed, in passes where one kernel's texture cannot hold it), and graphs
 * 100,000 deep (split into kernels of bounded length, whose equal pieces share one shader).
 */
import { describe, expect, it } from 'vitest';
import { compile, initBackend, sin, Var, VVar, type SFun } from '../../src/index.js';
import { scalarKernels } from '../../src/backend/gpu/scalar-program.js';
import { KERNEL_STATEMENTS } from '../../src/backend/gpu/kernels.js';
import { buildPlan } from '../../src/program/planner.js';

const info = await initBackend('gpu');
const x = Var('x'), y = Var('y');

describe(`gpu batches of any size, in gpu.js mode '${info.engine}'`, () => {
  it('a batch program gives every point, whatever the sizes of the calls before (it gave zeros after a first call of ≤ 16,384)', () => {
    const f = compile([x.mul(2).add(y), x.sub(y)], { batch: true, backend: 'gpu' });
    for (const n of [1, 16_384, 16_385, 1_000_000, 3, 40_000, 16_385]) {
      const xs = Float32Array.from({ length: n }, (_, i) => i + 1);
      const ys = Float32Array.from({ length: n }, (_, i) => -i);
      const [sum, difference] = f({ x: xs, y: ys }) as Float32Array[];
      let wrong = 0;
      for (let i = 0; i < n; i++) if (sum![i] !== 2 * xs[i]! + ys[i]! || difference![i] !== xs[i]! - ys[i]!) wrong++;
      expect(wrong, `${n} points`).toBe(0);
    }
  });

  it('a fresh program above 16,384 points is computed (it threw a raw texture-size error)', () => {
    const f = compile(sin(x).mul(3), { batch: true, backend: 'gpu' });
    const n = 20_000;
    const out = f({ x: new Float32Array(n).fill(1) }) as Float32Array;
    expect(out.every((v) => Math.abs(v - 3 * Math.sin(1)) < 1e-5)).toBe(true);
  });

  it('a batch of 0 points gives empty columns, one of 1 a column of 1', () => {
    const f = compile([x.mul(y), x], { batch: true, backend: 'gpu' });
    expect((f({ x: [], y: [] }) as Float32Array[]).map((c) => c.length)).toEqual([0, 0]);
    expect((f({ x: [2], y: [3] }) as Float32Array[]).map((c) => Array.from(c))).toEqual([[6], [2]]);
  });

  it('more points than one kernel holds (2^24 + 5) run in passes', () => {
    const f = compile(x.mul(0.5), { batch: true, backend: 'gpu' });
    const n = 2 ** 24 + 5;
    const xs = new Float32Array(n);
    for (let i = 0; i < n; i++) xs[i] = i % 1000;
    const out = f({ x: xs }) as Float32Array;
    let wrong = 0;
    for (let i = 0; i < n; i++) if (out[i] !== xs[i]! * 0.5) wrong++;
    expect(wrong).toBe(0);
  }, 120_000);
});

describe(`gpu programs 100,000 deep, in gpu.js mode '${info.engine}'`, () => {
  it('a chain splits into kernels of at most KERNEL_STATEMENTS statements', () => {
    let f: SFun<'x'> = x;
    for (let i = 0; i < 1_000; i++) f = sin(f);
    const kernels = scalarKernels(buildPlan([f.node], [x.node], { name: 'gpu', lowers: () => true }, { batch: true }));
    expect(kernels.length).toBe(Math.ceil(1_000 / KERNEL_STATEMENTS));
    // The middle pieces read the previous piece's layer and are the same source: one shader.
    expect(new Set(kernels.slice(1, -1).map((k) => k.source)).size).toBe(1);
    for (const k of kernels) expect(k.exports).toHaveLength(1);
  });

  it('sin applied 100,000 times compiles and runs as a batch and as a vector program (it took minutes, then crashed)', () => {
    const depth = 100_000;
    let f: SFun<'x'> = x;
    for (let i = 0; i < depth; i++) f = sin(f);
    const started = performance.now();
    const batch = compile(f, { batch: true, backend: 'gpu' })({ x: [0.5, -1] }) as Float32Array;
    const v = VVar('v', 2);
    let g = v as unknown as SFun<'v'>;
    for (let i = 0; i < depth; i++) g = sin(g);
    const vector = compile(g, { backend: 'gpu' })({ v: [0.5, -1] }) as unknown as Float32Array;
    const seconds = (performance.now() - started) / 1000;
    const expected = [f.eval({ x: 0.5 }), f.eval({ x: -1 })];
    for (const result of [batch, vector]) expected.forEach((e, i) => expect(Math.abs(result[i]! - e)).toBeLessThan(1e-4 * Math.abs(e)));
    // Linear in the depth: about 10 s for both on the loaded 2-core machine with Mesa's shader cache off.
    expect(seconds).toBeLessThan(150);
  }, 300_000);
});
