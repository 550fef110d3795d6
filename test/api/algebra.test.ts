/** The typed algebra layer: what the types say about rules, equations and solutions. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  cancel, eq, Equation, exp, Family, PatternVar, rewrite, rule, Segment, simplificationRules, simplify, sin, solve, solveLinear, together, Var,
  type SFun, type Solutions,
} from '../../src/index.js';

const x = Var('x'), y = Var('y'), a = PatternVar('a'), b = PatternVar('b'), rest = Segment('rest');

describe('typed algebra API', () => {
  it('types pattern variables and the bindings a replacement function receives', () => {
    expectTypeOf(a).toEqualTypeOf<SFun<'?a'>>();
    expectTypeOf(rest).toEqualTypeOf<SFun<'?rest...'>>();
    const swap = rule(exp(a).mul(exp(b)).mul(rest), (bindings) => {
      expectTypeOf(bindings).toEqualTypeOf<{ readonly a: SFun<string>; readonly b: SFun<string>; readonly rest: SFun<string> }>();
      return exp(bindings.a.add(bindings.b)).mul(bindings.rest);
    });
    expect(String(rewrite(exp(x).mul(y).mul(exp(y)), [swap]))).toBe(String(simplify(y.mul(exp(x.add(y))))));
  });
  it('extends the simplifier with user rules', () => {
    const double = rule(a.add(a), 0, undefined, 'a + a = 0 (a silly rule)');
    // a + a is built as 2·?a, so it matches 2·x (x + x is 2·x before any rule runs).
    expect(String(rewrite(x.add(x), [double, ...simplificationRules]))).toBe('0');
  });
  it('types equations and solutions: solving for x removes x', () => {
    const e = eq(x.mul(y), 2);
    expectTypeOf(e).toEqualTypeOf<Equation<'x' | 'y'>>();
    expect(String(e)).toBe('x * y = 2');
    const solutions = solve(e, x);
    expectTypeOf(solutions).toEqualTypeOf<Solutions<'y'>>();
    const [root] = solutions.roots;
    expectTypeOf(root!).toEqualTypeOf<SFun<'y'>>();
    expect(root!.eval({ y: 4 })).toBe(0.5);
    const families = solve(sin(x.mul(y)), x).families;
    expectTypeOf(families).toEqualTypeOf<readonly Family<'y'>[]>();
    expectTypeOf(families[0]!.at(1)).toEqualTypeOf<SFun<'y'>>();
    const s = solveLinear([eq(x.add(y), 3), eq(x.sub(y), 1)], [x, y]);
    expectTypeOf(s).toEqualTypeOf<{ readonly x: SFun<never>; readonly y: SFun<never> }>();
    expect([s.x.eval(), s.y.eval()]).toEqual([2, 1]);
  });
  it('keeps the variables through cancel and together', () => {
    const f = x.pow(2).sub(y.pow(2)).div(x.sub(y));
    expectTypeOf(cancel(f)).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(together(f)).toEqualTypeOf<SFun<'x' | 'y'>>();
    expect(String(cancel(f))).toBe('x + y');
    expect(cancel(x.sub(x)).variables).toEqual(['x']);
  });
});
