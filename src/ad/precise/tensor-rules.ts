/**
 * The tensor primitives in any number system, one rule per primitive (a missing one is a compile
 * error), written once for every system (decimal, rational) in the few operations a
 * `NumberSystem` gives.
 *
 * Most tensor primitives only move data: each result element is one operand element, or zero.
 * Those reuse their float64 reference rule unchanged (`moves`): it runs on element positions
 * instead of values, and the positions it returns pick the system's values. A primitive added
 * later that moves data needs one line here; one that computes (a sum, a product) a rule of its
 * own, as `sum` and `matmul` have; the convolution family sums the products `forEachProduct`
 * lists, and pooling compares and sums in the system over the windows `forEachWindow` lists.
 */
import type { Node } from '../node.js';
import { elementCount, broadcastStrides } from '../shape.js';
import { tensorPrimitives, type TensorPrimitiveName } from '../primitives/index.js';
import { forEachProduct } from '../primitives/convolution.js';
import { around, checkedIndex } from '../primitives/indexing.js';
import { stridedIndices } from '../primitives/layout.js';
import { productLayout } from '../primitives/linear-algebra.js';
import { forEachWindow, poolingGeometry, windowArgmaxes, windowCounts, unpooledGeometry } from '../primitives/pooling.js';
import { reductionTargets } from '../primitives/reduction.js';
import type { WindowGeometry } from '../primitives/windows.js';
import type { NumberSystem } from './number-system.js';

/** A tensor primitive on flat row-major operands of a number system. */
export type PreciseTensorRule = <T>(values: readonly (readonly T[])[], node: Node, system: NumberSystem<T>) => T[];

/**
 * A primitive that moves data, evaluated by its float64 rule on positions: element k of the
 * moved operands (numbered one after another from 1) enters as k, and each result position
 * (0 for a zero the rule wrote) picks that element. Operands listed in `indexOperands` are read
 * as numbers instead (gather's positions).
 */
function moves(...indexOperands: number[]): PreciseTensorRule {
  return <T>(values: readonly (readonly T[])[], node: Node, system: NumberSystem<T>): T[] => {
    const sources: T[] = [];
    const operands = values.map((v, i) => {
      if (indexOperands.includes(i)) return Float64Array.from(v, (e) => system.toNumber(e));
      const first = sources.length + 1;
      for (const e of v) sources.push(e);
      return Float64Array.from(v, (_, k) => first + k);
    });
    const positions = tensorPrimitives[node.op as TensorPrimitiveName].evaluate(operands, node);
    return Array.from(positions, (p) => {
      if (p === 0) return system.zero;
      const element = Number.isInteger(p) ? sources[p - 1] : undefined;
      if (element === undefined) throw new Error(`internal: '${node.op}' is evaluated as data movement but computed ${p}`);
      return element;
    });
  };
}

/** Each lane (`target` maps element k to its lane) folded from its elements, in order. */
function fold<T>(x: readonly T[], target: Int32Array, lanes: number, combine: (total: T, element: T) => T): T[] {
  const out = new Array<T | undefined>(lanes);
  for (let k = 0; k < x.length; k++) {
    const t = target[k]!;
    out[t] = out[t] === undefined ? x[k]! : combine(out[t], x[k]!);
  }
  return out as T[];
}

/** A reduction's operand folded into its result elements. */
function reduce<T>(x: readonly T[], node: Node, combine: (total: T, element: T) => T): T[] {
  return fold(x, reductionTargets(node.args[0]!.shape, node.attrs), elementCount(node.shape), combine);
}

/** exp(x − the maximum of x's lane), as logsumexp and softmax compute it, and the maxima. */
function shiftedExponentials<T>(x: readonly T[], target: Int32Array, lanes: number, system: NumberSystem<T>): { max: T[]; exponentials: T[] } {
  const max = fold(x, target, lanes, system.maximum);
  const { exp, sub } = system.elementwise;
  return { max, exponentials: x.map((e, k) => exp([sub([e, max[target[k]!]!])])) };
}

/** A node of the convolution family: each element the sum of its products, from zero, in order (as the float64 rule). */
function sumOfProducts<T>(left: readonly T[], right: readonly T[], node: Node, system: NumberSystem<T>): T[] {
  const { add, mul } = system.elementwise;
  const out = new Array<T>(elementCount(node.shape)).fill(system.zero);
  forEachProduct(node, (o, i, j) => (out[o] = add([out[o]!, mul([left[i]!, right[j]!])])));
  return out;
}

/**
 * Each window's arg-max over x compared in the system: a later element takes it only if it is
 * strictly larger (the sign of the difference is 1; NaN never is), as the float64 rule.
 */
function argmaxes<T>(x: readonly T[], g: WindowGeometry, channels: number, system: NumberSystem<T>): Int32Array {
  const { sign, sub } = system.elementwise;
  return windowArgmaxes(g, channels, (element, best) => system.toNumber(sign([sub([x[element]!, x[best]!])])) === 1);
}

/** The pooling geometry of a node whose first operand is the pooled image. */
const pooling = (node: Node): WindowGeometry => poolingGeometry(node.op, node.args[0]!.shape, node.attrs);

