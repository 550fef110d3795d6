/**
 * Every compiled function has `dispose()`, on every backend: it releases what the engine holds
 * (gpu kernels, tfjs constant tensors, the ONNX Runtime session, wasm programs on worker
 * threads; nothing on js), disposing twice
 * is harmless, and a later call is a TypegradError (a rejected Promise on onnx). A program
 * dropped without it is released when collected (a child process with --expose-gc shows it
 * for tfjs tensors; gpu-leak.test.ts for gpu kernels).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compile, initBackend, Mat, matmul, MVar, sin, TypegradError, Var } from '../../src/index.js';

const x = Var('x'), y = Var('y');
const A = MVar('A', 2, 2);
const released = /released by dispose\(\)/;

describe('dispose() on compiled functions', () => {
  it('js: every form (bindings, positional, batch) refuses calls after dispose, which may be repeated', () => {
    const point = compile(sin(x).mul(y));
    const positional = compile(sin(x).mul(y), { args: [x, y] });
    const batch = compile(sin(x).mul(y), { batch: true });
    expect(point({ x: 0, y: 1 })).toBe(0);
    for (const f of [point, positional, batch]) {
      f.dispose();
      f.dispose();
    }
    expect(() => point({ x: 0, y: 1 })).toThrow(TypegradError);
    expect(() => point({ x: 0, y: 1 })).toThrow(released);
    expect(() => positional(0, 1)).toThrow(released);
    expect(() => batch({ x: [0], y: [1] })).toThrow(/compiled function \(batch\): this program was released by dispose\(\)/);
  });

  it('tfjs: dispose releases the constant tensors the program uploaded', async () => {
    await initBackend('tfjs');
    const before = tf.memory().numTensors;
    const f = compile(matmul(A, Mat([1, 2], [3, 4])), { backend: 'tfjs' });
    expect(Array.from(f({ A: [[1, 0], [0, 1]] }) as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    f.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => f({ A: [[1, 0], [0, 1]] })).toThrow(released);
  });

  it('gpu: dispose destroys the kernels of point, batch and tensor programs', async () => {
    await initBackend('gpu');
    const { GPU } = createRequire(import.meta.url)('gpu.js');
    const kernelClass = new GPU().Kernel as { prototype: { destroy(...args: unknown[]): unknown } };
    const destroy = kernelClass.prototype.destroy;
    let destroyed = 0;
    kernelClass.prototype.destroy = function (...args: unknown[]) {
      destroyed++;
      return destroy.apply(this, args);
    };
    try {
      const batch = compile(sin(x).mul(y), { batch: true, backend: 'gpu' });
      const tensor = compile(matmul(A, A).add(1), { backend: 'gpu' });
      batch({ x: [1], y: [2] });
      tensor({ A: [[1, 2], [3, 4]] });
      batch.dispose();
      tensor.dispose();
      expect(destroyed).toBeGreaterThanOrEqual(2);
      expect(() => batch({ x: [1], y: [2] })).toThrow(released);
      expect(() => tensor({ A: [[1, 2], [3, 4]] })).toThrow(released);
    } finally {
      kernelClass.prototype.destroy = destroy;
    }
  });

  it('onnx: dispose releases the session; a later call rejects', async () => {
    await initBackend('onnx');
    const f = compile(sin(x).mul(y), { backend: 'onnx' });
    expect(await f({ x: 0, y: 1 })).toBe(0);
    await f.dispose();
    await f.dispose();
    await expect(f({ x: 0, y: 1 })).rejects.toThrow(released);
  });

  it('wasm: point and batch programs refuse calls after dispose, which may be repeated', async () => {
    await initBackend('wasm');
    const point = compile(matmul(A, A).add(1), { backend: 'wasm' });
    const batch = compile(sin(x).mul(y), { batch: true, backend: 'wasm', precision: 'float32' });
    expect(Array.from(point({ A: [[1, 2], [3, 4]] }) as Float64Array)).toEqual([8, 11, 16, 23]);
    expect(Array.from(batch({ x: [0], y: [1] }) as Float32Array)).toEqual([0]);
    for (const f of [point, batch]) {
      f.dispose();
      f.dispose();
    }
    expect(() => point({ A: [[1, 2], [3, 4]] })).toThrow(released);
    expect(() => batch({ x: [0], y: [1] })).toThrow(released);
  });

  it('a tfjs program dropped without dispose releases its tensors once collected', () => {
    const script = fileURLToPath(new URL('./dispose/collected.mts', import.meta.url));
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
    const result = JSON.parse(output.trim().split('\n').pop()!) as { held: number; left: number };
    expect(result.held).toBeGreaterThanOrEqual(50);
    // 50 programs made and dropped: at most one program's tensors are still reachable (the last).
    expect(result.left).toBeLessThanOrEqual(Math.ceil(result.held / 50));
  }, 150_000);
});
