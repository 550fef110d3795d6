/**
 * Weight initialisers for a dense layer y = W·x whose weight matrix W is rows × cols, stored row
 * by row: W maps a vector of `cols` inputs to `rows` outputs, so fan-in = cols and
 * fan-out = rows. The scales keep the variance of activations (Glorot: and of gradients)
 * roughly constant from layer to layer, which is what lets a deep network start training.
 */
import { TypegradError } from '../ad/errors.js';
import { describeValue } from '../api/record.js';
import { Random } from './random.js';

function checkShape(rows: number, cols: number, random: Random, operation: string): number {
  for (const [name, n] of [['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new TypegradError(`${operation}: ${name} must be a positive integer, got ${describeValue(n)}`);
  }
  if (!(random instanceof Random)) throw new TypegradError(`${operation}: expected a Random generator, got ${describeValue(random)}`);
  return rows * cols;
}

/**
 * Glorot (Xavier) uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)), for tanh and sigmoid layers.
 * @example glorotUniform(128, 784, new Random(0)) // 128 × 784, row-major
 */
export function glorotUniform(rows: number, cols: number, random: Random): Float64Array {
  const length = checkShape(rows, cols, random, 'glorotUniform');
  const limit = Math.sqrt(6 / (cols + rows));
  return random.uniformArray(length, -limit, limit);
}

/**
 * Glorot (Xavier) normal: N(0, σ²) with σ = √(2 / (fanIn + fanOut)) (not truncated).
 * @example glorotNormal(10, 128, new Random(0))
 */
export function glorotNormal(rows: number, cols: number, random: Random): Float64Array {
  const length = checkShape(rows, cols, random, 'glorotNormal');
  const std = Math.sqrt(2 / (cols + rows));
  return random.normalArray(length, 0, std);
}

/**
 * He (Kaiming) uniform: U(−a, a) with a = √(6 / fanIn), for ReLU layers.
 * @example heUniform(128, 784, new Random(0))
 */
export function heUniform(rows: number, cols: number, random: Random): Float64Array {
  const length = checkShape(rows, cols, random, 'heUniform');
  const limit = Math.sqrt(6 / cols);
  return random.uniformArray(length, -limit, limit);
}

/**
 * He (Kaiming) normal: N(0, σ²) with σ = √(2 / fanIn), for ReLU layers (not truncated).
 * @example heNormal(128, 784, new Random(0))
 */
export function heNormal(rows: number, cols: number, random: Random): Float64Array {
  const length = checkShape(rows, cols, random, 'heNormal');
  const std = Math.sqrt(2 / cols);
  return random.normalArray(length, 0, std);
}
