import { describe, expect, it } from 'vitest';
import {
  Mat, MVar, Var, Vec, VVar, TypegradError, curl, d, divergence, grad, hessian, jacobian, laplacian, relu, sin, cos, exp, softmax, size,
} from '../../src/index.js';

const close = (actual: number[][] | number[], expected: number[][] | number[], digits = 9) =>
  expect((actual as number[]).flat()).toEqual((expected as number[]).flat().map((v) => expect.closeTo(v, digits)));

describe("Kotlin∇'s matrix demos", () => {
  it('multiplies a 2×3 by a 3×2 matrix', () => {
    expect(Mat([1, 2, 3], [4, 5, 6]).matmul(Mat([1, 2], [3, 4], [5, 6])).eval()).toEqual([[22, 28], [49, 64]]);
  });
  it('squares the 3×3 matrix of 1..9', () => {
    const g = Mat([1, 2, 3], [4, 5, 6], [7, 8, 9]);
    expect(g.matmul(g).eval()).toEqual([[30, 36, 42], [66, 81, 96], [102, 126, 150]]);
  });
});

describe("JAX's Hessian example: x0³ − 2·x0·x1 − x1⁶ at (1, 2)", () => {
  const expected = [[6, -2], [-2, -480]];
  it('by a vector variable', () => {
    const v = VVar('x', 2);
    const f = v.get(0).pow(3).sub(v.get(0).mul(v.get(1)).mul(2)).sub(v.get(1).pow(6));
    const h = hessian(f, v);
    expect(h.eval({ x: [1, 2] })).toEqual(expected);
  });
  it('by scalar variables', () => {
    const x0 = Var('x0'), x1 = Var('x1');
    const f = x0.pow(3).sub(x0.mul(x1).mul(2)).sub(x1.pow(6));
    expect(hessian(f, [x0, x1]).eval({ x0: 1, x1: 2 })).toEqual(expected);
  });
  it('is exactly symmetric', () => {
    const v = VVar('v', 3);
    const f = sin(v.get(0).mul(v.get(1))).mul(exp(v.get(2).mul(v.get(0)))).add(v.dot(v).pow(1.5));
    const h = hessian(f, v).eval({ v: [0.3, -1.2, 0.7] });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(h[i]![j]).toBe(h[j]![i]);
  });
});

describe('vector calculus on known fields', () => {
  const x = Var('x'), y = Var('y'), z = Var('z');
  it('curl of the rotation (−y, x, 0) is (0, 0, 2)', () => {
    expect(curl(Vec(y.neg(), x, 0), [x, y, z]).eval({ x: 1, y: 2, z: 3 })).toEqual([0, 0, 2]);
  });
  it('curl of a gradient field is zero', () => {
    const phi = x.mul(y).mul(z).add(sin(x));
    const g = grad(phi, [x, y, z]);
    expect(curl(Vec(g.x, g.y, g.z), [x, y, z]).eval({ x: 0.4, y: -1, z: 2 })).toEqual([0, 0, 0]);
  });
  it('curl of (yz, xz², xy) ', () => {
    // ∇ × F = (x − 2xz, y − y, z² − z)
    const f = Vec(y.mul(z), x.mul(z.pow(2)), x.mul(y));
    close(curl(f, [x, y, z]).eval({ x: 2, y: 3, z: 5 }), [2 - 20, 0, 25 - 5]);
  });
  it('divergence of (x², xy, z) is 3x + 1', () => {
    const f = Vec(x.pow(2), x.mul(y), z);
    expect(divergence(f, [x, y, z]).eval({ x: 2, y: 7, z: 1 })).toBe(7);
  });
  it('divergence by a vector variable', () => {
    const v = VVar('v', 3);
    expect(divergence(v.mul(v), v).eval({ v: [1, 2, 3] })).toBe(12);
  });
  it('laplacian of x²y + sin z is 2y − sin z', () => {
    const f = x.pow(2).mul(y).add(sin(z));
    expect(laplacian(f, [x, y, z]).eval({ x: 1, y: 3, z: 0.5 })).toBeCloseTo(6 - Math.sin(0.5), 12);
    const v = VVar('v', 2);
    expect(laplacian(v.dot(v), v).eval({ v: [3, 4] })).toBe(4);
  });
  it('jacobian of (xy, x + sin y) by [x, y] and by a vector variable', () => {
    close(jacobian(Vec(x.mul(y), x.add(sin(y))), [x, y]).eval({ x: 2, y: 3 }), [[3, 2], [1, Math.cos(3)]]);
    const v = VVar('v', 2);
    const j = jacobian(Vec(v.get(0).mul(v.get(1)), v.get(0).add(sin(v.get(1)))), v);
    close(j.eval({ v: [2, 3] }), [[3, 2], [1, Math.cos(3)]]);
    const w = VVar('w', 3);
    close(jacobian(w.mul(2).add(1), w).eval({ w: [1, 2, 3] }), [[2, 0, 0], [0, 2, 0], [0, 0, 2]]);
  });
  it('derivatives of any order and mixed partials of vector Funs', () => {
    const f = Vec(x.pow(3).mul(y), sin(x.mul(y)));
    close(d(f, x).eval({ x: 2, y: 3 }), [36, 3 * Math.cos(6)]);
    close(d(f, x, x, x).eval({ x: 2, y: 3 }), [18, -27 * Math.cos(6)]);
    close(d(f, x, y).eval({ x: 2, y: 3 }), d(f, y, x).eval({ x: 2, y: 3 }));
    close(d(f, x, y).eval({ x: 2, y: 3 }), [12, Math.cos(6) - 6 * Math.sin(6)]);
    const m = Mat([x, x.mul(y)], [y.pow(2), 1]);
    expect(d(m, y).eval({ x: 2, y: 3 })).toEqual([[0, 2], [6, 0]]);
  });
});

