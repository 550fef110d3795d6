/**
 * The tensor operations of any rank at run time: every method of `TFun` and every free function
 * (`tensor-functions.ts`, `functions.ts`) against a naive loop written here, over multi-indices,
 * and every misuse an untyped caller can make as a TypegradError naming the operation and shapes.
 */
import { describe, expect, test } from 'vitest';
import { add, broadcastTo, concat, div, einsum, exp, gather, grad, logSoftmax, logsumexp, matmul, max, mean, min, mul, MFun, MVar, norm, oneHot, pad, pow, relu, reshape, SFun, sigmoid, sin, slice, softmax, stack, sub, sum, Tensor, TFun, transpose, TVar, TypegradError, Var, Vec, VFun, VVar } from '../../src/index.js';
import { Random } from '../../src/nn/index.js';
import { typegradErrorOf } from '../support/errors.js';

type Shape = readonly number[];

const count = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

/** The multi-index of flat element k of `shape` (row-major). */
function indexOf(shape: Shape, k: number): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = k % shape[axis]!;
    k = Math.floor(k / shape[axis]!);
  }
  return index;
}

/** The flat position of a multi-index of `shape`. */
function flatOf(shape: Shape, index: readonly number[]): number {
  return index.reduce((k, i, axis) => k * shape[axis]! + i, 0);
}

/** Flat values of `shape`, element by element from its multi-index. */
function build(shape: Shape, element: (index: number[]) => number): number[] {
  return Array.from({ length: count(shape) }, (_, k) => element(indexOf(shape, k)));
}

const random = new Random('tensor tests');
const data = (shape: Shape) => random.normalArray(count(shape));

/** A value (number or nested arrays) as flat numbers. */
const flat = (value: unknown): number[] => (typeof value === 'number' ? [value] : (value as unknown[]).flat(Infinity as 1) as number[]);

const close = (actual: unknown, expected: readonly number[], digits = 10) => {
  const values = flat(actual);
  expect(values.length).toBe(expected.length);
  expect(values).toEqual(expected.map((v) => (Number.isNaN(v) ? NaN : expect.closeTo(v, digits))));
};

/** The element of an operand of `shape` that broadcasting reads at `index` of the result. */
function broadcastRead(shape: Shape, values: ArrayLike<number>, index: readonly number[]): number {
  const offset = index.length - shape.length;
  return values[flatOf(shape, shape.map((n, axis) => (n === 1 ? 0 : index[offset + axis]!)))]!;
}

describe('TVar and Tensor', () => {
  test('TVar makes the class of its rank', () => {
    expect(TVar('s', [])).toBeInstanceOf(SFun);
    expect(TVar('v', [3])).toBeInstanceOf(VFun);
    expect(TVar('m', [2, 3])).toBeInstanceOf(MFun);
    const x = TVar('x', [2, 3, 4]);
    expect(x).toBeInstanceOf(TFun);
    expect(x.shape).toEqual([2, 3, 4]);
    expect(x.rank).toBe(3);
    expect(x.variables).toEqual(['x']);
  });
  test('eval gives nested arrays, from nested arrays or flat data', () => {
    const x = TVar('x', [2, 2, 2]);
    const values = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]];
    expect(x.eval({ x: values })).toEqual(values);
    expect(x.eval({ x: new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]) })).toEqual(values);
    expect(x.mul(2).eval({ x: values })).toEqual([[[2, 4], [6, 8]], [[10, 12], [14, 16]]]);
  });
  test('Tensor from nested arrays or flat data and a shape', () => {
    const t = Tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(t).toBeInstanceOf(TFun);
    expect(t.shape).toEqual([2, 2, 2]);
    expect(t.eval()).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(Tensor([[1, 2, 3]]).eval()).toEqual([[1, 2, 3]]);
    expect(Tensor(7).eval()).toBe(7);
    expect(Tensor(new Float64Array([1, 2, 3, 4, 5, 6]), [3, 1, 2]).eval()).toEqual([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(Tensor([1, 2, 3, 4], [2, 2]).eval()).toEqual([[1, 2], [3, 4]]);
  });
  test('misuse from untyped callers', () => {
    const untyped = TVar as (name: unknown, shape: unknown) => unknown;
    expect(typegradErrorOf(() => untyped('x', [2, 0])).message).toBe("TVar 'x': a dimension must be a positive integer, got 0");
    expect(typegradErrorOf(() => untyped('x', 3)).message).toBe("TVar 'x': the shape must be an array of dimensions, got number 3");
    expect(typegradErrorOf(() => untyped('', [2])).message).toMatch(/non-empty name/);
    const tensor = Tensor as (values: unknown, shape?: unknown) => unknown;
    expect(typegradErrorOf(() => tensor([[1, 2], [3]])).message).toMatch(/^Tensor: .*ragged array/);
    expect(typegradErrorOf(() => tensor(new Float64Array(4))).message).toMatch(/^Tensor: a Float64Array holds no shape/);
    expect(typegradErrorOf(() => tensor([1, 2, 3], [2, 2])).message).toBe('Tensor: matrix[2×2] needs 4 values, got 3');
    expect(typegradErrorOf(() => tensor([1, 2, 3, 4], [2, -2])).message).toBe('Tensor: [2, -2] is not a shape (dimensions must be positive integers)');
  });
});

