/**
 * An independent oracle for convolution and pooling: TensorFlow.js (cpu backend, float32)
 * computes the values with its own kernels and the gradients with its own autodiff (`tf.grads`),
 * on random geometries (batch, sizes, channels, kernels, strides, paddings 'valid', 'same' and
 * explicit, dilations), against typegrad's reference values and symbolic gradients in float64.
 * tfjs takes dilations only with unit strides and differentiates only undilated convolutions,
 * and its average pooling's gradient (AvgPoolGrad, tfjs 4.22) divides by the whole window even
 * where its forward pass did not count the padding ('same'), so that gradient is compared only
 * where no window reaches the padding; central differences check the rest
 * (test/ad/tensor-gradients.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { avgPool2d, conv2d, grad, maxPool2d, Tensor, TVar, type Conv2dOptions, type Pool2dOptions } from '../../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Values in [−1, 1), exact in float32, from fast-check integers. */
const valuesArbitrary = (n: number) => fc.array(fc.integer({ min: -512, max: 511 }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a, (v) => v / 512));

function expectCloseFloat32(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, tfjs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= 1e-4 + 1e-4 * Math.abs(expected[i]!))) throw new Error(`${what}, element ${i}: typegrad ${actual[i]}, tfjs ${expected[i]}`);
  }
}

const flat = (nested: unknown) => Float64Array.from((nested as number[]).flat(4) as number[]);

/** The padding in tfjs's words: a string, or [[0, 0], [top, bottom], [left, right], [0, 0]]. */
function tfPadding(padding: NonNullable<Conv2dOptions['padding']>): 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]] {
  if (padding === 'valid' || padding === 'same') return padding;
  const [[top, bottom], [left, right]] = padding as [[number, number], [number, number]];
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

const geometry = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 3, max: 7 }),
  w: fc.integer({ min: 3, max: 7 }),
  c: fc.integer({ min: 1, max: 3 }),
  o: fc.integer({ min: 1, max: 3 }),
  kh: fc.integer({ min: 1, max: 3 }),
  kw: fc.integer({ min: 1, max: 3 }),
  strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  dilations: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  padding: fc.oneof(fc.constant('valid' as const), fc.constant('same' as const), fc.tuple(fc.tuple(fc.nat(2), fc.nat(2)), fc.tuple(fc.nat(2), fc.nat(2)))),
});

describe('conv2d against TensorFlow.js', () => {
  it('values (any strides or dilations) and gradients by input and kernel (undilated), on random geometries', () => {
    fc.assert(
      fc.property(geometry, fc.nat(), ({ n, h, w, c, o, kh, kw, strides, dilations, padding }, seed) => {
        const dilated = strides[0] === 1 && strides[1] === 1 ? dilations : ([1, 1] as [number, number]);
        const options: Conv2dOptions = { strides, padding, dilations: dilated };
        const extentH = (kh - 1) * dilated[0] + 1, extentW = (kw - 1) * dilated[1] + 1;
        const pads = padding === 'valid' ? [0, 0, 0, 0] : padding === 'same' ? [0, 0, 0, 0] : [...padding[0], ...padding[1]];
        fc.pre(padding === 'same' || (h + pads[0]! + pads[1]! >= extentH && w + pads[2]! + pads[3]! >= extentW));
        const [xs, ks] = fc.sample(fc.tuple(valuesArbitrary(n * h * w * c), valuesArbitrary(kh * kw * c * o)), { numRuns: 1, seed })[0]!;
        const X = TVar('x', [n, h, w, c] as number[]), K = TVar('k', [kh, kw, c, o] as number[]);
        const y = conv2d(X, K as never, options);
        const ours = flat(y.eval({ x: xs, k: ks } as never));
        const tfConv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, tfPadding(padding), 'NHWC', dilated);
        const x4 = tf.tensor4d(Float32Array.from(xs), [n, h, w, c]), k4 = tf.tensor4d(Float32Array.from(ks), [kh, kw, c, o]);
        expectCloseFloat32(ours, tfConv(x4, k4).dataSync(), `conv2d ${JSON.stringify(options)}`);
        if (dilated[0] !== 1 || dilated[1] !== 1) return;
        // A weighted sum of the result, so that every element's gradient differs.
        const weights = Tensor(Float64Array.from({ length: ours.length }, (_, i) => Math.cos(i)), y.node.shape as number[]);
        const loss = (y as never as { mul(w: unknown): { sum(): never } }).mul(weights).sum();
        const g = grad(loss, { x: X, k: K } as never) as unknown as Record<'x' | 'k', { eval(b: unknown): unknown }>;
        const [gx, gk] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tfConv(a, b), tf.tensor(Float32Array.from({ length: ours.length }, (_, i) => Math.cos(i)), y.node.shape as number[]))))([x4, k4]);
        expectCloseFloat32(flat(g.x.eval({ x: xs, k: ks })), gx!.dataSync(), 'gradient by the input');
        expectCloseFloat32(flat(g.k.eval({ x: xs, k: ks })), gk!.dataSync(), 'gradient by the kernel');
        tf.dispose([x4, k4, gx!, gk!]);
      }),
      { numRuns: 120 },
    );
  });
});

