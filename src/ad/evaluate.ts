/**
 * The reference interpreter: evaluates nodes in topological order with each primitive's
 * `evaluate`. Backends are tested against it; the compiled JavaScript backend is the fast path.
 */
import { TypegradError } from './errors.js';
import type { Node } from './node.js';
import { primitives, type PrimitiveName } from './primitives/index.js';
import { topologicalOrder } from './traverse.js';

export function evaluateNodes(roots: readonly Node[], environment: ReadonlyMap<string, number>): number[] {
  const value = new Map<Node, number>();
  for (const node of topologicalOrder(roots)) {
    if (node.op === 'const') value.set(node, node.value);
    else if (node.op === 'var') {
      const bound = environment.get(node.name);
      if (bound === undefined) throw new TypegradError(`missing value for variable '${node.name}'`);
      value.set(node, bound);
    } else {
      const args = node.args.map((a) => value.get(a)!);
      value.set(node, primitives[node.op as PrimitiveName].evaluate(...args));
    }
  }
  return roots.map((r) => value.get(r)!);
}
