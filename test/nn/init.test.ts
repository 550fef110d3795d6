/** Weight initialisers: shapes, bounds, scales and reproducibility. */
import { describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { glorotNormal, glorotUniform, heNormal, heUniform, Random } from '../../src/nn/index.js';

const stats = (xs: Float64Array) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  return { mean, std, min: Math.min(...xs), max: Math.max(...xs) };
};

describe('initialisers (W is rows × cols: fan-out = rows, fan-in = cols)', () => {
  it('glorotUniform lies in ±√(6 / (fanIn + fanOut)) and fills it', () => {
    const w = glorotUniform(200, 300, new Random(1));
    const limit = Math.sqrt(6 / 500);
    expect(w).toBeInstanceOf(Float64Array);
    expect(w.length).toBe(60_000);
    const s = stats(w);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThan(limit);
    expect(s.min).toBeLessThan(-0.99 * limit);
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 3);
  });
  it('glorotNormal has standard deviation √(2 / (fanIn + fanOut))', () => {
    const s = stats(glorotNormal(200, 300, new Random(2)));
    expect(s.mean).toBeCloseTo(0, 2);
    expect(s.std).toBeCloseTo(Math.sqrt(2 / 500), 3);
  });
  it('heUniform lies in ±√(6 / fanIn), fan-in being the number of columns', () => {
    const s = stats(heUniform(100, 600, new Random(3)));
    const limit = Math.sqrt(6 / 600);
    expect(s.max).toBeLessThan(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 3);
  });
  it('heNormal has standard deviation √(2 / fanIn)', () => {
    const s = stats(heNormal(100, 600, new Random(4)));
    expect(s.std).toBeCloseTo(Math.sqrt(2 / 600), 3);
  });
  it('is reproducible: same seed, same weights', () => {
    expect(heNormal(3, 4, new Random('layer 1'))).toEqual(heNormal(3, 4, new Random('layer 1')));
    expect(glorotUniform(3, 4, new Random('layer 1'))).not.toEqual(glorotUniform(3, 4, new Random('layer 2')));
  });
  it('rejects a bad shape or generator, naming it', () => {
    expect(() => heNormal(0, 4, new Random(1))).toThrow(TypegradError);
    expect(() => heNormal(3, 2.5, new Random(1))).toThrow(/heNormal: cols must be a positive integer, got number 2.5/);
    expect(() => glorotUniform(3, 4, Math as never)).toThrow(/glorotUniform: expected a Random generator, got an object/);
  });
});
