/**
 * Extreme sizes: wide programs of 200,000 variables or leaves (every spread of inputs into a
 * call overflowed the stack), 200,000-deep chains, gradients of many variables in linear time,
 * intermediates too large to allocate: a correct value or a TypegradError, never a RangeError.
 */
import { describe, expect, it } from 'vitest';
import { compile, flatten, grad, MVar, sin, sum, trace, TypegradError, unflatten, Var, VVar, type SFun } from '../../src/index.js';

const WIDE = 200_000;

describe('wide programs', () => {
  it(`compile of a sum of ${WIDE} variables, at a point and on a batch`, () => {
    const variables = Array.from({ length: WIDE }, (_, i) => Var(`v${i}`));
    let total: SFun<string> = variables[0]!;
    for (let i = 1; i < WIDE; i++) total = total.add(variables[i]!);
    const bindings: Record<string, number> = {};
    for (let i = 0; i < WIDE; i++) bindings[`v${i}`] = i % 7;
    const expected = variables.reduce((s, _, i) => s + (i % 7), 0);
    expect(compile(total)(bindings as never)).toBe(expected);
    const columns: Record<string, number[]> = {};
    for (let i = 0; i < WIDE; i++) columns[`v${i}`] = [i % 7, 1];
    expect(Array.from(compile(total, { batch: true })(columns as never) as Float64Array)).toEqual([expected, WIDE]);
  }, 120_000);
  it(`trace of a function returning ${WIDE} leaves, and flatten/unflatten of ${WIDE} leaves`, () => {
    const f = trace((x: SFun<'x'>) => Array.from({ length: WIDE }, (_, i) => x.mul(i % 5)));
    const out = (f as unknown as (x: number) => number[])(2);
    expect(out.length).toBe(WIDE);
    expect(out[WIDE - 1]).toBe(2 * ((WIDE - 1) % 5));
    const tree = { a: Array.from({ length: WIDE }, (_, i) => i), b: [1, [2, 3]] };
    const { leaves, treedef } = flatten(tree);
    expect(leaves.length).toBe(WIDE + 3);
    expect(unflatten(treedef, leaves)).toEqual(tree);
  }, 120_000);
  it('compile(grad(Σ vᵢ²)) of 30,000 variables (each gradient built its own declared set: quadratic)', () => {
    const n = 30_000;
    const variables = Array.from({ length: n }, (_, i) => Var(`w${i}`));
    let total: SFun<string> = variables[0]!.mul(variables[0]!);
    for (let i = 1; i < n; i++) total = total.add(variables[i]!.mul(variables[i]!));
    const bindings: Record<string, number> = {};
    for (let i = 0; i < n; i++) bindings[`w${i}`] = i;
    const g = compile(grad(total) as never)(bindings as never) as Record<string, number>;
    expect(g[`w${n - 1}`]).toBe(2 * (n - 1));
    expect(Object.keys(g).length).toBe(n);
  }, 120_000);
});

describe('deep programs', () => {
  it('a 200,000-deep chain compiles and runs at a point, on a batch and as a vector', () => {
    const x = Var('x');
    let f: SFun<'x'> = x;
    for (let i = 0; i < 200_000; i++) f = sin(f);
    let expected = 0.5;
    for (let i = 0; i < 200_000; i++) expected = Math.sin(expected);
    expect(compile(f)({ x: 0.5 })).toBeCloseTo(expected, 12);
    expect((compile(f, { batch: true })({ x: [0.5] }) as Float64Array)[0]).toBeCloseTo(expected, 12);
    const v = VVar('x', 2);
    let g = v;
    for (let i = 0; i < 20_000; i++) g = sin(g);
    expect(Array.from(compile(g)({ x: [0.5, 0.5] }) as ArrayLike<number>)[0]).toBeCloseTo(Array.from({ length: 20_000 }).reduce<number>((s) => Math.sin(s), 0.5), 12);
  }, 120_000);
});

describe('sizes beyond memory', () => {
  it('a 10⁵×10⁵ variable: compile(W.sum()) holds no buffer, a wrong binding is a TypegradError', () => {
    const W = MVar('W', 100_000, 100_000);
    const f = compile(sum(W));
    expect(() => f({ W: [[1]] } as never)).toThrow(TypegradError);
  });
  it('an intermediate of 10¹⁰ values is a TypegradError at the call, not a RangeError at compile', () => {
    const a = VVar('a', 100_000), b = VVar('b', 100_000);
    const f = compile(sum(a.outer(b)));
    expect(() => f({ a: new Float64Array(100_000), b: new Float64Array(100_000) })).toThrow(/an intermediate of 10000000000 values .* cannot be allocated/);
  });
});
