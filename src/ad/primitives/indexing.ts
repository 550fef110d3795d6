/**
 * Building tensors from parts and taking parts of them: pack, get, slice, pad, concat, reshape.
 * All row-major; a vector is viewed as one row (`layout.ts`), so "axis 0 of a vector" and
 * "axis 1 of a matrix" are both the columns of the view.
 */
import { TypegradError } from '../errors.js';
import { describeShape, elementCount, sameShape, SCALAR, type Shape } from '../shape.js';
import { broadcastTo, zeros } from './broadcasting.js';
import { asRows, callWithAttrs, checkAxis, checkShapeAttrs, latexCall, shapeError, viewAxis } from './layout.js';
import type { TensorPrimitive } from './types.js';

/** The multi-index of flat element k of `shape` (row-major). */
function indexOf(shape: Shape, k: number): number[] {
  return shape.length === 1 ? [k] : [Math.floor(k / shape[1]!), k % shape[1]!];
}

/** Copies the [rows, columns] block of `source` (width `sourceColumns`) at (r0, c0) into `target` at (t0, u0). */
function copyBlock(
  source: Float64Array, sourceColumns: number, r0: number, c0: number,
  target: Float64Array, targetColumns: number, t0: number, u0: number,
  rows: number, columns: number,
): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) target[(t0 + i) * targetColumns + u0 + j] = source[(r0 + i) * sourceColumns + c0 + j]!;
  }
}

/**
 * pack(x0, …, x(n−1)), attrs = the result shape ([n] or [R, C] with R·C = n): a vector or
 * matrix of scalar operands, row-major. `Vec(x, 2)` and constant tensors are packs.
 */
export const pack: TensorPrimitive = {
  kind: 'tensor',
  name: 'pack',
  arity: 'variadic',
  notation: {
    kind: 'call',
    name: 'pack',
    plain: (args, attrs) => {
      if (attrs.length === 1) return `[${args.join(', ')}]`;
      const rows: string[] = [];
      for (let i = 0; i < attrs[0]!; i++) rows.push(`[${args.slice(i * attrs[1]!, (i + 1) * attrs[1]!).join(', ')}]`);
      return `[${rows.join(', ')}]`;
    },
    latex: (args, attrs) => {
      const columns = attrs.length === 1 ? attrs[0]! : attrs[1]!;
      const rows: string[] = [];
      for (let i = 0; i < args.length; i += columns) rows.push(args.slice(i, i + columns).join(' & '));
      return `\\begin{bmatrix}${rows.join(' \\\\ ')}\\end{bmatrix}`;
    },
  },
  shape: (args, attrs) => {
    const shape = checkShapeAttrs('pack', attrs);
    if (shape.length === 0) throw shapeError('pack', 'the result must be a vector or a matrix', args);
    if (args.some((s) => s.length !== 0)) throw shapeError('pack', 'every operand must be a scalar', args);
    if (args.length !== elementCount(shape)) {
      throw new TypegradError(`pack: ${describeShape(shape)} needs ${elementCount(shape)} scalars, got ${args.length}`);
    }
    return shape;
  },
  evaluate: (values) => Float64Array.from(values, (v) => v[0]!),
  vjp: (g, self, b, needed) => self.args.map((_, k) => (needed[k] ? b.apply('get', [g], indexOf(self.shape, k)) : undefined)),
  jvp: (tangents, self, b) => b.apply('pack', tangents.map((t) => t ?? b.constant(0)), self.attrs),
};

