/**
 * Smart constructors: the only way operation nodes are made. Each checks the operation's arity
 * and operand shapes, folds constants, applies the primitive's build-time simplification,
 * sorts the operands of commutative operations, and interns the result.
 */
import { constantNode, operationNode, type Node } from './node.js';
import { broadcastTo } from './primitives/broadcasting.js';
import {
  isPrimitiveName, primitives, type Builder, type ElementwisePrimitive, type OperationName, type TensorPrimitive,
} from './primitives/index.js';
import { TypegradError } from './errors.js';
import { broadcastShapes, type Shape } from './shape.js';

/** Constants first (so `2·x`, and a constant factor is easy to find), then creation order. */
function operandOrder(a: Node, b: Node): number {
  const ac = a.op === 'const' ? 0 : 1;
  const bc = b.op === 'const' ? 0 : 1;
  return ac - bc || a.id - b.id;
}

/** The value of a constant or of a tensor filled with a constant. */
function filledValue(node: Node): number | undefined {
  if (node.op === 'const') return node.value;
  if (node.op === 'broadcast' && node.args[0]!.op === 'const') return node.args[0]!.value;
  return undefined;
}

export function apply(op: string, args: readonly Node[], attrs: readonly number[] = []): Node {
  if (!isPrimitiveName(op)) throw new TypegradError(`unknown operation '${op}'`);
  const primitive = primitives[op];
  const arityOk = primitive.arity === 'variadic' ? args.length >= 1 : args.length === primitive.arity;
  if (!arityOk) {
    throw new TypegradError(`${op} takes ${primitive.arity === 'variadic' ? 'one or more' : primitive.arity} operand(s), got ${args.length}`);
  }
  switch (primitive.kind) {
    case 'elementwise':
      return applyElementwise(op, primitive, args);
    case 'tensor':
      return applyTensor(op, primitive, args, attrs);
    default: {
      const unreachable: never = primitive;
      return unreachable;
    }
  }
}

function applyElementwise(op: OperationName, primitive: ElementwisePrimitive, args: readonly Node[]): Node {
  const shape = broadcastShapes(op, args.map((a) => a.shape));
  const values = args.map(filledValue);
  if (values.every((v) => v !== undefined)) {
    return broadcastTo(builder, constantNode(primitive.evaluate(...(values as number[]))), shape);
  }
  let operands = args;
  if (primitive.commutative === true && operandOrder(args[0]!, args[1]!) > 0) operands = [args[1]!, args[0]!];
  const simpler = primitive.simplify?.(operands, builder);
  // A simplification may drop the operand that carried the shape (v·0 → 0); broadcast it back.
  if (simpler !== undefined) return broadcastTo(builder, simpler, shape);
  return operationNode(op, operands, shape);
}

function applyTensor(op: OperationName, primitive: TensorPrimitive, args: readonly Node[], attrs: readonly number[]): Node {
  const shape: Shape = primitive.shape(args.map((a) => a.shape), attrs);
  const simpler = primitive.simplify?.(args, attrs, builder);
  if (simpler !== undefined) return simpler;
  return operationNode(op, args, shape, attrs);
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
  return apply(node.op, args, node.attrs);
}
