/**
 * Type tests for the shape rules of src/typelevel (`shape.ts`, `einsum.ts`), run by `vitest run`
 * in typecheck mode: each rule on literal shapes, on dimensions known only at run time (`number`),
 * on shapes of unknown rank (`number[]`), and the `ShapeFault` it gives when it cannot hold.
 */
import { describe, expectTypeOf, test } from 'vitest';
import type {
  AxesUpTo, Broadcast, BroadcastDimension, DropAxes, EinsumShape, ElementCount, InsertAxis, JoinFault, KnownRank, MatmulShape, Mutable, NormalizeAxes,
  NormalizeAxis, NormalizePermutation, Permute, ReducedShape, ReshapeTarget, ShapeFault, SumAlong, TakeAxes, WithDimension,
} from '../src/typelevel/index.js';

describe('KnownRank, Mutable, ElementCount', () => {
  test('a tuple has a known rank, number[] does not', () => {
    expectTypeOf<KnownRank<[2, 3]>>().toEqualTypeOf<true>();
    expectTypeOf<KnownRank<[]>>().toEqualTypeOf<true>();
    expectTypeOf<KnownRank<number[]>>().toEqualTypeOf<false>();
    expectTypeOf<Mutable<readonly [2, 3]>>().toEqualTypeOf<[2, 3]>();
  });
  test('the product of the dimensions', () => {
    expectTypeOf<ElementCount<[64, 28, 28, 1]>>().toEqualTypeOf<50176>();
    expectTypeOf<ElementCount<[]>>().toEqualTypeOf<1>();
    expectTypeOf<ElementCount<[60000, 784]>>().toEqualTypeOf<47040000>();
    expectTypeOf<ElementCount<[number, 3]>>().toEqualTypeOf<number>();
    expectTypeOf<ElementCount<number[]>>().toEqualTypeOf<number>();
  });
});

describe('Broadcast', () => {
  test('dimensions: equal, or 1 stretches; a run-time dimension gives way to a literal', () => {
    expectTypeOf<BroadcastDimension<3, 3>>().toEqualTypeOf<3>();
    expectTypeOf<BroadcastDimension<1, 5>>().toEqualTypeOf<5>();
    expectTypeOf<BroadcastDimension<5, 1>>().toEqualTypeOf<5>();
    expectTypeOf<BroadcastDimension<number, 5>>().toEqualTypeOf<5>();
    expectTypeOf<BroadcastDimension<number, 1>>().toEqualTypeOf<number>();
    expectTypeOf<BroadcastDimension<3, 5>>().toEqualTypeOf<never>();
  });
  test('shapes aligned at the last axis, missing leading axes repeat', () => {
    expectTypeOf<Broadcast<[64, 10], [10]>>().toEqualTypeOf<[64, 10]>();
    expectTypeOf<Broadcast<[10], [64, 10]>>().toEqualTypeOf<[64, 10]>();
    expectTypeOf<Broadcast<[8, 1, 4], [3, 1]>>().toEqualTypeOf<[8, 3, 4]>();
    expectTypeOf<Broadcast<[], [2, 3]>>().toEqualTypeOf<[2, 3]>();
    expectTypeOf<Broadcast<[64, 28, 28, 1], [64, 1, 1, 1]>>().toEqualTypeOf<[64, 28, 28, 1]>();
    expectTypeOf<Broadcast<[number, 4], [3, 1]>>().toEqualTypeOf<[3, 4]>();
  });
  test('a fault names the axis of the result and both dimensions', () => {
    expectTypeOf<Broadcast<[2, 3, 4], [5, 4]>>().toEqualTypeOf<ShapeFault<'broadcast', [1, 3, 5]>>();
    expectTypeOf<Broadcast<[2], [3]>>().toEqualTypeOf<ShapeFault<'broadcast', [0, 2, 3]>>();
    expectTypeOf<Broadcast<[7, 3, 4], [2, 5, 3, 4]>>().toEqualTypeOf<ShapeFault<'broadcast', [1, 7, 5]>>();
  });
  test('an unknown rank checks nothing', () => {
    expectTypeOf<Broadcast<number[], [2]>>().toEqualTypeOf<number[]>();
  });
});

