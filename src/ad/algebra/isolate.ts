/**
 * Isolation: solving `lhs = rhs` for x when x occurs once in lhs, by peeling the operation
 * around it and applying its inverse to rhs, outermost first (a loop). One record per
 * primitive, like the primitive table itself; a record may give several branches (x² = c gives
 * ±√c) and `solve` checks every candidate by substitution, so a branch may be a false root.
 * Inverses of periodic functions are the principal ones (sin x = c gives asin c only).
 */
import { TypegradError } from '../errors.js';
import { constantNode, type Node } from '../node.js';
import type { PrimitiveName } from '../primitives/index.js';
import { exactBuilder as E } from './exact.js';

/** Given the operation's operands, which of them holds x, and the right side: the values that operand may take. */
type Inverse = (args: readonly Node[], position: number, rhs: Node) => Node[] | undefined;

const c = constantNode;
const call = (op: string, a: Node) => E.apply(op, [a]);
const half = (n: Node) => E.div(n, c(2));

/** The real n-th roots of rhs for a constant integer n: ±rhs^(1/n) for even n, both signs tried for odd n. */
function roots(rhs: Node, n: number): Node[] {
  if (n === 2) return [call('sqrt', rhs), E.neg(call('sqrt', rhs))];
  if (n === 3) return [call('cbrt', rhs)];
  const root = E.pow(rhs, E.div(c(1), c(n)));
  return n % 2 === 0 ? [root, E.neg(root)] : [root, E.neg(E.pow(E.neg(rhs), E.div(c(1), c(n))))];
}

export const inverses: Partial<Record<PrimitiveName, Inverse>> = {
  add: ([a, b], i, r) => [E.sub(r, i === 0 ? b! : a!)],
  sub: ([a, b], i, r) => [i === 0 ? E.add(r, b!) : E.sub(a!, r)],
  mul: ([a, b], i, r) => [E.div(r, i === 0 ? b! : a!)],
  div: ([a, b], i, r) => [i === 0 ? E.mul(r, b!) : E.div(a!, r)],
  neg: (_args, _i, r) => [E.neg(r)],
  pow: ([a, b], i, r) => {
    if (i === 1) return [E.div(call('ln', r), call('ln', a!))];
    if (b!.op === 'const' && Number.isInteger(b!.value) && b!.value !== 0) {
      const n = Math.abs(b!.value);
      const base = b!.value < 0 ? E.div(c(1), r) : r;
      return roots(base, n);
    }
    return [E.pow(r, E.div(c(1), b!))];
  },
  exp: (_args, _i, r) => [call('ln', r)],
  ln: (_args, _i, r) => [call('exp', r)],
  log: ([a, base], i, r) => [i === 0 ? E.pow(base!, r) : E.pow(a!, E.div(c(1), r))],
  sqrt: (_args, _i, r) => [E.pow(r, c(2))],
  cbrt: (_args, _i, r) => [E.pow(r, c(3))],
  sin: (_args, _i, r) => [call('asin', r)],
  cos: (_args, _i, r) => [call('acos', r), E.neg(call('acos', r))],
  tan: (_args, _i, r) => [call('atan', r)],
  asin: (_args, _i, r) => [call('sin', r)],
  acos: (_args, _i, r) => [call('cos', r)],
  atan: (_args, _i, r) => [call('tan', r)],
  // asinh r = ln(r + √(r² + 1)), acosh r = ln(r + √(r² − 1)), atanh r = ln((1 + r)/(1 − r))/2
  sinh: (_args, _i, r) => [call('ln', E.add(r, call('sqrt', E.add(E.pow(r, c(2)), c(1)))))],
  cosh: (_args, _i, r) => {
    const acosh = call('ln', E.add(r, call('sqrt', E.sub(E.pow(r, c(2)), c(1)))));
    return [acosh, E.neg(acosh)];
  },
  tanh: (_args, _i, r) => [half(call('ln', E.div(E.add(c(1), r), E.sub(c(1), r))))],
  sigmoid: (_args, _i, r) => [call('ln', E.div(r, E.sub(c(1), r)))],
  softplus: (_args, _i, r) => [call('ln', E.sub(call('exp', r), c(1)))],
  abs: (_args, _i, r) => [r, E.neg(r)],
};

/** An equation `lhs = rhs` still to solve. */
export interface Equation {
  readonly lhs: Node;
  readonly rhs: Node;
}

/**
 * Peels `lhs = rhs` towards x: while exactly one operand of lhs holds x (`contains` says which
 * nodes do), applies the inverse of lhs's operation to rhs. Returns the values found for x and
 * the equations left where x occurs in several operands (x·(x − 3) = e^r). Throws a
 * TypegradError naming an operation that has no inverse.
 */
export function peel(lhs: Node, rhs: Node, x: Node, contains: ReadonlySet<Node>): { solved: Node[]; residual: Equation[] } {
  let branches: Equation[] = [{ lhs, rhs }];
  const solved: Node[] = [];
  const residual: Equation[] = [];
  while (branches.length > 0) {
    const next: Equation[] = [];
    for (const branch of branches) {
      if (branch.lhs === x) {
        solved.push(branch.rhs);
        continue;
      }
      const holding = branch.lhs.args.filter((a) => contains.has(a));
      if (holding.length !== 1) {
        residual.push(branch);
        continue;
      }
      const position = branch.lhs.args.indexOf(holding[0]!);
      const inverse = inverses[branch.lhs.op as PrimitiveName];
      const values = inverse?.(branch.lhs.args, position, branch.rhs);
      if (values === undefined) throw new TypegradError(`solve: cannot isolate ${x.name}: ${branch.lhs.op} has no inverse here`);
      for (const value of values) next.push({ lhs: branch.lhs.args[position]!, rhs: value });
    }
    branches = next;
  }
  return { solved, residual };
}

/** The candidates for x in `lhs = rhs` when x occurs once in lhs (see `peel`). */
export function isolate(lhs: Node, rhs: Node, x: Node, contains: ReadonlySet<Node>): Node[] {
  return peel(lhs, rhs, x, contains).solved;
}
