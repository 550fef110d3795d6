/**
 * tsd tests for src/typelevel, checked by TypeScript 5.9 (tsd's bundled compiler) via
 * `npm run test:tsd`; the vitest type tests in ../arithmetic.test-d.ts cover TypeScript 7.
 * Excluded from tsconfig.json because `expectError` lines are real type errors for tsc.
 * The package.json beside this file exists only to point tsd at src/typelevel (see there).
 */
import { expectError, expectType } from 'tsd';
import type { Add, Div, Eq, Gte, IsLiteral, IsNatural, Lt, Max, Mul, Sub } from '../../src/typelevel/index.js';

declare function value<T>(): T;

expectType<912>(value<Add<784, 128>>());
expectType<1000000000>(value<Add<999999999, 1>>());
expectType<0>(value<Add<0, 0>>());
expectType<number>(value<Add<number, 1>>());

expectType<999>(value<Sub<1000, 1>>());
expectType<never>(value<Sub<1, 2>>());
expectType<number>(value<Sub<number, 1>>());

expectType<47040000>(value<Mul<60000, 784>>());
expectType<0>(value<Mul<0, 784>>());
expectType<999998999000001>(value<Mul<999999999, 999999>>());
expectType<number>(value<Mul<784, number>>());

expectType<60000>(value<Div<47040000, 784>>());
expectType<never>(value<Div<7, 2>>());
expectType<never>(value<Div<7, 0>>());
expectType<number>(value<Div<number, 2>>());

expectType<true>(value<Eq<784, 784>>());
expectType<false>(value<Eq<2, 3>>());
expectType<boolean>(value<Eq<2, number>>());
expectType<true>(value<Lt<999999999, 1000000000>>());
expectType<false>(value<Lt<3, 3>>());
expectType<boolean>(value<Lt<number, 3>>());
expectType<true>(value<Gte<3, 3>>());
expectType<784>(value<Max<128, 784>>());
expectType<false>(value<IsLiteral<number>>());
expectType<false>(value<IsNatural<-1>>());

// Operands must be numbers (TS2344: type does not satisfy the constraint).
expectError(value<Add<'1', 2>>());
expectError(value<Mul<2, '3'>>());

// A computed dimension where a specific one is required (TS2345: argument not assignable).
declare function takesLengthThree(vector: { length: 3 }): void;
takesLengthThree(value<{ length: Add<1, 2> }>());
expectError(takesLengthThree(value<{ length: Add<2, 2> }>()));
