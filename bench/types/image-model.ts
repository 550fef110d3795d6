/**
 * A realistic rank-4 model file, for `npm run bench:types` to measure what shapes of any rank
 * cost the type checker: a small vision transformer on a batch of MNIST images
 * ([64, 28, 28, 1]) written as a user would (importing `typegrad`, every dimension a literal):
 * per-image normalisation, 7×7 patches cut by reshapes and a permutation, a patch embedding and
 * one attention head as batched products, pooling, softmax cross-entropy, and the gradient of
 * every parameter. It is type-checked, not run.
 */
import {
  concat, einsum, grad, logSoftmax, max, MVar, oneHot, pad, relu, sqrt, stack, TVar, VVar, type MFun, type SFun, type TFun, type VFun,
} from 'typegrad';

const batch = 64;
const width = 32;
const classes = 10;

const images = TVar('images', [batch, 28, 28, 1]);
const labels = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5, 0, 2, 8, 8, 4, 1, 9, 7, 1, 6, 9, 3, 9, 9, 3, 7, 5, 1, 0, 5, 8, 2, 0, 9, 7, 4, 9, 4, 4, 5, 9, 2] as const;

// Parameters: a patch embedding, one attention head, a classifier.
const Wp = MVar('Wp', 49, width);
const bp = VVar('bp', width);
const position = MVar('position', 16, width);
const Wq = MVar('Wq', width, width);
const Wk = MVar('Wk', width, width);
const Wv = MVar('Wv', width, width);
const Wo = MVar('Wo', width, classes);
const bo = VVar('bo', classes);
type Parameters = 'Wp' | 'bp' | 'position' | 'Wq' | 'Wk' | 'Wv' | 'Wo' | 'bo';

// Each image scaled to mean 0 and variance 1 (statistics over its pixels, kept as size-1 axes).
const centered: TFun<[64, 28, 28, 1], 'images'> = images.sub(images.mean([1, 2, 3], { keepDims: true }));
const spread: TFun<[64, 1, 1, 1], 'images'> = centered.pow(2).mean([-3, -2, -1], { keepDims: true }).add(1e-5);
const normalized: TFun<[64, 28, 28, 1], 'images'> = centered.div(sqrt(spread));

// 16 patches of 7×7 per image: split rows and columns, bring the two patch axes together, flatten each patch.
const blocks: TFun<[64, 4, 7, 4, 7], 'images'> = normalized.reshape([batch, 4, 7, 4, 7]);
const patches: TFun<[64, 16, 49], 'images'> = blocks.transpose([0, 1, 3, 2, 4]).reshape([batch, 16, -1]);

// Patch embedding: [64, 16, 49]·[49, 32] + bias + a learned position per patch.
const tokens: TFun<[64, 16, 32], 'images' | 'Wp' | 'bp' | 'position'> = relu(patches.matmul(Wp).add(bp).add(position));

// One attention head: scores [64, 16, 16] from batched products, softmax over the keys.
const queries = tokens.matmul(Wq);
const keys = tokens.matmul(Wk);
const values = tokens.matmul(Wv);
const scores: TFun<[64, 16, 16], 'images' | 'Wp' | 'bp' | 'position' | 'Wq' | 'Wk'> = queries.matmul(keys.transpose([0, 2, 1])).div(Math.sqrt(width));
const sameScores = einsum('bqd,bkd->bqk', queries, keys).div(Math.sqrt(width));
const attention = scores.softmax(-1);
const attended: TFun<[64, 16, 32], 'images' | Exclude<Parameters, 'Wo' | 'bo'>> = attention.matmul(values).add(tokens);

// Pooling: the mean and the maximum over the patches, side by side.
const pooled: MFun<64, 32, 'images' | Exclude<Parameters, 'Wo' | 'bo'>> = attended.mean(1);
const peaks: MFun<64, 32, 'images' | Exclude<Parameters, 'Wo' | 'bo'>> = max(attended, 1);
const features: MFun<64, 64, 'images' | Exclude<Parameters, 'Wo' | 'bo'>> = concat([pooled, peaks], 1);
const summary: TFun<[64, 32, 2], 'images' | Exclude<Parameters, 'Wo' | 'bo'>> = stack([pooled, peaks], -1);
const averaged: MFun<64, 32, 'images' | Exclude<Parameters, 'Wo' | 'bo'>> = summary.mean(-1);

// The classifier and softmax cross-entropy against one-hot labels.
const logits: MFun<64, 10, 'images' | Parameters> = averaged.matmul(Wo).add(bo);
const targets: MFun<64, 10, never> = oneHot(labels, classes);
const loss: SFun<'images' | Parameters> = logSoftmax(logits).mul(targets).sum().neg().div(batch);

// One gradient per parameter, each of its parameter's shape.
const gradients = grad(loss, { Wp, bp, position, Wq, Wk, Wv, Wo, bo });
export const dWp: MFun<49, 32, 'images' | Parameters> = gradients.Wp;
export const dposition: MFun<16, 32, 'images' | Parameters> = gradients.position;
export const dbo: VFun<10, 'images' | Parameters> = gradients.bo;

// Padded borders (28 → 32) and an attention map per image for inspection.
export const padded: TFun<[64, 32, 32, 1], 'images'> = pad(pad(normalized, 1, 2, 2), 2, 2, 2);
export const attentionMap: TFun<[64, 4, 4, 16], 'images' | Exclude<Parameters, 'Wo' | 'bo' | 'Wv'>> = attention.reshape([batch, 4, 4, 16]);
export const features2: MFun<64, 64, 'images' | Exclude<Parameters, 'Wo' | 'bo'>> = features;
export const check: TFun<[64, 16, 16], 'images' | 'Wp' | 'bp' | 'position' | 'Wq' | 'Wk'> = sameScores;

const at = { images: new Float64Array(batch * 28 * 28), Wp: new Float64Array(49 * width), bp: new Float64Array(width), position: new Float64Array(16 * width), Wq: new Float64Array(width * width), Wk: new Float64Array(width * width), Wv: new Float64Array(width * width), Wo: new Float64Array(width * classes), bo: new Float64Array(classes) };
export const value: number = loss.eval(at);
export const probabilities: number[][] = logits.eval(at);
