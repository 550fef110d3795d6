/**
 * The cheap-gradient principle as a test: the one reverse pass keeps
 * size([f, ...gradient]) ≤ 5·size(f) (sizes are deterministic node counts). Timings are in
 * bench/gradient-cost.ts.
 */
import { describe, expect, it } from 'vitest';
import { grad, MVar, size, VVar } from '../../src/index.js';
import { mlpLoss, rosenbrock, vectorRosenbrock } from '../../bench/gradient-cost-functions.js';

describe('gradient cost: size([f, ...grad f]) ≤ 5 · size(f)', () => {
  for (const n of [10, 100, 1_000, 10_000]) {
    it(`Rosenbrock in ${n} scalar variables`, () => {
      const f = rosenbrock(n);
      const gradient = Object.values(grad(f));
      expect(gradient).toHaveLength(n);
      expect(size([f, ...gradient])).toBeLessThanOrEqual(5 * size(f));
    });
  }

  it('Rosenbrock on a vector variable of length 10,000 (one gradient vector)', () => {
    const x = VVar('x', 10_000);
    const f = vectorRosenbrock(x);
    expect(size([f, grad(f, x)])).toBeLessThanOrEqual(5 * size(f));
  });

  it('an MLP loss over matrix parameters, without scalarising them', () => {
    const parameters = { W1: MVar('W1', 784, 128), b1: VVar('b1', 128), W2: MVar('W2', 128, 10), b2: VVar('b2', 10) };
    const f = mlpLoss(MVar('X', 64, 784), MVar('Y', 64, 10), parameters);
    const gradient = grad(f, parameters);
    expect(gradient.W1.rows).toBe(784);
    expect(gradient.W1.columns).toBe(128);
    // Matrix nodes, not 100,352 scalar ones: the gradient is a few dozen nodes.
    expect(size([f, ...Object.values(gradient)])).toBeLessThanOrEqual(5 * size(f));
  });
});
