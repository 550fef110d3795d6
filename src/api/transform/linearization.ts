/**
 * `jvp`, `vjp` and `linearize` (as in JAX), for traced functions and for expressions.
 *
 * Of a traced function they are programs too, made once per traced function and cached: the
 * JVP program takes the inputs and a tangent per input and returns the value and the tangent of
 * the result (forward mode, one pass); the VJP program takes the inputs and a cotangent of the
 * result and returns a cotangent per input (reverse mode, one pass). Called with values they
 * run compiled; called with Funs they give Funs (symbolic underneath: print them, compile them,
 * differentiate them again).
 *
 * Of an expression (a Fun or a pytree of Funs), the primals are its variables: `jvp(f, [x], [t])`
 * is the derivative of f along t in x, a Fun.
 */
import { apply } from '../../ad/build.js';
import { TypegradError } from '../../ad/errors.js';
import { jacobianVectorProducts } from '../../ad/jvp.js';
import { constantNode, variableNode, type Node } from '../../ad/node.js';
import { broadcastTo } from '../../ad/primitives/broadcasting.js';
import { builder } from '../../ad/build.js';
import { reverseGradient } from '../../ad/reverse.js';
import { broadcastsTo, describeShape, type Shape } from '../../ad/shape.js';
import type { AnyRankFun } from '../compile.js';
import { constantTensor, Fun, variableOf } from '../fun.js';
import { flatten, sameStructure, unflatten, type TreeDef } from '../pytree.js';
import { describeValue } from '../record.js';
import { toFlat } from '../values.js';
import { wrap } from '../wrap.js';
import { callTraced, groupByInput, leafTrees, makeState, specialise, type TracedState } from './traced.js';
import { tracedOf } from './transforms.js';
import type { Traced } from './types.js';

/** A fresh input name derived from `name` by `mark`, unused by the other inputs. */
function derivedName(name: string, mark: string, taken: readonly string[]): string {
  let candidate = `${name}${mark}`;
  while (taken.includes(candidate)) candidate = `${candidate}′`;
  return candidate;
}

/** The JVP program of a traced function: (inputs, tangents) ↦ [value, tangent], cached. */
const jvpPrograms = new WeakMap<TracedState, TracedState>();
export function jvpProgram(state: TracedState): TracedState {
  let program = jvpPrograms.get(state);
  if (program !== undefined) return program;
  const taken = [...state.names, ...state.symbols.map((s) => s.node.name)];
  const tangentNames = state.names.map((n) => derivedName(n, '\u0307', taken));
  const tangents = state.symbols.map((s) => tangentSymbol(s, derivedName(s.node.name, '\u0307', taken)));
  const seeds = new Map(state.symbols.map((s, i) => [s.node, tangents[i]!.node]));
  const nodes = jacobianVectorProducts(state.leaves.map((l) => l.node), seeds);
  const tangentTree = unflatten(state.treedef, nodes.map((node) => wrap(node, [...state.leaves, ...tangents])));
  program = makeState([...state.symbols, ...tangents], [...state.names, ...tangentNames], [state.expr, tangentTree], state.backend, 'jvp', [...state.trees, ...state.trees]);
  jvpPrograms.set(state, program);
  return program;
}

/** The VJP program of a traced function: (inputs, a cotangent per result leaf) ↦ a cotangent per input, cached. */
const vjpPrograms = new WeakMap<TracedState, TracedState>();
export function vjpProgram(state: TracedState): TracedState {
  let program = vjpPrograms.get(state);
  if (program !== undefined) return program;
  const count = state.leaves.length;
  const cotangentNames = state.leaves.map((_, k) => derivedName(count === 1 ? 'out' : `out${k}`, '\u0304', [...state.names, ...state.symbols.map((s) => s.node.name)]));
  const cotangents = state.leaves.map((leaf, k) => tangentSymbol(leaf, cotangentNames[k]!));
  const adjoints = reverseGradient(pairing(state.leaves.map((l) => l.node), cotangents.map((c) => c.node)), state.symbols.map((s) => s.node));
  const expr = groupByInput(state.trees, adjoints.map((node) => wrap(node, [...state.symbols, ...cotangents])));
  program = makeState([...state.symbols, ...cotangents], [...state.names, ...cotangentNames], expr, state.backend, 'vjp', [...state.trees, ...leafTrees(count)]);
  vjpPrograms.set(state, program);
  return program;
}

/** A variable named `name` of the shape of `like`. */
function tangentSymbol(like: Fun<string>, name: string): Fun<string> {
  return wrap(variableNode(name, like.node.shape), [], new Set([name]));
}