describe('axes', () => {
  test('NormalizeAxis: negative axes count from the end; out of range is never', () => {
    expectTypeOf<NormalizeAxis<-1, 4>>().toEqualTypeOf<3>();
    expectTypeOf<NormalizeAxis<-4, 4>>().toEqualTypeOf<0>();
    expectTypeOf<NormalizeAxis<2, 4>>().toEqualTypeOf<2>();
    expectTypeOf<NormalizeAxis<4, 4>>().toEqualTypeOf<never>();
    expectTypeOf<NormalizeAxis<-5, 4>>().toEqualTypeOf<never>();
    expectTypeOf<NormalizeAxis<0.5, 4>>().toEqualTypeOf<never>();
    expectTypeOf<NormalizeAxis<number, 4>>().toEqualTypeOf<number>();
    expectTypeOf<NormalizeAxis<1, number>>().toEqualTypeOf<number>();
  });
  test('NormalizeAxes: one, a list or all, sorted; faults for a missing or repeated axis', () => {
    expectTypeOf<NormalizeAxes<[-1, 0], 3>>().toEqualTypeOf<[0, 2]>();
    expectTypeOf<NormalizeAxes<1, 3>>().toEqualTypeOf<[1]>();
    expectTypeOf<NormalizeAxes<undefined, 2>>().toEqualTypeOf<[0, 1]>();
    expectTypeOf<NormalizeAxes<[], 2>>().toEqualTypeOf<[]>();
    expectTypeOf<NormalizeAxes<3, 3>>().toEqualTypeOf<ShapeFault<'axis', [3]>>();
    expectTypeOf<NormalizeAxes<[1, -2], 3>>().toEqualTypeOf<ShapeFault<'repeated axis', [-2]>>();
    expectTypeOf<NormalizeAxes<number, 3>>().toEqualTypeOf<[number]>();
    expectTypeOf<NormalizeAxes<[0, number], 3>>().toEqualTypeOf<[number, number]>();
    expectTypeOf<NormalizeAxes<number[], 3>>().toEqualTypeOf<number[]>();
    expectTypeOf<AxesUpTo<3>>().toEqualTypeOf<[0, 1, 2]>();
  });
  test('ReducedShape removes the axes, or keeps them as size 1', () => {
    expectTypeOf<ReducedShape<[2, 3, 4], [1], false>>().toEqualTypeOf<[2, 4]>();
    expectTypeOf<ReducedShape<[2, 3, 4], [0, 2], true>>().toEqualTypeOf<[1, 3, 1]>();
    expectTypeOf<ReducedShape<[2, 3, 4], [0, 1, 2], false>>().toEqualTypeOf<[]>();
    expectTypeOf<ReducedShape<[2, 3, 4], number[], true>>().toEqualTypeOf<[number, number, number]>();
    expectTypeOf<ReducedShape<[2, 3, 4], [number], false>>().toEqualTypeOf<[number, number]>();
    expectTypeOf<ReducedShape<[2, 3, 4], [number], true>>().toEqualTypeOf<[number, number, number]>();
    expectTypeOf<ReducedShape<[2, 3, 4], number[], false>>().toEqualTypeOf<number[]>();
    expectTypeOf<ReducedShape<number[], [0], false>>().toEqualTypeOf<number[]>();
  });
});

