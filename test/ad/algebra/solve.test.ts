/** solve: each strategy, exact results, verification by substitution, false roots dropped. */
import { describe, expect, it } from 'vitest';
import { cos, eq, exp, ln, sin, solve, sqrt, Var, type SFun } from '../../../src/index.js';
import { typegradErrorOf } from '../../support/errors.js';

const x = Var('x'), a = Var('a'), b = Var('b');
const texts = (roots: readonly SFun<string>[]) => roots.map(String);
const values = (roots: readonly SFun<never>[]) => roots.map((r) => r.eval());

/** Every root makes the equation hold (at the root; symbolic roots at sample parameter values). */
function verified(f: SFun<'x'>, roots: readonly SFun<never>[]): void {
  for (const r of roots) expect(Math.abs(f.eval({ x: r.eval() })), `${f} at ${r}`).toBeLessThan(1e-9);
}

describe('solve: polynomials', () => {
  it('x⁴ − x² = 0 → {−1, 0, 1}', () => {
    const f = x.pow(4).sub(x.pow(2));
    const roots = solve(f, x);
    expect(texts(roots)).toEqual(['-1', '0', '1']);
    verified(f, roots);
  });
  it('finds rational roots and lowers the degree: x³ − 6x² + 11x − 6 → {1, 2, 3}', () => {
    expect(texts(solve(x.pow(3).sub(x.pow(2).mul(6)).add(x.mul(11)).sub(6), x))).toEqual(['1', '2', '3']);
  });
  it('keeps rational roots exact: 2x² + 3x − 5 → {−5/2, 1}', () => {
    expect(texts(solve(x.pow(2).mul(2).add(x.mul(3)).sub(5), x))).toEqual(['-5 / 2', '1']);
  });
  it('gives irrational roots exactly: x² − 2 → {−√2, √2}; x² − 3x + 1', () => {
    expect(texts(solve(x.pow(2).sub(2), x))).toEqual(['-sqrt(2)', 'sqrt(2)']);
    const f = x.pow(2).sub(x.mul(3)).add(1);
    const roots = solve(f, x);
    expect(values(roots)).toEqual([(3 - Math.sqrt(5)) / 2, (3 + Math.sqrt(5)) / 2].map((v) => expect.closeTo(v, 14)));
    verified(f, roots);
  });
  it('has no real roots for x² + 1', () => {
    expect(solve(x.pow(2).add(1), x)).toEqual([]);
  });
  it('solves in u = x² a polynomial in x² only: x⁴ − 5x² + 4, x⁴ − 4', () => {
    expect(texts(solve(x.pow(4).sub(x.pow(2).mul(5)).add(4), x))).toEqual(['-2', '-1', '1', '2']);
    expect(values(solve(x.pow(4).sub(4), x))).toEqual([-Math.SQRT2, Math.SQRT2].map((v) => expect.closeTo(v, 14)));
  });
  it('solves products factor by factor: (x − 1)(x + 2)', () => {
    expect(texts(solve(x.sub(1).mul(x.add(2)), x))).toEqual(['-2', '1']);
  });
  it('solves with symbolic coefficients: a·x + b = 0 → −b/a, keeping the other variables in the type', () => {
    const roots = solve(a.mul(x).add(b), x);
    expect(roots).toHaveLength(1);
    const root: SFun<'a' | 'b'> = roots[0]!;
    expect(root.eval({ a: 2, b: 3 })).toBe(-1.5);
  });
});

describe('solve: other strategies', () => {
  it('isolates a single x by inverting: exp(x) = 5, ln x = 2, sin x = 1/2, sqrt(x + 1) = 3', () => {
    expect(texts(solve(eq(exp(x), 5), x))).toEqual(['ln(5)']);
    expect(texts(solve(eq(ln(x), 2), x))).toEqual(['exp(2)']);
    expect(texts(solve(eq(sin(x), 0.5), x))).toEqual(['asin(1 / 2)']);
    expect(texts(solve(eq(sqrt(x.add(1)), 3), x))).toEqual(['8']);
  });
  it('substitutes u = eˣ: e^(2x) − 3eˣ + 2 = 0 → {0, ln 2}', () => {
    const f = exp(x.mul(2)).sub(exp(x).mul(3)).add(2);
    const roots = solve(f, x);
    expect(texts(roots)).toEqual(['0', 'ln(2)']);
    verified(f, roots);
  });
  it('substitutes u = eˣ with negative powers: eˣ + e⁻ˣ = 5/2 → {−ln 2, ln 2}', () => {
    const roots = solve(eq(exp(x).add(exp(x.neg())), 2.5), x);
    expect(values(roots)).toEqual([-Math.LN2, Math.LN2].map((v) => expect.closeTo(v, 14)));
  });
  it('substitutes a repeated subexpression: sin²x − sin x = 0 → {0, π/2}', () => {
    expect(values(solve(sin(x).pow(2).sub(sin(x)), x))).toEqual([0, Math.PI / 2]);
  });
  it('clears denominators: x + 1/x = 5/2 → {1/2, 2}', () => {
    expect(texts(solve(eq(x.add(x.pow(-1)), 2.5), x))).toEqual(['1 / 2', '2']);
  });
  it('squares a root and drops the false root: sqrt(x) = x − 2 → {4} (not 1)', () => {
    expect(texts(solve(eq(sqrt(x), x.sub(2)), x))).toEqual(['4']);
  });
  it('drops candidates where the equation is undefined: ln(x) + ln(x − 3) = ln 4 → {4}', () => {
    expect(values(solve(eq(ln(x).add(ln(x.sub(3))), ln(4)), x))).toEqual([expect.closeTo(4, 12)]);
  });
});

describe('solve: errors', () => {
  const errorOf = (f: () => unknown): string => typegradErrorOf(f).message;
  it('names the equation when no strategy applies', () => {
    expect(errorOf(() => solve(x.mul(cos(x)).sub(1), x))).toMatch(/cannot solve x \* cos\(x\) - 1 = 0 for x/);
  });
  it('says when every x solves it', () => {
    expect(errorOf(() => solve(eq(x.add(1), x.add(1)), x))).toMatch(/holds for every x/);
  });
  it('rejects a non-variable', () => {
    expect(errorOf(() => solve(x, x.add(1) as never))).toMatch(/solve: expected a variable/);
  });
});
