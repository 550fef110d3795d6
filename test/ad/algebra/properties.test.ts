/**
 * simplify, expand, factor, cancel and together never change a value where the original is
 * defined, reach a normal form, and stay within a stated size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cancel, expand, factor, simplify, size, together } from '../../../src/index.js';
import { algebraTree, point, sameValue } from '../../support/algebra-trees.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const trees = algebraTree(4);

describe.each([
  ['simplify', simplify],
  ['expand', expand],
  ['factor', factor],
  ['cancel', cancel],
  ['together', together],
] as const)('%s on random expressions', (_name, transform) => {
  it('keeps the value at random points', () => {
    fc.assert(
      fc.property(trees, fc.array(point, { minLength: 3, maxLength: 3 }), (f, points) => {
        const g = transform(f);
        for (const p of points) expect(sameValue(f, g, p), `${f}  →  ${g} at ${JSON.stringify(p)}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
  it('is idempotent', () => {
    fc.assert(
      fc.property(trees, (f) => {
        const g = transform(f);
        expect(transform(g).node, `${f} → ${g} → ${transform(g)}`).toBe(g.node);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('size', () => {
  it('simplify never returns a larger form of a sum or product; the whole grows by at most half (exact fractions: 0.5 is 1 / 2)', () => {
    // Measured worst over 12,000 random expressions: 1.33 times.
    fc.assert(
      fc.property(trees, (f) => {
        expect(size(simplify(f)), `${f} → ${simplify(f)}`).toBeLessThanOrEqual(1.5 * size(f));
      }),
      { numRuns: RUNS },
    );
  });
  it('cancel and together grow only by expanding powers of sums: at most 12 times on these expressions', () => {
    // An expanded form is inherently larger: (1 + y)^9 has ten terms (7.6 times); the measured
    // worst over 10,000 random expressions is that one.
    fc.assert(
      fc.property(trees, (f) => {
        expect(size(cancel(f)), `${f} → ${cancel(f)}`).toBeLessThanOrEqual(12 * size(f));
        expect(size(together(f)), `${f} → ${together(f)}`).toBeLessThanOrEqual(12 * size(f));
      }),
      { numRuns: RUNS },
    );
  });
});
