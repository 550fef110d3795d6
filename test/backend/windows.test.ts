/**
 * Convolution and pooling on every backend at sizes the random programs do not reach: LeNet's
 * layers with their gradients (the js loops' blocks of neighbouring pixels and channel groups
 * with a remainder), and convolutions with strides, padding and dilations together, against the
 * reference interpreter; on tfjs under each engine it has here (wasm, and cpu, whose native
 * Conv2DBackpropFilter kernel the wasm engine lacks), and on typegrad's wasm backend in both
 * precisions.
 */
import * as tfCore from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { wrap } from '../../src/api/wrap.js';
import { compile, compileAsync, initBackend, type AnyRankFun, type BackendName } from '../../src/index.js';

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const values = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 0.37 + seed * 1.3));

/** A program: roots over variables, with values for the variables. */
interface Case {
  readonly name: string;
  readonly roots: readonly Node[];
  readonly point: ReadonlyMap<string, Float64Array>;
}

/** The loss Σ weights·y over a root y, its gradients by `by`, and y itself. */
function withGradients(name: string, y: Node, by: readonly Node[], point: Map<string, Float64Array>): Case {
  const weights = variableNode(`${name}.w`, y.shape);
  point.set(weights.name, values(count(y.shape), 9));
  const loss = apply('sum', [apply('mul', [y, weights])]);
  return { name, roots: [y, ...reverseGradient(loss, by).map((g) => g!)], point };
}

function cases(): Case[] {
  const conv = [1, 1, 0, 0, 0, 0, 1, 1], pool = [2, 2, 2, 2, 0, 0, 0, 0];
  const all: Case[] = [];
  {
    // LeNet's two convolutions and poolings, batch 8: conv 5×5×1×6 on 28×28, conv 5×5×6×16 on 12×12.
    const x = variableNode('x', [8, 28, 28, 1]), k1 = variableNode('k1', [5, 5, 1, 6]), k2 = variableNode('k2', [5, 5, 6, 16]);
    const point = new Map([['x', values(8 * 784, 1)], ['k1', values(150, 2)], ['k2', values(2400, 3)]]);
    const h = apply('maxPool2d', [apply('relu', [apply('conv2d', [x, k1], conv)])], pool);
    const y = apply('avgPool2d', [apply('conv2d', [h, k2], conv)], pool);
    all.push(withGradients('lenet', y, [x, k1, k2], point));
  }
  {
    // Odd widths (blocks with a remainder), more channels than a group, every window option at once.
    const x = variableNode('x2', [2, 9, 11, 3]), k = variableNode('k3', [3, 2, 3, 19]);
    const point = new Map([['x2', values(2 * 9 * 11 * 3, 4)], ['k3', values(3 * 2 * 3 * 19, 5)]]);
    const y = apply('conv2d', [x, k], [2, 1, 1, 2, 0, 1, 1, 2]);
    const p = apply('maxPool2d', [y], [3, 2, 2, 1, 1, 1, 0, 1]);
    all.push(withGradients('padded max', p, [x, k], point));
    all.push(withGradients('padded average', apply('avgPool2d', [y], [2, 3, 1, 2, 1, 0, 1, 1]), [x, k], point));
    const q = apply('conv2d', [x, k], [1, 1, 2, 2, 2, 2, 2, 2]);
    all.push(withGradients('dilated', q, [x, k], point));
  }
  return all;
}

function reference(c: Case): Float64Array[] {
  return evaluateTensors(c.roots, c.point);
}

async function check(backend: BackendName, tolerance: number, precision?: 'float32' | 'float64'): Promise<void> {
  for (const c of cases()) {
    const inputs = [...c.point.keys()];
    const funs = c.roots.map((r) => wrap(r, [], new Set(inputs)) as AnyRankFun);
    const f = backend === 'js' ? compile(funs) : await compileAsync(funs, precision === undefined ? { backend } : { backend, precision });
    const got = (await f(Object.fromEntries(c.point) as never)) as (number | Float32Array | Float64Array)[];
    reference(c).forEach((expected, k) => {
      const scale = Math.max(1, ...Array.from(expected, Math.abs));
      const actual = got[k]!;
      const flat = typeof actual === 'number' ? [actual] : actual;
      expect(flat.length, `${c.name}, root ${k}`).toBe(expected.length);
      expected.forEach((e, i) => {
        if (!(Math.abs(flat[i]! - e) <= tolerance * scale)) throw new Error(`${backend}, ${c.name}, root ${k} [${c.roots[k]!.shape.join('×')}], element ${i}: ${flat[i]} against the reference ${e}`);
      });
    });
  }
}

describe('convolution and pooling at sizes beyond the random programs', () => {
  it('js: equal to the reference to 1e-12', () => check('js', 1e-12));

  describe('tfjs', () => {
    beforeAll(async () => {
      await initBackend('tfjs');
    });
    it('on its own engine (wasm here): within 1e-4 of the scale', () => check('tfjs', 1e-4));
    it('on the cpu engine, whose Conv2DBackpropFilter kernel it uses: within 1e-4 of the scale', async () => {
      const engine = tfCore.getBackend();
      await tfCore.setBackend('cpu');
      try {
        expect(tfCore.getKernel('Conv2DBackpropFilter', 'cpu')).toBeDefined();
        await check('tfjs', 1e-4);
      } finally {
        await tfCore.setBackend(engine);
      }
    });
  });

  it('gpu: within 1e-4 of the scale', async () => {
    await initBackend('gpu');
    await check('gpu', 1e-4);
  });

  describe('wasm (the window loops of src/backend/wasm/window-lowering.ts)', () => {
    beforeAll(async () => {
      await initBackend('wasm');
    });
    it('float64: equal to the reference to 1e-12', () => check('wasm', 1e-12));
    it('float32: within 1e-4 of the scale', () => check('wasm', 1e-4, 'float32'));
  });

  it('onnx (ONNX Runtime): within 1e-4 of the scale', async () => {
    await initBackend('onnx');
    await check('onnx', 1e-4);
  });
});
