/**
 * Type tests for the operations and transformations from JAX, run by `vitest run` in typecheck
 * mode: comparisons and where keep ranks and broadcast shapes, vmap adds the batch axis to
 * symbols and results, grad of a pytree input gives its structure, hasAux a pair, and a custom
 * derivative keeps its function's signature.
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  clip, customJvp, customVjp, erf, grad, gt, lgamma, maximum, MVar, polygamma, trace, valueAndGrad, Var, vmap, VVar, where,
  type MFun, type SFun, type TFun, type Traced, type VFun,
} from '../src/index.js';

const x = Var('x'), y = Var('y');
const v = VVar('v', 3), M = MVar('M', 2, 3);

describe('the new elementwise operations', () => {
  test('keep ranks, variables and broadcast shapes', () => {
    expectTypeOf(erf(x)).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(lgamma(v)).toEqualTypeOf<VFun<3, 'v'>>();
    expectTypeOf(gt(x, y)).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(maximum(M, v)).toEqualTypeOf<MFun<2, 3, 'M' | 'v'>>();
    expectTypeOf(polygamma(1, x)).toEqualTypeOf<SFun<'x'>>();
  });
  test('where and clip broadcast all three operands', () => {
    expectTypeOf(where(gt(x, 0), x, y)).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(where(gt(v, 0), M, 0)).toEqualTypeOf<MFun<2, 3, 'v' | 'M'>>();
    expectTypeOf(clip(v, -1, 1)).toEqualTypeOf<VFun<3, 'v'>>();
  });
});

describe('transformations', () => {
  const f = trace((a: SFun<string>, b: SFun<string>) => a.mul(b));
  test('vmap adds a leading axis of unknown length to inputs and results', () => {
    expectTypeOf(vmap(f)).toEqualTypeOf<Traced<readonly [VFun<number, string>, VFun<number, string>], VFun<number, string>>>();
    const g = trace((w: MFun<3, 2, string>) => w.sum(), { shapes: { w: [3, 2] } });
    expectTypeOf(vmap(g)).toEqualTypeOf<Traced<[TFun<[number, 3, 2], string>], VFun<number, string>>>();
    expectTypeOf(vmap(f)([1, 2], [3, 4])).toEqualTypeOf<number[]>();
  });
  test('grad of a pytree input gives the same structure of derivatives', () => {
    const loss = trace((params: { W: MFun<2, 3, string>; b: VFun<3, string> }) => params.b.sum(), { shapes: { params: { W: [2, 3], b: [3] } } });
    expectTypeOf(grad(loss)).toEqualTypeOf<Traced<[{ W: MFun<2, 3, string>; b: VFun<3, string> }], { W: MFun<2, 3, string>; b: VFun<3, string> }>>();
    expectTypeOf(grad(loss)({ W: [[1, 2, 3], [4, 5, 6]], b: [1, 2, 3] })).toEqualTypeOf<{ W: number[][]; b: number[] }>();
  });
  test('hasAux gives [gradient, aux] and valueAndGrad [[value, aux], gradient]', () => {
    const withAux = trace((a: SFun<string>) => [a.mul(a), { twice: a.mul(2) }] as const);
    expectTypeOf(grad(withAux, { hasAux: true })(3)).toEqualTypeOf<[number, { twice: number }]>();
    expectTypeOf(valueAndGrad(withAux, { hasAux: true })(3)).toEqualTypeOf<[[number, { twice: number }], number]>();
  });
  test('a custom derivative keeps its function, numbers accepted for Funs', () => {
    const safe = customJvp((a: SFun<string>) => a.mul(2), ([, ], [t]) => t.mul(2));
    expectTypeOf(safe).toEqualTypeOf<(...args: [SFun<string> | number]) => SFun<string>>();
    const clipped = customVjp((a: VFun<3, string>) => a, (_p, _o, g) => [clip(g, -1, 1)]);
    expectTypeOf(clipped(v)).toEqualTypeOf<VFun<3, string>>();
  });
});
