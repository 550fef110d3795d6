import { rebuild } from './build.js';
import type { Node } from './node.js';
import { topologicalOrder } from './traverse.js';

/**
 * Replaces variables by nodes (constants or expressions) and rebuilds every node above them
 * through the smart constructors, so constants fold and simplifications apply again.
 */
export function substitute(root: Node, replacements: ReadonlyMap<Node, Node>): Node {
  const image = new Map<Node, Node>();
  for (const node of topologicalOrder([root])) {
    const replacement = replacements.get(node);
    if (replacement !== undefined) image.set(node, replacement);
    else if (node.args.length > 0) image.set(node, rebuild(node, node.args.map((a) => image.get(a)!)));
    else image.set(node, node);
  }
  return image.get(root)!;
}

/**
 * `substitute` for several roots at once: one pass, so subexpressions the roots share are
 * rebuilt once and stay shared.
 */
export function substituteAll(roots: readonly Node[], replacements: ReadonlyMap<Node, Node>): Node[] {
  const image = new Map<Node, Node>();
  for (const node of topologicalOrder(roots)) {
    const replacement = replacements.get(node);
    if (replacement !== undefined) image.set(node, replacement);
    else if (node.args.length > 0) image.set(node, rebuild(node, node.args.map((a) => image.get(a)!)));
    else image.set(node, node);
  }
  return roots.map((r) => image.get(r)!);
}
