/**
 * Optimizers as plain update rules: parameters are a record of named `Float64Array`s, updated in
 * place from a record of gradients of the same names and lengths. An optimizer knows nothing of
 * models or expressions, so the same rule drives scalar examples today and dense layers later.
 *
 * @example
 * const params = { w: new Float64Array([1, 2]), b: new Float64Array([0]) };
 * const optimizer = adam({ lr: 0.01 });
 * const state = optimizer.init(params);
 * optimizer.step(params, gradients, state); // params updated in place
 */
import { TypegradError } from '../ad/errors.js';
import { describeValue, recordOf } from '../api/record.js';

/** Named parameter (or gradient) arrays. */
export type ParameterRecord = Readonly<Record<string, Float64Array>>;

/** An update rule with its own per-parameter state `S` (moments, step count). */
export interface Optimizer<S = unknown> {
  /** A short description, e.g. `adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)`. */
  readonly name: string;
  /** Fresh state for these parameters (zeros). */
  init(params: ParameterRecord): S;
  /** One step: updates every parameter in place from its gradient, and the state. */
  step(params: ParameterRecord, grads: ParameterRecord, state: S): void;
}

/** Options of `sgd`. */
export interface SgdOptions {
  /** Learning rate. */
  readonly lr: number;
}

/** Options of `momentum`. */
export interface MomentumOptions {
  readonly lr: number;
  /** Decay of the velocity, in [0, 1); default 0.9. */
  readonly beta?: number;
}

/** Options of `adam`. */
export interface AdamOptions {
  /** Learning rate; default 0.001. */
  readonly lr?: number;
  /** Decay of the first moment, in [0, 1); default 0.9. */
  readonly beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  readonly beta2?: number;
  /** Added to √v̂ to avoid division by zero; default 1e-8. */
  readonly eps?: number;
}

/** Per-parameter velocity of `momentum`. */
export interface MomentumState {
  readonly velocity: Record<string, Float64Array>;
}

/** Moments and step count of `adam`. */
export interface AdamState {
  /** Steps taken so far (bias correction uses it). */
  t: number;
  readonly m: Record<string, Float64Array>;
  readonly v: Record<string, Float64Array>;
}

/**
 * Plain gradient descent: p ← p − lr · g.
 * @example sgd({ lr: 0.1 })
 */
export function sgd(options: SgdOptions): Optimizer<null> {
  const lr = positive(options, 'lr', 'sgd');
  return {
    name: `sgd(lr=${lr})`,
    init: (params) => {
      checkParams(params, 'sgd.init');
      return null;
    },
    step: (params, grads) => {
      for (const [, p, g] of pairs(params, grads, 'sgd.step')) for (let i = 0; i < p.length; i++) p[i]! -= lr * g[i]!;
    },
  };
}

/**
 * Gradient descent with (heavy-ball) momentum: v ← β·v + g, p ← p − lr · v. The velocity
 * averages recent gradients, which damps oscillation across a narrow valley.
 * @example momentum({ lr: 0.01, beta: 0.9 })
 */
export function momentum(options: MomentumOptions): Optimizer<MomentumState> {
  const lr = positive(options, 'lr', 'momentum');
  const beta = decay(options, 'beta', 0.9, 'momentum');
  return {
    name: `momentum(lr=${lr}, beta=${beta})`,
    init: (params) => ({ velocity: zerosLike(params, 'momentum.init') }),
    step: (params, grads, state) => {
      for (const [name, p, g] of pairs(params, grads, 'momentum.step')) {
        const v = stateArray(state?.velocity, name, p.length, 'momentum.step');
        for (let i = 0; i < p.length; i++) {
          v[i] = beta * v[i]! + g[i]!;
          p[i]! -= lr * v[i]!;
        }
      }
    },
  };
}

/**
 * Adam (Kingma and Ba): per-coordinate step sizes from running averages of the gradient (m) and
 * of its square (v), bias-corrected because both start at zero:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr · m̂ / (√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 * @example adam({ lr: 0.001 })
 */
