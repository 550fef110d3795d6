/**
 * vmap: one batched expression for a function of one example, checked against the function
 * applied example by example, and per-example gradients against TensorFlow.js's own autodiff
 * (one tf.grads per example). Every batching rule is checked on random programs in
 * test/ad/batching.test.ts; this file is about the transformation and its compositions.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stagedOf } from '../../../src/api/transform/traced.js';
import {
  grad, initBackend, jit, jvp, matmul, neg, size, sin, sum, tanh, trace, vjp, vmap, type MFun, type SFun, type VFun,
} from '../../../src/index.js';
import { typegradErrorOf } from '../../support/errors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A one-layer network's squared error for one example (x [3], y [2]); weights [3×2]. */
const loss = trace(
  (weights: MFun<3, 2, string>, x: VFun<3, string>, y: VFun<2, string>) => sum(tanh(matmul(x, weights)).sub(y).pow(2)),
  { shapes: { weights: [3, 2], x: [3], y: [2] } },
);
const weights = [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]];
const xs = [[1, 2, 3], [0, 1, 0], [-1, 0.5, 2], [0.3, 0.3, 0.3], [2, -1, 0]];
const ys = [[0, 1], [1, 0], [0.5, 0.5], [0, 0], [-1, 1]];

const flat = (v: unknown): number[] => [v].flat(5) as number[];

