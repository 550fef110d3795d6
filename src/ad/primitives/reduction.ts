/**
 * Reductions and the row-wise softmax. A reduction's attrs are `[]` (all elements, a scalar
 * result) or `[axis]`: on a vector axis 0 is all elements; on an [R, C] matrix axis 0 reduces
 * the rows away (result [C], one value per column) and axis 1 the columns (result [R], one per row).
 */
import type { Node } from '../node.js';
import { elementCount, SCALAR, type Shape } from '../shape.js';
import { broadcastTo, expandReduced } from './broadcasting.js';
import { asRows, callWithAttrs, checkAxis, latexCall } from './layout.js';
import type { Builder, TensorPrimitive } from './types.js';

function reducedShape(operation: string, shape: Shape, attrs: readonly number[]): Shape {
  if (attrs.length === 0) return SCALAR;
  const axis = checkAxis(operation, attrs[0], shape);
  return shape.length === 1 ? SCALAR : [shape[1 - axis]!];
}

/** For each flat element index of the operand, the flat index of the result it reduces into. */
function reductionTarget(shape: Shape, attrs: readonly number[]): (k: number) => number {
  if (attrs.length === 0 || shape.length < 2) return () => 0;
  const columns = shape[1]!;
  return attrs[0] === 0 ? (k) => k % columns : (k) => Math.floor(k / columns);
}

const axisLabel = (attrs: readonly number[]) => (attrs.length === 0 ? '' : `axis=${attrs[0]}`);

/** sum(x), attrs `[]` or `[axis]` (see above). */
export const sum: TensorPrimitive = {
  kind: 'tensor',
  name: 'sum',
  arity: 1,
  notation: { kind: 'call', name: 'sum', plain: callWithAttrs('sum', axisLabel), latex: latexCall('sum', axisLabel) },
  shape: ([x], attrs) => reducedShape('sum', x!, attrs),
  evaluate: ([x], node) => {
    const out = new Float64Array(elementCount(node.shape));
    const target = reductionTarget(node.args[0]!.shape, node.attrs);
    for (let k = 0; k < x!.length; k++) out[target(k)] += x![k]!;
    return out;
  },
  vjp: (seed, self, b) => [expandReduced(b, seed, self.args[0]!.shape, self.attrs)],
  jvp: ([dx], self, b) => b.apply('sum', [dx!], self.attrs),
  simplify: ([x], attrs, b) => {
    if (x!.shape.length === 0) return x;
    // A sum of a repeated scalar is a product: sum(broadcast(s)) = count · s (zeros stay zeros).
    if (x!.op === 'broadcast' && x!.args[0]!.shape.length === 0) {
      const shape = reducedShape('sum', x!.shape, attrs);
      const count = elementCount(x!.shape) / elementCount(shape);
      return broadcastTo(b, b.mul(b.constant(count), x!.args[0]!), shape);
    }
    return undefined;
  },
};

/** exp(x − expand(self)): the softmax weights of a logsumexp, reusing its value. */
function logsumexpWeights(self: Node, b: Builder): Node {
  const x = self.args[0]!;
  return b.apply('exp', [b.sub(x, expandReduced(b, self, x.shape, self.attrs))]);
}

/**
 * logsumexp(x) = ln Σ exp(x), attrs `[]` or `[axis]` like `sum`; evaluated with the maximum
 * shifted out, so it neither overflows nor underflows to −∞.
 */
export const logsumexp: TensorPrimitive = {
  kind: 'tensor',
  name: 'logsumexp',
  arity: 1,
  notation: { kind: 'call', name: 'logsumexp', plain: callWithAttrs('logsumexp', axisLabel), latex: latexCall('logsumexp', axisLabel) },
  shape: ([x], attrs) => reducedShape('logsumexp', x!, attrs),
  evaluate: ([x], node) => {
    const n = elementCount(node.shape);
    const target = reductionTarget(node.args[0]!.shape, node.attrs);
    const max = new Float64Array(n).fill(-Infinity);
    for (let k = 0; k < x!.length; k++) max[target(k)] = Math.max(max[target(k)]!, x![k]!);
    const total = new Float64Array(n);
    for (let k = 0; k < x!.length; k++) total[target(k)] += Math.exp(x![k]! - max[target(k)]!);
    const out = new Float64Array(n);
    // An infinite maximum is the answer itself (and avoids ∞ − ∞).
    for (let i = 0; i < n; i++) out[i] = Number.isFinite(max[i]!) ? max[i]! + Math.log(total[i]!) : max[i]!;
    return out;
  },
  vjp: (seed, self, b) => [b.mul(logsumexpWeights(self, b), expandReduced(b, seed, self.args[0]!.shape, self.attrs))],
  jvp: ([dx], self, b) => b.apply('sum', [b.mul(logsumexpWeights(self, b), dx!)], self.attrs),
};

/** s ⊙ (t − rowsum(t ⊙ s)): softmax's Jacobian (symmetric) applied to t, for both JVP and VJP. */
function softmaxJacobianTimes(self: Node, t: Node, b: Builder): Node {
  const attrs = self.shape.length === 2 ? [1] : [];
  const rowSums = b.apply('sum', [b.mul(t, self)], attrs);
  return b.mul(self, b.sub(t, expandReduced(b, rowSums, self.shape, attrs)));
}

/**
 * softmax(x), no attrs: exp(x) / Σ exp(x) over a whole vector, or over each row of a matrix
 * (every row of the result sums to 1). Evaluated with the row maximum shifted out.
 */
export const softmax: TensorPrimitive = {
  kind: 'tensor',
  name: 'softmax',
  arity: 1,
  notation: { kind: 'call', name: 'softmax', latex: ([a]) => `\\operatorname{softmax}\\left(${a}\\right)` },
  shape: ([x]) => {
    if (x!.length === 0) return SCALAR; // softmax of one value is 1; kept for uniformity
    return x!;
  },
  evaluate: ([x], node) => {
    const [rows, columns] = asRows(node.shape);
    const out = new Float64Array(x!.length);
    for (let i = 0; i < rows; i++) {
      let max = -Infinity;
      for (let j = 0; j < columns; j++) max = Math.max(max, x![i * columns + j]!);
      let total = 0;
      for (let j = 0; j < columns; j++) total += out[i * columns + j] = Math.exp(x![i * columns + j]! - max);
      for (let j = 0; j < columns; j++) out[i * columns + j] = out[i * columns + j]! / total;
    }
    return out;
  },
  vjp: (seed, self, b) => [softmaxJacobianTimes(self, seed, b)],
  jvp: ([dx], self, b) => softmaxJacobianTimes(self, dx!, b),
};
