/**
 * The TensorFlow.js lowering of each tensor primitive: the tf op on whole tensors of the node's
 * rank (scalar, vector, matrix; row-major as typegrad's). One entry per primitive, nothing else.
 */
import type { Node } from '../ad/node.js';
import type { TensorPrimitiveName } from '../ad/primitives/index.js';
import type { Tensor, Tf } from './tfjs-lowering.js';

/**
 * Lowers one tensor operation. `transposed[i]` says that operand i is a transpose left
 * unmaterialised: `args[i]` is the matrix it transposes (only `matmul` is given such operands,
 * and passes them to tf.matMul's transposeA / transposeB).
 */
export type TfjsTensorLowering = (tf: Tf, args: readonly Tensor[], node: Node, transposed: readonly boolean[]) => Tensor;

/** The reduction axis for tf: undefined (all elements) for no axis or a vector. */
const axisOf = (node: Node): number | undefined => (node.attrs.length === 0 || node.args[0]!.shape.length < 2 ? undefined : node.attrs[0]);

/** The tf begin and size of a block of `shape` covering `start..start+length` along `axis`. */
function block(shape: readonly number[], axis: number, start: number, length: number): [number[], number[]] {
  return [shape.map((_, i) => (i === axis ? start : 0)), shape.map((d, i) => (i === axis ? length : d))];
}

export const tfjsTensorLowering: Record<TensorPrimitiveName, TfjsTensorLowering> = {
  broadcast: (tf, [x], node) => tf.broadcastTo(x!, node.attrs as number[]),
  sum: (tf, [x], node) => tf.sum(x!, axisOf(node)),
  logsumexp: (tf, [x], node) => (x!.rank === 0 ? x! : tf.logSumExp(x!, axisOf(node))),
  // tf.softmax works along the last axis: the whole vector, or each row of a matrix.
  softmax: (tf, [x]) => (x!.rank === 0 ? tf.reshape(tf.softmax(tf.reshape(x!, [1])), []) : tf.softmax(x!)),
  matmul: (tf, [a, b], node, [ta, tb]) => {
    const left = a!.rank === 1 ? tf.reshape(a!, [1, a!.shape[0]!]) : a!;
    const right = b!.rank === 1 ? tf.reshape(b!, [b!.shape[0]!, 1]) : b!;
    return tf.reshape(tf.matMul(left as never, right as never, ta, tb), node.shape as number[]);
  },
  // A column times a row, broadcast: tf.outerProduct returned wrong elements on the wasm engine
  // for an operand made by tf.broadcastTo (found by the agreement test).
  outer: (tf, [a, b]) => tf.mul(tf.reshape(a!, [a!.shape[0]!, 1]), tf.reshape(b!, [1, b!.shape[0]!])),
  transpose: (tf, [x]) => tf.transpose(x!),
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
};
