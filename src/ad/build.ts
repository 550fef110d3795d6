/**
 * Smart constructors: the only way operation nodes are made. Each checks the operation's arity
 * and operand shapes, folds constants, applies the primitive's build-time simplification,
 * sorts the operands of commutative operations, and interns the result.
 */
import { constantNode, operationNode, type Node } from './node.js';
import { isPrimitiveName, primitives, type Builder, type PrimitiveName } from './primitives/index.js';
import { TypegradError } from './errors.js';
import { describeShape, SCALAR } from './shape.js';

/** Constants first (so `2·x`, and a constant factor is easy to find), then creation order. */
function operandOrder(a: Node, b: Node): number {
  const ac = a.op === 'const' ? 0 : 1;
  const bc = b.op === 'const' ? 0 : 1;
  return ac - bc || a.id - b.id;
}

export function apply(op: string, args: readonly Node[]): Node {
  if (!isPrimitiveName(op)) throw new TypegradError(`unknown operation '${op}'`);
  const primitive = primitives[op];
  if (args.length !== primitive.arity) {
    throw new TypegradError(`${op} takes ${primitive.arity} operand(s), got ${args.length}`);
  }
  for (const a of args) {
    if (a.shape.length !== 0) {
      throw new TypegradError(`${op} is defined on scalars here, got an operand of shape ${describeShape(a.shape)}`);
    }
  }
  if (args.every((a) => a.op === 'const')) {
    return constantNode(primitive.evaluate(...args.map((a) => a.value)));
  }
  let operands = args;
  if (primitive.commutative === true && operandOrder(args[0]!, args[1]!) > 0) operands = [args[1]!, args[0]!];
  const simpler = primitive.simplify?.(operands, builder);
  if (simpler !== undefined) return simpler;
  return operationNode(op as PrimitiveName, operands, SCALAR);
}

export const builder: Builder = {
  constant: constantNode,
  add: (a, b) => apply('add', [a, b]),
  sub: (a, b) => apply('sub', [a, b]),
  mul: (a, b) => apply('mul', [a, b]),
  div: (a, b) => apply('div', [a, b]),
  neg: (a) => apply('neg', [a]),
  pow: (a, b) => apply('pow', [a, b]),
  apply,
};

/** Rebuilds `node` with new arguments through the smart constructors (so it re-simplifies). */
export function rebuild(node: Node, args: readonly Node[]): Node {
  if (args.every((a, i) => a === node.args[i])) return node;
  return apply(node.op, args);
}