/** Σₖ ⟨cₖ, rₖ⟩, a scalar whose gradient by the inputs is the vector-Jacobian product. */
function pairing(roots: readonly Node[], cotangents: readonly Node[]): Node {
  let total: Node = constantNode(0);
  roots.forEach((root, k) => {
    const product = builder.mul(cotangents[k]!, root);
    total = builder.add(total, product.shape.length === 0 ? product : apply('sum', [product]));
  });
  return total;
}

function checkArray(value: unknown, length: number, what: string, operation: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new TypegradError(`${operation}: ${what} must be an array with one entry per input, got ${describeValue(value)}`);
  if (value.length !== length) throw new TypegradError(`${operation}: ${what} must have ${length} entries (one per input), got ${value.length}`);
  return value;
}

/* Expressions: the primals are variables. */

/** The node of a tangent (or cotangent) for something of `shape`: a Fun that broadcasts to it, a number, or a tensor value. */
function directionNode(value: unknown, shape: Shape, label: string, operation: string): Node {
  if (value instanceof Fun) {
    if (!broadcastsTo(value.node.shape, shape)) throw new TypegradError(`${operation}: ${label} is a Fun of shape ${describeShape(value.node.shape)}, which does not broadcast to ${describeShape(shape)}`);
    return broadcastTo(builder, value.node, shape);
  }
  if (typeof value === 'number') return broadcastTo(builder, constantNode(value), shape);
  return constantTensor(toFlat(value, shape, label, operation), shape);
}

/** The Funs that tangents given as Funs bring in (their variables join the result's). */
const funsAmong = (values: readonly unknown[]) => values.filter((v): v is Fun<string> => v instanceof Fun);

function expressionJvp(f: unknown, primals: unknown, tangents: unknown): [unknown, unknown] {
  const { leaves, treedef } = expressionLeaves(f, 'jvp');
  const variables = checkArray(primals, Array.isArray(primals) ? primals.length : 0, 'primals', 'jvp').map((p) => variableOf(p, 'jvp'));
  const given = checkArray(tangents, variables.length, 'tangents', 'jvp');
  const seeds = new Map(variables.map((v, i) => [v, directionNode(given[i], v.shape, `the tangent of '${v.name}'`, 'jvp')]));
  const nodes = jacobianVectorProducts(leaves.map((l) => l.node), seeds);
  return [f, unflatten(treedef, nodes.map((node) => wrap(node, [...leaves, ...funsAmong(given)])))];
}

function expressionLeaves(f: unknown, operation: string): { leaves: Fun<string>[]; treedef: TreeDef } {
  const { leaves, treedef } = flatten(f);
  if (leaves.length === 0 || !leaves.every((l) => l instanceof Fun)) {
    throw new TypegradError(`${operation}: expected a function, a Fun, or an array or record of Funs, got ${describeValue(f)}`);
  }
  return { leaves: leaves as Fun<string>[], treedef };
}

/* The API. */

/**
 * The Jacobian-vector product: `[f(primals), ∂f(primals)·tangents]` in one forward pass.
 * - `jvp(f, primals, tangents)` of a traced function (or a function, traced first): one primal
 *   and one tangent per input (numbers and arrays, or Funs); the result has f's structure twice.
 *   With values it runs compiled; with Funs it gives Funs.
 * - `jvp(expr, [x, y], [tx, ty])` of a Fun (or an array or record of Funs): the derivative along
 *   the tangents in the variables x and y, as Funs.
 * @example
 * jvp(trace((x) => sin(x)), [0], [2]);      // [0, 2]
 * jvp(x.mul(y), [x, y], [1, 0])[1];         // y (a Fun)
 */
export function jvp<A extends readonly unknown[], R>(f: Traced<A, R>, primals: readonly unknown[], tangents: readonly unknown[]): [unknown, unknown];
export function jvp<const A extends readonly Fun<string>[], R>(f: (...args: A) => R, primals: readonly unknown[], tangents: readonly unknown[]): [unknown, unknown];
export function jvp<F>(f: F, primals: readonly Fun<string>[], tangents: readonly unknown[]): [F, F];
export function jvp(f: unknown, primals: unknown, tangents: unknown): [unknown, unknown] {
  if (typeof f !== 'function') return expressionJvp(f, primals, tangents);
  const traced = tracedOf(f, 'jvp');
  const p = checkArray(primals, traced.names.length, 'primals', 'jvp');
  const t = checkArray(tangents, traced.names.length, 'tangents', 'jvp');
  return callTraced(jvpProgram(specialise(traced, p)), [...p, ...t]) as [unknown, unknown];
}

/**
 * The vector-Jacobian product: `[f(primals), pullback]`, where `pullback(cotangent)` (of the
 * structure of f's result) gives one cotangent per input, from one reverse pass.
 * - `vjp(f, ...primals)` of a traced function (or a function, traced first): values run
 *   compiled, Funs give Funs.
 * - `vjp(expr, x, y)` of a Fun (or an array or record of Funs) by its variables x and y.
 * @example
 * const [value, pullback] = vjp(trace((x, y) => x.mul(y)), 2, 3);
 * value; pullback(1); // 6, [3, 2]
 */
