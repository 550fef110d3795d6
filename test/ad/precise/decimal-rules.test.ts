/**
 * Decimal evaluation of every elementwise primitive: against values computed here from
 * independent series in BigInt (π, e, √2, ln 2 and functions at rational points, to 50 digits),
 * against published constants, and against the float64 reference on IEEE's special values.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { apply } from '../../../src/ad/build.js';
import { evaluateNodes } from '../../../src/ad/evaluate.js';
import { constantNode, variableNode, type Node } from '../../../src/ad/node.js';
import { DECIMAL_REFUSED, decimalRules, decimalSystem } from '../../../src/ad/precise/decimal-rules.js';
import { preciseProgram } from '../../../src/ad/precise/evaluate.js';
import { elementwisePrimitives, type PrimitiveName } from '../../../src/ad/primitives/index.js';
import { agreesToDigits, atan, cbrt, cos, div, exp, fixed, ln, mul, PI, sin, sqrt, type Fixed } from '../../support/series.js';

const x = variableNode('x');
const y = variableNode('y');
const z = variableNode('z');
const op = (name: string, ...args: Node[]) => apply(name, args);

/** `node` at x (and y), in decimals of `digits` working digits, rounded to 50 significant digits. */
function at(node: Node, values: readonly string[], digits = 70): string {
  const D = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_HALF_EVEN });
  const inputs = [x, y].slice(0, values.length);
  const [result] = preciseProgram([node], inputs).run(decimalSystem(D, 'test'), values.map((v) => [new D(v)]));
  return result![0]!.toPrecision(50);
}

const third: Fixed = fixed(1n, 3n), half: Fixed = fixed(1n, 2n);

describe('decimal rules', () => {
  it('have an entry for every elementwise primitive', () => {
    expect(Object.keys(decimalRules).sort()).toEqual(Object.keys(elementwisePrimitives).sort());
  });

  it('give π, e, √2 and ln 2 to 50 digits as published', () => {
    const pi = apply('acos', [constantNode(-1)]);
    expect(at(pi, [])).toBe('3.1415926535897932384626433832795028841971693993751');
    expect(at(op('exp', x), ['1'])).toBe('2.7182818284590452353602874713526624977572470937000');
    expect(at(op('sqrt', x), ['2'])).toBe('1.4142135623730950488016887242096980785696718753769');
    expect(at(op('ln', x), ['2'])).toBe('0.69314718055994530941723212145817656807550013436026');
  });

  // Each case: the node, its arguments, and the value from the series in test/support/series.ts.
  const cases: [string, Node, string[], Fixed][] = [
    ['π (acos −1) against Machin', apply('acos', [constantNode(-1)]), [], PI],
    ['exp 1/2', op('exp', x), ['0.5'], exp(half)],
    ['exp −3', op('exp', x), ['-3'], exp(fixed(-3n))],
    ['ln 3/2', op('ln', x), ['1.5'], ln(fixed(3n, 2n))],
    ['ln 10', op('ln', x), ['10'], ln(fixed(10n))],
    ['log₂ 10', op('log', x, y), ['10', '2'], div(ln(fixed(10n)), ln(fixed(2n)))],
    ['sin 1/3', op('sin', x), ['0.3333333333333333333333333333333333333333333333333333333333333333333333333333'], sin(third)],
    ['cos 2', op('cos', x), ['2'], cos(fixed(2n))],
    ['tan 1/2', op('tan', x), ['0.5'], div(sin(half), cos(half))],
    ['asin 1/2 = π/6', op('asin', x), ['0.5'], PI / 6n],
    ['acos 1/2 = π/3', op('acos', x), ['0.5'], PI / 3n],
    ['atan 1/7', op('atan', x), ['0.142857142857142857142857142857142857142857142857142857142857142857142857142857'], atan(fixed(1n, 7n))],
    ['sinh 2', op('sinh', x), ['2'], (exp(fixed(2n)) - exp(fixed(-2n))) / 2n],
    ['cosh 1/2', op('cosh', x), ['0.5'], (exp(half) + exp(-half)) / 2n],
    ['tanh 3/4', op('tanh', x), ['0.75'], div(exp(fixed(3n, 2n)) - fixed(1n), exp(fixed(3n, 2n)) + fixed(1n))],
    ['√3', op('sqrt', x), ['3'], sqrt(fixed(3n))],
    ['∛2', op('cbrt', x), ['2'], cbrt(fixed(2n))],
    ['∛−5', op('cbrt', x), ['-5'], -cbrt(fixed(5n))],
    ['2^(1/3) by pow', op('pow', x, y), ['2', '0.333333333333333333333333333333333333333333333333333333333333333333333333333333'], cbrt(fixed(2n))],
    ['sigmoid 1', op('sigmoid', x), ['1'], div(fixed(1n), fixed(1n) + exp(fixed(-1n)))],
    ['softplus 1/2', op('softplus', x), ['0.5'], ln(fixed(1n) + exp(half))],
    ['softplus −50 (the value e^−50, not 0)', op('softplus', x), ['-50'], ln(fixed(1n) + exp(fixed(-50n)))],
    ['(3/2)^7 / 5', op('div', op('pow', x, constantNode(7)), y), ['1.5', '5'], fixed(3n ** 7n, 2n ** 7n * 5n)],
    ['e^(1/2)·sin(1/2) − 1/3', op('sub', op('mul', op('exp', x), op('sin', x)), y), ['0.5', '0.33333333333333333333333333333333333333333333333333333333333333333333333333'], mul(exp(half), sin(half)) - third],
  ];

  it.each(cases)('%s: 50 digits against an independent series', (_name, node, args, reference) => {
    expect(agreesToDigits(at(node, args), reference, 50), `${at(node, args)} vs ${reference}`).toBe(true);
  });

  it('follow the float64 reference on IEEE special values (NaN, ±∞, ±0, outside the domain)', () => {
    const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2, -2, 0.5];
    const D = Decimal.clone({ precision: 40 });
    const system = decimalSystem(D, 'test');
    const few = [NaN, Infinity, -Infinity, 0, -0, 1, -1];
    for (const [name, primitive] of Object.entries(elementwisePrimitives)) {
      const args =
        primitive.arity === 1 ? specials.map((a) => [a])
        : primitive.arity === 2 ? specials.flatMap((a) => specials.map((b) => [a, b]))
        : few.flatMap((a) => few.flatMap((b) => few.map((c) => [a, b, c])));
      for (const values of args) {
        const node = apply(name, values.map((_, i) => [x, y, z][i]!));
        if (DECIMAL_REFUSED.has(name as PrimitiveName)) {
          expect(() => system.elementwise[name as PrimitiveName](values.map((v) => new D(v))), name).toThrow(/no arbitrary-precision rule/);
          continue;
        }
        const expected = evaluateNodes([node], new Map(values.map((v, i) => [[x, y, z][i]!.name, v])))[0]!;
        const got = system.elementwise[name as keyof typeof system.elementwise](values.map((v) => new D(v)));
        const value = got.toNumber();
        // A finite result: to float64 precision; otherwise the same special value.
        const same = Number.isFinite(expected) ? Math.abs(value - expected) <= 1e-15 * Math.max(1, Math.abs(expected)) : Object.is(value, expected) || (Number.isNaN(value) && Number.isNaN(expected));
        expect(same, `${name}(${values.join(', ')}): float64 ${expected}, decimal ${got.toString()}`).toBe(true);
      }
    }
  });
});
