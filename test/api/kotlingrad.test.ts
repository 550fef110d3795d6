/** Published examples from Kotlin∇, the library typegrad succeeds. */
import { describe, expect, it } from 'vitest';
import { cos, d, grad, sin, Var } from '../../src/index.js';

describe("Kotlin∇'s examples", () => {
  it('d²/dx² sin(x·cos(x·sin(x·cos x))) at x = 2 is −13.81831095', () => {
    const x = Var('x');
    const f = sin(x.mul(cos(x.mul(sin(x.mul(cos(x)))))));
    expect(Math.abs(d(f, x, x).eval({ x: 2 }) - -13.81831095)).toBeLessThan(1e-7);
    expect(Math.abs(d(grad(f).x, x).eval({ x: 2 }) - -13.81831095)).toBeLessThan(1e-7);
  });

  it('HelloKotlingrad: z = 4x(−sin(xy) + y) at (0, 1)', () => {
    const x = Var('x'), y = Var('y');
    const z = x.mul(4).mul(sin(x.mul(y)).neg().add(y));
    const at = { x: 0, y: 1 };
    expect(z.eval(at)).toBe(0);
    expect(d(z, x).eval(at)).toBe(4);
    expect(d(z, y).eval(at)).toBe(0);
    expect(d(z, x, x).eval(at)).toBe(-8);
    expect(d(z, x, y).eval(at)).toBe(4);
    const g = grad(z);
    expect([g.x.eval(at), g.y.eval(at)]).toEqual([4, 0]);
  });
});
