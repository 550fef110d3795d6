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
  floor: [Math.floor, [-2.5, 0.3, 1.7]],
  ceil: [Math.ceil, [-2.5, 0.3, 1.7]],
  round: [Math.round, [-2.2, 0.3, 1.7]],
  expm1: [Math.expm1, [-2, 1e-9, 1.7]],
  log1p: [Math.log1p, [-0.5, 1e-9, 1.7]],
};

/**
 * Functions without a `Math` counterpart: values from mpmath at 30 digits (within 1e−14
 * relative: the algorithms' documented accuracy), derivatives against differences of the value.
 */
const special: Record<string, [number, number][]> = {
  erf: [[-2, -0.9953222650189527], [0.3, 0.3286267594591274], [1.7, 0.9837904585907745]],
  erfc: [[-2, 1.9953222650189528], [0.3, 0.6713732405408726], [4.5, 1.9661604415428876e-10]],
  lgamma: [[-2.5, -0.056243716497674054], [0.3, 1.0957979948180756], [7.5, 7.534364236758733]],
  digamma: [[-2.5, 1.103156640645243], [0.3, -3.502524222200133], [7.5, 1.9467574842460869]],
};

/** polygamma(n, x) from mpmath: [n, x, value]. */
const polygammaValues: [number, number, number][] = [[1, -2.5, 9.539246644989124], [1, 0.3, 12.245364546107732], [2, 7.5, -0.020305252536644666], [3, 1.5, 1.4090910340024372]];

/** Three operands: [reference, points]. */
const ternary: Record<string, [(a: number, b: number, c: number) => number, [number, number, number][]]> = {
  where: [(c, a, b) => (c !== 0 ? a : b), [[1, 2, 3], [0, 2, 3], [-0.5, 1.5, -1]]],
  clip: [(x, lo, hi) => Math.min(Math.max(x, lo), hi), [[0.3, -1, 1], [-2, -1, 1], [2.5, -1, 2]]],
};

const binary: Record<string, [(a: number, b: number) => number, [number, number][]]> = {
  add: [(a, b) => a + b, [[1, 2], [-0.5, 3]]],
  sub: [(a, b) => a - b, [[1, 2], [-0.5, 3]]],
  mul: [(a, b) => a * b, [[1.5, 2], [-0.5, 3]]],
  div: [(a, b) => a / b, [[1.5, 2], [-0.5, 3]]],
  pow: [Math.pow, [[1.5, 2], [0.5, -1.5], [2, 0.5]]],
  log: [(a, b) => Math.log(a) / Math.log(b), [[8, 2], [0.5, 10]]],
  equal: [(a, b) => (a === b ? 1 : 0), [[1.5, 2], [2, 2]]],
  gt: [(a, b) => (a > b ? 1 : 0), [[1.5, 2], [2, 1.5]]],
  ge: [(a, b) => (a >= b ? 1 : 0), [[1.5, 2], [2, 1.5]]],
  lt: [(a, b) => (a < b ? 1 : 0), [[1.5, 2], [2, 1.5]]],
  le: [(a, b) => (a <= b ? 1 : 0), [[1.5, 2], [2, 1.5]]],
  ne: [(a, b) => (a !== b ? 1 : 0), [[1.5, 2], [-2, 1.5]]],
  maximum: [Math.max, [[1.5, 2], [-0.5, -3]]],
  minimum: [Math.min, [[1.5, 2], [-0.5, -3]]],
  hypot: [Math.hypot, [[1.5, 2], [-0.5, 3], [1e200, 3e200]]],
  atan2: [Math.atan2, [[1.5, 2], [0.5, -3], [-0.5, -3]]],
};

function centralDifference(f: (v: number) => number, at: number): number {
  const h = 1e-6 * Math.max(1, Math.abs(at));
  return (f(at + h) - f(at - h)) / (2 * h);
}

