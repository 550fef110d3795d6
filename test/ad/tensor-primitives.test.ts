/**
 * The documented semantics of each tensor primitive (row-major layout, axes, attrs): small
 * literal cases at rank 1 and 2, and every primitive at rank 3 and 4 against naive loops over
 * multi-indices written here (an oracle independent of src); the build-time simplifications; and
 * the shape errors (a TypegradError naming the operation and the shapes).
 */
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { TypegradError } from '../../src/ad/errors.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { constantNode, variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { toInfix } from '../../src/ad/print.js';
import { typegradErrorOf } from '../support/errors.js';

const A = variableNode('A', [2, 3]);
const v = variableNode('v', [3]);
const u = variableNode('u', [2]);
const env = new Map([
  ['A', Float64Array.of(1, 2, 3, 4, 5, 6)], // [[1, 2, 3], [4, 5, 6]]
  ['v', Float64Array.of(10, 20, 30)],
  ['u', Float64Array.of(-1, 1)],
]);
const value = (n: Node) => Array.from(evaluateTensors([n], env)[0]!);

describe('tensor primitive semantics', () => {
  it.each([
    ['broadcast [3] → [2, 3] repeats the row', apply('broadcast', [v], [2, 3]), [10, 20, 30, 10, 20, 30]],
    ['add broadcasts a row vector over every row (bias)', apply('add', [A, v]), [11, 22, 33, 14, 25, 36]],
    ['sum, all elements', apply('sum', [A]), [21]],
    ['sum axis 0: one value per column', apply('sum', [A], [0]), [5, 7, 9]],
    ['sum axis 1: one value per row', apply('sum', [A], [1]), [6, 15]],
    ['matmul [2, 3]·[3]', apply('matmul', [A, v]), [140, 320]],
    ['matmul [2]·[2, 3]', apply('matmul', [u, A]), [3, 3, 3]],
    ['matmul [3]·[3] is the dot product', apply('matmul', [v, v]), [1400]],
    ['an outer product by broadcasting [2, 1]·[3]', apply('mul', [apply('reshape', [u], [2, 1]), v]), [-10, -20, -30, 10, 20, 30]],
    ['transpose', apply('transpose', [A]), [1, 4, 2, 5, 3, 6]],
    ['get [i, j]', apply('get', [A], [1, 2]), [6]],
    ['slice axis 1 (columns)', apply('slice', [A], [1, 1, 3]), [2, 3, 5, 6]],
    ['slice axis 0 (rows)', apply('slice', [A], [0, 1, 2]), [4, 5, 6]],
    ['pad axis 0', apply('pad', [v], [0, 1, 2]), [0, 10, 20, 30, 0, 0]],
    ['concat axis 1', apply('concat', [A, A], [1]), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]],
    ['reshape keeps row-major data', apply('reshape', [A], [3, 2]), [1, 2, 3, 4, 5, 6]],
    ['pack', apply('pack', [constantNode(1), constantNode(2), constantNode(3), constantNode(4)], [2, 2]), [1, 2, 3, 4]],
  ])('%s', (_name, node, expected) => {
    expect(value(node)).toEqual(expected);
  });

  it('logsumexp and softmax are computed without overflow', () => {
    const big = apply('mul', [constantNode(1000), A]);
    expect(value(apply('logsumexp', [big], [1]))[1]).toBeCloseTo(6000 + Math.log(1 + Math.exp(-1000) + Math.exp(-2000)), 9);
    const rows = value(apply('softmax', [big]));
    expect(rows[2]! + rows[1]! + rows[0]!).toBeCloseTo(1, 12);
  });
});

