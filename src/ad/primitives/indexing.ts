/**
 * Building tensors from parts and taking parts of them, along any axis: pack, get, slice, pad,
 * concat, reshape, and the integer-indexed gather, scatterAdd and oneHot. All row-major.
 */
import { TypegradError } from '../errors.js';
import type { Node } from '../node.js';
import { describeShape, elementCount, sameShape, SCALAR, stridesOf, type Shape } from '../shape.js';
import { broadcastTo, reshapeTo, zeros } from './broadcasting.js';
import { callWithAttrs, checkAxis, checkShapeAttrs, latexCall, shapeError, stridedIndices } from './layout.js';
import { axesFrom, batchSize, flatIndices, moveAxis, withBatch } from './batch-axis.js';
import type { TensorPrimitive } from './types.js';

/** The flat index of a multi-index (row-major). */
function flatIndex(shape: Shape, index: readonly number[]): number {
  let k = 0;
  for (let axis = 0; axis < shape.length; axis++) k = k * shape[axis]! + index[axis]!;
  return k;
}

/** The multi-index of flat element k of `shape` (row-major). */
function indexOf(shape: Shape, k: number): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = k % shape[axis]!;
    k = Math.floor(k / shape[axis]!);
  }
  return index;
}

/**
 * The parts of a shape around `axis`: the elements before it (`outer`), its length and the
 * elements after it (`inner`). A value is then [outer, length, inner] in row-major order.
 */
export function around(shape: Shape, axis: number, length = 1): { outer: number; inner: number } {
  return { outer: elementCount(shape.slice(0, axis)), inner: elementCount(shape.slice(axis + length)) };
}

/** Copies `source` ([outer, length, inner]) into `target` ([outer, targetLength, inner]) at `start` along the middle axis. */
function copyAlong(source: Float64Array, target: Float64Array, outer: number, length: number, inner: number, targetLength: number, start: number, sourceStart = 0, sourceLength = length): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < length; i++) {
      const from = (o * sourceLength + sourceStart + i) * inner;
      const to = (o * targetLength + start + i) * inner;
      for (let e = 0; e < inner; e++) target[to + e] = source[from + e]!;
    }
  }
}

/** Nested brackets of the printed elements, row-major over `shape`. */
function nested(args: readonly string[], shape: Shape, separator: string, open: string, close: string): string {
  let level: string[] = [...args];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += shape[axis]!) next.push(`${open}${level.slice(i, i + shape[axis]!).join(separator)}${close}`);
    level = next;
  }
  return level[0]!;
}

/**
 * pack(x0, …, x(n−1)), attrs = the result shape (any rank ≥ 1, n elements): a tensor of scalar
 * operands, row-major. `Vec(x, 2)`, `Mat(...)` and constant tensors are packs.
 */
export const pack: TensorPrimitive = {
  kind: 'tensor',
  name: 'pack',
  arity: 'variadic',
  notation: {
    kind: 'call',
    name: 'pack',
    plain: (args, attrs) => nested(args, attrs, ', ', '[', ']'),
    latex: (args, attrs) => {
      if (attrs.length > 2) return nested(args, attrs, ', ', '\\left[', '\\right]');
      const columns = attrs[attrs.length - 1]!;
      const rows: string[] = [];
      for (let i = 0; i < args.length; i += columns) rows.push(args.slice(i, i + columns).join(' & '));
      return `\\begin{bmatrix}${rows.join(' \\\\ ')}\\end{bmatrix}`;
    },
  },
  shape: (args, attrs) => {
    const shape = checkShapeAttrs('pack', attrs);
    if (shape.length === 0) throw shapeError('pack', 'the result must have at least one axis', args);
    if (args.some((s) => s.length !== 0)) throw shapeError('pack', 'every operand must be a scalar', args);
    if (args.length !== elementCount(shape)) {
      throw new TypegradError(`pack: ${describeShape(shape)} needs ${elementCount(shape)} scalars, got ${args.length}`);
    }
    return shape;
  },
  evaluate: (values) => Float64Array.from(values, (v) => v[0]!),
  vjp: (g, self, b, needed) => self.args.map((_, k) => (needed[k] ? b.apply('get', [g], indexOf(self.shape, k)) : undefined)),
  jvp: (tangents, self, b) => b.apply('pack', tangents.map((t) => t ?? b.constant(0)), self.attrs),
  // Each scalar a column [B, 1] (an unbatched one repeated), joined, and given the shape.
  batch: (args, batched, self, b) => {
    const size = batchSize(args, batched);
    const columns = args.map((x, i) => (batched[i] ? b.apply('reshape', [x], [size, 1]) : b.apply('broadcast', [x], [size, 1])));
    const joined = columns.length === 1 ? columns[0]! : b.apply('concat', columns, [1]);
    return reshapeTo(b, joined, [size, ...self.shape]);
  },
};