describe('the primitive table', () => {
  it('has a record for every exported scalar function, and every record is tested here', () => {
    const tested = new Set([...Object.keys(unary), ...Object.keys(binary), ...Object.keys(special), ...Object.keys(ternary), 'polygamma', 'stopGradient']);
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

describe.each(Object.entries(special))('%s', (name, samples) => {
  const f = fn(name)(x);
  const value = (v: number) => f.eval({ x: v });
  it.each(samples)('value at %d against mpmath', (p, expected) => {
    expect(close(value(p), expected, 1e-14), `${value(p)} vs ${expected}`).toBe(true);
  });
  it.each(samples)('derivative at %d equals the central difference of the value', (p) => {
    expect(close(tg.d(f, x).eval({ x: p }), centralDifference(value, p), 1e-6)).toBe(true);
  });
  it.each(samples)('second derivative at %d equals the central difference of the first', (p) => {
    const first = tg.d(f, x);
    expect(close(tg.d(f, x, x).eval({ x: p }), centralDifference((v) => first.eval({ x: v }), p), 1e-5)).toBe(true);
  });
});

describe('polygamma', () => {
  it.each(polygammaValues)('polygamma(%d, %d) against mpmath, and its derivative by x against differences', (n, p, expected) => {
    const f = tg.polygamma(n, x);
    expect(close(f.eval({ x: p }), expected, 1e-14)).toBe(true);
    expect(close(tg.d(f, x).eval({ x: p }), centralDifference((v) => f.eval({ x: v }), p), 1e-6)).toBe(true);
  });
  it('has order 0 as digamma, no derivative by its order, and NaN for an order that is not a natural number', () => {
    expect(String(tg.polygamma(0, x))).toBe('digamma(x)');
    expect(tg.grad(tg.polygamma(y, x)).y.eval({ x: 1, y: 1 })).toBeNaN();
    expect(tg.polygamma(1.5, x).eval({ x: 1 })).toBeNaN();
    expect(tg.polygamma(-1, x).eval({ x: 1 })).toBeNaN();
  });
});

describe.each(Object.entries(ternary))('%s', (name, [reference, points]) => {
  const z = tg.Var('z');
  const f = (tg as unknown as Record<string, (a: unknown, b: unknown, c: unknown) => tg.SFun<'x' | 'y' | 'z'>>)[name]!(x, y, z);
  it.each(points)('value at (%d, %d, %d)', (a, b, c) => {
    expect(f.eval({ x: a, y: b, z: c })).toBe(reference(a, b, c));
  });
  it.each(points)('partial derivatives at (%d, %d, %d) equal central differences', (a, b, c) => {
    const g = tg.grad(f);
    expect(close(g.x.eval({ x: a, y: b, z: c }), centralDifference((v) => reference(v, b, c), a), 1e-6)).toBe(true);
    expect(close(g.y.eval({ x: a, y: b, z: c }), centralDifference((v) => reference(a, v, c), b), 1e-6)).toBe(true);
    expect(close(g.z.eval({ x: a, y: b, z: c }), centralDifference((v) => reference(a, b, v), c), 1e-6)).toBe(true);
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
  it('floor, ceil and round have derivative 0, also at their jumps', () => {
    for (const f of [tg.floor, tg.ceil, tg.round]) {
      expect(String(tg.d(f(x), x))).toBe('0');
    }
    expect(tg.round(x).eval({ x: 2.5 })).toBe(3); // Math.round: halves towards +∞
    expect(tg.round(x).eval({ x: -2.5 })).toBe(-2);
  });
  it('maximum and minimum share the derivative at a tie (JAX), clip passes it at its bounds (TensorFlow)', () => {
    expect(tg.grad(tg.maximum(x, y)).x.eval({ x: 1, y: 1 })).toBe(0.5);
    expect(tg.grad(tg.minimum(x, y)).y.eval({ x: 1, y: 1 })).toBe(0.5);
    expect(tg.grad(tg.maximum(x, y)).x.eval({ x: 2, y: 1 })).toBe(1);
    expect(tg.d(tg.clip(x, -1, 1), x).eval({ x: 1 })).toBe(1);
    expect(tg.d(tg.clip(x, -1, 1), x).eval({ x: -1 })).toBe(1);
    expect(tg.d(tg.clip(x, -1, 1), x).eval({ x: 1.5 })).toBe(0);
  });
  it('where differentiates the chosen branch; comparisons and stopGradient differentiate to 0', () => {
    const f = tg.where(tg.gt(x, 0), x.pow(2), x.mul(-3));
    expect(tg.d(f, x).eval({ x: 2 })).toBe(4);
    expect(tg.d(f, x).eval({ x: -2 })).toBe(-3);
    expect(String(tg.d(tg.gt(x, y), x))).toBe('0');
    expect(String(tg.d(x.mul(tg.stopGradient(x)), x))).toBe('stopGradient(x)');
  });
  it('stopGradient is its operand in value, with derivative 0 at every order', () => {
    const f = tg.stopGradient(x.pow(3));
    expect(f.eval({ x: 2 })).toBe(8);
    expect(String(tg.d(f, x))).toBe('0');
    expect(String(tg.stopGradient(tg.stopGradient(x)))).toBe('stopGradient(x)');
  });
  it('hypot′ is 0 at the origin (as abs′(0))', () => {
    expect(tg.grad(tg.hypot(x, y)).x.eval({ x: 0, y: 0 })).toBe(0);
    expect(tg.grad(tg.hypot(x, y)).x.eval({ x: 3, y: 4 })).toBe(0.6);
  });
  it('documents its convention in the record', () => {
    expect(primitives.maximum.convention).toMatch(/JAX/);
    expect(primitives.clip.convention).toMatch(/TensorFlow/);
    expect(primitives.floor.convention).toMatch(/floor′ = 0/);
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
