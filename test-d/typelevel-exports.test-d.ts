/**
 * The type-level arithmetic as users import it from 'typegrad': one test per exported type,
 * each both ways (the value it computes, and what it refuses or leaves to run time).
 */
import { describe, expectTypeOf, test } from 'vitest';
import type { Add, Compare, Div, Eq, Gt, Gte, IsLiteral, IsNatural, Lt, Lte, Max, Min, Mul, Sub } from '../src/index.js';

describe('type-level arithmetic exported from typegrad', () => {
  test('Add', () => {
    expectTypeOf<Add<784, 128>>().toEqualTypeOf<912>();
    expectTypeOf<Add<-1, 2>>().toEqualTypeOf<never>();
    expectTypeOf<Add<number, 2>>().toEqualTypeOf<number>();
  });
  test('Sub', () => {
    expectTypeOf<Sub<1000, 1>>().toEqualTypeOf<999>();
    expectTypeOf<Sub<1, 2>>().toEqualTypeOf<never>();
  });
  test('Mul', () => {
    expectTypeOf<Mul<60000, 784>>().toEqualTypeOf<47040000>();
    expectTypeOf<Mul<1.5, 2>>().toEqualTypeOf<never>();
  });
  test('Div', () => {
    expectTypeOf<Div<47040000, 784>>().toEqualTypeOf<60000>();
    expectTypeOf<Div<7, 2>>().toEqualTypeOf<never>();
    expectTypeOf<Div<7, 0>>().toEqualTypeOf<never>();
  });
  test('Eq', () => {
    expectTypeOf<Eq<784, 784>>().toEqualTypeOf<true>();
    expectTypeOf<Eq<2, 3>>().toEqualTypeOf<false>();
    expectTypeOf<Eq<2, number>>().toEqualTypeOf<boolean>();
  });
  test('Compare', () => {
    expectTypeOf<Compare<99, 100>>().toEqualTypeOf<'lt'>();
    expectTypeOf<Compare<100, 100>>().toEqualTypeOf<'eq'>();
    expectTypeOf<Compare<-1, 100>>().toEqualTypeOf<never>();
  });
  test('Lt', () => {
    expectTypeOf<Lt<999999999, 1000000000>>().toEqualTypeOf<true>();
    expectTypeOf<Lt<5, 5>>().toEqualTypeOf<false>();
  });
  test('Lte', () => {
    expectTypeOf<Lte<3, 3>>().toEqualTypeOf<true>();
    expectTypeOf<Lte<4, 3>>().toEqualTypeOf<false>();
  });
  test('Gt', () => {
    expectTypeOf<Gt<10, 9>>().toEqualTypeOf<true>();
    expectTypeOf<Gt<9, 10>>().toEqualTypeOf<false>();
  });
  test('Gte', () => {
    expectTypeOf<Gte<785, 784>>().toEqualTypeOf<true>();
    expectTypeOf<Gte<784, 785>>().toEqualTypeOf<false>();
    expectTypeOf<Gte<784, number>>().toEqualTypeOf<boolean>();
  });
  test('Max', () => {
    expectTypeOf<Max<128, 784>>().toEqualTypeOf<784>();
    expectTypeOf<Max<128, number>>().toEqualTypeOf<number>();
  });
  test('Min', () => {
    expectTypeOf<Min<128, 784>>().toEqualTypeOf<128>();
    expectTypeOf<Min<-3, 784>>().toEqualTypeOf<never>();
  });
  test('IsLiteral', () => {
    expectTypeOf<IsLiteral<3>>().toEqualTypeOf<true>();
    expectTypeOf<IsLiteral<number>>().toEqualTypeOf<false>();
  });
  test('IsNatural', () => {
    expectTypeOf<IsNatural<784>>().toEqualTypeOf<true>();
    expectTypeOf<IsNatural<-1>>().toEqualTypeOf<false>();
    expectTypeOf<IsNatural<2.5>>().toEqualTypeOf<false>();
  });
});
