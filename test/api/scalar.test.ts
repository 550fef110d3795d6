/** The scalar API: evaluation, binding, substitution, differentiation and misuse. */
import { describe, expect, it } from 'vitest';
import { compile, Const, cos, d, grad, sin, size, stack, sum, TypegradError, Var, VVar, type SFun } from '../../src/index.js';
import { typegradErrorOf as misuse } from '../support/errors.js';

const x = Var('x'), y = Var('y');
const z = y.mul(sin(x.mul(y)).sub(x));
const expected = (xv: number, yv: number) => yv * (Math.sin(xv * yv) - xv);

const untyped = (f: unknown) => f as { eval(b?: unknown): number; at(b: unknown): SFun<string> };

describe('eval', () => {
  it('evaluates at a point', () => {
    expect(z.eval({ x: 1, y: 2 })).toBe(expected(1, 2));
  });
  it('accepts numbers wherever a Fun is accepted', () => {
    expect(x.add(1).mul(2).sub(3).div(4).pow(2).eval({ x: 1 })).toBe(((((1 + 1) * 2 - 3) / 4) ** 2));
    expect(sin(1).eval()).toBe(Math.sin(1));
  });
  it('keeps a variable that simplification removed: x − x still takes x', () => {
    const zero = x.sub(x);
    expect(String(zero)).toBe('0');
    expect(zero.variables).toEqual(['x']);
    expect(zero.eval({ x: 5 })).toBe(0);
  });
});

describe('declared variables', () => {
  // Most Funs keep no set of their own: an operation that simplification did not rewrite has
  // its node's variables (src/api/fun.ts, sameVariables). These are the cases where it differs.
  const q = Var('q');
  it('a variable removed by simplification stays declared through later operations', () => {
    const f = x.sub(x).add(y.pow(2)).add(q.mul(y)); // the node is y² + q·y
    expect(f.variables).toEqual(['q', 'x', 'y']);
    const g = grad(f);
    expect(Object.keys(g).sort()).toEqual(['q', 'x', 'y']);
    expect(String(g.x)).toBe('0');
    expect(g.y.eval({ q: 3, x: 9, y: 2 })).toBe(2 * 2 + 3);
    expect(g.q.eval({ q: 3, x: 9, y: 2 })).toBe(2);
    expect(misuse(() => untyped(f).eval({ q: 1, y: 2 })).message).toMatch(/missing value for variable 'x'/);
  });
  it('sets from both operands and from a neutral operand combine', () => {
    expect(x.sub(x).add(y.sub(y)).add(q).variables).toEqual(['q', 'x', 'y']);
    expect(x.add(0).variables).toEqual(['x']);
    expect(x.add(y.mul(0)).variables).toEqual(['x', 'y']);
    expect(Const(2).mul(3).variables).toEqual([]);
    expect(sin(x.sub(x)).add(sin(q)).variables).toEqual(['q', 'x']);
  });
  it('an operation on many Funs (a stack of 40) keeps every one\'s variables', () => {
    const parts = Array.from({ length: 40 }, (_, i) => Var(`s${i}`).mul(i + 1));
    const stacked = stack([...parts, x.sub(x)] as unknown as [SFun<string>, ...SFun<string>[]]);
    expect(stacked.variables).toHaveLength(41);
    expect(stacked.variables).toContain('x');
    expect(stack(parts as unknown as [SFun<string>, ...SFun<string>[]]).variables).toHaveLength(40);
    expect(sum(stacked).add(parts[0]!).variables).toHaveLength(41);
  });
  it('partials keep the variables of f, even one whose node has none left', () => {
    const g = grad(x.mul(y).add(q));
    expect(String(g.q)).toBe('1');
    expect(g.q.variables).toEqual(['q', 'x', 'y']);
    // Compiled together they take every variable of f.
    const run = compile([g.x, g.y, g.q]);
    expect(run({ q: 1, x: 2, y: 3 })).toEqual([3, 2, 1]);
  });
});

describe('at', () => {
  it('binds some variables, in any order, curried', () => {
    expect(z.at({ x: 1 }).eval({ y: 2 })).toBe(expected(1, 2));
    expect(z.at({ y: 2 }).at({ x: 1 }).eval()).toBe(expected(1, 2));
    expect(z.at({ x: 1 }).at({ y: 2 }).eval()).toBe(expected(1, 2));
    expect(z.at({ x: 1, y: 2 }).eval()).toBe(expected(1, 2));
  });
  it('folds constants once everything is bound', () => {
    expect(size(z.at({ x: 1, y: 2 }))).toBe(1);
  });
  it('substitutes a Fun, bringing its variables in', () => {
    const t = Var('t');
    const s = z.at({ x: y.mul(2) });
    expect(s.variables).toEqual(['y']);
    expect(s.eval({ y: 0.7 })).toBe(expected(1.4, 0.7));
    const u = z.at({ x: t.add(1) });
    expect(u.variables).toEqual(['t', 'y']);
    expect(u.eval({ t: 0.5, y: 2 })).toBeCloseTo(expected(1.5, 2), 14);
  });
  it('substitutes simultaneously: swapping x and y', () => {
    const swapped = x.sub(y).at({ x: y, y: x });
    expect(swapped.eval({ x: 1, y: 5 })).toBe(4);
  });
});

