/** optimize: power rewrites, constant folding, and shared subexpressions as let bindings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Const, exp, optimize, sin, Var } from '../../../src/index.js';
import { algebraTree, point, sameValue } from '../../support/algebra-trees.js';

const x = Var('x'), y = Var('y');

describe('optimize', () => {
  it('names a shared subexpression once', () => {
    const program = optimize(sin(x.mul(y)).add(x.mul(y).pow(0.5)));
    expect(String(program)).toBe('let t1 = x * y;\nreturn sin(t1) + sqrt(t1);');
    expect(program.bindings).toEqual([['t1', 'x * y']]);
  });
  it('rewrites x^0.5 → sqrt(x), x^-1 → 1/x, x^-2 → 1/x^2 and folds constants', () => {
    expect(String(optimize(x.pow(0.5)).fun)).toBe('sqrt(x)');
    expect(String(optimize(x.pow(-1)).fun)).toBe('1 / x');
    expect(String(optimize(x.pow(-2)).fun)).toBe('1 / x ^ 2');
    expect(String(optimize(Const(2).mul(x).mul(3)).fun)).toBe('6 * x');
  });
  it('avoids the names of the variables', () => {
    const t1 = Var('t1');
    expect(String(optimize(exp(t1.mul(y)).add(t1.mul(y))))).toMatch(/^let t2 = (t1 \* y|y \* t1);\nreturn (exp\(t2\) \+ t2|t2 \+ exp\(t2\));$/);
  });
  it('never changes a value (random expressions)', () => {
    fc.assert(
      fc.property(algebraTree(4), point, (f, p) => {
        expect(sameValue(f, optimize(f).fun, p)).toBe(true);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });
});
