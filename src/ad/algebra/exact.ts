/**
 * Exact constants. The smart constructors fold every operation on constants into a double, so
 * `ln(2)` would become 0.6931471805599453. Results of `solve` and `solveLinear` should read as
 * mathematics (`ln(2)`, `sqrt(2)`, `180 / 7`), so this module builds such nodes unfolded: an
 * operation on constants stays an operation unless its value is exactly an integer or a
 * rational. Every other pass treats these nodes as ordinary operations, so they evaluate,
 * print, differentiate and compile as they read.
 */
import { apply, builder } from '../build.js';
import { constantNode, operationNode, type Node } from '../node.js';
import { elementwisePrimitives, type Builder, type PrimitiveName } from '../primitives/index.js';
import { SCALAR } from '../shape.js';
import { exactValue, PI } from './exact-value.js';
import { Rational } from './rational.js';

/** The node for an exact rational: an integer constant, or `n / d` left unfolded. */
export function rationalNode(r: Rational): Node {
  if (r.isInteger()) return constantNode(Number(r.num));
  return operationNode('div', [constantNode(Number(r.num)), constantNode(Number(r.den))], SCALAR);
}

/**
 * The exact rational value of a node made of constants by `rationalNode` or the smart
 * constructors (`3`, `0.25`, `n / d`, `-(n / d)`), else `undefined`.
 */
export function exactRational(node: Node): Rational | undefined {
  if (node.op === 'const') return Rational.fromNumber(node.value);
  if (node.op === 'neg') return exactRational(node.args[0]!)?.neg();
  if (node.op === 'div' && node.args[0]!.op === 'const' && node.args[1]!.op === 'const') {
    const n = Rational.fromNumber(node.args[0]!.value);
    const d = Rational.fromNumber(node.args[1]!.value);
    if (n === undefined || d === undefined || d.isZero()) return undefined;
    return n.div(d);
  }
  return undefined;
}

function rationalOperation(op: string, args: readonly Rational[]): Rational | undefined {
  const [a, b] = args as [Rational, Rational];
  switch (op) {
    case 'add': return a.add(b);
    case 'sub': return a.sub(b);
    case 'mul': return a.mul(b);
    case 'div': return b.isZero() ? undefined : a.div(b);
    case 'neg': return a.neg();
    case 'pow': return b.isInteger() && b.num >= -64n && b.num <= 64n && !(a.isZero() && b.num < 0n) ? a.pow(Number(b.num)) : undefined;
    default: return undefined;
  }
}

/**
 * Like `apply`, but an operation whose operands are all exact constants gives an exact result:
 * rational arithmetic stays rational (`1/3 + 2` is `7 / 3`), a transcendental value that
 * happens to be an integer folds (`ln(1)` is 0, `sqrt(4)` is 2), anything else stays as the
 * operation (`ln(2)`, `sqrt(2)`).
 */
export function exactApply(op: string, args: readonly Node[]): Node {
  if (op === 'asin' || op === 'acos' || op === 'atan') {
    // asin(1/2) is π/6: the special values of the inverse trigonometric functions.
    const value = exactValue(apply(op, args));
    if (value?.kind === 'pi') return piMultipleNode(value.m);
  }
  const rationals = args.map(exactRational);
  if (!Object.hasOwn(elementwisePrimitives, op) || rationals.some((r) => r === undefined)) return apply(op, args);
  const exact = rationalOperation(op as PrimitiveName, rationals as Rational[]);
  if (exact !== undefined) return rationalNode(exact);
  const value = elementwisePrimitives[op as PrimitiveName].evaluate(...rationals.map((r) => r!.toNumber()));
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) return constantNode(value);
  return operationNode(op as PrimitiveName, args.map((a, i) => (a.op === 'const' ? a : rationalNode(rationals[i]!))), SCALAR);
}

/** m·π as a node: `pi`, `pi / 6`, `5 * pi / 6`, `-(pi / 4)`. */
export function piMultipleNode(m: Rational): Node {
  if (m.isZero()) return constantNode(0);
  if (m.sign() < 0) return builder.neg(piMultipleNode(m.neg()));
  const top = m.num === 1n ? PI : builder.mul(constantNode(Number(m.num)), PI);
  return m.den === 1n ? top : builder.div(top, constantNode(Number(m.den)));
}

/** The smart constructors with exact constant arithmetic (see `exactApply`). */
export const exactBuilder: Builder = {
  constant: constantNode,
  add: (a, b) => exactApply('add', [a, b]),
  sub: (a, b) => exactApply('sub', [a, b]),
  mul: (a, b) => exactApply('mul', [a, b]),
  div: (a, b) => exactApply('div', [a, b]),
  neg: (a) => exactApply('neg', [a]),
  pow: (a, b) => exactApply('pow', [a, b]),
  apply: exactApply,
};

export { builder };