describe('d and grad', () => {
  it('d(f, x) is the method f.d(x)', () => {
    expect(d(z, x).node).toBe(z.d(x).node);
  });
  it('mixed partials agree in either order', () => {
    expect(d(z, x, y).eval({ x: 0.3, y: 0.9 })).toBeCloseTo(d(z, y, x).eval({ x: 0.3, y: 0.9 }), 14);
  });
  it('grad is keyed by name and agrees with d', () => {
    const g = grad(z);
    expect(Object.keys(g).sort()).toEqual(['x', 'y']);
    expect(g.x.eval({ x: 0.3, y: 0.9 })).toBeCloseTo(d(z, x).eval({ x: 0.3, y: 0.9 }), 14);
    expect(g.y.eval({ x: 0.3, y: 0.9 })).toBeCloseTo(d(z, y).eval({ x: 0.3, y: 0.9 }), 14);
  });
  it('grad with a subset returns only those partials', () => {
    expect(Object.keys(grad(z, [y]))).toEqual(['y']);
  });
  it('derivatives keep the variables of f', () => {
    expect(d(x.mul(y), x).variables).toEqual(['x', 'y']);
    expect(d(x.mul(y), x).eval({ x: 3, y: 4 })).toBe(4);
  });
  it('the gradient of a function of n variables is built in one pass: its size grows linearly', () => {
    const sizes = [10, 100, 1000].map((n) => {
      const vars = Array.from({ length: n }, (_, i) => Var(`v${i}`));
      let f: SFun<string> = Const(0);
      for (let i = 0; i + 1 < n; i++) f = f.add(sin(vars[i]!.mul(vars[i + 1]!)));
      return size([f, ...Object.values(grad(f))]) / size(f);
    });
    for (const ratio of sizes) expect(ratio).toBeLessThan(5);
  });
  it('variables named like Object.prototype members are ordinary names', () => {
    const p = Var('__proto__'), c = Var('constructor');
    const f = p.mul(c);
    const g = grad(f);
    expect(Object.keys(g).sort()).toEqual(['__proto__', 'constructor']);
    expect(g['__proto__'].eval(JSON.parse('{"__proto__": 2, "constructor": 3}'))).toBe(3);
    expect(Object.getPrototypeOf(g)).toBe(Object.prototype);
  });
});

describe('misuse from untyped JavaScript is a clear TypegradError', () => {
  it('a missing variable in eval names it', () => {
    expect(misuse(() => untyped(z).eval({ x: 1 })).message).toMatch(/missing value for variable 'y'/);
  });
  it('an unknown variable in eval or at names it and lists the variables', () => {
    expect(misuse(() => untyped(z).eval({ x: 1, y: 2, w: 3 })).message).toMatch(/'w' is not a variable of this function \(its variables are x, y\)/);
    expect(misuse(() => untyped(z).at({ w: 3 })).message).toMatch(/at: 'w' is not a variable/);
  });
  it('a binding that is not a number or a Fun', () => {
    expect(misuse(() => untyped(z).eval({ x: '1', y: 2 })).message).toMatch(/variable 'x' must be bound to a number, got the string "1"/);
    expect(misuse(() => untyped(z).at({ x: [1] })).message).toMatch(/variable 'x' must be bound to a number or a scalar Fun, got an array/);
    expect(misuse(() => untyped(z).eval(null)).message).toMatch(/expected an object of variable bindings, got null/);
    expect(misuse(() => untyped(z).eval()).message).toMatch(/missing value for variable 'x'/);
  });
  it('an operand that is not a number or a Fun', () => {
    expect(misuse(() => x.add('1' as unknown as number)).message).toMatch(/add: expected a number or a scalar Fun, got the string "1"/);
    expect(misuse(() => sin({} as unknown as number)).message).toMatch(/sin: expected a number or a Fun, got an object/);
  });
  it('one name used for two shapes in one expression', () => {
    const f = VVar('w', 3).sum().add(Var('w'));
    expect(misuse(() => untyped(f).eval({ w: 1 })).message).toMatch(/variable 'w' is used with two shapes in one expression: vector\[3\] and scalar/);
    expect(misuse(() => grad(f as SFun<'w'>)).message).toMatch(/two shapes/);
  });
  it('an empty variable name', () => {
    expect(misuse(() => Var('')).message).toMatch(/a variable needs a non-empty name/);
  });
  it('differentiating by something that is not a variable', () => {
    expect(misuse(() => d(z, x.mul(2) as SFun<'x'>)).message).toMatch(/d: expected a variable made by Var, VVar or MVar, got the expression 2 \* x/);
    expect(misuse(() => grad(z, [cos(x)] as unknown as SFun<'x'>[])).message).toMatch(/grad: expected a variable made by Var/);
  });
  it('compile checks its bindings like eval', () => {
    const f = compile(z) as (b: unknown) => number;
    expect(f({ x: 1, y: 2 })).toBe(expected(1, 2));
    expect(misuse(() => f({ x: 1 })).message).toMatch(/missing value for variable 'y'/);
    expect(misuse(() => f({ x: 1, y: 2, q: 1 })).message).toMatch(/'q' is not a variable/);
  });
});
