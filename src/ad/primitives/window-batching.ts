/**
 * Batching rules (`vmap`) of the convolution and pooling primitives, each one operation of the
 * same kind wherever the batch can be folded into an axis the operation already treats
 * independently:
 * - images: convolution and pooling treat each image of [N, H, W, C] on its own, so a batch of
 *   images [B, N, H, W, C] is the images [B·N, H, W, C] (pooling always; conv2d and
 *   conv2dBackpropInput when the kernel is shared);
 * - channels: each output channel of a convolution uses its own kernel column, so a batch of
 *   kernels is a kernel B times as wide in the output channels (conv2d of a shared input,
 *   conv2dBackpropInput of a shared seed by its input channels), and conv2dBackpropFilter of
 *   one batched operand computes each example's kernel in its own channels.
 * Where both operands of a convolution are batched no such fold is exact (the examples' channels
 * would mix, or B times the work would be thrown away), and the operation is applied to each
 * example and the results stacked, as vmap does for a primitive without a rule.
 */
import type { Node } from '../node.js';
import { reshapeTo } from './broadcasting.js';
import { withBatch } from './batch-axis.js';
import type { Builder } from './types.js';

/** A batched rank-5 node [B, N, ...] as [B·N, ...], and back. */
const merged = (b: Builder, x: Node) => reshapeTo(b, x, [x.shape[0]! * x.shape[1]!, ...x.shape.slice(2)]);
const split = (b: Builder, y: Node, size: number) => reshapeTo(b, y, [size, y.shape[0]! / size, ...y.shape.slice(1)]);

/** A batched [B, ...s] with its batch axis moved before the last axis and joined with it: [...s', B·last]. */
function intoChannels(b: Builder, x: Node, channelAxis: number): Node {
  const rank = x.shape.length;
  const order = [...Array.from({ length: rank - 1 }, (_, i) => i + 1).filter((i) => i !== channelAxis + 1)];
  order.splice(channelAxis, 0, 0, channelAxis + 1);
  const moved = b.apply('transpose', [x], order);
  const shape = [...moved.shape];
  shape.splice(channelAxis, 2, shape[channelAxis]! * shape[channelAxis + 1]!);
  return reshapeTo(b, moved, shape);
}

/** The inverse of `intoChannels` on a result: its axis `channelAxis` of B·C split and B moved first. */
function outOfChannels(b: Builder, y: Node, channelAxis: number, size: number): Node {
  const shape = [...y.shape];
  shape.splice(channelAxis, 1, size, y.shape[channelAxis]! / size);
  const unfolded = reshapeTo(b, y, shape);
  const order = unfolded.shape.map((_, i) => i).filter((i) => i !== channelAxis);
  return b.apply('transpose', [unfolded], [channelAxis, ...order]);
}

/** The operation applied to each example (its batched operands sliced) and the results stacked. */
function eachExample(b: Builder, self: Node, args: readonly Node[], batched: readonly boolean[], size: number): Node {
  const results: Node[] = [];
  for (let k = 0; k < size; k++) {
    const example = args.map((a, i) => (batched[i] ? reshapeTo(b, b.apply('slice', [a], [0, k, k + 1]), a.shape.slice(1)) : a));
    results.push(reshapeTo(b, b.apply(self.op, example, self.attrs), [1, ...self.shape]));
  }
  return results.length === 1 ? results[0]! : b.apply('concat', results, [0]);
}

const sizeOf = (args: readonly Node[], batched: readonly boolean[]) => args[batched.indexOf(true)]!.shape[0]!;

/** Pooling and its derivatives: every operand is images; the batch folds into them. */
export function batchImages(args: readonly Node[], batched: readonly boolean[], self: Node, b: Builder): Node {
  const size = sizeOf(args, batched);
  const images = args.map((a, i) => merged(b, withBatch(b, a, batched[i]!, size)));
  return split(b, b.apply(self.op, images, self.attrs), size);
}

/**
 * conv2d(x, k) and conv2dBackpropInput(dy, k): images and a kernel [KH, KW, C, O] (conv2d makes
 * O channels from C, backpropInput C from O).
 */
export function batchConvolution(args: readonly Node[], batched: readonly boolean[], self: Node, b: Builder): Node {
  const size = sizeOf(args, batched);
  const [images, kernel] = args as [Node, Node];
  if (!batched[1]) return split(b, b.apply(self.op, [merged(b, images), kernel], self.attrs), size);
  if (batched[0]) return eachExample(b, self, args, batched, size);
  // The kernels side by side in the channels the operation produces.
  const made = self.op === 'conv2d' ? 3 : 2;
  return outOfChannels(b, b.apply(self.op, [images, intoChannels(b, kernel, made)], self.attrs), 3, size);
}

/** conv2dBackpropFilter(x, dy): one batched operand's examples in its channels, each its kernel's. */
export function batchFilter(args: readonly Node[], batched: readonly boolean[], self: Node, b: Builder): Node {
  const size = sizeOf(args, batched);
  const [x, dy] = args as [Node, Node];
  if (batched[0] && batched[1]) return eachExample(b, self, args, batched, size);
  if (batched[0]) return outOfChannels(b, b.apply(self.op, [intoChannels(b, x, 3), dy], self.attrs), 2, size);
  return outOfChannels(b, b.apply(self.op, [x, intoChannels(b, dy, 3)], self.attrs), 3, size);
}
