/**
 * The shape rules in the types (issue 3), run by `vitest run` in typecheck mode (tsc 7): every
 * typed tensor operation both ways, what it accepts with `expectTypeOf` and what it rejects with
 * `@ts-expect-error`. The messages users read are pinned in fixtures/fail/shapes-*.ts; tsd/shapes.tsd.ts
 * checks the same rules with TypeScript 5.9.
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  add, concat, div, dot, Mat, matmul, mul, MVar, outer, pow, relu, sin, softmax, sub, sum, transpose, Var, Vec, VVar,
  type MFun, type SFun, type VFun,
} from '../src/index.js';

const x = Var('x');
const y = Var('y');
const w = VVar('w', 3);
const W = MVar('W', 2, 3);
/** A dimension known only at run time. */
declare const n: number;

describe('constructors put the dimensions in the type', () => {
  test('Vec: the length is the number of elements, the variables those of the elements', () => {
    expectTypeOf(Vec(1, 2, 3)).toEqualTypeOf<VFun<3, never>>();
    expectTypeOf(Vec(x, y.mul(2))).toEqualTypeOf<VFun<2, 'x' | 'y'>>();
    expectTypeOf(Vec(1, x)).toEqualTypeOf<VFun<2, 'x'>>();
  });
  test('Mat: rows × the first row\'s length', () => {
    expectTypeOf(Mat([1, 2, 3], [4, 5, 6])).toEqualTypeOf<MFun<2, 3, never>>();
    expectTypeOf(Mat([x, 1], [2, y])).toEqualTypeOf<MFun<2, 2, 'x' | 'y'>>();
    expectTypeOf(Mat([1, 2, 3])).toEqualTypeOf<MFun<1, 3, never>>();
  });
  test('Mat rejects rows of different lengths', () => {
    // @ts-expect-error row 1 has length 1, row 0 has length 2
    Mat([1, 2], [3]);
    // @ts-expect-error row 2 has length 3
    Mat([1, 2], [3, 4], [5, 6, 7]);
  });
  test('VVar and MVar take their dimensions from the arguments', () => {
    expectTypeOf(VVar('w', 3)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(MVar('W', 2, 3)).toEqualTypeOf<MFun<2, 3, 'W'>>();
    expectTypeOf(VVar('v', n)).toEqualTypeOf<VFun<number, 'v'>>();
    expectTypeOf(MVar('A', n, 3)).toEqualTypeOf<MFun<number, 3, 'A'>>();
  });
  test('length, rows and columns read the dimensions back', () => {
    expectTypeOf(w.length).toEqualTypeOf<3>();
    expectTypeOf(W.rows).toEqualTypeOf<2>();
    expectTypeOf(W.columns).toEqualTypeOf<3>();
  });
});

describe('elementwise operations need equal shapes', () => {
  test('equal vectors', () => {
    expectTypeOf(w.add(Vec(1, 2, 3))).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(w.sub(VVar('v', 3))).toEqualTypeOf<VFun<3, 'w' | 'v'>>();
    expectTypeOf(w.mul(w)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(w.div(Vec(x, y, 1))).toEqualTypeOf<VFun<3, 'w' | 'x' | 'y'>>();
    expectTypeOf(add(w, Vec(1, 2, 3))).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(sub(Vec(1, 2, 3), w)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(mul(w, w)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(div(w, VVar('v', 3))).toEqualTypeOf<VFun<3, 'w' | 'v'>>();
  });
  test('equal matrices', () => {
    expectTypeOf(W.add(Mat([1, 2, 3], [4, 5, 6]))).toEqualTypeOf<MFun<2, 3, 'W'>>();
    expectTypeOf(W.sub(W)).toEqualTypeOf<MFun<2, 3, 'W'>>();
    expectTypeOf(W.mul(MVar('V', 2, 3))).toEqualTypeOf<MFun<2, 3, 'W' | 'V'>>();
    expectTypeOf(W.div(W)).toEqualTypeOf<MFun<2, 3, 'W'>>();
    expectTypeOf(add(W, MVar('V', 2, 3))).toEqualTypeOf<MFun<2, 3, 'W' | 'V'>>();
    expectTypeOf(div(W, W)).toEqualTypeOf<MFun<2, 3, 'W'>>();
  });
  test('the union trap: the other operand\'s length is not inferred together with this one\'s', () => {
    // @ts-expect-error vector[2] and vector[3]; N must not widen to 2 | 3
    Vec(1, 2).add(Vec(1, 2, 3));
    // @ts-expect-error the same for the free function
    add(Vec(1, 2), Vec(1, 2, 3));
    // @ts-expect-error
    w.sub(Vec(1, 2));
    // @ts-expect-error
    w.mul(Vec(1, 2, 3, 4));
    // @ts-expect-error
    w.div(Vec(1));
    // @ts-expect-error
    sub(w, Vec(1, 2));
    // @ts-expect-error
    mul(Vec(1, 2), w);
    // @ts-expect-error
    div(w, Vec(1, 2, 3, 4));
    // @ts-expect-error
    pow(w, Vec(1, 2));
  });
  test('matrices of another shape are rejected', () => {
    // @ts-expect-error matrix[2×3] and matrix[3×2]
    W.add(MVar('V', 3, 2));
    // @ts-expect-error
    W.sub(MVar('V', 2, 2));
    // @ts-expect-error
    W.mul(Mat([1, 2, 3]));
    // @ts-expect-error
    W.div(MVar('V', 3, 3));
    // @ts-expect-error
    add(W, MVar('V', 3, 2));
    // @ts-expect-error
    mul(W, Mat([1, 2], [3, 4]));
  });
  test('a scalar combines with any shape, on either side', () => {
    expectTypeOf(w.add(1)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(w.mul(x)).toEqualTypeOf<VFun<3, 'w' | 'x'>>();
    expectTypeOf(w.pow(2)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(W.sub(x)).toEqualTypeOf<MFun<2, 3, 'W' | 'x'>>();
    expectTypeOf(W.div(2)).toEqualTypeOf<MFun<2, 3, 'W'>>();
    expectTypeOf(add(2, w)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(mul(w, y)).toEqualTypeOf<VFun<3, 'w' | 'y'>>();
    expectTypeOf(sub(x, W)).toEqualTypeOf<MFun<2, 3, 'W' | 'x'>>();
    expectTypeOf(div(W, 2)).toEqualTypeOf<MFun<2, 3, 'W'>>();
  });
  test('a row vector of the column count broadcasts to every row (a bias)', () => {
    expectTypeOf(W.add(w)).toEqualTypeOf<MFun<2, 3, 'W' | 'w'>>();
    expectTypeOf(add(W, w)).toEqualTypeOf<MFun<2, 3, 'W' | 'w'>>();
    expectTypeOf(mul(w, W)).toEqualTypeOf<MFun<2, 3, 'W' | 'w'>>();
    // @ts-expect-error a row of matrix[2×3] needs vector[3]
    W.add(Vec(1, 2));
    // @ts-expect-error
    add(W, Vec(1, 2));
    // @ts-expect-error
    sub(Vec(1, 2), W);
  });
  test('a vector or matrix is not a scalar', () => {
    expectTypeOf(W).not.toExtend<SFun<'W'>>();
    expectTypeOf(w).not.toExtend<SFun<'w'>>();
    expectTypeOf(W).not.toExtend<VFun<number, 'W'>>();
    // @ts-expect-error a matrix where a scalar is expected
    x.add(W);
  });
  test('elementwise functions keep the shape', () => {
    expectTypeOf(sin(w)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(relu(W)).toEqualTypeOf<MFun<2, 3, 'W'>>();
    expectTypeOf(w.neg()).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(W.map((m) => relu(m))).toEqualTypeOf<MFun<2, 3, 'W'>>();
    expectTypeOf(w.softmax()).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(softmax(W)).toEqualTypeOf<MFun<2, 3, 'W'>>();
  });
});

describe('products contract the inner dimensions', () => {
  test('matrix · matrix and matrix · vector', () => {
    expectTypeOf(W.matmul(MVar('V', 3, 4))).toEqualTypeOf<MFun<2, 4, 'W' | 'V'>>();
    expectTypeOf(W.matmul(w)).toEqualTypeOf<VFun<2, 'W' | 'w'>>();
    expectTypeOf(Vec(1, 2).matmul(W)).toEqualTypeOf<VFun<3, 'W'>>();
    expectTypeOf(matmul(W, MVar('V', 3, 4))).toEqualTypeOf<MFun<2, 4, 'W' | 'V'>>();
    expectTypeOf(matmul(W, w)).toEqualTypeOf<VFun<2, 'W' | 'w'>>();
    expectTypeOf(matmul(Vec(1, 2), W)).toEqualTypeOf<VFun<3, 'W'>>();
  });
  test('other inner dimensions are rejected', () => {
    // @ts-expect-error inner dimensions 3 and 2
    W.matmul(MVar('V', 2, 2));
    // @ts-expect-error
    W.matmul(Vec(1, 2));
    // @ts-expect-error
    w.matmul(W);
    // @ts-expect-error
    matmul(W, MVar('V', 2, 2));
    // @ts-expect-error
    matmul(W, Vec(1, 2));
    // @ts-expect-error
    matmul(w, W);
    // @ts-expect-error two vectors: use dot
    matmul(w, w);
  });
  test('dot needs equal lengths', () => {
    expectTypeOf(w.dot(Vec(1, 2, 3))).toEqualTypeOf<SFun<'w'>>();
    expectTypeOf(dot(w, VVar('v', 3))).toEqualTypeOf<SFun<'w' | 'v'>>();
    expectTypeOf(dot(Vec(1, 2), Vec(3, 4))).toEqualTypeOf<SFun<never>>();
    // @ts-expect-error vector[3] and vector[2]
    w.dot(Vec(1, 2));
    // @ts-expect-error
    dot(Vec(1, 2), w);
  });
  test('outer takes any two vectors', () => {
    expectTypeOf(w.outer(Vec(1, 2))).toEqualTypeOf<MFun<3, 2, 'w'>>();
    expectTypeOf(outer(Vec(1, 2), w)).toEqualTypeOf<MFun<2, 3, 'w'>>();
    // @ts-expect-error a matrix is not a vector
    outer(w, W);
  });
  test('T and transpose swap the dimensions', () => {
    expectTypeOf(W.T).toEqualTypeOf<MFun<3, 2, 'W'>>();
    expectTypeOf(W.transpose()).toEqualTypeOf<MFun<3, 2, 'W'>>();
    expectTypeOf(transpose(W)).toEqualTypeOf<MFun<3, 2, 'W'>>();
    expectTypeOf(W.T.matmul(W)).toEqualTypeOf<MFun<3, 3, 'W'>>();
    // @ts-expect-error a vector has no transpose
    transpose(w);
    // @ts-expect-error
    void w.T;
  });
});

describe('reductions', () => {
  test('sum, mean, norm and logsumexp of everything are scalars', () => {
    expectTypeOf(w.sum()).toEqualTypeOf<SFun<'w'>>();
    expectTypeOf(W.sum()).toEqualTypeOf<SFun<'W'>>();
    expectTypeOf(sum(W)).toEqualTypeOf<SFun<'W'>>();
    expectTypeOf(w.mean()).toEqualTypeOf<SFun<'w'>>();
    expectTypeOf(W.norm()).toEqualTypeOf<SFun<'W'>>();
    expectTypeOf(w.logsumexp()).toEqualTypeOf<SFun<'w'>>();
    // The free reductions take any rank, a scalar too (its sum is itself).
    expectTypeOf(sum(x)).toEqualTypeOf<SFun<'x'>>();
  });
  test('along an axis: 0 sums each column, 1 each row', () => {
    expectTypeOf(W.sum(0)).toEqualTypeOf<VFun<3, 'W'>>();
    expectTypeOf(W.sum(1)).toEqualTypeOf<VFun<2, 'W'>>();
    expectTypeOf(W.mean(0)).toEqualTypeOf<VFun<3, 'W'>>();
    expectTypeOf(W.logsumexp(1)).toEqualTypeOf<VFun<2, 'W'>>();
    // @ts-expect-error a matrix has axes 0 and 1
    W.sum(2);
  });
});

describe('layout: concat, slice, reshape, get', () => {
  test('concat adds the lengths (rows for matrices)', () => {
    expectTypeOf(w.concat(Vec(1, 2))).toEqualTypeOf<VFun<5, 'w'>>();
    expectTypeOf(concat(VVar('a', 784), VVar('b', 128))).toEqualTypeOf<VFun<912, 'a' | 'b'>>();
    expectTypeOf(W.concat(MVar('V', 4, 3))).toEqualTypeOf<MFun<6, 3, 'W' | 'V'>>();
    // @ts-expect-error matrices joined along rows need equal column counts
    W.concat(MVar('V', 2, 2));
  });
  test('slice is end − start long, within the vector', () => {
    expectTypeOf(w.slice(1, 3)).toEqualTypeOf<VFun<2, 'w'>>();
    expectTypeOf(w.slice(0, 3)).toEqualTypeOf<VFun<3, 'w'>>();
    expectTypeOf(W.slice(1, 2)).toEqualTypeOf<MFun<1, 3, 'W'>>();
    // @ts-expect-error end 4 is past vector[3]
    w.slice(2, 4);
    // @ts-expect-error an empty range
    w.slice(2, 2);
    // @ts-expect-error a reversed range
    w.slice(2, 1);
    // @ts-expect-error rows 1:3 of matrix[2×3]
    W.slice(1, 3);
  });
  test('reshape keeps the element count', () => {
    expectTypeOf(VVar('v', 6).reshape(2, 3)).toEqualTypeOf<MFun<2, 3, 'v'>>();
    expectTypeOf(W.reshape(3, 2)).toEqualTypeOf<MFun<3, 2, 'W'>>();
    expectTypeOf(W.reshape(6, 1)).toEqualTypeOf<MFun<6, 1, 'W'>>();
    expectTypeOf(W.flatten()).toEqualTypeOf<VFun<6, 'W'>>();
    // @ts-expect-error 4 elements cannot become 3×2
    VVar('v', 4).reshape(3, 2);
    // @ts-expect-error
    W.reshape(4, 2);
  });
  test('get with a literal index in range', () => {
    expectTypeOf(w.get(0)).toEqualTypeOf<SFun<'w'>>();
    expectTypeOf(w.get(2)).toEqualTypeOf<SFun<'w'>>();
    expectTypeOf(W.get(1, 2)).toEqualTypeOf<SFun<'W'>>();
    expectTypeOf(W.row(1)).toEqualTypeOf<VFun<3, 'W'>>();
    // @ts-expect-error index 3 of vector[3]
    w.get(3);
    // @ts-expect-error negative
    w.get(-1);
    // @ts-expect-error fractional
    w.get(0.5);
    // @ts-expect-error row 2 of matrix[2×3]
    W.get(2, 0);
    // @ts-expect-error column 3
    W.get(0, 3);
    // @ts-expect-error
    W.row(2);
  });
});

describe('dimensions known only at run time (`number`)', () => {
  const v = VVar('v', n);
  const A = MVar('A', n, n);
  test('are accepted wherever a literal is, and mix with literals', () => {
    expectTypeOf(w.add(v)).toEqualTypeOf<VFun<3, 'w' | 'v'>>();
    expectTypeOf(v.add(w)).toEqualTypeOf<VFun<number, 'v' | 'w'>>();
    expectTypeOf(add(w, v)).toEqualTypeOf<VFun<3, 'w' | 'v'>>();
    expectTypeOf(add(v, w)).toEqualTypeOf<VFun<number, 'v' | 'w'>>();
    expectTypeOf(dot(w, v)).toEqualTypeOf<SFun<'w' | 'v'>>();
    expectTypeOf(w.dot(v)).toEqualTypeOf<SFun<'w' | 'v'>>();
    expectTypeOf(W.matmul(A)).toEqualTypeOf<MFun<2, number, 'W' | 'A'>>();
    expectTypeOf(matmul(A, W)).toEqualTypeOf<MFun<number, 3, 'A' | 'W'>>();
    expectTypeOf(matmul(W, v)).toEqualTypeOf<VFun<2, 'W' | 'v'>>();
    expectTypeOf(W.add(A)).toEqualTypeOf<MFun<2, 3, 'W' | 'A'>>();
    expectTypeOf(W.add(v)).toEqualTypeOf<MFun<2, 3, 'W' | 'v'>>();
    expectTypeOf(w.concat(v)).toEqualTypeOf<VFun<number, 'w' | 'v'>>();
    expectTypeOf(v.slice(1, 3)).toEqualTypeOf<VFun<2, 'v'>>();
    expectTypeOf(w.slice(1, n)).toEqualTypeOf<VFun<number, 'w'>>();
    expectTypeOf(v.reshape(2, 3)).toEqualTypeOf<MFun<2, 3, 'v'>>();
    expectTypeOf(w.get(n)).toEqualTypeOf<SFun<'w'>>();
    expectTypeOf(v.get(7)).toEqualTypeOf<SFun<'v'>>();
    expectTypeOf(A.sum(0)).toEqualTypeOf<VFun<number, 'A'>>();
  });
});
