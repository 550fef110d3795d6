/**
 * Custom derivatives (JAX's `custom_jvp` and `custom_vjp`): a function of Funs with a derivative
 * rule of its user's. The function's result is one `custom` node over its operands, whose value
 * is the function's and whose derivatives are the rule's, so `d`, `grad`, `jacobian`, `hessian`,
 * `jvp` and `vjp` use the rule at every order (what the rule builds is differentiated normally at
 * the next order) and the node compiles like any other (backends compute the function itself).
 *
 * Either rule gives both directions: a JVP rule is linear in the tangents, so its transpose (the
 * VJP) is one reverse pass over it by fresh tangent variables; a VJP rule is linear in the
 * cotangent, so the JVP is one reverse pass over ⟨VJP(σ), t⟩ by a fresh cotangent σ. So unlike
 * JAX, forward mode works through a custom VJP too.
 */
import { apply } from '../../ad/build.js';
import { noteCustomNode, ruleId, type CustomRule } from '../../ad/custom-rules.js';
import { TypegradError } from '../../ad/errors.js';
import { evaluateTensors } from '../../ad/evaluate.js';
import { variableNode, type Node } from '../../ad/node.js';
import { broadcastTo, zeros } from '../../ad/primitives/broadcasting.js';
import { builder } from '../../ad/build.js';
import { reverseGradient } from '../../ad/reverse.js';
import { broadcastsTo, describeShape, type Shape } from '../../ad/shape.js';
import { dependsOn, topologicalOrder } from '../../ad/traverse.js';
import { freeVariables } from '../../ad/variables.js';
import type { AnyRankFun } from '../compile.js';
import { Fun } from '../fun.js';
import { describeValue } from '../record.js';
import { toFun, wrap } from '../wrap.js';
import { sameParameters } from './parameters.js';

/** Options of `customJvp` and `customVjp`. */
export interface CustomOptions {
  /** How the function's nodes print (default: the function's own name). */
  readonly name?: string;
}

/** The arguments a function with a custom derivative takes: its Funs, or numbers in their place. */
export type CustomArguments<A extends readonly unknown[]> = { [K in keyof A]: A[K] | number };

/** A Fun over `node`, declaring the node's free variables. */
function funOf(node: Node): AnyRankFun {
  return wrap(node, [], new Set(freeVariables([node]).keys())) as AnyRankFun;
}

/** What a rule returned, as a node of `shape` (a number, or a Fun that broadcasts to it). */
function resultNode(value: unknown, shape: Shape, name: string, what: string): Node {
  if (typeof value === 'number') return broadcastTo(builder, builder.constant(value), shape);
  if (!(value instanceof Fun)) throw new TypegradError(`${name}: the ${what} must be a Fun or a number, got ${describeValue(value)}`);
  if (!broadcastsTo(value.node.shape, shape)) {
    throw new TypegradError(`${name}: the ${what} has shape ${describeShape(value.node.shape)}, which does not broadcast to ${describeShape(shape)}`);
  }
  return broadcastTo(builder, value.node, shape);
}

let freshCount = 0;
/** Variables of the given shapes that no user names and no other transposition shares. */
function freshVariables(shapes: readonly Shape[], label: string): Node[] {
  const k = freshCount++;
  return shapes.map((shape, i) => variableNode(`\u0000${label} ${k}.${i}`, shape));
}

/** Throws if any of `results` still depends on `variables`: the rule was not linear in them. */
function checkLinear(results: readonly Node[], variables: readonly Node[], name: string, what: string): void {
  const dependent = dependsOn(topologicalOrder(results), new Set(variables));
  if (results.some((r) => dependent.has(r))) throw new TypegradError(`${name}: the ${what} rule is not linear in the ${what === 'jvp' ? 'tangents' : 'cotangent'}`);
}

/** ⟨a, b⟩: the sum of the elementwise product (a scalar). */
function inner(a: Node, b: Node): Node {
  const product = builder.mul(a, b);
  return product.shape.length === 0 ? product : apply('sum', [product]);
}

/** The value of the function on operand values: its primal on stand-in variables, interpreted. */
function evaluatePrimal(primal: (args: readonly Node[]) => Node, values: readonly Float64Array[], args: readonly Node[]): Float64Array {
  const operands = args.map((a, i) => variableNode(`\u0000operand ${i}`, a.shape));
  return evaluateTensors([primal(operands)], new Map(operands.map((v, i) => [v.name, values[i]!])))[0]!;
}

/** The function on nodes, its result checked to be a Fun. */
function primalOf(f: (...args: AnyRankFun[]) => unknown, name: string): (args: readonly Node[]) => Node {
  return (args) => {
    const out = f(...args.map(funOf));
    if (!(out instanceof Fun)) throw new TypegradError(`${name}: the function must return a Fun, got ${describeValue(out)}`);
    return out.node;
  };
}

/**
 * The function wrapped: each call is one custom node for `rule` over the operands. It takes the
 * parameters of `f`, so `trace` (and `grad(g)` of it) names its inputs after them.
 */
function withRule(rule: CustomRule, f: Function, operation: string): (...args: unknown[]) => AnyRankFun {
  const wrapper = (...args: unknown[]) => {
    const operands = args.map((a) => toFun(a, operation));
    const shape = rule.primal(operands.map((o) => o.node)).shape;
    const node = apply('custom', operands.map((o) => o.node), [ruleId(rule), ...shape]);
    noteCustomNode(node);
    return wrap(node, operands) as AnyRankFun;
  };
  sameParameters(wrapper, f);
  return wrapper;
}