describe('tensor simplifications and hash-consing', () => {
  it('transpose(transpose(A)) is A', () => {
    expect(apply('transpose', [apply('transpose', [A])])).toBe(A);
  });
  it('identical tensor expressions are one node', () => {
    expect(apply('matmul', [A, v])).toBe(apply('matmul', [A, v]));
    expect(apply('sum', [A], [0])).not.toBe(apply('sum', [A], [1]));
  });
  it('zero tensors stay zero and keep their shape', () => {
    const zero = apply('broadcast', [constantNode(0)], [2, 3]);
    expect(apply('mul', [A, zero])).toBe(zero);
    expect(apply('add', [A, zero])).toBe(A);
    expect(apply('sub', [A, A])).toBe(zero);
    expect(apply('matmul', [zero, v])).toBe(apply('broadcast', [constantNode(0)], [2]));
  });
  it('get of a pack is the element', () => {
    const x = variableNode('x');
    expect(apply('get', [apply('pack', [x, constantNode(2)], [2])], [0])).toBe(x);
  });
  it('the gradient of an unused tensor variable is a zero tensor of its shape', () => {
    const [gradient] = reverseGradient(apply('sum', [v]), [A]);
    expect(gradient!.shape).toEqual([2, 3]);
    expect(value(gradient!)).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('prints tensor operations readably', () => {
    expect(toInfix(apply('sum', [apply('add', [apply('matmul', [A, v]), u])], [0]))).toBe('sum(u + A @ v)');
  });
  it('rejects mismatched shapes naming the operation and both shapes', () => {
    expect(() => apply('add', [A, u])).toThrow(TypegradError);
    expect(() => apply('add', [A, u])).toThrow('add: shape mismatch: cannot combine matrix[2×3] and vector[2] elementwise');
    expect(() => apply('matmul', [A, u])).toThrow(/matmul: shape mismatch: cannot multiply matrix\[2×3\] by vector\[2\]/);
    expect(() => apply('reshape', [A], [4])).toThrow(/cannot reshape matrix\[2×3\] to vector\[4\]/);
  });
});

/* Rank 3 and 4, against naive loops. */

type Shape = readonly number[];

/** A tensor of the naive oracle: flat row-major data read by multi-index. */
class Tensor {
  constructor(
    readonly shape: Shape,
    readonly data: Float64Array,
  ) {}

  /** The tensor of `shape` whose element at each multi-index is `f(index)`. */
  static from(shape: Shape, f: (index: number[]) => number): Tensor {
    return new Tensor(shape, Float64Array.from(multiIndices(shape), f));
  }

  at(index: readonly number[]): number {
    let k = 0;
    index.forEach((i, axis) => {
      if (!(i >= 0 && i < this.shape[axis]!)) throw new Error(`oracle: index [${index}] outside [${this.shape}]`);
      k = k * this.shape[axis]! + i;
    });
    return this.data[k]!;
  }

  /** Element `index` of the broadcast of this tensor to a larger shape (numpy rule). */
  broadcastAt(index: readonly number[]): number {
    const lead = index.length - this.shape.length;
    return this.at(index.slice(lead).map((i, axis) => (this.shape[axis] === 1 ? 0 : i)));
  }
}

/** Every multi-index of a shape, in row-major order (the last axis fastest). */
function multiIndices(shape: Shape): number[][] {
  let all: number[][] = [[]];
  for (const n of shape) all = all.flatMap((prefix) => Array.from({ length: n }, (_, i) => [...prefix, i]));
  return all;
}

const withAxis = (index: readonly number[], axis: number, value: number) => index.map((x, d) => (d === axis ? value : x));
const without = (index: readonly number[], axes: readonly number[]) => index.filter((_, d) => !axes.includes(d));

const oracle = {
  elementwise(f: (...x: number[]) => number, shape: Shape, ...operands: Tensor[]): Tensor {
    return Tensor.from(shape, (i) => f(...operands.map((t) => t.broadcastAt(i))));
  },
  reduce(x: Tensor, axes: readonly number[], initial: number, combine: (total: number, e: number) => number, finish = (total: number) => total): Tensor {
    const shape = without(x.shape, axes);
    const totals = new Map<string, number>();
    for (const i of multiIndices(x.shape)) {
      const key = without(i, axes).join(',');
      totals.set(key, combine(totals.get(key) ?? initial, x.at(i)));
    }
    return Tensor.from(shape, (i) => finish(totals.get(i.join(','))!));
  },
  softmax(x: Tensor, axis: number): Tensor {
    const n = x.shape[axis]!;
    return Tensor.from(x.shape, (i) => {
      let total = 0;
      for (let j = 0; j < n; j++) total += Math.exp(x.at(withAxis(i, axis, j)));
      return Math.exp(x.at(i)) / total;
    });
  },
  transpose(x: Tensor, perm: readonly number[]): Tensor {
    return Tensor.from(perm.map((p) => x.shape[p]!), (i) => {
      const source = new Array<number>(perm.length);
      perm.forEach((p, d) => (source[p] = i[d]!));
      return x.at(source);
    });
  },
  slice(x: Tensor, axis: number, start: number, end: number): Tensor {
    return Tensor.from(withAxis(x.shape, axis, end - start), (i) => x.at(withAxis(i, axis, i[axis]! + start)));
  },
  pad(x: Tensor, axis: number, before: number, after: number): Tensor {
    const n = x.shape[axis]!;
    return Tensor.from(withAxis(x.shape, axis, n + before + after), (i) => {
      const j = i[axis]! - before;
      return j >= 0 && j < n ? x.at(withAxis(i, axis, j)) : 0;
    });
  },
  concat(parts: readonly Tensor[], axis: number): Tensor {
    const total = parts.reduce((n, t) => n + t.shape[axis]!, 0);
    return Tensor.from(withAxis(parts[0]!.shape, axis, total), (i) => {
      let j = i[axis]!;
      for (const t of parts) {
        if (j < t.shape[axis]!) return t.at(withAxis(i, axis, j));
        j -= t.shape[axis]!;
      }
      throw new Error('oracle: concat index');
    });
  },
  /** numpy's matmul: a vector on the left is a row, on the right a column (its axis dropped); batch axes broadcast. */
  matmul(a: Tensor, b: Tensor): Tensor {
    const left = a.shape.length === 1 ? new Tensor([1, a.shape[0]!], a.data) : a;
    const right = b.shape.length === 1 ? new Tensor([b.shape[0]!, 1], b.data) : b;
    const [rows, inner] = left.shape.slice(-2) as [number, number];
    const columns = right.shape[right.shape.length - 1]!;
    const leftBatch = left.shape.slice(0, -2), rightBatch = right.shape.slice(0, -2);
    const rank = Math.max(leftBatch.length, rightBatch.length);
    const batch = Array.from({ length: rank }, (_, d) => Math.max(leftBatch[d - rank + leftBatch.length] ?? 1, rightBatch[d - rank + rightBatch.length] ?? 1));
    const product = Tensor.from([...batch, rows, columns], (i) => {
      const bi = i.slice(0, rank), [r, c] = i.slice(rank) as [number, number];
      let total = 0;
      for (let k = 0; k < inner; k++) total += left.broadcastAt([...bi, r, k]) * right.broadcastAt([...bi, k, c]);
      return total;
    });
    const shape = [...batch, ...(a.shape.length === 1 ? [] : [rows]), ...(b.shape.length === 1 ? [] : [columns])];
    return new Tensor(shape, product.data);
  },
  gather(x: Tensor, indices: Tensor, axis: number): Tensor {
    const r = indices.shape.length;
    const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    return Tensor.from(shape, (i) => x.at([...i.slice(0, axis), indices.at(i.slice(axis, axis + r)), ...i.slice(axis + r)]));
  },
  scatterAdd(values: Tensor, indices: Tensor, axis: number, n: number): Tensor {
    const r = indices.shape.length;
    const shape = [...values.shape.slice(0, axis), n, ...values.shape.slice(axis + r)];
    const out = Tensor.from(shape, () => 0);
    for (const i of multiIndices(values.shape)) {
      const target = [...i.slice(0, axis), indices.at(i.slice(axis, axis + r)), ...i.slice(axis + r)];
      out.data[multiIndices(shape).findIndex((j) => j.join() === target.join())] += values.at(i);
    }
    return out;
  },
  oneHot(indices: Tensor, depth: number): Tensor {
    return Tensor.from([...indices.shape, depth], (i) => (indices.at(i.slice(0, -1)) === i[i.length - 1] ? 1 : 0));
  },
};

/** Distinct values in (−1, 1) from a seed (no ties, so every maximum is attained once). */
const data = (shape: Shape, seed: number) => Tensor.from(shape, (i) => Math.sin(1 + seed * 1.3 + i.reduce((k, x, d) => k * (shape[d]! + 1) + x, 0) * 0.7));

const tensors = {
  A3: data([2, 3, 4], 1),
  B4: data([2, 1, 3, 4], 2),
  C2: data([3, 1], 3),
  D4: data([2, 3, 2, 4], 4),
  K3: data([5, 4, 2], 5),
  w4: data([4], 6),
};
type Name = keyof typeof tensors;
const node = (name: Name) => variableNode(name, tensors[name].shape);
const [A3, B4, C2, D4, K3, w4] = (['A3', 'B4', 'C2', 'D4', 'K3', 'w4'] as const).map(node) as [Node, Node, Node, Node, Node, Node];
const environment = new Map(Object.entries(tensors).map(([name, t]) => [name, t.data]));
const indexTensor = (shape: Shape, values: readonly number[]) => new Tensor(shape, Float64Array.from(values));
const constants = (t: Tensor) => apply('pack', Array.from(t.data, constantNode), t.shape);
const { A3: a, B4: b, C2: cc, D4: dd, K3: k, w4: ww } = tensors;

const I22 = indexTensor([2, 2], [2, 0, 1, 1]);
const I3 = indexTensor([3], [1, 0, 1]);
const labels = indexTensor([2, 2], [0, 2, 1, 3]);

const rankCases: [string, Node, Tensor][] = [
  ['add broadcasts [2, 1, 3, 4] with [3, 1] (size-1 axes stretch both ways)', apply('add', [B4, C2]), oracle.elementwise((x, y) => x + y, [2, 1, 3, 4], b, cc)],
  ['mul of [2, 3, 4] and [2, 1, 3, 4] is [2, 2, 3, 4]', apply('mul', [A3, B4]), oracle.elementwise((x, y) => x * y, [2, 2, 3, 4], a, b)],
  ['pow of a rank-4 base by a [3, 1, 1] exponent', apply('pow', [apply('exp', [D4]), apply('reshape', [C2], [3, 1, 1])]), oracle.elementwise((x, y) => Math.pow(Math.exp(x), y), [2, 3, 2, 4], dd, new Tensor([3, 1, 1], cc.data))],
  ['sin of a rank-4 tensor', apply('sin', [D4]), oracle.elementwise(Math.sin, [2, 3, 2, 4], dd)],
  ['broadcast [3, 1] → [2, 2, 3, 4]', apply('broadcast', [C2], [2, 2, 3, 4]), oracle.elementwise((x) => x, [2, 2, 3, 4], cc)],
  ['broadcast [2, 1, 3, 4] → [2, 2, 3, 4]', apply('broadcast', [B4], [2, 2, 3, 4]), oracle.elementwise((x) => x, [2, 2, 3, 4], b)],
  ['sum over axes [0, 2] of rank 4', apply('sum', [D4], [0, 2]), oracle.reduce(dd, [0, 2], 0, (t, e) => t + e)],
  ['sum over axes [1, 3] of rank 4', apply('sum', [D4], [1, 3]), oracle.reduce(dd, [1, 3], 0, (t, e) => t + e)],
  ['sum over every axis of rank 4', apply('sum', [D4]), oracle.reduce(dd, [0, 1, 2, 3], 0, (t, e) => t + e)],
  ['sum over axis 1 of rank 3', apply('sum', [A3], [1]), oracle.reduce(a, [1], 0, (t, e) => t + e)],
  ['max over axes [1, 3] of rank 4', apply('max', [D4], [1, 3]), oracle.reduce(dd, [1, 3], -Infinity, Math.max)],
  ['max over axes [0, 2] of rank 3', apply('max', [A3], [0, 2]), oracle.reduce(a, [0, 2], -Infinity, Math.max)],
  ['logsumexp over axes [0, 3] of rank 4', apply('logsumexp', [D4], [0, 3]), oracle.reduce(dd, [0, 3], 0, (t, e) => t + Math.exp(e), Math.log)],
  ['logsumexp over axis 1 of rank 3', apply('logsumexp', [A3], [1]), oracle.reduce(a, [1], 0, (t, e) => t + Math.exp(e), Math.log)],
  ['softmax along the middle axis of rank 3', apply('softmax', [A3], [1]), oracle.softmax(a, 1)],
  ['softmax along axis 0 of rank 4', apply('softmax', [D4], [0]), oracle.softmax(dd, 0)],
  ['softmax along the last axis of rank 4 (the default)', apply('softmax', [D4]), oracle.softmax(dd, 3)],
  ['transpose of rank 4 by [2, 0, 3, 1]', apply('transpose', [D4], [2, 0, 3, 1]), oracle.transpose(dd, [2, 0, 3, 1])],
  ['transpose of rank 3 by [1, 2, 0]', apply('transpose', [A3], [1, 2, 0]), oracle.transpose(a, [1, 2, 0])],
  ['transpose of rank 4 without a permutation reverses the axes', apply('transpose', [D4]), oracle.transpose(dd, [3, 2, 1, 0])],
  ['reshape of rank 3 to rank 4 keeps the row-major order', apply('reshape', [A3], [3, 1, 2, 4]), new Tensor([3, 1, 2, 4], a.data)],
  ['reshape of a transpose reads the transpose in row-major order', apply('reshape', [apply('transpose', [A3], [2, 0, 1])], [4, 6]), new Tensor([4, 6], oracle.transpose(a, [2, 0, 1]).data)],
  ['slice of rank 4 along axis 2', apply('slice', [D4], [2, 1, 2]), oracle.slice(dd, 2, 1, 2)],
  ['slice of rank 3 along axis 2', apply('slice', [A3], [2, 1, 3]), oracle.slice(a, 2, 1, 3)],
  ['pad of rank 3 along axis 0', apply('pad', [A3], [0, 1, 2]), oracle.pad(a, 0, 1, 2)],
  ['pad of rank 4 along its size-1 axis', apply('pad', [B4], [1, 2, 0]), oracle.pad(b, 1, 2, 0)],
  ['concat of three rank-4 tensors along axis 1', apply('concat', [B4, apply('broadcast', [C2], [2, 2, 3, 4]), B4], [1]), oracle.concat([b, oracle.elementwise((x) => x, [2, 2, 3, 4], cc), b], 1)],
  ['concat of rank 3 along the last axis', apply('concat', [A3, A3], [2]), oracle.concat([a, a], 2)],
  ['matmul [2, 1, 3, 4]·[5, 4, 2]: batch axes broadcast to [2, 5]', apply('matmul', [B4, K3]), oracle.matmul(b, k)],
  ['matmul [2, 3, 2, 4]·[3, 4, 2]: six products, the right operand a transpose repeated along axis 0', apply('matmul', [D4, apply('transpose', [A3], [1, 2, 0])]), oracle.matmul(dd, oracle.transpose(a, [1, 2, 0]))],
  ['matmul [4]·[5, 4, 2]: a vector on the left is a row of every batch', apply('matmul', [w4, K3]), oracle.matmul(ww, k)],
  ['matmul [2, 3, 2, 4]·[4]: a vector on the right is a column', apply('matmul', [D4, w4]), oracle.matmul(dd, ww)],
  ['get of rank 4', apply('get', [D4], [1, 2, 0, 3]), new Tensor([], Float64Array.of(dd.at([1, 2, 0, 3])))],
  ['pack to rank 3', apply('pack', [1, 2, 3, 4, 5, 6].map(constantNode), [2, 1, 3]), new Tensor([2, 1, 3], Float64Array.of(1, 2, 3, 4, 5, 6))],
  ['gather of rank 3 along axis 1 with [2, 2] indices', apply('gather', [A3, constants(I22)], [1]), oracle.gather(a, I22, 1)],
  ['gather of rank 4 along axis 3 with [3] indices', apply('gather', [D4, constants(I3)], [3]), oracle.gather(dd, I3, 3)],
  ['gather with a scalar index drops the axis', apply('gather', [D4, constantNode(1)], [2]), oracle.gather(dd, new Tensor([], Float64Array.of(1)), 2)],
  ['scatterAdd of [2, 2, 2, 4] at axis 1 into 3 positions (repeated positions add up)', apply('scatterAdd', [apply('gather', [A3, constants(I22)], [1]), constants(I22)], [1, 3]), oracle.scatterAdd(oracle.gather(a, I22, 1), I22, 1, 3)],
  ['scatterAdd of rank 4 at its last axis', apply('scatterAdd', [D4, constants(new Tensor([4], Float64Array.of(0, 2, 0, 1)))], [3, 3]), oracle.scatterAdd(dd, new Tensor([4], Float64Array.of(0, 2, 0, 1)), 3, 3)],
  ['oneHot of [2, 2] labels (one past the depth gives zeros)', apply('oneHot', [constants(labels)], [3]), oracle.oneHot(labels, 3)],
];

describe('every tensor primitive at rank 3 and 4 against naive loops', () => {
  it.each(rankCases)('%s', (_name, n, expected) => {
    expect(n.shape).toEqual(expected.shape);
    const value = evaluateTensors([n], environment)[0]!;
    expect(value.length).toBe(expected.data.length);
    expected.data.forEach((e, i) => expect(Math.abs(value[i]! - e), `element ${i}: ${value[i]} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e))));
  });

  it('gather and scatterAdd reject an index that is not an integer in range when evaluated', () => {
    const bad = (values: number[]) => apply('gather', [A3, constants(new Tensor([2], Float64Array.from(values)))], [1]);
    expect(typegradErrorOf(() => evaluateTensors([bad([0, 3])], environment)).message).toMatch(/gather: index 3 is not an integer in \[0, 3\)/);
    expect(typegradErrorOf(() => evaluateTensors([bad([0.5, 1])], environment)).message).toMatch(/gather: index 0.5 is not an integer/);
    const scatter = apply('scatterAdd', [A3, constants(new Tensor([3], Float64Array.of(0, -1, 1)))], [1, 2]);
    expect(typegradErrorOf(() => evaluateTensors([scatter], environment)).message).toMatch(/scatterAdd: index -1 is not an integer in \[0, 2\)/);
  });
});

describe('build-time simplifications at rank 3 and 4 (each an equal node: checked by value too)', () => {
  const s = variableNode('s');
  const value = (n: Node) => Array.from(evaluateTensors([n], new Map([...environment, ['s', Float64Array.of(0.75)]]))[0]!);
  const filled = (x: number, shape: Shape) => apply('broadcast', [constantNode(x)], shape);
  /** `simplified` is the node `expected`, and has the value `reference` (the operation's meaning). */
  const check = (simplified: Node, expected: Node, reference: readonly number[]) => {
    expect(simplified).toBe(expected);
    value(simplified).forEach((x, i) => expect(x).toBeCloseTo(reference[i]!, 12));
  };

  it('transpose: the identity is the operand; two transposes are one, by the composed permutation', () => {
    expect(apply('transpose', [D4], [0, 1, 2, 3])).toBe(D4);
    const twice = apply('transpose', [apply('transpose', [D4], [2, 0, 3, 1])], [3, 1, 0, 2]);
    // Axis i of the result is axis p[i] of the inner transpose, which is axis q[p[i]] of D4.
    check(twice, apply('transpose', [D4], [1, 0, 2, 3]), Array.from(oracle.transpose(oracle.transpose(dd, [2, 0, 3, 1]), [3, 1, 0, 2]).data));
    expect(apply('transpose', [apply('transpose', [A3], [1, 2, 0])], [2, 0, 1])).toBe(A3);
    check(apply('transpose', [filled(2, [2, 3, 4])], [2, 0, 1]), filled(2, [4, 2, 3]), new Array(24).fill(2));
  });

  it('reshape: to its own shape is the operand; of a reshape is one reshape; of a scalar or a filled tensor is a broadcast', () => {
    expect(apply('reshape', [D4], [2, 3, 2, 4])).toBe(D4);
    check(apply('reshape', [apply('reshape', [D4], [6, 8])], [4, 1, 12]), apply('reshape', [D4], [4, 1, 12]), Array.from(dd.data));
    expect(apply('reshape', [apply('reshape', [A3], [4, 6])], [2, 3, 4])).toBe(A3);
    check(apply('reshape', [s], [1, 1, 1]), apply('broadcast', [s], [1, 1, 1]), [0.75]);
    check(apply('reshape', [filled(3, [2, 3, 4])], [4, 3, 2]), filled(3, [4, 3, 2]), new Array(24).fill(3));
  });

  it('broadcast: to its own shape is the operand; of a broadcast is one broadcast', () => {
    expect(apply('broadcast', [B4], [2, 1, 3, 4])).toBe(B4);
    check(apply('broadcast', [apply('broadcast', [C2], [1, 3, 4])], [2, 2, 3, 4]), apply('broadcast', [C2], [2, 2, 3, 4]), Array.from(oracle.elementwise((x) => x, [2, 2, 3, 4], cc).data));
  });

  it('sum, max and logsumexp of a scalar are the scalar; a sum of a filled tensor is a product', () => {
    expect(apply('sum', [s])).toBe(s);
    expect(apply('max', [s])).toBe(s);
    expect(apply('logsumexp', [s])).toBe(s);
    const total = apply('sum', [apply('broadcast', [s], [2, 3, 1, 4])], [0, 3]);
    check(total, apply('broadcast', [apply('mul', [constantNode(8), s])], [3, 1]), [6, 6, 6]);
  });

  it('get: of a pack, a broadcast, a transpose or a reshape reads the element it names', () => {
    const x = variableNode('x');
    expect(apply('get', [apply('pack', [x, s, constantNode(2), x], [2, 1, 2])], [1, 0, 0])).toBe(constantNode(2));
    expect(apply('get', [apply('broadcast', [s], [2, 3, 4])], [1, 2, 3])).toBe(s);
    check(apply('get', [apply('broadcast', [B4], [3, 2, 2, 3, 4])], [2, 1, 1, 2, 3]), apply('get', [B4], [1, 0, 2, 3]), [b.at([1, 0, 2, 3])]);
    check(apply('get', [apply('transpose', [D4], [2, 0, 3, 1])], [1, 0, 3, 2]), apply('get', [D4], [0, 2, 1, 3]), [dd.at([0, 2, 1, 3])]);
    // Element [1, 0, 5] of [2, 2, 12] is flat element 29, element [1, 0, 1, 1] of [2, 3, 2, 4].
    check(apply('get', [apply('reshape', [D4], [2, 2, 12])], [1, 0, 5]), apply('get', [D4], [1, 0, 1, 1]), [dd.data[29]!]);
  });

  it('slice of everything, pad by nothing and concat of one are the operand; slices and pads of filled tensors stay filled', () => {
    expect(apply('slice', [D4], [2, 0, 2])).toBe(D4);
    expect(apply('pad', [D4], [1, 0, 0])).toBe(D4);
    expect(apply('concat', [D4], [3])).toBe(D4);
    check(apply('slice', [apply('broadcast', [s], [2, 3, 4])], [1, 1, 3]), apply('broadcast', [s], [2, 2, 4]), new Array(16).fill(0.75));
    check(apply('pad', [filled(0, [2, 3, 4])], [2, 1, 2]), filled(0, [2, 3, 7]), new Array(42).fill(0));
  });

  it('matmul by a zero tensor is a zero tensor of the product’s shape', () => {
    check(apply('matmul', [filled(0, [2, 1, 3, 4]), K3]), filled(0, [2, 5, 3, 2]), new Array(60).fill(0));
    check(apply('matmul', [D4, filled(0, [4])]), filled(0, [2, 3, 2]), new Array(12).fill(0));
  });

  it('elementwise: zero and one tensors of rank 4 are neutral or absorbing, and the result keeps the broadcast shape', () => {
    expect(apply('add', [D4, filled(0, [2, 3, 2, 4])])).toBe(D4);
    expect(apply('mul', [filled(1, [3, 2, 4]), D4])).toBe(D4);
    // A zero operand of a larger shape: the result is zeros of the broadcast shape, not of D4's.
    check(apply('mul', [D4, filled(0, [2, 2, 3, 2, 4])]), filled(0, [2, 2, 3, 2, 4]), new Array(96).fill(0));
    check(apply('add', [B4, filled(0, [2, 2, 3, 4])]), apply('broadcast', [B4], [2, 2, 3, 4]), Array.from(oracle.elementwise((x) => x, [2, 2, 3, 4], b).data));
  });
});

describe('shape errors at rank 3 and 4 are TypegradErrors naming the operation and the shapes', () => {
  const E3 = variableNode('E3', [3, 4, 5]);
  it.each([
    ['elementwise', () => apply('add', [A3, variableNode('M2', [2, 2])]), /add: shape mismatch: cannot combine tensor\[2×3×4\] and matrix\[2×2\] elementwise/],
    ['matmul, inner dimensions', () => apply('matmul', [A3, B4]), /matmul: shape mismatch: cannot multiply tensor\[2×3×4\] by tensor\[2×1×3×4\] \(inner dimensions 4 and 3\)/],
    ['matmul, batch axes', () => apply('matmul', [A3, E3]), /matmul: shape mismatch: the batch axes of tensor\[2×3×4\] and tensor\[3×4×5\] do not broadcast/],
    ['concat', () => apply('concat', [B4, D4], [1]), /concat: shape mismatch: cannot join tensor\[2×1×3×4\] and tensor\[2×3×2×4\] along axis 1/],
    ['broadcast', () => apply('broadcast', [A3], [3, 3, 4]), /broadcast: cannot broadcast tensor\[2×3×4\] to tensor\[3×3×4\]/],
    ['reshape', () => apply('reshape', [D4], [5, 10]), /reshape: cannot reshape tensor\[2×3×2×4\] to matrix\[5×10\]: element counts differ \(48 and 50\)/],
    ['scatterAdd', () => apply('scatterAdd', [A3, constants(I22)], [1, 3]), /scatterAdd: values must have the indices' shape at axis 1 .*\(operand shapes: tensor\[2×3×4\], matrix\[2×2\]\)/],
    ['transpose', () => apply('transpose', [D4], [0, 1, 1, 2]), /transpose: \[0, 1, 1, 2\] is not a permutation of the 4 axes of tensor\[2×3×2×4\]/],
    ['reduction axes', () => apply('sum', [D4], [3, 1]), /sum: axes \[3, 1\] are not distinct increasing axes of tensor\[2×3×2×4\]/],
    ['softmax axis', () => apply('softmax', [A3], [3]), /softmax: axis 3 does not exist on tensor\[2×3×4\]/],
    ['get', () => apply('get', [D4], [0, 3, 0, 0]), /get: index \[0, 3, 0, 0\] is out of bounds for tensor\[2×3×2×4\]/],
    ['slice', () => apply('slice', [D4], [3, 2, 5]), /slice: range 2:5 is not a non-empty range within 0:4 on axis 3 .*tensor\[2×3×2×4\]/],
    ['gather axis', () => apply('gather', [A3, constants(I3)], [3]), /gather: axis 3 does not exist on tensor\[2×3×4\]/],
  ] as const)('%s', (_name, build, message) => {
    expect(typegradErrorOf(build).message).toMatch(message);
  });
});