/** get(x), attrs = one index per axis: element x[i0, ..., ik] as a scalar. */
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
  evaluate: ([x], node) => Float64Array.of(x![flatIndex(node.args[0]!.shape, node.attrs)]!),
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
  // Element k of each example: a slice of the flattened examples.
  batch: ([x], _batched, self, b) => {
    const size = x!.shape[0]!;
    const k = flatIndex(self.args[0]!.shape, self.attrs);
    const rows = reshapeTo(b, x!, [size, elementCount(self.args[0]!.shape)]);
    return reshapeTo(b, b.apply('slice', [rows], [1, k, k + 1]), [size]);
  },
  simplify: ([x], attrs, b) => {
    if (x!.op === 'pack') return x!.args[flatIndex(x!.shape, attrs)];
    if (x!.op === 'broadcast') {
      const inner = x!.args[0]!;
      if (inner.shape.length === 0) return inner;
      const offset = attrs.length - inner.shape.length;
      return b.apply('get', [inner], inner.shape.map((n, i) => (n === 1 ? 0 : attrs[offset + i]!)));
    }
    if (x!.op === 'transpose') {
      const index = new Array<number>(attrs.length);
      x!.attrs.forEach((p, i) => (index[p] = attrs[i]!));
      return b.apply('get', [x!.args[0]!], index);
    }
    if (x!.op === 'reshape') {
      const source = x!.args[0]!;
      return source.shape.length === 0 ? source : b.apply('get', [source], indexOf(source.shape, flatIndex(x!.shape, attrs)));
    }
    return undefined;
  },
};

/** slice(x), attrs [axis, start, end]: indices start ≤ i < end along the axis. */
export const slice: TensorPrimitive = {
  kind: 'tensor',
  name: 'slice',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'slice',
    plain: callWithAttrs('slice', ([axis, start, end]) => `axis=${axis}, ${start}:${end}`),
    latex: ([a], [axis, start, end]) => `\\left(${a}\\right)_{${':,'.repeat(axis!)}${start}:${end}}`,
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
    const [axis, start] = node.attrs as [number, number];
    const strides = stridesOf(node.args[0]!.shape);
    return Float64Array.from(stridedIndices(node.shape, strides, start * strides[axis]!), (k) => x![k]!);
  },
  vjp: (g, self, b) => {
    const [axis, start, end] = self.attrs as [number, number, number];
    return [b.apply('pad', [g], [axis, start, self.args[0]!.shape[axis]! - end])];
  },
  jvp: ([dx], self, b) => b.apply('slice', [dx!], self.attrs),
  batch: ([x], _batched, self, b) => b.apply('slice', [x!], [self.attrs[0]! + 1, self.attrs[1]!, self.attrs[2]!]),
  simplify: ([x], [axis, start, end], b) => {
    if (start === 0 && end === x!.shape[axis!]) return x;
    if (x!.op === 'broadcast' && x!.args[0]!.shape.length === 0) return broadcastTo(b, x!.args[0]!, x!.shape.map((d, i) => (i === axis ? end! - start! : d)));
    return undefined;
  },
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
    const [axis, before] = node.attrs as [number, number];
    const shape = node.args[0]!.shape;
    const { outer, inner } = around(shape, axis);
    const out = new Float64Array(elementCount(node.shape));
    copyAlong(x!, out, outer, shape[axis]!, inner, node.shape[axis]!, before);
    return out;
  },
  vjp: (g, self, b) => {
    const [axis, before] = self.attrs as [number, number];
    return [b.apply('slice', [g], [axis, before, before + self.args[0]!.shape[axis]!])];
  },
  jvp: ([dx], self, b) => b.apply('pad', [dx!], self.attrs),
  batch: ([x], _batched, self, b) => b.apply('pad', [x!], [self.attrs[0]! + 1, self.attrs[1]!, self.attrs[2]!]),
  simplify: ([x], [axis, before, after], b) => {
    if (before === 0 && after === 0) return x;
    if (x!.op === 'broadcast' && x!.args[0]!.op === 'const' && x!.args[0]!.value === 0) {
      return zeros(b, x!.shape.map((d, i) => (i === axis ? d + before! + after! : d)));
    }
    return undefined;
  },
};

