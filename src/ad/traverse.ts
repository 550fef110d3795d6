import type { Node } from './node.js';

/**
 * Every node reachable from `roots`, each once, in topological order (arguments before users).
 * Iterative: ids are creation order, and arguments are always created before their users.
 */
export function topologicalOrder(roots: readonly Node[]): Node[] {
  const seen = new Set<Node>();
  const stack: Node[] = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const a of node.args) if (!seen.has(a)) stack.push(a);
  }
  return [...seen].sort((a, b) => a.id - b.id);
}

/** The number of distinct nodes reachable from `roots`, shared nodes counted once. */
export function countNodes(roots: readonly Node[]): number {
  return topologicalOrder(roots).length;
}

/** For each node of `order`, whether it depends on one of `sources` (it is one, or an argument does). */
export function dependsOn(order: readonly Node[], sources: ReadonlySet<Node>): Set<Node> {
  const dependent = new Set<Node>();
  for (const node of order) {
    if (sources.has(node) || node.args.some((a) => dependent.has(a))) dependent.add(node);
  }
  return dependent;
}
