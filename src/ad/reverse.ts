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
import { dependsOnByPosition, indexedOrder, positionIn } from './traverse.js';

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
  if (live[top] === 1) adjoint[top] = seed.shape.length === root.shape.length ? seed : builder.apply('broadcast', [seed], root.shape);
  for (let k = top; k >= 0; k--) {
    const node = order[k]!;
    const g = adjoint[k];
    if (g === undefined || node.args.length === 0) continue;
    const positions = node.args.map((a) => positionIn(a, traversal));
    const needed = positions.map((p) => live[p] === 1);
    const primitive = primitiveOf(node.op);
    let contributions: readonly (Node | undefined)[];
    if (primitive.kind === 'tensor') contributions = primitive.vjp(g, node, builder, needed);
    else {
      const partials = primitive.partials(node.args, node, builder, needed);
      // An operand that was broadcast receives the sum over the axes it was repeated along.
      contributions = node.args.map((arg, i) => (needed[i] ? sumTo(builder, builder.mul(g, partials[i]!), arg.shape) : undefined));
    }
    for (let i = 0; i < positions.length; i++) {
      if (!needed[i]) continue;
      const previous = adjoint[positions[i]!];
      adjoint[positions[i]!] = previous === undefined ? contributions[i]! : builder.add(previous, contributions[i]!);
    }
  }
  return variables.map((v) => {
    const k = positionIn(v, traversal);
    return (k >= 0 ? adjoint[k] : undefined) ?? zeros(builder, v.shape);
  });
}
