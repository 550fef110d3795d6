/**
 * Values crossing the API: a scalar is a number, a tensor nested arrays of numbers (a vector a
 * `number[]`, a matrix a `number[][]` of equal rows, and so on for any rank); any tensor may
 * also be given as its flat row-major `Float64Array`. Inside, every value is flat row-major. A
 * wrong shape is a TypegradError naming the variable and both shapes, never a truncation.
 */
import { TypegradError } from '../ad/errors.js';
import { describeShape, elementCount, type Shape } from '../ad/shape.js';
import { describeValue } from './record.js';

/** Nested arrays of numbers, one level per axis. */
export type NestedArray = readonly number[] | readonly NestedArray[];

/** A tensor value: nested arrays (`number[]`, `number[][]`, ...) or the flat row-major `Float64Array`. */
export type TensorValue = NestedArray | Float64Array;

/** Anything a variable can be bound to. */
export type Value = number | TensorValue;

/**
 * The nested arrays of shape `S`: `number` for `[]`, `number[]` for `[n]`, `number[][]` for
 * `[r, c]`, and so on; any nesting when the rank is not known.
 * @example Nested<[2, 3, 4]> // number[][][]
 */
export type Nested<S extends readonly number[]> = number extends S['length']
  ? number | NestedArray
  : S extends readonly [number, ...infer Rest extends readonly number[]]
    ? Nested<Rest>[]
    : number;

/** The shape of a plain value, or a description of why it is none (walked level by level, never recursively). */
export function shapeOfValue(value: unknown): Shape | string {
  if (typeof value === 'number') return [];
  if (isNumericTypedArray(value)) return [value.length];
  if (!Array.isArray(value)) return describeValue(value);
  for (let j = 0; j < value.length; j++) if (!(j in value)) return `a sparse array (a hole at index ${j})`;
  const shape: number[] = [];
  let level: unknown[] = [value];
  for (;;) {
    const first = level[0];
    if (!Array.isArray(first)) break;
    const length = first.length;
    if (length === 0) return shape.length === 0 ? 'an empty array' : `an array with an empty row at depth ${shape.length}`;
    const next: unknown[] = [];
    for (let i = 0; i < level.length; i++) {
      const item = level[i];
      if (!Array.isArray(item)) return `an array that mixes numbers and arrays at depth ${shape.length}`;
      if (item.length !== length) return `a ragged array (at depth ${shape.length}, one row has ${length} values, another ${item.length})`;
      for (let j = 0; j < length; j++) {
        // A hole reads as undefined and would become NaN: refused, with where it is.
        if (!(j in item)) return `a sparse array (a hole at depth ${shape.length + 1}, row ${i}, index ${j})`;
        next.push(item[j]);
      }
    }
    shape.push(length);
    level = next;
  }
  for (let i = 0; i < level.length; i++) {
    if (typeof level[i] !== 'number') return `an array holding ${describeValue(level[i])} at depth ${shape.length}`;
  }
  return shape;
}

/**
 * Whether `value` is an array whose every element is a number, holes included: `every` skips
 * the holes of a sparse array, which then read as undefined and become NaN.
 */
export function isArrayOfNumbers(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'number') return false;
  return true;
}

/** A typed array of numbers (every kind but the bigint ones): flat row-major data, converted to float64. */
export function isNumericTypedArray(value: unknown): value is ArrayLike<number> & ArrayBufferView {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

function describeGiven(value: unknown): string {
  if (isNumericTypedArray(value)) return `a ${value.constructor.name} of ${value.length} values`;
  const shape = shapeOfValue(value);
  return typeof shape === 'string' ? shape : describeShape(shape);
}

/**
 * The flat row-major data of `value` bound to `variable`, whose shape is `shape` (undefined when
 * the variable no longer occurs in the expression: then any well-formed value is accepted).
 */
export function toFlat(value: unknown, shape: Shape | undefined, variable: string, operation: string): Float64Array {
  const given = shapeOfValue(value);
  const mismatch = () => new TypegradError(`${operation}: variable '${variable}' is a ${describeShape(shape!)}, got ${describeGiven(value)}`);
  if (shape === undefined) {
    if (typeof given === 'string') throw new TypegradError(`${operation}: variable '${variable}' must be bound to a number or a tensor (nested arrays of numbers), got ${given}`);
    return flatten(value);
  }
  if (shape.length === 0) {
    if (typeof value !== 'number') {
      throw new TypegradError(`${operation}: variable '${variable}' must be bound to a number, got ${describeValue(value)}`);
    }
    return Float64Array.of(value);
  }
  if (isNumericTypedArray(value)) {
    if (value.length !== elementCount(shape)) throw mismatch();
    return value instanceof Float64Array ? value : Float64Array.from(value);
  }
  if (typeof given === 'string' || given.length !== shape.length || !given.every((n, i) => n === shape[i])) throw mismatch();
  return flatten(value);
}

function flatten(value: unknown): Float64Array {
  if (typeof value === 'number') return Float64Array.of(value);
  if (value instanceof Float64Array) return value;
  if (isNumericTypedArray(value)) return Float64Array.from(value);
  let level = value as unknown[];
  while (level.length > 0 && Array.isArray(level[0])) level = (level as unknown[][]).flat();
  return Float64Array.from(level as number[]);
}

/**
 * Flat data of `shape` as a number or nested arrays (one level per axis). The rows are copied
 * with plain loops: `Array.from` of a typed array goes through its iterator, ten times slower
 * (10 ms against 1 ms for 131,072 values, measured in Node 20).
 */
export function fromFlat(data: Float64Array, shape: Shape): number | NestedArray {
  if (shape.length === 0) return data[0]!;
  const last = shape[shape.length - 1]!;
  let level: unknown[] = [];
  for (let i = 0; i < data.length; i += last) {
    const row = new Array<number>(last);
    for (let j = 0; j < last; j++) row[j] = data[i + j]!;
    level.push(row);
  }
  if (shape.length === 1) return level[0] as NestedArray;
  for (let axis = shape.length - 2; axis > 0; axis--) {
    const n = shape[axis]!;
    const next: unknown[] = [];
    for (let i = 0; i < level.length; i += n) next.push(level.slice(i, i + n));
    level = next;
  }
  return level as NestedArray;
}