describe('vmap', () => {
  it('maps over the leading axis by default, and over any axis with inAxes and outAxes', () => {
    const f = trace((x, y) => x.mul(y).add(sin(x)));
    expect(vmap(f)([1, 2, 3], [4, 5, 6])).toEqual([1, 2, 3].map((a, i) => a * [4, 5, 6][i]! + Math.sin(a)));
    expect(vmap(f, { inAxes: [null, 0] })(2, [1, 2])).toEqual([2 + Math.sin(2), 4 + Math.sin(2)]);
    const rowSums = trace((v: VFun<3, string>) => v.sum(), { shapes: { v: [3] } });
    const M = [[1, 2], [3, 4], [5, 6]]; // examples along axis 1: columns [1, 3, 5] and [2, 4, 6]
    expect(vmap(rowSums, { inAxes: 1 })(M)).toEqual([9, 12]);
    expect(vmap(rowSums, { inAxes: -1 })(M)).toEqual([9, 12]);
    const double = trace((v: VFun<3, string>) => v.mul(2), { shapes: { v: [3] } });
    expect(vmap(double, { outAxes: 1 })([[1, 2, 3], [4, 5, 6]])).toEqual([[2, 8], [4, 10], [6, 12]]);
  });

  it('a result that does not depend on the batch is repeated along it (or kept, with outAxes null)', () => {
    const f = trace((x, y) => [x.mul(y), y.mul(2)]);
    expect(vmap(f, { inAxes: [0, null] })([1, 2], 3)).toEqual([[3, 6], [6, 6]]);
    expect(vmap(f, { inAxes: [0, null], outAxes: [0, null] })([1, 2], 3)).toEqual([[3, 6], 6]);
    expect(typegradErrorOf(() => vmap(f, { inAxes: [0, null], outAxes: [null, null] })([1, 2], 3)).message).toMatch(/outAxes is null for result leaf 0, but it depends on the batched inputs/);
  });

  it('per-example gradients: one batched program, equal to TensorFlow.js autodiff example by example', () => {
    const perExample = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }));
    const ours = perExample(weights, xs, ys) as number[][][];
    expect(ours.length).toBe(xs.length);
    xs.forEach((x, k) => {
      const theirs = tf.tidy(() => tf.grad((W: tf.Tensor) => tf.sum(tf.pow(tf.sub(tf.tanh(tf.matMul(tf.tensor([x]), W as tf.Tensor2D)), tf.tensor([ys[k]!])), 2)))(tf.tensor(weights)).arraySync() as number[][]);
      flat(ours[k]).forEach((g, i) => expect(Math.abs(g - flat(theirs)[i]!)).toBeLessThan(1e-6));
    });
    // One expression whatever the batch size: batched operations, not one copy per example.
    const at = (n: number) => size(vmap(grad(loss), { inAxes: [null, 0, 0], size: n }).expr as never);
    expect(at(64)).toBe(at(4));
    expect(stagedOf(perExample)!.specialisations()).toBe(1);
    perExample(weights, xs.slice(0, 2), ys.slice(0, 2));
    expect(stagedOf(perExample)!.specialisations()).toBe(2); // one per batch size
  });

  it('with { size } it has one expression at once', () => {
    const batched = vmap(trace((x) => sin(x).mul(x)), { size: 3 });
    expect(String(batched.expr)).toBe('x * sin(x)');
    expect(batched.symbols[0]!.node.shape).toEqual([3]);
    expect(batched([0, 1, 2])).toEqual([0, Math.sin(1), 2 * Math.sin(2)]);
  });

  it('nests: vmap of vmap maps over two axes', () => {
    const f = trace((x, y) => x.mul(y).add(1));
    const table = vmap(vmap(f, { inAxes: [null, 0] }), { inAxes: [0, null] });
    expect(table([1, 2, 3], [10, 20])).toEqual([[11, 21], [21, 41], [31, 61]]);
  });

  it('composes: grad of a function that calls a vmap, vjp of a vmap, jvp of a vmap', () => {
    const f = trace((x) => sin(x).mul(x));
    const total = trace((v: VFun<3, string>) => sum(vmap(f)(v) as VFun<3, string>), { shapes: { v: [3] } });
    const at = [0.5, 1, -2];
    expect(grad(total)(at)).toEqual(at.map((a) => Math.cos(a) * a + Math.sin(a)));
    const [value, pullback] = vjp(vmap(f), at);
    expect(value).toEqual(at.map((a) => Math.sin(a) * a));
    expect(pullback([1, 0, 2])).toEqual([[Math.cos(0.5) * 0.5 + Math.sin(0.5), 0, 2 * (Math.cos(-2) * -2 + Math.sin(-2))]]);
    expect(jvp(vmap(f), [at], [[1, 1, 1]])[1]).toEqual(at.map((a) => Math.cos(a) * a + Math.sin(a)));
  });

  it('compiles to one program on tfjs, gpu and wasm too', async () => {
    await initBackend('tfjs');
    await initBackend('gpu');
    await initBackend('wasm');
    const reference = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }))(weights, xs, ys);
    for (const backend of ['tfjs', 'gpu', 'wasm'] as const) {
      const got = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }), { backend })(weights, xs, ys);
      flat(got).forEach((g, i) => expect(Math.abs(g - flat(reference)[i]!)).toBeLessThan(1e-5));
    }
  });

  it('refuses what has no one batched expression, naming the problem', () => {
    const branching = (x: SFun<string>) => (+x > 0 ? x : neg(x));
    expect(typegradErrorOf(() => vmap(branching)).message).toMatch(/vmap: the function's control flow reads its inputs' values.*where/s);
    const f = trace((x, y) => x.mul(y));
    expect(typegradErrorOf(() => vmap(f)([1, 2, 3], [1, 2])).message).toMatch(/vmap: input 'y' has 2 examples along axis 0, but another input has 3/);
    expect(typegradErrorOf(() => vmap(f, { inAxes: [0] })).message).toMatch(/vmap: inAxes has 1 entries, but there are 2/);
    expect(typegradErrorOf(() => vmap(f, { inAxes: null })).message).toMatch(/no input is batched.*\{ size \}/);
    expect(typegradErrorOf(() => vmap(f, { inAxes: 2 })([1, 2], [1, 2])).message).toMatch(/vmap: inAxes for input 'x' \(a vector\[2\]\) is axis 2/);
    expect(typegradErrorOf(() => vmap(f).expr).message).toMatch(/an expression per batch size/);
    expect(typegradErrorOf(() => vmap(f, { in: 0 } as never)).message).toMatch(/unknown option 'in'/);
  });
});
