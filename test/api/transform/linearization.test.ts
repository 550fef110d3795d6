/**
 * jvp, vjp and linearize, of traced functions (values in: compiled values out; Funs in: Funs
 * out) and of expressions, against independent oracles: central differences for JVPs at every
 * rank, TensorFlow.js's own autodiff (`tf.grads` with a seed) for VJPs of a tensor program, and
 * the hyper-dual numbers for a second order through jvp of jvp; and hasAux.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  grad, jacobian, jit, jvp, linearize, matmul, MVar, sin, cos, exp, sum, tanh, trace, valueAndGrad, Var, vjp, VVar, type MFun, type SFun, type VFun,
} from '../../../src/index.js';
import { HyperDual } from '../../support/hyperdual.js';
import { typegradErrorOf } from '../../support/errors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const H = 1e-6;

/** The directional difference quotient of a function of flat arrays along flat tangents. */
function directional(f: (...xs: number[][]) => number[], primals: number[][], tangents: number[][]): number[] {
  const moved = (s: number) => primals.map((p, i) => p.map((x, k) => x + s * tangents[i]![k]!));
  const plus = f(...moved(H)), minus = f(...moved(-H));
  return plus.map((p, k) => (p - minus[k]!) / (2 * H));
}

const flat = (v: unknown): number[] => [v].flat(4) as number[];

/** A rank-2 program: tanh(A·W + b) summed over columns, with W [3×2], b [2], A [2×3]. */
const layer = trace((W: MFun<3, 2, string>, b: VFun<2, string>, A: MFun<2, 3, string>) => sum(tanh(matmul(A, W).add(b)), 1), { shapes: { W: [3, 2], b: [2], A: [2, 3] } });
const W0 = [[0.5, -1], [0.25, 2], [-0.75, 0.1]], b0 = [0.3, -0.2], A0 = [[1, 2, -1], [0.5, -0.5, 1.5]];
const tW = [[1, 0], [0, -1], [0.5, 0.5]], tb = [1, 2], tA = [[0, 1, 0], [1, 0, -1]];

describe('jvp of a traced function', () => {
  it('scalars: the value and the directional derivative, compiled', () => {
    const f = trace((x, y) => sin(x).mul(y).add(exp(y)));
    const [value, tangent] = jvp(f, [0.4, 1.2], [1, -2]);
    expect(value).toBeCloseTo(Math.sin(0.4) * 1.2 + Math.exp(1.2), 14);
    expect(tangent).toBeCloseTo(Math.cos(0.4) * 1.2 * 1 + (Math.sin(0.4) + Math.exp(1.2)) * -2, 13);
  });

  it('tensors (rank 2 inputs, rank 1 result) against central differences', () => {
    const [value, tangent] = jvp(layer, [W0, b0, A0], [tW, tb, tA]);
    const run = (W: number[], b: number[], A: number[]) => flat(layer(Float64Array.from(W), Float64Array.from(b), Float64Array.from(A)));
    expect(flat(value)).toEqual(run(W0.flat(), b0, A0.flat()));
    const expected = directional(run, [W0.flat(), b0, A0.flat()], [tW.flat(), tb, tA.flat()]);
    flat(tangent).forEach((t, k) => expect(t).toBeCloseTo(expected[k]!, 7));
  });

  it('Funs in, Funs out: printable, compilable and differentiable again', () => {
    const f = trace((x) => x.pow(3));
    const x = Var('x'), v = Var('v');
    const [value, tangent] = jvp(f, [x], [v]) as [SFun<string>, SFun<string>];
    expect(String(value)).toBe('x ^ 3');
    expect(String(tangent)).toBe('3 * v * x ^ 2');
    expect(jit(tangent)({ x: 2, v: 0.5 })).toBe(6);
    // jvp of jvp: the second derivative along (1, 1), against hyper-dual numbers.
    const g = trace((a) => sin(a).mul(a));
    const second = trace((a) => jvp(g, [a], [1])[1] as SFun<string>);
    const [, curvature] = jvp(second, [0.7], [1]);
    const h = new HyperDual(0.7, 1, 1, 0);
    const dual = h.chain(Math.sin(0.7), Math.cos(0.7), -Math.sin(0.7)).mul(h);
    expect(curvature).toBeCloseTo(dual.e12, 13);
  });

  it('checks its arguments: one primal and one tangent per input', () => {
    const f = trace((x, y) => x.mul(y));
    expect(typegradErrorOf(() => jvp(f, [1], [1, 2])).message).toMatch(/jvp: primals must have 2 entries \(one per input\), got 1/);
    expect(typegradErrorOf(() => jvp(layer, [W0, b0, A0], [tW, [1, 2, 3], tA])).message).toMatch(/b\u0307/);
  });
});

