/**
 * Shapes: a tuple of dimensions of any length (`[]` a scalar, `[n]` a vector, `[rows, cols]` a
 * matrix, `[batch, height, width, channels]` an image batch, ...). Values are stored flat and
 * row-major: the last axis varies fastest.
 */
import { TypegradError } from './errors.js';

/** A node's shape: one dimension per axis, `[]` for a scalar. */
export type Shape = readonly number[];

export const SCALAR: Shape = Object.freeze([]);

/** Human-readable shape for error messages: `scalar`, `vector[3]`, `matrix[2×3]`, `tensor[64×28×28×1]`. */
export function describeShape(shape: Shape): string {
  if (shape.length === 0) return 'scalar';
  if (shape.length === 1) return `vector[${shape[0]}]`;
  if (shape.length === 2) return `matrix[${shape.join('×')}]`;
  return `tensor[${shape.join('×')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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

/** Row-major strides: the flat distance between neighbours along each axis. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis]!;
  }
  return strides;
}

/**
 * Whether a value of shape `from` broadcasts to `to` by the numpy rule: aligned at the last
 * axis, each axis of `from` equals the target's or is 1 (it is then repeated), and the target
 * may have more leading axes.
 */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const offset = to.length - from.length;
  for (let i = 0; i < from.length; i++) if (from[i] !== 1 && from[i] !== to[offset + i]) return false;
  return true;
}

/**
 * The strides with which an operand of shape `from` is read at each index of a result of the
 * broadcast shape `to`: its own strides, 0 along the axes it is repeated on (a size-1 axis or a
 * leading axis it lacks).
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  return stridesAlong(from, stridesOf(from), to);
}

/**
 * The strides with which a value of shape `from`, stored with `strides` (one per axis of
 * `from`), is read at each index of the broadcast shape `to`: its own strides on the axes it
 * has, 0 on those it is repeated along.
 */
export function stridesAlong(from: Shape, strides: readonly number[], to: Shape): number[] {
  const lead = to.length - from.length;
  return to.map((_, axis) => {
    const i = axis - lead;
    return i < 0 || from[i] === 1 ? 0 : strides[i]!;
  });
}

/**
 * The shape of an elementwise operation on operands of these shapes by the numpy rule, or a
 * TypegradError naming the operation, the shapes and the first axis on which they disagree.
 */
export function broadcastShapes(operation: string, shapes: readonly Shape[]): Shape {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  if (shapes.every((s) => s.length === rank && sameShape(s, shapes[0]!))) return shapes[0]!;
  const result = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const offset = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const axis = offset + i;
      const n = s[i]!;
      if (n === 1 || n === result[axis]) continue;
      if (result[axis] === 1) {
        result[axis] = n;
        continue;
      }
      throw new TypegradError(
        `${operation}: shape mismatch: cannot combine ${shapes.map(describeShape).join(' and ')} elementwise (axis ${axis} of the result: ${result[axis]} and ${n})`,
      );
    }
  }
  return result;
}

/**
 * An axis given by a caller, as an index in [0, rank): negative axes count from the end
 * (−1 is the last). Anything else is a TypegradError naming the operation and the shape.
 */
export function normalizeAxis(operation: string, axis: unknown, shape: Shape): number {
  const rank = shape.length;
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new TypegradError(`${operation}: axis ${String(axis)} does not exist on ${describeShape(shape)} (rank ${rank})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Axes given by a caller (one, a list, or undefined for all), sorted, without repeats. */
export function normalizeAxes(operation: string, axes: unknown, shape: Shape): number[] {
  if (axes === undefined) return shape.map((_, i) => i);
  const list = Array.isArray(axes) ? axes : [axes];
  const normalized = list.map((a) => normalizeAxis(operation, a, shape));
  const sorted = [...new Set(normalized)].sort((a, b) => a - b);
  if (sorted.length !== normalized.length) {
    throw new TypegradError(`${operation}: axes [${list.join(', ')}] name an axis twice on ${describeShape(shape)}`);
  }
  return sorted;
}