export function adam(options: AdamOptions = {}): Optimizer<AdamState> {
  const lr = options.lr === undefined ? 0.001 : positive(options, 'lr', 'adam');
  const beta1 = decay(options, 'beta1', 0.9, 'adam');
  const beta2 = decay(options, 'beta2', 0.999, 'adam');
  const eps = options.eps === undefined ? 1e-8 : positive(options, 'eps', 'adam');
  return {
    name: `adam(lr=${lr}, beta1=${beta1}, beta2=${beta2}, eps=${eps})`,
    init: (params) => ({ t: 0, m: zerosLike(params, 'adam.init'), v: zerosLike(params, 'adam.init') }),
    step: (params, grads, state) => {
      const checked = pairs(params, grads, 'adam.step');
      if (state === null || typeof state !== 'object' || !Number.isInteger(state.t)) {
        throw new TypegradError(`adam.step: expected the state made by init, got ${describeValue(state)}`);
      }
      const t = state.t + 1;
      const correction1 = 1 - beta1 ** t;
      const correction2 = 1 - beta2 ** t;
      for (const [name, p, g] of checked) {
        const m = stateArray(state.m, name, p.length, 'adam.step');
        const v = stateArray(state.v, name, p.length, 'adam.step');
        for (let i = 0; i < p.length; i++) {
          const gi = g[i]!;
          m[i] = beta1 * m[i]! + (1 - beta1) * gi;
          v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
          p[i]! -= (lr * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + eps);
        }
      }
      state.t = t;
    },
  };
}

function positive(options: object, key: string, operation: string): number {
  if (options === null || typeof options !== 'object') throw new TypegradError(`${operation}: expected an options object, got ${describeValue(options)}`);
  const value = (options as Record<string, unknown>)[key];
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new TypegradError(`${operation}: ${key} must be a positive finite number, got ${describeValue(value)}`);
  }
  return value;
}

function decay(options: object, key: string, fallback: number, operation: string): number {
  if (options === null || typeof options !== 'object') throw new TypegradError(`${operation}: expected an options object, got ${describeValue(options)}`);
  const value = (options as Record<string, unknown>)[key] ?? fallback;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new TypegradError(`${operation}: ${key} must be a number in [0, 1), got ${describeValue(value)}`);
  }
  return value;
}

function checkParams(params: unknown, operation: string): [string, Float64Array][] {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new TypegradError(`${operation}: expected a record of Float64Array parameters, got ${describeValue(params)}`);
  }
  return Object.keys(params).map((name) => {
    const value = (params as Record<string, unknown>)[name];
    if (!(value instanceof Float64Array)) throw new TypegradError(`${operation}: parameter '${name}' must be a Float64Array, got ${describeValue(value)}`);
    return [name, value];
  });
}

/** Parameters with their gradients, after checking that names and lengths match exactly. */
function pairs(params: ParameterRecord, grads: ParameterRecord, operation: string): [string, Float64Array, Float64Array][] {
  const entries = checkParams(params, operation);
  if (grads === null || typeof grads !== 'object' || Array.isArray(grads)) {
    throw new TypegradError(`${operation}: expected a record of Float64Array gradients, got ${describeValue(grads)}`);
  }
  for (const name of Object.keys(grads)) {
    if (!Object.hasOwn(params, name)) throw new TypegradError(`${operation}: gradient '${name}' has no parameter of that name (parameters: ${entries.map(([n]) => n).join(', ')})`);
  }
  return entries.map(([name, p]) => {
    const g: unknown = Object.hasOwn(grads, name) ? grads[name] : undefined;
    if (g === undefined) throw new TypegradError(`${operation}: no gradient for parameter '${name}'`);
    if (!(g instanceof Float64Array)) throw new TypegradError(`${operation}: gradient '${name}' must be a Float64Array, got ${describeValue(g)}`);
    if (g.length !== p.length) {
      throw new TypegradError(`${operation}: parameter '${name}' has length ${p.length} but its gradient has length ${g.length}`);
    }
    return [name, p, g];
  });
}

function zerosLike(params: ParameterRecord, operation: string): Record<string, Float64Array> {
  return recordOf(checkParams(params, operation).map(([name, p]) => [name, new Float64Array(p.length)]));
}

/** The state array of one parameter, checked: a state made by `init` for other parameters is an error. */
function stateArray(record: Record<string, Float64Array> | undefined, name: string, length: number, operation: string): Float64Array {
  const array = record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
  if (!(array instanceof Float64Array)) throw new TypegradError(`${operation}: the state has no entry for parameter '${name}'; make it with init(params)`);
  if (array.length !== length) {
    throw new TypegradError(`${operation}: parameter '${name}' has length ${length} but its state has length ${array.length}; make the state with init(params)`);
  }
  return array;
}
