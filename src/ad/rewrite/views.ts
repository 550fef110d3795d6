/**
 * The n-ary views of the binary DAG that matching and collecting work on. The DAG stores
 * `a + b + c` as nested binary nodes in whatever association the smart constructors chose;
 * these views flatten them, iteratively, into the list of signed terms of a sum or the list of
 * factors of a product, and build them back.
 */
import { builder } from '../build.js';
import { constantNode, type Node } from '../node.js';

/** One term of a sum: `node` or, when `negative`, `−node`. */
export interface SignedTerm {
  readonly node: Node;
  readonly negative: boolean;
}

export const isSum = (node: Node): boolean => node.op === 'add' || node.op === 'sub' || node.op === 'neg';

/** The signed terms of a sum, through `+`, `−` and negation (a non-sum is one term). */
export function sumTerms(node: Node): SignedTerm[] {
  const terms: SignedTerm[] = [];
  const stack: SignedTerm[] = [{ node, negative: false }];
  while (stack.length > 0) {
    const { node: n, negative } = stack.pop()!;
    // Pushed right operand first so terms come out left to right.
    if (n.op === 'add') stack.push({ node: n.args[1]!, negative }, { node: n.args[0]!, negative });
    else if (n.op === 'sub') stack.push({ node: n.args[1]!, negative: !negative }, { node: n.args[0]!, negative });
    else if (n.op === 'neg') stack.push({ node: n.args[0]!, negative: !negative });
    else terms.push({ node: n, negative });
  }
  return terms;
}

/** The factors of a product, through `·` only (a non-product is one factor). */
export function productFactors(node: Node): Node[] {
  const factors: Node[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.op === 'mul') stack.push(n.args[1]!, n.args[0]!);
    else factors.push(n);
  }
  return factors;
}

/** The value of a signed term as a node. */
export function termValue(term: SignedTerm): Node {
  return term.negative ? builder.neg(term.node) : term.node;
}

/**
 * The sum of nodes (0 when empty). Built from the right: the smart constructors order operands
 * by id and the partial sum is the newest node, so the terms keep their order: a + (b + c).
 */
export function sumOf(nodes: readonly Node[]): Node {
  if (nodes.length === 0) return constantNode(0);
  let total = nodes[nodes.length - 1]!;
  for (let i = nodes.length - 2; i >= 0; i--) total = builder.add(nodes[i]!, total);
  return total;
}

/** The product of nodes (1 when empty), built from the right like `sumOf`. */
export function productOf(nodes: readonly Node[]): Node {
  if (nodes.length === 0) return constantNode(1);
  let total = nodes[nodes.length - 1]!;
  for (let i = nodes.length - 2; i >= 0; i--) total = builder.mul(nodes[i]!, total);
  return total;
}
