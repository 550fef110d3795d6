/**
 * The shape rules of tensors of any rank in the types, run by `vitest run` in typecheck mode
 * (tsc 7): every rank-N operation both ways, as a TFun method and as a free function, what it
 * accepts with `expectTypeOf` and what it rejects with `@ts-expect-error`. The messages users
 * read are pinned in fixtures/fail/tensors-*.ts; tsd/tensors.tsd.ts checks the same rules with
 * TypeScript 5.9.
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  add, broadcastTo, concat, div, einsum, exp, gather, logSoftmax, logsumexp, matmul, max, mean, min, MVar, mul, norm, oneHot, pad, pow, relu, reshape, sin,
  slice, softmax, stack, sub, sum, Tensor, transpose, TVar, Var, Vec, VVar,
  type AxesCheck, type BroadcastCheck, type DescribeShape, type FunOf, type MatmulCheck, type MFun, type ReshapeToCheck, type SFun, type ShapeOf, type TFun,
  type UnknownRankFun, type VFun,
} from '../src/index.js';

const x = TVar('x', [2, 3, 4]);
const images = TVar('images', [64, 28, 28, 1]);
const W = MVar('W', 4, 5);
const b = VVar('b', 4);
/** A dimension known only at run time. */
declare const n: number;

describe('constructors', () => {
  test('TVar: the shape tuple in the type, the class of its rank', () => {
    expectTypeOf(images).toEqualTypeOf<TFun<[64, 28, 28, 1], 'images'>>();
    expectTypeOf(TVar('W', [784, 128])).toEqualTypeOf<MFun<784, 128, 'W'>>();
    expectTypeOf(TVar('v', [3])).toEqualTypeOf<VFun<3, 'v'>>();
    expectTypeOf(TVar('s', [])).toEqualTypeOf<SFun<'s'>>();
    expectTypeOf(TVar('batch', [n, 28, 28])).toEqualTypeOf<TFun<[number, 28, 28], 'batch'>>();
    expectTypeOf(images.shape).toEqualTypeOf<[64, 28, 28, 1]>();
    expectTypeOf(images.rank).toEqualTypeOf<4>();
  });
  test('TVar rejects a literal that is not a shape', () => {
    // @ts-expect-error 0 is not a dimension
    TVar('z', [2, 0]);
    // @ts-expect-error nor is -1
    TVar('z', [-1, 2]);
  });
  test('Tensor from nested arrays: one axis per level; ragged literals are rejected', () => {
    expectTypeOf(Tensor([[1, 2], [3, 4]])).toEqualTypeOf<MFun<2, 2, never>>();
    expectTypeOf(Tensor([[[1, 2]], [[3, 4]], [[5, 6]]])).toEqualTypeOf<TFun<[3, 1, 2], never>>();
    expectTypeOf(Tensor([1, 2, 3])).toEqualTypeOf<VFun<3, never>>();
    expectTypeOf(Tensor(new Float64Array(24), [2, 3, 4])).toEqualTypeOf<TFun<[2, 3, 4], never>>();
    const rows: number[][] = [[1, 2]];
    expectTypeOf(Tensor(rows)).toEqualTypeOf<MFun<number, number, never>>();
    // @ts-expect-error row 1 is shorter
    Tensor([[1, 2], [3]]);
    // @ts-expect-error a deeper ragged level
    Tensor([[[1, 2], [3, 4]], [[5, 6], [7]]]);
  });
  test('FunOf and ShapeOf go between shapes and classes', () => {
    expectTypeOf<FunOf<[64, 10], 'x'>>().toEqualTypeOf<MFun<64, 10, 'x'>>();
    expectTypeOf<FunOf<[2, 3, 4], 'x'>>().toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf<FunOf<[], 'x'>>().toEqualTypeOf<SFun<'x'>>();
    expectTypeOf<FunOf<number[], 'x'>>().toEqualTypeOf<UnknownRankFun<'x'>>();
    expectTypeOf<ShapeOf<MFun<2, 3, 'W'>>>().toEqualTypeOf<[2, 3]>();
    expectTypeOf<ShapeOf<typeof images>>().toEqualTypeOf<[64, 28, 28, 1]>();
    expectTypeOf<ShapeOf<SFun<'x'>>>().toEqualTypeOf<[]>();
    expectTypeOf<ShapeOf<3>>().toEqualTypeOf<[]>();
  });
  test('a TFun of any shape is a TFun (covariant in its shape and variables)', () => {
    expectTypeOf(x).toExtend<TFun>();
    expectTypeOf(x).toExtend<TFun<number[], string>>();
    expectTypeOf(x).toExtend<TFun<[2, 3, 4], 'x' | 'y'>>();
    expectTypeOf(x).not.toExtend<TFun<[2, 3, 5], 'x'>>();
    expectTypeOf(x).not.toExtend<MFun<2, 3, 'x'>>();
    expectTypeOf(W).not.toExtend<TFun>();
    expectTypeOf(x).not.toExtend<SFun<'x'>>();
  });
});

