/**
 * Calculus at any rank: Jacobians of tensor functions by tensor variables (shape [...F, ...X]),
 * Hessians of vector functions (rank 3) and of scalars by matrices (rank 4), gradients by rank-3
 * variables and derivatives of tensor functions to third order, against central differences of
 * the reference interpreter; and the variables of operators taken by a list of variables.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { variableNode, type Node } from '../../src/ad/node.js';
import { elementCount } from '../../src/ad/shape.js';
import { wrap } from '../../src/api/wrap.js';
import {
  compile, curl, d, divergence, grad, hessian, jacobian, laplacian, matmul, MVar, sin, softmax, TVar, Var, Vec, VVar, type MFun, type SFun, type TFun, type VFun,
} from '../../src/index.js';

/** A seeded generator, so a failure is reproducible. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(11);
const values = (n: number) => Float64Array.from({ length: n }, () => next() * 2 - 1);

/**
 * The numerical Jacobian of `root` by the variable `name` (of `env`): shape [...root, ...variable],
 * row-major, by central differences of the reference interpreter.
 */
function numericalJacobian(root: Node, env: ReadonlyMap<string, Float64Array>, name: string, h = 1e-6): Float64Array {
  const x = env.get(name)!;
  const size = elementCount(root.shape);
  const out = new Float64Array(size * x.length);
  for (let j = 0; j < x.length; j++) {
    const shifted = (delta: number) => {
      const copy = new Map(env);
      const value = Float64Array.from(x);
      value[j]! += delta;
      copy.set(name, value);
      return evaluateTensors([root], copy)[0]!;
    };
    const plus = shifted(h), minus = shifted(-h);
    for (let i = 0; i < size; i++) out[i * x.length + j] = (plus[i]! - minus[i]!) / (2 * h);
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i]!)));
}

const flat = (f: { node: Node }, env: ReadonlyMap<string, Float64Array>) => evaluateTensors([f.node], env)[0]!;

describe('Jacobians at any rank', () => {
  it('of a matrix product by the matrix on the right is rank 4, [2, 4, 3, 4], and matches central differences', () => {
    const A = MVar('A', 2, 3), B = MVar('B', 3, 4);
    const env = new Map([['A', values(6)], ['B', values(12)]]);
    const J = jacobian(matmul(A, B), B);
    expectTypeOf(J).toEqualTypeOf<TFun<[2, 4, 3, 4], 'A' | 'B'>>();
    expect(J.node.shape).toEqual([2, 4, 3, 4]);
    expectClose(flat(J, env), numericalJacobian(matmul(A, B).node, env, 'B'), 1e-8);
    // dC[i, j]/dB[k, l] = A[i, k] when j = l: the exact structure, not only close numbers.
    const a = env.get('A')!, jacobianValues = flat(J, env);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) for (let l = 0; l < 4; l++) {
      expect(jacobianValues[((i * 4 + j) * 3 + k) * 4 + l]).toBe(j === l ? a[i * 3 + k] : 0);
    }
  });

  it('of a row-wise softmax by its matrix input (matrix by matrix), and of a matrix function by a list of scalars', () => {
    const M = MVar('M', 2, 3), x = Var('x'), y = Var('y');
    const env = new Map([['M', values(6)], ['x', values(1)], ['y', values(1)]]);
    const J = jacobian(softmax(M), M);
    expect(J.node.shape).toEqual([2, 3, 2, 3]);
    expectClose(flat(J, env), numericalJacobian(softmax(M).node, env, 'M'), 1e-7);
    const F = M.mul(x).add(sin(M.mul(y)));
    const Jxy = jacobian(F, [x, y]);
    expectTypeOf(Jxy).toEqualTypeOf<TFun<[2, 3, 2], 'M' | 'x' | 'y'>>();
    const both = flat(Jxy, env);
    const dx = numericalJacobian(F.node, env, 'x'), dy = numericalJacobian(F.node, env, 'y');
    expectClose(both.filter((_, k) => k % 2 === 0), dx, 1e-7);
    expectClose(both.filter((_, k) => k % 2 === 1), dy, 1e-7);
  });

  it('of a rank-3 function by a rank-3 variable is rank 6', () => {
    const T = TVar('T', [2, 1, 2]);
    const F = sin(T).mul(T.sum(2, { keepDims: true }));
    const env = new Map([['T', values(4)]]);
    const J = jacobian(F, T);
    expectTypeOf(J).toEqualTypeOf<TFun<[2, 1, 2, 2, 1, 2], 'T'>>();
    expectClose(flat(J, env), numericalJacobian(F.node, env, 'T'), 1e-7);
  });

  it('of a vector by a vector is a matrix (as before), of a scalar by anything its gradient', () => {
    const v = VVar('v', 3);
    const env = new Map([['v', values(3)]]);
    const J = jacobian(sin(v).mul(v.sum()), v);
    expectTypeOf(J).toEqualTypeOf<MFun<3, 3, 'v'>>();
    expectClose(flat(J, env), numericalJacobian(sin(v).mul(v.sum()).node, env, 'v'), 1e-8);
    const g = jacobian(v.dot(v), v);
    expectTypeOf(g).toEqualTypeOf<VFun<3, 'v'>>();
    expect(g.eval({ v: [1, 2, 3] })).toEqual([2, 4, 6]);
  });
});