describe('elementwise operations broadcast by the numpy rule', () => {
  const cases: [Shape, Shape][] = [
    [[2, 3, 4], [2, 3, 4]],
    [[2, 3, 4], [4]],
    [[2, 3, 4], []],
    [[2, 1, 4], [3, 1]],
    [[1, 3, 1], [2, 1, 5]],
    [[4], [2, 3, 4]],
    [[2, 3, 1, 2], [3, 5, 1]],
  ];
  const operations = [
    ['add', add, (a: number, b: number) => a + b],
    ['sub', sub, (a: number, b: number) => a - b],
    ['mul', mul, (a: number, b: number) => a * b],
    ['div', div, (a: number, b: number) => a / b],
  ] as const;
  test.each(cases)('%j with %j', (shapeA, shapeB) => {
    const [a, b] = [data(shapeA), data(shapeB)];
    const at = { a: shapeA.length === 0 ? a[0]! : a, b: shapeB.length === 0 ? b[0]! : b };
    const result = broadcastShape(shapeA, shapeB);
    for (const [, f, op] of operations) {
      const value = (f as (x: unknown, y: unknown) => { eval(at: unknown): unknown })(TVar('a', shapeA), TVar('b', shapeB)).eval(at);
      close(value, build(result, (index) => op(broadcastRead(shapeA, a, index), broadcastRead(shapeB, b, index))));
    }
  });
  test('pow, and the methods, give the same as the functions', () => {
    const x = TVar('x', [2, 3, 4]);
    const values = Float64Array.from(data([2, 3, 4]), Math.abs);
    const exponents = data([3, 1]);
    const at = { x: values, e: exponents };
    const expected = build([2, 3, 4], ([i, j, k]) => Math.pow(values[flatOf([2, 3, 4], [i!, j!, k!])]!, exponents[j!]!));
    close(x.pow(TVar('e', [3, 1])).eval(at), expected);
    close(pow(x, TVar('e', [3, 1])).eval(at), expected);
    const b = VVar('b', 4);
    const bias = data([4]);
    close(x.add(b).eval({ x: values, b: bias }), build([2, 3, 4], (index) => broadcastRead([2, 3, 4], values, index) + bias[index[2]!]!));
    close(x.sub(1).eval({ x: values }), Array.from(values, (v) => v - 1));
    close(x.mul(x).eval({ x: values }), Array.from(values, (v) => v * v));
    close(x.div(VVar('b', 4)).eval({ x: values, b: bias }), build([2, 3, 4], (index) => broadcastRead([2, 3, 4], values, index) / bias[index[2]!]!));
    close(x.neg().eval({ x: values }), Array.from(values, (v) => -v));
  });
  test('the result has the class of the broadcast rank', () => {
    expect(add(TVar('a', [1, 1, 3]), 1)).toBeInstanceOf(TFun);
    expect(add(VVar('v', 3), MVar('M', 2, 3))).toBeInstanceOf(MFun);
    expect(add(TVar('a', [1, 3]), TVar('b', [4, 1]))).toBeInstanceOf(MFun);
    expect(mul(TVar('a', [2, 1, 3]), MVar('M', 4, 1)).shape).toEqual([2, 4, 3]);
  });
  test('functions of one number apply to every element of a tensor', () => {
    const x = TVar('x', [2, 3, 4]);
    const values = data([2, 3, 4]);
    for (const [f, g] of [[sin, Math.sin], [exp, Math.exp], [relu, (v: number) => Math.max(v, 0)], [sigmoid, (v: number) => 1 / (1 + Math.exp(-v))]] as const) {
      const result = f(x);
      expect(result).toBeInstanceOf(TFun);
      close(result.eval({ x: values }), Array.from(values, g));
    }
  });
  test('shapes that do not broadcast: the message names the operation and both shapes', () => {
    const x = TVar('x', [2, 3, 4]);
    expect(typegradErrorOf(() => add(x, MVar('M', 5, 4) as never)).message).toBe('add: shape mismatch: cannot add tensor[2×3×4] and matrix[5×4] (axis 1 of the result: 3 and 5)');
    expect(typegradErrorOf(() => x.mul(TVar('y', [3, 3, 4]) as never)).message).toBe(
      'mul: shape mismatch: cannot multiply tensor[2×3×4] and tensor[3×3×4] (axis 0 of the result: 2 and 3)',
    );
    expect(typegradErrorOf(() => sub(MVar('M', 2, 3), Vec(1, 2) as never)).message).toBe('sub: shape mismatch: cannot subtract matrix[2×3] and vector[2] (a row needs vector[3])');
    expect(typegradErrorOf(() => add(x, 'one' as never)).message).toBe('add: expected a number or a Fun, got the string "one"');
  });
});

/** The numpy broadcast of two shapes (for the reference loops). */
function broadcastShape(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, axis) => {
    const m = a[axis - (rank - a.length)] ?? 1;
    const n = b[axis - (rank - b.length)] ?? 1;
    return m === 1 ? n : m;
  });
}

