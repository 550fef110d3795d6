/**
 * Inverses: for `op(…, a, …) = r` where only the operand `a` holds x, the values `a` may take.
 * One record per primitive, like the primitive table itself. A record may give several branches
 * (x² = c gives ±√c); `solve` checks every candidate in the original equation, so a branch may
 * be a false root. A periodic function gives families: sin a = r gives a = asin r + 2kπ and
 * a = π − asin r + 2kπ for every integer k, as a value and a period.
 */
import { constantNode, type Node } from '../node.js';
import type { PrimitiveName } from '../primitives/index.js';
import { PI } from './exact-value.js';
import { exactApply, exactBuilder as E, exactRational, rationalNode } from './exact.js';
import { perfectPowerRoot, Rational } from './rational.js';

/** One branch of an inverse: `value`, or the family value + k·period for every integer k. */
export interface Branch {
  readonly value: Node;
  readonly period?: Node;
}

/** Given the operation's operands, which of them holds x, and the right side: the branches, or none when there is no inverse. */
type Inverse = (args: readonly Node[], position: number, rhs: Node) => Branch[] | undefined;

const c = constantNode;
const call = (op: string, a: Node) => exactApply(op, [a]);
const half = (n: Node) => E.div(n, c(2));
const values = (...nodes: Node[]): Branch[] => nodes.map((value) => ({ value }));
const twoPi = E.mul(c(2), PI);

/** The real n-th roots of rhs for a constant integer n: ±rhs^(1/n) for even n, both signs tried for odd n. */
function roots(rhs: Node, n: number): Node[] {
  if (n === 2) return [call('sqrt', rhs), E.neg(call('sqrt', rhs))];
  if (n === 3) return [call('cbrt', rhs)];
  const root = E.pow(rhs, E.div(c(1), c(n)));
  return n % 2 === 0 ? [root, E.neg(root)] : [root, E.neg(E.pow(E.neg(rhs), E.div(c(1), c(n))))];
}

/** log_b r, exactly when b and r are powers of one rational (log₂ 8 = 3), else ln r / ln b. */
export function logarithm(r: Node, b: Node): Node {
  const value = exactRational(r), base = exactRational(b);
  if (value !== undefined && base !== undefined && value.sign() > 0 && base.sign() > 0 && !base.isZero()) {
    const v = perfectPowerRoot(value) ?? { base: value, power: 1 };
    const w = perfectPowerRoot(base) ?? { base, power: 1 };
    if (v.base.equals(w.base)) return rationalNode(Rational.of(v.power, w.power));
    if (v.base.equals(w.base.pow(-1))) return rationalNode(Rational.of(-v.power, w.power));
  }
  return E.div(call('ln', r), call('ln', b));
}

export const inverses: Partial<Record<PrimitiveName, Inverse>> = {
  add: ([a, b], i, r) => values(E.sub(r, i === 0 ? b! : a!)),
  sub: ([a, b], i, r) => values(i === 0 ? E.add(r, b!) : E.sub(a!, r)),
  mul: ([a, b], i, r) => values(E.div(r, i === 0 ? b! : a!)),
  div: ([a, b], i, r) => values(i === 0 ? E.mul(r, b!) : E.div(a!, r)),
  neg: (_args, _i, r) => values(E.neg(r)),
  pow: ([a, b], i, r) => {
    if (i === 1) return values(logarithm(r, a!));
    if (b!.op === 'const' && Number.isInteger(b!.value) && b!.value !== 0) {
      const n = Math.abs(b!.value);
      return values(...roots(b!.value < 0 ? E.div(c(1), r) : r, n));
    }
    return values(E.pow(r, E.div(c(1), b!)));
  },
  exp: (_args, _i, r) => values(call('ln', r)),
  ln: (_args, _i, r) => values(call('exp', r)),
  log: ([a, base], i, r) => values(i === 0 ? E.pow(base!, r) : E.pow(a!, E.div(c(1), r))),
  sqrt: (_args, _i, r) => values(E.pow(r, c(2))),
  cbrt: (_args, _i, r) => values(E.pow(r, c(3))),
  sin: (_args, _i, r) => [
    { value: call('asin', r), period: twoPi },
    { value: E.sub(PI, call('asin', r)), period: twoPi },
  ],
  cos: (_args, _i, r) => [
    { value: call('acos', r), period: twoPi },
    { value: E.neg(call('acos', r)), period: twoPi },
  ],
  tan: (_args, _i, r) => [{ value: call('atan', r), period: PI }],
  asin: (_args, _i, r) => values(call('sin', r)),
  acos: (_args, _i, r) => values(call('cos', r)),
  atan: (_args, _i, r) => values(call('tan', r)),
  // asinh r = ln(r + √(r² + 1)), acosh r = ln(r + √(r² − 1)), atanh r = ln((1 + r)/(1 − r))/2
  sinh: (_args, _i, r) => values(call('ln', E.add(r, call('sqrt', E.add(E.pow(r, c(2)), c(1)))))),
  cosh: (_args, _i, r) => {
    const acosh = call('ln', E.add(r, call('sqrt', E.sub(E.pow(r, c(2)), c(1)))));
    return values(acosh, E.neg(acosh));
  },
  tanh: (_args, _i, r) => values(half(call('ln', E.div(E.add(c(1), r), E.sub(c(1), r))))),
  sigmoid: (_args, _i, r) => values(call('ln', E.div(r, E.sub(c(1), r)))),
  softplus: (_args, _i, r) => values(call('ln', E.sub(call('exp', r), c(1)))),
  abs: (_args, _i, r) => values(r, E.neg(r)),
};
