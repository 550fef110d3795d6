/** Differentiation: forward `d` and reverse-mode `grad`, for scalar, vector and matrix Funs. */
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import { variableNode, type Node } from '../ad/node.js';
import { reverseGradient } from '../ad/reverse.js';
import { describeShape } from '../ad/shape.js';
import { toInfix } from '../ad/print.js';
import { freeVariables } from '../ad/variables.js';
import { Fun } from './fun.js';
import type { MFun } from './matrix.js';
import { describeValue, recordOf } from './record.js';
import { SFun } from './scalar.js';
import type { VFun } from './vector.js';
import { wrap } from './wrap.js';

/** The variable node behind a Fun of any rank that must be a variable (`Var`, `VVar`, `MVar`). */
export function variableOf(f: unknown, operation: string): Node {
  if (!(f instanceof Fun)) throw new TypegradError(`${operation}: expected a variable made by Var, VVar or MVar, got ${describeValue(f)}`);
  if (f.node.op !== 'var') throw new TypegradError(`${operation}: expected a variable made by Var, VVar or MVar, got the expression ${toInfix(f.node)}`);
  return f.node;
}

/**
 * The derivative of `f` by each scalar variable in turn (forward symbolic differentiation):
 * `d(f, x)` is ∂f/∂x, `d(f, x, x)` is ∂²f/∂x², `d(f, x, y)` is ∂/∂y (∂f/∂x). A vector or
 * matrix Fun is differentiated elementwise and keeps its shape. The result keeps the variables of `f`.
 * @example d(x.mul(x), x).eval({ x: 3 }) // 6
 */
export function d<V extends string>(f: SFun<V>, ...variables: readonly [SFun<string>, ...SFun<string>[]]): SFun<V>;
export function d<N extends number, V extends string>(f: VFun<N, V>, ...variables: readonly [SFun<string>, ...SFun<string>[]]): VFun<N, V>;
export function d<R extends number, C extends number, V extends string>(f: MFun<R, C, V>, ...variables: readonly [SFun<string>, ...SFun<string>[]]): MFun<R, C, V>;
export function d(f: Fun<string>, ...variables: readonly SFun<string>[]): Fun<string> {
  if (!(f instanceof Fun)) throw new TypegradError(`d: expected a Fun to differentiate, got ${describeValue(f)}`);
  if (variables.length === 0) throw new TypegradError('d: name at least one variable to differentiate by');
  let node = f.node;
  for (const x of variables) node = forwardDerivative(node, variableOf(x, 'd'));
  return wrap(node, [f]);
}

/** The gradient as a record: one partial derivative per variable name. */
export type Gradient<K extends string, V extends string> = { readonly [P in K]: SFun<V> };

/** A Fun of the shape of `T` with the variables `V`: the type of a gradient by the variable `T`. */
export type ShapedLike<T, V extends string> =
  T extends MFun<infer R, infer C, string> ? MFun<R, C, V> : T extends VFun<infer N, string> ? VFun<N, V> : SFun<V>;

/** A variable of any rank among the variables `V`. */
export type AnyVariable<V extends string> = SFun<V> | VFun<number, V> | MFun<number, number, V>;

/**
 * The gradient of the scalar `f`, built in ONE reverse (adjoint) pass over the DAG: its cost is
 * proportional to the size of `f`, whatever the number of variables, and the gradient by a
 * vector or matrix variable is one Fun of that variable's shape (`grad(loss, W)` for
 * `W = MVar('W', 784, 128)` is an `MFun<784, 128>`).
 * - `grad(f)`: keyed by variable name; `grad(f, [x, y])`: only those (scalar) variables.
 * - `grad(f, W)`: the gradient by one variable, of its shape.
 * - `grad(f, { W1, b1 })`: an object with the same keys, each of its variable's shape.
 * @example grad(x.mul(y)) // { x: y, y: x }
 */
export function grad<V extends string>(f: SFun<V>): Gradient<V, V>;
export function grad<V extends string, W extends V>(f: SFun<V>, variables: readonly SFun<W>[]): Gradient<W, V>;
export function grad<V extends string, T extends AnyVariable<V>>(f: SFun<V>, variable: T): ShapedLike<T, V>;
export function grad<V extends string, const O extends { readonly [key: string]: AnyVariable<V> }>(
  f: SFun<V>,
  variables: O,
): { readonly [K in keyof O]: ShapedLike<O[K], V> };
export function grad(f: SFun<string>, variables?: unknown): unknown {
  if (!(f instanceof SFun)) {
    const other: unknown = f;
    const hint = other instanceof Fun ? ` (a ${describeShape(other.node.shape)} Fun; use jacobian)` : '';
    throw new TypegradError(`grad: expected a scalar Fun, got ${describeValue(f)}${hint}`);
  }
  if (variables instanceof Fun) return wrap(reverseGradient(f.node, [variableOf(variables, 'grad')])[0]!, [f]);
  let entries: [string, Node][];
  if (variables === undefined) {
    const free = freeVariables([f.node]);
    // A declared variable that simplification removed from the node has partial 0.
    entries = f.variables.map((name) => [name, free.get(name) ?? variableNode(name)]);
  } else if (Array.isArray(variables)) {
    entries = variables.map((v) => {
      const node = variableOf(v, 'grad');
      return [node.name, node];
    });
  } else if (variables !== null && typeof variables === 'object') {
    entries = Object.keys(variables).map((key) => [key, variableOf((variables as Record<string, unknown>)[key], 'grad')]);
  } else {
    throw new TypegradError(`grad: expected a variable, an array of variables or an object of variables, got ${describeValue(variables)}`);
  }
  const partials = reverseGradient(f.node, entries.map(([, node]) => node));
  return recordOf(entries.map(([key], i) => [key, wrap(partials[i]!, [f])]));
}
