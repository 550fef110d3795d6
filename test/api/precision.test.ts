/**
 * The arbitrary-precision API: evalDecimal/compileDecimal (decimal.js, loaded by initDecimal)
 * and evalExact/compileExact. Results carry their precision; inputs are read exactly; misuse
 * is a TypegradError naming the variable or the option.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  compileDecimal, compileExact, Const, customVjp, erf, erfc, lgamma, tanh, type SFun, d, evalDecimal, evalExact, exp, initDecimal, matmul, MVar, pi, sin, softmax, sqrt, TypegradError, Var, Vec, VVar,
} from '../../src/index.js';
import { agreesToDigits, fixed, type Fixed } from '../support/series.js';

const x = Var('x'), y = Var('y');

describe('evalDecimal', () => {
  it('asks for initDecimal first', () => {
    expect(() => evalDecimal(exp(x), { x: 1 })).toThrow(/evalDecimal: decimal\.js is not loaded; call `await initDecimal\(\)` first/);
  });

  it('loads decimal.js once and returns its constructor', async () => {
    const Loaded = await initDecimal();
    expect(new Loaded('0.1').plus('0.2').toString()).toBe('0.3');
    expect(await initDecimal()).toBe(Loaded);
    await expect(initDecimal(42 as never)).rejects.toThrow(/initDecimal: expected decimal\.js's Decimal constructor, got number 42/);
  });

  it('gives results with their precision: every digit asked for, trailing zeros too', () => {
    const e = evalDecimal(exp(x), { x: 1 });
    expect(e.toString()).toBe('2.7182818284590452353602874713526624977572470937000');
    expect(e.precision).toEqual({ kind: 'decimal', digits: 50, correctDigits: 50, workingDigits: 80 });
    expect(e.value).toBeInstanceOf(Decimal);
    expect(e.toNumber()).toBe(Math.E);
    const half = evalDecimal(x.div(2), { x: 1 }, { digits: 5 });
    expect(half.toString()).toBe('0.50000');
    expect(evalDecimal(pi, {}, { digits: 20 }).toString()).toBe('3.1415926535897932385');
    expect(evalDecimal(x.mul(1e30), { x: 3 }, { digits: 3 }).toString()).toBe('3.00e+30');
  });

  it('raises the working precision until two runs agree, through cancellation', () => {
    // e^x − 1 − x at x = 10⁻²⁰ cancels 40 digits: 60 working digits leave about 20 right.
    const f = exp(x).sub(1).sub(x);
    const r = evalDecimal(f, { x: '1e-20' });
    let term: Fixed = fixed(1n, 10n ** 40n), reference = 0n;
    for (let k = 2n; term !== 0n; k++) {
      term /= k; // x^k/k! with x = 10⁻²⁰, starting from x²/2
      reference += term;
      term /= 10n ** 20n;
    }
    expect(agreesToDigits(r.toString(), reference, 50), r.toString()).toBe(true);
    expect(r.precision.correctDigits).toBe(50);
    expect(r.precision.workingDigits).toBeGreaterThan(100);
  });

  it('says when digits are noise: sin π is 0, but not in any finite precision', () => {
    const r = evalDecimal(sin(pi), {}, { digits: 30 });
    expect(r.precision.correctDigits).toBe(0);
    expect(Math.abs(r.toNumber())).toBeLessThan(1e-100);
  });

  it('reads inputs exactly: numbers as the fractions they stand for, strings, fractions, bigints, Decimals', () => {
    const third = evalDecimal(x, { x: 1 / 3 }, { digits: 30 }).toString();
    expect(third).toBe('0.333333333333333333333333333333');
    expect(evalDecimal(x, { x: 0.1 }, { digits: 20 }).toString()).toBe('0.10000000000000000000');
    expect(evalDecimal(x.mul(3), { x: '1/3' }, { digits: 10 }).toString()).toBe('1.000000000');
    expect(evalDecimal(x.add(y), { x: { numerator: 1n, denominator: 7n }, y: 10n ** 25n }, { digits: 30 }).toString()).toBe('1.00000000000000000000000001429e+25');
    expect(evalDecimal(x.sub(1), { x: new Decimal('1.000000000000000000000000000000000000000000000000000000001') }).toString()).toBe('1.0000000000000000000000000000000000000000000000000e-57');
    expect(evalDecimal(x, { x: '-2.5e-3' }, { digits: 2 }).toString()).toBe('-0.0025');
  });

  it('evaluates tensors: vectors, matrices, softmax', () => {
    const v = VVar('v', 3), M = MVar('M', 2, 2);
    const s = evalDecimal(softmax(v), { v: [0, 0, '0'] }, { digits: 10 });
    expect(s.shape).toEqual([3]);
    expect(s.toString()).toBe('[0.3333333333, 0.3333333333, 0.3333333333]');
    expect(evalDecimal(matmul(M, M), { M: [['0.1', '0.2'], ['0.3', '0.4']] }, { digits: 3 }).toString()).toBe('[[0.0700, 0.100], [0.150, 0.220]]');
    expect(Array.from(evalDecimal(v.mul(2), { v: new Float64Array([1, 2, 3]) }).toNumbers())).toEqual([2, 4, 6]);
  });

  it('refuses bad digits, bindings and values with messages that name them', () => {
    expect(() => evalDecimal(x, { x: 1 }, { digits: 0 })).toThrow(/evalDecimal: options.digits must be an integer from 1 to 480, got number 0/);
    expect(() => evalDecimal(x, { x: 1 }, { digits: 1000 })).toThrow(TypegradError);
    expect(() => evalDecimal(x, { x: 'one' })).toThrow(/evalDecimal: variable 'x' must be a number, a decimal string \('0\.1'\), a fraction .* got the string "one"/);
    expect(() => evalDecimal(x, { x: '1/0' })).toThrow(/variable 'x' must be/);
    expect(() => evalDecimal(x, { x: 1, w: 2 } as never)).toThrow(/evalDecimal: 'w' is not a variable of this function/);
    expect(() => evalDecimal(x.add(y), { x: 1 } as never)).toThrow(/evalDecimal: missing value for variable 'y'/);
    expect(() => evalDecimal(VVar('v', 3).sum(), { v: [1, 2] })).toThrow(/evalDecimal: variable 'v' is a vector\[3\], got an array of length 2 at depth 0/);
    expect(() => evalDecimal(VVar('v', 2).sum(), { v: [1, 'x'] })).toThrow(/variable 'v' \(element 1\) must be/);
  });
});

describe('compileDecimal', () => {
  it('compiles several Funs once, positionally or with bindings, in their shape', () => {
    const f = sin(x).mul(exp(x));
    const positional = compileDecimal([f, d(f, x)], { digits: 30, args: [x] });
    const [value, slope] = positional('0.5');
    expect(value.toString()).toBe(evalDecimal(f, { x: '0.5' }, { digits: 30 }).toString());
    expect(slope.toNumber()).toBeCloseTo(Math.exp(0.5) * (Math.sin(0.5) + Math.cos(0.5)), 14);
    const record = compileDecimal({ f, g: Vec(x, y) }, { digits: 8 });
    const out = record({ x: 1, y: '1/3' });
    expect(out.f.toString()).toBe('2.2873553');
    expect(out.g.toString()).toBe('[1.0000000, 0.33333333]');
    expect(() => (positional as (...values: unknown[]) => unknown)()).toThrow(/decimal function takes 1 argument\(s\) \(x\), got 0 argument\(s\)/);
  });
});

describe('evalExact and compileExact', () => {
  it('compute in exact rationals, results as fractions', () => {
    const r = evalExact(x.pow(3).sub(x.div(3)), { x: '2/3' });
    expect(r.toString()).toBe('2/27');
    expect(r.value.numerator).toBe(2n);
    expect(r.value.denominator).toBe(27n);
    expect(r.precision).toEqual({ kind: 'exact' });
    expect(r.toNumber()).toBe(2 / 27);
    expect(evalExact(x.mul(Const(1).div(3)), { x: 0.1 }).toString()).toBe('1/30');
    expect(evalExact(sqrt(x).add(exp(y)), { x: '9/4', y: 0 }).toString()).toBe('5/2');
    const M = MVar('M', 2, 2);
    expect(evalExact(matmul(M, M), { M: [['1/2', 1], [0, 2]] }).toString()).toBe('[[1/4, 5/2], [0, 4]]');
    expect(compileExact(x.mul(x), { args: [x] })(123456789012345678901234567890n).toString()).toBe('15241578753238836750495351562536198787501905199875019052100');
  });

  it('refuses irrational values and non-rational inputs, saying why', () => {
    expect(() => evalExact(exp(x), { x: '1/3' })).toThrow(/exact evaluation: exp\(1\/3\) is irrational .*; evaluate it with evalDecimal/);
    expect(() => evalExact(x, { x: NaN })).toThrow(/evalExact: variable 'x' is bound to NaN, which is not a rational number/);
    expect(() => evalExact(x.div(y), { x: 1, y: 0 })).toThrow(/div\(1, 0\) is a division by zero/);
  });

  it('gives the nearest double of fractions beyond float64 range', () => {
    const big = evalExact(x.pow(400).div(y.pow(400)), { x: 10n ** 2n, y: 3 });
    expect(big.toNumber()).toBe(Infinity);
    expect(evalExact(x.pow(400).div(y.pow(399)), { x: 10n, y: 10n }).toNumber()).toBe(10);
    expect(evalExact(x.div(y), { x: 1n, y: 3n ** 700n }).toNumber()).toBeCloseTo(3 ** -700 * 1, 320);
  });
});

describe('evalDecimal of the operations from JAX', () => {
  it('gives erf and erfc to every digit asked for, and evaluates a custom-derivative function by its primal', async () => {
    await initDecimal();
    // erf 1 and erfc 3 to 60 digits (checked with mpmath).
    expect(evalDecimal(erf(x), { x: 1 }, { digits: 60 }).toString()).toBe('0.842700792949714869341220635082609259296066997966302908459938');
    expect(evalDecimal(erfc(x), { x: 3 }, { digits: 30 }).toString()).toBe('0.0000220904969985854413727761295823');
    expect(evalDecimal(erfc(x), { x: 10 }, { digits: 20 }).toString()).toBe('2.0884875837625447570e-45');
    const softclip = customVjp((t: SFun<string>) => tanh(t).mul(2), ([t], _out, seed) => [seed.mul(2)]);
    expect(evalDecimal(softclip(x), { x: 0.5 }, { digits: 30 }).toString()).toBe('0.924234314520019517004636967287');
    expect(() => evalDecimal(lgamma(x), { x: 0.5 })).toThrow(/evalDecimal: lgamma\(0\.5\) has no arbitrary-precision rule/);
  });
});
