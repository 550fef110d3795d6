/** solveLinear: exact rationals by Bareiss elimination, symbolic coefficients, and the failures. */
import { describe, expect, it } from 'vitest';
import { eq, solveLinear, Var, type SFun } from '../../../src/index.js';
import { typegradErrorOf } from '../../support/errors.js';

const x = Var('x'), y = Var('y'), z = Var('z'), a = Var('a');

const errorOf = (f: () => unknown): string => typegradErrorOf(f).message;

describe('solveLinear', () => {
  it('3x + 4y = 100, x − y = 20 → x = 180/7, y = 40/7, exactly', () => {
    const s = solveLinear([eq(x.mul(3).add(y.mul(4)), 100), eq(x.sub(y), 20)], [x, y]);
    expect(String(s.x)).toBe('180 / 7');
    expect(String(s.y)).toBe('40 / 7');
    expect(s.x.eval()).toBe(180 / 7);
  });
  it('solves 3×3 systems that need a row swap', () => {
    const s = solveLinear([eq(y.add(z), 5), eq(x.add(y).add(z), 6), eq(x.mul(2).sub(y).add(z.mul(3)), 9)], [x, y, z]);
    expect([s.x, s.y, s.z].map(String)).toEqual(['1', '2', '3']);
  });
  it('keeps exact fractions through elimination (Hilbert matrix)', () => {
    const h = (i: number, j: number) => 1 / (i + j + 1);
    const vars: SFun<'x' | 'y' | 'z'>[] = [x, y, z];
    const eqs = [0, 1, 2].map((i) => eq(vars.map((v, j) => v.mul(h(i, j))).reduce((p, q) => p.add(q)), 1));
    const s = solveLinear(eqs, vars);
    expect([s.x, s.y, s.z].map(String)).toEqual(['3', '-24', '30']);
  });
  it('solves with symbolic coefficients, keeping the parameters in the type', () => {
    const s = solveLinear([eq(a.mul(x).add(y), 1), eq(x.sub(y), 0)], [x, y]);
    const sx: SFun<'a'> = s.x;
    expect(sx.eval({ a: 3 })).toBeCloseTo(0.25, 14);
    expect(s.y.eval({ a: 3 })).toBeCloseTo(0.25, 14);
  });
  it('reports inconsistent, singular and non-linear systems', () => {
    expect(errorOf(() => solveLinear([eq(x.add(y), 1), eq(x.add(y), 2)], [x, y]))).toMatch(/inconsistent.*0 = /);
    expect(errorOf(() => solveLinear([eq(x.add(y), 1), eq(x.mul(2).add(y.mul(2)), 2)], [x, y]))).toMatch(/singular \(rank 1 for 2 variables\).*does not determine y/);
    expect(errorOf(() => solveLinear([eq(x.mul(y), 1), eq(x, 2)], [x, y]))).toMatch(/equation 1 \(.*\) is not linear in x, y/);
    expect(errorOf(() => solveLinear([], [x]))).toMatch(/non-empty array of equations/);
  });
});