describe('elementwise operations broadcast by the numpy rule', () => {
  test('methods: the result has the broadcast shape and both operands\' variables', () => {
    expectTypeOf(x.add(b)).toEqualTypeOf<TFun<[2, 3, 4], 'x' | 'b'>>();
    expectTypeOf(x.sub(1)).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf(x.mul(Var('s'))).toEqualTypeOf<TFun<[2, 3, 4], 'x' | 's'>>();
    expectTypeOf(x.div(TVar('d', [3, 1]))).toEqualTypeOf<TFun<[2, 3, 4], 'x' | 'd'>>();
    expectTypeOf(x.pow(TVar('e', [2, 1, 1]))).toEqualTypeOf<TFun<[2, 3, 4], 'x' | 'e'>>();
    expectTypeOf(TVar('a', [2, 1, 4]).add(TVar('c', [3, 1]))).toEqualTypeOf<TFun<[2, 3, 4], 'a' | 'c'>>();
    expectTypeOf(TVar('a', [1, 1, 3]).mul(TVar('c', [8, 1, 1]))).toEqualTypeOf<TFun<[8, 1, 3], 'a' | 'c'>>();
    expectTypeOf(x.neg()).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
  });
  test('free functions of any rank: the class of the broadcast rank', () => {
    expectTypeOf(add(x, b)).toEqualTypeOf<TFun<[2, 3, 4], 'x' | 'b'>>();
    expectTypeOf(add(b, x)).toEqualTypeOf<TFun<[2, 3, 4], 'b' | 'x'>>();
    expectTypeOf(sub(2, x)).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf(mul(TVar('a', [1, 4]), TVar('c', [3, 1]))).toEqualTypeOf<MFun<3, 4, 'a' | 'c'>>();
    expectTypeOf(div(x, W.sum(1))).toEqualTypeOf<TFun<[2, 3, 4], 'x' | 'W'>>();
    expectTypeOf(pow(x, 2)).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    // A column [N, 1] and a row [M] broadcast to [N, M], as in numpy.
    expectTypeOf(add(MVar('c', 3, 1), VVar('r', 4))).toEqualTypeOf<MFun<3, 4, 'c' | 'r'>>();
  });
  test('functions of one number keep the shape', () => {
    expectTypeOf(sin(x)).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf(relu(images)).toEqualTypeOf<TFun<[64, 28, 28, 1], 'images'>>();
    expectTypeOf(exp(x.add(b))).toEqualTypeOf<TFun<[2, 3, 4], 'x' | 'b'>>();
  });
  test('shapes that do not broadcast are rejected, by methods and functions', () => {
    // @ts-expect-error tensor[2×3×4] and matrix[5×4]
    x.add(MVar('M', 5, 4));
    // @ts-expect-error the last axes 4 and 3
    x.sub(VVar('v', 3));
    // @ts-expect-error
    x.mul(TVar('y', [3, 3, 4]));
    // @ts-expect-error
    x.div(TVar('y', [2, 3, 2]));
    // @ts-expect-error
    x.pow(VVar('v', 2));
    // @ts-expect-error
    add(x, MVar('M', 5, 4));
    // @ts-expect-error
    mul(VVar('v', 3), x);
    // @ts-expect-error the union trap: the other operand's shape is inferred on its own
    add(TVar('a', [2, 2, 2]), TVar('c', [3, 3, 3]));
  });
});