describe('pooling against TensorFlow.js', () => {
  const poolGeometry = fc.record({
    n: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 2, max: 7 }),
    w: fc.integer({ min: 2, max: 7 }),
    c: fc.integer({ min: 1, max: 3 }),
    window: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: fc.constantFrom('valid' as const, 'same' as const),
  });
  for (const [name, ours, theirs] of [['maxPool2d', maxPool2d, tf.maxPool], ['avgPool2d', avgPool2d, tf.avgPool]] as const) {
    it(`${name}: values and gradients, 'valid' and 'same', on random geometries`, () => {
      fc.assert(
        fc.property(poolGeometry, fc.nat(), ({ n, h, w, c, window, strides, padding }, seed) => {
          fc.pre(padding === 'same' || (h >= window[0] && w >= window[1]));
          // Distinct values, so that every window has one maximum (tfjs's tie rule is its own).
          const order = fc.sample(fc.shuffledSubarray(Array.from({ length: n * h * w * c }, (_, i) => i), { minLength: n * h * w * c }), { numRuns: 1, seed })[0]!;
          const xs = Float64Array.from(order, (i) => (i - 50) / 64);
          const X = TVar('x', [n, h, w, c] as number[]);
          const options: Pool2dOptions = { strides, padding };
          const y = (ours as (x: unknown, window: unknown, options: unknown) => { eval(b: unknown): unknown; node: { shape: readonly number[] }; mul(w: unknown): { sum(): never } })(X, window, options);
          const pooled = flat(y.eval({ x: xs } as never));
          const x4 = tf.tensor4d(Float32Array.from(xs), [n, h, w, c]);
          const tfPool = (a: tf.Tensor) => theirs(a as tf.Tensor4D, window, strides, padding);
          expectCloseFloat32(pooled, tfPool(x4).dataSync(), `${name} ${JSON.stringify({ window, ...options })}`);
          const weights = Float64Array.from({ length: pooled.length }, (_, i) => Math.cos(i));
          const paddingReached = padding === 'same' && ((y.node.shape[1]! - 1) * strides[0] + window[0] > h || (y.node.shape[2]! - 1) * strides[1] + window[1] > w);
          if (name === 'avgPool2d' && paddingReached) return;
          const loss = y.mul(Tensor(weights, y.node.shape as number[])).sum();
          const g = grad(loss, { x: X } as never) as unknown as Record<'x', { eval(b: unknown): unknown }>;
          const [gx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(tfPool(a), tf.tensor(Float32Array.from(weights), y.node.shape as number[]))))([x4]);
          expectCloseFloat32(flat(g.x.eval({ x: xs })), gx!.dataSync(), `the gradient of ${name}`);
          tf.dispose([x4, gx!]);
        }),
        { numRuns: 80 },
      );
    });
  }
});
