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
import { dependsOnByPosition, indexedOrder, keepPositions, positionIn } from './traverse.js';

export function forwardDerivative(root: Node, variable: Node): Node {
  if (variable.shape.length !== 0) {
    throw new TypegradError(`d: '${variable.name}' is a ${describeShape(variable.shape)}; d differentiates by a scalar variable (use grad or jacobian for tensor variables)`);
  }
  const { order, traversal } = indexedOrder([root]);
  const live = dependsOnByPosition(order, traversal, [variable]);
  const top = order.length - 1;
  if (live[top] !== 1) return zeros(builder, root.shape);
  // tangent[k]: d(order[k])/dx, by position, for the nodes that depend on x.
  const tangent = new Array<Node | undefined>(order.length);
  tangent[positionIn(variable, traversal)] = builder.constant(1);
  const tangents: (Node | undefined)[] = [];
  const needed: boolean[] = [];
  let checked = traversal;
  for (let k = 0; k <= top; k++) {
    const node = order[k]!;
    if (live[k] !== 1 || node === variable) continue;
    const args = node.args;
    tangents.length = needed.length = args.length;
    for (let i = 0; i < args.length; i++) {
      const p = positionIn(args[i]!, traversal);
      tangents[i] = live[p] === 1 ? tangent[p] : undefined;
      needed[i] = tangents[i] !== undefined;
    }
    const primitive = primitiveOf(node.op);
    if (primitive.kind === 'tensor') {
      tangent[k] = primitive.jvp(tangents, node, builder);
      checked = keepPositions(order, traversal, checked);
      continue;
    }
    const partials = primitive.partials(args, node, builder, needed);
    let sum: Node | undefined;
    for (let i = 0; i < args.length; i++) {
      const t = tangents[i];
      if (t === undefined) continue;
      const term = builder.mul(partials[i]!, t);
      sum = sum === undefined ? term : builder.add(sum, term);
    }
    tangent[k] = broadcastTo(builder, sum!, node.shape);
  }
  return tangent[top]!;
}