describe('matmul: batched, the batch axes broadcast', () => {
  test('method and function', () => {
    expectTypeOf(x.matmul(W)).toEqualTypeOf<TFun<[2, 3, 5], 'x' | 'W'>>();
    expectTypeOf(x.matmul(TVar('B', [2, 4, 5]))).toEqualTypeOf<TFun<[2, 3, 5], 'x' | 'B'>>();
    expectTypeOf(x.matmul(b)).toEqualTypeOf<MFun<2, 3, 'x' | 'b'>>();
    expectTypeOf(TVar('A', [8, 1, 3, 4]).matmul(TVar('B', [5, 4, 2]))).toEqualTypeOf<TFun<[8, 5, 3, 2], 'A' | 'B'>>();
    expectTypeOf(matmul(x, W)).toEqualTypeOf<TFun<[2, 3, 5], 'x' | 'W'>>();
    expectTypeOf(matmul(MVar('A', 3, 4), TVar('B', [2, 4, 5]))).toEqualTypeOf<TFun<[2, 3, 5], 'A' | 'B'>>();
    expectTypeOf(matmul(VVar('v', 3), x)).toEqualTypeOf<MFun<2, 4, 'v' | 'x'>>();
    expectTypeOf(x.matmul(MVar('D', n, 7))).toEqualTypeOf<TFun<[2, 3, 7], 'x' | 'D'>>();
  });
  test('inner dimensions and batch axes must agree', () => {
    // @ts-expect-error inner dimensions 4 and 5
    x.matmul(MVar('M', 5, 6));
    // @ts-expect-error batch axes 2 and 3
    x.matmul(TVar('B', [3, 4, 5]));
    // @ts-expect-error a scalar: use mul
    x.matmul(Var('s'));
    // @ts-expect-error
    matmul(x, MVar('M', 5, 6));
    // @ts-expect-error
    matmul(TVar('A', [2, 3, 4]), TVar('B', [3, 4, 5]));
  });
});

describe('reductions over axes, with keepDims', () => {
  test('sum, mean, max, min, logsumexp: one axis, a list, all, negative axes', () => {
    expectTypeOf(x.sum()).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(x.sum(0)).toEqualTypeOf<MFun<3, 4, 'x'>>();
    expectTypeOf(x.mean(-1)).toEqualTypeOf<MFun<2, 3, 'x'>>();
    expectTypeOf(x.max([0, 2])).toEqualTypeOf<VFun<3, 'x'>>();
    expectTypeOf(x.min([-1, -2])).toEqualTypeOf<VFun<2, 'x'>>();
    expectTypeOf(x.logsumexp(1)).toEqualTypeOf<MFun<2, 4, 'x'>>();
    expectTypeOf(images.mean([1, 2, 3])).toEqualTypeOf<VFun<64, 'images'>>();
    expectTypeOf(sum(x, 1)).toEqualTypeOf<MFun<2, 4, 'x'>>();
    expectTypeOf(mean(x)).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(max(W, -1)).toEqualTypeOf<VFun<4, 'W'>>();
    expectTypeOf(min(b, 0)).toEqualTypeOf<SFun<'b'>>();
    expectTypeOf(logsumexp(x, [1, 2])).toEqualTypeOf<VFun<2, 'x'>>();
    expectTypeOf(norm(x)).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(x.norm()).toEqualTypeOf<SFun<'x'>>();
  });
  test('keepDims keeps the reduced axes as size 1', () => {
    expectTypeOf(x.sum(-1, { keepDims: true })).toEqualTypeOf<TFun<[2, 3, 1], 'x'>>();
    expectTypeOf(images.mean([1, 2, 3], { keepDims: true })).toEqualTypeOf<TFun<[64, 1, 1, 1], 'images'>>();
    expectTypeOf(max(W, 1, { keepDims: true })).toEqualTypeOf<MFun<4, 1, 'W'>>();
    expectTypeOf(x.sum(undefined, { keepDims: true })).toEqualTypeOf<TFun<[1, 1, 1], 'x'>>();
    expectTypeOf(x.sum(0, { keepDims: false })).toEqualTypeOf<MFun<3, 4, 'x'>>();
  });
  test('axes that do not exist, or repeat, are rejected', () => {
    // @ts-expect-error axis 3 of rank 3
    x.sum(3);
    // @ts-expect-error axis -4
    x.mean(-4);
    // @ts-expect-error axes 1 and -2 are one axis
    x.max([1, -2]);
    // @ts-expect-error
    x.min([0, 0]);
    // @ts-expect-error
    x.logsumexp(0.5);
    // @ts-expect-error
    sum(x, 5);
    // @ts-expect-error
    mean(W, 2);
    // @ts-expect-error keepDims is a boolean
    x.sum(0, { keepDims: 1 });
  });
});

