/** grad, valueAndGrad, jacobian and hessian of traced functions, and how they compose. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  grad, hessian, jacobian, jit, MVar, sin, trace, TypegradError, valueAndGrad, Var, Vec, VVar, type MFun, type SFun, type Traced, type VFun,
} from '../../../src/index.js';

describe('grad of a traced function', () => {
  const f = trace((x, y) => x.mul(x).mul(y).add(sin(y)));

  it('is a traced function of the same inputs giving ∂f/∂(first input) by default', () => {
    const dfdx = grad(f);
    expect(dfdx.names).toEqual(['x', 'y']);
    expect(dfdx.expr.toString()).toBe('2 * x * y');
    expect(dfdx(3, 2)).toBe(12);
    expectTypeOf(dfdx).toEqualTypeOf<Traced<readonly [x: SFun<string>, y: SFun<string>], SFun<string>>>();
  });

  it('picks inputs with wrt: one index or name gives one derivative, a list gives a tuple', () => {
    expect(grad(f, { wrt: 1 })(3, 2)).toBeCloseTo(9 + Math.cos(2), 14);
    expect(grad(f, { wrt: 'y' })(3, 2)).toBeCloseTo(9 + Math.cos(2), 14);
    const both = grad(f, { wrt: [0, 'y'] });
    const [gx, gy] = both(3, 2);
    expect(gx).toBe(12);
    expect(gy).toBeCloseTo(9 + Math.cos(2), 14);
    expectTypeOf(both(3, 2)).toEqualTypeOf<[number, number]>();
  });

  it('composes: grad(grad(f)) is the second derivative, mixed by wrt', () => {
    expect(grad(grad(f))(3, 2)).toBe(4); // ∂²/∂x² = 2y
    expect(grad(grad(f), { wrt: 'y' })(3, 2)).toBe(6); // ∂²/∂y∂x = 2x
    const cube = trace((x) => x.pow(3));
    expect(grad(grad(grad(cube)))(5)).toBe(6);
    expect(grad(grad(grad(grad(cube))))(5)).toBe(0);
  });

  it('composes with jit both ways and works on columns', () => {
    expect(jit(grad(grad(f)))(3, 2)).toBe(4);
    expect(grad(jit(f))(3, 2)).toBe(12);
    expect(Array.from(grad(f)(new Float64Array([1, 2]), new Float64Array([3, 3])))).toEqual([6, 12]);
  });

  it('traces a plain function first', () => {
    const g = grad((x: SFun<string>) => x.mul(x));
    expect(g(5)).toBe(10);
    expect(grad(grad((x) => sin(x)))(0)).toBeCloseTo(0, 15);
  });

  it('gives tensor-shaped gradients for tensor inputs', () => {
    const loss = trace((W: MFun<2, 2>, v: VFun<2>) => W.matmul(v).sum(), { shapes: { W: [2, 2], v: [2] } });
    const gW = grad(loss);
    expect(gW([[1, 2], [3, 4]], [5, 6])).toEqual([[5, 6], [5, 6]]);
    expect(grad(loss, { wrt: 'v' })([[1, 2], [3, 4]], [5, 6])).toEqual([4, 6]);
  });

  it('explains misuse', () => {
    expect(() => grad(f, { wrt: 2 })).toThrow(/wrt 2 is not an input index; the function has 2 input\(s\) \(x, y\)/);
    expect(() => grad(f, { wrt: 'z' })).toThrow(/wrt 'z' is not an input; the inputs are x, y/);
    expect(() => grad(f, { wrt: [0, 'x'] })).toThrow(/lists the input 'x' twice/);
    expect(() => grad(f, { wrt: [] })).toThrow(/lists no inputs/);
    expect(() => grad(f, { with: 0 } as never)).toThrow(/unknown option 'with'/);
    expect(() => grad(trace((x) => [x, x]) as never)).toThrow(/must return one scalar, it returns 2 values; use jacobian/);
    expect(() => grad(trace((v: VFun<2>) => v, { shapes: { v: [2] } }) as never)).toThrow(/returns a vector/);
    expect(() => grad(trace(() => Var('q').at({ q: 1 })) as never)).toThrow(/no inputs/);
    expect(() => grad(3 as never)).toThrow(TypegradError);
  });
});

describe('grad by a pytree of variables', () => {
  it('returns the structure of the tree, with each gradient of its variable\'s shape', () => {
    const W1 = MVar('W1', 2, 2), b1 = VVar('b1', 2), W2 = MVar('W2', 1, 2), b2 = Var('b2');
    const input = Vec(1, -1);
    const loss = W2.matmul(W1.matmul(input).add(b1)).sum().add(b2).pow(2);
    const g = grad(loss, { layer1: { W: W1, b: b1 }, layer2: [W2, b2] });
    expectTypeOf(g.layer1.W).toEqualTypeOf<MFun<2, 2, 'W1' | 'b1' | 'W2' | 'b2'>>();
    expectTypeOf(g.layer2[1]).toEqualTypeOf<SFun<'W1' | 'b1' | 'W2' | 'b2'>>();
    expect(Object.keys(g).sort()).toEqual(['layer1', 'layer2']);
    expect(Object.keys(g.layer1).sort()).toEqual(['W', 'b']);
    const at = { W1: [[1, 0], [0, 1]], b1: [0, 0], W2: [[1, 1]], b2: 1 };
    // loss = (W2·(W1·u + b1) + b2)², here (0 + 1)² with u = (1, −1): dloss/db2 = 2, dloss/db1 = 2·W2ᵀ.
    expect(g.layer2[1].eval(at)).toBe(2);
    expect(g.layer1.b.eval(at)).toEqual([2, 2]);
    expect(g.layer1.W.eval(at)).toEqual([[2, -2], [2, -2]]);
    expect(g.layer2[0].eval(at)).toEqual([[2, -2]]);
  });

  it('keeps the flat forms as they were', () => {
    const x = Var('x'), y = Var('y');
    expect(Object.keys(grad(x.mul(y), [x, y]))).toEqual(['x', 'y']);
    expect(grad(x.mul(y), { a: x }).a.toString()).toBe('y');
  });

  it('names a leaf that is not a variable', () => {
    const x = Var('x');
    expect(() => grad(x.mul(x), { deep: [x.mul(2)] } as never)).toThrow(/expected a variable made by Var, VVar or MVar, got the expression 2 \* x/);
  });
});

describe('valueAndGrad', () => {
  it('returns [value, gradient] from one program', () => {
    const vg = valueAndGrad(trace((x, y) => x.mul(y)), { wrt: [0, 1] });
    expect(vg(2, 3)).toEqual([6, [3, 2]]);
    expect(valueAndGrad(trace((x) => x.pow(3)))(2)).toEqual([8, 12]);
    expect(vg.toSource().match(/return/g)).toHaveLength(1);
  });

  it('on an expression returns the expression and its gradient record', () => {
    const x = Var('x');
    const [value, g] = valueAndGrad(x.mul(x));
    expect(value.eval({ x: 3 })).toBe(9);
    expect(g.x.eval({ x: 3 })).toBe(6);
  });
});

describe('jacobian and hessian of a traced function', () => {
  it('jacobian keeps the output structure, leaves replaced by derivatives by wrt', () => {
    const f = trace((x, y) => [x.mul(y), x.add(y)]);
    expect(jacobian(f, { wrt: [0, 1] })(2, 3)).toEqual([[3, 2], [1, 1]]);
    expect(jacobian(f)(2, 3)).toEqual([3, 1]);
    const record = trace((x, y) => ({ p: x.mul(y) }));
    expect(jacobian(record, { wrt: ['y'] })(2, 3)).toEqual({ p: [2] });
  });

  it('hessian is jacobian(grad): a scalar for one input, rows for a list', () => {
    const f = trace((x, y) => x.mul(x).mul(y));
    expect(hessian(f)(1, 2)).toBe(4);
    expect(hessian(f, { wrt: ['x', 'y'] })(1, 2)).toEqual([[4, 2], [2, 0]]);
    expect(jit(hessian(f, { wrt: [0, 1] }))(1, 2)).toEqual([[4, 2], [2, 0]]);
  });

  it('still accept expressions as before', () => {
    const x = Var('x'), y = Var('y');
    expect(jacobian(Vec(x.mul(y), x), [x, y]).eval({ x: 2, y: 3 })).toEqual([[3, 2], [1, 0]]);
    expect(hessian(x.mul(x).mul(y), [x, y]).eval({ x: 1, y: 2 })).toEqual([[4, 2], [2, 0]]);
  });

  it('names itself in errors', () => {
    expect(() => hessian(trace((x) => [x, x]) as never)).toThrow(/^hessian: the function must return one scalar/);
  });

  it('rejects tensor outputs', () => {
    expect(() => jacobian(trace((v: VFun<2>) => v, { shapes: { v: [2] } }))).toThrow(/outputs must be scalars/);
  });
});
