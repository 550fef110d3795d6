/** solve: each strategy, exact results, and the forms of the result (roots, families, every x). */
import { describe, expect, it } from 'vitest';
import {
  abs, asin, cbrt, Const, cos, cosh, eq, exp, ln, log, pi, pow, sin, sinh, solve, sqrt, tan, Var, type SFun, type Solutions,
} from '../../../src/index.js';
import { typegradErrorOf } from '../../support/errors.js';

const x = Var('x'), a = Var('a'), b = Var('b');
const texts = (s: Solutions<string>) => s.roots.map(String);
const values = (s: Solutions<never>) => s.roots.map((r) => r.eval());

/** Every root makes the equation hold (at the root). */
function verified(f: SFun<'x'>, s: Solutions<never>): void {
  for (const r of s.roots) expect(Math.abs(f.eval({ x: r.eval() })), `${f} at ${r}`).toBeLessThan(1e-9);
}

describe('solve: polynomials', () => {
  it('x⁴ − x² = 0 → {−1, 0, 1}', () => {
    const f = x.pow(4).sub(x.pow(2));
    const s = solve(f, x);
    expect(texts(s)).toEqual(['-1', '0', '1']);
    expect(String(s)).toBe('{-1, 0, 1}');
    verified(f, s);
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
    const s = solve(f, x);
    expect(texts(s)).toEqual(['3 / 2 - sqrt(5) / 2', '3 / 2 + sqrt(5) / 2']);
    expect(values(s)).toEqual([(3 - Math.sqrt(5)) / 2, (3 + Math.sqrt(5)) / 2].map((v) => expect.closeTo(v, 14)));
    verified(f, s);
  });
  it('has no real roots for x² + 1 (an empty set, not a failure)', () => {
    const s = solve(x.pow(2).add(1), x);
    expect(s.roots).toEqual([]);
    expect(s.families).toEqual([]);
    expect(s.all).toBe(false);
    expect(String(s)).toBe('{}');
  });
  it('solves in u = x² a polynomial in x² only: x⁴ − 5x² + 4, x⁴ − 4', () => {
    expect(texts(solve(x.pow(4).sub(x.pow(2).mul(5)).add(4), x))).toEqual(['-2', '-1', '1', '2']);
    expect(texts(solve(x.pow(4).sub(4), x))).toEqual(['-sqrt(2)', 'sqrt(2)']);
  });
  it('finds a repeated root once: (x − 1)²(x − 2)', () => {
    expect(texts(solve(x.sub(1).pow(2).mul(x.sub(2)), x))).toEqual(['1', '2']);
  });
  it('solves products factor by factor: (x − 1)(x + 2)', () => {
    expect(texts(solve(x.sub(1).mul(x.add(2)), x))).toEqual(['-2', '1']);
  });
  it('solves with symbolic coefficients: a·x + b = 0 → −b/a, keeping the other variables in the type', () => {
    const s = solve(a.mul(x).add(b), x);
    expect(s.roots).toHaveLength(1);
    const root: SFun<'a' | 'b'> = s.roots[0]!;
    expect(root.eval({ a: 2, b: 3 })).toBe(-1.5);
  });
  it('marks numeric roots of a polynomial without exact roots as approximate: x⁵ − x − 1', () => {
    const s = solve(x.pow(5).sub(x).sub(1), x);
    expect(s.approximate).toEqual([true]);
    expect(String(s)).toBe('{≈1.1673039782614187}');
    expect(s.roots[0]!.eval()).toBe(1.1673039782614187);
  });
  it('keeps exact and approximate roots apart in one answer: x·(x³ − 2x − 5)', () => {
    const s = solve(x.mul(x.pow(3).sub(x.mul(2)).sub(5)), x);
    expect(texts(s)).toEqual(['0', '2.0945514815423265']);
    expect(s.approximate).toEqual([false, true]);
  });
});

describe('solve: one atom, inverted', () => {
  it('exp(x) = 5, ln x = 2, sqrt(x + 1) = 3', () => {
    expect(texts(solve(eq(exp(x), 5), x))).toEqual(['ln(5)']);
    expect(texts(solve(eq(ln(x), 2), x))).toEqual(['exp(2)']);
    expect(texts(solve(eq(sqrt(x.add(1)), 3), x))).toEqual(['8']);
  });
  it('substitutes u = eˣ: e^(2x) − 3eˣ + 2 = 0 → {0, ln 2}', () => {
    const f = exp(x.mul(2)).sub(exp(x).mul(3)).add(2);
    const s = solve(f, x);
    expect(texts(s)).toEqual(['0', 'ln(2)']);
    verified(f, s);
  });
  it('substitutes u = eˣ with negative powers: eˣ + e⁻ˣ = 5/2 → {−ln 2, ln 2}', () => {
    expect(values(solve(eq(exp(x).add(exp(x.neg())), 2.5), x))).toEqual([-Math.LN2, Math.LN2].map((v) => expect.closeTo(v, 14)));
  });
  it('ln(ln x) = 1 → e^e; log(x, 2) = 3 → 8', () => {
    expect(texts(solve(eq(ln(ln(x)), 1), x))).toEqual(['exp(exp(1))']);
    expect(texts(solve(eq(log(x, 2), 3), x))).toEqual(['8']);
  });
});