describe('softmax and logSoftmax along an axis', () => {
  test('the shape is kept; the last axis by default', () => {
    expectTypeOf(x.softmax()).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf(x.softmax(1)).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf(x.logSoftmax(-3)).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf(softmax(x, 0)).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf(logSoftmax(W)).toEqualTypeOf<MFun<4, 5, 'W'>>();
    expectTypeOf(logSoftmax(b, 0)).toEqualTypeOf<VFun<4, 'b'>>();
  });
  test('an axis that does not exist; a scalar has none', () => {
    // @ts-expect-error
    x.softmax(3);
    // @ts-expect-error
    x.logSoftmax(-4);
    // @ts-expect-error
    softmax(W, 2);
    // @ts-expect-error
    logSoftmax(Var('s'));
  });
});

describe('transpose by a permutation', () => {
  test('permuted shapes; none reverses', () => {
    expectTypeOf(x.transpose([0, 2, 1])).toEqualTypeOf<TFun<[2, 4, 3], 'x'>>();
    expectTypeOf(x.transpose([-1, 0, 1])).toEqualTypeOf<TFun<[4, 2, 3], 'x'>>();
    expectTypeOf(x.transpose()).toEqualTypeOf<TFun<[4, 3, 2], 'x'>>();
    expectTypeOf(x.T).toEqualTypeOf<TFun<[4, 3, 2], 'x'>>();
    expectTypeOf(images.transpose([0, 3, 1, 2])).toEqualTypeOf<TFun<[64, 1, 28, 28], 'images'>>();
    expectTypeOf(transpose(x, [1, 0, 2])).toEqualTypeOf<TFun<[3, 2, 4], 'x'>>();
    expectTypeOf(transpose(W, [1, 0])).toEqualTypeOf<MFun<5, 4, 'W'>>();
    expectTypeOf(transpose(W)).toEqualTypeOf<MFun<5, 4, 'W'>>();
  });
  test('what is not a permutation is rejected; a vector has nothing to permute', () => {
    // @ts-expect-error axis 0 twice
    x.transpose([0, 0, 1]);
    // @ts-expect-error too short
    x.transpose([0, 1]);
    // @ts-expect-error axis 3
    x.transpose([0, 1, 3]);
    // @ts-expect-error
    transpose(x, [2, 2, 2]);
    // @ts-expect-error
    transpose(b);
  });
});

describe('reshape and flatten', () => {
  test('the count is kept; one -1 is resolved', () => {
    expectTypeOf(images.reshape([64, -1])).toEqualTypeOf<MFun<64, 784, 'images'>>();
    expectTypeOf(images.reshape([64, 4, 7, 4, 7])).toEqualTypeOf<TFun<[64, 4, 7, 4, 7], 'images'>>();
    expectTypeOf(x.reshape([-1])).toEqualTypeOf<VFun<24, 'x'>>();
    expectTypeOf(x.flatten()).toEqualTypeOf<VFun<24, 'x'>>();
    expectTypeOf(reshape(W, [2, 2, 5])).toEqualTypeOf<TFun<[2, 2, 5], 'W'>>();
    expectTypeOf(reshape(b, [2, -1])).toEqualTypeOf<MFun<2, 2, 'b'>>();
    expectTypeOf(reshape(TVar('r', [n, 4]), [-1, 2])).toEqualTypeOf<MFun<number, 2, 'r'>>();
  });
  test('another count, an indivisible -1, two -1s, a bad dimension', () => {
    // @ts-expect-error 50176 elements are not 64 × 785
    images.reshape([64, 785]);
    // @ts-expect-error 24 does not divide by 5
    x.reshape([5, -1]);
    // @ts-expect-error
    x.reshape([-1, -1]);
    // @ts-expect-error
    x.reshape([0, 24]);
    // @ts-expect-error
    reshape(W, [3, 7]);
  });
});

