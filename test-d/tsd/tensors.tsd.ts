/**
 * tsd tests of tensors of any rank, checked by TypeScript 5.9 (tsd's bundled compiler) via
 * `npm run test:tsd`; ../tensors.test-d.ts checks the same rules with TypeScript 7 and
 * ../fixtures/fail/tensors-*.ts pins the messages. Each rank-N operation both ways: `expectType`
 * for what it accepts, `expectError` for what it rejects.
 */
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import {
  add, broadcastTo, concat, einsum, gather, logSoftmax, matmul, max, mean, min, MVar, mul, oneHot, pad, relu, reshape, slice, softmax, stack, sum, Tensor,
  transpose, TVar, Var, VVar,
  type MFun, type SFun, type TFun, type UnknownRankFun, type VFun,
} from '../../src/index.js';

const x = TVar('x', [2, 3, 4]);
const images = TVar('images', [64, 28, 28, 1]);
const W = MVar('W', 4, 5);
const b = VVar('b', 4);
declare const n: number;

// Constructors and the class of each rank.
expectType<TFun<[64, 28, 28, 1], 'images'>>(images);
expectType<MFun<784, 128, 'W'>>(TVar('W', [784, 128]));
expectType<TFun<[number, 28, 28], 'batch'>>(TVar('batch', [n, 28, 28]));
expectType<MFun<2, 2, never>>(Tensor([[1, 2], [3, 4]]));
expectType<TFun<[2, 3, 4], never>>(Tensor(new Float64Array(24), [2, 3, 4]));
expectError(TVar('z', [2, 0]));
expectError(Tensor([[1, 2], [3]]));
expectAssignable<TFun>(x);
expectNotAssignable<TFun<[2, 3, 5], 'x'>>(x);
expectNotAssignable<SFun<'x'>>(x);

// Elementwise with broadcasting.
expectType<TFun<[2, 3, 4], 'x' | 'b'>>(x.add(b));
expectType<TFun<[2, 3, 4], 'x' | 'd'>>(x.div(TVar('d', [3, 1])));
expectType<TFun<[2, 3, 4], 'x' | 'b'>>(add(x, b));
expectType<MFun<3, 4, 'a' | 'c'>>(mul(TVar('a', [1, 4]), TVar('c', [3, 1])));
expectType<TFun<[2, 3, 4], 'x'>>(relu(x));
expectError(x.add(MVar('M', 5, 4)));
expectError(add(x, MVar('M', 5, 4)));
expectError(add(TVar('a', [2, 2, 2]), TVar('c', [3, 3, 3])));

// Batched matmul.
expectType<TFun<[2, 3, 5], 'x' | 'W'>>(x.matmul(W));
expectType<TFun<[2, 3, 5], 'A' | 'B'>>(matmul(MVar('A', 3, 4), TVar('B', [2, 4, 5])));
expectType<MFun<2, 3, 'x' | 'b'>>(x.matmul(b));
expectError(x.matmul(MVar('M', 5, 6)));
expectError(matmul(TVar('A', [2, 3, 4]), TVar('B', [3, 4, 5])));

// Reductions.
expectType<SFun<'x'>>(x.sum());
expectType<MFun<2, 3, 'x'>>(x.mean(-1));
expectType<VFun<3, 'x'>>(x.max([0, 2]));
expectType<TFun<[2, 3, 1], 'x'>>(x.sum(-1, { keepDims: true }));
expectType<VFun<64, 'images'>>(mean(images, [1, 2, 3]));
expectType<MFun<4, 1, 'W'>>(max(W, 1, { keepDims: true }));
expectType<SFun<'b'>>(min(b, 0));
expectError(x.sum(3));
expectError(x.max([1, -2]));
expectError(sum(x, 5));

// softmax and logSoftmax.
expectType<TFun<[2, 3, 4], 'x'>>(x.softmax(1));
expectType<MFun<4, 5, 'W'>>(logSoftmax(W));
expectError(x.softmax(3));
expectError(softmax(W, 2));

// transpose.
expectType<TFun<[2, 4, 3], 'x'>>(x.transpose([0, 2, 1]));
expectType<TFun<[4, 3, 2], 'x'>>(x.T);
expectType<TFun<[3, 2, 4], 'x'>>(transpose(x, [1, 0, 2]));
expectError(x.transpose([0, 0, 1]));
expectError(transpose(b));

// reshape.
expectType<MFun<64, 784, 'images'>>(images.reshape([64, -1]));
expectType<TFun<[2, 2, 5], 'W'>>(reshape(W, [2, 2, 5]));
expectError(images.reshape([64, 785]));
expectError(x.reshape([5, -1]));

// slice and pad.
expectType<TFun<[2, 2, 4], 'x'>>(x.slice(1, 1, 3));
expectType<TFun<[64, 24, 28, 1], 'images'>>(slice(images, 1, 2, 26));
expectType<TFun<[64, 32, 28, 1], 'images'>>(pad(images, -3, 2, 2));
expectError(x.slice(1, 1, 4));
expectError(x.pad(0, -1, 0));

// concat, stack, broadcastTo.
expectType<TFun<[2, 8, 4], 'x' | 'y'>>(x.concat(TVar('y', [2, 5, 4]), 1));
expectType<MFun<4, 7, 'W' | 'V'>>(concat([W, MVar('V', 4, 2)], 1));
expectType<TFun<[3, 2, 3, 4], 'x'>>(stack([x, x, x]));
expectType<TFun<[2, 3, 4], 'b'>>(broadcastTo(b, [2, 3, 4]));
expectError(x.concat(TVar('y', [2, 5, 5]), 1));
expectError(stack([x, TVar('y', [2, 4, 4])]));
expectError(broadcastTo(b, [2, 5]));

// gather and oneHot.
expectType<TFun<[3, 3, 4], 'x'>>(x.gather([1, 0, 1]));
expectType<MFun<4, 6, 'W' | 'i'>>(gather(W, VVar('i', 6), -1));
expectType<MFun<64, 10, 'labels'>>(oneHot(VVar('labels', 64), 10));
expectError(x.gather([0], 3));
expectError(oneHot([1, 2], 0));

// einsum.
expectType<TFun<[2, 3, 5], 'x' | 'y'>>(einsum('bij,bjk->bik', x, TVar('y', [2, 4, 5])));
expectType<MFun<4, 2, 'W' | 'V'>>(einsum('ij,jk', W, MVar('V', 5, 2)));
expectType<SFun<'x'>>(einsum('ijk->', x));
expectError(einsum('ij,jk->ik', W, MVar('V', 3, 2)));
expectError(einsum('ii->i', MVar('S', 3, 3)));

// Run-time dimensions and ranks.
const r = TVar('r', [n, 3, 4]);
expectType<TFun<[2, 3, 4], 'r' | 'x'>>(r.add(x));
expectType<MFun<number, 12, 'r'>>(r.reshape([-1, 12]));
const shape: number[] = [2, 3];
const u = TVar('u', shape);
expectType<UnknownRankFun<'u'>>(u);
expectType<UnknownRankFun<'u'>>(sum(u, 0));
expectType<VFun<6, 'u'>>(reshape(u, [6]));
expectType<SFun<'s'>>(sum(Var('s')));
