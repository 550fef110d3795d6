/** Optimizers: hand-computed steps, convergence on a convex quadratic, and misuse. */
import { describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { adam, momentum, sgd, type Optimizer, type ParameterRecord } from '../../src/nn/index.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);

describe('sgd', () => {
  it('steps p ← p − lr·g', () => {
    const params = { w: f64(1, 2), b: f64(-1) };
    const opt = sgd({ lr: 0.1 });
    opt.step(params, { w: f64(10, -20), b: f64(0.5) }, opt.init(params));
    expect(Array.from(params.w)).toEqual([1 - 0.1 * 10, 2 + 0.1 * 20]);
    expect(Array.from(params.b)).toEqual([-1 - 0.1 * 0.5]);
  });
});

describe('momentum', () => {
  it('accumulates v ← β·v + g and steps p ← p − lr·v', () => {
    const params = { w: f64(1) };
    const opt = momentum({ lr: 0.1, beta: 0.9 });
    const state = opt.init(params);
    opt.step(params, { w: f64(2) }, state); // v = 2, w = 1 − 0.2
    expect(params.w[0]).toBeCloseTo(0.8, 15);
    opt.step(params, { w: f64(2) }, state); // v = 0.9·2 + 2 = 3.8, w = 0.8 − 0.38
    expect(state.velocity.w![0]).toBeCloseTo(3.8, 15);
    expect(params.w[0]).toBeCloseTo(0.42, 15);
  });
  it('defaults beta to 0.9', () => {
    expect(momentum({ lr: 1 }).name).toBe('momentum(lr=1, beta=0.9)');
  });
});

describe('adam', () => {
  it('moves each coordinate by about lr on its first step (bias correction)', () => {
    // With m = v = 0, step 1 gives m̂ = g and v̂ = g², so the update is lr·g/(|g| + ε) ≈ lr·sign(g).
    const params = { w: f64(1, 1, 1) };
    const opt = adam({ lr: 0.01 });
    const state = opt.init(params);
    const g = f64(1000, -0.001, 3);
    opt.step(params, { w: g }, state);
    expect(state.t).toBe(1);
    for (let i = 0; i < 3; i++) {
      const expected = 1 - (0.01 * g[i]!) / (Math.abs(g[i]!) + 1e-8);
      expect(params.w[i]).toBeCloseTo(expected, 12);
    }
    expect(params.w[0]).toBeCloseTo(0.99, 8);
    expect(params.w[1]).toBeCloseTo(1.01, 5);
  });
  it('matches a hand-computed second step', () => {
    const [lr, b1, b2, eps] = [0.1, 0.9, 0.999, 1e-8];
    const params = { x: f64(0) };
    const opt = adam({ lr, beta1: b1, beta2: b2, eps });
    const state = opt.init(params);
    opt.step(params, { x: f64(2) }, state);
    opt.step(params, { x: f64(-1) }, state);
    let p = 0, m = 0, v = 0;
    for (const [t, g] of [[1, 2], [2, -1]] as const) {
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      p -= (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
    }
    expect(params.x[0]).toBeCloseTo(p, 14);
    expect(state.m.x![0]).toBeCloseTo(m, 14);
    expect(state.v.x![0]).toBeCloseTo(v, 14);
  });
  it('has the usual defaults', () => {
    expect(adam().name).toBe('adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)');
  });
});

describe('on a convex quadratic f(p) = Σ cᵢ (pᵢ − tᵢ)²', () => {
  const c = [1, 10, 0.5], target = [3, -2, 0.5];
  const gradient = (p: Float64Array) => Float64Array.from(p, (pi, i) => 2 * c[i]! * (pi - target[i]!));
  const run = <S>(opt: Optimizer<S>, steps: number) => {
    const params = { p: f64(0, 0, 0) };
    const state = opt.init(params);
    for (let k = 0; k < steps; k++) opt.step(params, { p: gradient(params.p) }, state);
    return Array.from(params.p);
  };
  it.each([
    ['sgd', sgd({ lr: 0.04 }), 500],
    ['momentum', momentum({ lr: 0.01, beta: 0.9 }), 500],
    ['adam', adam({ lr: 0.05 }), 2000],
  ] as const)('%s converges to the minimum', (_, opt, steps) => {
    const p = run(opt as Optimizer<unknown>, steps);
    p.forEach((pi, i) => expect(pi).toBeCloseTo(target[i]!, 3));
  });
});

describe('misuse', () => {
  const params: ParameterRecord = { w: f64(1, 2, 3), b: f64(0) };
  const grads = (over: Record<string, unknown>) => ({ w: f64(1, 1, 1), b: f64(1), ...over }) as ParameterRecord;
  it.each([sgd({ lr: 0.1 }), momentum({ lr: 0.1 }), adam()] as Optimizer<unknown>[])('%#: names the parameter and both lengths', (opt) => {
    const state = opt.init(params);
    expect(() => opt.step(params, grads({ w: f64(1, 1) }), state)).toThrow(TypegradError);
    expect(() => opt.step(params, grads({ w: f64(1, 1) }), state)).toThrow(/parameter 'w' has length 3 but its gradient has length 2/);
    expect(() => opt.step(params, { w: f64(1, 1, 1) }, state)).toThrow(/no gradient for parameter 'b'/);
    expect(() => opt.step(params, grads({ c: f64(1) }), state)).toThrow(/gradient 'c' has no parameter of that name \(parameters: w, b\)/);
    expect(() => opt.step(params, grads({ b: [1] }), state)).toThrow(/gradient 'b' must be a Float64Array, got an array of length 1/);
    expect(() => opt.init({ w: [1, 2] } as never)).toThrow(/parameter 'w' must be a Float64Array/);
  });
  it('rejects state made for other parameters', () => {
    const opt = adam();
    const state = opt.init({ w: f64(1) });
    expect(() => opt.step(params, grads({}), state)).toThrow(/adam.step: parameter 'w' has length 3 but its state has length 1; make the state with init\(params\)/);
    expect(() => momentum({ lr: 1 }).step(params, grads({}), { velocity: {} })).toThrow(/the state has no entry for parameter 'w'/);
  });
  it('rejects bad hyperparameters', () => {
    expect(() => sgd({ lr: -1 })).toThrow(/sgd: lr must be a positive finite number, got number -1/);
    expect(() => sgd({} as never)).toThrow(/sgd: lr must be a positive finite number, got undefined/);
    expect(() => momentum({ lr: 0.1, beta: 1 })).toThrow(/momentum: beta must be a number in \[0, 1\), got number 1/);
    expect(() => adam({ eps: 0 })).toThrow(/adam: eps must be a positive finite number/);
  });
  it('keeps a parameter named __proto__ as an ordinary name', () => {
    const weird: Record<string, Float64Array> = {};
    Object.defineProperty(weird, '__proto__', { value: f64(1), enumerable: true });
    const gw: Record<string, Float64Array> = {};
    Object.defineProperty(gw, '__proto__', { value: f64(2), enumerable: true });
    const opt = momentum({ lr: 0.5 });
    opt.step(weird, gw, opt.init(weird));
    expect(weird['__proto__']![0]).toBe(0);
  });
});