describe('matmul: batched, the batch axes broadcast', () => {
  const cases: [Shape, Shape, Shape][] = [
    [[2, 3, 4], [4, 5], [2, 3, 5]],
    [[2, 3, 4], [2, 4, 5], [2, 3, 5]],
    [[1, 3, 4], [2, 4, 5], [2, 3, 5]],
    [[2, 1, 3, 4], [5, 4, 2], [2, 5, 3, 2]],
    [[2, 3, 4], [4], [2, 3]],
    [[4], [2, 4, 5], [2, 5]],
    [[3, 4], [2, 4, 5], [2, 3, 5]],
  ];
  test.each(cases)('%j · %j → %j', (shapeA, shapeB, result) => {
    const [a, b] = [data(shapeA), data(shapeB)];
    const left = shapeA.length === 1 ? [1, ...shapeA] : shapeA;
    const right = shapeB.length === 1 ? [...shapeB, 1] : shapeB;
    const inner = left[left.length - 1]!;
    const full = [...broadcastShape(left.slice(0, -2), right.slice(0, -2)), left[left.length - 2]!, right[right.length - 1]!];
    const expected = build(full, (index) => {
      const [i, j] = index.slice(-2) as [number, number];
      const batch = index.slice(0, -2);
      let total = 0;
      for (let k = 0; k < inner; k++) total += broadcastRead(left, a, [...batch, i, k]) * broadcastRead(right, b, [...batch, k, j]);
      return total;
    });
    const product = matmul(TVar('a', shapeA), TVar('b', shapeB));
    expect(product.node.shape).toEqual(result);
    close(product.eval({ a, b }), expected);
    if (shapeA.length >= 3) close((TVar('a', shapeA) as TFun).matmul(TVar('b', shapeB) as never).eval({ a, b }), expected);
  });
  test('mismatches name both shapes', () => {
    expect(typegradErrorOf(() => matmul(TVar('a', [2, 3, 4]), MVar('b', 5, 6) as never)).message).toMatch(
      /^matmul: shape mismatch: cannot multiply tensor\[2×3×4\] by matrix\[5×6\] \(inner dimensions 4 and 5\)/,
    );
    expect(typegradErrorOf(() => matmul(TVar('a', [2, 3, 4]), TVar('b', [3, 4, 5]) as never)).message).toMatch(
      /^matmul: shape mismatch: the batch axes of tensor\[2×3×4\] and tensor\[3×4×5\] do not broadcast/,
    );
  });
});

/** A reduction of `shape` over `axes` by a naive loop: `combine` folds from `start`, `finish` maps each lane's result. */
function reduceNaive(shape: Shape, values: ArrayLike<number>, axes: readonly number[], start: number, combine: (acc: number, v: number) => number, finish = (v: number, n: number) => v) {
  const kept = shape.map((n, axis) => (axes.includes(axis) ? 1 : n));
  const lanes = count(axes.map((a) => shape[a]!));
  return build(kept, (index) => {
    let acc = start;
    for (let k = 0; k < count(shape); k++) {
      const full = indexOf(shape, k);
      if (full.every((i, axis) => axes.includes(axis) || i === index[axis])) acc = combine(acc, values[k]!);
    }
    return finish(acc, lanes);
  });
}

describe('reductions over any axes, with keepDims', () => {
  const shape = [2, 3, 4];
  const values = data(shape);
  const x = TVar('x', [2, 3, 4]);
  const given: [unknown, number[]][] = [[undefined, [0, 1, 2]], [0, [0]], [1, [1]], [-1, [2]], [[0, 2], [0, 2]], [[-1, -3], [0, 2]], [[2, 1, 0], [0, 1, 2]]];
  const references = {
    sum: (axes: number[]) => reduceNaive(shape, values, axes, 0, (a, v) => a + v),
    mean: (axes: number[]) => reduceNaive(shape, values, axes, 0, (a, v) => a + v, (v, n) => v / n),
    max: (axes: number[]) => reduceNaive(shape, values, axes, -Infinity, Math.max),
    min: (axes: number[]) => reduceNaive(shape, values, axes, Infinity, Math.min),
    logsumexp: (axes: number[]) => reduceNaive(shape, values, axes, 0, (a, v) => a + Math.exp(v), (v) => Math.log(v)),
  };
  const functions = { sum, mean, max, min, logsumexp } as const;
  test.each(given)('axes %j', (axes, normalized) => {
    for (const name of Object.keys(functions) as (keyof typeof functions)[]) {
      const expected = references[name](normalized);
      const free = functions[name] as (t: unknown, axes?: unknown, options?: unknown) => { eval(at: unknown): unknown; node: { shape: Shape } };
      const method = (x[name] as (axes?: unknown, options?: unknown) => { eval(at: unknown): unknown; node: { shape: Shape } }).bind(x);
      const kept = free(x, axes, { keepDims: true });
      expect(kept.node.shape).toEqual(shape.map((n, axis) => (normalized.includes(axis) ? 1 : n)));
      close(kept.eval({ x: values }), expected);
      const dropped = method(axes);
      expect(dropped.node.shape).toEqual(shape.filter((_, axis) => !normalized.includes(axis)));
      close(dropped.eval({ x: values }), expected);
    }
  });
  test('no axes ([]) reduces nothing; the result class follows the rank', () => {
    expect(sum(x, [])).toBe(x);
    expect(x.sum()).toBeInstanceOf(SFun);
    expect(x.sum([1, 2])).toBeInstanceOf(VFun);
    expect(x.sum(0)).toBeInstanceOf(MFun);
    expect(x.sum(0, { keepDims: true })).toBeInstanceOf(TFun);
    expect(sum(MVar('M', 2, 3), -1).eval({ M: [[1, 2, 3], [4, 5, 6]] })).toEqual([6, 15]);
    expect(mean(VVar('v', 4), 0, { keepDims: true }).eval({ v: [1, 2, 3, 6] })).toEqual([3]);
    expect(sum(Var('s')).eval({ s: 2 })).toBe(2);
  });
  test('norm of any rank', () => {
    close(norm(x).eval({ x: values }), [Math.hypot(...values)]);
    close(x.norm().eval({ x: values }), [Math.hypot(...values)]);
  });
  test('misuse', () => {
    const untyped = sum as (t: unknown, axes?: unknown, options?: unknown) => unknown;
    expect(typegradErrorOf(() => untyped(x, 3)).message).toBe('sum: axis 3 does not exist on tensor[2×3×4] (rank 3)');
    expect(typegradErrorOf(() => untyped(x, [1, -2])).message).toBe('sum: axes [1, -2] name an axis twice on tensor[2×3×4]');
    expect(typegradErrorOf(() => untyped(x, 'a')).message).toBe('sum: axis a does not exist on tensor[2×3×4] (rank 3)');
    expect(typegradErrorOf(() => untyped(x, 0, { keepDims: 1 })).message).toBe('sum: keepDims must be true or false, got number 1');
    expect(typegradErrorOf(() => untyped(x, 0, true)).message).toBe('sum: options must be an object such as { keepDims: true }, got boolean true');
    expect(typegradErrorOf(() => (max as typeof untyped)(x, [0, 0])).message).toBe('max: axes [0, 0] name an axis twice on tensor[2×3×4]');
  });
});

