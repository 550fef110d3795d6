/**
 * Convolution, pooling and flatten in the types, run by `vitest run` in typecheck mode (tsc 7):
 * output shapes computed by the type checker from literal dimensions, exactly, for the operations
 * and for layers chained by `sequential`; what they reject with `@ts-expect-error`. The messages
 * users read are pinned in fixtures/fail/convolution.ts; tsd/convolution.tsd.ts checks the same
 * rules with TypeScript 5.9.
 */
import { describe, expectTypeOf, test } from 'vitest';
import { avgPool2d, conv2d, maxPool2d, TVar, type CeilDiv, type FloorDiv, type MFun, type TFun, type VFun } from '../src/index.js';
import { conv2dLayer, dense, flattenLayer, inputLayer, maxPool2dLayer, avgPool2dLayer, sequential, type Model } from '../src/nn/index.js';

const x = TVar('x', [64, 28, 28, 1]);
/** A dimension known only at run time. */
declare const n: number;

describe('conv2d', () => {
  test("'valid' (the default): H − K + 1", () => {
    expectTypeOf(conv2d(x, TVar('k', [5, 5, 1, 6]), { padding: 'valid' })).toEqualTypeOf<TFun<[64, 24, 24, 6], 'x' | 'k'>>();
    expectTypeOf(conv2d(x, TVar('k', [5, 5, 1, 6]))).toEqualTypeOf<TFun<[64, 24, 24, 6], 'x' | 'k'>>();
    expectTypeOf(conv2d(x, TVar('k', [3, 5, 1, 2]))).toEqualTypeOf<TFun<[64, 26, 24, 2], 'x' | 'k'>>();
  });
  test("stride 2 with 'same': ⌈H / 2⌉", () => {
    expectTypeOf(conv2d(x, TVar('k', [3, 3, 1, 8]), { strides: 2, padding: 'same' })).toEqualTypeOf<TFun<[64, 14, 14, 8], 'x' | 'k'>>();
    expectTypeOf(conv2d(TVar('y', [1, 27, 27, 1]), TVar('k', [3, 3, 1, 8]), { strides: 2, padding: 'same' })).toEqualTypeOf<TFun<[1, 14, 14, 8], 'y' | 'k'>>();
  });
  test('explicit padding, strides per axis and dilations: ⌊(H + P − ((K − 1)·D + 1)) / S⌋ + 1', () => {
    const k = TVar('k', [5, 5, 1, 4]);
    expectTypeOf(conv2d(x, k, { padding: 2 })).toEqualTypeOf<TFun<[64, 28, 28, 4], 'x' | 'k'>>();
    expectTypeOf(conv2d(x, k, { padding: [[1, 2], [0, 0]], strides: [2, 1], dilations: 2 })).toEqualTypeOf<TFun<[64, 12, 20, 4], 'x' | 'k'>>();
    expectTypeOf(conv2d(x, k, { padding: [1, 0], strides: 3 })).toEqualTypeOf<TFun<[64, 9, 8, 4], 'x' | 'k'>>();
  });
  test('a dimension known only at run time stays number, the others are computed', () => {
    expectTypeOf(conv2d(TVar('y', [n, 28, n, 3]), TVar('k', [5, 5, 3, 6]))).toEqualTypeOf<TFun<[number, 24, number, 6], 'y' | 'k'>>();
  });
  test('rejects a kernel of other input channels and a window larger than the padded input', () => {
    // @ts-expect-error input channels 1 and 3
    conv2d(x, TVar('k', [5, 5, 3, 6]));
    // @ts-expect-error a 5×5 window on 4×4
    conv2d(TVar('y', [64, 4, 4, 1]), TVar('k', [5, 5, 1, 6]));
  });
});

describe('pooling and flatten', () => {
  test('a 2×2 window with its default strides halves, rounding down', () => {
    expectTypeOf(maxPool2d(TVar('a', [64, 24, 24, 6]), 2)).toEqualTypeOf<TFun<[64, 12, 12, 6], 'a'>>();
    expectTypeOf(avgPool2d(TVar('a', [64, 9, 9, 6]), 2)).toEqualTypeOf<TFun<[64, 4, 4, 6], 'a'>>();
  });
  test("'same' rounds up; windows and strides per axis", () => {
    expectTypeOf(maxPool2d(TVar('a', [64, 5, 5, 6]), 2, { padding: 'same' })).toEqualTypeOf<TFun<[64, 3, 3, 6], 'a'>>();
    expectTypeOf(avgPool2d(TVar('a', [64, 8, 9, 6]), [2, 3], { strides: [2, 1] })).toEqualTypeOf<TFun<[64, 4, 7, 6], 'a'>>();
  });
  test('flatten keeps the batch axis', () => {
    expectTypeOf(TVar('a', [64, 4, 4, 16]).flatten(1)).toEqualTypeOf<MFun<64, 256, 'a'>>();
    expectTypeOf(TVar('a', [64, 4, 4, 16]).flatten()).toEqualTypeOf<VFun<16384, 'a'>>();
  });
  test('rejects a window larger than the padded input', () => {
    // @ts-expect-error a 2×2 window on 1×1
    maxPool2d(TVar('a', [64, 1, 1, 6]), 2);
  });
});

describe('layers', () => {
  const lenet = sequential(
    inputLayer([28, 28, 1]),
    conv2dLayer('c1', 1, 6, 5, { activation: 'relu' }),
    maxPool2dLayer(2),
    conv2dLayer('c2', 6, 16, 5, { activation: 'relu' }),
    avgPool2dLayer(2),
    flattenLayer(),
    dense('d1', 256, 120, { activation: 'relu' }),
    dense('d2', 120, 10),
  );
  test('sequential takes any number of layers and computes every shape along the chain', () => {
    expectTypeOf(lenet).toEqualTypeOf<Model<[28, 28, 1], 10, 'c1.W' | 'c1.b' | 'c2.W' | 'c2.b' | 'd1.W' | 'd1.b' | 'd2.W' | 'd2.b'>>();
    expectTypeOf(lenet.apply(TVar('images', [64, 28, 28, 1]))).toEqualTypeOf<MFun<64, 10, 'images' | 'c1.W' | 'c1.b' | 'c2.W' | 'c2.b' | 'd1.W' | 'd1.b' | 'd2.W' | 'd2.b'>>();
  });
  test('a model ending in a convolution has a shape as its outputs', () => {
    expectTypeOf(sequential(inputLayer([28, 28, 1]), conv2dLayer('c', 1, 4, 3, { padding: 'same', strides: 2 }))).toEqualTypeOf<Model<[28, 28, 1], [14, 14, 4], 'c.W' | 'c.b'>>();
  });
  test('rejects a layer that does not fit the one before it', () => {
    // @ts-expect-error flatten gives 256, the dense layer takes 200
    sequential(inputLayer([28, 28, 1]), conv2dLayer('c1', 1, 6, 5), maxPool2dLayer(2), conv2dLayer('c2', 6, 16, 5), maxPool2dLayer(2), flattenLayer(), dense('d', 200, 10));
  });
});

describe('the arithmetic behind them', () => {
  test('FloorDiv and CeilDiv on digits', () => {
    expectTypeOf<FloorDiv<23, 2>>().toEqualTypeOf<11>();
    expectTypeOf<CeilDiv<23, 2>>().toEqualTypeOf<12>();
    expectTypeOf<CeilDiv<1000000000000, 3>>().toEqualTypeOf<333333333334>();
    expectTypeOf<FloorDiv<number, 2>>().toEqualTypeOf<number>();
  });
});
