/**
 * `broadcast`, and the helpers every rule uses to move between a shape and a broadcast of it:
 * `broadcastTo` (repeat) and `sumTo` (its adjoint: sum over the repeated axes).
 */
import type { Node } from '../node.js';
import { broadcastsTo, describeShape, sameShape, type Shape } from '../shape.js';
import { callWithAttrs, checkShapeAttrs, latexCall, shapeError } from './layout.js';
import type { Builder, TensorPrimitive } from './types.js';

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

/** The adjoint of `broadcastTo`: `x` summed over the axes that broadcasting to x's shape added. */
export function sumTo(b: Builder, x: Node, shape: Shape): Node {
  if (sameShape(x.shape, shape)) return x;
  if (shape.length === 0) return b.apply('sum', [x]);
  return b.apply('sum', [x], [0]); // a vector [C] repeated in the rows of [R, C]
}

/**
 * The adjoint of a reduction (`sum`, `logsumexp` with `attrs`): `x`, of the reduced shape,
 * repeated along the reduced axis back to `shape`.
 */
export function expandReduced(b: Builder, x: Node, shape: Shape, attrs: readonly number[]): Node {
  if (attrs.length === 0 || shape.length === 1 || attrs[0] === 0) return broadcastTo(b, x, shape);
  // Row sums [R] back to [R, C]: each row i filled with x[i].
  return b.apply('transpose', [b.apply('broadcast', [x], [shape[1]!, shape[0]!])]);
}

/**
 * broadcast(x), attrs = the target shape. x is a scalar or has the target's trailing
 * dimensions; element k of the result is x[k mod size(x)] (a vector fills every row).
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
    const out = new Float64Array(node.attrs.reduce((p, n) => p * n, 1));
    for (let k = 0; k < out.length; k++) out[k] = x![k % x!.length]!;
    return out;
  },
  vjp: (seed, self, b) => [sumTo(b, seed, self.args[0]!.shape)],
  jvp: ([dx], self, b) => broadcastTo(b, dx!, self.shape),
  simplify: ([x], attrs, b) => {
    if (sameShape(x!.shape, attrs)) return x;
    if (x!.op === 'broadcast') return b.apply('broadcast', [x!.args[0]!], attrs);
    return undefined;
  },
};