describe('softmax and logSoftmax along an axis', () => {
  const shape = [2, 3, 4];
  const values = data(shape);
  const x = TVar('x', [2, 3, 4]);
  test.each([[0], [1], [2], [-1], [-3]])('axis %i', (axis) => {
    const a = axis < 0 ? axis + 3 : axis;
    const totals = reduceNaive(shape, values, [a], 0, (acc, v) => acc + Math.exp(v));
    const kept = shape.map((n, i) => (i === a ? 1 : n));
    const expected = build(shape, (index) => Math.exp(values[flatOf(shape, index)]!) / broadcastRead(kept, totals, index));
    close(softmax(x, axis as -1).eval({ x: values }), expected);
    close(x.softmax(axis as -1).eval({ x: values }), expected);
    close(logSoftmax(x, axis as -1).eval({ x: values }), expected.map(Math.log));
    close(x.logSoftmax(axis as -1).eval({ x: values }), expected.map(Math.log));
  });
  test('the last axis by default, for matrices too', () => {
    const M = MVar('M', 2, 3);
    const rows = [[1, 2, 3], [0, 0, 0]];
    const soft = rows.map((row) => row.map((v) => Math.exp(v) / row.reduce((t, w) => t + Math.exp(w), 0)));
    close(softmax(M).eval({ M: rows }), soft.flat());
    close(logSoftmax(M).eval({ M: rows }), soft.flat().map(Math.log));
    expect(logSoftmax(M)).toBeInstanceOf(MFun);
    close(logSoftmax(Tensor([[1000, 0]])).eval(), [0, -1000]);
  });
  test('misuse', () => {
    expect(typegradErrorOf(() => softmax(x, 3 as never)).message).toBe('softmax: axis 3 does not exist on tensor[2×3×4] (rank 3)');
    expect(typegradErrorOf(() => logSoftmax(Var('s') as never)).message).toBe('logSoftmax: axis -1 does not exist on scalar (rank 0)');
  });
});

describe('transpose by a permutation', () => {
  const shape = [2, 3, 4];
  const values = data(shape);
  const x = TVar('x', [2, 3, 4]);
  const permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0], [0, -1, 1], [-1, -2, -3]];
  test.each(permutations)('[%i, %i, %i]', (...permutation) => {
    const p = permutation.map((a) => (a < 0 ? a + 3 : a));
    const result = p.map((a) => shape[a]!);
    const expected = build(result, (index) => {
      const source = new Array<number>(3);
      p.forEach((a, i) => (source[a] = index[i]!));
      return values[flatOf(shape, source)]!;
    });
    const untyped = transpose as unknown as (t: unknown, permutation: unknown) => TFun;
    close(untyped(x, permutation).eval({ x: values }), expected);
    close((x.transpose as (permutation: unknown) => TFun).call(x, permutation).eval({ x: values }), expected);
  });
  test('no permutation reverses the axes; T too; a matrix transposes', () => {
    const reversed = build([4, 3, 2], ([k, j, i]) => values[flatOf(shape, [i!, j!, k!])]!);
    close(x.transpose().eval({ x: values }), reversed);
    close(x.T.eval({ x: values }), reversed);
    close(transpose(x).eval({ x: values }), reversed);
    expect(transpose(MVar('M', 2, 3), [1, 0]).eval({ M: [[1, 2, 3], [4, 5, 6]] })).toEqual([[1, 4], [2, 5], [3, 6]]);
  });
  test('misuse', () => {
    const untyped = transpose as (t: unknown, p?: unknown) => unknown;
    expect(typegradErrorOf(() => untyped(x, [0, 0, 1])).message).toBe('transpose: [0, 0, 1] is not a permutation of the 3 axes of tensor[2×3×4]');
    expect(typegradErrorOf(() => untyped(x, [0, 1])).message).toBe('transpose: [0, 1] is not a permutation of the 3 axes of tensor[2×3×4]');
    expect(typegradErrorOf(() => untyped(x, [0, 1, 3])).message).toBe('transpose: [0, 1, 3] is not a permutation of the 3 axes of tensor[2×3×4]');
    expect(typegradErrorOf(() => untyped(x, 'x')).message).toBe('transpose: the string "x" is not a permutation of the 3 axes of tensor[2×3×4]');
  });
});