function checkFunctions(f: unknown, rule: unknown, operation: string, options: CustomOptions | undefined): string {
  if (typeof f !== 'function') throw new TypegradError(`${operation}: expected the function to differentiate, got ${describeValue(f)}`);
  if (typeof rule !== 'function') throw new TypegradError(`${operation}: expected the derivative rule as a function, got ${describeValue(rule)}`);
  const name = options?.name ?? (f.name || 'custom');
  if (typeof name !== 'string' || name.length === 0) throw new TypegradError(`${operation}: options.name must be a non-empty string, got ${describeValue(name)}`);
  return name;
}

/**
 * `f` with a derivative given by its JVP: `jvp(primals, tangents, output)` returns the tangent of
 * f's result (a Fun of its shape, or a number) from the tangents of its operands (one Fun each,
 * zeros for an operand that does not vary), linear in the tangents. `d`, `grad`, `jacobian`,
 * `hessian`, `jvp` and `vjp` all use it (reverse mode by transposing it).
 * @example
 * // x/(1 + √x) has derivative (√x + 2)/(2(1 + √x)²), finite at 0 where the plain one is NaN
 * const f = customJvp((x: SFun<string>) => x.div(sqrt(x).add(1)), ([x], [t]) => t.mul(sqrt(x).add(2)).div(sqrt(x).add(1).pow(2).mul(2)));
 * grad(f(Var('x'))).x.eval({ x: 0 }); // 1
 */
export function customJvp<const A extends readonly AnyRankFun[], R extends AnyRankFun>(
  f: (...args: A) => R,
  jvp: (primals: A, tangents: A, output: R) => AnyRankFun | number,
  options?: CustomOptions,
): (...args: CustomArguments<A>) => R {
  const name = checkFunctions(f, jvp, 'customJvp', options);
  const primal = primalOf(f as unknown as (...args: AnyRankFun[]) => unknown, name);
  const tangentOf = (args: readonly Node[], tangents: readonly Node[], self: Node): Node =>
    resultNode((jvp as (p: unknown, t: unknown, o: unknown) => unknown)(args.map(funOf), tangents.map(funOf), funOf(self)), self.shape, name, 'tangent its jvp rule returns');
  const rule: CustomRule = {
    name,
    primal,
    evaluate: (values, args) => evaluatePrimal(primal, values, args),
    jvp: (args, tangents, self) => tangentOf(args, args.map((a, i) => tangents[i] ?? zeros(builder, a.shape)), self),
    // The transpose of the linear map t ↦ jvp(t): the gradient of ⟨seed, jvp(τ)⟩ by fresh τ.
    vjp: (args, seed, self, needed) => {
      const tau = freshVariables(args.map((a) => a.shape), 'tangent');
      const wanted = tau.filter((_, i) => needed[i]);
      const adjoints = reverseGradient(inner(seed, tangentOf(args, tau, self)), wanted);
      checkLinear(adjoints, tau, name, 'jvp');
      let next = 0;
      return args.map((_, i) => (needed[i] ? adjoints[next++]! : undefined));
    },
  };
  return withRule(rule, f, 'customJvp') as unknown as (...args: CustomArguments<A>) => R;
}

/**
 * `f` with a derivative given by its VJP: `vjp(primals, output, cotangent)` returns one
 * cotangent per operand (a Fun of its shape, or a number) from the cotangent of f's result,
 * linear in it. `grad`, `vjp`, `jacobian` and `hessian` use it, and so do forward mode (`d`,
 * `jvp`: by transposing it).
 * @example
 * // The identity, with its gradient clipped to [−1, 1]
 * const clipGradient = customVjp((x: SFun<string>) => x, (_p, _out, g) => [clip(g, -1, 1)]);
 * grad(clipGradient(Var('x')).mul(5)).x.eval({ x: 2 }); // 1
 */
export function customVjp<const A extends readonly AnyRankFun[], R extends AnyRankFun>(
  f: (...args: A) => R,
  vjp: (primals: A, output: R, cotangent: R) => readonly (AnyRankFun | number)[],
  options?: CustomOptions,
): (...args: CustomArguments<A>) => R {
  const name = checkFunctions(f, vjp, 'customVjp', options);
  const primal = primalOf(f as unknown as (...args: AnyRankFun[]) => unknown, name);
  const cotangentsOf = (args: readonly Node[], self: Node, seed: Node): Node[] => {
    const result = (vjp as (p: unknown, o: unknown, c: unknown) => unknown)(args.map(funOf), funOf(self), funOf(seed));
    if (!Array.isArray(result) || result.length !== args.length) {
      throw new TypegradError(`${name}: the vjp rule must return an array of ${args.length} cotangent(s), one per operand, got ${describeValue(result)}`);
    }
    return result.map((c, i) => resultNode(c, args[i]!.shape, name, `cotangent ${i} its vjp rule returns`));
  };
  const rule: CustomRule = {
    name,
    primal,
    evaluate: (values, args) => evaluatePrimal(primal, values, args),
    vjp: (args, seed, self, needed) => {
      const cotangents = cotangentsOf(args, self, seed);
      return args.map((_, i) => (needed[i] ? cotangents[i] : undefined));
    },
    // The transpose of the linear map σ ↦ vjp(σ): the gradient of Σᵢ ⟨vjp(σ)ᵢ, tᵢ⟩ by a fresh σ.
    jvp: (args, tangents, self) => {
      const [sigma] = freshVariables([self.shape], 'cotangent');
      const cotangents = cotangentsOf(args, self, sigma!);
      let pairing: Node = builder.constant(0);
      tangents.forEach((t, i) => {
        if (t !== undefined) pairing = builder.add(pairing, inner(cotangents[i]!, t));
      });
      const [tangent] = reverseGradient(pairing, [sigma!]);
      checkLinear([tangent!], [sigma!], name, 'vjp');
      return tangent!;
    },
  };
  return withRule(rule, f, 'customVjp') as unknown as (...args: CustomArguments<A>) => R;
}
