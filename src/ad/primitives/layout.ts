/**
 * Helpers shared by the tensor primitives: attrs checks, shape errors, printing with attrs, and
 * strided index maps for the reference numerics. Every tensor is stored flat and row-major;
 * element (i0, ..., ik) of a value read through `strides` from `offset` is at
 * offset + Σ i_d · strides_d, which describes a transpose, a slice or a broadcast as well as
 * plain row-major storage.
 */
import { TypegradError } from '../errors.js';
import { describeShape, elementCount, normalizeAxis, type Shape } from '../shape.js';

/** A TypegradError for `operation` naming every operand shape. */
export function shapeError(operation: string, problem: string, shapes: readonly Shape[]): TypegradError {
  return new TypegradError(`${operation}: ${problem} (operand shapes: ${shapes.map(describeShape).join(', ')})`);
}

/** Checks an axis attribute (already normalised, so in [0, rank)) against a shape. */
export function checkAxis(operation: string, axis: number | undefined, shape: Shape): number {
  return normalizeAxis(operation, axis, shape);
}

/** Checks a shape given as attrs: any rank, positive integer dimensions. */
export function checkShapeAttrs(operation: string, attrs: readonly number[]): Shape {
  if (!attrs.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new TypegradError(`${operation}: [${attrs.join(', ')}] is not a shape (dimensions must be positive integers)`);
  }
  return Object.freeze([...attrs]);
}

/**
 * Checks reduction axes given as attrs: strictly increasing, each an axis of `shape`. Callers
 * (the API) normalise user axes first, so a failure here is a misuse of the primitive itself.
 */
export function checkAxesAttrs(operation: string, axes: readonly number[], shape: Shape): readonly number[] {
  for (let i = 0; i < axes.length; i++) {
    const axis = axes[i]!;
    if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length || (i > 0 && axis <= axes[i - 1]!)) {
      throw shapeError(operation, `axes [${axes.join(', ')}] are not distinct increasing axes of ${describeShape(shape)}`, [shape]);
    }
  }
  return axes;
}

/** The shape left after reducing `axes` away. */
export function reducedShape(shape: Shape, axes: readonly number[]): Shape {
  return shape.filter((_, i) => !axes.includes(i));
}

/** The shape with `axes` kept as size-1 axes (numpy's keepdims). */
export function keptShape(shape: Shape, axes: readonly number[]): Shape {
  return shape.map((n, i) => (axes.includes(i) ? 1 : n));
}

/**
 * For each flat index k of a value of `shape` (row-major), the flat index
 * offset + Σ index_d · strides_d. The reference numerics read transposes, slices and broadcasts
 * through it, so each is one obviously right loop.
 */
export function stridedIndices(shape: Shape, strides: readonly number[], offset = 0): Int32Array {
  const count = elementCount(shape);
  const out = new Int32Array(count);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let flat = offset;
  for (let k = 0; k < count; k++) {
    out[k] = flat;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      flat += strides[d]!;
      if (index[d]! < shape[d]!) break;
      flat -= strides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** `name(args, attrs…)`: the plain rendering of a tensor operation with parameters. */
export function callWithAttrs(name: string, label: (attrs: readonly number[], shapes: readonly Shape[]) => string) {
  return (args: readonly string[], attrs: readonly number[], shapes: readonly Shape[]) => {
    const extra = label(attrs, shapes);
    return `${name}(${args.join(', ')}${extra === '' ? '' : `, ${extra}`})`;
  };
}

/** LaTeX `\operatorname{name}\left(args\right)` with parameters as a subscript. */
export function latexCall(name: string, label: (attrs: readonly number[], shapes: readonly Shape[]) => string) {
  return (args: readonly string[], attrs: readonly number[], shapes: readonly Shape[]) => {
    const extra = label(attrs, shapes);
    return `\\operatorname{${name}}${extra === '' ? '' : `_{${extra}}`}\\left(${args.join(', ')}\\right)`;
  };
}

/** How reduction axes print: nothing when every axis is reduced, `axis=1`, or `axes=[0, 2]`. */
export function axesLabel(axes: readonly number[], [shape]: readonly Shape[]): string {
  if (shape !== undefined && axes.length === shape.length) return '';
  return axes.length === 1 ? `axis=${axes[0]}` : `axes=[${axes.join(', ')}]`;
}
