/**
 * Reductions over any set of axes (`sum`, `max`, `logsumexp`) and `softmax` along an axis.
 * A reduction's attrs are its axes, strictly increasing; the result has the other axes, in
 * order (numpy's keepdims is a reshape on top, see `keptShape`). No axes given means every axis.
 */
import type { Node } from '../node.js';
import { describeShape, elementCount, stridesOf, type Shape } from '../shape.js';
import { broadcastTo, expandReduced } from './broadcasting.js';
import { axesLabel, callWithAttrs, checkAxesAttrs, checkAxis, latexCall, reducedShape, shapeError, stridedIndices } from './layout.js';
import type { Builder, TensorPrimitive } from './types.js';

/** A reduction or softmax of a batched operand: the same along its axes, each one further right. */
const shiftedAxes = (x: Node, self: Node, b: Builder) => b.apply(self.op, [x], self.attrs.map((axis) => axis + 1));

/** For each flat element index of the operand, the flat index of the result it reduces into. */
export function reductionTargets(shape: Shape, axes: readonly number[]): Int32Array {
  const resultStrides = stridesOf(reducedShape(shape, axes));
  let next = 0;
  const strides = shape.map((_, axis) => (axes.includes(axis) ? 0 : resultStrides[next++]!));
  return stridedIndices(shape, strides);
}

function reductionShape(operation: string) {
  return ([x]: readonly Shape[], attrs: readonly number[]): Shape => reducedShape(x!, checkAxesAttrs(operation, attrs, x!));
}

/** No axes given: every axis. */
const allAxesByDefault = ([x]: readonly Shape[], attrs: readonly number[]): readonly number[] => (attrs.length === 0 ? x!.map((_, i) => i) : attrs);

function notation(name: string) {
  return { kind: 'call', name, plain: callWithAttrs(name, axesLabel), latex: latexCall(name, axesLabel) } as const;
}

/** sum(x), attrs = the axes summed over. */
export const sum: TensorPrimitive = {
  kind: 'tensor',
  name: 'sum',
  arity: 1,
  notation: notation('sum'),
  normalizeAttrs: allAxesByDefault,
  shape: reductionShape('sum'),
  evaluate: ([x], node) => {
    const out = new Float64Array(elementCount(node.shape));
    const target = reductionTargets(node.args[0]!.shape, node.attrs);
    for (let k = 0; k < x!.length; k++) out[target[k]!] += x![k]!;
    return out;
  },
  vjp: (seed, self, b) => [expandReduced(b, seed, self.args[0]!.shape, self.attrs)],
  jvp: ([dx], self, b) => b.apply('sum', [dx!], self.attrs),
  batch: ([x], _batched, self, b) => shiftedAxes(x!, self, b),
  simplify: ([x], attrs, b) => {
    if (attrs.length === 0) return x;
    // A sum of a repeated scalar is a product: sum(broadcast(s)) = count · s (zeros stay zeros).
    if (x!.op === 'broadcast' && x!.args[0]!.shape.length === 0) {
      const shape = reducedShape(x!.shape, attrs);
      const count = elementCount(x!.shape) / elementCount(shape);
      return broadcastTo(b, b.mul(b.constant(count), x!.args[0]!), shape);
    }
    return undefined;
  },
};

/** 1 where `x` equals its reduction `self` (repeated back), else 0: where a maximum was taken. */
function maximumMask(self: Node, b: Builder): Node {
  const x = self.args[0]!;
  return b.apply('equal', [x, expandReduced(b, self, x.shape, self.attrs)]);
}

/**
 * max(x), attrs = the axes reduced over; NaN wins (as Math.max). Its derivative is shared
 * equally among the elements that attain the maximum (JAX's and TensorFlow's convention).
 */
export const max: TensorPrimitive = {
  kind: 'tensor',
  name: 'max',
  arity: 1,
  notation: notation('max'),
  normalizeAttrs: allAxesByDefault,
  shape: reductionShape('max'),
  evaluate: ([x], node) => {
    const out = new Float64Array(elementCount(node.shape)).fill(-Infinity);
    const target = reductionTargets(node.args[0]!.shape, node.attrs);
    for (let k = 0; k < x!.length; k++) out[target[k]!] = Math.max(out[target[k]!]!, x![k]!);
    return out;
  },
  vjp: (seed, self, b) => {
    const mask = maximumMask(self, b);
    const share = b.div(seed, b.apply('sum', [mask], self.attrs));
    return [b.mul(mask, expandReduced(b, share, self.args[0]!.shape, self.attrs))];
  },
  jvp: ([dx], self, b) => {
    const mask = maximumMask(self, b);
    return b.div(b.apply('sum', [b.mul(mask, dx!)], self.attrs), b.apply('sum', [mask], self.attrs));
  },
  batch: ([x], _batched, self, b) => shiftedAxes(x!, self, b),
  convention: 'at ties the derivative is shared equally among the maxima',
  simplify: ([x], attrs) => (attrs.length === 0 ? x : undefined),
};

/** exp(x − expand(self)): the softmax weights of a logsumexp, reusing its value. */
function logsumexpWeights(self: Node, b: Builder): Node {
  const x = self.args[0]!;
  return b.apply('exp', [b.sub(x, expandReduced(b, self, x.shape, self.attrs))]);
}

