/** softmaxCrossEntropy and meanSquaredError: values, stability, weights and gradients. */
import { describe, expect, it } from 'vitest';
import { grad, MVar, VVar } from '../../src/index.js';
import { meanSquaredError, softmaxCrossEntropy } from '../../src/nn/index.js';

const Z = MVar('Z', 2, 3);
const Y = MVar('Y', 2, 3);
const z = [[1, 2, 3], [0.5, -1, 0]];
const y = [[0, 0, 1], [1, 0, 0]];

function crossEntropy(rows: number[][], targets: number[][]): number[] {
  return rows.map((row, i) => {
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    return lse - row.reduce((s, v, j) => s + targets[i]![j]! * v, 0);
  });
}

describe('softmaxCrossEntropy', () => {
  it('is the mean of logsumexp(row) − Σ y·z', () => {
    const expected = crossEntropy(z, y);
    expect(softmaxCrossEntropy(Z, Y).eval({ Z: z, Y: y })).toBeCloseTo((expected[0]! + expected[1]!) / 2, 14);
  });

  it('stays finite for huge logits (no exp overflow)', () => {
    const huge = [[1000, 0, -1000], [800, 801, 0]];
    const value = softmaxCrossEntropy(Z, Y).eval({ Z: huge, Y: y });
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeCloseTo((crossEntropy(huge, y)[0]! + crossEntropy(huge, y)[1]!) / 2, 9);
  });

  it('has the gradient (softmax(Z) − Y) / B', () => {
    const g = grad(softmaxCrossEntropy(Z, Y), Z).eval({ Z: z, Y: y });
    g.forEach((row, i) => {
      const e = z[i]!.map(Math.exp);
      const total = e.reduce((s, v) => s + v, 0);
      row.forEach((v, j) => expect(v).toBeCloseTo((e[j]! / total - y[i]![j]!) / 2, 14));
    });
  });

  it('with weights is the weighted sum Σ wᵢℓᵢ (a zero weight ignores a row)', () => {
    const w = VVar('w', 2);
    expect(softmaxCrossEntropy(Z, Y, w).eval({ Z: z, Y: y, w: [1, 0] })).toBeCloseTo(crossEntropy(z, y)[0]!, 14);
  });
});

describe('meanSquaredError', () => {
  it('is the mean of the squared differences, and weighted per row', () => {
    const squares = z.map((row, i) => row.map((v, j) => (v - y[i]![j]!) ** 2));
    const perRow = squares.map((row) => row.reduce((s, v) => s + v, 0) / 3);
    expect(meanSquaredError(Z, Y).eval({ Z: z, Y: y })).toBeCloseTo((perRow[0]! + perRow[1]!) / 2, 14);
    expect(meanSquaredError(Z, Y, VVar('w', 2)).eval({ Z: z, Y: y, w: [0, 2] })).toBeCloseTo(2 * perRow[1]!, 14);
  });
});
