/**
 * Vector calculus on top of the one-pass reverse gradient: jacobian, hessian, laplacian,
 * divergence and curl. Each Jacobian row is a reverse pass over the DAG from one output element.
 */
import { apply } from '../ad/build.js';
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import { constantNode, type Node } from '../ad/node.js';
import { reverseGradient } from '../ad/reverse.js';
import { describeShape } from '../ad/shape.js';
import { variableOf } from './calculus.js';
import { Fun } from './fun.js';
import type { MFun } from './matrix.js';
import { describeValue } from './record.js';
import { SFun } from './scalar.js';
import { VFun } from './vector.js';
import { wrap } from './wrap.js';

/** The variables to differentiate by: one vector variable, or a list of scalar variables. */
type Variables = readonly Node[] | Node;

function variablesOf(vars: unknown, operation: string): Variables {
  if (Array.isArray(vars)) {
    if (vars.length === 0) throw new TypegradError(`${operation}: name at least one variable`);
    return vars.map((v) => {
      const node = variableOf(v, operation);
      if (node.shape.length !== 0) throw new TypegradError(`${operation}: a list of variables must hold scalar variables, '${node.name}' is a ${describeShape(node.shape)}`);
      return node;
    });
  }
  const node = variableOf(vars, operation);
  if (node.shape.length !== 1) throw new TypegradError(`${operation}: differentiate by a vector variable or a list of scalar variables, '${node.name}' is a ${describeShape(node.shape)}`);
  return node;
}

const countOf = (vars: Variables) => (Array.isArray(vars) ? vars.length : (vars as Node).shape[0]!);

/** The gradient of a scalar node by the variables, as one vector node. */
function gradientVector(root: Node, vars: Variables): Node {
  if (!Array.isArray(vars)) return reverseGradient(root, [vars as Node])[0]!;
  return apply('pack', reverseGradient(root, vars), [vars.length]);
}

/** The [M, N] Jacobian of a vector node of length M: row i is the gradient of element i. */
function jacobianNode(root: Node, vars: Variables): Node {
  const m = root.shape[0]!;
  const n = countOf(vars);
  if (Array.isArray(vars)) {
    const elements: Node[] = [];
    for (let i = 0; i < m; i++) elements.push(...reverseGradient(apply('get', [root], [i]), vars));
    return apply('pack', elements, [m, n]);
  }
  const rows: Node[] = [];
  for (let i = 0; i < m; i++) rows.push(apply('reshape', [reverseGradient(apply('get', [root], [i]), [vars as Node])[0]!], [1, n]));
  return apply('concat', rows, [0]);
}

function vectorNode(vf: unknown, operation: string): Fun<string> {
  if (!(vf instanceof VFun)) throw new TypegradError(`${operation}: expected a vector Fun, got ${vf instanceof Fun ? `a ${describeShape(vf.node.shape)} Fun` : describeValue(vf)}`);
  return vf;
}

/**
 * The Jacobian of a vector function: element (i, j) is ∂fᵢ/∂vⱼ, by a vector variable or a list
 * of scalar variables. `jacobian(VFun<M>, VVar<N>)` is `MFun<M, N>`.
 * @example jacobian(Vec(x.mul(y), x), [x, y]) // [[y, x], [1, 0]]
 */
export function jacobian<M extends number, V extends string, N extends number>(vf: VFun<M, V>, v: VFun<N, string>): MFun<M, N, V>;
export function jacobian<M extends number, V extends string, const L extends readonly SFun<string>[]>(vf: VFun<M, V>, vars: L): MFun<M, L['length'], V>;
export function jacobian(vf: VFun<number, string>, vars: unknown): MFun<number, number, string> {
  const f = vectorNode(vf, 'jacobian');
  return wrap(jacobianNode(f.node, variablesOf(vars, 'jacobian')), [f]) as MFun<number, number, string>;
}

/**
 * The Hessian of a scalar function: element (i, j) is ∂²f/∂vᵢ∂vⱼ, by a vector variable or a
 * list of scalar variables. Exactly symmetric: it is built as (H + Hᵀ)/2.
 * @example hessian(x.pow(3).sub(x.mul(y).mul(2)).sub(y.pow(6)), [x, y]).eval({ x: 1, y: 2 }) // [[6, -2], [-2, -480]]
 */
