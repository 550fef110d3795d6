/** The reverse-mode gradient of a scalar expression, by its variables, a list, a record or a pytree of them. */
import { TypegradError } from '../ad/errors.js';
import type { Node } from '../ad/node.js';
import { reverseGradient, type RootOrder } from '../ad/reverse.js';
import { indexedOrder } from '../ad/traverse.js';
import { describeShape } from '../ad/shape.js';
import { Fun, variableOf } from './fun.js';
import { flatten, unflatten } from './pytree.js';
import { describeValue, recordOf } from './record.js';
import { SFun } from './scalar.js';
import { wrap } from './wrap.js';

/**
 * The gradient of the scalar expression `f` (what `grad` does for a Fun; `grad` on a function
 * traces it first, in transform/transforms.ts, which builds on this).
 */
export function gradientOf(f: unknown, variables?: unknown): unknown {
  if (!(f instanceof SFun)) {
    const other: unknown = f;
    const hint = other instanceof Fun ? ` (a ${describeShape(other.node.shape)} Fun; use jacobian)` : '';
    throw new TypegradError(`grad: expected a scalar Fun, got ${describeValue(f)}${hint}`);
  }
  if (variables instanceof Fun) return wrap(reverseGradient(f.node, [variableOf(variables, 'grad')])[0]!, [f]);
  let entries: [string, Node][];
  let ordered: RootOrder | undefined;
  if (variables === undefined) {
    // The declared variables with their nodes (one that simplification removed has partial 0),
    // read from the walk that the reverse pass then uses (when they are not known yet).
    const declared = Fun.declaredSet(f, () => (ordered = indexedOrder([f.node])).order).map;
    entries = [...declared.keys()].sort().map((name) => [name, declared.get(name)!]);
  } else if (Array.isArray(variables) && !variables.every((v) => v instanceof Fun)) {
    return gradientTree(f, variables);
  } else if (Array.isArray(variables)) {
    entries = variables.map((v) => {
      const node = variableOf(v, 'grad');
      return [node.name, node];
    });
  } else if (variables !== null && typeof variables === 'object' && !isFlatRecord(variables)) {
    return gradientTree(f, variables);
  } else if (variables !== null && typeof variables === 'object') {
    entries = Object.keys(variables).map((key) => [key, variableOf((variables as Record<string, unknown>)[key], 'grad')]);
  } else {
    throw new TypegradError(`grad: expected a variable, an array of variables or an object of variables, got ${describeValue(variables)}`);
  }
  const partials = reverseGradient(f.node, entries.map(([, node]) => node), undefined, ordered);
  return recordOf(entries.map(([key], i) => [key, wrap(partials[i]!, [f])]));
}

/** Whether a plain object holds only Funs (the flat `grad(f, { W1, b1 })` form). */
function isFlatRecord(variables: object): boolean {
  return Object.keys(variables).every((k) => (variables as Record<string, unknown>)[k] instanceof Fun);
}

/** The gradient by a nested pytree of variables, in one reverse pass, in the tree's structure. */
function gradientTree(f: SFun<string>, tree: object): unknown {
  const { leaves, treedef } = flatten(tree);
  const nodes = leaves.map((leaf) => variableOf(leaf, 'grad'));
  const partials = reverseGradient(f.node, nodes);
  return unflatten(treedef, partials.map((node) => wrap(node, [f])));
}
