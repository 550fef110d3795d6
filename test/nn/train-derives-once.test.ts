/**
 * The gradient is derived and the programs are made once per training run, then reused at every
 * step: counted with spies on `grad` and `compileProgram` themselves, not on train's own counters.
 */
import { describe, expect, it, vi } from 'vitest';
import { grad } from '../../src/api/calculus.js';
import { compileProgram } from '../../src/nn/program.js';
import { train } from '../../src/nn/index.js';
import { clouds, smallModel } from './fixtures.js';

vi.mock('../../src/api/calculus.js', async (original) => {
  const actual = await original<typeof import('../../src/api/calculus.js')>();
  return { ...actual, grad: vi.fn(actual.grad) };
});
vi.mock('../../src/nn/program.js', async (original) => {
  const actual = await original<typeof import('../../src/nn/program.js')>();
  return { ...actual, compileProgram: vi.fn(actual.compileProgram) };
});

describe('train', () => {
  it('calls grad once and compileProgram once per program for 3 epochs of 8 steps', () => {
    const data = clouds(120);
    const steps = vi.fn();
    vi.mocked(grad).mockClear();
    vi.mocked(compileProgram).mockClear();
    const result = train(smallModel(), data, { progress: 'none', epochs: 3, batchSize: 16, validation: clouds(30, 'v'), onStep: steps });
    expect(steps).toHaveBeenCalledTimes(24);
    expect(grad).toHaveBeenCalledTimes(1);
    expect(compileProgram).toHaveBeenCalledTimes(2); // training, and evaluation of the validation data
    expect(result.stats).toMatchObject({ derivations: 1, compilations: 2, steps: 24 });
  });
});
