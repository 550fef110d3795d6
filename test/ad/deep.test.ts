/**
 * A chain 100,000 operations deep is built, printed, differentiated (both ways) and evaluated
 * without a stack overflow: every traversal is iterative.
 */
import { describe, expect, it } from 'vitest';
import { compile, d, grad, sin, size, toLatex, Var, type SFun } from '../../src/index.js';

const DEPTH = 100_000;
const x = Var('x');

/** f₀ = x, fₖ₊₁ = sin(fₖ) + x, and its value and derivative by a plain loop. */
function chain(): SFun<'x'> {
  let f: SFun<'x'> = x;
  for (let i = 0; i < DEPTH; i++) f = sin(f).add(x);
  return f;
}
function byLoop(at: number): [number, number] {
  let v = at, dv = 1;
  for (let i = 0; i < DEPTH; i++) {
    dv = Math.cos(v) * dv + 1;
    v = Math.sin(v) + at;
  }
  return [v, dv];
}

describe(`a chain ${DEPTH.toLocaleString('en')} operations deep`, () => {
  const f = chain();
  const [value, derivative] = byLoop(0.3);

  it('is built with one node per operation', () => {
    expect(size(f)).toBe(2 * DEPTH + 1);
  });
  it('prints', () => {
    const text = String(f);
    expect(text.startsWith('x + sin(x + sin(x + sin(')).toBe(true);
    expect(text.length).toBeGreaterThan(DEPTH * 6);
    expect(toLatex(f).length).toBeGreaterThan(DEPTH * 10);
  });
  it('evaluates', () => {
    expect(f.eval({ x: 0.3 })).toBe(value);
  });
  it('differentiates forward and reverse', () => {
    const forward = d(f, x);
    const reverse = grad(f).x;
    expect(forward.eval({ x: 0.3 })).toBeCloseTo(derivative, 9);
    expect(reverse.eval({ x: 0.3 })).toBeCloseTo(derivative, 9);
  });
  it('compiles, in scalar and batch mode (split into chunks V8 can compile)', () => {
    expect(compile(f)({ x: 0.3 })).toBe(value);
    const batch = compile(f, { batch: true })({ x: new Float64Array([0.3, 0.3]) });
    expect([...batch]).toEqual([value, value]);
  });
});
