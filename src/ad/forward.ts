/**
 * Forward-mode symbolic differentiation: one pass in topological order computing dn/dx for every
 * node n that depends on x, by the chain rule dn = Σ ∂n/∂argᵢ · d(argᵢ).
 */
import { builder } from './build.js';
import { constantNode, type Node } from './node.js';
import { primitives, type PrimitiveName } from './primitives/index.js';
import { dependsOn, topologicalOrder } from './traverse.js';

export function forwardDerivative(root: Node, variable: Node): Node {
  const order = topologicalOrder([root]);
  const live = dependsOn(order, new Set([variable]));
  if (!live.has(root)) return constantNode(0);
  const derivative = new Map<Node, Node>([[variable, constantNode(1)]]);
  for (const node of order) {
    if (!live.has(node) || node === variable) continue;
    const needed = node.args.map((a) => live.has(a));
    const partials = primitives[node.op as PrimitiveName].partials(node.args, node, builder, needed);
    let sum: Node | undefined;
    node.args.forEach((arg, i) => {
      if (!needed[i]) return;
      const term = builder.mul(partials[i]!, derivative.get(arg)!);
      sum = sum === undefined ? term : builder.add(sum, term);
    });
    derivative.set(node, sum!);
  }
  return derivative.get(root)!;
}
