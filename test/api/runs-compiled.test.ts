/**
 * Training and jit of tensor functions run compiled, never on the reference interpreter: the
 * interpreter (`evaluateTensors`) is counted, and a training step or a call of a jitted tensor
 * function must not call it (the planner may, once, to fold constants at compile time).
 */
import { describe, expect, it, vi } from 'vitest';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { initBackend, jit, matmul, MVar, relu, trace, type MFun, type VFun } from '../../src/index.js';
import { train } from '../../src/nn/index.js';
import { clouds, smallModel } from '../nn/fixtures.js';

vi.mock('../../src/ad/evaluate.js', async (original) => {
  const actual = await original<typeof import('../../src/ad/evaluate.js')>();
  return { ...actual, evaluateTensors: vi.fn(actual.evaluateTensors) };
});

const interpreterCalls = () => vi.mocked(evaluateTensors).mock.calls.length;

describe('tensor programs run compiled', () => {
  it.each(['js', 'tfjs', 'gpu', 'wasm'] as const)('train on %s: no step calls the interpreter', async (backend) => {
    await initBackend(backend);
    const counts: number[] = [];
    const result = train(smallModel(), clouds(60), { progress: 'none', epochs: 2, batchSize: 20, backend, onStep: () => counts.push(interpreterCalls()) });
    expect(result.stats.engine).toBe('compiled');
    expect(counts).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
  });

  it('jit of a function of matrices compiles once; calls do not interpret', () => {
    const f = jit(trace((X: MFun<2, 3>, W: MFun<3, 2>, b: VFun<2>) => relu(matmul(X, W).add(b)).sum(), { shapes: { X: [2, 3], W: [3, 2], b: [2] } }));
    const before = interpreterCalls();
    const X = [[1, 2, 3], [4, 5, 6]], W = [[1, -1], [0.5, 2], [-1, 0]], b = [0.5, -0.5];
    expect(f(X, W, b)).toBe(f.expr.eval({ X, W, b }));
    const afterFirst = interpreterCalls();
    f(X, W, b);
    f(X, W, b);
    expect(interpreterCalls()).toBe(afterFirst);
    expect(afterFirst - before).toBe(1); // only the reference `eval` in the expectation above
    expect(f.toSource()).toMatch(/function chunk0/);
  });
});

// The MFun import documents the traced parameter types above.
export type _M = MFun<1, 1, never>;
