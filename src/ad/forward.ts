/**
 * Forward-mode symbolic differentiation by a scalar variable x: one pass in topological order
 * computing the tangent dn/dx (of n's shape) for every node n that depends on x. Elementwise
 * nodes use the chain rule dn = Σ ∂n/∂argᵢ · d(argᵢ); tensor nodes their JVP rule.
 */
import { builder } from './build.js';
import { TypegradError } from './errors.js';
import type { Node } from './node.js';
import { broadcastTo, zeros } from './primitives/broadcasting.js';
import { primitiveOf } from './primitives/index.js';
import { describeShape } from './shape.js';
import { dependsOn, topologicalOrder } from './traverse.js';

export function forwardDerivative(root: Node, variable: Node): Node {
  if (variable.shape.length !== 0) {
    throw new TypegradError(`d: '${variable.name}' is a ${describeShape(variable.shape)}; d differentiates by a scalar variable (use grad or jacobian for tensor variables)`);
  }
  const order = topologicalOrder([root]);
  const live = dependsOn(order, new Set([variable]));
  if (!live.has(root)) return zeros(builder, root.shape);
  const tangent = new Map<Node, Node>([[variable, builder.constant(1)]]);
  for (const node of order) {
    if (!live.has(node) || node === variable) continue;
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
  return tangent.get(root)!;
}
