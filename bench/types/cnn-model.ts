/**
 * A realistic convolutional model file, for `npm run bench:types` to measure what convolution
 * and pooling shapes cost the type checker: the LeNet of `npm run demo:cnn` written twice as a
 * user would (importing `typegrad`, every dimension a literal): with the operations (conv2d,
 * max pooling, flatten, dense products, the loss and the gradient of every parameter), and with
 * layers chained by `sequential`, trained and evaluated. It is type-checked, not run.
 */
import { avgPool2d, conv2d, grad, logSoftmax, maxPool2d, MVar, relu, TVar, VVar, type MFun, type SFun, type TFun, type VFun } from 'typegrad';
import { adam, conv2dLayer, dense, evaluate, flattenLayer, inputLayer, maxPool2dLayer, sequential, train, type Model } from 'typegrad/nn';
import { loadMnist } from 'typegrad/node';

const batch = 64;

// The operations: every shape below is computed by the type checker from the literals.
const images = TVar('images', [batch, 28, 28, 1]);
const labels = MVar('labels', batch, 10);
const k1 = TVar('k1', [5, 5, 1, 6]);
const b1 = VVar('b1', 6);
const k2 = TVar('k2', [5, 5, 6, 16]);
const b2 = VVar('b2', 16);
const W3 = MVar('W3', 256, 120);
const b3 = VVar('b3', 120);
const W4 = MVar('W4', 120, 10);
const b4 = VVar('b4', 10);

const c1: TFun<[64, 24, 24, 6], 'images' | 'k1' | 'b1'> = relu(conv2d(images, k1, { padding: 'valid' }).add(b1));
const p1: TFun<[64, 12, 12, 6], 'images' | 'k1' | 'b1'> = maxPool2d(c1, 2);
const c2: TFun<[64, 8, 8, 16], 'images' | 'k1' | 'b1' | 'k2' | 'b2'> = relu(conv2d(p1, k2).add(b2));
const p2: TFun<[64, 4, 4, 16], 'images' | 'k1' | 'b1' | 'k2' | 'b2'> = maxPool2d(c2, [2, 2], { strides: 2 });
const features: MFun<64, 256, 'images' | 'k1' | 'b1' | 'k2' | 'b2'> = p2.flatten(1);
const hidden = relu(features.matmul(W3).add(b3));
const logits: MFun<64, 10, 'images' | 'k1' | 'b1' | 'k2' | 'b2' | 'W3' | 'b3' | 'W4' | 'b4'> = hidden.matmul(W4).add(b4);
const loss: SFun<'images' | 'labels' | 'k1' | 'b1' | 'k2' | 'b2' | 'W3' | 'b3' | 'W4' | 'b4'> = logSoftmax(logits).mul(labels).sum().neg().div(batch);
const gradients = grad(loss, { k1, b1, k2, b2, W3, b3, W4, b4 });
export const dk1: TFun<[5, 5, 1, 6], string> = gradients.k1;
export const dk2: TFun<[5, 5, 6, 16], string> = gradients.k2;
export const dW3: MFun<256, 120, string> = gradients.W3;
export const db4: VFun<10, string> = gradients.b4;

// Other windows: strided 'same' convolutions, dilations, average pooling with padding.
export const strided: TFun<[64, 14, 14, 8], 'images' | 'k'> = conv2d(images, TVar('k', [3, 3, 1, 8]), { strides: 2, padding: 'same' });
export const dilated: TFun<[64, 20, 20, 4], 'images' | 'k'> = conv2d(images, TVar('k', [5, 5, 1, 4]), { dilations: 2 });
export const averaged: TFun<[64, 7, 7, 8], 'images' | 'k'> = avgPool2d(strided, 3, { strides: 2, padding: 'same' });

// The layers: sequential computes each layer's output from the one before.
const model: Model<[28, 28, 1], 10, 'c1.W' | 'c1.b' | 'c2.W' | 'c2.b' | 'd1.W' | 'd1.b' | 'd2.W' | 'd2.b'> = sequential(
  inputLayer([28, 28, 1]),
  conv2dLayer('c1', 1, 6, 5, { activation: 'relu' }),
  maxPool2dLayer(2),
  conv2dLayer('c2', 6, 16, 5, { activation: 'relu' }),
  maxPool2dLayer(2),
  flattenLayer(),
  dense('d1', 256, 120, { activation: 'relu' }),
  dense('d2', 120, 10),
);
export const outputs: MFun<64, 10, string> = model.apply(images);
const mnist = loadMnist({ train: 8000, test: 2000 });
const result = train(model, { inputs: mnist.train.images, targets: mnist.train.oneHot }, { epochs: 5, batchSize: batch, optimizer: adam({ lr: 1e-3 }) });
export const accuracy: number = evaluate(model, result.params, { inputs: mnist.test.images, targets: mnist.test.oneHot }).accuracy;
export const value: number = loss.eval({ images: new Float64Array(batch * 784), labels: new Float64Array(batch * 10), k1: new Float64Array(150), b1: new Float64Array(6), k2: new Float64Array(2400), b2: new Float64Array(16), W3: new Float64Array(256 * 120), b3: new Float64Array(120), W4: new Float64Array(1200), b4: new Float64Array(10) });
