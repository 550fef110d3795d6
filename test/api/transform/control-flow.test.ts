/**
 * Data-dependent control flow is never silently wrong. Without a point, every conversion of a Fun
 * to a number throws a TypegradError naming the variable and pointing to `where`; called at a
 * point, a traced function's comparisons are decided by the point's values, so its derivatives
 * are JAX's on both sides of every branch, and a point that flips a branch is traced again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConcretizationError } from '../../../src/api/coercion.js';
import { stagedOf } from '../../../src/api/transform/traced.js';
import {
  gt, grad, hessian, jacobian, jit, jvp, neg, sin, trace, TypegradError, valueAndGrad, Var, vjp, where, type SFun, type VFun,
} from '../../../src/index.js';
import { typegradErrorOf } from '../../support/errors.js';

/** |x| written with JavaScript's conditional, as a JAX user would. */
const absolute = (x: SFun<string>) => (+x > 0 ? x : neg(x));

const central = (f: (v: number) => number, at: number, h = 1e-6) => (f(at + h) - f(at - h)) / (2 * h);

describe('a Fun converted to a number without a point', () => {
  const x = Var('x'), y = Var('y');
  const f = y.mul(sin(x));

  it.each([
    ['a comparison (>)', () => (f as unknown as number) > 0],
    ['a comparison (<)', () => (f as unknown as number) < 0],
    ['+ with a string', () => (f as unknown as string) + ''],
    ['arithmetic', () => (f as unknown as number) * 2],
    ['Number(f)', () => Number(f)],
    ['unary +', () => +f],
    ['== with a number', () => (f as unknown as number) == 1],
  ])('%s throws a TypegradError naming the variables and pointing to where', (_what, use) => {
    const error = typegradErrorOf(use);
    expect(error).toBeInstanceOf(ConcretizationError);
    expect(error.message).toMatch(/the value of y \* sin\(x\) \(of the variables 'x', 'y'\) is not known here/);
    expect(error.message).toMatch(/where/);
  });

  it('prints for String(f) and template literals (JavaScript asks both for a string: that is printing, not a decision)', () => {
    expect(String(f)).toBe('y * sin(x)');
    expect(`${f}`).toBe('y * sin(x)');
    expect(f.toString()).toBe('y * sin(x)');
    expect([f, x].join(' | ')).toBe('y * sin(x) | x');
  });

  it('if (f) cannot be caught: JavaScript decides an object is true without asking it (so compare explicitly)', () => {
    expect(f ? 'true' : 'false').toBe('true');
  });

  it('inside trace, jit and toSource: the function cannot be compiled once, and says so', () => {
    const traced = trace(absolute);
    expect(typegradErrorOf(() => traced.expr).message).toMatch(/the value of x \(of the variable 'x'\) is not known here/);
    expect(typegradErrorOf(() => traced.toSource()).message).toMatch(/where/);
    expect(typegradErrorOf(() => jit(absolute)).message).toMatch(/where/);
    expect(typegradErrorOf(() => jit(grad(absolute))).message).toMatch(/where/);
    expect(typegradErrorOf(() => traced(Var('z'))).message).toMatch(/where/); // Funs in: no point
  });

  it('a tensor has no single number to compare', () => {
    const g = trace((v: VFun<2, string>) => (+v.sum() > 0 ? v.mul(2) : (Number(v) as never)), { shapes: { v: [2] } });
    expect(typegradErrorOf(() => g([1, -2])).message).toMatch(/v is a vector\[2\], which has no single number to compare or convert: reduce it first/);
  });

  it('a Fun of a variable that is not an input has no value at the point', () => {
    const outside = Var('outside');
    const g = trace((a) => (+a.mul(outside) > 0 ? a : neg(a)));
    expect(typegradErrorOf(() => g(1)).message).toMatch(/it depends on the variable 'outside', which is not an input of the traced function/);
  });
});

