/**
 * Type tests for src/typelevel, run by `vitest run` in typecheck mode (see vitest.config.ts):
 * every `expectTypeOf` below is checked by the project's `tsc`.
 */
import { describe, expectTypeOf, test } from 'vitest';
import type { Add, Compare, Div, Eq, Gt, Gte, IsLiteral, IsNatural, Lt, Lte, Max, Min, Mul, Sub } from '../src/typelevel/index.js';

describe('Add', () => {
  test('small numbers and zero', () => {
    expectTypeOf<Add<2, 3>>().toEqualTypeOf<5>();
    expectTypeOf<Add<0, 0>>().toEqualTypeOf<0>();
    expectTypeOf<Add<0, 7>>().toEqualTypeOf<7>();
    expectTypeOf<Add<784, 128>>().toEqualTypeOf<912>();
  });
  test('carries, including one that adds a digit', () => {
    expectTypeOf<Add<5, 5>>().toEqualTypeOf<10>();
    expectTypeOf<Add<999, 1>>().toEqualTypeOf<1000>();
    expectTypeOf<Add<1, 999>>().toEqualTypeOf<1000>();
    expectTypeOf<Add<999999999, 1>>().toEqualTypeOf<1000000000>();
    expectTypeOf<Add<456, 789>>().toEqualTypeOf<1245>();
  });
  test('large numbers up to 15 digits', () => {
    expectTypeOf<Add<1000000000, 1000000000>>().toEqualTypeOf<2000000000>();
    expectTypeOf<Add<999999999999999, 0>>().toEqualTypeOf<999999999999999>();
    expectTypeOf<Add<123456789012345, 876543210987654>>().toEqualTypeOf<999999999999999>();
  });
  test('number operands give number, invalid literals give never, unions distribute', () => {
    expectTypeOf<Add<number, 128>>().toEqualTypeOf<number>();
    expectTypeOf<Add<784, number>>().toEqualTypeOf<number>();
    expectTypeOf<Add<-1, 2>>().toEqualTypeOf<never>();
    expectTypeOf<Add<1.5, 2>>().toEqualTypeOf<never>();
    expectTypeOf<Add<1 | 2, 10>>().toEqualTypeOf<11 | 12>();
  });
});

describe('Sub', () => {
  test('borrows', () => {
    expectTypeOf<Sub<5, 3>>().toEqualTypeOf<2>();
    expectTypeOf<Sub<1000, 1>>().toEqualTypeOf<999>();
    expectTypeOf<Sub<1000000000, 1>>().toEqualTypeOf<999999999>();
    expectTypeOf<Sub<912, 128>>().toEqualTypeOf<784>();
    expectTypeOf<Sub<1001, 999>>().toEqualTypeOf<2>();
  });
  test('zero results and zero operands', () => {
    expectTypeOf<Sub<5, 5>>().toEqualTypeOf<0>();
    expectTypeOf<Sub<784, 0>>().toEqualTypeOf<784>();
    expectTypeOf<Sub<0, 0>>().toEqualTypeOf<0>();
  });
  test('a negative result is never', () => {
    expectTypeOf<Sub<1, 2>>().toEqualTypeOf<never>();
    expectTypeOf<Sub<0, 1>>().toEqualTypeOf<never>();
    expectTypeOf<Sub<999, 1000>>().toEqualTypeOf<never>();
  });
  test('number operands give number', () => {
    expectTypeOf<Sub<number, 1>>().toEqualTypeOf<number>();
    expectTypeOf<Sub<1, number>>().toEqualTypeOf<number>();
  });
});

describe('Mul', () => {
  test('small numbers, carries and zero', () => {
    expectTypeOf<Mul<3, 4>>().toEqualTypeOf<12>();
    expectTypeOf<Mul<9, 9>>().toEqualTypeOf<81>();
    expectTypeOf<Mul<99, 99>>().toEqualTypeOf<9801>();
    expectTypeOf<Mul<0, 784>>().toEqualTypeOf<0>();
    expectTypeOf<Mul<784, 0>>().toEqualTypeOf<0>();
    expectTypeOf<Mul<1, 784>>().toEqualTypeOf<784>();
    expectTypeOf<Mul<105, 10>>().toEqualTypeOf<1050>();
  });
  test('realistic and large sizes', () => {
    expectTypeOf<Mul<60000, 784>>().toEqualTypeOf<47040000>();
    expectTypeOf<Mul<784, 128>>().toEqualTypeOf<100352>();
    expectTypeOf<Mul<31623, 31623>>().toEqualTypeOf<1000014129>();
    expectTypeOf<Mul<999999999, 999999>>().toEqualTypeOf<999998999000001>();
    expectTypeOf<Mul<1000000000, 1000>>().toEqualTypeOf<1000000000000>();
  });
  test('number operands give number', () => {
    expectTypeOf<Mul<number, 0>>().toEqualTypeOf<number>();
    expectTypeOf<Mul<784, number>>().toEqualTypeOf<number>();
  });
});

