/**
 * tsd tests of the shape rules (issue 3), checked by TypeScript 5.9 (tsd's bundled compiler) via
 * `npm run test:tsd`; ../shapes.test-d.ts checks the same rules with TypeScript 7 and
 * ../fixtures/fail/shapes-*.ts pins the messages. Each rule both ways: `expectType` for what it
 * accepts, `expectError` for what it rejects.
 */
import { expectError, expectNotAssignable, expectType } from 'tsd';
import {
  add, concat, div, dot, Mat, matmul, mul, MVar, outer, relu, sub, sum, transpose, Var, Vec, VVar,
  type MFun, type SFun, type VFun,
} from '../../src/index.js';

const x = Var('x');
const y = Var('y');
const w = VVar('w', 3);
const W = MVar('W', 2, 3);
declare const n: number;

// Constructors.
expectType<VFun<3, never>>(Vec(1, 2, 3));
expectType<VFun<2, 'x' | 'y'>>(Vec(x, y.mul(2)));
expectType<MFun<2, 3, never>>(Mat([1, 2, 3], [4, 5, 6]));
expectType<MFun<2, 2, 'x'>>(Mat([x, 1], [2, 3]));
expectError(Mat([1, 2], [3]));
expectType<VFun<3, 'w'>>(VVar('w', 3));
expectType<MFun<2, 3, 'W'>>(MVar('W', 2, 3));
expectType<VFun<number, 'v'>>(VVar('v', n));

// Elementwise on equal shapes; the union trap; scalars and row vectors broadcast.
expectType<VFun<3, 'w'>>(w.add(Vec(1, 2, 3)));
expectType<VFun<3, 'w' | 'v'>>(w.sub(VVar('v', 3)));
expectType<MFun<2, 3, 'W'>>(W.mul(W));
expectType<VFun<3, 'w'>>(add(w, Vec(1, 2, 3)));
expectType<MFun<2, 3, 'W' | 'V'>>(div(W, MVar('V', 2, 3)));
expectError(Vec(1, 2).add(Vec(1, 2, 3)));
expectError(add(Vec(1, 2), Vec(1, 2, 3)));
expectError(sub(w, Vec(1, 2)));
expectError(W.mul(MVar('V', 3, 2)));
expectError(mul(W, MVar('V', 3, 2)));
expectType<VFun<3, 'w' | 'x'>>(w.mul(x));
expectType<VFun<3, 'w'>>(add(2, w));
expectType<MFun<2, 3, 'W' | 'x'>>(sub(x, W));
expectType<MFun<2, 3, 'W' | 'w'>>(W.add(w));
expectType<MFun<2, 3, 'W' | 'w'>>(mul(w, W));
expectError(W.add(Vec(1, 2)));
expectError(add(Vec(1, 2), W));
expectType<MFun<2, 3, 'W'>>(relu(W));
expectNotAssignable<SFun<'W'>>(W);
expectNotAssignable<SFun<'w'>>(w);
expectError(x.add(W));

// Products.
expectType<MFun<2, 4, 'W' | 'V'>>(W.matmul(MVar('V', 3, 4)));
expectType<VFun<2, 'W' | 'w'>>(W.matmul(w));
expectType<MFun<2, 4, 'W' | 'V'>>(matmul(W, MVar('V', 3, 4)));
expectType<VFun<2, 'W' | 'w'>>(matmul(W, w));
expectType<VFun<3, 'W'>>(matmul(Vec(1, 2), W));
expectError(W.matmul(MVar('V', 2, 2)));
expectError(matmul(W, MVar('V', 2, 2)));
expectError(matmul(W, Vec(1, 2)));
expectError(matmul(w, w));
expectType<SFun<'w'>>(w.dot(Vec(1, 2, 3)));
expectType<SFun<'w' | 'v'>>(dot(w, VVar('v', 3)));
expectError(w.dot(Vec(1, 2)));
expectError(dot(Vec(1, 2), w));
expectType<MFun<3, 2, 'w'>>(outer(w, Vec(1, 2)));
expectType<MFun<3, 2, 'W'>>(W.T);
expectType<MFun<3, 2, 'W'>>(transpose(W));
expectError(transpose(w));

// Reductions and layout.
expectType<SFun<'W'>>(sum(W));
expectType<VFun<3, 'W'>>(W.sum(0));
expectType<VFun<2, 'W'>>(W.sum(1));
expectType<VFun<5, 'w'>>(w.concat(Vec(1, 2)));
expectType<VFun<912, 'a' | 'b'>>(concat(VVar('a', 784), VVar('b', 128)));
expectError(W.concat(MVar('V', 2, 2)));
expectType<VFun<2, 'w'>>(w.slice(1, 3));
expectError(w.slice(2, 4));
expectError(w.slice(2, 1));
expectType<MFun<2, 3, 'v'>>(VVar('v', 6).reshape(2, 3));
expectError(VVar('v', 4).reshape(3, 2));
expectType<SFun<'w'>>(w.get(2));
expectError(w.get(3));
expectError(W.get(2, 0));

// Run-time dimensions mix with literals.
expectType<VFun<3, 'w' | 'v'>>(add(w, VVar('v', n)));
expectType<VFun<3, 'w' | 'v'>>(w.add(VVar('v', n)));
expectType<SFun<'w' | 'v'>>(dot(w, VVar('v', n)));
expectType<MFun<2, number, 'W' | 'A'>>(matmul(W, MVar('A', 3, n)));
expectType<MFun<2, number, 'W' | 'A'>>(W.matmul(MVar('A', n, n)));
expectType<SFun<'w'>>(w.get(n));
