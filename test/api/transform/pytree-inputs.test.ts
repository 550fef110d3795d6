/**
 * Traced functions of pytrees (JAX's `grad(loss)(params, x)` with `params` a nested record):
 * `trace(fn, { shapes })` with a record or array of shapes makes the input a pytree of symbols
 * named by their paths; calls take the same structure of values, `grad` returns it, and jvp,
 * vjp and vmap work input by input.
 */
import { describe, expect, it } from 'vitest';
import {
  grad, jit, jvp, matmul, sum, tanh, trace, valueAndGrad, vjp, vmap, type MFun, type SFun, type VFun,
} from '../../../src/index.js';
import { typegradErrorOf } from '../../support/errors.js';

interface Params {
  readonly layer: { readonly W: MFun<3, 2, string>; readonly b: VFun<2, string> };
  readonly scale: SFun<string>;
}

const loss = trace(
  (params: Params, x: VFun<3, string>) => sum(tanh(matmul(x, params.layer.W).add(params.layer.b))).mul(params.scale),
  { shapes: { params: { layer: { W: [3, 2], b: [2] }, scale: [] }, x: [3] } },
);
const params = { layer: { W: [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], b: [0.1, -0.1] }, scale: 2 };
const x = [1, -1, 0.5];

/** The loss written out with numbers, for differences. */
function value(p: typeof params, input: number[]): number {
  let total = 0;
  for (let j = 0; j < 2; j++) total += Math.tanh(input.reduce((s, xi, i) => s + xi * p.layer.W[i]![j]!, p.layer.b[j]!));
  return total * p.scale;
}

describe('pytree inputs', () => {
  it('names each leaf by its path and takes values of the same structure', () => {
    expect(loss.names).toEqual(['params', 'x']);
    expect((loss.symbols[0] as unknown as Params).layer.W.node.name).toBe('params.layer.W');
    expect(String(loss.expr)).toMatch(/params\.scale/);
    expect(loss(params, x)).toBeCloseTo(value(params, x), 14);
  });

  it('grad returns the gradient in the structure of the input', () => {
    const g = grad(loss)(params, x) as { layer: { W: number[][]; b: number[] }; scale: number };
    const h = 1e-6;
    const moved = (f: (p: typeof params) => void) => {
      const copy = structuredClone(params);
      f(copy);
      return value(copy, x);
    };
    expect(g.scale).toBeCloseTo(value(params, x) / 2, 12);
    const dW01 = (moved((p) => (p.layer.W[0]![1]! += h)) - moved((p) => (p.layer.W[0]![1]! -= h))) / (2 * h);
    expect(g.layer.W[0]![1]).toBeCloseTo(dW01, 7);
    const db1 = (moved((p) => (p.layer.b[1]! += h)) - moved((p) => (p.layer.b[1]! -= h))) / (2 * h);
    expect(g.layer.b[1]).toBeCloseTo(db1, 7);
    const both = grad(loss, { wrt: ['params', 'x'] })(params, x) as unknown as [unknown, number[]];
    expect(both[0]).toEqual(g);
    expect(both[1]).toHaveLength(3);
    expect(valueAndGrad(jit(loss))(params, x)).toEqual([loss(params, x), g]);
  });

  it('jvp and vjp take a tangent and give a cotangent per input, in its structure', () => {
    const tangent = { layer: { W: [[1, 0], [0, 0], [0, 0]], b: [0, 0] }, scale: 0 };
    const [, along] = jvp(loss, [params, x], [tangent, [0, 0, 0]]);
    expect(along).toBeCloseTo((grad(loss)(params, x) as { layer: { W: number[][] } }).layer.W[0]![0]!, 12);
    const [, pullback] = vjp(loss, params, x);
    const [cp, cx] = pullback(1) as [typeof params, number[]];
    expect(cp).toEqual(grad(loss)(params, x));
    expect(cx).toEqual(grad(loss, { wrt: 'x' })(params, x));
  });

  it('vmap maps over the examples of one input while the pytree is shared (per-example gradients)', () => {
    const xs = [x, [0, 1, 2], [-1, 0, 1]];
    const perExample = jit(vmap(grad(loss), { inAxes: [null, 0] }))(params, xs) as { layer: { W: number[][][] }; scale: number[] };
    expect(perExample.scale).toHaveLength(3);
    xs.forEach((input, k) => {
      const single = grad(loss)(params, input) as { layer: { W: number[][] }; scale: number };
      expect(perExample.scale[k]).toBeCloseTo(single.scale, 14);
      expect(perExample.layer.W[k]).toEqual(single.layer.W.map((row) => row.map((e) => expect.closeTo(e, 14))));
    });
  });

  it('a value of another structure is a TypegradError naming the input', () => {
    expect(typegradErrorOf(() => loss({ layer: { W: params.layer.W }, scale: 2 } as never, x)).message).toMatch(/argument 1 \('params'\) must have the structure of the input/);
    expect(typegradErrorOf(() => loss({ ...params, scale: [1, 2] } as never, x)).message).toMatch(/'params\.scale'/);
    expect(typegradErrorOf(() => trace((p: SFun<string>) => p, { shapes: { p: 'big' as never } })).message).toMatch(/the shape of 'p' must be an array of dimensions/);
  });
});
