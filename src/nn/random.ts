/**
 * A seeded pseudo-random number generator, so that initialisation, shuffling and sampling are
 * reproducible: the same seed gives the same numbers on every platform and run.
 *
 * The generator is xoshiro128** (Blackman and Vigna): 128 bits of state, period 2^128 − 1, fast
 * in JavaScript because it needs only 32-bit integer operations. A seed (a number or a string) is
 * hashed to 32 bits and expanded to the 128-bit state with splitmix32, as the authors recommend,
 * so that similar seeds (1, 2, 3) still give unrelated streams.
 */
import { TypegradError } from '../ad/errors.js';
import { describeValue } from '../api/record.js';

/** What a generator can be seeded with. */
export type Seed = number | string;

/** xoshiro128**: advances `state` (four 32-bit words) in place and returns the next 32-bit output. */
export function xoshiro128StarStar(state: Uint32Array): number {
  const s0 = state[0]!, s1 = state[1]!, s2 = state[2]!, s3 = state[3]!;
  const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  state[1] = s1 ^ n2;
  state[0] = s0 ^ n3;
  state[2] = n2 ^ t;
  state[3] = rotateLeft(n3, 11);
  return result;
}

function rotateLeft(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed as 32-bit words, tagged by kind so that the number 1 and the string "1" differ. */
function seedWords(seed: Seed): number[] {
  if (typeof seed === 'string') return [0x5354_5247, ...Array.from(seed, (c) => c.codePointAt(0)!)];
  // Every finite number is a valid seed (Date.now() too): its IEEE bits are the words.
  const bits = new Uint32Array(new Float64Array([seed === 0 ? 0 : seed]).buffer);
  return [0x4e55_4d42, bits[0]!, bits[1]!];
}

/** The 128-bit initial state for a seed: the seed hashed to 32 bits, expanded by splitmix32. */
export function stateFromSeed(seed: Seed): Uint32Array {
  let hash = 0;
  for (const word of seedWords(seed)) hash = mix32(hash ^ word) + 0x9e3779b9;
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    hash = (hash + 0x9e3779b9) | 0;
    let z = hash;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    state[i] = (z ^ (z >>> 15)) >>> 0;
  }
  if (state.every((w) => w === 0)) state[0] = 1; // the one state xoshiro never leaves
  return state;
}

const TWO_POW_26 = 2 ** 26;
const TWO_POW_53 = 2 ** 53;
const TWO_POW_32 = 2 ** 32;

/**
 * A seeded random number generator (xoshiro128**). Same seed, same numbers.
 *
 * @example
 * const random = new Random(42);
 * random.uniform();        // in [0, 1)
 * random.normal(0, 0.1);   // Gaussian, mean 0, standard deviation 0.1
 * random.shuffle([1, 2, 3, 4]);
 */
export class Random {
  readonly #state: Uint32Array;
  /** Box–Muller makes normals in pairs; the second waits here for the next call. */
  #spareNormal: number | undefined;

  /** A generator seeded with a finite number or a string. */
  constructor(seed: Seed) {
    if (typeof seed !== 'string' && (typeof seed !== 'number' || !Number.isFinite(seed))) {
      throw new TypegradError(`Random: the seed must be a finite number or a string, got ${describeValue(seed)}`);
    }
    this.#state = stateFromSeed(seed);
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    return xoshiro128StarStar(this.#state);
  }

  /** A uniform number in [low, high) (default [0, 1)), with 53 random bits. */
  uniform(low = 0, high = 1): number {
    const a = this.nextUint32() >>> 5, b = this.nextUint32() >>> 6;
    const unit = (a * TWO_POW_26 + b) / TWO_POW_53;
    return low + (high - low) * unit;
  }

  /** A uniform integer in [0, n), without modulo bias; `n` a positive integer up to 2^32. */
  integer(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new TypegradError(`Random.integer: n must be an integer from 1 to 2^32, got ${describeValue(n)}`);
    }
    // Reject the top partial block of 2^32 so that every residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** A Gaussian number (Box–Muller) with the given mean and standard deviation (default 0 and 1). */
  normal(mean = 0, std = 1): number {
    let z = this.#spareNormal;
    if (z === undefined) {
      const radius = Math.sqrt(-2 * Math.log(1 - this.uniform())); // 1 − u is in (0, 1]: no log(0)
      const angle = 2 * Math.PI * this.uniform();
      z = radius * Math.cos(angle);
      this.#spareNormal = radius * Math.sin(angle);
    } else {
      this.#spareNormal = undefined;
    }
    return mean + std * z;
  }

  /** Shuffles `items` in place (Fisher–Yates: every permutation equally likely) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const item = items[i];
      items[i] = items[j];
      items[j] = item;
    }
    return items;
  }

  /** The numbers 0 … n − 1 in random order (for minibatches). */
  permutation(n: number): number[] {
    if (!Number.isInteger(n) || n < 0) throw new TypegradError(`Random.permutation: n must be a non-negative integer, got ${describeValue(n)}`);
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** `length` uniform numbers in [low, high). */
  uniformArray(length: number, low = 0, high = 1): Float64Array {
    const out = new Float64Array(checkLength(length, 'Random.uniformArray'));
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** `length` Gaussian numbers with the given mean and standard deviation. */
  normalArray(length: number, mean = 0, std = 1): Float64Array {
    const out = new Float64Array(checkLength(length, 'Random.normalArray'));
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }
}

function checkLength(length: number, operation: string): number {
  if (!Number.isInteger(length) || length < 0) throw new TypegradError(`${operation}: length must be a non-negative integer, got ${describeValue(length)}`);
  return length;
}
