/**
 * Vector calculus on top of the one-pass reverse gradient, at any rank: jacobian, hessian,
 * laplacian, divergence and curl. The variables differentiated by are one variable of any rank
 * or a list of scalar variables; they belong to the result's variables even where the function
 * does not mention them (`curl(Vec(y.neg(), x, 0), [x, y, z])` takes z too).
 */
import { apply } from '../ad/build.js';
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import { constantNode, type Node } from '../ad/node.js';
import { reshapeTo } from '../ad/primitives/broadcasting.js';
import { builder } from '../ad/build.js';
import { reverseGradient } from '../ad/reverse.js';
import { describeShape, elementCount, type Shape } from '../ad/shape.js';
import type { FunVars } from './compile.js';
import { Fun, variableOf } from './fun.js';
import type { MFun } from './matrix.js';
import { describeValue } from './record.js';
import { SFun } from './scalar.js';
import type { FunOf, ShapeOf, TFun } from './tensor.js';
import { VFun } from './vector.js';
import { wrap, type AnyFun } from './wrap.js';

/** A variable of any rank. */
type AnyVariable = SFun<string> | VFun<number, string> | MFun<number, number, string> | TFun<readonly number[], string>;

/** What is differentiated by: one variable of any rank, or a list of scalar variables (as a vector). */
interface Variables {
  readonly nodes: readonly Node[];
  /** The variable's shape, or [n] for a list of n scalars. */
  readonly shape: Shape;
  /** A list of scalars rather than one variable. */
  readonly list: boolean;
  /** The Funs given, whose variables join the result's. */
  readonly funs: readonly Fun<string>[];
}

function variablesOf(vars: unknown, operation: string): Variables {
  if (Array.isArray(vars)) {
    if (vars.length === 0) throw new TypegradError(`${operation}: name at least one variable`);
    const nodes = vars.map((v) => {
      const node = variableOf(v, operation);
      if (node.shape.length !== 0) throw new TypegradError(`${operation}: a list of variables must hold scalar variables, '${node.name}' is a ${describeShape(node.shape)}`);
      return node;
    });
    const twice = nodes.findIndex((n, i) => nodes.indexOf(n) !== i);
    if (twice >= 0) throw new TypegradError(`${operation}: the variable '${nodes[twice]!.name}' is listed twice`);
    return { nodes, shape: [nodes.length], list: true, funs: vars as Fun<string>[] };
  }
  const node = variableOf(vars, operation);
  return { nodes: [node], shape: node.shape, list: false, funs: [vars as Fun<string>] };
}

/** The gradient of a scalar node by the variables, of the variables' shape. */
function gradientNode(root: Node, vars: Variables): Node {
  const partials = reverseGradient(root, vars.nodes);
  return vars.list ? apply('pack', partials, vars.shape) : partials[0]!;
}

/**
 * The Jacobian of `root` (any shape F) by the variables (shape X): shape [...F, ...X], element
 * (f, x) = ∂root[f]/∂x. One reverse pass per element of the root (a scalar root is one pass).
 */
export function jacobianNode(root: Node, vars: Variables): Node {
  if (root.shape.length === 0) return gradientNode(root, vars);
  const count = elementCount(root.shape);
  const rows: Node[] = [];
  const index = new Array<number>(root.shape.length).fill(0);
  for (let k = 0; k < count; k++) {
    rows.push(reshapeTo(builder, gradientNode(apply('get', [root], index), vars), [1, ...vars.shape]));
    for (let d = root.shape.length - 1; d >= 0 && ++index[d]! === root.shape[d]; d--) index[d] = 0;
  }
  return reshapeTo(builder, apply('concat', rows, [0]), [...root.shape, ...vars.shape]);
}

/** H = (H + Hᵀ)/2 over the two groups of the variables' axes (the last 2·rank axes): exactly symmetric. */
function symmetrize(h: Node, rank: number): Node {
  const lead = h.shape.length - 2 * rank;
  const perm = h.shape.map((_, axis) => (axis < lead ? axis : axis < lead + rank ? axis + rank : axis - rank));
  return apply('mul', [constantNode(0.5), apply('add', [h, apply('transpose', [h], perm)])]);
}

