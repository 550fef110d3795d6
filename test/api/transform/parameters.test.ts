/** Reading parameter names from a function's source, for `trace`. */
import { describe, expect, it } from 'vitest';
import { TypegradError } from '../../../src/index.js';
import { parameterNames } from '../../../src/api/transform/parameters.js';

// Built from source text, so no transpiler renames or rewrites the parameters under test.
const fromSource = (source: string): Function => new Function(`return (${source});`)() as Function;

describe('parameterNames', () => {
  it.each([
    ['(a, b) => a', ['a', 'b']],
    ['a => a', ['a']],
    ['() => 1', []],
    ['(a, b,) => a', ['a', 'b']],
    ['( a /* first ) */ , // second\n b ) => a', ['a', 'b']],
    ['function (a, b) { return a; }', ['a', 'b']],
    ['function named(x) { return x; }', ['x']],
    ['function* gen(x, y) { yield x; }', ['x', 'y']],
    ['{ method(u, v) { return u; } }.method', ['u', 'v']],
    ['{ *gen(u) { yield u; } }.gen', ['u']],
    ['{ ["computed" + 1](w) { return w; } }["computed1"]', ['w']],
    ['($x, _y, ünï) => $x', ['$x', '_y', 'ünï']],
  ])('reads %s', (source, names) => {
    expect(parameterNames(fromSource(source))).toEqual(names);
  });

  it.each([
    ['({ a }) => a', /destructured parameter/],
    ['([a]) => a', /destructured parameter/],
    ['(a = 1) => a', /default value/],
    ['(...rest) => rest', /rest parameter/],
  ])('asks for explicit names for %s', (source, message) => {
    expect(() => parameterNames(fromSource(source))).toThrow(TypegradError);
    expect(() => parameterNames(fromSource(source))).toThrow(message);
    expect(() => parameterNames(fromSource(source))).toThrow(/options\.names|names:/);
  });

  it('rejects async functions, classes and bound functions with a reason', () => {
    expect(() => parameterNames(fromSource('async (a) => a'))).toThrow(/async/);
    expect(() => parameterNames(fromSource('async function f(a) { return a; }'))).toThrow(/async/);
    expect(() => parameterNames(fromSource('class A {}'))).toThrow(/class/);
    expect(() => parameterNames(((a: number) => a).bind(null))).toThrow(/native or bound/);
  });

  it('reads a parameter named like a keyword prefix', () => {
    expect(parameterNames(fromSource('(asyncValue, functional) => asyncValue'))).toEqual(['asyncValue', 'functional']);
    expect(parameterNames(fromSource('async => async'))).toEqual(['async']);
  });
});
