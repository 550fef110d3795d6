/**
 * Property tests: on random expressions over x, y, z (test/support/expressions.ts), the
 * transformations of a traced function agree with the expression API and with hyper-dual numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, flatten, grad, hessian, jit, MVar, SFun, sum, trace, unflatten, Var, VVar } from '../../../src/index.js';
import { buildFun, close, evaluateDual, pointArbitrary, treeArbitrary, variables, VARIABLES, type Tree } from '../../support/expressions.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const trees = treeArbitrary(4);

/** The tree as a traced function of (x, y, z); names given, so no transpiler renaming matters. */
const traced = (tree: Tree) => trace((_x: SFun<string>, _y: SFun<string>, _z: SFun<string>) => buildFun(tree), { names: VARIABLES });

describe('transformations of traced random expressions', () => {
  it('grad(trace(f)) by each input equals grad(expr) and the hyper-dual derivative', () => {
    fc.assert(
      fc.property(trees, pointArbitrary, (tree, point) => {
        const f = traced(tree);
        const byName = grad(buildFun(tree));
        VARIABLES.forEach((name, i) => {
          const actual = grad(f, { wrt: i })(point.x, point.y, point.z);
          // Compiled, small integer powers are products, which can differ from Math.pow in the last bit.
          const interpreted = byName[name].eval(point);
          expect(Object.is(actual, interpreted) || close(actual, interpreted, 1e-12), `compiled ${actual} vs interpreted ${interpreted}`).toBe(true);
          const expected = evaluateDual(tree, point, name).e1;
          expect(close(actual, expected, 1e-9), `∂/∂${name}: ${actual} vs ${expected}`).toBe(true);
        });
        const all = grad(f, { wrt: [0, 1, 2] })(point.x, point.y, point.z);
        expect(all).toEqual(VARIABLES.map((name) => grad(f, { wrt: name })(point.x, point.y, point.z)));
      }),
      { numRuns: RUNS },
    );
  });

  it('jit(f) equals f.eval, at a point and on columns', () => {
    fc.assert(
      fc.property(trees, fc.array(pointArbitrary, { minLength: 1, maxLength: 4 }), (tree, points) => {
        const f = traced(tree);
        const fast = jit(f);
        const columns = VARIABLES.map((name) => Float64Array.from(points, (p) => p[name]));
        const batch = fast(columns[0]!, columns[1]!, columns[2]!);
        points.forEach((p, k) => {
          const expected = f.expr.eval(p);
          expect(close(fast(p.x, p.y, p.z), expected, 1e-12)).toBe(true);
          expect(close(batch[k]!, expected, 1e-12)).toBe(true);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('grad(grad(f)) equals the second derivative d(f, v, v) and hyper-dual numbers', () => {
    fc.assert(
      fc.property(trees, pointArbitrary, fc.integer({ min: 0, max: 2 }), (tree, point, i) => {
        const name = VARIABLES[i]!;
        const second = grad(grad(traced(tree), { wrt: i }), { wrt: i })(point.x, point.y, point.z);
        const symbolic = d(buildFun(tree), variables[name], variables[name]).eval(point);
        const expected = evaluateDual(tree, point, name, name).e12;
        expect(close(second, symbolic, 1e-9), `${second} vs d: ${symbolic}`).toBe(true);
        expect(close(second, expected, 1e-8), `${second} vs dual: ${expected}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('hessian(trace(f)) equals the hyper-dual mixed partials', () => {
    fc.assert(
      fc.property(trees, pointArbitrary, (tree, point) => {
        const h = hessian(traced(tree), { wrt: [0, 1, 2] })(point.x, point.y, point.z);
        VARIABLES.forEach((a, i) =>
          VARIABLES.forEach((b, j) => {
            const expected = evaluateDual(tree, point, a, b).e12;
            expect(close(h[i]![j]!, expected, 1e-8), `∂²/∂${a}∂${b}: ${h[i]![j]} vs ${expected}`).toBe(true);
          }),
        );
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * Random pytrees of distinct variables: nested arrays and objects around scalar, vector and
 * matrix variables, under an object (a flat array of variables keeps its old meaning: a record by name).
 */
const variableTrees = fc.letrec((self) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constantFrom<'s' | 'v' | 'm'>('s', 'v', 'm'),
    fc.array(self('node'), { minLength: 1, maxLength: 3 }),
    self('record'),
  ),
  record: fc.dictionary(fc.constantFrom('a', 'b', 'layer', 'W'), self('node'), { minKeys: 1, maxKeys: 3 }),
})).record;

describe('grad by a pytree of variables', () => {
  it('keeps the structure and agrees with the flat gradient, leaf by leaf', () => {
    fc.assert(
      fc.property(variableTrees, (shape) => {
        let counter = 0;
        const { leaves: kinds, treedef } = flatten(shape);
        const leaves = kinds.map((kind) => {
          const name = `p${counter++}`;
          return kind === 's' ? Var(name) : kind === 'v' ? VVar(name, 2) : MVar(name, 2, 2);
        });
        const params = unflatten(treedef, leaves);
        let loss: SFun<string> = Var('t');
        for (const leaf of leaves) loss = loss.add(leaf instanceof SFun ? leaf.pow(2) : sum(leaf as never));
        const g = grad(loss, params as never);
        const back = flatten(g);
        expect(back.treedef).toEqual(treedef);
        back.leaves.forEach((partial, k) => {
          const variable = leaves[k]!;
          expect((partial as SFun<string>).node.shape).toEqual(variable.node.shape);
          expect((partial as SFun<string>).node).toBe((grad(loss, variable as never) as unknown as SFun<string>).node);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
