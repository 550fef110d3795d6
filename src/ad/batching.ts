/**
 * Batching (the core of `vmap`): an expression written for one example rewritten for a batch of
 * them, as one expression whose batched values carry a leading batch axis. One pass in
 * topological order: a node none of whose operands is batched stays as it is (it is the same for
 * every example); any other is rebuilt by its primitive's batching rule — for elementwise
 * primitives one generic rule (batched operands aligned below the batch axis, so that numpy's
 * broadcasting keeps it first), for tensor primitives the record's `batch`. A primitive without a
 * rule is applied to each example and the results stacked (correct, but one node per example).
 *
 * Why rules per primitive (as JAX) rather than the planner's batch mode (a loop around the
 * program): the result is an expression again, so it differentiates, nests (vmap of vmap), and
 * compiles to one program whose operations are batched (a matrix product of a batch is one
 * batched product on every backend, not B small ones), and in_axes/out_axes are transposes.
 */
import { apply, builder } from './build.js';
import { noteCustomNode } from './custom-rules.js';
import { TypegradError } from './errors.js';
import type { Node } from './node.js';
import { alignBatched } from './primitives/broadcasting.js';
import { primitiveOf } from './primitives/index.js';
import { describeShape, sameShape } from './shape.js';
import { topologicalOrder } from './traverse.js';

/** A node's image in the batched expression: batched (batch axis first) or not (the same for every example). */
export interface Batched {
  readonly node: Node;
  readonly batched: boolean;
}

/**
 * The images of `roots` when each variable of `inputs` is replaced by its batched value (a node
 * of shape [size, ...variable.shape]).
 */
export function batchNodes(roots: readonly Node[], inputs: ReadonlyMap<Node, Node>, size: number): Batched[] {
  const image = new Map<Node, Batched>();
  for (const [variable, value] of inputs) {
    if (!sameShape(value.shape, [size, ...variable.shape])) {
      throw new Error(`internal: batched value of '${variable.name}' has shape ${describeShape(value.shape)}, not [${size}, ...${describeShape(variable.shape)}]`);
    }
    image.set(variable, { node: value, batched: true });
  }
  for (const node of topologicalOrder(roots)) {
    if (image.has(node)) continue;
    const args = node.args.map((a) => image.get(a)!);
    const batched = args.map((a) => a.batched);
    // Unbatched operands are the nodes themselves (only the inputs change), so the node is too.
    if (!batched.some(Boolean)) {
      image.set(node, { node, batched: false });
      continue;
    }
    const result = batchedNode(node, args.map((a) => a.node), batched, size);
    if (!sameShape(result.shape, [size, ...node.shape])) {
      throw new Error(`internal: the batching rule of '${node.op}' gave ${describeShape(result.shape)}, not [${size}, ...${describeShape(node.shape)}]`);
    }
    image.set(node, { node: result, batched: true });
  }
  return roots.map((r) => image.get(r)!);
}

function batchedNode(node: Node, args: readonly Node[], batched: readonly boolean[], size: number): Node {
  const primitive = primitiveOf(node.op);
  if (primitive.kind === 'elementwise') {
    const rank = node.shape.length;
    return apply(node.op, args.map((a, i) => (batched[i] ? alignBatched(builder, a, rank) : a)));
  }
  if (primitive.batch !== undefined) return primitive.batch(args, batched, node, builder);
  return exampleByExample(node, args, batched, size);
}

/** The operation applied to each example (its batched operands sliced) and the results stacked. */
function exampleByExample(node: Node, args: readonly Node[], batched: readonly boolean[], size: number): Node {
  if (size > 100_000) throw new TypegradError(`vmap: '${node.op}' has no batching rule, and ${size} examples are too many to apply it to one by one`);
  const results: Node[] = [];
  for (let k = 0; k < size; k++) {
    const example = args.map((a, i) => (batched[i] ? apply('reshape', [apply('slice', [a], [0, k, k + 1])], a.shape.slice(1)) : a));
    const result = apply(node.op, example, node.attrs);
    noteCustomNode(result);
    results.push(apply('reshape', [result], [1, ...result.shape]));
  }
  return results.length === 1 ? results[0]! : apply('concat', results, [0]);
}
