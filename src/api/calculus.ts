/** Differentiation: forward `d` and reverse-mode `grad`. */
import { TypegradError } from '../ad/errors.js';
import { variableNode, type Node } from '../ad/node.js';
import { reverseGradient } from '../ad/reverse.js';
import { freeVariables } from '../ad/variables.js';
import { recordOf } from './record.js';
import { SFun, variableNodeOf } from './scalar.js';
import { describeValue } from './record.js';

/**
 * The derivative of `f` by each variable in turn (forward symbolic differentiation):
 * `d(f, x)` is ∂f/∂x, `d(f, x, x)` is ∂²f/∂x², `d(f, x, y)` is ∂/∂y (∂f/∂x).
 * The result keeps the variables of `f`.
 * @example d(x.mul(x), x).eval({ x: 3 }) // 6
 */
export function d<V extends string>(f: SFun<V>, ...variables: readonly [SFun<string>, ...SFun<string>[]]): SFun<V> {
  if (!(f instanceof SFun)) throw new TypegradError(`d: expected a scalar Fun to differentiate, got ${describeValue(f)}`);
  if (variables.length === 0) throw new TypegradError('d: name at least one variable to differentiate by');
  return f.d(...variables);
}

/** The gradient as a record: one partial derivative per variable name. */
export type Gradient<K extends string, V extends string> = { readonly [P in K]: SFun<V> };

/**
 * The gradient of `f`, keyed by variable name, built in ONE reverse (adjoint) pass over the DAG:
 * its cost is proportional to the size of `f`, whatever the number of variables.
 * With a list of variables, only those partials.
 * @example grad(x.mul(y)) // { x: y, y: x }
 */
export function grad<V extends string>(f: SFun<V>): Gradient<V, V>;
export function grad<V extends string, W extends V>(f: SFun<V>, variables: readonly SFun<W>[]): Gradient<W, V>;
export function grad(f: SFun<string>, variables?: readonly SFun<string>[]): Gradient<string, string> {
  if (!(f instanceof SFun)) throw new TypegradError(`grad: expected a scalar Fun, got ${describeValue(f)}`);
  const free = freeVariables([f.node]);
  let targets: Node[];
  if (variables === undefined) {
    // A declared variable that simplification removed from the node has partial 0.
    targets = f.variables.map((name) => free.get(name) ?? variableNode(name));
  } else {
    if (!Array.isArray(variables)) throw new TypegradError(`grad: expected an array of variables, got ${describeValue(variables)}`);
    targets = variables.map((v) => variableNodeOf(v, 'grad'));
  }
  const partials = reverseGradient(f.node, targets);
  return recordOf(targets.map((t, i) => [t.name, new SFun(partials[i]!, [f])]));
}
