/**
 * tsd tests (TypeScript 5.9) of a user-written shape function over the exported type-level
 * arithmetic: the README's `half` computes the halved length and refuses an odd one.
 */
import { expectError, expectType } from 'tsd';
import { Vec, VVar, type Div, type VFun } from '../../src/index.js';

type Even<N extends number> = [Div<N, 2>] extends [never] ? `half: a vector of odd length ${N} has no half` : unknown;

declare function half<N extends number, V extends string>(v: VFun<N, V> & Even<N>): VFun<Div<N, 2>, V>;

expectType<VFun<2, never>>(half(Vec(1, 2, 3, 4)));
expectType<VFun<392, 'x'>>(half(VVar('x', 784)));
expectType<VFun<number, 'v'>>(half(VVar('v', 6 as number)));
expectError(half(Vec(1, 2, 3)));
expectError(half(VVar('x', 785)));