/** get(x), attrs = one index per axis ([i] of a vector, [i, j] of a matrix): a scalar. */
export const get: TensorPrimitive = {
  kind: 'tensor',
  name: 'get',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'get',
    plain: callWithAttrs('get', (attrs) => attrs.join(', ')),
    latex: ([a], attrs) => `\\left(${a}\\right)_{${attrs.join(',')}}`,
  },
  shape: ([x], attrs) => {
    if (x!.length === 0 || attrs.length !== x!.length || attrs.some((i, axis) => !Number.isInteger(i) || i < 0 || i >= x![axis]!)) {
      throw shapeError('get', `index [${attrs.join(', ')}] is out of bounds for ${describeShape(x!)}`, [x!]);
    }
    return SCALAR;
  },
  evaluate: ([x], node) => {
    const shape = node.args[0]!.shape;
    const k = shape.length === 1 ? node.attrs[0]! : node.attrs[0]! * shape[1]! + node.attrs[1]!;
    return Float64Array.of(x![k]!);
  },
  // The adjoint is a one-hot tensor: the seed padded with zeros on every axis.
  vjp: (g, self, b) => {
    const shape = self.args[0]!.shape;
    let adjoint = b.apply('reshape', [g], shape.map(() => 1));
    shape.forEach((n, axis) => {
      const i = self.attrs[axis]!;
      adjoint = b.apply('pad', [adjoint], [axis, i, n - 1 - i]);
    });
    return [adjoint];
  },
  jvp: ([dx], self, b) => b.apply('get', [dx!], self.attrs),
  simplify: ([x], attrs, b) => {
    if (x!.op === 'pack') return x!.args[x!.shape.length === 1 ? attrs[0]! : attrs[0]! * x!.shape[1]! + attrs[1]!];
    if (x!.op === 'broadcast') {
      const inner = x!.args[0]!;
      return inner.shape.length === 0 ? inner : b.apply('get', [inner], attrs.slice(attrs.length - inner.shape.length));
    }
    if (x!.op === 'transpose') return b.apply('get', [x!.args[0]!], [attrs[1]!, attrs[0]!]);
    return undefined;
  },
};

/** slice(x), attrs [axis, start, end]: indices start ≤ i < end along the axis (matrix axis 0 = rows). */
export const slice: TensorPrimitive = {
  kind: 'tensor',
  name: 'slice',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'slice',
    plain: callWithAttrs('slice', ([axis, start, end]) => `axis=${axis}, ${start}:${end}`),
    latex: ([a], [axis, start, end]) => `\\left(${a}\\right)_{${axis === 0 ? '' : ':,'}${start}:${end}}`,
  },
  shape: ([x], attrs) => {
    const [axis, start, end] = attrs;
    checkAxis('slice', axis, x!);
    const n = x![axis!]!;
    if (attrs.length !== 3 || !Number.isInteger(start) || !Number.isInteger(end) || start! < 0 || end! > n || start! >= end!) {
      throw shapeError('slice', `range ${start}:${end} is not a non-empty range within 0:${n} on axis ${axis}`, [x!]);
    }
    return x!.map((d, i) => (i === axis ? end! - start! : d));
  },
  evaluate: ([x], node) => {
    const columns = asRows(node.args[0]!.shape)[1];
    const [outRows, outColumns] = asRows(node.shape);
    const start = node.attrs[1]!;
    const out = new Float64Array(outRows * outColumns);
    const byRows = viewAxis(node.args[0]!.shape, node.attrs[0]!) === 0;
    copyBlock(x!, columns, byRows ? start : 0, byRows ? 0 : start, out, outColumns, 0, 0, outRows, outColumns);
    return out;
  },
  vjp: (g, self, b) => {
    const [axis, start, end] = self.attrs as [number, number, number];
    return [b.apply('pad', [g], [axis, start, self.args[0]!.shape[axis]! - end])];
  },
  jvp: ([dx], self, b) => b.apply('slice', [dx!], self.attrs),
  simplify: ([x], [axis, start, end]) => (start === 0 && end === x!.shape[axis!] ? x : undefined),
};

/** pad(x), attrs [axis, before, after]: `before` zeros, then x, then `after` zeros along the axis. */
export const pad: TensorPrimitive = {
  kind: 'tensor',
  name: 'pad',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'pad',
    plain: callWithAttrs('pad', ([axis, before, after]) => `axis=${axis}, ${before}, ${after}`),
    latex: latexCall('pad', ([axis, before, after]) => `${axis};${before},${after}`),
  },
  shape: ([x], attrs) => {
    const [axis, before, after] = attrs;
    checkAxis('pad', axis, x!);
    if (attrs.length !== 3 || !Number.isInteger(before) || !Number.isInteger(after) || before! < 0 || after! < 0) {
      throw shapeError('pad', `padding ${before}, ${after} must be natural numbers`, [x!]);
    }
    return x!.map((d, i) => (i === axis ? d + before! + after! : d));
  },
  evaluate: ([x], node) => {
    const [rows, columns] = asRows(node.args[0]!.shape);
    const outColumns = asRows(node.shape)[1];
    const out = new Float64Array(elementCount(node.shape));
    const byRows = viewAxis(node.args[0]!.shape, node.attrs[0]!) === 0;
    const before = node.attrs[1]!;
    copyBlock(x!, columns, 0, 0, out, outColumns, byRows ? before : 0, byRows ? 0 : before, rows, columns);
    return out;
  },
  vjp: (g, self, b) => {
    const [axis, before] = self.attrs as [number, number];
    return [b.apply('slice', [g], [axis, before, before + self.args[0]!.shape[axis]!])];
  },
  jvp: ([dx], self, b) => b.apply('pad', [dx!], self.attrs),
  simplify: ([x], [axis, before, after], b) => {
    if (before === 0 && after === 0) return x;
    if (x!.op === 'broadcast' && x!.args[0]!.op === 'const' && x!.args[0]!.value === 0) {
      return zeros(b, x!.shape.map((d, i) => (i === axis ? d + before! + after! : d)));
    }
    return undefined;
  },
};

