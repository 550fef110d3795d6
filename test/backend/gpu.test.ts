/**
 * The gpu backend (gpu.js). It runs in whatever mode gpu.js finds: headlessgl where the optional
 * `gl` package is built and a display exists (CI runs it under xvfb-run), else a fallback mode,
 * which the test title and output name. Tolerances are float32: 1e-4 relative.
 */
import { describe, expect, it } from 'vitest';
import { backendInfo, compile, grad, initBackend, sin, Var } from '../../src/index.js';
import { scalarKernelSource } from '../../src/backend/gpu/index.js';
import { buildPlan } from '../../src/program/planner.js';

const x = Var('x');
const y = Var('y');
const z = x.mul(4).mul(sin(x.mul(y)).add(y));
const g = grad(z);

const info = await initBackend('gpu');
const fallback = info.engine === 'headlessgl' ? '' : ` (FALLBACK: ${info.notes.join('; ')})`;
console.log(`gpu backend mode: ${info.engine}${fallback}`);

describe(`gpu backend in gpu.js mode '${info.engine}'${fallback}`, () => {
  it('reports its mode', () => {
    expect(backendInfo('gpu')).toBe(info);
    expect(['headlessgl', 'webasm', 'cpu', 'webgl', 'webgl2']).toContain(info.engine);
    expect(info.precision).toBe('float32');
  });

  it('evaluates a value and its gradient at many points in one kernel, within 1e-4', () => {
    const n = 10_000;
    const xs = Float32Array.from({ length: n }, (_, i) => -2 + (4 * i) / n);
    const ys = Float32Array.from({ length: n }, (_, i) => 1.5 - (3 * i) / n);
    const out = compile({ f: z, dx: g.x, dy: g.y }, { batch: true, backend: 'gpu' })({ x: xs, y: ys });
    for (let i = 0; i < n; i += 97) {
      const point = { x: xs[i]!, y: ys[i]! };
      for (const [key, fun] of [['f', z], ['dx', g.x], ['dy', g.y]] as const) {
        const expected = fun.eval(point);
        expect(Math.abs(out[key][i]! - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected)));
      }
    }
  });

  it('raises a negative base to constant integer powers (GLSL pow alone is undefined there)', () => {
    const xs = Float32Array.from([-1.5, -0.5, 0.5, 1.5]);
    for (const n of [2, 3, 5, 6, -5, -6]) {
      const out = compile(x.pow(n), { batch: true, backend: 'gpu' })({ x: xs });
      xs.forEach((v, i) => expect(Math.abs(out[i]! - v ** n)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v ** n))));
    }
  });

  it('generates one kernel with a return per output', () => {
    const source = scalarKernelSource(buildPlan([z.node, g.x.node], [x.node, y.node], { name: 'gpu', lowers: () => true }, { batch: true }));
    expect(source).toContain('const x0 = c0[k];');
    expect(source).toContain('if (this.thread.z === 0) { return ');
  });
});
