/**
 * The gpu backend's numbers at the edges, against JavaScript's (the reference interpreter's)
 * rules: GLSL's own pow, tanh and comparisons differ there, and the shader translator folds
 * constant NaN and ±∞ to finite numbers. Each case runs as a program of scalars (one kernel
 * over a batch) and as a tensor program (a pipeline), in the gpu.js mode that loads.
 */
import { describe, expect, it } from 'vitest';
import { compile, d, grad, heaviside, initBackend, log, pow, relu, sign, sqrt, sum, tanh, Var, VVar, type SFun } from '../../src/index.js';

const info = await initBackend('gpu');

const x = Var('x'), y = Var('y');

/** `f` at the points on the gpu, as a batch and as a vector program, and on js. */
function both(f: (a: SFun<'x'>, b: SFun<'y'>) => SFun<string>, points: readonly (readonly [number, number])[]): { batch: number[]; tensor: number[]; js: number[] } {
  const scalar = f(x, y);
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const batch = Array.from(compile(scalar, { batch: true, backend: 'gpu', args: [x, y] })(xs, ys) as Float32Array);
  const js = Array.from(compile(scalar, { batch: true, args: [x, y] })(xs, ys) as Float64Array);
  const u = VVar('x', points.length), v = VVar('y', points.length);
  const vector = f(u as unknown as SFun<'x'>, v as unknown as SFun<'y'>);
  const tensor = Array.from((compile(vector, { backend: 'gpu', args: [u, v] } as never) as (...columns: unknown[]) => Float32Array)(xs, ys));
  return { batch, tensor, js };
}

/** Equal as IEEE values (NaN equals NaN, ±∞ exact), finite ones within float32 rounding. */
function expectSame(got: readonly number[], expected: readonly number[], what: string): void {
  expected.forEach((e, i) => {
    const g = got[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(g, `${what} at ${i}`).toBe(e);
    else expect(Math.abs(g - e), `${what} at ${i}: ${g} vs ${e}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(e)));
  });
}

function check(name: string, f: (a: SFun<'x'>, b: SFun<'y'>) => SFun<string>, points: readonly (readonly [number, number])[], expected?: readonly number[]): void {
  const { batch, tensor, js } = both(f, points);
  const reference = expected ?? js;
  expectSame(batch, reference, `${name} (batch)`);
  expectSame(tensor, reference, `${name} (tensor)`);
}

describe(`gpu numerics at the edges, in gpu.js mode '${info.engine}'`, () => {
  it('tanh is ±1 far from 0 (it was NaN above about 45) and NaN at NaN', () => {
    check('tanh', (a, b) => tanh(a).add(b.mul(0)), [[50, 0], [-50, 0], [45, 0], [1000, 0], [0.5, 0], [-3, 0], [NaN, 0]], [1, -1, 1, 1, Math.tanh(0.5), Math.tanh(-3), NaN]);
  });

  it('x^y with a run-time integer exponent and a negative base is signed by the parity (it was NaN)', () => {
    const points = [[-2, 3], [-2, 2], [-2, -3], [-0.5, 3], [-3, 0], [-2, 0.5], [2, 0.5], [NaN, 0], [2, NaN]] as const;
    check('pow', (a, b) => pow(a, b), points, points.map(([p, q]) => p ** q));
  });

  it('a zero base: 0^−0.5 and 0^−1 are ∞ (0^−0.5 was 0), so d(√x) at 0 is ∞; 0^0 is 1, 0^2 is 0', () => {
    check('pow at 0', (a, b) => pow(a, b), [[0, -0.5], [0, -1], [0, 0], [0, 2]], [Infinity, Infinity, 1, 0]);
    check('x^-0.5', (a, b) => a.pow(-0.5).add(b.mul(0)), [[0, 0], [4, 0]], [Infinity, 0.5]);
    const derivative = compile(d(sqrt(x), x), { batch: true, backend: 'gpu' })({ x: [0, 4] }) as Float32Array;
    expect(Array.from(derivative)).toEqual([Infinity, 0.25]);
    const v = VVar('v', 2);
    const gradient = compile(grad(sum(sqrt(v))).v, { backend: 'gpu' })({ v: [0, 4] }) as unknown as Float32Array;
    expect(Array.from(gradient)).toEqual([Infinity, 0.25]);
  });

  it('log(x, 1) is ln(x)/0: ∞, NaN, −∞ (it was 1); a base given at run time too', () => {
    check('log base 1', (a, b) => log(a, 1).add(b.mul(0)), [[2, 0], [1, 0], [0.5, 0], [0, 0], [-1, 0]], [Infinity, NaN, -Infinity, -Infinity, NaN]);
    check('log base y', (a, b) => log(a, b), [[2, 1], [8, 2], [1, 1]], [Infinity, 3, NaN]);
  });

  it('sign, heaviside and relu of NaN are NaN (they were 0); at 0 and ±∞ as in JavaScript', () => {
    const points = [[NaN, 0], [0, 0], [-2, 0], [3, 0], [Infinity, 0], [-Infinity, 0]] as const;
    check('sign', (a, b) => sign(a).add(b.mul(0)), points, [NaN, 0, -1, 1, 1, -1]);
    check('heaviside', (a, b) => heaviside(a).add(b.mul(0)), points, [NaN, 0, 0, 1, 1, 0]);
    check('relu', (a, b) => relu(a).add(b.mul(0)), points, [NaN, 0, 0, 3, Infinity, 0]);
  });

  it('a NaN in the data does not disappear from relu(v).sum()', () => {
    const v = VVar('v', 4);
    const f = compile(sum(relu(v)), { backend: 'gpu' });
    expect(f({ v: [1, NaN, -2, 3] })).toBeNaN();
    expect(f({ v: [1, 2, -2, 3] })).toBe(6);
  });

  it('constants NaN and ±∞ reach a kernel as themselves (the translator folds 1.0 / 0.0 to 3.4e38)', () => {
    check('constants', (a, b) => a.mul(0).add(b).add(Infinity), [[1, 0], [2, -1]], [Infinity, Infinity]);
    check('NaN constant', (a, b) => a.add(b).mul(NaN), [[1, 0]], [NaN]);
  });
});
