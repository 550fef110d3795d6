/**
 * Jacobian-vector products: forward mode with a tangent per variable (of its shape), so that one
 * pass gives the derivative of every root along a direction in all the variables at once,
 * Σᵥ ∂root/∂v · tᵥ. `forwardDerivative` (forward.ts) is the case of one scalar variable with
 * tangent 1; the pass is the same: elementwise nodes sum ∂n/∂argᵢ · d(argᵢ), tensor nodes use
 * their JVP rule.
 */
import { builder } from './build.js';
import type { Node } from './node.js';
import { broadcastTo, zeros } from './primitives/broadcasting.js';
import { primitiveOf } from './primitives/index.js';
import { dependsOn, topologicalOrder } from './traverse.js';

/**
 * The tangent of each root (of its shape) when each variable of `seeds` moves along its tangent
 * (a node of the variable's shape, or broadcastable to it).
 */
export function jacobianVectorProducts(roots: readonly Node[], seeds: ReadonlyMap<Node, Node>): Node[] {
  const order = topologicalOrder(roots);
  const live = dependsOn(order, new Set(seeds.keys()));
  const tangent = new Map<Node, Node>();
  for (const [variable, t] of seeds) tangent.set(variable, broadcastTo(builder, t, variable.shape));
  for (const node of order) {
    if (!live.has(node) || tangent.has(node)) continue;
    const primitive = primitiveOf(node.op);
    const tangents = node.args.map((a) => (live.has(a) ? tangent.get(a)! : undefined));
    if (primitive.kind === 'tensor') {
      tangent.set(node, primitive.jvp(tangents, node, builder));
      continue;
    }
    const partials = primitive.partials(node.args, node, builder, tangents.map((t) => t !== undefined));
    let sum: Node | undefined;
    tangents.forEach((t, i) => {
      if (t === undefined) return;
      const term = builder.mul(partials[i]!, t);
      sum = sum === undefined ? term : builder.add(sum, term);
    });
    tangent.set(node, broadcastTo(builder, sum!, node.shape));
  }
  return roots.map((r) => tangent.get(r) ?? zeros(builder, r.shape));
}
