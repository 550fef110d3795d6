/**
 * The gpu backend runs a tensor program as a pipeline: intermediate results stay on the GPU as
 * textures from kernel to kernel, an elementwise chain is one kernel, and only the roots are
 * read back (one texture read per root in a WebGL mode). Values agree with the js backend.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compile, exp, grad, initBackend, matmul, MVar, relu, sin, sum, VVar } from '../../src/index.js';

const info = await initBackend('gpu');
const require = createRequire(import.meta.url);
const { GPU } = require('gpu.js');
const kernelClass = new GPU().Kernel as { prototype: { build(...args: unknown[]): unknown; built?: boolean } };

/** Counts the kernels gpu.js builds (one shader each) while `body` runs. */
function kernelsBuilt(body: () => void): number {
  const build = kernelClass.prototype.build;
  let count = 0;
  kernelClass.prototype.build = function (this: { built?: boolean }, ...args: unknown[]) {
    if (!this.built) count++;
    return build.apply(this, args);
  };
  try {
    body();
  } finally {
    kernelClass.prototype.build = build;
  }
  return count;
}

/** Counts the read-backs of float textures from the GPU (gpu.js's renderValues, under every toArray) while `body` runs. */
function readBacks(body: () => void): number {
  const texture = require('gpu.js/src/backend/gl/texture/float.js').GLTextureFloat.prototype as { renderValues(...args: unknown[]): unknown };
  const renderValues = texture.renderValues;
  let count = 0;
  texture.renderValues = function (...args: unknown[]) {
    count++;
    return renderValues.apply(this, args);
  };
  try {
    body();
  } finally {
    texture.renderValues = renderValues;
  }
  return count;
}

const values = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(seed + i * 0.7) * 0.5);

function expectClose(got: ArrayLike<number> | number, expected: ArrayLike<number> | number): void {
  const g = typeof got === 'number' ? [got] : Array.from(got);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  expect(g.length).toBe(e.length);
  e.forEach((v, i) => expect(Math.abs(g[i]! - v)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
}

describe(`gpu tensor programs as pipelines, in gpu.js mode '${info.engine}'`, () => {
  it('an elementwise chain over a matrix is one kernel', () => {
    const A = MVar('A', 16, 8);
    const chain = exp(sin(A).mul(2).add(A)).sub(1).mul(A);
    const f = compile(chain, { backend: 'gpu' });
    const data = { A: values(128, 1) };
    let result: unknown;
    expect(kernelsBuilt(() => (result = f(data)))).toBe(1);
    expectClose(result as Float32Array, compile(chain)(data) as Float64Array);
    f.dispose();
  });

  it.runIf(info.engine === 'headlessgl')('an MLP loss and its gradients read back only the roots: one read per root per call', () => {
    const X = MVar('X', 32, 20), W1 = MVar('W1', 20, 16), b1 = VVar('b1', 16), W2 = MVar('W2', 16, 4);
    const hidden = relu(matmul(X, W1).add(b1));
    const loss = sum(matmul(hidden, W2).mul(matmul(hidden, W2))).mul(1 / 32);
    const g = grad(loss, { W1, b1, W2 });
    const roots = [loss, g.W1, g.b1, g.W2] as const;
    const f = compile([...roots], { backend: 'gpu' });
    const data = { X: values(640, 1), W1: values(320, 2), b1: values(16, 3), W2: values(64, 4) };
    f(data); // builds the kernels
    let result: unknown[] = [];
    expect(readBacks(() => (result = f(data) as unknown[]))).toBe(roots.length);
    const reference = compile([...roots])(data) as unknown[];
    result.forEach((r, k) => expectClose(r as Float32Array, reference[k] as Float64Array));
    f.dispose();
  });

  it('repeated calls give the same results (textures are recycled, never read stale)', () => {
    const A = MVar('A', 8, 8), v = VVar('v', 8);
    const program = [sum(matmul(A, A).mul(v)), matmul(A, v), sin(A).sum(1)] as const;
    const f = compile([...program], { backend: 'gpu' });
    const js = compile([...program]);
    for (let call = 0; call < 5; call++) {
      const data = { A: values(64, call), v: values(8, call + 10) };
      const got = f(data) as unknown[];
      const expected = js(data) as unknown[];
      got.forEach((r, k) => expectClose(r as Float32Array, expected[k] as Float64Array));
    }
    f.dispose();
  });
});
