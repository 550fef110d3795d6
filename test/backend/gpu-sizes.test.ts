/**
 * The gpu backend at extreme sizes: batches of 0 to more than 2^24 points, in any order of
 * calls (each is computed, in passes where one kernel's texture cannot hold it), graphs 100,000
 * deep (split into kernels of bounded length, whose equal pieces share one shader), and programs
 * that read many arrays at once (split so that no kernel reads more than a GPU binds).
 */
import { describe, expect, it } from 'vitest';
import { compile, concat, grad, initBackend, polygamma, sin, stack, sum, Var, VVar, type SFun } from '../../src/index.js';
import { scalarKernels } from '../../src/backend/gpu/scalar-program.js';
import { boundedGroups, KERNEL_STATEMENTS, KERNEL_TEXTURES } from '../../src/backend/gpu/kernels.js';
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

describe(`gpu kernels read at most KERNEL_TEXTURES arrays, in gpu.js mode '${info.engine}'`, () => {
  // Past the texture units a GPU has, gpu.js's shader does not link and the kernel returns the
  // previous results, with no error: these programs came back wrong that way.
  const many = (n: number) => {
    const xs = Array.from({ length: n }, (_, i) => Var(`m${i}`));
    let f: SFun<string> = xs[0]!.mul(1);
    for (let i = 1; i < n; i++) f = f.add(sin(xs[i]!).mul(i + 1));
    return { xs, f };
  };

  it('a program of 40 scalar inputs is split into kernels of at most KERNEL_TEXTURES arrays', () => {
    const { xs, f } = many(40);
    const kernels = scalarKernels(buildPlan([f.node], xs.map((v) => v.node), { name: 'gpu', lowers: () => true }, { batch: true }));
    expect(kernels.length).toBeGreaterThan(1);
    for (const k of kernels) expect(k.inputs.length + k.imports.length).toBeLessThanOrEqual(KERNEL_TEXTURES);
  });

  it('it agrees with js as a batch and at a point (it gave the previous program\'s values)', () => {
    const { xs, f } = many(40);
    const columns = Object.fromEntries(xs.map((v, i) => [v.node.name, [0.1 * i, 0.2 + i, -0.3 * i]]));
    const expected = compile(f, { batch: true })(columns as never) as Float64Array;
    const got = compile(f, { batch: true, backend: 'gpu' })(columns as never) as Float32Array;
    expected.forEach((e, i) => expect(Math.abs(got[i]! - e)).toBeLessThan(1e-5 * Math.max(1, Math.abs(e)) * 40));
    const point = Object.fromEntries(xs.map((v, i) => [v.node.name, 0.1 * i]));
    const value = compile(f, { backend: 'gpu' })(point as never) as number;
    expect(Math.abs(value - f.eval(point as never))).toBeLessThan(1e-3);
  });

  it('an elementwise group reading many arrays is cut into groups that read at most the bound', () => {
    // Value 100 adds the 30 leaves 0..29 in a chain of members 31..59 (a tree, as fused groups are).
    const args = new Map<number, number[]>();
    args.set(31, [0, 1]);
    for (let i = 2; i < 30; i++) args.set(30 + i, [30 + i - 1, i]);
    args.set(100, [59]);
    const members = [31, ...Array.from({ length: 28 }, (_, i) => 32 + i)];
    const groups = boundedGroups(100, members, (id) => args.get(id) ?? [], KERNEL_STATEMENTS, KERNEL_TEXTURES, (id) => id < 30);
    expect(groups.length).toBeGreaterThan(1);
    const roots = new Set(groups.map((g) => g.root));
    for (const g of groups) {
      const inside = new Set(g.members);
      const read = new Set([...g.members, g.root].flatMap((id) => (args.get(id) ?? []).filter((a) => !inside.has(a) && (a < 30 || roots.has(a)))));
      expect(read.size).toBeLessThanOrEqual(KERNEL_TEXTURES);
    }
    expect(groups.flatMap((g) => [g.root, ...g.members]).sort((a, b) => a - b)).toEqual([...members, 100].sort((a, b) => a - b));
  });

  it('the gradient of a sum of polygamma over a vector, with the loss and the values, matches js', () => {
    // One program of the loss, its gradient and the polygamma values: its largest fused group
    // read 35 arrays, and the gradient came back as [0.00356, 0.00356] (js: [−0.000185, 0.133]).
    const u = VVar('u', 2);
    const inner = polygamma(1, u.pow(2).add(0.25));
    const loss = sum(inner);
    const g = grad(loss, { u }).u;
    const data = { u: [7.152557373046875e-7, -0.0005142688751220703] };
    for (const funs of [[loss, g, inner], [g, inner], [loss, g]]) {
      const expected = compile(funs)(data) as unknown as (number | Float64Array)[];
      const got = compile(funs, { backend: 'gpu' })(data) as unknown as (number | Float32Array)[];
      expected.forEach((e, k) => {
        const want = typeof e === 'number' ? [e] : Array.from(e);
        const have = typeof got[k] === 'number' ? [got[k] as number] : Array.from(got[k] as Float32Array);
        want.forEach((w, i) => expect(Math.abs(have[i]! - w), `output ${k}[${i}]`).toBeLessThan(1e-4 * 130));
      });
    }
  });

  it('a stack and a concat of 40 computed vectors are made in steps that read at most the bound', () => {
    const vs = Array.from({ length: 40 }, (_, i) => VVar(`w${i}`, 3));
    const parts = vs.map((v, i) => sin(v).mul(i + 1));
    const data = Object.fromEntries(vs.map((v, i) => [v.node.name, [0.1 * i, -0.2 * i, 0.3 + i]]));
    for (const f of [stack(parts as never), concat(parts as never)]) {
      const expected = Array.from(compile(f as never)(data as never) as unknown as Float64Array);
      const got = Array.from(compile(f as never, { backend: 'gpu' })(data as never) as unknown as Float32Array);
      expect(got).toHaveLength(120);
      expected.forEach((e, i) => expect(Math.abs(got[i]! - e)).toBeLessThan(1e-4 * 40));
    }
  });
});
