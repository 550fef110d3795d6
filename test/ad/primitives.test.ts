/** Every primitive: its value against Math, its derivative against central finite differences. */
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { elementwisePrimitives, primitives } from '../../src/ad/primitives/index.js';
import { close } from '../support/expressions.js';

const x = tg.Var('x');
const y = tg.Var('y');
type Unary = (a: tg.Scalar<'x'>) => tg.SFun<'x'>;
const fn = (name: string) => (tg as unknown as Record<string, Unary>)[name]!;

/** name → reference value and sample points inside the domain (away from kinks). */
const unary: Record<string, [(a: number) => number, number[]]> = {
  sin: [Math.sin, [-2, 0.3, 1.7]],
  cos: [Math.cos, [-2, 0.3, 1.7]],
  tan: [Math.tan, [-1.2, 0.3, 1.1]],
  asin: [Math.asin, [-0.9, 0.1, 0.7]],
  acos: [Math.acos, [-0.9, 0.1, 0.7]],
  atan: [Math.atan, [-3, 0.3, 5]],
  sinh: [Math.sinh, [-2, 0.3, 1.7]],
  cosh: [Math.cosh, [-2, 0.3, 1.7]],
  tanh: [Math.tanh, [-2, 0.3, 1.7]],
  exp: [Math.exp, [-2, 0.3, 1.7]],
  ln: [Math.log, [0.2, 1, 7]],
  sqrt: [Math.sqrt, [0.2, 1, 7]],
  cbrt: [Math.cbrt, [-8, 0.2, 7]],
  abs: [Math.abs, [-2, 0.3, 1.7]],
  sigmoid: [(a) => 1 / (1 + Math.exp(-a)), [-3, 0.3, 4]],
  softplus: [(a) => Math.log(1 + Math.exp(a)), [-3, 0.3, 4]],
  relu: [(a) => Math.max(a, 0), [-2, 0.3, 1.7]],
  sign: [Math.sign, [-2, 0.3, 1.7]],
  heaviside: [(a) => (a > 0 ? 1 : 0), [-2, 0.3, 1.7]],
  neg: [(a) => -a, [-2, 0.3, 1.7]],
};

const binary: Record<string, [(a: number, b: number) => number, [number, number][]]> = {
  add: [(a, b) => a + b, [[1, 2], [-0.5, 3]]],
  sub: [(a, b) => a - b, [[1, 2], [-0.5, 3]]],
  mul: [(a, b) => a * b, [[1.5, 2], [-0.5, 3]]],
  div: [(a, b) => a / b, [[1.5, 2], [-0.5, 3]]],
  pow: [Math.pow, [[1.5, 2], [0.5, -1.5], [2, 0.5]]],
  log: [(a, b) => Math.log(a) / Math.log(b), [[8, 2], [0.5, 10]]],
  equal: [(a, b) => (a === b ? 1 : 0), [[1.5, 2], [2, 2]]],
};

function centralDifference(f: (v: number) => number, at: number): number {
  const h = 1e-6 * Math.max(1, Math.abs(at));
  return (f(at + h) - f(at - h)) / (2 * h);
}

describe('the primitive table', () => {
  it('has a record for every exported scalar function, and every record is tested here', () => {
    const tested = new Set([...Object.keys(unary), ...Object.keys(binary)]);
    expect(new Set(Object.keys(elementwisePrimitives))).toEqual(tested); // tensor primitives: test/ad/tensor-primitives.test.ts
  });
});

describe.each(Object.entries(unary))('%s', (name, [reference, points]) => {
  const f = fn(name)(x);
  it.each(points)('value at %d', (p) => {
    expect(close(f.eval({ x: p }), reference(p), 1e-15)).toBe(true);
  });
  it.each(points)('derivative at %d equals the central difference', (p) => {
    expect(close(tg.d(f, x).eval({ x: p }), centralDifference(reference, p), 1e-6)).toBe(true);
  });
  it.each(points)('second derivative at %d equals the central difference of the first', (p) => {
    const first = tg.d(f, x);
    expect(close(tg.d(f, x, x).eval({ x: p }), centralDifference((v) => first.eval({ x: v }), p), 1e-5)).toBe(true);
  });
});

describe.each(Object.entries(binary))('%s', (name, [reference, points]) => {
  const f = (tg as unknown as Record<string, (a: unknown, b: unknown) => tg.SFun<'x' | 'y'>>)[name]!(x, y);
  it.each(points)('value at (%d, %d)', (a, b) => {
    expect(close(f.eval({ x: a, y: b }), reference(a, b), 1e-15)).toBe(true);
  });
  it.each(points)('partial derivatives at (%d, %d) equal central differences', (a, b) => {
    const g = tg.grad(f);
    expect(close(g.x.eval({ x: a, y: b }), centralDifference((v) => reference(v, b), a), 1e-6)).toBe(true);
    expect(close(g.y.eval({ x: a, y: b }), centralDifference((v) => reference(a, v), b), 1e-6)).toBe(true);
  });
});

describe('conventions at non-differentiable points', () => {
  it("relu′(0) = 0 and abs′(0) = 0", () => {
    expect(tg.d(tg.relu(x), x).eval({ x: 0 })).toBe(0);
    expect(tg.d(tg.abs(x), x).eval({ x: 0 })).toBe(0);
    expect(tg.d(tg.relu(x), x).eval({ x: 1e-300 })).toBe(1);
    expect(tg.d(tg.abs(x), x).eval({ x: -2 })).toBe(-1);
  });
  it('the derivatives of sign and heaviside are 0', () => {
    expect(String(tg.d(tg.sign(x), x))).toBe('0');
    expect(String(tg.d(tg.heaviside(x), x))).toBe('0');
  });
  it('documents its convention in the record', () => {
    expect(primitives.relu.convention).toMatch(/relu′\(0\) = 0/);
    expect(primitives.abs.convention).toMatch(/abs′\(0\) = sign\(0\) = 0/);
  });
});

describe('numerics follow IEEE like Math', () => {
  it('1/0 is Infinity, ln(−1) is NaN, sqrt(−1) is NaN', () => {
    expect(tg.div(1, x).eval({ x: 0 })).toBe(Infinity);
    expect(tg.ln(x).eval({ x: -1 })).toBeNaN();
    expect(tg.sqrt(-1).eval()).toBeNaN();
  });
  it('sigmoid and softplus do not overflow', () => {
    expect(tg.sigmoid(x).eval({ x: -1000 })).toBe(0);
    expect(tg.sigmoid(x).eval({ x: 1000 })).toBe(1);
    expect(tg.softplus(x).eval({ x: 1000 })).toBe(1000);
    expect(tg.softplus(x).eval({ x: -1000 })).toBe(0);
    expect(tg.softplus(x).eval({ x: -40 })).toBeCloseTo(Math.exp(-40), 30);
  });
});

describe('pow', () => {
  it('with a constant exponent does not differentiate the exponent (no ln of the base)', () => {
    expect(String(tg.d(x.pow(3), x))).toBe('3 * x ^ 2');
    expect(tg.d(x.pow(3), x).eval({ x: -2 })).toBe(12);
  });
  it('with a symbolic exponent: d(x^y)/dy = x^y · ln x', () => {
    expect(tg.d(x.pow(y), y).node).toBe(x.pow(y).mul(tg.ln(x)).node); // interned: the same node
  });
});