describe('solve: periodic families', () => {
  it('sin x = 0 is x = k·π, listed in an interval', () => {
    const s = solve(sin(x), x);
    expect(s.roots).toEqual([]);
    expect(String(s)).toBe('{pi * k : k ∈ ℤ}');
    expect(s.within(-4, 4)).toEqual([-Math.PI, 0, Math.PI]);
    expect(String(s.families[0]!.at(2))).toBe('2 * pi');
  });
  it('sin x = 1/2 gives both principal branches plus 2kπ, with exact special values', () => {
    const s = solve(eq(sin(x), 0.5), x);
    expect(String(s)).toBe('{pi / 6 + 2 * pi * k, 5 * pi / 6 + 2 * pi * k : k ∈ ℤ}');
    expect(s.within(0, 7)).toEqual([Math.PI / 6, (5 * Math.PI) / 6, Math.PI / 6 + 2 * Math.PI].map((v) => expect.closeTo(v, 14)));
  });
  it('cos x = c gives ±acos c + 2kπ; tan x = 1 gives π/4 + kπ; sin(2x) = 1 gives π/4 + kπ', () => {
    expect(String(solve(eq(cos(x), 0.3), x))).toBe('{-acos(3 / 10) + 2 * pi * k, acos(3 / 10) + 2 * pi * k : k ∈ ℤ}');
    expect(String(solve(eq(tan(x), 1), x))).toBe('{pi / 4 + pi * k : k ∈ ℤ}');
    expect(String(solve(eq(sin(x.mul(2)), 1), x))).toBe('{pi / 4 + pi * k : k ∈ ℤ}');
  });
  it('sin x = 2 has no solution', () => {
    expect(String(solve(eq(sin(x), 2), x))).toBe('{}');
  });
  it('reduces sin/cos equations to a polynomial in one function: sin x = cos x, 2cos²x + sin x = 1', () => {
    expect(String(solve(eq(sin(x), cos(x)), x))).toBe('{pi / 4 + pi * k : k ∈ ℤ}');
    const s = solve(eq(cos(x).pow(2).mul(2).add(sin(x)), 1), x);
    expect(s.within(0, 2 * Math.PI - 1e-9)).toEqual([Math.PI / 2, (7 * Math.PI) / 6, (11 * Math.PI) / 6].map((v) => expect.closeTo(v, 13)));
  });
  it('merges families spaced evenly: cos 2x = cos x → {2kπ/3}; sin 4x = 0 → {kπ/4}; 2sin²x = 1 → {π/4 + kπ/2}', () => {
    expect(String(solve(eq(cos(x.mul(2)), cos(x)), x))).toBe('{2 * pi / 3 * k : k ∈ ℤ}');
    expect(String(solve(sin(x.mul(4)), x))).toBe('{pi / 4 * k : k ∈ ℤ}');
    expect(String(solve(sin(x).pow(2).mul(2).sub(1), x))).toBe('{pi / 4 + pi / 2 * k : k ∈ ℤ}');
  });
  it('a periodic factor of a product gives a family when the rest is defined everywhere: sin x·(x − 1) = 0', () => {
    expect(String(solve(sin(x).mul(x.sub(1)), x))).toBe('{1, pi * k : k ∈ ℤ}');
  });
  it('sin²x − sin x = 0 → {kπ, π/2 + 2kπ}', () => {
    expect(String(solve(sin(x).pow(2).sub(sin(x)), x))).toBe('{pi * k, pi / 2 + 2 * pi * k : k ∈ ℤ}');
  });
});

