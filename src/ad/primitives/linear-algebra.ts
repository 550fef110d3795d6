/**
 * The matrix product (batched, as numpy's `matmul`) and the transpose by any permutation of
 * the axes, with the matrix-calculus rules d(AB) = dA·B + A·dB and d(Aᵀ) = dAᵀ.
 */
import type { Node } from '../node.js';
import { broadcastShapes, broadcastStrides, describeShape, elementCount, stridesOf, type Shape } from '../shape.js';
import { reshapeTo, sumTo, zeros } from './broadcasting.js';
import { callWithAttrs, latexCall, shapeError, stridedIndices } from './layout.js';
import { batchSize } from './batch-axis.js';
import type { Builder, TensorPrimitive } from './types.js';

const isZeroFilled = (n: Node) =>
  (n.op === 'const' && n.value === 0) || (n.op === 'broadcast' && n.args[0]!.op === 'const' && n.args[0]!.value === 0);

/** The sum of the defined terms (a JVP of a bilinear operation has one or two). */
function sumDefined(b: Builder, terms: readonly (Node | undefined)[]): Node {
  let total: Node | undefined;
  for (const t of terms) if (t !== undefined) total = total === undefined ? t : b.add(total, t);
  return total!;
}

/**
 * How a product is computed: both operands as stacks of matrices ([...batch, rows, inner] and
 * [...batch, inner, columns]; a vector on the left is one row, on the right one column), the
 * broadcast batch shape, and the result shape (the vector's axis dropped again).
 */
export interface ProductLayout {
  readonly batch: Shape;
  readonly rows: number;
  readonly inner: number;
  readonly columns: number;
  /** Each operand's batch shape (after promotion), for reading it with broadcasting. */
  readonly leftBatch: Shape;
  readonly rightBatch: Shape;
  readonly result: Shape;
}

export function productLayout(a: Shape, c: Shape): ProductLayout {
  if (a.length === 0 || c.length === 0) throw shapeError('matmul', 'operands must have at least one axis (use mul for a scalar)', [a, c]);
  const left = a.length === 1 ? [1, a[0]!] : a;
  const right = c.length === 1 ? [c[0]!, 1] : c;
  const inner = left[left.length - 1]!;
  if (inner !== right[right.length - 2]) {
    throw shapeError('matmul', `shape mismatch: cannot multiply ${describeShape(a)} by ${describeShape(c)} (inner dimensions ${inner} and ${right[right.length - 2]})`, [a, c]);
  }
  const leftBatch = left.slice(0, -2);
  const rightBatch = right.slice(0, -2);
  let batch: Shape;
  try {
    batch = broadcastShapes('matmul', [leftBatch, rightBatch]);
  } catch {
    throw shapeError('matmul', `shape mismatch: the batch axes of ${describeShape(a)} and ${describeShape(c)} do not broadcast`, [a, c]);
  }
  const rows = left[left.length - 2]!;
  const columns = right[right.length - 1]!;
  const result = [...batch, ...(a.length === 1 ? [] : [rows]), ...(c.length === 1 ? [] : [columns])];
  return { batch, rows, inner, columns, leftBatch, rightBatch, result };
}

/** x with its last two axes swapped. */
export function swapLastAxes(b: Builder, x: Node): Node {
  const rank = x.shape.length;
  const perm = x.shape.map((_, i) => (i < rank - 2 ? i : i === rank - 2 ? rank - 1 : rank - 2));
  return b.apply('transpose', [x], perm);
}

/**
 * matmul(a, b): numpy's matrix product. [..., R, K]·[..., K, C] → [..., R, C] with the leading
 * (batch) axes broadcast; a vector [K] on the left is a row (its axis is dropped from the
 * result), on the right a column: [R, K]·[K] → [R], [K]·[K, C] → [C], [K]·[K] → scalar.
 */
/**
 * matmul of batched operands: a batched vector becomes a matrix ([B, 1, k] on the left,
 * [B, k, 1] on the right), every batched operand gets as many batch axes as the other has plus
 * one (size-1 axes after the batch axis), so numpy's right-aligned batch broadcasting keeps the
 * batch axis first; the product is then reshaped to [B, ...self.shape].
 */
function batchedProduct(args: readonly Node[], batched: readonly boolean[], self: Node, b: Builder): Node {
  const size = batchSize(args, batched);
  const [a, c] = args as [Node, Node];
  let left = batched[0] && a.shape.length === 2 ? b.apply('reshape', [a], [size, 1, a.shape[1]!]) : a;
  let right = batched[1] && c.shape.length === 2 ? b.apply('reshape', [c], [size, c.shape[1]!, 1]) : c;
  const batchRank = (x: Node) => Math.max(0, x.shape.length - 2);
  const target = Math.max(...[left, right].map((x, i) => (batched[i] ? batchRank(x) : batchRank(x) + 1)));
  const pad = (x: Node) => b.apply('reshape', [x], [size, ...new Array<number>(target - batchRank(x)).fill(1), ...x.shape.slice(1)]);
  if (batched[0]) left = pad(left);
  if (batched[1]) right = pad(right);
  return b.apply('reshape', [b.apply('matmul', [left, right])], [size, ...self.shape]);
}