/** concat(x0, …), attrs [axis]: operands of one rank, equal on the other axes, joined along `axis`. */
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
    const axis = node.attrs[0]!;
    const out = new Float64Array(elementCount(node.shape));
    const { outer, inner } = around(node.shape, axis);
    let offset = 0;
    node.args.forEach((arg, i) => {
      copyAlong(values[i]!, out, outer, arg.shape[axis]!, inner, node.shape[axis]!, offset);
      offset += arg.shape[axis]!;
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
  batch: (args, batched, self, b) => {
    const size = batchSize(args, batched);
    return b.apply('concat', args.map((x, i) => withBatch(b, x, batched[i]!, size)), [self.attrs[0]! + 1]);
  },
  simplify: (args) => (args.length === 1 ? args[0] : undefined),
};

/** reshape(x), attrs = the new shape (any rank) with as many elements: the same row-major data. */
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
      throw shapeError('reshape', `cannot reshape ${describeShape(x!)} to ${describeShape(shape)}: element counts differ (${elementCount(x!)} and ${elementCount(shape)})`, [x!]);
    }
    return shape;
  },
  evaluate: ([x]) => Float64Array.from(x!),
  vjp: (g, self, b) => [b.apply('reshape', [g], self.args[0]!.shape)],
  jvp: ([dx], self, b) => b.apply('reshape', [dx!], self.shape),
  batch: ([x], _batched, self, b) => b.apply('reshape', [x!], [x!.shape[0]!, ...self.shape]),
  simplify: ([x], attrs, b) => {
    if (sameShape(x!.shape, attrs)) return x;
    if (x!.shape.length === 0) return broadcastTo(b, x!, attrs);
    if (x!.op === 'reshape') return reshapeTo(b, x!.args[0]!, attrs);
    if (x!.op === 'broadcast' && x!.args[0]!.shape.length === 0) return broadcastTo(b, x!.args[0]!, attrs);
    return undefined;
  },
};

/**
 * The index operand's values as integer positions along an axis of length `n`: a value that is
 * not an integer in [0, n) is a TypegradError naming the operation and the value, never a
 * silently clamped or truncated read.
 */
export function checkedIndex(operation: string, value: number, n: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= n) {
    throw new TypegradError(`${operation}: index ${value} is not an integer in [0, ${n})`);
  }
  return value;
}

/**
 * gather(x, indices), attrs [axis]: the slices of x at the given positions along the axis (as
 * `tf.gather`): x [...pre, n, ...post] and indices of shape I give [...pre, ...I, ...post].
 * Indices are numbers holding integers in [0, n); anything else is a TypegradError at
 * evaluation. The result is not differentiable in the indices (their derivative is 0).
 */
