import { TypegradError } from './errors.js';

/** A node's shape: `[]` for a scalar, `[n]` for a vector, `[rows, cols]` for a matrix. */
export type Shape = readonly number[];

export const SCALAR: Shape = Object.freeze([]);

/** Human-readable shape for error messages: `scalar`, `vector[3]`, `matrix[2×3]`. */
export function describeShape(shape: Shape): string {
  if (shape.length === 0) return 'scalar';
  if (shape.length === 1) return `vector[${shape[0]}]`;
  return `matrix[${shape.join('×')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

export function isScalarShape(shape: Shape): boolean {
  return shape.length === 0;
}

/** Checks that a dimension given at run time is a natural number. */
export function checkDimension(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new TypegradError(`${what}: a dimension must be a positive integer, got ${String(n)}`);
  }
  return n;
}
