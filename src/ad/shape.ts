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

/** The number of elements: 1 for a scalar. */
export function elementCount(shape: Shape): number {
  let count = 1;
  for (const n of shape) count *= n;
  return count;
}

/**
 * Whether a value of shape `from` broadcasts to `to`: it is a scalar, or equal to `to`, or equal
 * to `to`'s trailing dimensions (a vector [C] repeated in every row of an [R, C] matrix).
 * Under this rule element k of the broadcast value is element `k mod elementCount(from)`.
 */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const offset = to.length - from.length;
  return from.every((n, i) => n === to[offset + i]);
}

/**
 * The shape of an elementwise operation on operands of these shapes: the largest, when every
 * other broadcasts to it; otherwise a TypegradError naming the operation and the shapes.
 */
export function broadcastShapes(operation: string, shapes: readonly Shape[]): Shape {
  let result: Shape = SCALAR;
  for (const s of shapes) if (s.length > result.length) result = s;
  for (const s of shapes) {
    if (!broadcastsTo(s, result)) {
      throw new TypegradError(
        `${operation}: shape mismatch: cannot combine ${shapes.map(describeShape).join(' and ')} elementwise`,
      );
    }
  }
  return result;
}
