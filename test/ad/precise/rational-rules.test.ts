/**
 * Exact evaluation: every elementwise primitive has a rule; arithmetic and comparisons are
 * exact; elementary functions give their rational values and refuse, with the reason, the
 * irrational ones and the points where IEEE would give NaN or an infinity.
 */
import { describe, expect, it } from 'vitest';
import { Rational } from '../../../src/ad/algebra/rational.js';
import { TypegradError } from '../../../src/ad/errors.js';
import { exactIntegerRoot, rationalRules, rationalSystem } from '../../../src/ad/precise/rational-rules.js';
import { elementwisePrimitives } from '../../../src/ad/primitives/index.js';

const r = (n: bigint | number, d: bigint | number = 1) => Rational.of(BigInt(n), BigInt(d));
const apply = (op: keyof typeof rationalRules, ...args: Rational[]) => rationalRules[op](args).toString();

describe('rational rules', () => {
  it('have an entry for every elementwise primitive', () => {
    expect(Object.keys(rationalRules).sort()).toEqual(Object.keys(elementwisePrimitives).sort());
  });

  it('compute arithmetic, powers and the piecewise functions exactly', () => {
    expect(apply('add', r(1, 3), r(1, 6))).toBe('1/2');
    expect(apply('sub', r(1, 3), r(1, 2))).toBe('-1/6');
    expect(apply('mul', r(-2, 3), r(9, 4))).toBe('-3/2');
    expect(apply('div', r(1, 3), r(2, 9))).toBe('3/2');
    expect(apply('neg', r(5, 7))).toBe('-5/7');
    expect(apply('pow', r(2, 3), r(-3))).toBe('27/8');
    expect(apply('pow', r(8, 27), r(2, 3))).toBe('4/9');
    expect(apply('pow', r(-8), r(1, 3))).toBe('-2');
    expect(apply('pow', r(0), r(0))).toBe('1');
    expect(apply('pow', r(-1), r(10n ** 30n))).toBe('1');
    expect(apply('sqrt', r(9, 4))).toBe('3/2');
    expect(apply('cbrt', r(-27, 64))).toBe('-3/4');
    expect(apply('log', r(1, 8), r(4))).toBe('-3/2');
    expect(apply('log', r(2n ** 128n), r(16))).toBe('32');
    expect(apply('abs', r(-3, 2))).toBe('3/2');
    expect(apply('relu', r(-3, 2))).toBe('0');
    expect(apply('sign', r(-3, 2))).toBe('-1');
    expect(apply('heaviside', r(0))).toBe('0');
    expect(apply('equal', r(2, 4), r(1, 2))).toBe('1');
  });

  it('give the one rational value of each transcendental function', () => {
    expect(['exp', 'cos', 'cosh'].map((f) => apply(f as 'exp', r(0)))).toEqual(['1', '1', '1']);
    expect(['sin', 'tan', 'asin', 'atan', 'sinh', 'tanh'].map((f) => apply(f as 'sin', r(0)))).toEqual(['0', '0', '0', '0', '0', '0']);
    expect(apply('ln', r(1))).toBe('0');
    expect(apply('acos', r(1))).toBe('0');
    expect(apply('sigmoid', r(0))).toBe('1/2');
  });

  it('refuse irrational values with the reason', () => {
    const refuses = (op: keyof typeof rationalRules, args: Rational[], words: RegExp) => {
      expect(() => rationalRules[op](args)).toThrow(TypegradError);
      expect(() => rationalRules[op](args)).toThrow(words);
    };
    refuses('exp', [r(1, 3)], /exp\(1\/3\) is irrational \(Lindemann–Weierstrass/);
    refuses('sin', [r(2)], /sin\(2\) is irrational \(Niven/);
    refuses('sqrt', [r(2)], /sqrt\(2\) is irrational/);
    refuses('pow', [r(2), r(1, 2)], /pow\(2, 1\/2\) is irrational/);
    refuses('log', [r(8), r(3)], /log\(8, 3\) is irrational \(8 and 3 are not rational powers of one number\)/);
    refuses('softplus', [r(0)], /softplus\(0\) is irrational/);
    refuses('div', [r(1), r(0)], /div\(1, 0\) is a division by zero, which no rational is/);
    refuses('ln', [r(-1)], /ln\(-1\) is the logarithm of a negative number/);
    refuses('sqrt', [r(-4)], /the square root of a negative number/);
    refuses('asin', [r(2)], /outside \[−1, 1\]/);
    refuses('pow', [r(0), r(-1)], /division by zero/);
    refuses('pow', [r(3), r(10n ** 7n)], /would have more than 1000000 bits/);
  });

  it('find integer roots exactly, also of numbers beyond float64', () => {
    expect(exactIntegerRoot(3n ** 100n, 2)).toBe(3n ** 50n);
    expect(exactIntegerRoot(3n ** 100n + 1n, 2)).toBeUndefined();
    expect(exactIntegerRoot(7n ** 60n, 5)).toBe(7n ** 12n);
  });

  it('read constants as the fractions they stand for', () => {
    const system = rationalSystem('test');
    expect(system.constant(0.1).toString()).toBe('1/10');
    expect(system.constant(1 / 3).toString()).toBe('1/3');
    // 0.30000000000000004 is no small fraction: its exact binary value.
    expect(system.constant(0.1 + 0.2).toString()).toBe('1351079888211149/4503599627370496');
    expect(() => system.constant(NaN)).toThrow(/the constant NaN is not a rational number/);
  });
});
