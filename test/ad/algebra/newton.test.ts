/** newton: f and f′ compiled together, the iteration history, and the failures. */
import { describe, expect, it } from 'vitest';
import { cos, newton, sin, TypegradError, Var } from '../../../src/index.js';

const x = Var('x'), y = Var('y');

describe('newton', () => {
  it('converges on 5x³ − 10 from 10 to ∛2, the first step seeing f = 4990 and f′ = 1500', () => {
    const result = newton(x.pow(3).mul(5).sub(10), x, 10);
    expect(result.root).toBe(1.2599210498948732);
    expect(result.steps[0]).toEqual({ x: 10, f: 4990, df: 1500 });
    expect(result.steps[1]!.x).toBeCloseTo(10 - 4990 / 1500, 14);
    expect(result.steps.at(-1)!.x).toBe(result.root);
  });
  it('solves cos x = x', () => {
    expect(newton(cos(x).sub(x), x, 1).root).toBeCloseTo(0.7390851332151607, 15);
  });
  it('throws on a zero derivative and on no convergence', () => {
    expect(() => newton(x.pow(2).add(1), x, 0)).toThrow(/derivative of .* is 0 at x = 0/);
    expect(() => newton(x.pow(2).add(1), x, 0.5, { maxIterations: 20 })).toThrow(TypegradError);
    expect(() => newton(x.pow(2).add(1), x, 0.5, { maxIterations: 20 })).toThrow(/no convergence within 20 iterations/);
  });
  it('rejects functions of other variables', () => {
    expect(() => newton(sin(x.mul(y)) as never, x, 1)).toThrow(/bind 'y' first/);
  });
});
