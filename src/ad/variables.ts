import { TypegradError } from './errors.js';
import type { Node } from './node.js';
import { describeShape } from './shape.js';
import { topologicalOrder } from './traverse.js';

/**
 * The variable nodes reachable from `roots`, by name. Two variables with one name but different
 * shapes in the same expression are an error.
 */
export function freeVariables(roots: readonly Node[]): Map<string, Node> {
  const found = new Map<string, Node>();
  for (const node of topologicalOrder(roots)) {
    if (node.op !== 'var') continue;
    const other = found.get(node.name);
    if (other !== undefined && other !== node) {
      throw new TypegradError(
        `variable '${node.name}' is used with two shapes in one expression: ${describeShape(other.shape)} and ${describeShape(node.shape)}`,
      );
    }
    found.set(node.name, node);
  }
  return found;
}
