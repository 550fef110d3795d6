/** dense and sequential: the affine map and activation, initialisation, and the run-time checks. */
import { describe, expect, it } from 'vitest';
import { MVar, TypegradError } from '../../src/index.js';
import { dense, Random, sequential } from '../../src/nn/index.js';

const X = MVar('X', 2, 3);
const x = [[1, 2, 3], [-1, 0, 2]];
const W = [[1, 0], [0, -1], [2, 1]];
const b = [0.5, -4];
const affine = x.map((row) => b.map((bj, j) => bj + row.reduce((s, xi, i) => s + xi * W[i]![j]!, 0)));

describe('dense', () => {
  it('computes X·W + b with W [inputs, outputs] and b added to every row', () => {
    const l = dense('l', 3, 2);
    expect(Object.keys(l.parameters)).toEqual(['l.W', 'l.b']);
    expect(l.W.rows).toBe(3);
    expect(l.W.columns).toBe(2);
    expect(l.apply(X).eval({ X: x, 'l.W': W, 'l.b': b })).toEqual(affine);
  });

  it.each([
    ['relu', (z: number) => Math.max(z, 0)],
    ['tanh', Math.tanh],
    ['sigmoid', (z: number) => 1 / (1 + Math.exp(-z))],
  ] as const)('applies %s elementwise', (activation, f) => {
    const out = dense('l', 3, 2, { activation }).apply(X).eval({ X: x, 'l.W': W, 'l.b': b });
    out.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(f(affine[i]![j]!), 12)));
  });

  it('applies softmax to each row', () => {
    const out = dense('l', 3, 2, { activation: 'softmax' }).apply(X).eval({ X: x, 'l.W': W, 'l.b': b });
    out.forEach((row, i) => {
      const e = affine[i]!.map(Math.exp);
      row.forEach((v, j) => expect(v).toBeCloseTo(e[j]! / (e[0]! + e[1]!), 12));
    });
  });

  it('initialises W from the seed (He for relu, Glorot otherwise) and b at zero', () => {
    const relu = dense('a', 784, 128, { activation: 'relu' });
    const first = relu.init(new Random(7));
    expect(first['a.W']).toEqual(relu.init(new Random(7))['a.W']);
    expect(first['a.W']).not.toEqual(relu.init(new Random(8))['a.W']);
    expect(first['a.W']).toHaveLength(784 * 128);
    expect(first['a.b']).toEqual(new Float64Array(128));
    const max = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(relu.initializer).toBe('he-uniform');
    expect(max(first['a.W'])).toBeLessThanOrEqual(Math.sqrt(6 / 784));
    expect(max(first['a.W'])).toBeGreaterThan(0.95 * Math.sqrt(6 / 784));
    const linear = dense('c', 128, 10);
    expect(linear.initializer).toBe('glorot-uniform');
    expect(max(linear.init(new Random(7))['c.W'])).toBeLessThanOrEqual(Math.sqrt(6 / 138));
    const normal = dense('d', 400, 300, { initializer: 'he-normal' }).init(new Random(1))['d.W'];
    const std = Math.sqrt(normal.reduce((s, v) => s + v * v, 0) / normal.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 400), 3);
  });

  it('rejects a batch of the wrong width at run time, naming the layer and both shapes', () => {
    const l = dense('l1', 784, 128);
    expect(() => l.apply(MVar('Z', 64, 785) as never)).toThrow(new TypegradError("dense 'l1': the layer takes rows of 784 inputs, got a matrix[64×785]"));
  });

  it('rejects an unknown activation or initializer', () => {
    expect(() => dense('l', 2, 2, { activation: 'gelu' as never })).toThrow(/dense 'l': unknown activation the string "gelu"/);
    expect(() => dense('l', 2, 2, { initializer: 'zeros' as never })).toThrow(/dense 'l': unknown initializer/);
  });
});

describe('sequential', () => {
  it('applies the models in order and merges their parameters and initial values', () => {
    const l1 = dense('s1', 3, 2, { activation: 'relu' });
    const l2 = dense('s2', 2, 1);
    const model = sequential(l1, l2);
    expect(model.inputs).toBe(3);
    expect(model.outputs).toBe(1);
    expect(Object.keys(model.parameters)).toEqual(['s1.W', 's1.b', 's2.W', 's2.b']);
    const values = { X: x, 's1.W': W, 's1.b': b, 's2.W': [[1], [1]], 's2.b': [0] };
    const hidden = affine.map((row) => row.map((v) => Math.max(v, 0)));
    expect(model.apply(X).eval(values)).toEqual(hidden.map((row) => [row[0]! + row[1]!]));
    expect(Object.keys(model.init(new Random(0)))).toEqual(['s1.W', 's1.b', 's2.W', 's2.b']);
  });

  it('rejects layers that do not fit or share a parameter name (for untyped callers)', () => {
    const untyped = sequential as (...layers: unknown[]) => unknown;
    expect(() => untyped(dense('a', 3, 2), dense('b', 4, 1))).toThrow(new TypegradError('sequential: shape mismatch: layer 2 takes examples of vector[4], but layer 1 gives vector[2]'));
    expect(() => sequential(dense('a', 3, 2), dense('a', 2, 1))).toThrow(/two layers have a parameter named 'a.W'/);
  });
});