describe('reshape, flatten, slice, pad', () => {
  const shape = [2, 3, 4];
  const values = data(shape);
  const x = TVar('x', [2, 3, 4]);
  test('reshape keeps the row-major order; one -1 takes the count left over', () => {
    const rows = x.reshape([6, -1]);
    expect(rows).toBeInstanceOf(MFun);
    expect(rows.node.shape).toEqual([6, 4]);
    close(rows.eval({ x: values }), Array.from(values));
    expect(reshape(x, [-1]).node.shape).toEqual([24]);
    expect(reshape(x, [4, 3, 2]).node.shape).toEqual([4, 3, 2]);
    expect(reshape(MVar('M', 2, 12), [2, 3, 4])).toBeInstanceOf(TFun);
    close(x.flatten().eval({ x: values }), Array.from(values));
  });
  test('reshape misuse', () => {
    const untyped = reshape as (t: unknown, s: unknown) => unknown;
    expect(typegradErrorOf(() => untyped(x, [5, 5])).message).toBe('reshape: shape mismatch: cannot reshape tensor[2×3×4] to matrix[5×5] (element counts 24 and 25)');
    expect(typegradErrorOf(() => untyped(x, [5, -1])).message).toBe('reshape: shape mismatch: cannot reshape tensor[2×3×4] to [5, -1] (24 elements do not divide by 5)');
    expect(typegradErrorOf(() => untyped(x, [-1, -1])).message).toBe('reshape: cannot reshape tensor[2×3×4] to [-1, -1] (only one dimension may be -1)');
    expect(typegradErrorOf(() => untyped(x, [0, 24])).message).toBe('reshape: [0, 24] is not a shape (dimensions must be positive integers, or one -1)');
    expect(typegradErrorOf(() => untyped(x, 24)).message).toBe('reshape: number 24 is not a shape (dimensions must be positive integers, or one -1)');
  });
  test.each([[0, 0, 1], [1, 1, 3], [2, 1, 2], [-1, 0, 4], [-2, 2, 3]])('slice along axis %i, %i:%i', (axis, start, end) => {
    const a = axis < 0 ? axis + 3 : axis;
    const result = shape.map((n, i) => (i === a ? end - start : n));
    const expected = build(result, (index) => values[flatOf(shape, index.map((v, i) => (i === a ? v + start : v)))]!);
    close(slice(x, axis as 0, start, end as never).eval({ x: values }), expected);
    close(x.slice(axis as 0, start, end as never).eval({ x: values }), expected);
  });
  test.each([[0, 1, 0], [1, 2, 1], [-1, 0, 3]])('pad along axis %i by %i, %i', (axis, before, after) => {
    const a = axis < 0 ? axis + 3 : axis;
    const result = shape.map((n, i) => (i === a ? n + before + after : n));
    const expected = build(result, (index) => {
      const i = index[a]! - before;
      return i < 0 || i >= shape[a]! ? 0 : values[flatOf(shape, index.map((v, k) => (k === a ? i : v)))]!;
    });
    close(pad(x, axis as 0, before, after).eval({ x: values }), expected);
    close(x.pad(axis as 0, before, after).eval({ x: values }), expected);
  });
  test('slice and pad misuse', () => {
    const untypedSlice = slice as (t: unknown, axis: unknown, start: unknown, end: unknown) => unknown;
    expect(typegradErrorOf(() => untypedSlice(x, 1, 2, 5)).message).toBe('slice: index out of bounds: cannot slice 2:5 from axis 1 of tensor[2×3×4]');
    expect(typegradErrorOf(() => untypedSlice(x, -1, 2, 2)).message).toBe('slice: index out of bounds: cannot slice 2:2 from axis -1 of tensor[2×3×4]');
    expect(typegradErrorOf(() => untypedSlice(x, 3, 0, 1)).message).toBe('slice: axis 3 does not exist on tensor[2×3×4] (rank 3)');
    expect(typegradErrorOf(() => untypedSlice(x, 0, -1, 1)).message).toBe('slice: start must be a natural number, got number -1');
    const untypedPad = pad as (t: unknown, axis: unknown, before: unknown, after: unknown) => unknown;
    expect(typegradErrorOf(() => untypedPad(x, 0, 1, -1)).message).toBe('pad: after must be a natural number, got number -1');
  });
});