describe('Hessians at any rank', () => {
  it('of a vector function is rank 3: one symmetric Hessian per element, matching differences of the Jacobian', () => {
    const v = VVar('v', 3);
    const F = Vec(v.get(0).mul(v.get(1)).mul(v.get(2)), sin(v.get(0).mul(v.get(2))));
    const env = new Map([['v', values(3)]]);
    const H = hessian(F, v);
    expectTypeOf(H).toEqualTypeOf<TFun<[2, 3, 3], 'v'>>();
    expect(H.node.shape).toEqual([2, 3, 3]);
    const h = flat(H, env);
    expectClose(h, numericalJacobian(jacobian(F, v).node, env, 'v'), 1e-7);
    for (let m = 0; m < 2; m++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(h[(m * 3 + i) * 3 + j]).toBe(h[(m * 3 + j) * 3 + i]);
  });

  it('of a scalar by a matrix is rank 4 and exactly symmetric in its two pairs of axes', () => {
    const W = MVar('W', 2, 2), u = VVar('u', 2);
    const f = matmul(W, u).logsumexp().add(W.mul(W).sum().mul(0.5));
    const env = new Map([['W', values(4)], ['u', values(2)]]);
    const H = hessian(f, W);
    expectTypeOf(H).toEqualTypeOf<TFun<[2, 2, 2, 2], 'W' | 'u'>>();
    const h = flat(H, env);
    expectClose(h, numericalJacobian(grad(f, W).node, env, 'W'), 1e-7);
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) expect(h[a * 4 + b]).toBe(h[b * 4 + a]);
  });
});

describe('gradients and derivatives of tensors of rank 3', () => {
  it('grad by a rank-3 variable has its shape and matches central differences', () => {
    const T = TVar('G', [2, 3, 2]);
    const loss = sin(T).mul(T).logsumexp([0, 2]);
    const scalar = loss.sum();
    const env = new Map([['G', values(12)]]);
    const g = grad(scalar, T);
    expectTypeOf(g).toEqualTypeOf<TFun<[2, 3, 2], 'G'>>();
    expect(g.node.shape).toEqual([2, 3, 2]);
    expectClose(flat(g, env), numericalJacobian(scalar.node, env, 'G'), 1e-8);
  });

  it('d to third order of a rank-3 function of a scalar, elementwise, matches differences of the second', () => {
    const x = Var('x');
    const X = x.node;
    const elements = [X, apply('mul', [X, X]), apply('pow', [X, apply('add', [X, X])]), apply('exp', [X]), apply('cos', [X]), apply('ln', [apply('add', [X, X])])];
    const T = wrap(apply('mul', [apply('broadcast', [apply('sin', [X])], [2, 1, 3]), apply('pack', elements, [2, 1, 3])]), [x]) as TFun<[2, 1, 3], 'x'>;
    const env = new Map([['x', Float64Array.of(0.7)]]);
    const second = d(T, x, x);
    const third = d(T, x, x, x);
    expectTypeOf(third).toEqualTypeOf<TFun<[2, 1, 3], 'x'>>();
    expect(third.node.shape).toEqual([2, 1, 3]);
    expectClose(flat(third, env), numericalJacobian(second.node, env, 'x'), 1e-6);
  });
});

describe('operators by a list of variables take those variables', () => {
  const x = Var('x'), y = Var('y'), z = Var('z');
  it('curl of (−y, x, 0) by [x, y, z] is a function of x, y and z, evaluated and compiled', () => {
    const c = curl(Vec(y.neg(), x, 0), [x, y, z]);
    expectTypeOf(c).toEqualTypeOf<VFun<3, 'x' | 'y' | 'z'>>();
    expect(c.eval({ x: 1, y: 2, z: 3 })).toEqual([0, 0, 2]);
    expect(Array.from(compile(c)({ x: 1, y: 2, z: 3 }))).toEqual([0, 0, 2]);
    expect(c.variables).toEqual(['x', 'y', 'z']);
  });
  it('jacobian, hessian, laplacian and divergence too', () => {
    expect(jacobian(Vec(x, x.mul(2)), [x, z]).variables).toEqual(['x', 'z']);
    expect(hessian(x.mul(x), [x, y]).variables).toEqual(['x', 'y']);
    expect(laplacian(x.mul(x), [x, y]).variables).toEqual(['x', 'y']);
    expect(divergence(Vec(x, x), [x, y]).variables).toEqual(['x', 'y']);
    expect(hessian(x.mul(x), [x, y]).eval({ x: 1, y: 5 })).toEqual([[2, 0], [0, 0]]);
  });
  it('a variable listed twice is a TypegradError naming it', () => {
    expect(() => jacobian(Vec(x, y), [x, x])).toThrow(/the variable 'x' is listed twice/);
  });
});

// Keep the SFun type in use for the type assertions above.
export type _Scalar = SFun<'x'>;
