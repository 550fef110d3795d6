/**
 * Reverse-mode symbolic differentiation: ONE backward pass over the DAG builds the partial
 * derivatives with respect to every requested variable, so a gradient costs O(size of f),
 * not O(number of variables · size of f).
 *
 * The pass is micrograd's, over symbols instead of numbers: visit nodes from the root down
 * (reverse topological order) and add each node's contribution to each argument's adjoint.
 * An adjoint has its node's shape: a matrix variable's gradient is one matrix node, built by the
 * matrix-calculus rules of the tensor primitives (`vjp`), never element by element.
 */
import { builder } from './build.js';
import type { Node } from './node.js';
import { sumTo, zeros } from './primitives/broadcasting.js';
import { primitiveOf } from './primitives/index.js';
import { dependsOnByPosition, indexedOrder, keepPositions, positionIn } from './traverse.js';

/**
 * The gradient of `root` by each of `variables`. A non-scalar root is contracted with `seed`
 * (of the root's shape; default 1), giving the vector-Jacobian product seedᵀ·J.
 */
export function reverseGradient(root: Node, variables: readonly Node[], seed: Node = builder.constant(1)): Node[] {
  const { order, traversal } = indexedOrder([root]);
  const live = dependsOnByPosition(order, traversal, variables);
  // adjoint[k]: the adjoint of order[k] so far (by position: the order is this pass's index).
  const adjoint = new Array<Node | undefined>(order.length);
  const top = order.length - 1;
  const accumulate = (arg: Node, contribution: Node) => {
    const p = positionIn(arg, traversal);
    const previous = adjoint[p];
    adjoint[p] = previous === undefined ? contribution : builder.add(previous, contribution);
  };
  if (live[top] === 1) adjoint[top] = seed.shape.length === root.shape.length ? seed : builder.apply('broadcast', [seed], root.shape);
  const needed: boolean[] = [];
  let checked = traversal;
  for (let k = top; k >= 0; k--) {
    const node = order[k]!;
    const g = adjoint[k];
    const args = node.args;
    if (g === undefined || args.length === 0) continue;
    needed.length = args.length;
    for (let i = 0; i < args.length; i++) needed[i] = live[positionIn(args[i]!, traversal)] === 1;
    const primitive = primitiveOf(node.op);
    if (primitive.kind === 'tensor') {
      const contributions = primitive.vjp(g, node, builder, needed);
      checked = keepPositions(order, traversal, checked);
      for (let i = 0; i < args.length; i++) if (needed[i]) accumulate(args[i]!, contributions[i]!);
    } else {
      const partials = primitive.partials(args, node, builder, needed);
      // An operand that was broadcast receives the sum over the axes it was repeated along.
      for (let i = 0; i < args.length; i++) if (needed[i]) accumulate(args[i]!, sumTo(builder, builder.mul(g, partials[i]!), args[i]!.shape));
    }
  }
  return variables.map((v) => {
    const k = positionIn(v, traversal);
    return (k >= 0 ? adjoint[k] : undefined) ?? zeros(builder, v.shape);
  });
}