describe('concat, stack, broadcastTo', () => {
  const x = TVar('x', [2, 3, 4]);
  const values = data([2, 3, 4]);
  test.each([[0], [1], [2], [-1]])('concat along axis %i: x, 2x, 3x', (axis) => {
    const a = axis < 0 ? axis + 3 : axis;
    const shape = [2, 3, 4].map((n, i) => (i === a ? 3 * n : n));
    const expected = build(shape, (index) => {
      const part = Math.floor(index[a]! / [2, 3, 4][a]!);
      return (part + 1) * values[flatOf([2, 3, 4], index.map((v, i) => (i === a ? v % [2, 3, 4][a]! : v)))]!;
    });
    close(concat([x, x.mul(2), x.mul(3)], axis as 0).eval({ x: values }), expected);
    if (axis !== -1) close(x.concat(x.mul(2), axis as 0).concat(x.mul(3), axis as 0).eval({ x: values }), expected);
  });
  test('concat of two vectors, of matrices along either axis', () => {
    expect(concat(Vec(1, 2), Vec(3)).eval()).toEqual([1, 2, 3]);
    expect(concat([Tensor([[1, 2]]), Tensor([[3, 4]])], 0).eval()).toEqual([[1, 2], [3, 4]]);
    expect(concat([Tensor([[1, 2]]), Tensor([[3, 4]])], 1).eval()).toEqual([[1, 2, 3, 4]]);
  });
  test.each([[0], [1], [3], [-1]])('stack along axis %i', (axis) => {
    const a = axis < 0 ? axis + 4 : axis;
    const result = stack([x, x.neg()], axis as 0);
    const shape = [2, 3, 4];
    expect(result.node.shape).toEqual([...shape.slice(0, a), 2, ...shape.slice(a)]);
    close(result.eval({ x: values }), build(result.node.shape, (index) => {
      const which = index[a]!;
      const v = values[flatOf(shape, index.filter((_, i) => i !== a))]!;
      return which === 0 ? v : -v;
    }));
  });
  test('broadcastTo repeats size-1 and missing leading axes', () => {
    const column = data([3, 1]);
    const result = broadcastTo(TVar('c', [3, 1]), [2, 3, 4]);
    expect(result).toBeInstanceOf(TFun);
    close(result.eval({ c: column }), build([2, 3, 4], (index) => broadcastRead([3, 1], column, index)));
    close(TVar('r', [1, 3, 4]).broadcastTo([2, 3, 4]).eval({ r: values.subarray(0, 12) }), [...values.subarray(0, 12), ...values.subarray(0, 12)]);
  });
  test('misuse', () => {
    const untyped = concat as (values: unknown, axis?: unknown) => unknown;
    expect(typegradErrorOf(() => untyped([x, TVar('y', [2, 5, 5])], 1)).message).toBe('concat: shape mismatch: cannot join tensor[2×3×4] and tensor[2×5×5] along axis 1 (axis 2: 4 and 5)');
    expect(typegradErrorOf(() => untyped([x, MVar('M', 3, 4)], 0)).message).toBe('concat: shape mismatch: cannot join tensor[2×3×4] and matrix[3×4] along axis 0 (ranks 3 and 2)');
    expect(typegradErrorOf(() => untyped([], 0)).message).toBe('concat: expected a non-empty array of Funs, got an array of length 0');
    expect(typegradErrorOf(() => untyped([x], 3)).message).toBe('concat: axis 3 does not exist on tensor[2×3×4] (rank 3)');
    const untypedStack = stack as (values: unknown, axis?: unknown) => unknown;
    expect(typegradErrorOf(() => untypedStack([x, TVar('y', [2, 4, 4])])).message).toBe('stack: shape mismatch: cannot stack tensor[2×3×4] and tensor[2×4×4] (axis 1: 3 and 4)');
    expect(typegradErrorOf(() => untypedStack([x], 4)).message).toBe('stack: axis 4 does not exist on tensor[2×3×4×1] (rank 4)');
    const untypedBroadcast = broadcastTo as (t: unknown, shape: unknown) => unknown;
    expect(typegradErrorOf(() => untypedBroadcast(x, [2, 3, 5])).message).toBe('broadcastTo: shape mismatch: cannot broadcast tensor[2×3×4] to tensor[2×3×5]');
    expect(typegradErrorOf(() => untypedBroadcast(x, [3, 4])).message).toBe('broadcastTo: shape mismatch: cannot broadcast tensor[2×3×4] to matrix[3×4]');
  });
});

describe('gather and oneHot', () => {
  const table = Tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);
  test('gather along axis 0 and 1, with nested-array and Fun indices', () => {
    expect(gather(table, [3, 0, 3]).eval()).toEqual([[10, 11, 12], [1, 2, 3], [10, 11, 12]]);
    expect(gather(table, [2, 0], 1).eval()).toEqual([[3, 1], [6, 4], [9, 7], [12, 10]]);
    expect(gather(table, [[0, 1], [2, 3]]).node.shape).toEqual([2, 2, 3]);
    expect(gather(table, Tensor([1, 1]), -1).eval()).toEqual([[2, 2], [5, 5], [8, 8], [11, 11]]);
    const x = TVar('x', [5, 2, 3]);
    const values = data([5, 2, 3]);
    close(x.gather([4, 0]).eval({ x: values }), [...values.subarray(24, 30), ...values.subarray(0, 6)]);
    const labels = VVar('labels', 2);
    close(x.gather(labels).eval({ x: values, labels: [1, 2] }), [...values.subarray(6, 12), ...values.subarray(12, 18)]);
  });
  test('oneHot rows; out-of-range labels give rows of zeros', () => {
    expect(oneHot([2, 0, 1], 3).eval()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(oneHot([[1], [5]], 2).eval()).toEqual([[[0, 1]], [[0, 0]]]);
    expect(oneHot(VVar('y', 2), 3).eval({ y: [1, 0] })).toEqual([[0, 1, 0], [1, 0, 0]]);
  });
  test('misuse', () => {
    expect(typegradErrorOf(() => gather(table, [4]).eval()).message).toBe('gather: index 4 is not an integer in [0, 4)');
    expect(typegradErrorOf(() => gather(table, [0], 2 as never)).message).toBe('gather: axis 2 does not exist on matrix[4×3] (rank 2)');
    expect(typegradErrorOf(() => oneHot([1], 0 as never)).message).toBe('oneHot depth: a dimension must be a positive integer, got 0');
  });
});

