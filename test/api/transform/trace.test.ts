/** trace: a function run once on symbols, called with numbers, columns or bindings. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  cos, exp, isTraced, MVar, sin, trace, TypegradError, Var, VVar, type MFun, type SFun, type TFun, type Traced, type VFun,
} from '../../../src/index.js';

// A module-level variable with a parameter's name: transpilers may rename the parameter then
// (esbuild renames `x` to `x2` when bundling to CommonJS), which is why `names` exists.
const outside = Var('outside');

describe('trace', () => {
  it('names the inputs after the parameters and keeps the expression', () => {
    const f = trace((x, y) => x.mul(y).add(sin(x)));
    expect(isTraced(f)).toBe(true);
    expect(f.names).toEqual(['x', 'y']);
    expect(f.symbols.map(String)).toEqual(['x', 'y']);
    expect(f.expr.toString()).toBe('x * y + sin(x)');
    expectTypeOf(f).toEqualTypeOf<Traced<readonly [x: SFun<string>, y: SFun<string>], SFun<string>>>();
    expectTypeOf(f).toBeCallableWith(1, 2);
  });

  it('is called with numbers, with bindings, and with columns (one compiled loop)', () => {
    const f = trace((x, y) => x.mul(y).add(sin(x)));
    expect(f(1, 2)).toBe(2 + Math.sin(1));
    expect(f({ x: 1, y: 2 })).toBe(2 + Math.sin(1));
    const column = f(new Float64Array([1, 2]), new Float64Array([3, 4]));
    expect(column).toBeInstanceOf(Float64Array);
    expect([...column]).toEqual([3 + Math.sin(1), 8 + Math.sin(2)]);
    expect([...f([1], [3])]).toEqual([3 + Math.sin(1)]);
    const number: number = f(1, 2);
    const columns: Float64Array = f(new Float64Array(1), new Float64Array(1));
    expect([number, columns.length]).toEqual([2 + Math.sin(1), 1]);
  });

  it('traces function expressions and methods, and takes explicit names', () => {
    expect(trace(function (a: SFun<string>) { return a.neg(); }).names).toEqual(['a']);
    const model = { energy(p: SFun<string>, q: SFun<string>) { return p.mul(p).add(q); } };
    expect(trace(model.energy).names).toEqual(['p', 'q']);
    const named = trace((...args: SFun<string>[]) => args[0]!.mul(args[1]!), { names: ['u', 'v'] });
    expect(named.names).toEqual(['u', 'v']);
    expect(named(3, 4)).toBe(12);
    expect(() => trace((({ u }: { u: SFun<string> }) => u) as never)).toThrow(/destructured parameter.*names/);
  });

  it('returns arrays and records of results in their structure, in both modes', () => {
    const f = trace((x, y) => ({ sum: x.add(y), parts: [x, y.mul(2)], constant: 7 }));
    expect(f(1, 2)).toEqual({ sum: 3, parts: [1, 4], constant: 7 });
    const batch = f(new Float64Array([1, 2]), new Float64Array([3, 4]));
    expect(Array.from(batch.sum)).toEqual([4, 6]);
    expect(Array.from(batch.parts[1])).toEqual([6, 8]);
    expectTypeOf(f(1, 2)).toEqualTypeOf<{ sum: number; parts: number[]; constant: number }>();
  });

  it('lets a function use other Funs and constants of its own', () => {
    const f = trace((x) => exp(x).add(cos(outside).at({ outside: 0 })));
    expect(f(0)).toBe(2);
  });

  it('takes tensor inputs by shape and evaluates them', () => {
    const f = trace((W: MFun<2, 2>, v: VFun<2>) => W.matmul(v).sum(), { shapes: { W: [2, 2], v: [2] } });
    expect(f.symbols[0].node.shape).toEqual([2, 2]);
    expect(f([[1, 2], [3, 4]], [1, 1])).toBe(10);
    const g = trace((v: VFun<2>) => v.mul(2), { shapes: { v: [2] } });
    expect(g([1, 2])).toEqual([2, 4]);
  });

  it('explains every misuse', () => {
    const f = trace((x, y) => x.mul(y));
    expect(() => (f as unknown as (...a: unknown[]) => unknown)(1)).toThrow(/takes 2 argument\(s\) \(x, y\), got 1/);
    expect(() => (f as unknown as (...a: unknown[]) => unknown)(1, 'two')).toThrow(/argument 2 \('y'\) must be a number/);
    expect(() => (f as unknown as (...a: unknown[]) => unknown)(new Float64Array(1), 2)).toThrow(/argument 2 \('y'\) must be a column/);
    expect(() => f({ x: 1, z: 2 } as never)).toThrow(/'z' is not an input/);
    expect(() => f({ x: 1 } as never)).toThrow(/missing value for input 'y'/);
    expect(() => trace((x) => x.mul(outside))).toThrow(/depends on the variable 'outside', which is not an input/);
    expect(() => trace((x) => [x, 'text'] as never)).toThrow(/result leaf 1 is the string "text"/);
    expect(() => trace((x) => [] as SFun<string>[])).toThrow(/holds no Fun or number/);
    expect(() => trace(42 as never)).toThrow(TypegradError);
    expect(() => trace((x) => x, { nmaes: ['x'] } as never)).toThrow(/unknown option 'nmaes'/);
    expect(() => trace((x) => x, { names: ['x', 'x'] })).toThrow(/given twice/);
    expect(() => trace((x, y) => x, { static: { z: 1 } })).toThrow(/static argument 'z' is not a parameter/);
    expect(() => trace((x) => x, { shapes: { x: [2, 0] } })).toThrow(/shape of 'x': a dimension must be a positive integer, got 0/);
    expect(() => trace((x) => x, { shapes: { x: 3 as never } })).toThrow(/shape of 'x' must be an array of dimensions/);
  });

  it('is the identity on an already traced function', () => {
    const f = trace((x) => x);
    expect(trace(f as never)).toBe(f);
  });

  it('shows the JavaScript it compiles to', () => {
    const f = trace((x, y) => x.mul(y));
    expect(f.toSource()).toContain('x0 * x1');
    expect(f.toSource({ batch: true })).toContain('for (');
  });

  it('compiles a function of tensors of any rank, and shows its source', () => {
    const f = trace((x: MFun<2, 2>) => x.sum(), { shapes: { x: [2, 2] } });
    expect(f.toSource()).toMatch(/function chunk0\(A, s, p, E\)/);
    expect(f([[1, 2], [3, 4]])).toBe(10);
    const g = trace((t: TFun<[2, 2, 2], string>) => t.mul(2), { shapes: { t: [2, 2, 2] } });
    expect(g([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])).toEqual([[[2, 4], [6, 8]], [[10, 12], [14, 16]]]);
  });

  it('accepts Var-built vector symbols', () => {
    expect(VVar('v', 2)).toBeDefined();
    expect(MVar('M', 1, 1)).toBeDefined();
  });
});
