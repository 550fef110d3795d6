/**
 * Reverse-mode symbolic differentiation: ONE backward pass over the DAG builds the partial
 * derivatives with respect to every requested variable, so a gradient costs O(size of f),
 * not O(number of variables · size of f).
 *
 * The pass is micrograd's, over symbols instead of numbers: visit nodes from the root down
 * (reverse topological order) and add each node's contribution to each argument's adjoint.
 * An adjoint has its node's shape: a matrix variable's gradient is one matrix node, built by the
 * matrix-calculus rules of the tensor primitives (`vjp`), never element by element.
 *
 * Constant factors travel as numbers. An adjoint, a partial and a contribution is a pair
 * (c, n) meaning c·n, where n carries no constant factor or sign of its own (`split`); the
 * product of two is (c·c′, n·n′), and a node c·n is made only where one is needed: the final
 * gradients, the sum of two contributions, the adjoint a tensor rule reads. Built node by node,
 * ∂/∂x of 100·(y − x²)² went through 2·(y − x²), −200·(y − x²), 2·x, 2·x·(y − x²) and
 * −400·x·(y − x²) to reach 400·x·(y − x²) subtracted: half the nodes the pass made were such
 * intermediates, which the node table keeps until its next sweep. The nodes that remain are the
 * ones the node-by-node pass ended with.
 */
import { builder } from './build.js';
import { constantNode, pin, type Node } from './node.js';
import { broadcastTo, sumTo, zeros } from './primitives/broadcasting.js';
import { primitiveOf } from './primitives/index.js';
import { sameShape, type Shape } from './shape.js';
import { dependsOnByPosition, indexedOrder, keepPositions, positionIn } from './traverse.js';

/** The traversal of `root` that a caller already made (`indexedOrder([root])`), to be reused. */
export interface RootOrder {
  readonly order: Node[];
  readonly traversal: number;
}

/**
 * The gradient of `root` by each of `variables`. A non-scalar root is contracted with `seed`
 * (of the root's shape; default 1), giving the vector-Jacobian product seedᵀ·J. `ordered`: the
 * root's indexed order when the caller has just made it (`indexedOrder([root])`), so the pass
 * does not walk the expression again.
 */
export function reverseGradient(root: Node, variables: readonly Node[], seed: Node = builder.constant(1), ordered?: RootOrder): Node[] {
  const { order, traversal } = ordered ?? indexedOrder([root]);
  // Positions are current only if no traversal ran since the caller's (else they are marked again).
  let checked = ordered !== undefined ? keepPositions(order, traversal, traversal) : traversal;
  const live = dependsOnByPosition(order, traversal, variables);
  // The adjoint of order[k] so far is coefficient[k]·adjoint[k] (by position: the order is this pass's index).
  const adjoint = new Array<Node | undefined>(order.length);
  const coefficient = new Float64Array(order.length);
  const top = order.length - 1;
  const accumulate = (arg: Node, c: number, n: Node) => {
    if (c === 0) return; // c·n = 0 (algebra's, as the builder's x·0 → 0): nothing to add
    const p = positionIn(arg, traversal);
    const previous = adjoint[p];
    if (previous === undefined) {
      adjoint[p] = n;
      coefficient[p] = c;
    } else if (previous === n && coefficient[p] === c) {
      coefficient[p] = 2 * c; // a + a is 2a
    } else {
      const sum = c < 0
        ? builder.sub(scaled(coefficient[p]!, previous, arg.shape), scaled(-c, n, arg.shape))
        : builder.add(scaled(coefficient[p]!, previous, arg.shape), scaled(c, n, arg.shape));
      [coefficient[p], adjoint[p]] = split(sum);
    }
  };
  if (live[top] === 1) {
    [coefficient[top], adjoint[top]] = split(seed.shape.length === root.shape.length ? seed : builder.apply('broadcast', [seed], root.shape));
  }
  const needed: boolean[] = [];
  for (let k = top; k >= 0; k--) {
    const node = order[k]!;
    const g = adjoint[k];
    const args = node.args;
    if (g === undefined || args.length === 0) continue;
    const cg = coefficient[k]!;
    needed.length = args.length;
    for (let i = 0; i < args.length; i++) needed[i] = live[positionIn(args[i]!, traversal)] === 1;
    const primitive = primitiveOf(node.op);
    if (primitive.kind === 'tensor') {
      const contributions = primitive.vjp(scaled(cg, g, node.shape), node, builder, needed);
      checked = keepPositions(order, traversal, checked);
      for (let i = 0; i < args.length; i++) {
        if (!needed[i]) continue;
        const [c, n] = split(contributions[i]!);
        accumulate(args[i]!, c, n);
      }
      continue;
    }
    const partials = primitive.scaledPartials?.(args, node, builder, needed) ?? primitive.partials(args, node, builder, needed).map(splitOptional);
    for (let i = 0; i < args.length; i++) {
      if (!needed[i]) continue;
      const [cp, np] = partials[i]!;
      let c = cg * cp;
      let n: Node;
      if (np === ONE) n = g;
      else if (g === ONE) n = np;
      else {
        const [c2, n2] = split(builder.mul(g, np));
        c *= c2;
        n = n2;
      }
      const shape = args[i]!.shape;
      if (!sameShape(n.shape, node.shape) || !sameShape(shape, node.shape)) {
        // An operand that was broadcast receives the sum over the axes it was repeated along.
        [c, n] = split(sumTo(builder, scaled(c, n, node.shape), shape));
      }
      accumulate(args[i]!, c, n);
    }
  }
  return variables.map((v) => {
    const k = positionIn(v, traversal);
    const n = k >= 0 ? adjoint[k] : undefined;
    return n === undefined ? zeros(builder, v.shape) : scaled(coefficient[k]!, n, v.shape);
  });
}

/** The scalar 1: n = ONE in a pair (c, n) is the constant c. */
const ONE = pin(constantNode(1));

/**
 * `node` as (c, n) with node = c·n and n without a constant factor or sign of its own: c·m
 * (operands are sorted constant-first) is (c, m), −m is (−1, m), a scalar constant c is (c, 1).
 */
function split(node: Node): [number, Node] {
  if (node.op === 'const') return [node.value, ONE];
  if (node.op === 'neg') return [-1, node.args[0]!];
  if (node.op === 'mul' && node.args[0]!.op === 'const') return [node.args[0]!.value, node.args[1]!];
  return [1, node];
}

function splitOptional(node: Node | undefined): [number, Node] | undefined {
  return node === undefined ? undefined : split(node);
}

/** The node c·n, of `shape`: what multiplying by the constant c builds (c·m, −m, m, or the constant). */
function scaled(c: number, n: Node, shape: Shape): Node {
  if (n === ONE) return broadcastTo(builder, constantNode(c), shape);
  if (c === 1) return n;
  return builder.mul(constantNode(c), n);
}
