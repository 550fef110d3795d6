/**
 * Helpers of the batching rules (`batch` in the tensor records, used by `vmap`): a batched
 * operand carries the batch axis first, [B, ...shape]; an unbatched one is as it was.
 * (`alignBatched` is in broadcasting.ts, whose batching rule uses it.)
 */
import type { Node } from '../node.js';
import { broadcastTo } from './broadcasting.js';
import type { Builder } from './types.js';

/** `x` with its axis `from` moved to position `to` (a transpose; `x` itself when they agree). */
export function moveAxis(b: Builder, x: Node, from: number, to: number): Node {
  if (from === to) return x;
  const order = x.shape.map((_, i) => i).filter((i) => i !== from);
  order.splice(to, 0, from);
  return b.apply('transpose', [x], order);
}

/** An operand as a batched one: itself if batched, else repeated along a new leading axis of size `size`. */
export function withBatch(b: Builder, x: Node, batched: boolean, size: number): Node {
  return batched ? x : broadcastTo(b, x, [size, ...x.shape]);
}

/** The batch size: the leading axis of the first batched operand. */
export function batchSize(args: readonly Node[], batched: readonly boolean[]): number {
  return args[batched.indexOf(true)]!.shape[0]!;
}

/**
 * Indices of a batched gather or scatter moved to one flat axis of `size · n` positions: index i
 * of example k becomes k·n + i, and an index outside [0, n) becomes −1, so that the operation's
 * own check still rejects it (it would otherwise land in the next example).
 */
export function flatIndices(b: Builder, indices: Node, n: number): Node {
  const [size, ...rest] = indices.shape as [number, ...number[]];
  const offsets = b.apply('pack', Array.from({ length: size }, (_, k) => b.constant(k * n)), [size, ...rest.map(() => 1)]);
  const valid = b.mul(b.apply('ge', [indices, b.constant(0)]), b.apply('lt', [indices, b.constant(n)]));
  return b.apply('where', [valid, b.add(indices, offsets), b.constant(-1)]);
}

/** A row of `count` axes numbered from `start`. */
export const axesFrom = (start: number, count: number): number[] => Array.from({ length: count }, (_, i) => start + i);