export const matmul: TensorPrimitive = {
  kind: 'tensor',
  name: 'matmul',
  arity: 2,
  notation: { kind: 'infix', symbol: '@', precedence: 2, associative: false, latex: { symbol: '\\,' } },
  shape: ([a, c]) => productLayout(a!, c!).result,
  evaluate: ([a, c], node) => {
    const [shapeA, shapeC] = [node.args[0]!.shape, node.args[1]!.shape];
    const { batch, rows, inner, columns, leftBatch, rightBatch } = productLayout(shapeA, shapeC);
    const count = elementCount(batch);
    // The first element of each operand's matrix for each batch index (broadcast batches repeat).
    const leftStarts = stridedIndices(batch, broadcastStrides(leftBatch, batch).map((s) => s * rows * inner));
    const rightStarts = stridedIndices(batch, broadcastStrides(rightBatch, batch).map((s) => s * inner * columns));
    const out = new Float64Array(count * rows * columns);
    for (let p = 0; p < count; p++) {
      const l = leftStarts[p]!, r = rightStarts[p]!, o = p * rows * columns;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < columns; j++) {
          let total = 0;
          for (let k = 0; k < inner; k++) total += a![l + i * inner + k]! * c![r + k * columns + j]!;
          out[o + i * columns + j] = total;
        }
      }
    }
    return out;
  },
  vjp: (g, self, b, needed) => {
    const [a, c] = self.args as [Node, Node];
    if (a.shape.length === 1 && c.shape.length === 1) return [needed[0] ? b.mul(g, c) : undefined, needed[1] ? b.mul(g, a) : undefined];
    // Promote vectors to matrices (a row on the left, a column on the right) and the seed with
    // them, take the matrix rules, and sum each adjoint back over the batch axes it was broadcast along.
    const left = a.shape.length === 1 ? reshapeTo(b, a, [1, a.shape[0]!]) : a;
    const right = c.shape.length === 1 ? reshapeTo(b, c, [c.shape[0]!, 1]) : c;
    const { batch, rows, columns } = productLayout(a.shape, c.shape);
    const seed = reshapeTo(b, g, [...batch, rows, columns]);
    const adjoint = (product: Node, operand: Node, promoted: Node) => reshapeTo(b, sumTo(b, product, promoted.shape), operand.shape);
    return [
      needed[0] ? adjoint(b.apply('matmul', [seed, swapLastAxes(b, right)]), a, left) : undefined,
      needed[1] ? adjoint(b.apply('matmul', [swapLastAxes(b, left), seed]), c, right) : undefined,
    ];
  },
  jvp: ([da, dc], self, b) => {
    const [a, c] = self.args as [Node, Node];
    return sumDefined(b, [da && b.apply('matmul', [da, c]), dc && b.apply('matmul', [a, dc])]);
  },
  batch: (args, batched, self, b) => batchedProduct(args, batched, self, b),
  simplify: ([a, c], _attrs, b) => {
    if (isZeroFilled(a!) || isZeroFilled(c!)) return zeros(b, productLayout(a!.shape, c!.shape).result);
    return undefined;
  },
};

const isReversal = (perm: readonly number[]) => perm.every((p, i) => p === perm.length - 1 - i);

/**
 * transpose(a), attrs = a permutation of the axes: axis i of the result is axis perm[i] of a.
 * No permutation given: the axes reversed (a matrix's transpose).
 */
export const transpose: TensorPrimitive = {
  kind: 'tensor',
  name: 'transpose',
  arity: 1,
  notation: {
    kind: 'call',
    name: 'transpose',
    plain: callWithAttrs('transpose', (perm) => (isReversal(perm) ? '' : `[${perm.join(', ')}]`)),
    latex: (args, perm, shapes) =>
      isReversal(perm) ? `\\left(${args[0]}\\right)^{\\top}` : latexCall('transpose', () => perm.join(','))(args, perm, shapes),
  },
  normalizeAttrs: ([a], attrs) => (attrs.length === 0 ? a!.map((_, i) => a!.length - 1 - i) : attrs),
  shape: ([a], perm) => {
    const valid = perm.length === a!.length && perm.every((p) => Number.isInteger(p) && p >= 0 && p < a!.length) && new Set(perm).size === perm.length;
    if (!valid) throw shapeError('transpose', `[${perm.join(', ')}] is not a permutation of the ${a!.length} axes of ${describeShape(a!)}`, [a!]);
    return perm.map((p) => a![p]!);
  },
  evaluate: ([a], node) => {
    const strides = stridesOf(node.args[0]!.shape);
    const indices = stridedIndices(node.shape, node.attrs.map((p) => strides[p]!));
    return Float64Array.from(indices, (k) => a![k]!);
  },
  // The adjoint permutation is the inverse: axis perm[i] of the operand comes from axis i.
  vjp: (g, self, b) => [b.apply('transpose', [g], inversePermutation(self.attrs))],
  jvp: ([da], self, b) => b.apply('transpose', [da!], self.attrs),
  batch: ([a], _batched, self, b) => b.apply('transpose', [a!], [0, ...self.attrs.map((p) => p + 1)]),
  simplify: ([a], perm, b) => {
    if (perm.every((p, i) => p === i)) return a;
    if (a!.op === 'transpose') return b.apply('transpose', [a!.args[0]!], perm.map((p) => a!.attrs[p]!));
    if (a!.op === 'broadcast' && a!.args[0]!.shape.length === 0) return b.apply('broadcast', [a!.args[0]!], perm.map((p) => a!.shape[p]!));
    return undefined;
  },
};

export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}
