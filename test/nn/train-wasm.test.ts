/**
 * Training on the wasm backend: in float64 the same run as on js, step for step (the programs'
 * results agree to the last bit); in float32 within float32 rounding of it, to the same
 * accuracy; evaluate and compileProgram take the same options.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { grad, initBackend, MVar, relu, VVar } from '../../src/index.js';
import { adam, compileProgram, evaluate, train } from '../../src/nn/index.js';
import { clouds, smallModel } from './fixtures.js';

const data = clouds(300);
const validation = clouds(90, 'validation');
const options = { epochs: 4, batchSize: 32, optimizer: adam({ lr: 0.01 }), seed: 3, progress: 'none', validation } as const;

beforeAll(async () => {
  await initBackend('wasm');
});

describe('train on the wasm backend', () => {
  it('float64: the same parameters and history as js, bit for bit', () => {
    const js = train(smallModel(), data, options);
    const wasm = train(smallModel(), data, { ...options, backend: 'wasm' });
    expect(wasm.params).toEqual(js.params);
    expect(wasm.history.loss).toEqual(js.history.loss);
    expect(wasm.history.validationAccuracy).toEqual(js.history.validationAccuracy);
  });

  it('float32 (one thread and all): the losses of js within float32 rounding, the same accuracy', () => {
    const js = train(smallModel(), data, options);
    for (const threads of [1, 2]) {
      const single = train(smallModel(), data, { ...options, backend: 'wasm', precision: 'float32', threads });
      single.history.loss.forEach((loss, epoch) => expect(Math.abs(loss - js.history.loss[epoch]!)).toBeLessThan(1e-4));
      expect(single.history.validationAccuracy[3]).toBeCloseTo(js.history.validationAccuracy[3]!, 1);
      const model = smallModel();
      const evaluated = evaluate(model, single.params, validation, { backend: 'wasm', precision: 'float32' });
      expect(evaluated.accuracy).toBeCloseTo(single.history.validationAccuracy[3]!, 10);
    }
  });

  it('compileProgram widens float32 results into float64 arrays it reuses', () => {
    const X = MVar('X', 3, 2), W = MVar('W', 2, 2), b = VVar('b', 2);
    const loss = relu(X.matmul(W).add(b)).sum();
    const g = grad(loss, { W, b });
    const environment = new Map([
      ['X', Float64Array.of(1, 2, -1, 0.5, 3, -2)],
      ['W', Float64Array.of(0.5, -1, 2, 0.25)],
      ['b', Float64Array.of(0.1, -0.2)],
    ]);
    const program = compileProgram([loss, g.W, g.b], { backend: 'wasm', precision: 'float32' });
    const first = program.run(environment);
    const exact = compileProgram([loss, g.W, g.b]).run(environment);
    expect(first[1]).toBeInstanceOf(Float64Array);
    first.forEach((values, k) => values.forEach((v, i) => expect(v).toBeCloseTo(exact[k]![i]!, 6)));
    expect(program.run(environment)[1]).toBe(first[1]);
  });
});