describe('slice and pad along an axis', () => {
  test('the axis gets end − start, or before + n + after', () => {
    expectTypeOf(x.slice(1, 1, 3)).toEqualTypeOf<TFun<[2, 2, 4], 'x'>>();
    expectTypeOf(x.slice(-1, 0, 2)).toEqualTypeOf<TFun<[2, 3, 2], 'x'>>();
    expectTypeOf(slice(images, 1, 2, 26)).toEqualTypeOf<TFun<[64, 24, 28, 1], 'images'>>();
    expectTypeOf(slice(W, 1, 0, 1)).toEqualTypeOf<MFun<4, 1, 'W'>>();
    expectTypeOf(x.pad(2, 1, 1)).toEqualTypeOf<TFun<[2, 3, 6], 'x'>>();
    expectTypeOf(pad(images, -3, 2, 2)).toEqualTypeOf<TFun<[64, 32, 28, 1], 'images'>>();
    expectTypeOf(x.slice(0, 0, n)).toEqualTypeOf<TFun<[number, 3, 4], 'x'>>();
  });
  test('ranges outside the axis, axes that do not exist, negative padding', () => {
    // @ts-expect-error 1:4 of an axis of 3
    x.slice(1, 1, 4);
    // @ts-expect-error an empty range
    x.slice(0, 1, 1);
    // @ts-expect-error a negative start
    x.slice(0, -1, 1);
    // @ts-expect-error axis 3
    x.slice(3, 0, 1);
    // @ts-expect-error
    slice(W, 0, 2, 5);
    // @ts-expect-error
    x.pad(0, -1, 0);
    // @ts-expect-error
    pad(x, 4, 1, 1);
  });
});

describe('concat, stack, broadcastTo', () => {
  test('concat adds the dimensions along the axis', () => {
    expectTypeOf(x.concat(TVar('y', [2, 5, 4]), 1)).toEqualTypeOf<TFun<[2, 8, 4], 'x' | 'y'>>();
    expectTypeOf(x.concat(x)).toEqualTypeOf<TFun<[4, 3, 4], 'x'>>();
    expectTypeOf(concat([x, x, TVar('y', [2, 3, 1])], -1)).toEqualTypeOf<TFun<[2, 3, 9], 'x' | 'y'>>();
    expectTypeOf(concat([W, MVar('V', 4, 2)], 1)).toEqualTypeOf<MFun<4, 7, 'W' | 'V'>>();
    expectTypeOf(concat(VVar('a', 784), VVar('c', 128))).toEqualTypeOf<VFun<912, 'a' | 'c'>>();
  });
  test('stack inserts an axis of the count', () => {
    expectTypeOf(stack([x, x, x])).toEqualTypeOf<TFun<[3, 2, 3, 4], 'x'>>();
    expectTypeOf(stack([W, W], -1)).toEqualTypeOf<TFun<[4, 5, 2], 'W'>>();
    expectTypeOf(stack([b, VVar('c', 4)], 1)).toEqualTypeOf<MFun<4, 2, 'b' | 'c'>>();
    expectTypeOf(stack([Var('p'), Var('q')])).toEqualTypeOf<VFun<2, 'p' | 'q'>>();
  });
  test('broadcastTo repeats to a larger shape', () => {
    expectTypeOf(broadcastTo(b, [2, 3, 4])).toEqualTypeOf<TFun<[2, 3, 4], 'b'>>();
    expectTypeOf(TVar('c', [1, 3, 1]).broadcastTo([2, 3, 4])).toEqualTypeOf<TFun<[2, 3, 4], 'c'>>();
    expectTypeOf(broadcastTo(1, [2, 2])).toEqualTypeOf<MFun<2, 2, never>>();
  });
  test('other axes that differ, ranks that differ, shapes that do not broadcast', () => {
    // @ts-expect-error axis 2: 4 and 5
    x.concat(TVar('y', [2, 5, 5]), 1);
    // @ts-expect-error ranks 3 and 2
    x.concat(W);
    // @ts-expect-error
    concat([x, TVar('y', [2, 3, 5])], 0);
    // @ts-expect-error axis 3 of rank 3
    concat([x, x], 3);
    // @ts-expect-error
    stack([x, TVar('y', [2, 4, 4])]);
    // @ts-expect-error axis 5 of a stack of rank 4
    stack([x, x], 5);
    // @ts-expect-error 4 does not broadcast to 5
    broadcastTo(b, [2, 5]);
    // @ts-expect-error a larger rank does not shrink
    x.broadcastTo([3, 4]);
  });
});

