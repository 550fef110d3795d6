/** The tfjs backend on tensor programs: agreement with the reference and no tensor leaks. */
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { variableNode } from '../../src/ad/node.js';
import { wrap } from '../../src/api/wrap.js';
import { compileAsync, grad, matmul, MVar, relu, VVar, type AnyRankFun } from '../../src/index.js';

describe('tfjs tensor programs', () => {
  const X = MVar('X', 6, 5), W = MVar('W', 5, 4), b = VVar('b', 4), Y = MVar('Y', 6, 4);
  const z = matmul(relu(matmul(X, W).add(b)), matmul(W.transpose(), W)); // [6, 4]
  const loss = z.logsumexp(1).sum().sub(z.mul(Y).sum()).div(6);
  const g = grad(loss, { W, b });
  const data = {
    X: Float64Array.from({ length: 30 }, (_, i) => Math.sin(i)),
    W: Float64Array.from({ length: 20 }, (_, i) => Math.cos(i * 0.7) / 2),
    b: [0.1, -0.2, 0.3, 0],
    Y: Float64Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? 1 : 0)),
  };

  it('a loss and its gradients, as one program, within float32 accuracy; Float32Array outputs', async () => {
    const f = await compileAsync([loss, g.W, g.b, z.softmax()], { backend: 'tfjs' });
    const [value, gW, gb, s] = f(data);
    expect(gW).toBeInstanceOf(Float32Array);
    expect(value).toBeCloseTo(loss.eval(data), 4);
    g.W.eval(data).flat().forEach((e, i) => expect(Math.abs(gW[i]! - e)).toBeLessThan(1e-4 * Math.max(1, Math.abs(e))));
    g.b.eval({ X: data.X, W: data.W, b: data.b, Y: data.Y }).forEach((e, i) => expect(Math.abs(gb[i]! - e)).toBeLessThan(1e-4));
    z.softmax().eval({ X: data.X, W: data.W, b: data.b }).flat().forEach((e, i) => expect(Math.abs(s[i]! - e)).toBeLessThan(1e-5));
  });

  it('batched products whose operands repeat along different batch axes ([2, 1]·[2] and [2, 1]·[1, 4] batches)', async () => {
    const A = variableNode('A', [2, 1, 3, 2]), B = variableNode('B', [2, 2, 2]), C = variableNode('C', [1, 4, 2, 2]);
    const products = [apply('matmul', [A, B]), apply('matmul', [A, C]), apply('matmul', [A, apply('transpose', [C], [0, 1, 3, 2])])];
    const values = { A: Float64Array.from({ length: 12 }, (_, k) => k + 1), B: Float64Array.from({ length: 8 }, (_, k) => (k % 5) - 2), C: Float64Array.from({ length: 16 }, (_, k) => (k % 7) - 3) };
    const f = await compileAsync(products.map((p) => wrap(p, [], new Set(['A', 'B', 'C'])) as AnyRankFun), { backend: 'tfjs' });
    const got = f(values as never) as Float32Array[];
    const expected = evaluateTensors(products, new Map(Object.entries(values)));
    products.forEach((_, k) => expect(Array.from(got[k]!)).toEqual(Array.from(expected[k]!)));
  });

  it('leaks no tensor over 1,000 calls', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const f = await compileAsync([loss, g.W, g.b], { backend: 'tfjs' });
    f(data);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) f(data);
    expect(tf.memory().numTensors).toBe(before);
  });
});
