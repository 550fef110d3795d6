/**
 * The gpu backend on tensor programs: one gpu.js kernel per vector or matrix operation, checked
 * against the reference interpreter (`evaluateTensors`) within float32 accuracy (1e-4 relative).
 * It runs in whatever gpu.js mode loads (headlessgl under xvfb-run, else a fallback), named below.
 */
import { describe, expect, it } from 'vitest';
import { compileAsync, dot, exp, grad, initBackend, Mat, matmul, MVar, relu, sum, TypegradError, Vec, VVar } from '../../src/index.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import type { Node } from '../../src/ad/node.js';
import { topologicalOrder } from '../../src/ad/traverse.js';
import { gpuTensorLowering } from '../../src/backend/gpu/tensor.js';
import { gpuWindowLowering } from '../../src/backend/gpu/window-lowering.js';
import { tensorPrimitives } from '../../src/ad/primitives/index.js';

const info = await initBackend('gpu');
const fallback = info.engine === 'headlessgl' ? '' : ` (FALLBACK: ${info.notes.join('; ')})`;
console.log(`gpu backend mode (tensor programs): ${info.engine}${fallback}`);

/** A seeded generator (mulberry32), so that a failure is reproducible. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(7);
const values = (n: number) => Float64Array.from({ length: n }, () => next() * 2 - 1);
const dimension = () => 1 + Math.floor(next() * 7);

/** Every element within 1e-4 relative (absolute near zero) of the float64 reference. */
function expectClose(actual: unknown, expected: Float64Array): void {
  const flat = typeof actual === 'number' ? [actual] : Array.from(actual as Float32Array);
  expect(flat.length).toBe(expected.length);
  flat.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected[i]!))));
}

function reference(root: { node: Node }, bindings: Record<string, Float64Array | number[] | number[][]>): Float64Array {
  const environment = new Map(Object.entries(bindings).map(([k, v]) => [k, Float64Array.from(v instanceof Float64Array ? v : (v as number[]).flat())]));
  return evaluateTensors([root.node], environment)[0]!;
}

describe(`gpu tensor programs in gpu.js mode '${info.engine}'${fallback}`, () => {
  it("Kotlin∇'s demo: Mat([1,2,3],[4,5,6]).matmul(Mat([1,2],[3,4],[5,6])) = [[22,28],[49,64]]", async () => {
    const folded = await compileAsync(Mat([1, 2, 3], [4, 5, 6]).matmul(Mat([1, 2], [3, 4], [5, 6])), { backend: 'gpu' });
    expect(Array.from(folded({}) as Float32Array)).toEqual([22, 28, 49, 64]);
    // The same product with variables runs the matmul kernel.
    const A = MVar('A', 2, 3), B = MVar('B', 3, 2);
    const f = await compileAsync(matmul(A, B), { backend: 'gpu' });
    const result = f({ A: [[1, 2, 3], [4, 5, 6]], B: [[1, 2], [3, 4], [5, 6]] });
    expect(result).toBeInstanceOf(Float32Array);
    expect(Array.from(result as Float32Array)).toEqual([22, 28, 49, 64]);
  });

  it('matmul in all four cases ([K]·[K] is dot), on random shapes, matches the reference', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const [r, k, c] = [dimension(), dimension(), dimension()];
      const A = MVar('A', r, k), B = MVar('B', k, c), u = VVar('u', k), v = VVar('v', k);
      const data = { A: values(r * k), B: values(k * c), u: values(k), v: values(k) };
      const products = [matmul(A, B), matmul(A, v), matmul(u, B), dot(u, v)] as const;
      const f = await compileAsync([...products], { backend: 'gpu' });
      (f(data) as unknown[]).forEach((result, i) => expectClose(result, reference(products[i] as never, data)));
    }
  });

  it('transpose, broadcast and sums (no axis, axis 0, axis 1) match the reference', async () => {
    const [r, c] = [dimension() + 1, dimension()];
    const A = MVar('A', r, c), b = VVar('b', c);
    const data = { A: values(r * c), b: values(c) };
    const programs = [A.transpose(), matmul(A.transpose(), A), A.add(b), A.mul(b).add(b.mul(2)), A.sum(), A.sum(0), A.sum(1), b.sum(), exp(A.mul(3))] as const;
    const f = await compileAsync([...programs], { backend: 'gpu' });
    (f(data) as unknown[]).forEach((result, i) => expectClose(result, reference(programs[i] as never, data)));
  });

  it('relu(A·W + b) with a bias row matches the reference', async () => {
    const [r, k, c] = [dimension(), dimension(), dimension()];
    const A = MVar('A', r, k), W = MVar('W', k, c), b = VVar('b', c);
    const layer = relu(matmul(A, W).add(b));
    const data = { A: values(r * k), W: values(k * c), b: values(c) };
    const f = await compileAsync(layer, { backend: 'gpu' });
    expectClose(f(data), reference(layer, data));
  });

  it('a pack of scalars and constants feeds a kernel', async () => {
    const A = MVar('A', 2, 2), u = VVar('u', 2);
    const program = matmul(A, Vec(u.sum(), 3));
    const data = { A: [[1, 2], [3, 4]], u: [0.5, 0.25] };
    const f = await compileAsync(program, { backend: 'gpu' });
    expectClose(f(data), reference(program, data));
  });

  it('the gradient of sum(relu(X·W + b)) by W and b compiles on gpu and matches js', async () => {
    const X = MVar('X', 5, 4), W = MVar('W', 4, 3), b = VVar('b', 3);
    const loss = sum(relu(matmul(X, W).add(b)));
    const g = grad(loss, { W, b });
    const data = { X: values(20), W: values(12), b: values(3) };
    // What the gradient needs: heaviside (relu'), matmul with a transpose, a sum over the rows (for b).
    const ops = new Set(topologicalOrder([g.W.node, g.b.node]).map((n) => n.op));
    for (const op of ['heaviside', 'matmul', 'transpose']) expect(ops).toContain(op);
    expect(topologicalOrder([g.b.node]).some((n) => n.op === 'sum' && n.attrs[0] === 0)).toBe(true);
    const onGpu = await compileAsync([loss, g.W, g.b], { backend: 'gpu' });
    const onJs = await compileAsync([loss, g.W, g.b], { backend: 'js' });
    const [value, gW, gb] = onGpu(data) as [number, Float32Array, Float32Array];
    const [jsValue, jsW, jsB] = onJs(data) as [number, Float64Array, Float64Array];
    expect(gW).toBeInstanceOf(Float32Array);
    expectClose(value, Float64Array.of(jsValue));
    expectClose(gW, jsW);
    expectClose(gb, jsB);
  });

  it('runs softmax and logsumexp decomposed (a maximum, an elementwise step, a sum), custom-derivative nodes as their functions, every other primitive as a kernel or on the host', async () => {
    const A = MVar('A', 3, 4);
    const data = { A: values(12) };
    const programs = [matmul(A, A.transpose()).softmax(), A.logsumexp(1), A.softmax(), A.logsumexp()] as const;
    const f = await compileAsync([...programs], { backend: 'gpu' });
    (f(data) as unknown[]).forEach((result, i) => expectClose(result, reference(programs[i] as never, data)));
    const onHost = ['pack', 'get'], decomposed = ['softmax', 'logsumexp', 'custom'];
    expect(Object.keys({ ...gpuTensorLowering, ...gpuWindowLowering }).sort()).toEqual(Object.keys(tensorPrimitives).filter((p) => !onHost.includes(p) && !decomposed.includes(p)).sort());
  });
});
