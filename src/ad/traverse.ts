import { latestTraversal, nextTraversal, type Node } from './node.js';

/** Nodes as traversals see them: the last traversal that reached each, and its place in that order. */
interface Visited {
  visited: number;
  position: number;
}

/**
 * Every node reachable from `roots`, each once, in topological order (arguments before users).
 * Iterative: a depth-first walk with an explicit stack, each node placed once its arguments
 * are (post-order), so a chain a million deep is no problem. Nodes are marked with the
 * traversal's number instead of being put in a Set. (Sorting the nodes found by id, also a
 * topological order, cost twice as much on the gradient of Rosenbrock in 10,000 variables.)
 */
export function topologicalOrder(roots: readonly Node[]): Node[] {
  return indexedOrder(roots).order;
}

/**
 * The topological order of `roots` (see `topologicalOrder`), each node knowing its position in
 * it (`positionIn`) until the next traversal: passes keep per-node results in arrays by
 * position instead of maps.
 */
export function indexedOrder(roots: readonly Node[]): { readonly order: Node[]; readonly traversal: number } {
  const traversal = nextTraversal();
  const order: Node[] = [];
  // The walk: nodes entered and, for each, how many of its arguments were visited.
  const stack: Node[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if ((root as unknown as Visited).visited === traversal) continue;
    (root as unknown as Visited).visited = traversal;
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top]!;
      const args = node.args;
      let i = next[top]!;
      while (i < args.length && (args[i] as unknown as Visited).visited === traversal) i++;
      if (i < args.length) {
        next[top] = i + 1;
        const arg = args[i]!;
        (arg as unknown as Visited).visited = traversal;
        stack.push(arg);
        next.push(0);
      } else {
        stack.pop();
        next.pop();
        (node as unknown as Visited).position = order.length;
        order.push(node);
      }
    }
  }
  return { order, traversal };
}

/**
 * Makes the positions of `order` current again if another traversal ran since the last check
 * (a primitive's rule called back into code that traverses: a user's custom derivative rule may
 * differentiate or evaluate). Passes that keep results by position call it after each rule,
 * with what the previous call returned (first: `traversal`); it costs nothing when no
 * traversal ran.
 */
export function keepPositions(order: readonly Node[], traversal: number, checked: number): number {
  const latest = latestTraversal();
  if (latest === checked) return checked;
  for (let k = 0; k < order.length; k++) {
    (order[k] as unknown as Visited).visited = traversal;
    (order[k] as unknown as Visited).position = k;
  }
  return latest;
}

/** The position of `node` in the order of `traversal`, or −1 when that traversal did not reach it (or a later one ran). */
export function positionIn(node: Node, traversal: number): number {
  return (node as unknown as Visited).visited === traversal ? (node as unknown as Visited).position : -1;
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

/**
 * `dependsOn` by position in an indexed order (`indexedOrder`): entry k is 1 when order[k] is one
 * of `sources` or an argument of it depends on one.
 */
export function dependsOnByPosition(order: readonly Node[], traversal: number, sources: readonly Node[]): Uint8Array {
  const dependent = new Uint8Array(order.length);
  for (const source of sources) {
    const k = positionIn(source, traversal);
    if (k >= 0) dependent[k] = 1;
  }
  for (let k = 0; k < order.length; k++) {
    if (dependent[k] === 1) continue;
    const args = order[k]!.args;
    for (let i = 0; i < args.length; i++) {
      if (dependent[(args[i] as unknown as Visited).position]! === 1) {
        dependent[k] = 1;
        break;
      }
    }
  }
  return dependent;
}