describe('Div', () => {
  test('exact division', () => {
    expectTypeOf<Div<12, 4>>().toEqualTypeOf<3>();
    expectTypeOf<Div<47040000, 784>>().toEqualTypeOf<60000>();
    expectTypeOf<Div<47040000, 60000>>().toEqualTypeOf<784>();
    expectTypeOf<Div<1000000000, 1>>().toEqualTypeOf<1000000000>();
    expectTypeOf<Div<999998999000001, 999999999>>().toEqualTypeOf<999999>();
    expectTypeOf<Div<784, 784>>().toEqualTypeOf<1>();
    expectTypeOf<Div<0, 5>>().toEqualTypeOf<0>();
  });
  test('inexact division and division by zero are never', () => {
    expectTypeOf<Div<7, 2>>().toEqualTypeOf<never>();
    expectTypeOf<Div<47040001, 784>>().toEqualTypeOf<never>();
    expectTypeOf<Div<3, 4>>().toEqualTypeOf<never>();
    expectTypeOf<Div<5, 0>>().toEqualTypeOf<never>();
    expectTypeOf<Div<0, 0>>().toEqualTypeOf<never>();
  });
  test('number operands give number', () => {
    expectTypeOf<Div<number, 2>>().toEqualTypeOf<number>();
    expectTypeOf<Div<784, number>>().toEqualTypeOf<number>();
  });
});

describe('Eq', () => {
  test('literals', () => {
    expectTypeOf<Eq<784, 784>>().toEqualTypeOf<true>();
    expectTypeOf<Eq<2, 3>>().toEqualTypeOf<false>();
    expectTypeOf<Eq<0, 0>>().toEqualTypeOf<true>();
    expectTypeOf<Eq<-1.5, -1.5>>().toEqualTypeOf<true>();
  });
  test('number operands and unions give boolean', () => {
    expectTypeOf<Eq<number, 3>>().toEqualTypeOf<boolean>();
    expectTypeOf<Eq<3, number>>().toEqualTypeOf<boolean>();
    expectTypeOf<Eq<1 | 2, 1>>().toEqualTypeOf<boolean>();
  });
});

describe('Compare, Lt, Lte, Gt, Gte', () => {
  test('Compare orders by value, not by string', () => {
    expectTypeOf<Compare<99, 100>>().toEqualTypeOf<'lt'>();
    expectTypeOf<Compare<100, 99>>().toEqualTypeOf<'gt'>();
    expectTypeOf<Compare<100, 100>>().toEqualTypeOf<'eq'>();
    expectTypeOf<Compare<19, 91>>().toEqualTypeOf<'lt'>();
    expectTypeOf<Compare<number, 1>>().toEqualTypeOf<'lt' | 'eq' | 'gt'>();
  });
  test('Lt', () => {
    expectTypeOf<Lt<2, 3>>().toEqualTypeOf<true>();
    expectTypeOf<Lt<3, 2>>().toEqualTypeOf<false>();
    expectTypeOf<Lt<3, 3>>().toEqualTypeOf<false>();
    expectTypeOf<Lt<0, 1>>().toEqualTypeOf<true>();
    expectTypeOf<Lt<999999999, 1000000000>>().toEqualTypeOf<true>();
    expectTypeOf<Lt<1000000000, 999999999>>().toEqualTypeOf<false>();
    expectTypeOf<Lt<number, 1>>().toEqualTypeOf<boolean>();
    expectTypeOf<Lt<-1, 1>>().toEqualTypeOf<never>();
  });
  test('Lte, Gt, Gte', () => {
    expectTypeOf<Lte<3, 3>>().toEqualTypeOf<true>();
    expectTypeOf<Lte<4, 3>>().toEqualTypeOf<false>();
    expectTypeOf<Gt<10, 9>>().toEqualTypeOf<true>();
    expectTypeOf<Gt<9, 9>>().toEqualTypeOf<false>();
    expectTypeOf<Gte<784, 785>>().toEqualTypeOf<false>();
    expectTypeOf<Gte<785, 785>>().toEqualTypeOf<true>();
    expectTypeOf<Gte<785, number>>().toEqualTypeOf<boolean>();
  });
});

describe('Max, Min', () => {
  test('pick an operand', () => {
    expectTypeOf<Max<128, 784>>().toEqualTypeOf<784>();
    expectTypeOf<Max<784, 128>>().toEqualTypeOf<784>();
    expectTypeOf<Max<0, 0>>().toEqualTypeOf<0>();
    expectTypeOf<Min<128, 784>>().toEqualTypeOf<128>();
    expectTypeOf<Min<1000000000, 999999999>>().toEqualTypeOf<999999999>();
  });
  test('number operands give number', () => {
    expectTypeOf<Max<128, number>>().toEqualTypeOf<number>();
    expectTypeOf<Min<number, 128>>().toEqualTypeOf<number>();
  });
});

describe('IsLiteral, IsNatural', () => {
  test('IsLiteral', () => {
    expectTypeOf<IsLiteral<3>>().toEqualTypeOf<true>();
    expectTypeOf<IsLiteral<0>>().toEqualTypeOf<true>();
    expectTypeOf<IsLiteral<number>>().toEqualTypeOf<false>();
  });
  test('IsNatural', () => {
    expectTypeOf<IsNatural<784>>().toEqualTypeOf<true>();
    expectTypeOf<IsNatural<0>>().toEqualTypeOf<true>();
    expectTypeOf<IsNatural<-1>>().toEqualTypeOf<false>();
    expectTypeOf<IsNatural<1.5>>().toEqualTypeOf<false>();
    expectTypeOf<IsNatural<1e21>>().toEqualTypeOf<false>();
    expectTypeOf<IsNatural<number>>().toEqualTypeOf<false>();
  });
});
