/**
 * solve on random equations built from known roots: polynomials from linear and quadratic
 * factors, rational equations with cancelling factors, exponentials. solve returns exactly the
 * roots: none missing, none extra, exact, never merged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Const, eq, pow, solve, Var, type SFun } from '../../../src/index.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300) / 3;
const x = Var('x');

/** A small rational p/q. */
const rational = fc.tuple(fc.integer({ min: -12, max: 12 }), fc.integer({ min: 1, max: 6 })).map(([p, q]) => p / q);
const distinct = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);

describe('solve: polynomials from their roots', () => {
  it('returns exactly the distinct rational roots of c·Π(x − rᵢ)^mᵢ, exact', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rational, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 9 }).chain((c) => fc.constantFrom(c, -c)),
        (factors, c) => {
          const f = factors.reduce<SFun<'x'>>((p, [r, m]) => p.mul(x.sub(r).pow(m)), Const(c));
          const s = solve(f, x);
          expect(s.roots.map((r) => r.eval()), String(f)).toEqual(distinct(factors.map(([r]) => r)));
          expect(s.approximate.every((a) => !a)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
  it('adds no root for a factor x² + k (k > 0), and ±√k for x² − k', () => {
    fc.assert(
      fc.property(rational, fc.integer({ min: 1, max: 30 }), fc.boolean(), (r, k, positive) => {
        const f = x.sub(r).mul(positive ? x.pow(2).add(k) : x.pow(2).sub(k));
        const expected = positive ? [r] : distinct([r, Math.sqrt(k), -Math.sqrt(k)]);
        const values = solve(f, x).roots.map((root) => root.eval());
        expect(values.length, String(f)).toBe(expected.length);
        values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('solve: rational equations', () => {
  it('a/(x − s) = b/(x − t) has the one root (a·t − b·s)/(a − b), unless that is s or t', () => {
    const small = fc.integer({ min: -9, max: 9 });
    fc.assert(
      fc.property(small, small, small, small, (a, b, s, t) => {
        fc.pre(a !== b && s !== t && a !== 0 && b !== 0);
        const root = (a * t - b * s) / (a - b);
        const values = solve(eq(Const(a).div(x.sub(s)), Const(b).div(x.sub(t))), x).roots.map((r) => r.eval());
        expect(values).toEqual(root === s || root === t ? [] : [expect.closeTo(root, 12)]);
      }),
      { numRuns: RUNS },
    );
  });
  it('a factor that cancels is no root: (x − r)(x − t)/(x − t) = 0 → {r}', () => {
    fc.assert(
      fc.property(rational, rational, (r, t) => {
        fc.pre(r !== t);
        expect(solve(x.sub(r).mul(x.sub(t)).div(x.sub(t)), x).roots.map((v) => v.eval())).toEqual([r]);
        // The same with the factor spread over a sum: (x − r)(x − t)/((x − t)(1 + (x − t)²)).
        const f = x.sub(r).mul(x.sub(t)).div(x.sub(t).mul(x.sub(t).pow(2).add(1)));
        expect(solve(f, x).roots.map((v) => v.eval())).toEqual([r]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('solve: exponentials from their roots', () => {
  it('b^(2x) − (b^r + b^s)·b^x + b^(r+s) = 0 → {r, s}', () => {
    fc.assert(
      fc.property(fc.constantFrom(2, 3, 4, 10), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), (b, r, s) => {
        // Each coefficient as one correctly rounded division, so that it is the double nearest
        // to the rational (3 ** -6 is not: it is 1/729 plus an ulp, whose equation has no root).
        const low = Math.min(r, s, 0);
        const f = pow(b, x.mul(2)).sub(pow(b, x).mul((b ** (r - low) + b ** (s - low)) / b ** -low)).add(b ** (r + s - 2 * low) / b ** (-2 * low));
        const values = solve(f, x).roots.map((v) => v.eval());
        expect(values).toEqual(distinct([r, s]).map((v) => expect.closeTo(v, 12)));
      }),
      { numRuns: RUNS },
    );
  });
});
