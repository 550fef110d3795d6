/** The tfjs backend: engine detection, and no tensor leaks across calls. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendInfo, compile, compileAsync, grad, initBackend, sin, Var } from '../../src/index.js';

const x = Var('x');
const y = Var('y');
const z = x.mul(4).mul(sin(x.mul(y)).add(y));
const g = grad(z);

const info = await initBackend('tfjs');

describe(`tfjs backend on engine '${info.engine}'`, () => {
  it('reports the engine it chose and why a better one was not used', () => {
    console.log(`tfjs engine: ${info.engine}; ${info.notes.join('; ')}`);
    expect(backendInfo('tfjs')).toBe(info);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.engine);
    expect(tf.getBackend()).toBe(info.engine);
    expect(info.precision).toBe('float32');
  });

  it('leaks no tensor over 1,000 calls', () => {
    const f = compile([z, g.x, g.y, x, y.sub(y)], { batch: true, backend: 'tfjs' });
    const xs = Float64Array.from({ length: 64 }, (_, i) => i / 10);
    const ys = Float32Array.from({ length: 64 }, (_, i) => 1 - i / 50);
    f({ x: xs, y: ys });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) f({ x: xs, y: ys });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('evaluates points as batches of one and compiles in one step with compileAsync', async () => {
    const point = compile(z, { backend: 'tfjs' })({ x: 1, y: 2 });
    expect(point).toBeCloseTo(z.eval({ x: 1, y: 2 }), 4);
    const f = await compileAsync({ dx: g.x }, { backend: 'tfjs', batch: true });
    expect(f({ x: [1], y: [2] }).dx[0]).toBeCloseTo(g.x.eval({ x: 1, y: 2 }), 4);
  });
});