describe('gather and oneHot', () => {
  test('the indices\' shape replaces the axis; oneHot appends the depth', () => {
    expectTypeOf(x.gather([1, 0, 1])).toEqualTypeOf<TFun<[3, 3, 4], 'x'>>();
    expectTypeOf(x.gather([[0, 2]], 1)).toEqualTypeOf<TFun<[2, 1, 2, 4], 'x'>>();
    expectTypeOf(gather(W, VVar('i', 6), -1)).toEqualTypeOf<MFun<4, 6, 'W' | 'i'>>();
    expectTypeOf(gather(W, [3])).toEqualTypeOf<MFun<1, 5, 'W'>>();
    expectTypeOf(oneHot([2, 0, 1], 3)).toEqualTypeOf<MFun<3, 3, never>>();
    expectTypeOf(oneHot(VVar('labels', 64), 10)).toEqualTypeOf<MFun<64, 10, 'labels'>>();
    expectTypeOf(oneHot(TVar('l', [2, 3]), 5)).toEqualTypeOf<TFun<[2, 3, 5], 'l'>>();
  });
  test('axes that do not exist, depths that are not positive', () => {
    // @ts-expect-error
    x.gather([0], 3);
    // @ts-expect-error
    gather(W, [0], 2);
    // @ts-expect-error
    oneHot([1, 2], 0);
  });
});

describe('einsum', () => {
  test('the output shape read from the equation', () => {
    expectTypeOf(einsum('bij,bjk->bik', x, TVar('y', [2, 4, 5]))).toEqualTypeOf<TFun<[2, 3, 5], 'x' | 'y'>>();
    expectTypeOf(einsum('ij,jk', W, MVar('V', 5, 2))).toEqualTypeOf<MFun<4, 2, 'W' | 'V'>>();
    expectTypeOf(einsum('ijk->kji', x)).toEqualTypeOf<TFun<[4, 3, 2], 'x'>>();
    expectTypeOf(einsum('ijk->', x)).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(einsum('i,j->ij', b, VVar('c', 2))).toEqualTypeOf<MFun<4, 2, 'b' | 'c'>>();
    expectTypeOf(einsum('bhqd,bhkd->bhqk', TVar('q', [2, 4, 16, 8]), TVar('k', [2, 4, 16, 8]))).toEqualTypeOf<TFun<[2, 4, 16, 16], 'q' | 'k'>>();
    const equation: string = 'ij->ji';
    expectTypeOf(einsum(equation, W)).toEqualTypeOf<UnknownRankFun<'W'>>();
  });
  test('dimensions that disagree, repeated letters, ellipses, unknown outputs', () => {
    // @ts-expect-error index j is 5 and 3
    einsum('ij,jk->ik', W, MVar('V', 3, 2));
    // @ts-expect-error a trace is not supported
    einsum('ii->i', MVar('S', 3, 3));
    // @ts-expect-error no ellipsis
    einsum('...ij->ij', W);
    // @ts-expect-error k is in no operand
    einsum('ij->ik', W);
    // @ts-expect-error two subscript lists, one operand
    einsum('ij,jk->ik', W);
    // @ts-expect-error three subscripts for a matrix
    einsum('ijk->k', W);
  });
});

describe('dimensions and ranks known only at run time', () => {
  const r = TVar('r', [n, 3, 4]);
  test('a run-time dimension mixes with literals and gives way in every rule', () => {
    expectTypeOf(r.add(x)).toEqualTypeOf<TFun<[2, 3, 4], 'r' | 'x'>>();
    expectTypeOf(r.sum(0)).toEqualTypeOf<MFun<3, 4, 'r'>>();
    expectTypeOf(r.sum(-1)).toEqualTypeOf<MFun<number, 3, 'r'>>();
    expectTypeOf(r.reshape([-1, 12])).toEqualTypeOf<MFun<number, 12, 'r'>>();
    expectTypeOf(r.concat(x)).toEqualTypeOf<TFun<[number, 3, 4], 'r' | 'x'>>();
    expectTypeOf(r.matmul(W)).toEqualTypeOf<TFun<[number, 3, 5], 'r' | 'W'>>();
    expectTypeOf(r.slice(0, 1, 2)).toEqualTypeOf<TFun<[1, 3, 4], 'r'>>();
    expectTypeOf(r.transpose([1, 0, 2])).toEqualTypeOf<TFun<[3, number, 4], 'r'>>();
    // An axis known only at run time: the rank is known, the dimensions are not.
    expectTypeOf(x.sum(n)).toEqualTypeOf<MFun<number, number, 'x'>>();
    expectTypeOf(x.mean(n, { keepDims: true })).toEqualTypeOf<TFun<[number, number, number], 'x'>>();
    expectTypeOf(x.softmax(n)).toEqualTypeOf<TFun<[2, 3, 4], 'x'>>();
    expectTypeOf(x.slice(n, 0, 1)).toEqualTypeOf<TFun<[number, number, number], 'x'>>();
  });
  test('a rank known only at run time: the free functions take it; eval gives numbers or nested arrays', () => {
    const shape: number[] = [2, 3];
    const u = TVar('u', shape);
    expectTypeOf(u).toEqualTypeOf<UnknownRankFun<'u'>>();
    expectTypeOf(u.eval({ u: [1] })).toEqualTypeOf<number | import('../src/api/values.js').NestedArray>();
    expectTypeOf(sum(u, 0)).toEqualTypeOf<UnknownRankFun<'u'>>();
    expectTypeOf(reshape(u, [6])).toEqualTypeOf<VFun<6, 'u'>>();
    expectTypeOf(relu(u)).toEqualTypeOf<UnknownRankFun<'u'>>();
    expectTypeOf(add(u, x)).toEqualTypeOf<UnknownRankFun<'u' | 'x'>>();
  });
});

