/**
 * Reverse-mode symbolic differentiation: ONE backward pass over the DAG builds the partial
 * derivatives with respect to every requested variable, so a gradient costs O(size of f),
 * not O(number of variables · size of f).
 *
 * The pass is micrograd's, over symbols instead of numbers: visit nodes from the root down
 * (reverse topological order) and add each node's adjoint times ∂node/∂arg to each argument.
 */
import { builder } from './build.js';
import { constantNode, type Node } from './node.js';
import { primitives, type PrimitiveName } from './primitives/index.js';
import { dependsOn, topologicalOrder } from './traverse.js';

export function reverseGradient(root: Node, variables: readonly Node[]): Node[] {
  const order = topologicalOrder([root]);
  const live = dependsOn(order, new Set(variables));
  const adjoint = new Map<Node, Node>();
  if (live.has(root)) adjoint.set(root, constantNode(1));
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    const seed = adjoint.get(node);
    if (seed === undefined || node.args.length === 0) continue;
    const needed = node.args.map((a) => live.has(a));
    const partials = primitives[node.op as PrimitiveName].partials(node.args, node, builder, needed);
    node.args.forEach((arg, i) => {
      if (!needed[i]) return;
      const contribution = builder.mul(seed, partials[i]!);
      const previous = adjoint.get(arg);
      adjoint.set(arg, previous === undefined ? contribution : builder.add(previous, contribution));
    });
  }
  return variables.map((v) => adjoint.get(v) ?? constantNode(0));
}
