/**
 * The TensorFlow.js lowering of each tensor primitive: the tf ops on whole tensors of any rank
 * (row-major as typegrad's). One entry per primitive, nothing else.
 */
import { TypegradError } from '../../ad/errors.js';
import type { Node } from '../../ad/node.js';
import type { TensorPrimitiveName } from '../../ad/primitives/index.js';
import { productLayout } from '../../ad/primitives/linear-algebra.js';
import type { Tensor, Tf } from './elementwise-lowering.js';
import { tfjsWindowLowering } from './window-lowering.js';

/**
 * Lowers one tensor operation. `transposed[i]` says that operand i is a transpose of its last
 * two axes left unmaterialised: `args[i]` is the tensor it transposes (only `matmul` is given
 * such operands, and passes them to tf.matMul's transposeA / transposeB).
 */
export type TfjsTensorLowering = (tf: Tf, args: readonly Tensor[], node: Node, transposed: readonly boolean[]) => Tensor;

/** The tf begin and size of a block of `shape` covering `start..start+length` along `axis`. */
function block(shape: readonly number[], axis: number, start: number, length: number): [number[], number[]] {
  return [shape.map((_, i) => (i === axis ? start : 0)), shape.map((d, i) => (i === axis ? length : d))];
}

/**
 * Index values as int32 after checking them on the host: tf casts 1.5 to 1 and leaves an index
 * out of range to the engine, where typegrad's rule is a TypegradError (as on js).
 */
function checkedIndices(tf: Tf, indices: Tensor, n: number, operation: string): Tensor {
  for (const value of indices.dataSync()) {
    if (!(value >= 0 && value < n && Math.floor(value) === value)) throw new TypegradError(`${operation}: index ${value} is not an integer in [0, ${n})`);
  }
  return tf.cast(indices, 'int32');
}

/** A permutation moving `axis` to the end (its own inverse when applied to the moved axis back). */
function toLast(rank: number, axis: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis);
  return [...perm, axis];
}

/**
 * A matmul operand (a stack of matrices) repeated to the product's batch shape, unless its batch
 * axes are already that shape or all of size 1. tf.matMul broadcasts only those two cases right:
 * when both operands repeat, along different axes ([2, 1] and [1, 2] batches), it reads the wrong
 * matrices (tfjs 4.22, cpu and wasm engines alike).
 */
function withBatch(tf: Tf, x: Tensor, batch: readonly number[]): Tensor {
  const own = x.shape.slice(0, -2);
  const padded = [...new Array<number>(batch.length - own.length).fill(1), ...own];
  if (padded.every((d) => d === 1) || padded.every((d, i) => d === batch[i])) return x;
  return tf.broadcastTo(x, [...batch, ...x.shape.slice(-2)]);
}

/** Every tensor primitive but `custom`, which every backend decomposes into its rule's primal. */
export const tfjsTensorLowering: Record<Exclude<TensorPrimitiveName, 'custom'>, TfjsTensorLowering> = {
  broadcast: (tf, [x], node) => tf.broadcastTo(x!, node.attrs as number[]),
  sum: (tf, [x], node) => tf.sum(x!, node.attrs as number[]),
  max: (tf, [x], node) => tf.max(x!, node.attrs as number[]),
  // m + ln Σ exp(x − m) with the maximum m shifted out only where it is finite: tf.logSumExp
  // shifts by an infinite maximum too, and ∞ − ∞ made an all −∞ row (or a +∞ entry) NaN.
  logsumexp: (tf, [x], node) => {
    const axes = node.attrs as number[];
    const m = tf.max(x!, axes, true);
    const shift = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
    return tf.add(tf.reshape(shift, node.shape as number[]), tf.log(tf.sum(tf.exp(tf.sub(x!, shift)), axes)));
  },
  // tf.softmax works along the last axis: another axis is moved there and back.
  softmax: (tf, [x], node) => {
    const axis = node.attrs[0]!;
    if (axis === x!.rank - 1) return tf.softmax(x!);
    const perm = toLast(x!.rank, axis);
    const back = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(tf.softmax(tf.transpose(x!, perm)), back);
  },
  matmul: (tf, [a, b], node, [ta, tb]) => {
    const { batch } = productLayout(node.args[0]!.shape, node.args[1]!.shape);
    const left = withBatch(tf, a!.rank === 1 ? tf.reshape(a!, [1, a!.shape[0]!]) : a!, batch);
    const right = withBatch(tf, b!.rank === 1 ? tf.reshape(b!, [b!.shape[0]!, 1]) : b!, batch);
    return tf.reshape(tf.matMul(left as never, right as never, ta, tb), node.shape as number[]);
  },
  transpose: (tf, [x], node) => tf.transpose(x!, node.attrs as number[]),
  pack: (tf, args, node) => tf.reshape(tf.stack(args as Tensor[]), node.attrs as number[]),
  get: (tf, [x], node) => tf.reshape(tf.slice(x!, node.attrs as number[], node.attrs.map(() => 1)), []),
  slice: (tf, [x], node) => {
    const [axis, start, end] = node.attrs as [number, number, number];
    const [begin, size] = block(x!.shape, axis, start, end - start);
    return tf.slice(x!, begin, size);
  },
  pad: (tf, [x], node) => {
    const [axis, before, after] = node.attrs as [number, number, number];
    return tf.pad(x!, x!.shape.map((_, i) => (i === axis ? [before, after] : [0, 0])) as [number, number][]);
  },
  concat: (tf, args, node) => tf.concat(args as Tensor[], node.attrs[0]),
  reshape: (tf, [x], node) => tf.reshape(x!, node.attrs as number[]),
  gather: (tf, [x, indices], node) => {
    const axis = node.attrs[0]!;
    return tf.gather(x!, checkedIndices(tf, indices!, x!.shape[axis]!, 'gather'), axis);
  },
  // The indexed axes moved to the front and flattened, scattered with addition, and moved back.
  scatterAdd: (tf, [values, indices], node) => {
    const [axis, n] = node.attrs as [number, number];
    const rank = values!.rank, count = indices!.rank;
    const front = [...Array.from({ length: count }, (_, i) => axis + i), ...Array.from({ length: rank }, (_, i) => i).filter((i) => i < axis || i >= axis + count)];
    const moved = tf.transpose(values!, front);
    const flat = tf.reshape(moved, [indices!.size, ...moved.shape.slice(count)]);
    const ids = tf.reshape(checkedIndices(tf, indices!, n, 'scatterAdd'), [indices!.size, 1]);
    // tf.scatterND adds the updates of repeated indices (UnsortedSegmentSum has no wasm kernel).
    const summed = tf.scatterND(ids, flat, [n, ...moved.shape.slice(count)]);
    const back = [...Array.from({ length: axis }, (_, i) => i + 1), 0, ...Array.from({ length: rank - axis - count }, (_, i) => axis + 1 + i)];
    return tf.transpose(summed, back);
  },
  // 1 where the index equals the position (exactly the reference's rule; tf.oneHot would truncate 1.5 to 1).
  oneHot: (tf, [indices], node) => tf.cast(tf.equal(tf.expandDims(indices!, -1), tf.range(0, node.attrs[0]!, 1, 'float32')), 'float32'),
  ...tfjsWindowLowering,
};
