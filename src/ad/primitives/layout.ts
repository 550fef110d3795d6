/**
 * Helpers shared by the tensor primitives: row-major layout, attrs checks and shape errors.
 * Every tensor is stored flat and row-major; a vector [n] is viewed as the one-row matrix [1, n]
 * so that one loop over (row, column) serves both ranks.
 */
import { TypegradError } from '../errors.js';
import { describeShape, type Shape } from '../shape.js';

/** The [rows, columns] view of a scalar, vector or matrix shape. */
export function asRows(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]!];
  return [shape[0]!, shape[1]!];
}

/** The axis of the [rows, columns] view that `axis` of `shape` is (a vector's axis 0 is the columns). */
export function viewAxis(shape: Shape, axis: number): 0 | 1 {
  return shape.length === 1 || axis === 1 ? 1 : 0;
}

/** A TypegradError for `operation` naming every operand shape. */
export function shapeError(operation: string, problem: string, shapes: readonly Shape[]): TypegradError {
  return new TypegradError(`${operation}: ${problem} (operand shapes: ${shapes.map(describeShape).join(', ')})`);
}

/** Checks an axis attribute against a rank. */
export function checkAxis(operation: string, axis: number | undefined, shape: Shape): number {
  if (axis === undefined || !Number.isInteger(axis) || axis < 0 || axis >= shape.length) {
    throw shapeError(operation, `axis ${String(axis)} does not exist on ${describeShape(shape)}`, [shape]);
  }
  return axis;
}

/** Checks a shape given as attrs: rank 0 to 2, positive integer dimensions. */
export function checkShapeAttrs(operation: string, attrs: readonly number[]): Shape {
  if (attrs.length > 2 || !attrs.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new TypegradError(`${operation}: [${attrs.join(', ')}] is not a shape (rank 0 to 2, positive dimensions)`);
  }
  return Object.freeze([...attrs]);
}

/** `name(args, attrs…)`: the plain rendering of a tensor operation with parameters. */
export function callWithAttrs(name: string, label: (attrs: readonly number[]) => string) {
  return (args: readonly string[], attrs: readonly number[]) => {
    const extra = label(attrs);
    return `${name}(${args.join(', ')}${extra === '' ? '' : `, ${extra}`})`;
  };
}

/** LaTeX `\operatorname{name}\left(args\right)` with parameters as a subscript. */
export function latexCall(name: string, label: (attrs: readonly number[]) => string) {
  return (args: readonly string[], attrs: readonly number[]) => {
    const extra = label(attrs);
    return `\\operatorname{${name}}${extra === '' ? '' : `_{${extra}}`}\\left(${args.join(', ')}\\right)`;
  };
}