/** einsum by its definition: for every assignment of the letters, the product of the operands' elements, summed into the output. */
function einsumNaive(equation: string, operands: { shape: Shape; values: ArrayLike<number> }[]): { shape: number[]; values: number[] } {
  const [left, right] = equation.replace(/ /g, '').split('->') as [string, string | undefined];
  const inputs = left.split(',');
  const all = inputs.join('');
  const output = right ?? [...new Set(all)].filter((l) => all.indexOf(l) === all.lastIndexOf(l)).sort().join('');
  const letters = [...new Set(all)];
  const size = new Map<string, number>();
  inputs.forEach((subscripts, i) => [...subscripts].forEach((l, axis) => size.set(l, operands[i]!.shape[axis]!)));
  const shape = [...output].map((l) => size.get(l)!);
  const values = new Array<number>(count(shape)).fill(0);
  const ranges = letters.map((l) => size.get(l)!);
  for (let k = 0; k < count(ranges); k++) {
    const assignment = indexOf(ranges, k);
    const value = (l: string) => assignment[letters.indexOf(l)]!;
    let product = 1;
    inputs.forEach((subscripts, i) => (product *= operands[i]!.values[flatOf(operands[i]!.shape, [...subscripts].map(value))]!));
    values[flatOf(shape, [...output].map(value))] += product;
  }
  return { shape, values };
}

describe('einsum', () => {
  const cases: [string, Shape[]][] = [
    ['ij,jk->ik', [[2, 3], [3, 4]]],
    ['bij,bjk->bik', [[2, 2, 3], [2, 3, 4]]],
    ['ij->ji', [[2, 3]]],
    ['ij->', [[2, 3]]],
    ['ijk->kj', [[2, 3, 4]]],
    ['i,i', [[3], [3]]],
    ['i,j->ij', [[3], [4]]],
    ['ij,jk', [[2, 3], [3, 4]]],
    ['bi,bi->b', [[4, 3], [4, 3]]],
    ['bhqd,bhkd->bhqk', [[2, 2, 3, 4], [2, 2, 5, 4]]],
    ['ijk,jl,kl->il', [[2, 3, 4], [3, 5], [4, 5]]],
    ['ab,bc,cd->ad', [[2, 3], [3, 4], [4, 2]]],
    ['i,->i', [[3], []]],
    ['ab,ab->', [[2, 3], [2, 3]]],
    ['iJ , Jk -> ki', [[2, 3], [3, 4]]],
    ['ij,kl->ijkl', [[2, 1], [3, 2]]],
    ['bij,jk->bki', [[2, 3, 4], [4, 5]]],
  ];
  test.each(cases)('%s', (equation, shapes) => {
    const values = shapes.map((s) => data(s));
    const operands = shapes.map((s, i) => (s.length === 0 ? values[i]![0]! : TVar(`t${i}`, s)));
    const at = Object.fromEntries(shapes.flatMap((s, i) => (s.length === 0 ? [] : [[`t${i}`, values[i]!]])));
    const expected = einsumNaive(equation, shapes.map((shape, i) => ({ shape, values: values[i]! })));
    const result = (einsum as (e: string, ...o: unknown[]) => { node: { shape: Shape }; eval(at: unknown): unknown })(equation, ...operands);
    expect(result.node.shape).toEqual(expected.shape);
    close(result.eval(at), expected.values);
  });
  test('misuse', () => {
    const untyped = einsum as (e: unknown, ...o: unknown[]) => unknown;
    const [A, B] = [MVar('A', 2, 3), MVar('B', 4, 5)];
    expect(typegradErrorOf(() => untyped('ij,jk->ik', A, B)).message).toBe("einsum 'ij,jk->ik': shape mismatch: index j is 3 in operand 0 and 4 in operand 1");
    expect(typegradErrorOf(() => untyped('ii->i', MVar('S', 3, 3))).message).toBe("einsum 'ii->i': index i repeats within operand 0 (traces and diagonals are not supported)");
    expect(typegradErrorOf(() => untyped('...ij->ij', A)).message).toBe("einsum '...ij->ij': '.' is not an index (indices are letters a–z and A–Z; ellipses are not supported)");
    expect(typegradErrorOf(() => untyped('ij->k', A)).message).toBe("einsum 'ij->k': output index k is in no operand");
    expect(typegradErrorOf(() => untyped('ij->ii', A)).message).toBe("einsum 'ij->ii': output index i repeats");
    expect(typegradErrorOf(() => untyped('ij,jk->ik', A)).message).toBe("einsum 'ij,jk->ik': 2 subscript lists for 1 operands");
    expect(typegradErrorOf(() => untyped('ijk->ik', A)).message).toBe("einsum 'ijk->ik': subscripts 'ijk' do not fit operand 0, a matrix[2×3]");
    expect(typegradErrorOf(() => untyped('i->i->i', VVar('v', 2))).message).toBe("einsum 'i->i->i': more than one ->");
    expect(typegradErrorOf(() => untyped(3, A)).message).toBe('einsum: the equation must be a string such as \'ij,jk->ik\', got number 3');
  });
});