describe('solve: several atoms', () => {
  it('exponentials of any base, with shifted exponents: 2^(2x) − 5·2^(x+1) + 16 = 0 → {1, 3}', () => {
    expect(texts(solve(pow(2, x.mul(2)).sub(pow(2, x.add(1)).mul(5)).add(16), x))).toEqual(['1', '3']);
  });
  it('exponentials of bases that are powers of one base: 4^x − 2^(x+1) = 0 → {1}', () => {
    expect(texts(solve(pow(4, x).sub(pow(2, x.add(1))), x))).toEqual(['1']);
  });
  it('sums of logarithms, dropping the false root: ln(x − 2) + ln(2x − 3) = 2 ln x → {6}', () => {
    expect(texts(solve(eq(ln(x.sub(2)).add(ln(x.mul(2).sub(3))), ln(x).mul(2)), x))).toEqual(['6']);
    expect(values(solve(eq(ln(x).add(ln(x.sub(3))), ln(4)), x))).toEqual([4]);
  });
  it('several square roots by isolating and squaring: √(x−3) + √x = 3 → {4}; √(2x−1) − √(x−4) = 2 → {5, 13}', () => {
    expect(texts(solve(eq(sqrt(x.sub(3)).add(sqrt(x)), 3), x))).toEqual(['4']);
    expect(texts(solve(eq(sqrt(x.mul(2).sub(1)).sub(sqrt(x.sub(4))), 2), x))).toEqual(['5', '13']);
    expect(texts(solve(eq(sqrt(x), x.sub(2)), x))).toEqual(['4']);
  });
  it('a cube root: ∛(x + 6) = x → {2}, also written (x + 6)^(1/3)', () => {
    expect(texts(solve(eq(cbrt(x.add(6)), x), x))).toEqual(['2']);
    expect(texts(solve(eq(x.add(6).pow(1 / 3), x), x))).toEqual(['2']);
  });
  it('absolute values by cases: |2x − 1| = |4x + 3| → {−2, −1/3}; |x − 1| = 2 → {−1, 3}', () => {
    expect(texts(solve(eq(abs(x.mul(2).sub(1)), abs(x.mul(4).add(3))), x))).toEqual(['-2', '-1 / 3']);
    expect(texts(solve(eq(abs(x.sub(1)), 2), x))).toEqual(['-1', '3']);
  });
  it('hyperbolic equations as a polynomial in sinh: cosh 2x + 2 sinh x = 5', () => {
    const f = cosh(x.mul(2)).add(sinh(x).mul(2)).sub(5);
    const s = solve(f, x);
    expect(texts(s)).toEqual(['ln(sqrt(5) - 2)', 'ln(1 + sqrt(2))']);
    verified(f, s);
  });
  it('clears denominators by cancelling: x + 1/x = 5/2 → {1/2, 2}', () => {
    expect(texts(solve(eq(x.add(x.pow(-1)), 2.5), x))).toEqual(['1 / 2', '2']);
  });
});

describe('solve: every x', () => {
  it('reports an identity as all, with the points where it is undefined', () => {
    const s = solve(eq(x.add(1), x.add(1)), x);
    expect(s.all).toBe(true);
    expect(String(s)).toBe('every x');
    const t = solve(eq(x.pow(2).sub(1).div(x.sub(1)), x.add(1)), x);
    expect(t.all).toBe(true);
    expect(t.excluded.map(String)).toEqual(['1']);
    expect(String(t)).toBe('every x except 1');
    expect(() => t.within(0, 1)).toThrow(/every x where the equation is defined/);
  });
});

describe('solve: errors', () => {
  const errorOf = (f: () => unknown): string => typegradErrorOf(f).message;
  it('names the equation, the variable and the atoms when no strategy applies', () => {
    expect(errorOf(() => solve(x.mul(cos(x)).sub(1), x))).toMatch(/cannot solve x \* cos\(x\) - 1 = 0 for x: x occurs in x, cos\(x\), and no strategy applies/);
    expect(errorOf(() => solve(x.add(exp(x)), x))).toMatch(/cannot solve .* for x/);
  });
  it('says when periodic solutions are not a family: sin(x²) = 0; sin(x)/x = 0 (k = 0 is excluded)', () => {
    expect(errorOf(() => solve(sin(x.pow(2)), x))).toMatch(/not a periodic family in x/);
    expect(errorOf(() => solve(sin(x).div(x), x))).toMatch(/the domain of sin\(x\) \/ x .* does not repeat with that period, so some members may be excluded/);
  });
  it('roots with parameters hold for some values of them; one that is real at no sample is an error', () => {
    expect(String(solve(eq(sqrt(x), a), x))).toBe('{a ^ 2}');
    expect(String(solve(eq(exp(x), a), x))).toBe('{ln(a)}');
    expect(errorOf(() => solve(x.pow(2).add(a.pow(2)).add(1), x))).toMatch(/cannot check x = .* at any of the sample values of the parameters/);
  });
  it('a value that is not a real number is no root: eˣ + 1 = 0, asin x = 2', () => {
    expect(String(solve(exp(x).add(1), x))).toBe('{}');
    expect(String(solve(eq(asin(x), 2), x))).toBe('{}');
  });
  it('rejects a non-variable', () => {
    expect(errorOf(() => solve(x, x.add(1) as never))).toMatch(/solve: expected a variable/);
  });
  it('within needs numbers and refuses parameters', () => {
    expect(errorOf(() => solve(a.mul(x).sub(1), x).within(0, 1))).toMatch(/holds other variables/);
    expect(errorOf(() => solve(sin(x), x).within(1, 0))).toMatch(/lo ≤ hi/);
  });
  it('π is exact and prints as pi', () => {
    expect(String(pi.mul(2))).toBe('2 * pi');
    expect(String(solve(eq(x.mul(2), pi), x))).toBe('{pi / 2}');
    expect(Const(0).add(pi).eval()).toBe(Math.PI);
  });
});
