/**
 * tsd tests of convolution, pooling and layer chains, checked by TypeScript 5.9 (tsd's bundled
 * compiler) via `npm run test:tsd`; ../convolution.test-d.ts checks the same rules with
 * TypeScript 7 and ../fixtures/fail/convolution.ts pins the messages.
 */
import { expectError, expectType } from 'tsd';
import { avgPool2d, conv2d, maxPool2d, TVar, type MFun, type TFun } from '../../src/index.js';
import { conv2dLayer, dense, flattenLayer, inputLayer, maxPool2dLayer, sequential, type Model } from '../../src/nn/index.js';

const images = TVar('images', [64, 28, 28, 1]);
declare const n: number;

expectType<TFun<[64, 24, 24, 6], 'images' | 'k'>>(conv2d(images, TVar('k', [5, 5, 1, 6]), { padding: 'valid' }));
expectType<TFun<[64, 14, 14, 8], 'images' | 'k'>>(conv2d(images, TVar('k', [3, 3, 1, 8]), { strides: 2, padding: 'same' }));
expectType<TFun<[64, 12, 20, 4], 'images' | 'k'>>(conv2d(images, TVar('k', [5, 5, 1, 4]), { padding: [[1, 2], [0, 0]], strides: [2, 1], dilations: 2 }));
expectType<TFun<[number, 24, number, 6], 'y' | 'k'>>(conv2d(TVar('y', [n, 28, n, 3]), TVar('k', [5, 5, 3, 6])));
expectType<TFun<[64, 12, 12, 6], 'a'>>(maxPool2d(TVar('a', [64, 24, 24, 6]), 2));
expectType<TFun<[64, 3, 3, 6], 'a'>>(avgPool2d(TVar('a', [64, 5, 5, 6]), 2, { padding: 'same' }));
expectType<MFun<64, 256, 'a'>>(TVar('a', [64, 4, 4, 16]).flatten(1));

expectError(conv2d(images, TVar('k', [5, 5, 3, 6])));
expectError(conv2d(TVar('y', [64, 4, 4, 1]), TVar('k', [5, 5, 1, 6])));
expectError(maxPool2d(TVar('a', [64, 1, 1, 6]), 2));

const lenet = sequential(
  inputLayer([28, 28, 1]),
  conv2dLayer('c1', 1, 6, 5, { activation: 'relu' }),
  maxPool2dLayer(2),
  conv2dLayer('c2', 6, 16, 5, { activation: 'relu' }),
  maxPool2dLayer(2),
  flattenLayer(),
  dense('d1', 256, 120, { activation: 'relu' }),
  dense('d2', 120, 10),
);
expectType<Model<[28, 28, 1], 10, 'c1.W' | 'c1.b' | 'c2.W' | 'c2.b' | 'd1.W' | 'd1.b' | 'd2.W' | 'd2.b'>>(lenet);
expectError(sequential(inputLayer([28, 28, 1]), conv2dLayer('c1', 1, 6, 5), maxPool2dLayer(2), flattenLayer(), dense('d', 200, 10)));
expectError(sequential(inputLayer([28, 28, 1]), conv2dLayer('c1', 1, 6, 5), conv2dLayer('c2', 8, 16, 5)));
