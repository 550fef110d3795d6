/**
 * The reverse pass (src/ad/reverse.ts) carries constant factors as numbers: checked here for
 * what that is for (no intermediate nodes, the gradient printed as the node-by-node pass built
 * it) and at its edges (factors that cancel, broadcast operands, tensor rules between elementwise
 * ones) against central differences written in the test. The random-expression properties
 * (properties.test.ts) check it on every scalar primitive against hyper-dual numbers.
 */
import { describe, expect, it } from 'vitest';
import { poolSize } from '../../src/ad/node.js';
import { Const, exp, grad, matmul, MVar, size, sum, Var, VVar, type SFun } from '../../src/index.js';

function rosenbrock(n: number, tag: string): SFun<string> {
  const x = Array.from({ length: n }, (_, i) => Var(`${tag}${i}`));
  let f: SFun<string> = x[0]!.sub(x[0]!);
  for (let i = 0; i < n - 1; i++) f = f.add(x[i + 1]!.sub(x[i]!.pow(2)).pow(2).mul(100)).add(x[i]!.sub(1).neg().pow(2));
  return f;
}

/** The central difference of `f` along one coordinate of one variable, at `point`. */
function centralDifference(f: (point: Record<string, number[]>) => number, point: Record<string, number[]>, name: string, index: number): number {
  const h = 1e-6;
  const at = (delta: number) => {
    const shifted = Object.fromEntries(Object.entries(point).map(([k, v]) => [k, v.slice()]));
    shifted[name]![index]! += delta;
    return f(shifted);
  };
  return (at(h) - at(-h)) / (2 * h);
}

describe('reverse mode with constant factors as numbers', () => {
  it('builds only the nodes the gradient keeps (Rosenbrock in 300 variables)', () => {
    const f = rosenbrock(300, 'rm');
    const before = poolSize();
    const g = grad(f);
    const made = poolSize() - before;
    const kept = size([f, ...Object.values(g)]) - size(f);
    expect(made).toBe(kept);
    expect(kept).toBeLessThanOrEqual(size(f)); // the bound: size(f + ∇f) ≤ 2·size(f)
  });

  it('gives the gradient in the form the node-by-node pass built', () => {
    const g = grad(rosenbrock(3, 'rp'));
    expect(String(g.rp0)).toBe('-2 * (1 - rp0) - 400 * rp0 * (rp1 - rp0 ^ 2)');
    expect(String(g.rp1)).toBe('-2 * (1 - rp1) - 400 * rp1 * (rp2 - rp1 ^ 2) + 200 * (rp1 - rp0 ^ 2)');
    expect(String(g.rp2)).toBe('200 * (rp2 - rp1 ^ 2)');
    const x = Var('x'), y = Var('y');
    expect(String(grad(x.pow(-2).mul(3)).x)).toBe('-6 * x ^ (-3)');
    expect(String(grad(x.mul(y).mul(5).sub(y.pow(3).neg())).y)).toBe('3 * y ^ 2 + 5 * x');
  });

  it('cancels factors that sum to zero, and keeps NaN and infinite factors', () => {
    const x = Var('x'), y = Var('y');
    // ∂/∂x of 3x·y − 3x·y' where both terms reach x with opposite factors.
    const cancelling = grad(x.mul(3).mul(y).sub(x.mul(y).mul(3)).add(y));
    expect(cancelling.x.eval({ x: 2, y: 5 })).toBe(0);
    expect(grad(x.mul(NaN)).x.eval({ x: 1 })).toBeNaN();
    expect(grad(x.mul(Infinity).add(x)).x.eval({ x: 1 })).toBe(Infinity);
    expect(grad(x.mul(-0).add(x.mul(2))).x.eval({ x: 1 })).toBe(2);
  });

  it('agrees with central differences where factors meet broadcasting and tensor rules', () => {
    const v = VVar('v', 3), s = Var('s'), W = MVar('W', 2, 3);
    // Scalar factors on a broadcast scalar, a matmul between elementwise factors, a negated exp.
    const f = sum(v.mul(s).mul(3).sub(v.pow(2).mul(2)))
      .add(sum(matmul(W, v.mul(-4))).mul(0.5))
      .sub(sum(exp(v.mul(s).neg())).mul(Const(7)));
    const g = grad(f);
    const point = { v: [0.3, -0.7, 1.1], s: [0.9], W: [0.2, -0.4, 0.6, 1.3, -0.8, 0.5] };
    const value = (p: Record<string, number[]>) => f.eval({ v: p.v!, s: p.s![0]!, W: [p.W!.slice(0, 3), p.W!.slice(3)] });
    const at = { v: point.v, s: point.s[0]!, W: [point.W.slice(0, 3), point.W.slice(3)] };
    const valueOf = (h: unknown) => (h as { eval(bindings: unknown): number | number[] | number[][] }).eval(at);
    const gv = valueOf(g.v) as number[], gs = valueOf(g.s) as number, gW = (valueOf(g.W) as number[][]).flat();
    for (let i = 0; i < 3; i++) expect(gv[i]).toBeCloseTo(centralDifference(value, point, 'v', i), 6);
    expect(gs).toBeCloseTo(centralDifference(value, point, 's', 0), 6);
    for (let i = 0; i < 6; i++) expect(gW[i]).toBeCloseTo(centralDifference(value, point, 'W', i), 6);
  });
});