/** The rules, one per tensor primitive. */
export const preciseTensorRules: { readonly [P in TensorPrimitiveName]: PreciseTensorRule } = {
  broadcast: moves(),
  transpose: moves(),
  reshape: moves(),
  pack: moves(),
  get: moves(),
  slice: moves(),
  pad: moves(),
  concat: moves(),
  gather: moves(1),
  sum: ([x], node, system) => reduce(x!, node, (a, b) => system.elementwise.add([a, b])),
  // NaN wins, as in the float64 rule.
  max: ([x], node, system) => reduce(x!, node, (a, b) => system.maximum(a, b)),
  logsumexp: ([x], node, system) => {
    const lanes = elementCount(node.shape);
    const target = reductionTargets(node.args[0]!.shape, node.attrs);
    const { max, exponentials } = shiftedExponentials(x!, target, lanes, system);
    const totals = fold(exponentials, target, lanes, (a, b) => system.elementwise.add([a, b]));
    const { add, ln } = system.elementwise;
    // An infinite maximum is the answer itself (and avoids ∞ − ∞).
    return max.map((m, i) => (system.isFinite(m) ? add([m, ln([totals[i]!])]) : m));
  },
  softmax: ([x], node, system) => {
    const target = reductionTargets(node.shape, node.attrs);
    const lanes = x!.length / node.shape[node.attrs[0]!]!;
    const { exponentials } = shiftedExponentials(x!, target, lanes, system);
    const totals = fold(exponentials, target, lanes, (a, b) => system.elementwise.add([a, b]));
    return exponentials.map((e, k) => system.elementwise.div([e, totals[target[k]!]!]));
  },
  matmul: ([a, c], node, system) => {
    const { batch, rows, inner, columns, leftBatch, rightBatch } = productLayout(node.args[0]!.shape, node.args[1]!.shape);
    const count = elementCount(batch);
    const leftStarts = stridedIndices(batch, broadcastStrides(leftBatch, batch).map((s) => s * rows * inner));
    const rightStarts = stridedIndices(batch, broadcastStrides(rightBatch, batch).map((s) => s * inner * columns));
    const { add, mul } = system.elementwise;
    const out = new Array<typeof system.zero>(count * rows * columns);
    for (let p = 0; p < count; p++) {
      const l = leftStarts[p]!, r = rightStarts[p]!, o = p * rows * columns;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < columns; j++) {
          let total = system.zero;
          for (let k = 0; k < inner; k++) total = add([total, mul([a![l + i * inner + k]!, c![r + k * columns + j]!])]);
          out[o + i * columns + j] = total;
        }
      }
    }
    return out;
  },
  scatterAdd: ([values, indices], node, system) => {
    const [axis, n] = node.attrs as [number, number];
    const { outer, inner } = around(node.shape, axis);
    const count = indices!.length;
    const out = new Array<typeof system.zero>(elementCount(node.shape)).fill(system.zero);
    for (let t = 0; t < count; t++) {
      const position = checkedIndex('scatterAdd', system.toNumber(indices![t]!), n);
      for (let o = 0; o < outer; o++) {
        const from = (o * count + t) * inner;
        const to = (o * n + position) * inner;
        for (let e = 0; e < inner; e++) out[to + e] = system.elementwise.add([out[to + e]!, values![from + e]!]);
      }
    }
    return out;
  },
  conv2d: ([x, k], node, system) => sumOfProducts(x!, k!, node, system),
  conv2dBackpropInput: ([dy, k], node, system) => sumOfProducts(dy!, k!, node, system),
  conv2dBackpropFilter: ([x, dy], node, system) => sumOfProducts(x!, dy!, node, system),
  maxPool2d: ([x], node, system) => Array.from(argmaxes(x!, pooling(node), node.shape[3]!, system), (k) => x![k]!),
  maxPool2dGather: ([x, t], node, system) => Array.from(argmaxes(x!, pooling(node), node.shape[3]!, system), (k) => t![k]!),
  maxPool2dScatter: ([x, seed], node, system) => {
    const out = new Array<typeof system.zero>(elementCount(node.shape)).fill(system.zero);
    argmaxes(x!, pooling(node), node.shape[3]!, system).forEach((k, window) => (out[k] = system.elementwise.add([out[k]!, seed![window]!])));
    return out;
  },
  avgPool2d: ([x], node, system) => {
    const g = pooling(node), channels = node.shape[3]!, counts = windowCounts(g);
    const { add, div } = system.elementwise;
    const totals = new Array<typeof system.zero>(elementCount(node.shape)).fill(system.zero);
    forEachWindow(g, channels, (window, element) => (totals[window] = add([totals[window]!, x![element]!])));
    return totals.map((total, window) => div([total, system.constant(counts[Math.floor(window / channels) % counts.length]!)]));
  },
  avgPool2dBackprop: ([seed], node, system) => {
    const g = unpooledGeometry(node.args[0]!.shape, node.attrs), channels = node.shape[3]!, counts = windowCounts(g);
    const { add, div } = system.elementwise;
    const out = new Array<typeof system.zero>(elementCount(node.shape)).fill(system.zero);
    forEachWindow(g, channels, (window, element) => {
      out[element] = add([out[element]!, div([seed![window]!, system.constant(counts[Math.floor(window / channels) % counts.length]!)])]);
    });
    return out;
  },
  // Never reached: the precise interpreter replaces custom nodes by their primals first.
  custom: (_values, node) => {
    throw new Error(`internal: custom node '${node.op}' reached the precise interpreter`);
  },
  oneHot: ([indices], node, system) => {
    const depth = node.attrs[0]!;
    const out = new Array<typeof system.zero>(indices!.length * depth).fill(system.zero);
    indices!.forEach((value, t) => {
      const v = system.toNumber(value);
      if (Number.isInteger(v) && v >= 0 && v < depth) out[t * depth + v] = system.one;
    });
    return out;
  },
};
