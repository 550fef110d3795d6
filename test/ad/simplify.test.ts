/** Build-time simplification: each rule, and that derivatives carry no dead 0·… or 1·… nodes. */
import { describe, expect, it } from 'vitest';
import { Const, d, grad, Var, sin, cos, exp, ln, size, type SFun } from '../../src/index.js';
import { topologicalOrder } from '../../src/ad/traverse.js';

const x = Var('x'), y = Var('y'), a = Var('a');
const same = (f: SFun<string>, g: SFun<string>) => expect(f.node).toBe(g.node);

describe('build-time simplification', () => {
  it('folds constants', () => {
    expect(String(Const(2).add(3).mul(4))).toBe('20');
    expect(String(sin(0))).toBe('0');
    expect(String(x.add(Const(2).mul(3)))).toBe('6 + x');
  });
  it('0 + a → a, a + 0 → a', () => {
    same(Const(0).add(a), a);
    same(a.add(0), a);
  });
  it('a · 1 → a, 1 · a → a, a · 0 → 0, 0 · a → 0', () => {
    same(a.mul(1), a);
    same(Const(1).mul(a), a);
    expect(String(a.mul(0))).toBe('0');
    expect(String(Const(0).mul(sin(a)))).toBe('0');
  });
  it('a − a → 0, a − 0 → a, 0 − a → −a', () => {
    expect(String(sin(a).sub(sin(a)))).toBe('0');
    same(a.sub(0), a);
    same(Const(0).sub(a), a.neg());
  });
  it('a ^ 1 → a, a ^ 0 → 1; 1 ^ a stays (Math.pow(1, NaN) and Math.pow(1, ∞) are NaN)', () => {
    same(a.pow(1), a);
    expect(String(a.pow(0))).toBe('1');
    expect(Const(1).pow(a).eval({ a: Infinity })).toBeNaN();
    expect(Const(1).pow(a).eval({ a: 3 })).toBe(1);
  });
  it('−(−a) → a', () => {
    same(a.neg().neg(), a);
  });
  it('a + a → 2a, a · a → a²', () => {
    same(sin(a).add(sin(a)), Const(2).mul(sin(a)));
    same(sin(a).mul(sin(a)), sin(a).pow(2));
    expect(String(a.add(a))).toBe('2 * a');
    expect(String(a.mul(a))).toBe('a ^ 2');
  });
  it('a / 1 → a; 0 / a and a / a stay (0/0, ∞/∞ and NaN/NaN are NaN)', () => {
    same(a.div(1), a);
    expect(Const(0).div(a).eval({ a: 0 })).toBeNaN();
    expect(sin(a).div(sin(a)).eval({ a: 0 })).toBeNaN();
    expect(a.div(a).eval({ a: Infinity })).toBeNaN();
    expect(a.div(a).eval({ a: 2 })).toBe(1);
  });
  it('gathers constant factors and signs at the front', () => {
    expect(String(Const(2).mul(Const(3).mul(x)))).toBe('6 * x');
    expect(String(x.mul(y.neg()))).toBe('-(x * y)');
    expect(String(x.add(y.neg()))).toBe('x - y');
    expect(String(x.add(-1))).toBe('x - 1');
    expect(String(x.sub(Const(-2).mul(y)))).toBe('x + 2 * y');
  });
});

describe('interning', () => {
  it('builds a structurally identical node once', () => {
    same(sin(x.mul(y)), sin(x.mul(y)));
  });
  it('normalises the operand order of commutative operations', () => {
    same(x.mul(y), y.mul(x));
    same(x.add(y), y.add(x));
    expect(size([x.mul(y), y.mul(x)])).toBe(size(x.mul(y)));
  });
  it('keeps non-commutative operands in order', () => {
    expect(x.sub(y).node).not.toBe(y.sub(x).node);
    expect(x.div(y).node).not.toBe(y.div(x).node);
  });
  it('counts shared subexpressions once in size', () => {
    const s = sin(x.mul(y));
    expect(size(s.add(s.mul(3)))).toBe(size(s) + 3); // +3: the constant, the product, the sum
    expect(size([s, cos(s)])).toBe(size(s) + 1);
  });
});

describe('derivatives', () => {
  const deadNodes = (f: SFun<string>) =>
    topologicalOrder([f.node]).filter(
      (n) => n.op === 'mul' && n.args.some((arg) => arg.op === 'const' && (arg.value === 0 || arg.value === 1)),
    );
  it('carry no dead 0·… or 1·… nodes', () => {
    const f = exp(x.mul(y)).mul(ln(x)).add(sin(x).pow(3)).div(y.add(1));
    for (const g of [d(f, x), d(f, y), d(f, x, y), d(f, x, x), grad(f).x, grad(f).y]) {
      expect(deadNodes(g)).toEqual([]);
    }
  });
  it('are small: d(x³) is 3·x², d(sin x) is cos x', () => {
    expect(String(d(x.pow(3), x))).toBe('3 * x ^ 2');
    expect(String(d(x.pow(3), x, x))).toBe('6 * x');
    same(d(sin(x), x), cos(x));
  });
  it('of a constant or of an unrelated variable are 0', () => {
    expect(String(d(Const(3), x))).toBe('0');
    expect(String(d(y.mul(2), x))).toBe('0');
  });
});