export const gather: TensorPrimitive = {
  kind: 'tensor',
  name: 'gather',
  arity: 2,
  notation: {
    kind: 'call',
    name: 'gather',
    plain: callWithAttrs('gather', ([axis]) => `axis=${axis}`),
    latex: latexCall('gather', ([axis]) => `${axis}`),
  },
  shape: ([x, indices], attrs) => {
    const axis = checkAxis('gather', attrs[0], x!);
    if (attrs.length !== 1) throw shapeError('gather', 'attrs must be [axis]', [x!, indices!]);
    return [...x!.slice(0, axis), ...indices!, ...x!.slice(axis + 1)];
  },
  evaluate: ([x, indices], node) => {
    const axis = node.attrs[0]!;
    const shape = node.args[0]!.shape;
    const n = shape[axis]!;
    const { outer, inner } = around(shape, axis);
    const count = indices!.length;
    const out = new Float64Array(outer * count * inner);
    for (let t = 0; t < count; t++) {
      const position = checkedIndex('gather', indices![t]!, n);
      copyAlong(x!, out, outer, 1, inner, count, t, position, n);
    }
    return out;
  },
  vjp: (g, self, b, needed) => {
    const [x, indices] = self.args as [Node, Node];
    const axis = self.attrs[0]!;
    return [needed[0] ? b.apply('scatterAdd', [g, indices], [axis, x.shape[axis]!]) : undefined, needed[1] ? zeros(b, indices.shape) : undefined];
  },
  jvp: ([dx], self, b) => (dx === undefined ? zeros(b, self.shape) : b.apply('gather', [dx, self.args[1]!], self.attrs)),
  // Batched indices: with unbatched x, the batch axis lands where the indices go and moves to
  // the front; with batched x, the examples are laid end to end along the axis (example k's
  // index i at k·n + i), gathered at once, and the indices' axes moved back into place.
  batch: ([x, indices], batched, self, b) => {
    const axis = self.attrs[0]!;
    if (!batched[1]) return b.apply('gather', [x!, indices!], [axis + 1]);
    if (!batched[0]) return moveAxis(b, b.apply('gather', [x!, indices!], [axis]), axis, 0);
    const [size, ...rest] = x!.shape as [number, ...number[]];
    const n = rest[axis]!;
    const ends = b.apply('reshape', [moveAxis(b, x!, axis + 1, 1)], [size * n, ...rest.filter((_, i) => i !== axis)]);
    const gathered = b.apply('gather', [ends, flatIndices(b, indices!, n)], [0]);
    const indexRank = indices!.shape.length - 1;
    const order = [0, ...axesFrom(1 + indexRank, axis), ...axesFrom(1, indexRank), ...axesFrom(1 + indexRank + axis, rest.length - 1 - axis)];
    return b.apply('transpose', [gathered], order);
  },
};

/**
 * scatterAdd(values, indices), attrs [axis, n]: the adjoint of `gather`. values
 * [...pre, ...I, ...post] (I the indices' shape) are added into zeros of [...pre, n, ...post]
 * at the indexed positions along the axis (repeated positions add up).
 */
