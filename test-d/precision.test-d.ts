/**
 * Types of the arbitrary-precision API and of surfacePlot: results by rank (a number for a
 * scalar Fun, a tensor otherwise), bindings checked against the variables, positional
 * parameters, and surfacePlot's domain keyed by the function's variables.
 */
import type { Decimal } from 'decimal.js';
import { describe, expectTypeOf, test } from 'vitest';
import { compileDecimal, compileExact, evalDecimal, evalExact, Var, VVar, type DecimalPrecision, type ExactPrecision, type Fraction, type PreciseInput, type PreciseNumber, type PreciseTensor } from '../src/index.js';
import { surfacePlot } from '../src/viz/index.js';

const x = Var('x'), y = Var('y'), v = VVar('v', 3);

describe('evalDecimal and evalExact', () => {
  test('a scalar Fun gives a number, a vector a tensor, with their precision', () => {
    expectTypeOf(evalDecimal(x.mul(y), { x: 1, y: '0.5' })).toEqualTypeOf<PreciseNumber<Decimal, DecimalPrecision>>();
    expectTypeOf(evalDecimal(v.mul(x), { v: [1, '1/3', 2n], x: 1 })).toEqualTypeOf<PreciseTensor<Decimal, DecimalPrecision>>();
    expectTypeOf(evalExact(x, { x: { numerator: 1n, denominator: 3n } })).toEqualTypeOf<PreciseNumber<Fraction, ExactPrecision>>();
    expectTypeOf(evalExact(x, { x: 1 }).value.numerator).toEqualTypeOf<bigint>();
  });
  test('bindings name exactly the variables', () => {
    // @ts-expect-error: y is missing
    evalDecimal(x.mul(y), { x: 1 });
    // @ts-expect-error: w is not a variable
    evalExact(x, { x: 1, w: 2 });
    // @ts-expect-error: a boolean is no value
    evalDecimal(x, { x: true });
  });
});

describe('compileDecimal and compileExact', () => {
  test('results in the shape of the Funs; positional parameters with args', () => {
    const f = compileDecimal({ value: x.mul(y), vector: v }, { digits: 30 });
    expectTypeOf(f).parameter(0).toEqualTypeOf<{ readonly x: PreciseInput; readonly y: PreciseInput; readonly v: PreciseInput }>();
    expectTypeOf(f({ x: 1, y: 2, v: [1, 2, 3] }).vector).toEqualTypeOf<PreciseTensor<Decimal, DecimalPrecision>>();
    const g = compileExact([x, y.mul(x)], { args: [x, y] });
    expectTypeOf(g('1/2', 3)).toEqualTypeOf<[PreciseNumber<Fraction, ExactPrecision>, PreciseNumber<Fraction, ExactPrecision>]>();
  });
});

describe('surfacePlot', () => {
  test('the domain gives every variable a range or a value, and nothing else', () => {
    expectTypeOf(surfacePlot(x.mul(y), { x: [0, 1], y: [0, 1] })).toEqualTypeOf<string>();
    surfacePlot(x.mul(y).mul(Var('t')), { x: [0, 1], y: [0, 1], t: 0.5 });
    // @ts-expect-error: y is missing
    surfacePlot(x.mul(y), { x: [0, 1] });
    // @ts-expect-error: w is not a variable
    surfacePlot(x.mul(y), { x: [0, 1], y: [0, 1], w: 1 });
    // @ts-expect-error: a vector Fun is no surface
    surfacePlot(v, { v: [0, 1] });
  });
});