export function vjp<A extends readonly unknown[], R>(f: Traced<A, R>, ...primals: readonly unknown[]): [unknown, (cotangent: unknown) => unknown[]];
export function vjp<const A extends readonly Fun<string>[], R>(f: (...args: A) => R, ...primals: readonly unknown[]): [unknown, (cotangent: unknown) => unknown[]];
export function vjp<F>(f: F, ...primals: readonly Fun<string>[]): [F, (cotangent: unknown) => AnyRankFun[]];
export function vjp(f: unknown, ...primals: unknown[]): [unknown, (cotangent: unknown) => unknown[]] {
  if (typeof f !== 'function') {
    const { leaves, treedef } = expressionLeaves(f, 'vjp');
    const variables = primals.map((p) => variableOf(p, 'vjp'));
    const pullback = (cotangent: unknown): AnyRankFun[] => {
      const given = cotangentLeaves(cotangent, treedef, leaves.length);
      const seeds = leaves.map((l, k) => directionNode(given[k], l.node.shape, leaves.length === 1 ? 'the cotangent' : `cotangent ${k}`, 'vjp'));
      const adjoints = reverseGradient(pairing(leaves.map((l) => l.node), seeds), variables);
      return adjoints.map((node) => wrap(node, [...leaves, ...funsAmong(given)]) as AnyRankFun);
    };
    return [f, pullback];
  }
  const state = specialiseAt(f, primals, 'vjp');
  if (primals.length !== state.names.length) throw new TypegradError(`vjp: the function takes ${state.names.length} input(s) (${state.names.join(', ')}), got ${primals.length} primal(s)`);
  const value = callTraced(state, primals);
  const pullback = (cotangent: unknown): unknown[] => callTraced(vjpProgram(state), [...primals, ...cotangentLeaves(cotangent, state.treedef, state.leaves.length)]) as unknown[];
  return [value, pullback];
}

/** The expression of a traced function (or a function, traced first) at the primals, their count checked. */
function specialiseAt(f: unknown, primals: readonly unknown[], operation: string): TracedState {
  const traced = tracedOf(f, operation);
  if (primals.length !== traced.names.length) throw new TypegradError(`${operation}: the function takes ${traced.names.length} input(s) (${traced.names.join(', ')}), got ${primals.length} primal(s)`);
  return specialise(traced, primals);
}

/** The leaves of a cotangent given in the structure of the result. */
function cotangentLeaves(cotangent: unknown, treedef: TreeDef, count: number): unknown[] {
  if (treedef.kind === 'leaf') return [cotangent];
  const { leaves, treedef: given } = flatten(cotangent);
  if (!sameStructure(treedef, given) || leaves.length !== count) {
    throw new TypegradError(`vjp: the cotangent must have the structure of the function's result (${count} leaves), got ${describeValue(cotangent)}`);
  }
  return leaves;
}

/**
 * `[f(primals), t ↦ ∂f(primals)·t]`: the value and the linear map of the derivative at the
 * primals (JAX's `linearize`), for a traced function (values or Funs) or an expression (by its
 * variables). The map takes one tangent per input.
 * @example
 * const [value, derivative] = linearize(trace((x) => x.pow(3)), 2);
 * value; derivative(1); derivative(0.5); // 8, 12, 6
 */
export function linearize<A extends readonly unknown[], R>(f: Traced<A, R>, ...primals: readonly unknown[]): [unknown, (...tangents: unknown[]) => unknown];
export function linearize<const A extends readonly Fun<string>[], R>(f: (...args: A) => R, ...primals: readonly unknown[]): [unknown, (...tangents: unknown[]) => unknown];
export function linearize<F>(f: F, ...primals: readonly Fun<string>[]): [F, (...tangents: unknown[]) => F];
export function linearize(f: unknown, ...primals: unknown[]): [unknown, (...tangents: unknown[]) => unknown] {
  if (typeof f !== 'function') return [f, (...tangents: unknown[]) => expressionJvp(f, primals, tangents)[1]];
  const state = specialiseAt(f, primals, 'linearize');
  if (primals.length !== state.names.length) throw new TypegradError(`linearize: the function takes ${state.names.length} input(s) (${state.names.join(', ')}), got ${primals.length} primal(s)`);
  const value = callTraced(state, primals);
  const program = jvpProgram(state);
  const linear = (...tangents: unknown[]): unknown => {
    checkArray(tangents, state.names.length, 'tangents', 'linearize');
    return (callTraced(program, [...primals, ...tangents]) as [unknown, unknown])[1];
  };
  return [value, linear];
}

