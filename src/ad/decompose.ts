/**
 * Decomposition of primitives a consumer does not evaluate directly into those it does, by the
 * records' `decompose` rules: the planner uses it for each backend, the precise interpreter for
 * custom-derivative nodes.
 */
import { builder, rebuild, withSimplification } from './build.js';
import { TypegradError } from './errors.js';
import type { Node } from './node.js';
import { isPrimitiveName, primitiveOf, type OperationName } from './primitives/index.js';
import { describeShape } from './shape.js';
import { topologicalOrder } from './traverse.js';

/** What a program is decomposed for: a name for errors and the primitives it evaluates itself. */
export interface Target {
  /** The backend's name, for errors. */
  readonly name: string;
  readonly lowers: (op: OperationName) => boolean;
}

/**
 * Rewrites every node whose primitive the target does not lower by the primitive's `decompose`
 * rule, until only lowered primitives remain; a primitive without a rule is a TypegradError
 * naming it, its shape and the backend.
 */
export function decompose(roots: readonly Node[], target: Target): Node[] {
  const unsupported = (n: Node) => n.op !== 'const' && n.op !== 'var' && isPrimitiveName(n.op) && !target.lowers(n.op);
  let current = [...roots];
  for (let pass = 0; pass < 16; pass++) {
    const order = topologicalOrder(current);
    if (!order.some(unsupported)) return current;
    const image = new Map<Node, Node>();
    for (const node of order) {
      if (node.args.length === 0) {
        image.set(node, node);
        continue;
      }
      const rebuilt = rebuild(node, node.args.map((a) => image.get(a)!));
      if (!unsupported(rebuilt)) {
        image.set(node, rebuilt);
        continue;
      }
      const rule = primitiveOf(rebuilt.op).decompose;
      if (rule === undefined) {
        const shapes = rebuilt.args.map((a) => describeShape(a.shape)).join(' and ');
        throw new TypegradError(
          `compile: the ${target.name} backend does not lower '${rebuilt.op}' (on ${shapes || 'no operands'}, giving ${describeShape(rebuilt.shape)}) and it has no decomposition; use the js backend for this program`,
        );
      }
      // A decomposition is a numerical recipe: built as written, with no algebra, since
      // rewriting (1 + x) − 1 to x would undo log1p's.
      image.set(node, withSimplification(false, () => rule(rebuilt, builder)));
    }
    current = current.map((r) => image.get(r)!);
  }
  throw new Error('internal: decomposition did not terminate (a decomposition rule produces the primitive it rewrites)');
}
