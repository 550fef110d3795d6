/**
 * Losses of a batch of outputs Z: [B, C] against targets Y: [B, C], as scalar Funs. Each is the
 * mean over the rows of a per-example loss, or with `weights` (a [B] vector) the weighted sum
 * Σᵢ wᵢℓᵢ: `train` passes 1/n for the n real rows of a batch and 0 for padding rows, so one
 * program serves full and partial batches.
 */
import type { MFun } from '../api/matrix.js';
import type { SFun } from '../api/scalar.js';
import type { VFun } from '../api/vector.js';

function reduce<B extends number, V extends string, W extends string>(perExample: VFun<B, V>, weights: VFun<B, W> | undefined): SFun<V | W> {
  return weights === undefined ? perExample.mean() : perExample.dot(weights as VFun<B, W> & unknown);
}

/**
 * Softmax cross-entropy of logits Z against one-hot (or probability) targets Y, computed stably
 * from logsumexp instead of ln(softmax): ℓᵢ = logsumexp(Zᵢ) − Σⱼ Yᵢⱼ Zᵢⱼ, the loss is mean(ℓ).
 * @example softmaxCrossEntropy(model.apply(X), Y)
 */
export function softmaxCrossEntropy<B extends number, C extends number, V extends string, W extends string, U extends string = never>(
  logits: MFun<B, C, V>,
  targets: MFun<NoInfer<B>, NoInfer<C>, W>,
  weights?: VFun<NoInfer<B>, U>,
): SFun<V | W | U> {
  const perExample = logits.logsumexp(1).sub(targets.mul(logits as never).sum(1) as VFun<B, W | V>);
  return reduce(perExample, weights);
}

/**
 * Mean squared error: ℓᵢ = mean over the columns of (Zᵢⱼ − Yᵢⱼ)², the loss is mean(ℓ) (the mean
 * of all squared differences).
 * @example meanSquaredError(model.apply(X), Y)
 */
export function meanSquaredError<B extends number, C extends number, V extends string, W extends string, U extends string = never>(
  outputs: MFun<B, C, V>,
  targets: MFun<NoInfer<B>, NoInfer<C>, W>,
  weights?: VFun<NoInfer<B>, U>,
): SFun<V | W | U> {
  const difference = outputs.sub(targets as never) as MFun<B, C, V | W>;
  return reduce(difference.mul(difference as never).mean(1) as VFun<B, V | W>, weights);
}
