/**
 * Derivatives in a tidy form: the cheap rules that `d` applies as it builds (a·(q/a) = q, constants
 * gathered in sums, 0^g has derivative 0) and exact constants (ln 2 stays ln(2)).
 */
import { describe, expect, it } from 'vitest';
import { Const, d, ln, pow, simplify, Var } from '../../../src/index.js';

const x = Var('x'), c = Var('c');

describe('tidy derivatives', () => {
  it('d(c·ln c − c) = ln(c), as simplify would give it', () => {
    const derivative = d(c.mul(ln(c)).sub(c), c);
    expect(String(derivative)).toBe('ln(c)');
    expect(derivative.node).toBe(simplify(derivative).node);
  });
  it('d(2ˣ) = 2ˣ·ln(2), with ln 2 exact', () => {
    expect(String(d(pow(2, x), x))).toBe('2 ^ x * ln(2)');
  });
  it('d/dx 0^(2ˣ + x³ + 2) = 0 (it was NaN: 0·ln 0)', () => {
    const derivative = d(Const(0).pow(pow(2, x).add(x.pow(3)).add(2)), x);
    expect(String(derivative)).toBe('0');
  });
  it('keeps the value wherever the original is defined: a·(q/a) = q only changes 0·∞', () => {
    const f = x.mul(Var('y').div(x));
    expect(String(f)).toBe('y');
    expect(String(Const(1).add(x).sub(1))).toBe('x');
    expect(String(Const(3).sub(x.sub(2)))).toBe('5 - x');
  });
});
