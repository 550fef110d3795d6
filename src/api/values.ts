/**
 * Values crossing the API: a scalar is a number, a vector a `number[]`, a matrix a `number[][]`
 * of equal rows; vectors and matrices may also be given as a flat row-major `Float64Array`.
 * Inside, every value is flat row-major. A wrong length is a TypegradError naming the variable
 * and both shapes, never a truncation.
 */
import { TypegradError } from '../ad/errors.js';
import { describeShape, elementCount, type Shape } from '../ad/shape.js';
import { describeValue } from './record.js';

/** A vector (`number[]`), a matrix (`number[][]`), or either as flat row-major `Float64Array`. */
export type TensorValue = readonly number[] | readonly (readonly number[])[] | Float64Array;

/** Anything a variable can be bound to. */
export type Value = number | TensorValue;

/** The shape of a plain value, or a description of why it is none. */
export function shapeOfValue(value: unknown): Shape | string {
  if (typeof value === 'number') return [];
  if (value instanceof Float64Array) return [value.length];
  if (!Array.isArray(value)) return describeValue(value);
  if (value.length === 0) return 'an empty array';
  if (value.every((x) => typeof x === 'number')) return [value.length];
  if (!value.every((row) => Array.isArray(row) && row.every((x: unknown) => typeof x === 'number'))) {
    return 'an array that is neither numbers nor rows of numbers';
  }
  const columns = (value[0] as unknown[]).length;
  if (columns === 0) return 'a matrix with empty rows';
  const ragged = value.findIndex((row: unknown[]) => row.length !== columns);
  if (ragged >= 0) return `a ragged matrix (row 0 has ${columns} values, row ${ragged} has ${(value[ragged] as unknown[]).length})`;
  return [value.length, columns];
}

function describeGiven(value: unknown): string {
  if (value instanceof Float64Array) return `a Float64Array of ${value.length} values`;
  const shape = shapeOfValue(value);
  return typeof shape === 'string' ? shape : describeShape(shape);
}

/**
 * The flat row-major data of `value` bound to `variable`, whose shape is `shape` (undefined when
 * the variable no longer occurs in the expression: then any well-formed value is accepted).
 */
export function toFlat(value: unknown, shape: Shape | undefined, variable: string, operation: string): Float64Array {
  const given = shapeOfValue(value);
  const mismatch = () =>
    new TypegradError(`${operation}: variable '${variable}' is a ${describeShape(shape!)}, got ${describeGiven(value)}`);
  if (shape === undefined) {
    if (typeof given === 'string') throw new TypegradError(`${operation}: variable '${variable}' must be bound to a number, vector or matrix, got ${given}`);
    return flatten(value);
  }
  if (shape.length === 0) {
    if (typeof value !== 'number') {
      throw new TypegradError(`${operation}: variable '${variable}' must be bound to a number, got ${describeValue(value)}`);
    }
    return Float64Array.of(value);
  }
  if (value instanceof Float64Array) {
    if (value.length !== elementCount(shape)) throw mismatch();
    return value;
  }
  if (typeof given === 'string' || given.length !== shape.length || !given.every((n, i) => n === shape[i])) throw mismatch();
  return flatten(value);
}

function flatten(value: unknown): Float64Array {
  if (typeof value === 'number') return Float64Array.of(value);
  if (value instanceof Float64Array) return value;
  return Float64Array.from((value as unknown[]).flat() as number[]);
}

/** Flat data of `shape` as a number, `number[]` or `number[][]`. */
export function fromFlat(data: Float64Array, shape: Shape): number | number[] | number[][] {
  if (shape.length === 0) return data[0]!;
  if (shape.length === 1) return Array.from(data);
  const [rows, columns] = shape as [number, number];
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(data.subarray(i * columns, (i + 1) * columns)));
  return out;
}