describe('derivatives through the tensor operations', () => {
  /** Central differences of a scalar function of flat values. */
  function numericGradient(f: (values: Float64Array) => number, at: Float64Array, h = 1e-6): number[] {
    return Array.from(at, (_, i) => {
      const plus = Float64Array.from(at);
      const minus = Float64Array.from(at);
      plus[i] += h;
      minus[i] -= h;
      return (f(plus) - f(minus)) / (2 * h);
    });
  }
  test('a batched attention loss: grad by a matrix parameter agrees with central differences', () => {
    const x = TVar('x', [2, 3, 4]);
    const W = MVar('W', 4, 4);
    const scores = einsum('bqd,bkd->bqk', x.matmul(W), x);
    const loss = scores.logSoftmax(-1).mul(oneHot([[0, 1, 2], [2, 1, 0]], 3)).sum().neg().add(x.matmul(W).max([1, 2]).sum());
    const at = { x: data([2, 3, 4]), W: data([4, 4]) };
    const gradient = grad(loss, W).eval(at);
    const numeric = numericGradient((w) => loss.eval({ x: at.x, W: w }), at.W);
    close(gradient, numeric, 5);
  });
  test('reshape, transpose, slice, pad, concat and broadcasting in one loss', () => {
    const W = MVar('W', 3, 4);
    const x = TVar('x', [2, 3, 4]);
    const mixed = slice(x.mul(W).transpose([2, 0, 1]).reshape([4, 6]), 1, 1, 5);
    const loss = sum(concat([mixed, pad(mixed, 0, 0, 0)], 0).pow(2)).add(sum(stack([W, W.mul(W)], -1)));
    const at = { x: data([2, 3, 4]), W: data([3, 4]) };
    close(grad(loss, W).eval(at), numericGradient((w) => loss.eval({ x: at.x, W: w }), at.W), 5);
  });
});

describe('dimensions known only at run time fail in the compile-time words', () => {
  const atRunTime = (n: number): number => n;
  const n = atRunTime(2);
  const x = TVar('x', [n, 3, 4]);
  test('the typed calls compile and check when built', () => {
    expect(x).toBeInstanceOf(TFun);
    expect(x.sum(-1).node.shape).toEqual([2, 3]);
    expect(typegradErrorOf(() => x.add(TVar('y', [atRunTime(3), 3, 4]))).message).toBe(
      'add: shape mismatch: cannot add tensor[2×3×4] and tensor[3×3×4] (axis 0 of the result: 2 and 3)',
    );
    expect(typegradErrorOf(() => x.reshape([atRunTime(5), -1])).message).toBe('reshape: shape mismatch: cannot reshape tensor[2×3×4] to [5, -1] (24 elements do not divide by 5)');
    expect(typegradErrorOf(() => x.slice(0, 1, atRunTime(3))).message).toBe('slice: index out of bounds: cannot slice 1:3 from axis 0 of tensor[2×3×4]');
    expect(typegradErrorOf(() => x.concat(TVar('y', [n, 3, atRunTime(5)]), 1)).message).toBe(
      'concat: shape mismatch: cannot join tensor[2×3×4] and tensor[2×3×5] along axis 1 (axis 2: 4 and 5)',
    );
    expect(typegradErrorOf(() => x.matmul(MVar('W', atRunTime(5), 2))).message).toMatch(/^matmul: shape mismatch: cannot multiply tensor\[2×3×4\] by matrix\[5×2\] \(inner dimensions 4 and 5\)/);
    expect(typegradErrorOf(() => x.broadcastTo([n, 3, atRunTime(5)])).message).toBe('broadcastTo: shape mismatch: cannot broadcast tensor[2×3×4] to tensor[2×3×5]');
  });
  test('a rank known only at run time: the class of the actual rank; the free functions take it', () => {
    const shapeFromData: number[] = [2, 3];
    const t = TVar('t', shapeFromData);
    expect(t).toBeInstanceOf(MFun);
    expect(sum(t, -1).eval({ t: [[1, 2, 3], [4, 5, 6]] })).toEqual([6, 15]);
    expect(reshape(t, [3, 2]).eval({ t: [[1, 2, 3], [4, 5, 6]] })).toEqual([[1, 2], [3, 4], [5, 6]]);
  });
});

describe('TFun keeps the Fun API: d, at, eval', () => {
  test('d by a scalar variable, elementwise; at binds', () => {
    const s = Var('s');
    const x = TVar('x', [1, 2, 2]);
    const f = x.mul(s).mul(s);
    const values = [[[1, 2], [3, 4]]];
    expect(f.d(s).eval({ x: values, s: 3 })).toEqual([[[6, 12], [18, 24]]]);
    expect(f.at({ s: 2 }).eval({ x: values })).toEqual([[[4, 8], [12, 16]]]);
    expect(f.at({ x: values }).variables).toEqual(['s']);
  });
});

test('TypegradError is what every misuse above throws', () => {
  expect(typegradErrorOf(() => (sum as (t: unknown) => unknown)({}))).toBeInstanceOf(TypegradError);
});
