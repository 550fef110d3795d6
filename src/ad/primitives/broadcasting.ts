/**
 * `broadcast`, and the helpers every rule uses to move between a shape and a broadcast of it:
 * `broadcastTo` (repeat), `sumTo` (its adjoint: sum over the repeated axes) and `expandReduced`
 * (a reduction's result repeated back along the reduced axes).
 */
import type { Node } from '../node.js';
import { broadcastStrides, broadcastsTo, describeShape, sameShape, type Shape } from '../shape.js';
import { callWithAttrs, checkShapeAttrs, keptShape, latexCall, shapeError, stridedIndices } from './layout.js';
import type { Builder, TensorPrimitive } from './types.js';

/** A batched `x` ([B, ...s]) with size-1 axes inserted after the batch axis up to `rank` axes besides it. */
export function alignBatched(b: Builder, x: Node, rank: number): Node {
  const [size, ...rest] = x.shape;
  return reshapeTo(b, x, [size!, ...new Array<number>(rank - rest.length).fill(1), ...rest]);
}

/** A tensor of `shape` filled with `value` (the scalar constant itself for a scalar shape). */
export function filled(b: Builder, value: number, shape: Shape): Node {
  return shape.length === 0 ? b.constant(value) : b.apply('broadcast', [b.constant(value)], shape);
}

export function zeros(b: Builder, shape: Shape): Node {
  return filled(b, 0, shape);
}

/** `x` repeated to `shape` (x's shape must broadcast to it); `x` itself when the shapes agree. */
export function broadcastTo(b: Builder, x: Node, shape: Shape): Node {
  return sameShape(x.shape, shape) ? x : b.apply('broadcast', [x], shape);
}

/** `x` with its shape changed to `shape` (same element count); `x` itself when they agree. */
export function reshapeTo(b: Builder, x: Node, shape: Shape): Node {
  return sameShape(x.shape, shape) ? x : b.apply('reshape', [x], shape);
}

/**
 * The adjoint of `broadcastTo`: `x` summed over the axes that broadcasting `shape` to x's shape
 * repeated (its missing leading axes, and its size-1 axes that x has longer).
 */
export function sumTo(b: Builder, x: Node, shape: Shape): Node {
  if (sameShape(x.shape, shape)) return x;
  const offset = x.shape.length - shape.length;
  const axes: number[] = [];
  x.shape.forEach((n, axis) => {
    if (axis < offset || (shape[axis - offset] === 1 && n !== 1)) axes.push(axis);
  });
  const summed = axes.length === 0 ? x : b.apply('sum', [x], axes);
  return reshapeTo(b, summed, shape);
}

/**
 * The adjoint of a reduction over `axes` (sum, max, logsumexp): `x`, of the reduced shape,
 * repeated along the reduced axes back to `shape`.
 */
export function expandReduced(b: Builder, x: Node, shape: Shape, axes: readonly number[]): Node {
  return broadcastTo(b, reshapeTo(b, x, keptShape(shape, axes)), shape);
}

/**
 * broadcast(x), attrs = the target shape: x repeated by the numpy rule (aligned at the last
 * axis; x's size-1 axes and missing leading axes repeat).
 */
export const broadcast: TensorPrimitive = {
  kind: 'tensor',
  name: 'broadcast',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'broadcast',
    plain: callWithAttrs('broadcast', (attrs) => `[${attrs.join(', ')}]`),
    latex: latexCall('broadcast', (attrs) => attrs.join('\\times ')),
  },
  shape: ([x], attrs) => {
    const target = checkShapeAttrs('broadcast', attrs);
    if (!broadcastsTo(x!, target)) throw shapeError('broadcast', `cannot broadcast ${describeShape(x!)} to ${describeShape(target)}`, [x!]);
    return target;
  },
  evaluate: ([x], node) => {
    const indices = stridedIndices(node.shape, broadcastStrides(node.args[0]!.shape, node.shape));
    return Float64Array.from(indices, (k) => x![k]!);
  },
  vjp: (seed, self, b) => [sumTo(b, seed, self.args[0]!.shape)],
  jvp: ([dx], self, b) => broadcastTo(b, dx!, self.shape),
  // [B, ...s] aligned below the batch axis ([B, 1, ..., ...s]), then repeated to [B, ...target].
  batch: ([x], _batched, self, b) => b.apply('broadcast', [alignBatched(b, x!, self.shape.length)], [x!.shape[0]!, ...self.shape]),
  simplify: ([x], attrs, b) => {
    if (sameShape(x!.shape, attrs)) return x;
    if (x!.op === 'broadcast') return b.apply('broadcast', [x!.args[0]!], attrs);
    return undefined;
  },
};