/** concat(x0, …), attrs [axis]: operands of one rank, equal on the other axis, joined along `axis`. */
export const concat: TensorPrimitive = {
  kind: 'tensor',
  name: 'concat',
  arity: 'variadic',
  notation: {
    kind: 'call',
    name: 'concat',
    plain: callWithAttrs('concat', ([axis]) => `axis=${axis}`),
    latex: latexCall('concat', ([axis]) => `${axis}`),
  },
  shape: (args, attrs) => {
    const first = args[0]!;
    const axis = checkAxis('concat', attrs[0], first);
    const compatible = args.every((s) => s.length === first.length && s.every((d, i) => i === axis || d === first[i]));
    if (!compatible) throw shapeError('concat', `shape mismatch: cannot join ${args.map(describeShape).join(' and ')} along axis ${axis}`, args);
    return first.map((d, i) => (i === axis ? args.reduce((total, s) => total + s[axis]!, 0) : d));
  },
  evaluate: (values, node) => {
    const out = new Float64Array(elementCount(node.shape));
    const outColumns = asRows(node.shape)[1];
    const byRows = viewAxis(node.shape, node.attrs[0]!) === 0;
    let offset = 0;
    node.args.forEach((arg, i) => {
      const [rows, columns] = asRows(arg.shape);
      copyBlock(values[i]!, columns, 0, 0, out, outColumns, byRows ? offset : 0, byRows ? 0 : offset, rows, columns);
      offset += byRows ? rows : columns;
    });
    return out;
  },
  vjp: (g, self, b, needed) => {
    const axis = self.attrs[0]!;
    let offset = 0;
    return self.args.map((arg, i) => {
      const start = offset;
      offset += arg.shape[axis]!;
      return needed[i] ? b.apply('slice', [g], [axis, start, offset]) : undefined;
    });
  },
  jvp: (tangents, self, b) => b.apply('concat', tangents.map((t, i) => t ?? zeros(b, self.args[i]!.shape)), self.attrs),
  simplify: (args) => (args.length === 1 ? args[0] : undefined),
};

/** reshape(x), attrs = the new shape (rank 0 to 2) with as many elements: the same row-major data. */
export const reshape: TensorPrimitive = {
  kind: 'tensor',
  name: 'reshape',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'reshape',
    plain: callWithAttrs('reshape', (attrs) => `[${attrs.join(', ')}]`),
    latex: latexCall('reshape', (attrs) => attrs.join('\\times ')),
  },
  shape: ([x], attrs) => {
    const shape = checkShapeAttrs('reshape', attrs);
    if (elementCount(shape) !== elementCount(x!)) {
      throw shapeError('reshape', `cannot reshape ${describeShape(x!)} to ${describeShape(shape)}: element counts differ`, [x!]);
    }
    return shape;
  },
  evaluate: ([x]) => Float64Array.from(x!),
  vjp: (g, self, b) => [b.apply('reshape', [g], self.args[0]!.shape)],
  jvp: ([dx], self, b) => b.apply('reshape', [dx!], self.shape),
  simplify: ([x], attrs, b) => {
    if (sameShape(x!.shape, attrs)) return x;
    if (x!.op === 'reshape') return b.apply('reshape', [x!.args[0]!], attrs);
    if (x!.op === 'broadcast' && x!.args[0]!.shape.length === 0) return broadcastTo(b, x!.args[0]!, attrs);
    return undefined;
  },
};
