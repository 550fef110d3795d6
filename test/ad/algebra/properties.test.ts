/** simplify, expand, factor and optimize never change a value where the original is defined. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expand, factor, simplify } from '../../../src/index.js';
import { algebraTree, point, sameValue } from '../../support/algebra-trees.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const trees = algebraTree(4);

describe.each([
  ['simplify', simplify],
  ['expand', expand],
  ['factor', factor],
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
