/**
 * customJvp and customVjp: the rule replaces the derivative in every mode and at every order, the
 * node compiles as its function on every backend, misuse is a TypegradError naming the function,
 * and the registry of rules does not grow for good (a child process with --expose-gc).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  clip, compile, customJvp, mul, customVjp, d, grad, hessian, initBackend, jacobian, sqrt, sin, cos, exp, ln, sum, toSource, trace, Var, VVar,
  type SFun, type VFun,
} from '../../../src/index.js';
import { typegradErrorOf } from '../../support/errors.js';

const x = Var('x'), y = Var('y');

/** x/(1 + √x): its plain derivative at 0 is NaN (∞·0), the rule's is (√x + 2)/(2(1 + √x)²) = 1. */
const plain = (v: SFun<string>) => v.div(sqrt(v).add(1));
const safe = customJvp(plain, ([v], [t]) => t.mul(sqrt(v).add(2)).div(sqrt(v).add(1).pow(2).mul(2)), { name: 'safe' });

const central = (f: (v: number) => number, at: number, h = 1e-6) => (f(at + h) - f(at - h)) / (2 * h);

describe('customJvp', () => {
  it("fixes x/(1 + √x) at 0, where the plain derivative is NaN (JAX's documented example)", () => {
    expect(grad(plain(x)).x.eval({ x: 0 })).toBeNaN();
    expect(grad(safe(x)).x.eval({ x: 0 })).toBe(1);
    expect(d(safe(x), x).eval({ x: 0 })).toBe(1);
    expect(safe(x).eval({ x: 4 })).toBeCloseTo(4 / 3, 15);
    expect(String(safe(x))).toBe('safe(x)');
  });

  it('is used by d, grad, jacobian and hessian, and the second derivative differentiates the rule', () => {
    const f = safe(x.mul(y));
    const at = { x: 1.3, y: 0.7 };
    const value = (a: number, b: number) => f.eval({ x: a, y: b });
    expect(grad(f).x.eval(at)).toBeCloseTo(central((a) => value(a, 0.7), 1.3), 8);
    expect(d(f, y).eval(at)).toBeCloseTo(central((b) => value(1.3, b), 0.7), 8);
    const second = d(f, x, x).eval(at);
    expect(second).toBeCloseTo(central((a) => grad(f).x.eval({ x: a, y: 0.7 }), 1.3), 6);
    expect(grad(grad(f).x).x.eval(at)).toBeCloseTo(second, 12);
    const H = hessian(f, [x, y]).eval(at);
    expect(H[0]![1]).toBeCloseTo(central((b) => grad(f).x.eval({ x: 1.3, y: b }), 0.7), 6);
    expect(jacobian(f, [x, y]).eval(at)).toEqual([grad(f).x.eval(at), grad(f).y.eval(at)]);
  });

  it('works on tensors of any rank, with several operands, through traced functions', () => {
    const scaledSoftplus = customJvp(
      (v: VFun<3, string>, s: SFun<string>) => ln(exp(v).add(1)).mul(s),
      ([v, s], [tv, ts], out) => tv.mul(s).div(exp(v.neg()).add(1)).add(mul(ts, out.div(s))),
      { name: 'scaledSoftplus' },
    );
    const v = VVar('v', 3), s = Var('s');
    const loss = sum(scaledSoftplus(v, s));
    const at = { v: [0.5, -1, 2], s: 1.5 };
    const g = grad(loss, { v, s });
    const reference = grad(sum(ln(exp(v).add(1)).mul(s)), { v, s });
    expect(g.v.eval(at)).toEqual(reference.v.eval(at).map((e) => expect.closeTo(e, 14)));
    expect(g.s.eval(at)).toBeCloseTo(reference.s.eval(at), 14);
    const traced = trace((a) => safe(a).mul(a));
    const slope = grad(traced);
    expect(slope(0)).toBe(0); // (x·f)′(0) = f(0) + 0·f′(0), with the rule's f′(0) = 1 (finite)
    expect(grad(slope)(0.25)).toBeCloseTo(central((a) => slope(a), 0.25), 7);
  });

  it('throws a TypegradError naming the function when the rule is not linear in the tangents or has the wrong shape', () => {
    const nonlinear = customJvp((v: SFun<string>) => v.mul(2), (_p, [t]) => t.mul(t), { name: 'nonlinear' });
    expect(typegradErrorOf(() => grad(nonlinear(x))).message).toMatch(/nonlinear: the jvp rule is not linear in the tangents/);
    const wrong = customJvp((v: VFun<3, string>) => v.mul(2), (_p, [t]) => VVar('w', 2).add(t.sum()) as never, { name: 'wrong' });
    expect(typegradErrorOf(() => jacobian(wrong(VVar('v', 3)), VVar('v', 3))).message).toMatch(/wrong: the tangent its jvp rule returns has shape vector\[2\], which does not broadcast to vector\[3\]/);
    expect(typegradErrorOf(() => customJvp(1 as never, () => 0)).message).toMatch(/customJvp: expected the function/);
  });
});