describe('layout', () => {
  test('WithDimension, TakeAxes, DropAxes, InsertAxis', () => {
    expectTypeOf<WithDimension<[2, 3, 4], 1, 7>>().toEqualTypeOf<[2, 7, 4]>();
    expectTypeOf<TakeAxes<[2, 3, 4], 2>>().toEqualTypeOf<[2, 3]>();
    expectTypeOf<DropAxes<[2, 3, 4], 1>>().toEqualTypeOf<[3, 4]>();
    expectTypeOf<InsertAxis<[2, 3], 1, 5>>().toEqualTypeOf<[2, 5, 3]>();
    expectTypeOf<InsertAxis<[2, 3], 2, 5>>().toEqualTypeOf<[2, 3, 5]>();
    expectTypeOf<InsertAxis<[], 0, 5>>().toEqualTypeOf<[5]>();
  });
  test('Permute and NormalizePermutation', () => {
    expectTypeOf<Permute<[2, 3, 4], [0, 2, 1]>>().toEqualTypeOf<[2, 4, 3]>();
    expectTypeOf<NormalizePermutation<[0, -1, 1], 3>>().toEqualTypeOf<[0, 2, 1]>();
    expectTypeOf<NormalizePermutation<undefined, 3>>().toEqualTypeOf<[2, 1, 0]>();
    expectTypeOf<NormalizePermutation<[0, 0, 1], 3>>().toEqualTypeOf<ShapeFault<'permutation', []>>();
    expectTypeOf<NormalizePermutation<[0, 1], 3>>().toEqualTypeOf<ShapeFault<'permutation', []>>();
    expectTypeOf<NormalizePermutation<[0, 1, 3], 3>>().toEqualTypeOf<ShapeFault<'permutation', []>>();
  });
  test('ReshapeTarget keeps the count and resolves one -1', () => {
    expectTypeOf<ReshapeTarget<24, [2, -1, 4]>>().toEqualTypeOf<[2, 3, 4]>();
    expectTypeOf<ReshapeTarget<24, readonly [2, 3, 4]>>().toEqualTypeOf<[2, 3, 4]>();
    expectTypeOf<ReshapeTarget<50176, [64, -1]>>().toEqualTypeOf<[64, 784]>();
    expectTypeOf<ReshapeTarget<number, [-1, 4]>>().toEqualTypeOf<[number, 4]>();
    expectTypeOf<ReshapeTarget<24, [number, 4]>>().toEqualTypeOf<[number, 4]>();
    expectTypeOf<ReshapeTarget<24, [5, 5]>>().toEqualTypeOf<ShapeFault<'reshape', ['count', 24, 25]>>();
    expectTypeOf<ReshapeTarget<24, [5, -1]>>().toEqualTypeOf<ShapeFault<'reshape', ['not divisible', 24, 5]>>();
    expectTypeOf<ReshapeTarget<24, [-1, -1]>>().toEqualTypeOf<ShapeFault<'reshape', ['two inferred']>>();
  });
  test('SumAlong and JoinFault', () => {
    expectTypeOf<SumAlong<[[2, 3], [4, 3]], 0>>().toEqualTypeOf<6>();
    expectTypeOf<JoinFault<[2, 3], [4, 3], 0>>().toEqualTypeOf<unknown>();
    expectTypeOf<JoinFault<[2, 3], [4, 5], 0>>().toEqualTypeOf<ShapeFault<'join', [1, 3, 5]>>();
    expectTypeOf<JoinFault<[2, 3], [2, 3, 1], 0>>().toEqualTypeOf<ShapeFault<'rank', [2, 3]>>();
    expectTypeOf<JoinFault<[2, number], [4, 5], 0>>().toEqualTypeOf<unknown>();
  });
});

describe('MatmulShape', () => {
  test('numpy: batch axes broadcast, vectors are promoted and dropped', () => {
    expectTypeOf<MatmulShape<[2, 3], [3, 5]>>().toEqualTypeOf<[2, 5]>();
    expectTypeOf<MatmulShape<[8, 2, 3], [3, 5]>>().toEqualTypeOf<[8, 2, 5]>();
    expectTypeOf<MatmulShape<[4, 1, 2, 3], [7, 3, 5]>>().toEqualTypeOf<[4, 7, 2, 5]>();
    expectTypeOf<MatmulShape<[3], [3, 5]>>().toEqualTypeOf<[5]>();
    expectTypeOf<MatmulShape<[8, 2, 3], [3]>>().toEqualTypeOf<[8, 2]>();
    expectTypeOf<MatmulShape<[3], [3]>>().toEqualTypeOf<[]>();
    expectTypeOf<MatmulShape<[number, 3], [3, number]>>().toEqualTypeOf<[number, number]>();
  });
  test('faults: a scalar, the inner dimensions, the batch axes', () => {
    expectTypeOf<MatmulShape<[], [3, 5]>>().toEqualTypeOf<ShapeFault<'scalar', []>>();
    expectTypeOf<MatmulShape<[2, 3], [4, 5]>>().toEqualTypeOf<ShapeFault<'inner', [3, 4]>>();
    expectTypeOf<MatmulShape<[8, 2, 3], [7, 3, 5]>>().toEqualTypeOf<ShapeFault<'batch', [[8], [7]]>>();
  });
});