describe('gradients by matrix parameters', () => {
  it('grad(loss, W) of an MLP is one matrix Fun per parameter', () => {
    const X = MVar('X', 4, 3), W1 = MVar('W1', 3, 5), b1 = VVar('b1', 5), W2 = MVar('W2', 5, 2), b2 = VVar('b2', 2);
    const logits = relu(X.matmul(W1).add(b1)).matmul(W2).add(b2);
    const loss = logits.logsumexp(1).sum();
    const g = grad(loss, { W1, b1, W2, b2 });
    expect(g.W1.rows).toBe(3);
    expect(g.W1.columns).toBe(5);
    expect(g.b1.length).toBe(5);
    expect(grad(loss, W2).node).toBe(g.W2.node);
    expect(size([loss, g.W1, g.b1, g.W2, g.b2])).toBeLessThanOrEqual(5 * size(loss));
  });
  it('softmax rows sum to one', () => {
    const M = Mat([1, 2, 3], [1000, 1000, -1000]);
    const s = softmax(M).eval();
    close(s.map((row) => row.reduce((a, b) => a + b, 0)), [1, 1], 12);
    close(Vec(1, 2).softmax().eval(), [1 / (1 + Math.E), Math.E / (1 + Math.E)], 12);
  });
});

describe('shape errors at run time', () => {
  it('names the variable and both shapes for a wrong binding', () => {
    const w = VVar('w', 3);
    expect(() => w.sum().eval({ w: [1, 2] })).toThrow(TypegradError);
    expect(() => w.sum().eval({ w: [1, 2] })).toThrow(/'w'.*vector\[3\].*vector\[2\]/);
    expect(() => w.sum().eval({ w: new Float64Array(4) })).toThrow(/'w'.*vector\[3\].*4 values/);
    const W = MVar('W', 2, 3);
    expect(() => W.sum().eval({ W: [[1, 2, 3], [4, 5]] })).toThrow(/'W'.*matrix\[2×3\].*ragged/);
    expect(() => W.sum().eval({ W: [[1, 2], [4, 5]] })).toThrow(/'W'.*matrix\[2×3\].*matrix\[2×2\]/);
    expect(W.sum().eval({ W: Float64Array.of(1, 2, 3, 4, 5, 6) })).toBe(21);
  });
  it('names the operation and both shapes for a mismatch with run-time dimensions', () => {
    const n: number = 2, m: number = 3;
    const a = VVar('a', n), b = VVar('b', m);
    expect(() => a.add(b)).toThrow(TypegradError);
    expect(() => a.add(b)).toThrow(/add: shape mismatch.*vector\[2\].*vector\[3\]/);
    expect(() => a.dot(b)).toThrow(/matmul: shape mismatch.*vector\[2\].*vector\[3\]/);
    const A = MVar('A', n, m);
    expect(() => A.matmul(A)).toThrow(/matmul: shape mismatch.*matrix\[2×3\].*matrix\[2×3\]/);
    // Ragged row literals are a compile error (test-d/fixtures/fail/shapes-constructors.ts); rows known at run time are checked then.
    const ragged: number[][] = [[1, 2], [3]];
    expect(() => Mat(...ragged)).toThrow(/row 0 has 2.*row 1 has 1/);
    expect(() => a.get(5 as number)).toThrow(/get: index \[5\] is out of bounds for vector\[2\]/);
  });
});

describe('map, elementwise functions, at', () => {
  it('applies scalar primitives elementwise', () => {
    const v = VVar('v', 3);
    close(sin(v).eval({ v: [0, 1, 2] }), [0, Math.sin(1), Math.sin(2)]);
    close(v.map(cos).eval({ v: [0, 1, 2] }), [1, Math.cos(1), Math.cos(2)]);
    expect(relu(Mat([-1, 2], [3, -4])).eval()).toEqual([[0, 2], [3, 0]]);
  });
  it('binds tensor variables with at', () => {
    const W = MVar('W', 2, 2), x = Var('x');
    const f = W.matmul(Vec(x, 1)).sum();
    const g = f.at({ W: [[1, 2], [3, 4]] });
    expect(g.variables).toEqual(['x']);
    expect(g.eval({ x: 2 })).toBe(1 * 2 + 2 + 3 * 2 + 4);
  });
});
