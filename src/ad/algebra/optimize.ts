/**
 * `optimize`: rewrites for cheaper evaluation, then common subexpressions as `let` bindings.
 * The DAG is hash-consed, so common subexpressions are already shared; what optimize adds is
 * cheaper operations (x^0.5 → sqrt(x), x^-1 → 1/x, constants folded, factors collected) and a
 * presentation that names each shared node once, in topological order.
 */
import { builder } from '../build.js';
import { constantNode, operationNode, variableNode, type Node } from '../node.js';
import { toInfix } from '../print.js';
import { patternVariable } from '../rewrite/pattern.js';
import { patternRule, type Rule } from '../rewrite/rule.js';
import { RuleSet, rewriteNode } from '../rewrite/engine.js';
import { topologicalOrder } from '../traverse.js';
import { collectFactors, collectLikeTerms } from './collect.js';

const a = patternVariable('a'), n = patternVariable('n');
const c = constantNode;
const isNegativeConstant = (x: Node | undefined) => x !== undefined && x.op === 'const' && x.value < 0;

/** Powers with special exponents as the cheaper (and more exact) operations. */
export const powerRules: readonly Rule[] = [
  patternRule(builder.pow(a, c(0.5)), builder.apply('sqrt', [a]), undefined, 'x^0.5 = sqrt(x)'),
  patternRule(builder.pow(a, c(-0.5)), builder.div(c(1), builder.apply('sqrt', [a])), undefined, 'x^-0.5 = 1/sqrt(x)'),
  patternRule(builder.pow(a, c(-1)), builder.div(c(1), a), undefined, 'x^-1 = 1/x'),
  patternRule(builder.pow(a, n), (b) => builder.div(c(1), builder.pow(b.get('a')!, c(-b.get('n')!.value))), (b) => isNegativeConstant(b.get('n')), 'x^-n = 1/x^n'),
];

const optimizeSet = new RuleSet([collectLikeTerms, collectFactors, ...powerRules]);

export interface Program {
  /** The optimized expression. */
  readonly node: Node;
  /** The shared subexpressions, in order: name and expression over earlier names. */
  readonly bindings: readonly (readonly [string, Node])[];
  /** The result, over the names. */
  readonly result: Node;
}

export function optimizeNode(root: Node): Program {
  const node = rewriteNode(root, optimizeSet).node;
  const order = topologicalOrder([node]);
  const uses = new Map<Node, number>();
  for (const n of order) for (const arg of n.args) uses.set(arg, (uses.get(arg) ?? 0) + 1);
  const taken = new Set(order.filter((n) => n.op === 'var').map((n) => n.name));
  let counter = 0;
  const freshName = () => {
    let name: string;
    do name = `t${++counter}`;
    while (taken.has(name));
    return name;
  };
  // Each node over the names of its shared operands, rebuilt without simplification so it
  // prints exactly as computed.
  const named = new Map<Node, Node>();
  const bindings: [string, Node][] = [];
  for (const n of order) {
    if (n.args.length === 0) {
      named.set(n, n);
      continue;
    }
    const expression = operationNode(n.op, n.args.map((arg) => named.get(arg)!), n.shape, n.attrs);
    if ((uses.get(n) ?? 0) > 1 && n !== node) {
      const name = freshName();
      bindings.push([name, expression]);
      named.set(n, variableNode(name));
    } else named.set(n, expression);
  }
  return { node, bindings, result: named.get(node)! };
}

/** `let t1 = ...;` lines and `return ...;`. */
export function programSource(program: Program): string {
  return [...program.bindings.map(([name, e]) => `let ${name} = ${toInfix(e)};`), `return ${toInfix(program.result)};`].join('\n');
}