export const scatterAdd: TensorPrimitive = {
  kind: 'tensor',
  name: 'scatterAdd',
  arity: 2,
  notation: {
    kind: 'call',
    name: 'scatterAdd',
    plain: callWithAttrs('scatterAdd', ([axis, n]) => `axis=${axis}, ${n}`),
    latex: latexCall('scatterAdd', ([axis, n]) => `${axis};${n}`),
  },
  shape: ([values, indices], attrs) => {
    const [axis, n] = attrs;
    const valid = attrs.length === 2 && Number.isInteger(axis) && axis! >= 0 && Number.isInteger(n) && n! >= 1 &&
      axis! + indices!.length <= values!.length && sameShape(values!.slice(axis, axis! + indices!.length), indices!);
    if (!valid) throw shapeError('scatterAdd', `values must have the indices' shape at axis ${axis} (attrs [${attrs.join(', ')}])`, [values!, indices!]);
    return [...values!.slice(0, axis), n!, ...values!.slice(axis! + indices!.length)];
  },
  evaluate: ([values, indices], node) => {
    const [axis, n] = node.attrs as [number, number];
    const { outer, inner } = around(node.shape, axis);
    const count = indices!.length;
    const out = new Float64Array(elementCount(node.shape));
    for (let t = 0; t < count; t++) {
      const position = checkedIndex('scatterAdd', indices![t]!, n);
      for (let o = 0; o < outer; o++) {
        const from = (o * count + t) * inner;
        const to = (o * n + position) * inner;
        for (let e = 0; e < inner; e++) out[to + e] += values![from + e]!;
      }
    }
    return out;
  },
  vjp: (g, self, b, needed) => {
    const [values, indices] = self.args as [Node, Node];
    return [needed[0] ? b.apply('gather', [g, indices], [self.attrs[0]!]) : undefined, needed[1] ? zeros(b, indices.shape) : undefined];
  },
  jvp: ([dv], self, b) => (dv === undefined ? zeros(b, self.shape) : b.apply('scatterAdd', [dv, self.args[1]!], self.attrs)),
  // Batched indices: the values' index axes moved next to the batch axis, every example scattered
  // into its own n positions of one axis of B·n (example k's index i at k·n + i), then split.
  batch: ([values, indices], batched, self, b) => {
    const [axis, n] = self.attrs as [number, number];
    if (!batched[1]) return b.apply('scatterAdd', [values!, indices!], [axis + 1, n]);
    const size = indices!.shape[0]!;
    const indexRank = indices!.shape.length - 1;
    const all = withBatch(b, values!, batched[0]!, size);
    const rank = all.shape.length - 1;
    const moved = b.apply('transpose', [all], [0, ...axesFrom(1 + axis, indexRank), ...axesFrom(1, axis), ...axesFrom(1 + axis + indexRank, rank - axis - indexRank)]);
    const scattered = b.apply('scatterAdd', [moved, flatIndices(b, indices!, n)], [0, size * n]);
    return moveAxis(b, b.apply('reshape', [scattered], [size, n, ...scattered.shape.slice(1)]), 1, 1 + axis);
  },
};

/**
 * oneHot(indices), attrs [depth]: [...I, depth] with 1 where the last index equals the value
 * and 0 elsewhere (a value that is no integer in [0, depth) gives a row of zeros, as in
 * TensorFlow and JAX). Its derivative is 0.
 */
export const oneHot: TensorPrimitive = {
  kind: 'tensor',
  name: 'oneHot',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'oneHot',
    plain: callWithAttrs('oneHot', ([depth]) => `${depth}`),
    latex: latexCall('onehot', ([depth]) => `${depth}`),
  },
  shape: ([indices], attrs) => {
    if (attrs.length !== 1 || !Number.isInteger(attrs[0]) || attrs[0]! < 1) throw shapeError('oneHot', `the depth must be a positive integer, got [${attrs.join(', ')}]`, [indices!]);
    return [...indices!, attrs[0]!];
  },
  evaluate: ([indices], node) => {
    const depth = node.attrs[0]!;
    const out = new Float64Array(indices!.length * depth);
    indices!.forEach((value, t) => {
      if (Number.isInteger(value) && value >= 0 && value < depth) out[t * depth + value] = 1;
    });
    return out;
  },
  vjp: (_g, self, b) => [zeros(b, self.args[0]!.shape)],
  jvp: (_tangents, self, b) => zeros(b, self.shape),
  batch: ([indices], _batched, self, b) => b.apply('oneHot', [indices!], self.attrs),
};