describe('vjp of a traced function', () => {
  it('against TensorFlow.js autodiff with a seed (tf.grads with dy)', () => {
    const [value, pullback] = vjp(layer, W0, b0, A0);
    const seed = [0.7, -1.3];
    const [gW, gb, gA] = pullback(seed);
    const theirs = tf.tidy(() =>
      tf.grads((W: tf.Tensor, b: tf.Tensor, A: tf.Tensor) => tf.sum(tf.tanh(tf.add(tf.matMul(A as tf.Tensor2D, W as tf.Tensor2D), b)), 1))(
        [tf.tensor(W0), tf.tensor(b0), tf.tensor(A0)],
        tf.tensor(seed),
      ).map((t) => t.arraySync() as number[] | number[][]),
    );
    expect(flat(value).length).toBe(2);
    [gW, gb, gA].forEach((g, i) => flat(g).forEach((e, k) => expect(Math.abs(e - flat(theirs[i])[k]!)).toBeLessThan(1e-5)));
  });

  it('the pullback of a scalar function is its gradient, one cotangent per input', () => {
    const f = trace((x, y) => x.mul(y).add(sin(x)));
    const [value, pullback] = vjp(f, 2, 3);
    expect(value).toBeCloseTo(6 + Math.sin(2), 14);
    expect(pullback(1)).toEqual([grad(f, { wrt: 0 })(2, 3), grad(f, { wrt: 1 })(2, 3)]);
    expect(pullback(2)).toEqual([2 * (3 + Math.cos(2)), 4]);
  });

  it('a result of several outputs takes a cotangent of the same structure', () => {
    const f = trace((x, y) => ({ p: x.mul(y), q: [x.add(y), sin(x)] }));
    const [, pullback] = vjp(f, 1, 2);
    expect(pullback({ p: 1, q: [0, 0] })).toEqual([2, 1]);
    expect(pullback({ p: 0, q: [1, 1] })).toEqual([1 + Math.cos(1), 1]);
    expect(typegradErrorOf(() => pullback([1, 2])).message).toMatch(/vjp: the cotangent must have the structure of the function's result/);
  });
});

describe('linearize', () => {
  it('gives the value and the linear map of the derivative at the point', () => {
    const [value, derivative] = linearize(trace((x) => x.pow(3)), 2);
    expect([value, derivative(1), derivative(0.5)]).toEqual([8, 12, 6]);
    const [, tensorMap] = linearize(layer, W0, b0, A0);
    expect(flat(tensorMap(tW, tb, tA))).toEqual(flat(jvp(layer, [W0, b0, A0], [tW, tb, tA])[1]));
  });
});

describe('on expressions, by their variables', () => {
  const x = Var('x'), y = Var('y'), v = VVar('v', 3), M = MVar('M', 2, 3);

  it('jvp gives the derivative along the tangents, a Fun', () => {
    const f = x.mul(y).add(sin(x));
    const [same, tangent] = jvp(f, [x, y], [1, 0]);
    expect(same).toBe(f);
    expect(String(tangent)).toBe(String(grad(f).x));
    const g = matmul(M, v);
    const [, along] = jvp(g, [v], [[1, 0, -1]]);
    expect(along.eval({ M: [[1, 2, 3], [4, 5, 6]], v: [0, 0, 0] })).toEqual([-2, -2]);
  });

  it('vjp gives one cotangent per variable; linearize the map of tangents', () => {
    const g = matmul(M, v);
    const [, pullback] = vjp(g, M, v);
    const [cM, cv] = pullback([1, -1]);
    // The cotangents keep g's variables, as grad does.
    const at = { M: [[1, 2, 3], [4, 5, 6]], v: [1, 2, 3] };
    expect((cM as MFun<2, 3, string>).eval(at)).toEqual([[1, 2, 3], [-1, -2, -3]]);
    expect((cv as VFun<3, string>).eval(at)).toEqual([-3, -3, -3]);
    const [, map] = linearize(x.mul(x).mul(y), x, y);
    expect(map(1, 0).eval({ x: 3, y: 2 })).toBe(12);
    expect(jacobian(g, v).eval(at)).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
});

describe('hasAux', () => {
  const loss = trace((w, x) => {
    const prediction = w.mul(x);
    return [prediction.sub(1).pow(2), { prediction, residual: prediction.sub(1) }] as const;
  });

  it('grad differentiates the loss and passes the auxiliary values through', () => {
    const [gradient, aux] = grad(loss, { hasAux: true })(2, 3);
    expect(gradient).toBe(2 * (6 - 1) * 3);
    expect(aux).toEqual({ prediction: 6, residual: 5 });
  });

  it('valueAndGrad gives [[loss, aux], gradient]', () => {
    expect(valueAndGrad(loss, { hasAux: true, wrt: [0, 1] })(2, 3)).toEqual([[25, { prediction: 6, residual: 5 }], [30, 20]]);
  });

  it('needs [loss, aux] with a scalar loss', () => {
    expect(typegradErrorOf(() => grad(trace((x) => x) as never, { hasAux: true })).message).toMatch(/grad: with hasAux the function must return \[loss, aux\]/);
    expect(typegradErrorOf(() => grad(trace((q: VFun<2, string>) => [q.mul(2), q] as const, { shapes: { q: [2] } }) as never, { hasAux: true })).message).toMatch(/scalar loss, got a vector\[2\] first/);
    expect(typegradErrorOf(() => grad(loss, { hasAux: 1 } as never)).message).toMatch(/hasAux must be true or false/);
    expect(cos).toBeDefined();
  });
});
