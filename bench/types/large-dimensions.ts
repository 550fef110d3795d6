/**
 * Dataset-sized dimensions in the types: the whole MNIST training set (60000×784) times the first
 * layer's weights (784×128), and the products and reshapes that follow. `npm run bench:types`
 * checks that this compiles without TS2589 ("excessively deep") or TS2799 and measures its cost.
 */
import { concat, matmul, MVar, relu, VVar, type MFun, type VFun } from 'typegrad';

const images = MVar('images', 60000, 784);
const W1 = MVar('W1', 784, 128);
const W2 = MVar('W2', 128, 10);

export const hidden: MFun<60000, 128, 'images' | 'W1'> = relu(images.matmul(W1));
export const logits: MFun<60000, 10, 'images' | 'W1' | 'W2'> = matmul(hidden, W2);
export const scores: VFun<60000, 'images' | 'W1' | 'W2'> = logits.logsumexp(1);
export const pixels: VFun<47040000, 'images'> = images.flatten();
export const back: MFun<60000, 784, 'images'> = pixels.reshape(60000, 784);
export const gram: MFun<784, 784, 'images'> = images.T.matmul(images);
export const joined: VFun<47040128, 'images' | 'b'> = concat(pixels, VVar('b', 128));
