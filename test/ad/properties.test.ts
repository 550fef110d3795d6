/**
 * Property tests on random expression trees over every scalar primitive: the symbolic
 * derivatives agree with hyper-dual numbers (exact forward mode, written independently in the
 * test) and with central finite differences, and build-time simplification never changes a value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, grad } from '../../src/index.js';
import { buildFun, close, evaluateDual, kinkDistance, pointArbitrary, treeArbitrary, variables, VARIABLES, type Point } from '../support/expressions.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const trees = treeArbitrary(5);

describe('random expressions', () => {
  it('evaluate to the value of the unsimplified tree (simplification never changes a value)', () => {
    fc.assert(
      fc.property(trees, pointArbitrary, (tree, point) => {
        const expected = evaluateDual(tree, point).v;
        const actual = buildFun(tree).eval(point);
        expect(close(actual, expected, 1e-12), `${actual} vs ${expected}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('d(f, v) agrees with dual numbers for every variable', () => {
    fc.assert(
      fc.property(trees, pointArbitrary, (tree, point) => {
        const f = buildFun(tree);
        for (const name of VARIABLES) {
          const expected = evaluateDual(tree, point, name).e1;
          const actual = d(f, variables[name]).eval(point);
          expect(close(actual, expected, 1e-9), `∂/∂${name} of ${f}: ${actual} vs ${expected}`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('grad(f) (one reverse pass) agrees with dual numbers and with d', () => {
    fc.assert(
      fc.property(trees, pointArbitrary, (tree, point) => {
        const f = buildFun(tree);
        const g = grad(f);
        for (const name of VARIABLES) {
          const expected = evaluateDual(tree, point, name).e1;
          const actual = g[name].eval(point);
          expect(close(actual, expected, 1e-9), `∂/∂${name} of ${f}: ${actual} vs ${expected}`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('second and mixed partials agree with hyper-dual numbers, in either order', () => {
    fc.assert(
      fc.property(trees, pointArbitrary, fc.constantFrom(...VARIABLES), fc.constantFrom(...VARIABLES), (tree, point, a, b) => {
        const f = buildFun(tree);
        const expected = evaluateDual(tree, point, a, b).e12;
        const forward = d(f, variables[a], variables[b]).eval(point);
        const swapped = d(f, variables[b], variables[a]).eval(point);
        const reverseThenForward = d(grad(f)[a], variables[b]).eval(point);
        for (const actual of [forward, swapped, reverseThenForward]) {
          expect(close(actual, expected, 1e-7), `∂²/∂${a}∂${b} of ${f}: ${actual} vs ${expected}`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gradients agree with central finite differences', () => {
    const h = 1e-6;
    fc.assert(
      fc.property(trees, pointArbitrary, (tree, point) => {
        fc.pre(kinkDistance(tree, point) > 1e-3);
        const f = buildFun(tree);
        const g = grad(f);
        for (const name of VARIABLES) {
          const up: Point = { ...point, [name]: point[name] + h };
          const down: Point = { ...point, [name]: point[name] - h };
          const numeric = (f.eval(up) - f.eval(down)) / (2 * h);
          const symbolic = g[name].eval(point);
          expect(close(symbolic, numeric, 1e-4), `∂/∂${name} of ${f}: ${symbolic} vs ${numeric}`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
