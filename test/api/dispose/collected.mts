/**
 * Run by dispose.test.ts in a child process with --expose-gc: tfjs programs with constants,
 * dropped without dispose(), release their tensors once collected. Prints one JSON line.
 */
import * as tf from '@tensorflow/tfjs-core';
import { compile, initBackend, Mat, matmul, MVar } from '../../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
await initBackend('tfjs');
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
const A = MVar('A', 2, 2);
const baseline = tf.memory().numTensors;
for (let i = 0; i < 50; i++) {
  const f = compile(matmul(A, Mat([1, 2], [3, i])), { backend: 'tfjs' });
  f({ A: [[1, 0], [0, 1]] });
}
const held = tf.memory().numTensors - baseline;
for (let i = 0; i < 10; i++) {
  await settle();
  gc();
}
await settle();
console.log(JSON.stringify({ held, left: tf.memory().numTensors - baseline }));