/**
 * logsumexp(x) = ln Σ exp(x), attrs = the axes reduced over; evaluated with the maximum
 * shifted out, so it neither overflows nor underflows to −∞.
 */
export const logsumexp: TensorPrimitive = {
  kind: 'tensor',
  name: 'logsumexp',
  arity: 1,
  notation: notation('logsumexp'),
  normalizeAttrs: allAxesByDefault,
  shape: reductionShape('logsumexp'),
  evaluate: ([x], node) => {
    const n = elementCount(node.shape);
    const target = reductionTargets(node.args[0]!.shape, node.attrs);
    const max = new Float64Array(n).fill(-Infinity);
    for (let k = 0; k < x!.length; k++) max[target[k]!] = Math.max(max[target[k]!]!, x![k]!);
    const total = new Float64Array(n);
    for (let k = 0; k < x!.length; k++) total[target[k]!] += Math.exp(x![k]! - max[target[k]!]!);
    const out = new Float64Array(n);
    // An infinite maximum is the answer itself (and avoids ∞ − ∞).
    for (let i = 0; i < n; i++) out[i] = Number.isFinite(max[i]!) ? max[i]! + Math.log(total[i]!) : max[i]!;
    return out;
  },
  vjp: (seed, self, b) => [b.mul(logsumexpWeights(self, b), expandReduced(b, seed, self.args[0]!.shape, self.attrs))],
  // s + ln Σ exp(x − s) with s the maximum where it is finite, else 0: shifting by an infinite
  // maximum would give ∞ − ∞ = NaN, where the value is the maximum itself (ln 0 = −∞ for an all
  // −∞ lane, ln ∞ = ∞ with a +∞ entry, NaN with a NaN).
  decompose: (self, b) => {
    const x = self.args[0]!;
    const m = b.apply('max', [x], self.attrs);
    const finite = b.apply('lt', [b.apply('abs', [m]), b.constant(Infinity)]);
    const shift = b.apply('where', [finite, m, b.constant(0)]);
    return b.add(shift, b.apply('ln', [b.apply('sum', [b.apply('exp', [b.sub(x, expandReduced(b, shift, x.shape, self.attrs))])], self.attrs)]));
  },
  jvp: ([dx], self, b) => b.apply('sum', [b.mul(logsumexpWeights(self, b), dx!)], self.attrs),
  batch: ([x], _batched, self, b) => shiftedAxes(x!, self, b),
  simplify: ([x], attrs) => (attrs.length === 0 ? x : undefined),
};

/** s ⊙ (t − expand(Σ_axis t ⊙ s)): softmax's Jacobian (symmetric) applied to t, for both JVP and VJP. */
function softmaxJacobianTimes(self: Node, t: Node, b: Builder): Node {
  const axes = self.attrs;
  const sums = b.apply('sum', [b.mul(t, self)], axes);
  return b.mul(self, b.sub(t, expandReduced(b, sums, self.shape, axes)));
}

/**
 * softmax(x), attrs [axis]: exp(x) / Σ exp(x) along the axis (every lane along it sums to 1).
 * Evaluated with the lane's maximum shifted out.
 */
export const softmax: TensorPrimitive = {
  kind: 'tensor',
  name: 'softmax',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'softmax',
    plain: callWithAttrs('softmax', ([axis], [shape]) => (axis === shape!.length - 1 ? '' : `axis=${axis}`)),
    latex: latexCall('softmax', ([axis], [shape]) => (axis === shape!.length - 1 ? '' : `${axis}`)),
  },
  // No axis given: the last (a vector's elements, a matrix's rows).
  normalizeAttrs: ([x], attrs) => (attrs.length === 0 ? [x!.length - 1] : attrs),
  shape: ([x], attrs) => {
    if (x!.length === 0 || attrs.length !== 1) throw shapeError('softmax', `needs one axis of a vector or higher-rank tensor, got attrs [${attrs.join(', ')}] on ${describeShape(x!)}`, [x!]);
    checkAxis('softmax', attrs[0], x!);
    return x!;
  },
  evaluate: ([x], node) => {
    const target = reductionTargets(node.shape, node.attrs);
    const lanes = x!.length / node.shape[node.attrs[0]!]!;
    const max = new Float64Array(lanes).fill(-Infinity);
    for (let k = 0; k < x!.length; k++) max[target[k]!] = Math.max(max[target[k]!]!, x![k]!);
    const total = new Float64Array(lanes);
    const out = new Float64Array(x!.length);
    for (let k = 0; k < x!.length; k++) total[target[k]!] += out[k] = Math.exp(x![k]! - max[target[k]!]!);
    for (let k = 0; k < x!.length; k++) out[k] = out[k]! / total[target[k]!]!;
    return out;
  },
  vjp: (seed, self, b) => [softmaxJacobianTimes(self, seed, b)],
  // e / Σ e along the axis, with e = exp(x − max): two reductions and two elementwise steps.
  decompose: (self, b) => {
    const x = self.args[0]!;
    const e = b.apply('exp', [b.sub(x, expandReduced(b, b.apply('max', [x], self.attrs), x.shape, self.attrs))]);
    return b.div(e, expandReduced(b, b.apply('sum', [e], self.attrs), x.shape, self.attrs));
  },
  jvp: ([dx], self, b) => softmaxJacobianTimes(self, dx!, b),
  batch: ([x], _batched, self, b) => shiftedAxes(x!, self, b),
};
