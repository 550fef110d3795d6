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
import { broadcastShapes, SCALAR, type Shape } from './shape.js';

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

/**
 * Whether elementwise nodes are simplified as they are built: a stack of settings, pushed and
 * popped (in a `finally`) by `withSimplification` only. It is the one piece of mutable state in
 * `src/ad`, because the setting must reach every smart constructor (including those that
 * differentiation calls) without a parameter threaded through every primitive rule; a stack
 * rather than a flag so that scopes nest and an exception restores the outer setting.
 */
const simplificationStack: boolean[] = [];

/** Whether build-time simplification is on (it is unless a `withSimplification(false, ...)` scope is active). */
export function simplificationEnabled(): boolean {
  return simplificationStack.length === 0 || simplificationStack[simplificationStack.length - 1]!;
}

/**
 * Runs `body` with build-time simplification of elementwise operations on or off, and restores
 * the previous setting when it returns or throws. Off, nodes are still hash-consed, constants
 * still fold (2·3 → 6) and neutral operands still vanish (x + 0, x · 1, x / 1, x ^ 1), but no
 * algebra is applied: x·x stays a product, x + x a sum, signs and coefficients stay where they are.
 * Tensor operations keep their structural simplifications (a slice of everything is the whole).
 * @example withSimplification(false, () => builder.mul(x, x)) // mul(x, x), not pow(x, 2)
 */
export function withSimplification<T>(enabled: boolean, body: () => T): T {
  simplificationStack.push(enabled);
  try {
    return body();
  } finally {
    simplificationStack.pop();
  }
}

/** The operand that makes the operation an identity (x + 0, x − 0, x · 1, x / 1, x ^ 1), if any. */
function neutralResult(op: OperationName, [a, b]: readonly Node[]): Node | undefined {
  if (b === undefined) return undefined;
  const left = filledValue(a!), right = filledValue(b);
  switch (op) {
    case 'add':
      return left === 0 ? b : right === 0 ? a : undefined;
    case 'sub':
      return right === 0 ? a : undefined;
    case 'mul':
      return left === 1 ? b : right === 1 ? a : undefined;
    case 'div':
    case 'pow':
      return right === 1 ? a : undefined;
    default:
      return undefined;
  }
}

/**
 * Functions whose value at most constants is not a number that arithmetic would give (ln 2, √2,
 * sin 1): they are not folded, so `ln(2)` stays `ln(2)` (exact, printed as it reads) until it is
 * evaluated. Each lists the constants where it is exactly an integer, which do fold.
 */
const exactPoints: Partial<Record<OperationName, (operands: readonly number[]) => boolean>> = {
  exp: ([a]) => a === 0,
  ln: ([a]) => a === 1,
  log: ([a, base]) => a === 1 && base! > 0 && base !== 1,
  sin: ([a]) => a === 0,
  cos: ([a]) => a === 0,
  tan: ([a]) => a === 0,
  asin: ([a]) => a === 0,
  acos: ([a]) => a === 1,
  atan: ([a]) => a === 0,
  sinh: ([a]) => a === 0,
  cosh: ([a]) => a === 0,
  tanh: ([a]) => a === 0,
  sigmoid: ([a]) => a === 0,
  softplus: () => false,
  sqrt: ([a]) => isPerfectPower(a!, 2),
  cbrt: ([a]) => isPerfectPower(a!, 3),
  // An integer exponent is arithmetic; 4 ^ 0.5 is 2, but 2 ^ 0.5 is √2.
  pow: ([a, p]) => Number.isInteger(p) || (a! >= 0 && Number.isInteger(1 / p!) && isPerfectPower(a!, 1 / p!)),
};

/** Whether `a` is an integer whose n-th root is an integer (checked exactly). */
function isPerfectPower(a: number, n: number): boolean {
  if (!Number.isSafeInteger(a) || n < 1 || n > 64 || (a < 0 && n % 2 === 0)) return false;
  const root = Math.round(Math.sign(a) * Math.abs(a) ** (1 / n));
  return BigInt(root) ** BigInt(n) === BigInt(a);
}

/** The shape of an elementwise result: scalar operands (the common case) without allocating. */
function elementwiseShape(op: string, args: readonly Node[]): Shape {
  let scalar = true;
  for (let i = 0; i < args.length; i++) if (args[i]!.shape.length !== 0) scalar = false;
  return scalar ? SCALAR : broadcastShapes(op, args.map((a) => a.shape));
}

function applyElementwise(op: OperationName, primitive: ElementwisePrimitive, args: readonly Node[]): Node {
  const shape = elementwiseShape(op, args);
  let constant = true;
  for (let i = 0; i < args.length && constant; i++) if (filledValue(args[i]!) === undefined) constant = false;
  if (constant) {
    const values = args.map(filledValue) as number[];
    const exact = exactPoints[op];
    if (exact === undefined || exact(values)) return broadcastTo(builder, constantNode(primitive.evaluate(...values)), shape);
  }
  let operands = args;
  if (primitive.commutative === true && operandOrder(args[0]!, args[1]!) > 0) operands = [args[1]!, args[0]!];
  const simpler = simplificationEnabled() ? primitive.simplify?.(operands, builder) : neutralResult(op, operands);
  // A simplification may drop the operand that carried the shape (v·0 → 0); broadcast it back.
  if (simpler !== undefined) return broadcastTo(builder, simpler, shape);
  return operationNode(op, operands, shape);
}

function applyTensor(op: OperationName, primitive: TensorPrimitive, args: readonly Node[], given: readonly number[]): Node {
  const shapes = args.map((a) => a.shape);
  const attrs = primitive.normalizeAttrs === undefined ? given : primitive.normalizeAttrs(shapes, given);
  const shape: Shape = primitive.shape(shapes, attrs);
  const simpler = primitive.simplify?.(args, attrs, builder);
  if (simpler !== undefined) return simpler;
  return operationNode(op, args, shape, attrs);
}

/** The arithmetic of the rules, straight to the elementwise path (their records and arities are known). */
const arithmetic = (op: 'add' | 'sub' | 'mul' | 'div' | 'pow') => (a: Node, b: Node) => applyElementwise(op, primitives[op], [a, b]);

export const builder: Builder = {
  constant: constantNode,
  add: arithmetic('add'),
  sub: arithmetic('sub'),
  mul: arithmetic('mul'),
  div: arithmetic('div'),
  neg: (a) => applyElementwise('neg', primitives.neg, [a]),
  pow: arithmetic('pow'),
  apply,
};

/** Rebuilds `node` with new arguments through the smart constructors (so it re-simplifies). */
export function rebuild(node: Node, args: readonly Node[]): Node {
  if (args.every((a, i) => a === node.args[i])) return node;
  return apply(node.op, args, node.attrs);
}
