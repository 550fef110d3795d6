/** Matrix products and the transpose, with the matrix-calculus rules d(AB) = dA·B + A·dB, d(Aᵀ) = dAᵀ. */
import type { Node } from '../node.js';
import { describeShape } from '../shape.js';
import { zeros } from './broadcasting.js';
import { asRows, shapeError } from './layout.js';
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
 * matmul(a, b): the matrix product, row-major. Shapes: [R, K]·[K, C] → [R, C];
 * [R, K]·[K] → [R] (matrix times column vector); [K]·[K, C] → [C] (row vector times matrix);
 * [K]·[K] → scalar (the dot product).
 */
export const matmul: TensorPrimitive = {
  kind: 'tensor',
  name: 'matmul',
  arity: 2,
  notation: { kind: 'infix', symbol: '@', precedence: 2, associative: false, latex: { symbol: '\\,' } },
  shape: ([a, c]) => {
    if (a!.length === 0 || c!.length === 0) throw shapeError('matmul', 'operands must be vectors or matrices', [a!, c!]);
    const inner = a![a!.length - 1]!;
    if (inner !== c![0]) {
      throw shapeError('matmul', `shape mismatch: cannot multiply ${describeShape(a!)} by ${describeShape(c!)} (inner dimensions ${inner} and ${c![0]})`, [a!, c!]);
    }
    return [...a!.slice(0, -1), ...c!.slice(1)];
  },
  evaluate: ([a, c], node) => {
    // View a as [R, K] (a vector is one row) and c as [K, C] (a vector is one column).
    const shapeA = node.args[0]!.shape;
    const rows = shapeA.length === 2 ? shapeA[0]! : 1;
    const inner = shapeA[shapeA.length - 1]!;
    const columns = c!.length / inner;
    const out = new Float64Array(rows * columns);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < columns; j++) {
        let total = 0;
        for (let k = 0; k < inner; k++) total += a![i * inner + k]! * c![k * columns + j]!;
        out[i * columns + j] = total;
      }
    }
    return out;
  },
  vjp: (g, self, b, needed) => {
    const [a, c] = self.args as [Node, Node];
    const transpose = (x: Node) => b.apply('transpose', [x]);
    if (a.shape.length === 2 && c.shape.length === 2) {
      return [needed[0] ? b.apply('matmul', [g, transpose(c)]) : undefined, needed[1] ? b.apply('matmul', [transpose(a), g]) : undefined];
    }
    if (a.shape.length === 2) {
      return [needed[0] ? b.apply('outer', [g, c]) : undefined, needed[1] ? b.apply('matmul', [g, a]) : undefined];
    }
    if (c.shape.length === 2) {
      return [needed[0] ? b.apply('matmul', [c, g]) : undefined, needed[1] ? b.apply('outer', [a, g]) : undefined];
    }
    return [needed[0] ? b.mul(g, c) : undefined, needed[1] ? b.mul(g, a) : undefined];
  },
  jvp: ([da, dc], self, b) => {
    const [a, c] = self.args as [Node, Node];
    return sumDefined(b, [da && b.apply('matmul', [da, c]), dc && b.apply('matmul', [a, dc])]);
  },
  simplify: ([a, c], _attrs, b) => {
    if (isZeroFilled(a!) || isZeroFilled(c!)) return zeros(b, [...a!.shape.slice(0, -1), ...c!.shape.slice(1)]);
    return undefined;
  },
};

/** outer(a, b): [R] and [C] → the [R, C] matrix with element (i, j) = a[i]·b[j]. */
export const outer: TensorPrimitive = {
  kind: 'tensor',
  name: 'outer',
  arity: 2,
  notation: { kind: 'call', name: 'outer', latex: ([a, c]) => `${a} \\otimes ${c}` },
  shape: ([a, c]) => {
    if (a!.length !== 1 || c!.length !== 1) throw shapeError('outer', 'operands must be vectors', [a!, c!]);
    return [a![0]!, c![0]!];
  },
  evaluate: ([a, c]) => {
    const out = new Float64Array(a!.length * c!.length);
    for (let i = 0; i < a!.length; i++) for (let j = 0; j < c!.length; j++) out[i * c!.length + j] = a![i]! * c![j]!;
    return out;
  },
  vjp: (g, self, b, needed) => {
    const [a, c] = self.args as [Node, Node];
    return [needed[0] ? b.apply('matmul', [g, c]) : undefined, needed[1] ? b.apply('matmul', [a, g]) : undefined];
  },
  jvp: ([da, dc], self, b) => {
    const [a, c] = self.args as [Node, Node];
    return sumDefined(b, [da && b.apply('outer', [da, c]), dc && b.apply('outer', [a, dc])]);
  },
  simplify: ([a, c], _attrs, b) => {
    if (isZeroFilled(a!) || isZeroFilled(c!)) return zeros(b, [a!.shape[0]!, c!.shape[0]!]);
    return undefined;
  },
};

/** transpose(a): [R, C] → [C, R], element (j, i) of the result = element (i, j) of a. Matrices only. */
export const transpose: TensorPrimitive = {
  kind: 'tensor',
  name: 'transpose',
  arity: 1,
  notation: { kind: 'call', name: 'transpose', latex: ([a]) => `\\left(${a}\\right)^{\\top}` },
  shape: ([a]) => {
    if (a!.length !== 2) throw shapeError('transpose', `only a matrix has a transpose, got ${describeShape(a!)}`, [a!]);
    return [a![1]!, a![0]!];
  },
  evaluate: ([a], node) => {
    const [rows, columns] = asRows(node.args[0]!.shape);
    const out = new Float64Array(a!.length);
    for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) out[j * rows + i] = a![i * columns + j]!;
    return out;
  },
  vjp: (g, _self, b) => [b.apply('transpose', [g])],
  jvp: ([da], _self, b) => b.apply('transpose', [da!]),
  simplify: ([a], _attrs, b) => {
    if (a!.op === 'transpose') return a!.args[0];
    if (a!.op === 'broadcast' && a!.args[0]!.shape.length === 0) return b.apply('broadcast', [a!.args[0]!], [a!.shape[1]!, a!.shape[0]!]);
    return undefined;
  },
};