describe('customVjp', () => {
  /** The identity, with its gradient clipped to [−1, 1]. */
  const clipGradient = customVjp((v: SFun<string>) => v, (_p, _out, g) => [clip(g, -1, 1)], { name: 'clipGradient' });

  it('clips a gradient: the value passes, the derivative is clipped', () => {
    const f = clipGradient(x).mul(5);
    expect(f.eval({ x: 2 })).toBe(10);
    expect(grad(f).x.eval({ x: 2 })).toBe(1);
    expect(grad(clipGradient(x).mul(0.5)).x.eval({ x: 2 })).toBe(0.5);
  });

  it('gives forward mode too, by transposing the rule (where JAX refuses)', () => {
    const sigmoidLike = customVjp((v: SFun<string>) => exp(v.neg()).add(1).pow(-1), (_p, out, g) => [g.mul(out).mul(out.neg().add(1))], { name: 'sigmoidLike' });
    const f = sigmoidLike(x.mul(2));
    const value = (a: number) => f.eval({ x: a });
    expect(d(f, x).eval({ x: 0.3 })).toBeCloseTo(central(value, 0.3), 8);
    expect(d(f, x, x).eval({ x: 0.3 })).toBeCloseTo(central((a) => d(f, x).eval({ x: a }), 0.3), 6);
    expect(grad(grad(f).x).x.eval({ x: 0.3 })).toBeCloseTo(d(f, x, x).eval({ x: 0.3 }), 12);
  });

  it('checks the rule: one cotangent per operand, of its shape', () => {
    const bad = customVjp((a: SFun<string>, b: SFun<string>) => a.mul(b), (_p, _o, g) => [g], { name: 'bad' });
    expect(typegradErrorOf(() => grad(bad(x, y))).message).toMatch(/bad: the vjp rule must return an array of 2 cotangent\(s\)/);
  });
});

describe('a custom node compiles as its function', () => {
  it('on every backend, its rule only in the derivatives', async () => {
    const f = safe(x.mul(x)).add(sin(x));
    const g = grad(f).x;
    expect(toSource(f)).not.toMatch(/safe/);
    for (const backend of ['js', 'tfjs', 'gpu', 'onnx', 'wasm'] as const) {
      await initBackend(backend);
      const run = compile([f, g], { backend, args: [x] }) as unknown as (a: number) => number[] | Promise<number[]>;
      const [value, slope] = await run(0.8);
      expect(value).toBeCloseTo(f.eval({ x: 0.8 }), 5);
      expect(slope).toBeCloseTo(g.eval({ x: 0.8 }), 5);
    }
    expect(cos(x)).toBeDefined();
  });

  it('keeps no rule registered once its nodes and function are gone (--expose-gc, in a child process)', () => {
    const script = fileURLToPath(new URL('./custom/lifetime.mts', import.meta.url));
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
    const result = JSON.parse(output.trim().split('\n').pop()!) as { registered: number[]; keptWorks: boolean };
    expect(result.keptWorks).toBe(true);
    for (const count of result.registered) expect(count).toBeLessThan(50);
  }, 180_000);
});

