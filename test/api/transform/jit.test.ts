/** jit: compile once, call many times; of traced functions, plain functions and expressions. */
import { describe, expect, it } from 'vitest';
import { grad, initBackend, isTraced, jit, sin, trace, Var, type SFun } from '../../../src/index.js';

describe('jit', () => {
  it('compiles a traced function and gives the numbers eval gives', () => {
    const f = trace((x, y) => sin(x.mul(y)).add(y.pow(3)));
    const fast = jit(f);
    expect(isTraced(fast)).toBe(true);
    expect(fast(0.5, 2)).toBe(f.expr.eval({ x: 0.5, y: 2 }));
    expect(Array.from(fast(new Float64Array([0.5, 1]), new Float64Array([2, 3])))).toEqual([fast(0.5, 2), fast(1, 3)]);
  });

  it('traces a plain function first', () => {
    expect(jit((x: SFun<string>) => x.mul(3))(2)).toBe(6);
  });

  it('compiles an expression as a function of its variables in sorted order, or of args', () => {
    const x = Var('x'), y = Var('y');
    const f = jit(x.sub(y));
    expect(f.names).toEqual(['x', 'y']);
    expect(f(5, 3)).toBe(2);
    expect(f({ y: 3, x: 5 })).toBe(2);
    expect(jit(x.sub(y), { args: [y, x] })(5, 3)).toBe(-2);
    expect(jit([x.add(y), x.mul(y)])(2, 3)).toEqual([5, 6]);
    expect(jit({ s: x.add(y) })(2, 3)).toEqual({ s: 5 });
  });

  it('compiles once: repeated calls reuse the program', () => {
    const fast = jit(trace((x) => x.add(1)));
    const source = fast.toSource();
    for (let i = 0; i < 3; i++) expect(fast(i)).toBe(i + 1);
    expect(fast.toSource()).toBe(source);
  });

  it('composes with grad either way', () => {
    const f = trace((x) => x.pow(4));
    expect(jit(grad(grad(f)))(2)).toBe(48);
    expect(grad(grad(jit(f)))(2)).toBe(48);
  });

  it('compiles for another backend on request, returning Float64Array columns', async () => {
    await initBackend('tfjs');
    const fast = jit(trace((x) => x.mul(2)), { backend: 'tfjs' });
    expect(fast(1.5)).toBe(3);
    const column = fast(new Float64Array([1, 2]));
    expect(column).toBeInstanceOf(Float64Array);
    expect(Array.from(column)).toEqual([2, 4]);
  });

  it('explains misuse', () => {
    const x = Var('x');
    expect(() => jit('x' as never)).toThrow(/leaf 0 is the string "x"/);
    expect(() => jit(x, { args: [x.mul(2)] })).toThrow(/options.args\[0\] must be a variable/);
    expect(() => jit(trace((a) => a), { args: [x] } as never)).toThrow(/options.args is for expressions/);
  });
});