describe('the matrix and vector classes interoperate as ranks 1 and 2', () => {
  test('an MFun is accepted where a rank-2 tensor is expected and comes back as one', () => {
    expectTypeOf(sum(W, 0, { keepDims: true })).toEqualTypeOf<MFun<1, 5, 'W'>>();
    expectTypeOf(x.sum(0).matmul(MVar('P', 4, 2))).toEqualTypeOf<MFun<3, 2, 'x' | 'P'>>();
    expectTypeOf(x.mean(2).add(VVar('c', 3))).toEqualTypeOf<MFun<2, 3, 'x' | 'c'>>();
    expectTypeOf(stack([Vec(1, 2), Vec(3, 4)], 0)).toEqualTypeOf<MFun<2, 2, never>>();
  });
});

describe('the messages', () => {
  test('DescribeShape writes shapes as the run time does, `?` for a dimension known only then', () => {
    expectTypeOf<DescribeShape<[]>>().toEqualTypeOf<'scalar'>();
    expectTypeOf<DescribeShape<[3]>>().toEqualTypeOf<'vector[3]'>();
    expectTypeOf<DescribeShape<[2, 3]>>().toEqualTypeOf<'matrix[2×3]'>();
    expectTypeOf<DescribeShape<[64, 28, 28, 1]>>().toEqualTypeOf<'tensor[64×28×28×1]'>();
    expectTypeOf<DescribeShape<[number, 3]>>().toEqualTypeOf<'matrix[?×3]'>();
    expectTypeOf<DescribeShape<number[]>>().toEqualTypeOf<'tensor of unknown rank'>();
  });
  test('a check that holds is unknown (no constraint); one that fails is the message', () => {
    expectTypeOf<BroadcastCheck<'add', [2, 3, 4], [4]>>().toEqualTypeOf<unknown>();
    expectTypeOf<BroadcastCheck<'add', [2, 3], [3, 1]>>().toEqualTypeOf<'shape mismatch: cannot add matrix[2×3] and matrix[3×1] (axis 0 of the result: 2 and 3)'>();
    expectTypeOf<BroadcastCheck<'add', [2, 3], [2]>>().toEqualTypeOf<'shape mismatch: cannot add matrix[2×3] and vector[2] (a row needs vector[3])'>();
    expectTypeOf<MatmulCheck<[8, 2, 3], [3, 5]>>().toEqualTypeOf<unknown>();
    expectTypeOf<MatmulCheck<[3], [3], 'reject'>>().toEqualTypeOf<'shape mismatch: cannot multiply vector[3] by vector[3] with matmul (use dot for two vectors)'>();
    expectTypeOf<AxesCheck<[2, 3], -1>>().toEqualTypeOf<unknown>();
    expectTypeOf<AxesCheck<[2, 3], 2>>().toEqualTypeOf<{ readonly error: 'axis 2 does not exist on matrix[2×3] (rank 2)' }>();
    expectTypeOf<ReshapeToCheck<[number, 4], [3, 5]>>().toEqualTypeOf<unknown>();
  });
});