function funOf(value: unknown, operation: string): Fun<string> {
  if (!(value instanceof Fun)) throw new TypegradError(`${operation}: expected a Fun, got ${describeValue(value)}`);
  return value;
}

/** The variables of a list of scalar variables. */
type ListVars<L extends readonly unknown[]> = FunVars<L[number]>;

/**
 * The Jacobian of a Fun of any shape F by a variable of any shape X (or a list of n scalar
 * variables, X = [n]): shape [...F, ...X], element (f, x) = ∂F[f]/∂X[x]. A vector by a vector is
 * a matrix, a matrix by a matrix a rank-4 tensor, a scalar by anything its gradient.
 * @example jacobian(Vec(x.mul(y), x), [x, y]) // [[y, x], [1, 0]]
 * @example jacobian(matmul(A, B), B)           // TFun<[2, 4, 3, 4]> for A [2, 3], B [3, 4]
 */
export function jacobian<F extends AnyFun, X extends AnyVariable>(f: F, x: X): FunOf<[...ShapeOf<F>, ...ShapeOf<X>], FunVars<F> | FunVars<X>>;
export function jacobian<F extends AnyFun, const L extends readonly SFun<string>[]>(f: F, vars: L): FunOf<[...ShapeOf<F>, L['length']], FunVars<F> | ListVars<L>>;
export function jacobian(f: unknown, vars: unknown): AnyFun {
  const fun = funOf(f, 'jacobian');
  const variables = variablesOf(vars, 'jacobian');
  return wrap(jacobianNode(fun.node, variables), [fun, ...variables.funs]);
}

/**
 * The Hessian: second derivatives of a Fun of any shape F by a variable of shape X (or a list
 * of scalar variables): shape [...F, ...X, ...X]. For a scalar function the matrix
 * ∂²f/∂vᵢ∂vⱼ; for a vector function one Hessian per element (rank 3). Exactly symmetric in the
 * two groups of variable axes: it is built as (H + Hᵀ)/2.
 * @example hessian(x.pow(3).sub(x.mul(y).mul(2)).sub(y.pow(6)), [x, y]).eval({ x: 1, y: 2 }) // [[6, -2], [-2, -480]]
 */
export function hessian<F extends AnyFun, X extends AnyVariable>(f: F, x: X): FunOf<[...ShapeOf<F>, ...ShapeOf<X>, ...ShapeOf<X>], FunVars<F> | FunVars<X>>;
export function hessian<F extends AnyFun, const L extends readonly SFun<string>[]>(f: F, vars: L): FunOf<[...ShapeOf<F>, L['length'], L['length']], FunVars<F> | ListVars<L>>;
export function hessian(f: unknown, vars: unknown): AnyFun {
  const fun = funOf(f, 'hessian');
  const variables = variablesOf(vars, 'hessian');
  const h = jacobianNode(jacobianNode(fun.node, variables), variables);
  return wrap(symmetrize(h, variables.shape.length), [fun, ...variables.funs]);
}

/** The Laplacian Σᵢ ∂²f/∂xᵢ² of a scalar function, over every element of the variable (or the list). */
function laplacianNode(root: Node, vars: Variables): Node {
  let total: Node = constantNode(0);
  if (vars.list) {
    for (const x of vars.nodes) total = apply('add', [total, forwardDerivative(forwardDerivative(root, x), x)]);
    return total;
  }
  const g = gradientNode(root, vars);
  const count = elementCount(vars.shape);
  const index = new Array<number>(vars.shape.length).fill(0);
  for (let k = 0; k < count; k++) {
    const row = gradientNode(apply('get', [g], index), vars);
    total = apply('add', [total, apply('get', [row], index)]);
    for (let d = vars.shape.length - 1; d >= 0 && ++index[d]! === vars.shape[d]; d--) index[d] = 0;
  }
  return total;
}

/**
 * The Laplacian Σ ∂²f/∂xᵢ² of a scalar function, by a variable of any rank (every element) or
 * a list of scalar variables.
 * @example laplacian(x.pow(2).add(y.pow(2)), [x, y]) // 4
 */