describe('called at a point, control flow follows the point', () => {
  it("grad(|x|) is 1 at 1 and −1 at −1, as JAX's eager grad", () => {
    expect(grad(absolute)(1)).toBe(1);
    expect(grad(absolute)(-1)).toBe(-1);
    expect(trace(absolute)(-3)).toBe(3);
    expect(valueAndGrad(absolute)(-2)).toEqual([2, -1]);
    expect(grad(grad(absolute))(5)).toBe(0);
  });

  it('is traced again when a later point flips a branch, and reuses a specialisation otherwise', () => {
    const df = grad(absolute);
    for (const at of [1, 2, 3.5, 10]) expect(df(at)).toBe(1);
    expect(stagedOf(df)!.specialisations()).toBe(1);
    expect(df(-1)).toBe(-1);
    expect(stagedOf(df)!.specialisations()).toBe(2);
    for (const at of [-2, 4, -7, 0.5]) expect(df(at)).toBe(Math.sign(at));
    expect(stagedOf(df)!.specialisations()).toBe(2);
  });

  it('loops whose length depends on the value unroll to the point', () => {
    // Halve until below 1: f(x) = x / 2^k with k the number of halvings at x.
    const shrink = trace((x) => {
      let y = x;
      while (+y >= 1) y = y.div(2);
      return y;
    });
    expect(shrink(5)).toBe(0.625);
    expect(grad(shrink)(5)).toBe(1 / 8);
    expect(grad(shrink)(0.5)).toBe(1);
    expect(grad(shrink)(100)).toBe(1 / 128);
  });

  it('several inputs and nested branches: derivatives against central differences away from the kinks', () => {
    const piecewise = trace((x, y) => {
      if (+x > +y) return +x > 0 ? x.mul(y).add(sin(x)) : x.sub(y.pow(2));
      return +(x.add(y)) > 1 ? x.pow(3).div(y.pow(2).add(1)) : neg(y).mul(x.add(2));
    });
    const value = (a: number, b: number) => piecewise(a, b) as number;
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (a, b) => {
        fc.pre(Math.abs(a - b) > 1e-3 && Math.abs(a) > 1e-3 && Math.abs(a + b - 1) > 1e-3);
        const [gx, gy] = grad(piecewise, { wrt: [0, 1] })(a, b) as [number, number];
        expect(gx).toBeCloseTo(central((v) => value(v, b), a), 5);
        expect(gy).toBeCloseTo(central((v) => value(a, v), b), 5);
      }),
      { numRuns: 200 },
    );
    expect(stagedOf(grad(piecewise))).toBeDefined();
  });

  it('composes: jacobian, hessian, jvp and vjp at the point', () => {
    const f = trace((x, y) => (+x > 0 ? x.mul(x).mul(y) : y.sub(x)));
    expect(hessian(f, { wrt: [0, 1] })(1, 2)).toEqual([[4, 2], [2, 0]]);
    expect(hessian(f, { wrt: [0, 1] })(-1, 2)).toEqual([[0, 0], [0, 0]]);
    expect(jacobian(f, { wrt: [0, 1] })(-1, 2)).toEqual([-1, 1]);
    expect(jvp(f, [1, 2], [1, 0])).toEqual([2, 4]);
    expect(jvp(f, [-1, 2], [1, 0])).toEqual([3, -1]);
    const [value, pullback] = vjp(f, -1, 2);
    expect([value, pullback(1)]).toEqual([3, [-1, 1]]);
  });

  it('columns run point by point, each on its branch', () => {
    const f = trace(absolute);
    expect(grad(f)(new Float64Array([-2, -1, 3]))).toEqual(new Float64Array([-1, -1, 1]));
    expect(f(new Float64Array([-2, 4]))).toEqual(new Float64Array([2, 4]));
  });

  it('where is the symbolic alternative: one expression, compiled once, the same derivatives', () => {
    const symbolic = trace((x) => where(gt(x, 0), x, neg(x)));
    expect(String(symbolic.expr)).toBe('where(gt(x, 0), x, -x)');
    const compiled = jit(grad(symbolic));
    expect([compiled(1), compiled(-1)]).toEqual([1, -1]);
    expect(TypegradError).toBeDefined();
  });
});
