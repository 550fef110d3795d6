/** The rewriting engine: AC matching, segment variables, guards, templates, step budget, cycles. */
import { describe, expect, it } from 'vitest';
import { Const, cos, exp, isConstant, PatternVar, rewrite, rule, Segment, sin, Var, type SFun } from '../../../src/index.js';
import { match } from '../../../src/ad/rewrite/match.js';
import { toInfix } from '../../../src/ad/print.js';
import { typegradErrorOf as errorOf } from '../../support/errors.js';

const x = Var('x'), y = Var('y'), z = Var('z'), w = Var('w');
const a = PatternVar('a'), b = PatternVar('b'), c = PatternVar('c'), rest = Segment('rest');

/** Every match of a pattern against a subject, as name → printed expression. */
function matches(pattern: SFun<string>, subject: SFun<string>): Record<string, string>[] {
  return [...match(pattern.node, subject.node, new Map())].map((b) => Object.fromEntries([...b].map(([k, v]) => [k, toInfix(v)])));
}


describe('patterns', () => {
  it('print with their variables', () => {
    expect(String(a.mul(b).add(a.mul(c)))).toBe('?a * ?b + ?a * ?c');
    expect(String(sin(a).add(rest))).toMatch(/^(sin\(\?a\) \+ \?rest\.\.\.|\?rest\.\.\. \+ sin\(\?a\))$/);
  });
  it('reject names that are not identifiers', () => {
    expect(errorOf(() => PatternVar('a b')).message).toMatch(/PatternVar: .*"a b"/);
  });
});

describe('matching modulo associativity and commutativity', () => {
  it('matches a sum in any order and association', () => {
    const subject = z.add(x.mul(y));
    expect(matches(a.mul(b).add(c), subject)).toEqual(expect.arrayContaining([{ a: 'x', b: 'y', c: 'z' }, { a: 'y', b: 'x', c: 'z' }]));
    expect(matches(a.mul(b).add(c), x.add(y.add(z)))).toEqual([]);
  });
  it('needs the same expression for a repeated variable', () => {
    expect(matches(a.mul(b).add(a.mul(c)), x.mul(y).add(x.mul(z)))).toEqual(expect.arrayContaining([{ a: 'x', b: 'y', c: 'z' }]));
    expect(matches(a.mul(b).add(a.mul(c)), x.mul(y).add(w.mul(z)))).toEqual([]);
  });
  it('matches a negated term through the sign: ?a − ?b against x − y and x + y', () => {
    expect(matches(a.sub(b), x.sub(y))).toContainEqual({ a: 'x', b: 'y' });
    expect(matches(a.sub(b), x.add(y))).toContainEqual({ a: 'x', b: '-y' });
  });
  it('binds a segment variable to the other terms, 0 when none', () => {
    const pattern = sin(a).pow(2).add(cos(a).pow(2)).add(rest);
    expect(matches(pattern, sin(x).pow(2).add(y).add(cos(x).pow(2)).add(z))).toEqual([{ a: 'x', rest: 'y + z' }]);
    expect(matches(pattern, sin(x).pow(2).add(cos(x).pow(2)))).toEqual([{ a: 'x', rest: '0' }]);
  });
  it('binds a product segment to the other factors, 1 when none, and sees a non-product as one factor', () => {
    const factors = Segment('f');
    expect(matches(exp(a).mul(factors), x.mul(exp(y)).mul(z))).toEqual([{ a: 'y', f: 'x * z' }]);
    expect(matches(exp(a).mul(factors), exp(y))).toEqual([{ a: 'y', f: '1' }]);
  });
  it('matches other operations structurally', () => {
    expect(matches(sin(a.add(b)), sin(x.add(y)))).toHaveLength(2);
    expect(matches(sin(a), cos(x))).toEqual([]);
  });
});

describe('rules and rewrite', () => {
  it('factors with a template', () => {
    const factorOut = rule(a.mul(b).add(a.mul(c)), a.mul(b.add(c)));
    expect(String(rewrite(x.mul(y).add(x.mul(z)), [factorOut]))).toBe('x * (y + z)');
  });
  it('rewrites everywhere, innermost first, to a normal form', () => {
    const sinToCos = rule(sin(a), ({ a }) => cos(a));
    expect(rewrite(sin(sin(x)).add(sin(y)), [sinToCos]).node).toBe(cos(cos(x)).add(cos(y)).node);
  });
  it('applies a guard to the bindings, trying other matches when it rejects one', () => {
    const twoToThree = rule(a.mul(b), ({ b }) => b.mul(3), ({ a }) => isConstant(a) && String(a) === '2');
    expect(String(rewrite(Const(2).mul(x), [twoToThree]))).toBe('3 * x');
    expect(String(rewrite(x.mul(y), [twoToThree]))).toBe('x * y');
  });
  it('keeps the declared variables of the input', () => {
    const drop = rule(sin(a), 0);
    const f = rewrite(sin(x).add(y), [drop]);
    expect(String(f)).toBe('y');
    expect(f.variables).toEqual(['x', 'y']);
  });
  it('rejects a template variable the pattern does not bind', () => {
    // @ts-expect-error ?c is not in the pattern
    expect(errorOf(() => rule(a.mul(b), a.mul(c))).message).toMatch(/uses pattern variable 'c', which the pattern does not bind/);
  });
  it('rejects two segment variables in one sum', () => {
    expect(errorOf(() => rule(rest.add(Segment('more')).add(a), a)).message).toMatch(/one segment variable/);
  });
  it('reports a cycle with the rules involved', () => {
    const there = rule(sin(a), ({ a }) => cos(a), undefined, 'sin to cos');
    const back = rule(cos(a), ({ a }) => sin(a), undefined, 'cos to sin');
    expect(errorOf(() => rewrite(sin(x), [there, back])).message).toMatch(/rules cycle.*sin to cos; cos to sin/);
  });
  it('throws when the step budget is exceeded (a rule that grows the expression forever)', () => {
    const grow = rule(exp(a), ({ a }) => exp(a.add(1)).add(0), undefined, 'grow');
    const error = errorOf(() => rewrite(exp(x), [grow], { maxSteps: 50 }));
    expect(error.message).toMatch(/gave up after 50 rule application\(s\).*grow/);
  });
  it('validates its arguments', () => {
    expect(errorOf(() => rewrite(x, 'no' as never)).message).toMatch(/expected an array of rules/);
    expect(errorOf(() => rewrite(x, [{} as never])).message).toMatch(/rules\[0\] is not a rule/);
    expect(errorOf(() => rewrite(x, [], { maxSteps: -1 })).message).toMatch(/maxSteps/);
  });
});
