/** withContext: scoped defaults for simplification and the backend, restored on return and throw. */
import { describe, expect, it } from 'vitest';
import { currentContext, jit, size, trace, TypegradError, Var, withContext, compile, initBackend } from '../../../src/index.js';

const x = Var('x');

describe('withContext', () => {
  it('turns build-time simplification off inside the block only', () => {
    expect(withContext({ simplify: false }, () => x.mul(x)).toString()).toBe('x * x');
    expect(x.mul(x).toString()).toBe('x ^ 2');
    expect(withContext({ simplify: false }, () => x.add(x)).toString()).toBe('x + x');
  });

  it('keeps hash-consing, constant folding and neutral operands when simplification is off', () => {
    withContext({ simplify: false }, () => {
      expect(x.mul(x).node).toBe(x.mul(x).node);
      expect(Var('y').add(2).add(3).toString()).not.toMatch(/5/); // no collecting of constants
      expect(x.mul(1).node).toBe(x.node);
      expect(x.add(0).node).toBe(x.node);
      expect(x.pow(1).node).toBe(x.node);
      expect(x.div(1).node).toBe(x.node);
      expect(x.sub(0).node).toBe(x.node);
      expect(Var('y').mul(2).mul(3).toString()).not.toMatch(/6/);
      expect(Var('y').mul(2).mul(3).eval({ y: 1 })).toBe(6);
    });
    expect(withContext({ simplify: false }, () => x.mul(0).add(2).toString())).toBe('2 + 0 * x');
  });

  it('gives the same values with simplification on and off', () => {
    const build = () => x.mul(x).sub(x.add(x)).div(x.neg().mul(-2));
    const off = withContext({ simplify: false }, build);
    expect(size(off)).toBeGreaterThan(size(build()));
    expect(off.eval({ x: 3 })).toBeCloseTo(build().eval({ x: 3 }), 12);
  });

  it('nests: an inner setting wins, unset ones are inherited, the outer comes back', () => {
    withContext({ simplify: false, backend: 'js' }, () => {
      expect(currentContext()).toEqual({ simplify: false, backend: 'js' });
      withContext({ simplify: true }, () => {
        expect(currentContext()).toEqual({ simplify: true, backend: 'js' });
        expect(x.mul(x).toString()).toBe('x ^ 2');
      });
      expect(currentContext().simplify).toBe(false);
    });
    expect(currentContext()).toEqual({ simplify: true, backend: 'js' });
  });

  it('restores the settings when the block throws', () => {
    expect(() =>
      withContext({ simplify: false, backend: 'tfjs' }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(currentContext()).toEqual({ simplify: true, backend: 'js' });
    expect(x.mul(x).toString()).toBe('x ^ 2');
  });

  it('sets the backend jit compiles for (an uninitialised backend is a clear error)', () => {
    const f = trace((a) => a.mul(2));
    expect(() => withContext({ backend: 'gpu' }, () => jit(f))).toThrow(/gpu/);
    expect(withContext({ backend: 'js' }, () => jit(f))(4)).toBe(8);
  });

  it('sets the backend compile uses when options name none', async () => {
    await initBackend('tfjs');
    const f = Var('q').mul(3);
    const onTfjs = withContext({ backend: 'tfjs' }, () => compile(f, { batch: true }))({ q: [1, 2] });
    expect(onTfjs).toBeInstanceOf(Float32Array);
    expect([...onTfjs]).toEqual([3, 6]);
    expect(compile(f, { batch: true })({ q: [1, 2] })).toBeInstanceOf(Float64Array);
  });

  it('rejects unknown settings, bad values and asynchronous bodies', () => {
    expect(() => withContext({ simplfy: false } as never, () => 1)).toThrow(/unknown setting 'simplfy'/);
    expect(() => withContext({ simplify: 'no' } as never, () => 1)).toThrow(TypegradError);
    expect(() => withContext({ backend: 'cuda' } as never, () => 1)).toThrow(/unknown backend "cuda"/);
    expect(() => withContext({}, (async () => 1) as never)).toThrow(/Promise/);
    expect(currentContext()).toEqual({ simplify: true, backend: 'js' });
  });
});
