/** The MNIST loader: sizes, ranges, labels that match the pictures, and a reproducible split. */
import { describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { loadMnist } from '../../src/node/index.js';

const data = loadMnist(); // 8000 train, 1700 test, seed 0

describe('loadMnist', () => {
  it('gives 8000 training and 1700 test images of 784 pixels by default', () => {
    expect(data.train.count).toBe(8000);
    expect(data.test.count).toBe(1700);
    expect(data.train.images.length).toBe(8000 * 784);
    expect(data.train.labels.length).toBe(8000);
    expect(data.train.oneHot.length).toBe(8000 * 10);
    expect(data.test.images.length).toBe(1700 * 784);
  });

  it('has grey levels in [0, 1], both ends used', () => {
    let min = Infinity, max = -Infinity;
    for (const v of data.train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('has every digit at a plausible frequency (each about a tenth)', () => {
    for (const split of [data.train, data.test]) {
      const counts = new Array<number>(10).fill(0);
      for (const l of split.labels) counts[l]!++;
      for (const c of counts) {
        expect(c / split.count).toBeGreaterThan(0.07);
        expect(c / split.count).toBeLessThan(0.14);
      }
    }
  });

  it('one-hot encodes the labels', () => {
    const { labels, oneHot } = data.test;
    for (let i = 0; i < labels.length; i++) {
      const row = Array.from(oneHot.subarray(i * 10, i * 10 + 10));
      expect(row.indexOf(1)).toBe(labels[i]);
      expect(row.reduce((s, v) => s + v, 0)).toBe(1);
    }
  });

  it('pairs pictures with their labels: a 1 has less ink than a 0 on average', () => {
    const ink = (digit: number) => {
      let total = 0, n = 0;
      data.train.labels.forEach((l, i) => {
        if (l !== digit) return;
        n++;
        for (let p = 0; p < 784; p++) total += data.train.images[i * 784 + p]!;
      });
      return total / n;
    };
    expect(ink(1)).toBeLessThan(0.6 * ink(0));
  });

  it('puts no image in both splits', () => {
    const key = (images: Float64Array, i: number) => images.subarray(i * 784, i * 784 + 784).join(',');
    const test = new Set(Array.from({ length: data.test.count }, (_, i) => key(data.test.images, i)));
    let shared = 0;
    for (let i = 0; i < data.train.count; i++) if (test.has(key(data.train.images, i))) shared++;
    expect(shared).toBe(0);
  });

  it('is deterministic for a seed, and another seed gives another split', () => {
    const a = loadMnist({ train: 100, test: 50, seed: 'a' });
    const b = loadMnist({ train: 100, test: 50, seed: 'a' });
    expect(a.train.labels).toEqual(b.train.labels);
    expect(a.train.images).toEqual(b.train.images);
    expect(a.test.images).toEqual(b.test.images);
    const c = loadMnist({ train: 100, test: 50, seed: 'b' });
    expect(c.train.labels).not.toEqual(a.train.labels);
    // The default split starts like a seed-0 split of any size: one shuffle, then slices.
    expect(loadMnist({ train: 10, test: 0 }).train.labels).toEqual(data.train.labels.subarray(0, 10));
  });

  it('rejects more images than the package has, naming the counts', () => {
    expect(() => loadMnist({ train: 9000, test: 2000 })).toThrow(TypegradError);
    expect(() => loadMnist({ train: 9000, test: 2000 })).toThrow(/train \(9000\) \+ test \(2000\) = 11000 images, but the mnist package has 10000/);
    expect(() => loadMnist({ train: -1 })).toThrow(/train must be a non-negative integer, got number -1/);
  });
});
