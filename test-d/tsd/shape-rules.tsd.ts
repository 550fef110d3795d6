/**
 * tsd tests of the shape rules in src/typelevel (shape.ts, einsum.ts), checked by TypeScript 5.9
 * via `npm run test:tsd`; ../shape-rules.test-d.ts covers the same rules with TypeScript 7.
 */
import { expectType } from 'tsd';
import type {
  Broadcast, EinsumShape, ElementCount, JoinFault, MatmulShape, NormalizeAxes, NormalizeAxis, NormalizePermutation, Permute, ReducedShape, ReshapeTarget,
  ShapeFault,
} from '../../src/typelevel/index.js';

declare function value<T>(): T;

expectType<50176>(value<ElementCount<[64, 28, 28, 1]>>());
expectType<number>(value<ElementCount<[number, 3]>>());

expectType<[64, 10]>(value<Broadcast<[64, 10], [10]>>());
expectType<[8, 3, 4]>(value<Broadcast<[8, 1, 4], [3, 1]>>());
expectType<[3, 4]>(value<Broadcast<[number, 4], [3, 1]>>());
expectType<ShapeFault<'broadcast', [1, 3, 5]>>(value<Broadcast<[2, 3, 4], [5, 4]>>());
expectType<number[]>(value<Broadcast<number[], [2]>>());

expectType<3>(value<NormalizeAxis<-1, 4>>());
expectType<never>(value<NormalizeAxis<4, 4>>());
expectType<[0, 2]>(value<NormalizeAxes<[-1, 0], 3>>());
expectType<[0, 1]>(value<NormalizeAxes<undefined, 2>>());
expectType<ShapeFault<'axis', [3]>>(value<NormalizeAxes<3, 3>>());
expectType<ShapeFault<'repeated axis', [-2]>>(value<NormalizeAxes<[1, -2], 3>>());
expectType<[2, 4]>(value<ReducedShape<[2, 3, 4], [1], false>>());
expectType<[1, 3, 1]>(value<ReducedShape<[2, 3, 4], [0, 2], true>>());

expectType<[2, 4, 3]>(value<Permute<[2, 3, 4], [0, 2, 1]>>());
expectType<[0, 2, 1]>(value<NormalizePermutation<[0, -1, 1], 3>>());
expectType<ShapeFault<'permutation', []>>(value<NormalizePermutation<[0, 0, 1], 3>>());

expectType<[2, 3, 4]>(value<ReshapeTarget<24, [2, -1, 4]>>());
expectType<[number, 4]>(value<ReshapeTarget<24, [number, 4]>>());
expectType<ShapeFault<'reshape', ['count', 24, 25]>>(value<ReshapeTarget<24, [5, 5]>>());
expectType<ShapeFault<'reshape', ['not divisible', 24, 5]>>(value<ReshapeTarget<24, [5, -1]>>());

expectType<unknown>(value<JoinFault<[2, 3], [4, 3], 0>>());
expectType<ShapeFault<'join', [1, 3, 5]>>(value<JoinFault<[2, 3], [4, 5], 0>>());

expectType<[8, 2, 5]>(value<MatmulShape<[8, 2, 3], [3, 5]>>());
expectType<[5]>(value<MatmulShape<[3], [3, 5]>>());
expectType<ShapeFault<'inner', [3, 4]>>(value<MatmulShape<[2, 3], [4, 5]>>());
expectType<ShapeFault<'batch', [[8], [7]]>>(value<MatmulShape<[8, 2, 3], [7, 3, 5]>>());

expectType<[8, 2, 5]>(value<EinsumShape<'bij,bjk->bik', [[8, 2, 3], [8, 3, 5]]>>());
expectType<[2, 5]>(value<EinsumShape<'ij,jk', [[2, 3], [3, 5]]>>());
expectType<[3, number]>(value<EinsumShape<'ij,jk->ji', [[number, number], [3, 5]]>>());
expectType<ShapeFault<'einsum', ['dimension', 'j', 3, 0, 4, 1]>>(value<EinsumShape<'ij,jk->ik', [[2, 3], [4, 5]]>>());
expectType<ShapeFault<'einsum', ['repeated', 'i', 0]>>(value<EinsumShape<'ii->i', [[3, 3]]>>());