export function hessian<V extends string, N extends number>(f: SFun<V>, v: VFun<N, string>): MFun<N, N, V>;
export function hessian<V extends string, const L extends readonly SFun<string>[]>(f: SFun<V>, vars: L): MFun<L['length'], L['length'], V>;
export function hessian(f: SFun<string>, vars: unknown): MFun<number, number, string> {
  if (!(f instanceof SFun)) throw new TypegradError(`hessian: expected a scalar Fun, got ${describeValue(f)}`);
  const variables = variablesOf(vars, 'hessian');
  const h = jacobianNode(gradientVector(f.node, variables), variables);
  const symmetric = apply('mul', [constantNode(0.5), apply('add', [h, apply('transpose', [h])])]);
  return wrap(symmetric, [f]) as MFun<number, number, string>;
}

/**
 * The Laplacian Σ ∂²f/∂xᵢ² of a scalar function.
 * @example laplacian(x.pow(2).add(y.pow(2)), [x, y]) // 4
 */
export function laplacian<V extends string>(f: SFun<V>, vars: VFun<number, string> | readonly SFun<string>[]): SFun<V> {
  if (!(f instanceof SFun)) throw new TypegradError(`laplacian: expected a scalar Fun, got ${describeValue(f)}`);
  const variables = variablesOf(vars, 'laplacian');
  let total: Node = constantNode(0);
  if (Array.isArray(variables)) {
    for (const x of variables) total = apply('add', [total, forwardDerivative(forwardDerivative(f.node, x), x)]);
  } else {
    const g = gradientVector(f.node, variables);
    for (let i = 0; i < countOf(variables); i++) {
      const row = reverseGradient(apply('get', [g], [i]), [variables as Node])[0]!;
      total = apply('add', [total, apply('get', [row], [i])]);
    }
  }
  return new SFun(total, [f]) as SFun<V>;
}

/**
 * The divergence Σ ∂fᵢ/∂xᵢ of a vector field with as many components as variables.
 * @example divergence(Vec(x, y.mul(2)), [x, y]) // 3
 */
export function divergence<N extends number, V extends string>(vf: VFun<N, V>, vars: VFun<N, string> | readonly SFun<string>[]): SFun<V> {
  const f = vectorNode(vf, 'divergence');
  const variables = variablesOf(vars, 'divergence');
  const n = f.node.shape[0]!;
  if (countOf(variables) !== n) {
    throw new TypegradError(`divergence: a field of ${describeShape(f.node.shape)} needs ${n} variables, got ${countOf(variables)}`);
  }
  let total: Node = constantNode(0);
  for (let i = 0; i < n; i++) {
    const component = apply('get', [f.node], [i]);
    const partial = Array.isArray(variables)
      ? forwardDerivative(component, variables[i]!)
      : apply('get', [reverseGradient(component, [variables as Node])[0]!], [i]);
    total = apply('add', [total, partial]);
  }
  return new SFun(total, [f]) as SFun<V>;
}

/**
 * The curl ∇ × F of a field F = (F₁, F₂, F₃) in the variables (x, y, z):
 * (∂F₃/∂y − ∂F₂/∂z, ∂F₁/∂z − ∂F₃/∂x, ∂F₂/∂x − ∂F₁/∂y).
 * @example curl(Vec(y.neg(), x, 0), [x, y, z]) // (0, 0, 2)
 */
export function curl<V extends string>(vf: VFun<3, V>, vars: readonly [SFun<string>, SFun<string>, SFun<string>]): VFun<3, V> {
  const f = vectorNode(vf, 'curl');
  if (f.node.shape[0] !== 3) throw new TypegradError(`curl: expected a field of vector[3], got ${describeShape(f.node.shape)}`);
  const variables = variablesOf(vars, 'curl');
  if (!Array.isArray(variables) || variables.length !== 3) throw new TypegradError('curl: name three scalar variables [x, y, z]');
  const partial = (i: number, j: number) => forwardDerivative(apply('get', [f.node], [i]), variables[j]!);
  const components = [
    apply('sub', [partial(2, 1), partial(1, 2)]),
    apply('sub', [partial(0, 2), partial(2, 0)]),
    apply('sub', [partial(1, 0), partial(0, 1)]),
  ];
  return wrap(apply('pack', components, [3]), [f]) as VFun<3, V>;
}
