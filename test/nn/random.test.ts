/** The seeded generator: reproducible, the reference xoshiro128** stream, sound distributions. */
import { describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { Random } from '../../src/nn/index.js';
import { xoshiro128StarStar } from '../../src/nn/random.js';

describe('xoshiro128**', () => {
  it('gives the reference outputs from the state (1, 2, 3, 4)', () => {
    // Hand-traced from the reference C code: result = rotl(s1 * 5, 7) * 9, then the state update.
    const state = new Uint32Array([1, 2, 3, 4]);
    expect(xoshiro128StarStar(state)).toBe(11520);
    expect(xoshiro128StarStar(state)).toBe(0);
    expect(Array.from(state)).toEqual([12295, 1029, 1029, 25165824]);
    expect(xoshiro128StarStar(state)).toBe(5927040);
  });
});

describe('Random', () => {
  it('gives the same numbers for the same seed, and others for another seed', () => {
    const draw = (seed: number | string) => {
      const r = new Random(seed);
      return [r.nextUint32(), r.uniform(), r.normal(), r.integer(1000), ...r.permutation(8)];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw('mnist')).toEqual(draw('mnist'));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(1)).not.toEqual(draw('1'));
    expect(draw(0)).toEqual(draw(-0));
  });

  it('pins the stream of seed 42, so a change of algorithm is noticed', () => {
    const r = new Random(42);
    const first = [r.nextUint32(), r.nextUint32(), r.nextUint32()];
    expect(first).toEqual(pinned42);
  });

  it('draws uniform numbers in [low, high) with the right mean and variance', () => {
    const r = new Random(7);
    const xs = r.uniformArray(100_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
    expect(variance(xs)).toBeCloseTo(1 / 12, 2);
    const ys = r.uniformArray(1000, -3, 5);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...ys)).toBeLessThan(5);
  });

  it('draws normal numbers with the requested mean and standard deviation', () => {
    const xs = new Random(8).normalArray(100_000, 2, 3);
    expect(mean(xs)).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance(xs))).toBeCloseTo(3, 1);
    // About 68.3% within one standard deviation.
    expect(xs.filter((x) => Math.abs(x - 2) < 3).length / xs.length).toBeCloseTo(0.683, 2);
  });

  it('draws integers uniformly (chi-square over 10 bins)', () => {
    const r = new Random(9);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.integer(10)]!++;
    const chiSquare = counts.reduce((s, c) => s + (c - 5000) ** 2 / 5000, 0);
    expect(chiSquare).toBeLessThan(27.9); // the 0.1% critical value for 9 degrees of freedom
  });

  it('shuffles in place into a permutation, every order about equally often', () => {
    const r = new Random(10);
    const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(r.shuffle(items)).toBe(items);
    expect([...items].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const typed = r.shuffle(Float64Array.from([1, 2, 3]));
    expect([...typed].sort()).toEqual([1, 2, 3]);
    const orders = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = r.shuffle(['a', 'b', 'c']).join('');
      orders.set(key, (orders.get(key) ?? 0) + 1);
    }
    expect(orders.size).toBe(6);
    for (const count of orders.values()) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });

  it('rejects bad seeds and arguments with a TypegradError naming them', () => {
    expect(() => new Random(NaN)).toThrow(TypegradError);
    expect(() => new Random({} as never)).toThrow(/seed must be a finite number or a string, got an object/);
    expect(() => new Random(1).integer(0)).toThrow(/integer: n must be an integer from 1 to 2\^32, got number 0/);
    expect(() => new Random(1).permutation(-1)).toThrow(/permutation: n must be a non-negative integer/);
    expect(() => new Random(1).uniformArray(1.5)).toThrow(/uniformArray: length must be a non-negative integer, got number 1.5/);
  });
});

const pinned42 = [595342551, 935949231, 3418194697];

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / xs.length;
}