export function laplacian<V extends string, X extends AnyVariable>(f: SFun<V>, vars: X): SFun<V | FunVars<X>>;
export function laplacian<V extends string, const L extends readonly SFun<string>[]>(f: SFun<V>, vars: L): SFun<V | ListVars<L>>;
export function laplacian(f: SFun<string>, vars: unknown): SFun<string> {
  if (!(f instanceof SFun)) throw new TypegradError(`laplacian: expected a scalar Fun, got ${describeValue(f)}`);
  const variables = variablesOf(vars, 'laplacian');
  return new SFun(laplacianNode(f.node, variables), [f, ...variables.funs]);
}

function vectorField(vf: unknown, operation: string): Fun<string> {
  if (!(vf instanceof VFun)) throw new TypegradError(`${operation}: expected a vector Fun, got ${vf instanceof Fun ? `a ${describeShape(vf.node.shape)} Fun` : describeValue(vf)}`);
  return vf;
}

/**
 * The divergence Σ ∂fᵢ/∂xᵢ of a vector field with as many components as variables (a vector
 * variable or a list of scalar variables).
 * @example divergence(Vec(x, y.mul(2)), [x, y]) // 3
 */
export function divergence<N extends number, V extends string, X extends VFun<N, string>>(vf: VFun<N, V>, vars: X): SFun<V | FunVars<X>>;
export function divergence<N extends number, V extends string, const L extends readonly SFun<string>[]>(vf: VFun<N, V>, vars: L): SFun<V | ListVars<L>>;
export function divergence(vf: VFun<number, string>, vars: unknown): SFun<string> {
  const f = vectorField(vf, 'divergence');
  const variables = variablesOf(vars, 'divergence');
  const n = f.node.shape[0]!;
  if (variables.shape.length !== 1 || variables.shape[0] !== n) {
    throw new TypegradError(`divergence: a field of ${describeShape(f.node.shape)} needs ${n} variables (a vector[${n}] or a list of ${n}), got ${variables.list ? variables.nodes.length : describeShape(variables.shape)}`);
  }
  let total: Node = constantNode(0);
  for (let i = 0; i < n; i++) {
    const component = apply('get', [f.node], [i]);
    const partial = variables.list
      ? forwardDerivative(component, variables.nodes[i]!)
      : apply('get', [reverseGradient(component, variables.nodes)[0]!], [i]);
    total = apply('add', [total, partial]);
  }
  return new SFun(total, [f, ...variables.funs]);
}

/**
 * The curl ∇ × F of a field F = (F₁, F₂, F₃) in the variables (x, y, z):
 * (∂F₃/∂y − ∂F₂/∂z, ∂F₁/∂z − ∂F₃/∂x, ∂F₂/∂x − ∂F₁/∂y).
 * @example curl(Vec(y.neg(), x, 0), [x, y, z]).eval({ x: 1, y: 2, z: 3 }) // [0, 0, 2]
 */
export function curl<V extends string, const L extends readonly [SFun<string>, SFun<string>, SFun<string>]>(vf: VFun<3, V>, vars: L): VFun<3, V | ListVars<L>> {
  const f = vectorField(vf, 'curl');
  if (f.node.shape[0] !== 3) throw new TypegradError(`curl: expected a field of vector[3], got ${describeShape(f.node.shape)}`);
  const variables = variablesOf(vars, 'curl');
  if (!variables.list || variables.nodes.length !== 3) throw new TypegradError('curl: name three scalar variables [x, y, z]');
  const partial = (i: number, j: number) => forwardDerivative(apply('get', [f.node], [i]), variables.nodes[j]!);
  const components = [
    apply('sub', [partial(2, 1), partial(1, 2)]),
    apply('sub', [partial(0, 2), partial(2, 0)]),
    apply('sub', [partial(1, 0), partial(0, 1)]),
  ];
  return wrap(apply('pack', components, [3]), [f, ...variables.funs]) as VFun<3, V | ListVars<L>>;
}
