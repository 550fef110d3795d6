/** Printing: readable infix and LaTeX with minimal parentheses. */
import { describe, expect, it } from 'vitest';
import { abs, Const, cbrt, exp, log, sigmoid, sin, sqrt, toLatex, Var } from '../../src/index.js';

const x = Var('x'), y = Var('y'), a = Var('a'), b = Var('b'), c = Var('c');

describe('infix', () => {
  it.each([
    [y.mul(sin(x.mul(y)).sub(x)), 'y * (sin(x * y) - x)'],
    [a.sub(b.sub(c)), 'a - (b - c)'],
    [a.sub(b).sub(c), 'a - b - c'],
    [a.add(b.add(c)), 'a + b + c'],
    [a.div(b.mul(c)), 'a / (b * c)'],
    [a.div(b).sub(c), 'a / b - c'],
    [c.mul(a.div(b)), 'c * (a / b)'], // operands of · and + are sorted: constants first, then by age
    [a.mul(b.add(c)), 'a * (b + c)'],
    [a.pow(b.pow(c)), 'a ^ b ^ c'],
    [a.pow(b).pow(c), '(a ^ b) ^ c'],
    [a.neg().pow(2), '(-a) ^ 2'],
    [a.pow(2).neg(), '-a ^ 2'],
    [a.add(b).neg(), '-(a + b)'],
    [a.pow(-1), 'a ^ (-1)'],
    [log(x, 2), 'log(x, 2)'],
    [Const(0.5).mul(x), '0.5 * x'],
  ])('%s', (f, text) => {
    expect(String(f)).toBe(text);
  });
  it('prints a heavily shared DAG with named subexpressions instead of expanding it', () => {
    let f = x.add(1);
    for (let i = 0; i < 40; i++) f = f.mul(f.add(1)); // the tree form would have 2⁴⁰ leaves
    const text = String(f);
    expect(text).toMatch(/\nwhere\n {2}t1 = /);
    expect(text.length).toBeLessThan(10_000);
  });
});

describe('LaTeX', () => {
  it.each([
    [y.mul(sin(x.mul(y)).sub(x)), 'y \\cdot \\left(\\sin\\left(x \\cdot y\\right) - x\\right)'],
    [sin(x).div(2), '\\frac{\\sin\\left(x\\right)}{2}'],
    [x.add(1).pow(y.add(1)), '\\left(1 + x\\right)^{1 + y}'],
    [sqrt(x), '\\sqrt{x}'],
    [cbrt(x), '\\sqrt[3]{x}'],
    [abs(x), '\\left|x\\right|'],
    [log(x, 10), '\\log_{10}\\left(x\\right)'],
    [exp(x.neg()), '\\exp\\left(-x\\right)'],
    [sigmoid(x), '\\sigma\\left(x\\right)'],
    [Const(1e-20).mul(x), '1 \\times 10^{-20} \\cdot x'],
  ])('%s', (f, text) => {
    expect(toLatex(f)).toBe(text);
  });
});

describe('a Fun printed by Node and by JSON', () => {
  it('console.log and util.inspect show the expression; JSON.stringify gives it as a string', async () => {
    const { inspect } = await import('node:util');
    const f = y.mul(sin(x.mul(y)).sub(x));
    expect(inspect(f)).toBe('y * (sin(x * y) - x)');
    expect(inspect({ loss: f, parts: [x, Const(2)] })).toBe('{ loss: y * (sin(x * y) - x), parts: [ x, 2 ] }');
    expect(JSON.stringify(f)).toBe('"y * (sin(x * y) - x)"');
    expect(JSON.parse(JSON.stringify({ f, g: [x] }))).toEqual({ f: 'y * (sin(x * y) - x)', g: ['x'] });
    const { MVar, TVar } = await import('../../src/index.js');
    expect(inspect(MVar('W', 2, 3).T)).toBe(String(MVar('W', 2, 3).T));
    expect(JSON.stringify(TVar('t', [2, 2, 2]))).toBe('"t"');
  });
});
