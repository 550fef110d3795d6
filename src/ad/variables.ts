import { TypegradError } from './errors.js';
import { nextTraversal, type Node } from './node.js';
import { describeShape } from './shape.js';

/**
 * The variable nodes reachable from `roots`, by name. Two variables with one name but different
 * shapes in the same expression are an error.
 */
export function freeVariables(roots: readonly Node[]): Map<string, Node> {
  const found = new Map<string, Node>();
  forEachVariable(roots, (node) => {
    const other = found.get(node.name);
    if (other !== undefined && other !== node) {
      throw new TypegradError(
        `variable '${node.name}' is used with two shapes in one expression: ${describeShape(other.shape)} and ${describeShape(node.shape)}`,
      );
    }
    found.set(node.name, node);
  });
  return found;
}

/** Nodes as traversals mark them (traverse.ts). */
interface Marked {
  visited: number;
}

/**
 * Calls `visit` once for each variable node reachable from `roots`, left to right: an iterative
 * walk that marks nodes with a fresh traversal number (as traverse.ts does), so a shared
 * subexpression is entered once and no depth overflows the stack. Allocates only its stack.
 */
export function forEachVariable(roots: readonly Node[], visit: (node: Node) => void): void {
  const mark = nextTraversal();
  const stack: Node[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]!);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ((node as unknown as Marked).visited === mark) continue;
    (node as unknown as Marked).visited = mark;
    if (node.op === 'var') visit(node);
    const args = node.args;
    for (let i = args.length - 1; i >= 0; i--) if ((args[i] as unknown as Marked).visited !== mark) stack.push(args[i]!);
  }
}