describe('EinsumShape', () => {
  test('explicit and implicit outputs', () => {
    expectTypeOf<EinsumShape<'bij,bjk->bik', [[8, 2, 3], [8, 3, 5]]>>().toEqualTypeOf<[8, 2, 5]>();
    expectTypeOf<EinsumShape<'ij,jk', [[2, 3], [3, 5]]>>().toEqualTypeOf<[2, 5]>();
    expectTypeOf<EinsumShape<'ij -> ji', [[2, 3]]>>().toEqualTypeOf<[3, 2]>();
    expectTypeOf<EinsumShape<'ij->', [[2, 3]]>>().toEqualTypeOf<[]>();
    expectTypeOf<EinsumShape<'i,i', [[3], [3]]>>().toEqualTypeOf<[]>();
    expectTypeOf<EinsumShape<'i,j->ij', [[3], [4]]>>().toEqualTypeOf<[3, 4]>();
    expectTypeOf<EinsumShape<'Bi,iC', [[2, 3], [3, 5]]>>().toEqualTypeOf<[2, 5]>();
    expectTypeOf<EinsumShape<'bhqd,bhkd->bhqk', [[2, 4, 16, 8], [2, 4, 16, 8]]>>().toEqualTypeOf<[2, 4, 16, 16]>();
  });
  test('run-time dimensions take a literal seen elsewhere; a non-literal equation checks nothing', () => {
    expectTypeOf<EinsumShape<'ij,jk->ji', [[number, number], [3, 5]]>>().toEqualTypeOf<[3, number]>();
    expectTypeOf<EinsumShape<'ij,jk->ik', [[2, 3], number[]]>>().toEqualTypeOf<[2, number]>();
    expectTypeOf<EinsumShape<string, [[2, 3]]>>().toEqualTypeOf<number[]>();
  });
  test('faults', () => {
    expectTypeOf<EinsumShape<'ij,jk->ik', [[2, 3], [4, 5]]>>().toEqualTypeOf<ShapeFault<'einsum', ['dimension', 'j', 3, 0, 4, 1]>>();
    expectTypeOf<EinsumShape<'ii->i', [[3, 3]]>>().toEqualTypeOf<ShapeFault<'einsum', ['repeated', 'i', 0]>>();
    expectTypeOf<EinsumShape<'ij->k', [[3, 3]]>>().toEqualTypeOf<ShapeFault<'einsum', ['unknown output', 'k']>>();
    expectTypeOf<EinsumShape<'ij->ii', [[3, 3]]>>().toEqualTypeOf<ShapeFault<'einsum', ['repeated output', 'i']>>();
    expectTypeOf<EinsumShape<'...ij->ij', [[3, 3]]>>().toEqualTypeOf<ShapeFault<'einsum', ['not a letter', '.']>>();
    expectTypeOf<EinsumShape<'ij,jk->ik', [[3, 3]]>>().toEqualTypeOf<ShapeFault<'einsum', ['operands', 2, 1]>>();
    expectTypeOf<EinsumShape<'ijk->ik', [[3, 3]]>>().toEqualTypeOf<ShapeFault<'einsum', ['rank', 0, 'ijk', [3, 3]]>>();
    expectTypeOf<EinsumShape<'i->i->i', [[3]]>>().toEqualTypeOf<ShapeFault<'einsum', ['arrows']>>();
  });
});
