/**
 * The typed algebra layer: rewriting with rules, `simplify`, `expand`, `factor`, `solve`,
 * `solveLinear`, `newton` and `optimize`. Thin: the work happens in `src/ad/rewrite` and
 * `src/ad/algebra`.
 */
import { TypegradError } from '../ad/errors.js';
import type { Node } from '../ad/node.js';
import { patternVariable, segmentVariable } from '../ad/rewrite/pattern.js';
import { patternRule, type Rule as NodeRule } from '../ad/rewrite/rule.js';
import { RuleSet, rewriteNode, type RewriteOptions } from '../ad/rewrite/engine.js';
import type { Bindings as NodeBindings } from '../ad/rewrite/match.js';
import { expandNode, factorNode, simplifyNode } from '../ad/algebra/simplify.js';
import { simplificationRules as simplificationNodeRules } from '../ad/algebra/rules.js';
import { solveEquation } from '../ad/algebra/solve.js';
import { solveLinearSystem } from '../ad/algebra/linear.js';
import { optimizeNode } from '../ad/algebra/optimize.js';
import { forwardDerivative } from '../ad/forward.js';
import { toInfix } from '../ad/print.js';
import { freeVariables } from '../ad/variables.js';
import { compile } from './compile.js';
import { describeValue, recordOf } from './record.js';
import { SFun, toSFun, variableNodeOf, type Scalar } from './scalar.js';

export type { RewriteOptions } from '../ad/rewrite/engine.js';

/** A rewrite rule (opaque): made by `rule`, applied by `rewrite`. */
export interface Rule {
  readonly name: string;
  /** @internal */
  readonly node: NodeRule;
}

/** The pattern variable names in a pattern's variables: `?a` → `a`, `?rest...` → `rest`. */
export type PatternNames<P extends string> = P extends `?${infer N}...` ? N : P extends `?${infer N}` ? N : never;

/** What a replacement function and a guard receive: the expression bound to each pattern variable. */
export type PatternBindings<P extends string> = { readonly [K in PatternNames<P>]: SFun<string> };

/** A replacement template may use only pattern variables the pattern binds (and ordinary variables). */
export type Template<R extends string, P extends string> =
  [Exclude<Extract<R, `?${string}`>, P>] extends [never] ? SFun<R> : `the replacement uses ${Exclude<Extract<R, `?${string}`>, P>}, which the pattern does not bind`;

function funOf(node: Node): SFun<string> {
  return new SFun(node, [], new Set(freeVariables([node]).keys()));
}

function nodeOf(f: unknown, operation: string): Node {
  if (f instanceof SFun) return f.node;
  throw new TypegradError(`${operation}: expected a scalar Fun, got ${describeValue(f)}`);
}

function bindingsRecord(bindings: NodeBindings): Record<string, SFun<string>> {
  const record: Record<string, SFun<string>> = {};
  for (const [name, node] of bindings) Object.defineProperty(record, name, { value: funOf(node), enumerable: true });
  return record;
}

/**
 * A pattern variable: matches any one expression; the same variable twice matches the same
 * expression twice. Build patterns with the normal API over pattern variables.
 * @example const a = PatternVar('a'), b = PatternVar('b'); a.mul(b).add(a) // ?a * ?b + ?a
 */
export function PatternVar<const N extends string>(name: N): SFun<`?${N}`> {
  return new SFun(patternVariable(name), [], new Set([`?${name}`]));
}

/**
 * A segment variable: in a sum (a product) pattern, matches the remaining terms (factors),
 * possibly none; bound to their sum (product), so 0 (1) when none.
 * @example const a = PatternVar('a'), rest = Segment('rest'); sin(a).pow(2).add(cos(a).pow(2)).add(rest)
 */
export function Segment<const N extends string>(name: N): SFun<`?${N}...`> {
  return new SFun(segmentVariable(name), [], new Set([`?${name}...`]));
}

/**
 * A rewrite rule: where `pattern` matches (sums and products modulo associativity and
 * commutativity) and `guard` accepts the bindings, the expression is replaced by `replacement`,
 * a template over the pattern's variables or a function of the bindings.
 * @example
 * const a = PatternVar('a'), b = PatternVar('b'), c = PatternVar('c');
 * const factorOut = rule(a.mul(b).add(a.mul(c)), a.mul(b.add(c)));
 * const double = rule(a.add(a), ({ a }) => a.mul(2), ({ a }) => isConstant(a), 'double a constant');
 */
export function rule<P extends string, R extends string>(
  pattern: SFun<P>,
  replacement: Template<R, P> | number | ((bindings: PatternBindings<P>) => Scalar<string>),
  guard?: (bindings: PatternBindings<P>) => boolean,
  name?: string,
): Rule {
  const patternNode = nodeOf(pattern, 'rule');
  let nodeReplacement: Node | ((b: NodeBindings) => Node | undefined);
  if (typeof replacement === 'function') {
    nodeReplacement = (b) => toSFun(replacement(bindingsRecord(b) as PatternBindings<P>), `rule ${name ?? ''}: the replacement function`).node;
  } else nodeReplacement = toSFun(replacement, 'rule').node;
  if (guard !== undefined && typeof guard !== 'function') throw new TypegradError(`rule: the guard must be a function of the bindings, got ${describeValue(guard)}`);
  const nodeGuard = guard === undefined ? undefined : (b: NodeBindings) => guard(bindingsRecord(b) as PatternBindings<P>) === true;
  const compiled = patternRule(patternNode, nodeReplacement, nodeGuard, name);
  return { name: compiled.name, node: compiled };
}

/** Whether a Fun is a number (a constant node); for guards. @example rule(a.mul(b), ..., ({ a }) => isConstant(a)) */
export function isConstant(f: SFun<string>): boolean {
  return nodeOf(f, 'isConstant').op === 'const';
}

/** Whether a Fun is an integer constant; for guards. @example rule(a.pow(n), ..., ({ n }) => isInteger(n)) */
export function isInteger(f: SFun<string>): boolean {
  const node = nodeOf(f, 'isInteger');
  return node.op === 'const' && Number.isInteger(node.value);
}

/** Whether `f` does not contain the variable `x`; for guards. @example rule(a.mul(b), ..., ({ a }) => freeOf(a, x)) */
export function freeOf(f: SFun<string>, x: SFun<string>): boolean {
  const variable = nodeOf(x, 'freeOf');
  return !freeVariables([nodeOf(f, 'freeOf')]).has(variable.name);
}

/** The rules `simplify` uses, to extend: `rewrite(f, [...simplificationRules, myRule])`. @example rewrite(f, simplificationRules) */
export const simplificationRules: readonly Rule[] = simplificationNodeRules.map((r) => ({ name: r.name, node: r }));

const ruleSets = new WeakMap<readonly Rule[], RuleSet>();

/**
 * Rewrites `f` with `rules` to a normal form (innermost first; at each node the first rule that
 * applies wins). Throws a TypegradError when the rules cycle (the same expression comes back)
 * or when more than `options.maxSteps` (default 10,000) rules were applied.
 * @example rewrite(x.mul(y).add(x.mul(z)), [rule(a.mul(b).add(a.mul(c)), a.mul(b.add(c)))]) // x * (y + z)
 */
export function rewrite<V extends string>(f: SFun<V>, rules: readonly Rule[], options?: RewriteOptions): SFun<V> {
  const node = nodeOf(f, 'rewrite');
  if (!Array.isArray(rules)) throw new TypegradError(`rewrite: expected an array of rules, got ${describeValue(rules)}`);
  let set = ruleSets.get(rules);
  if (set === undefined) {
    set = new RuleSet(rules.map((r, i) => {
      if (r === null || typeof r !== 'object' || typeof r.node?.apply !== 'function') throw new TypegradError(`rewrite: rules[${i}] is not a rule made by rule(), got ${describeValue(r)}`);
      return r.node;
    }));
    ruleSets.set(rules, set);
  }
  return new SFun(rewriteNode(node, set, options).node, [f]);
}

/**
 * The thorough simplification (the build-time one is cheap and local): collects like terms,
 * folds constants, cancels factors, applies sin² + cos² = 1, exp(ln a) = a, exp a · exp b =
 * exp(a + b) and the other identities of `simplificationRules`, and factors common factors.
 * @example simplify(a.mul(4).add(a.mul(3)).sub(a.mul(7))) // 0
 */
export function simplify<V extends string>(f: SFun<V>, options?: RewriteOptions): SFun<V> {
  return new SFun(simplifyNode(nodeOf(f, 'simplify'), options), [f]);
}

/**
 * Multiplies out products of sums and integer powers of sums, and collects like terms.
 * @example expand(x.add(1).pow(2)) // 1 + 2 * x + x ^ 2
 */
export function expand<V extends string>(f: SFun<V>, options?: RewriteOptions): SFun<V> {
  return new SFun(expandNode(nodeOf(f, 'expand'), options), [f]);
}

/**
 * Collects like terms and factors common factors out of sums.
 * @example factor(x.mul(y).add(x.mul(z))) // x * (y + z)
 */
export function factor<V extends string>(f: SFun<V>, options?: RewriteOptions): SFun<V> {
  return new SFun(factorNode(nodeOf(f, 'factor'), options), [f]);
}

/** An equation `lhs = rhs`, for `solve` and `solveLinear` (a bare Fun f means f = 0). */
export class Equation<V extends string = string> {
  /** The left side. */
  readonly lhs: SFun<V>;
  /** The right side. */
  readonly rhs: SFun<V>;
  /** @internal Use `eq`. */
  constructor(lhs: SFun<V>, rhs: SFun<V>) {
    this.lhs = lhs;
    this.rhs = rhs;
  }
  /** `lhs = rhs` */
  toString(): string {
    return `${this.lhs} = ${this.rhs}`;
  }
}

/**
 * The equation `lhs = rhs`.
 * @example solve(eq(sqrt(x), x.sub(2)), x) // [4]
 */
export function eq<V extends string = never, W extends string = never>(lhs: Scalar<V>, rhs: Scalar<W>): Equation<V | W> {
  return new Equation(toSFun(lhs, 'eq') as SFun<V | W>, toSFun(rhs, 'eq') as SFun<V | W>);
}

/** What `solve` accepts: `f` (meaning f = 0) or `eq(lhs, rhs)`. */
export type EquationLike<V extends string> = SFun<V> | Equation<V>;

function equationNode(e: unknown, operation: string): { node: Node; declared: ReadonlySet<string> } {
  if (e instanceof Equation) {
    const f = e.lhs.sub(e.rhs);
    return { node: f.node, declared: SFun.declaredVariables(f) };
  }
  if (e instanceof SFun) return { node: e.node, declared: SFun.declaredVariables(e) };
  throw new TypegradError(`${operation}: expected an equation (a Fun meaning f = 0, or eq(lhs, rhs)), got ${describeValue(e)}`);
}

function declaredWithout(declared: ReadonlySet<string>, removed: readonly string[]): Set<string> {
  const rest = new Set(declared);
  for (const name of removed) rest.delete(name);
  return rest;
}

/**
 * The real solutions of an equation in `x`, exact where possible (`ln(2)`, `sqrt(2)`, `5 / 2`),
 * sorted by value, each checked by substitution (false roots, as squaring makes, are dropped).
 * Strategies: polynomials (rational roots, then the quadratic formula), products, isolation of a
 * single x, substitution (u = eˣ, u = sin x, ...), clearing denominators, squaring a root.
 * Throws a TypegradError when no strategy applies, or when every x is a solution.
 * @example solve(x.pow(4).sub(x.pow(2)), x) // [-1, 0, 1]
 * @example solve(exp(x.mul(2)).sub(exp(x).mul(3)).add(2), x) // [0, ln(2)]
 */
export function solve<V extends string, X extends V>(equation: EquationLike<V>, x: SFun<X>): SFun<Exclude<V, X>>[] {
  const { node, declared } = equationNode(equation, 'solve');
  const variable = variableNodeOf(x, 'solve');
  const rest = declaredWithout(declared, [variable.name]);
  return solveEquation(node, variable).map((root) => new SFun(root, [], rest) as SFun<Exclude<V, X>>);
}

/**
 * The solution of a system of linear equations, by fraction-free Gaussian elimination
 * (Bareiss): exact rationals when every coefficient is one, symbolic coefficients otherwise.
 * Throws a TypegradError for a non-linear equation, an inconsistent system (no solution) or a
 * singular one (the message names the undetermined variables).
 * @example solveLinear([eq(x.mul(3).add(y.mul(4)), 100), eq(x.sub(y), 20)], [x, y]) // { x: 180 / 7, y: 40 / 7 }
 */
export function solveLinear<V extends string, X extends V>(
  equations: readonly EquationLike<V>[],
  variables: readonly SFun<X>[],
): { readonly [K in X]: SFun<Exclude<V, X>> } {
  if (!Array.isArray(equations) || equations.length === 0) throw new TypegradError(`solveLinear: expected a non-empty array of equations, got ${describeValue(equations)}`);
  if (!Array.isArray(variables) || variables.length === 0) throw new TypegradError(`solveLinear: expected a non-empty array of variables, got ${describeValue(variables)}`);
  const nodes = equations.map((e, i) => equationNode(e, `solveLinear (equation ${i + 1})`));
  const unknowns = variables.map((v) => variableNodeOf(v, 'solveLinear'));
  const names = unknowns.map((v) => v.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new TypegradError(`solveLinear: variable '${duplicate}' is listed twice`);
  const declared = new Set(nodes.flatMap((n) => [...n.declared]));
  const rest = declaredWithout(declared, names);
  const solution = solveLinearSystem(nodes.map((n) => n.node), unknowns);
  return recordOf(names.map((name, i) => [name, new SFun(solution[i]!, [], rest)])) as { readonly [K in X]: SFun<Exclude<V, X>> };
}

/** One iteration of Newton's method: the point and the function's value and derivative there. */
export interface NewtonStep {
  readonly x: number;
  readonly f: number;
  readonly df: number;
}

/** Options of `newton`. */
export interface NewtonOptions {
  /** Stop when |Δx| ≤ tolerance · max(1, |x|) (default 1e-15), or when f(x) = 0. */
  readonly tolerance?: number;
  /** The most iterations before a TypegradError (default 100). */
  readonly maxIterations?: number;
}

/** What `newton` found: the root and every step taken. */
export interface NewtonResult {
  readonly root: number;
  readonly steps: readonly NewtonStep[];
}

/**
 * A root of `f` by Newton's method from `x0`, with f and f′ compiled together into one
 * JavaScript function (one pass computes both, sharing their common subexpressions).
 * Throws a TypegradError when f′ is 0 (or either is not finite) at a step, or when it does not
 * converge within `maxIterations`.
 * @example newton(x.pow(3).mul(5).sub(10), x, 10).root // 1.2599210498948732 (∛2)
 */
export function newton<X extends string>(f: SFun<X>, x: SFun<X>, x0: number, options: NewtonOptions = {}): NewtonResult {
  const node = nodeOf(f, 'newton');
  const variable = variableNodeOf(x, 'newton');
  const others = [...SFun.declaredVariables(f)].filter((n) => n !== variable.name);
  if (others.length > 0) throw new TypegradError(`newton: f must be a function of ${variable.name} only; bind ${others.map((n) => `'${n}'`).join(', ')} first with at()`);
  if (typeof x0 !== 'number' || !Number.isFinite(x0)) throw new TypegradError(`newton: the starting point must be a finite number, got ${describeValue(x0)}`);
  const tolerance = options.tolerance ?? 1e-15;
  const maxIterations = options.maxIterations ?? 100;
  const derivative = forwardDerivative(node, variable);
  const both = compile([f, new SFun(derivative, [f])], { args: [x] }) as unknown as (x: number) => number[];
  const steps: NewtonStep[] = [];
  let current = x0;
  for (let i = 0; i < maxIterations; i++) {
    const [value, slope] = both(current) as [number, number];
    steps.push({ x: current, f: value, df: slope });
    if (value === 0) return { root: current, steps };
    if (!Number.isFinite(value) || !Number.isFinite(slope)) {
      throw new TypegradError(`newton: f(${current}) = ${value} and f′(${current}) = ${slope}; not finite at step ${i + 1}`);
    }
    if (slope === 0) throw new TypegradError(`newton: the derivative of ${f} is 0 at x = ${current} (step ${i + 1}); try another starting point`);
    const next = current - value / slope;
    if (Math.abs(next - current) <= tolerance * Math.max(1, Math.abs(current))) {
      const [finalValue, finalSlope] = both(next) as [number, number];
      steps.push({ x: next, f: finalValue, df: finalSlope });
      return { root: next, steps };
    }
    current = next;
  }
  throw new TypegradError(`newton: no convergence within ${maxIterations} iterations (options.maxIterations) from ${x0}; last x = ${current}`);
}

/** The result of `optimize`: the cheaper Fun, and the program with shared subexpressions named. */
export class Optimized<V extends string> {
  /** The optimized function (equal in value to the input). */
  readonly fun: SFun<V>;
  /** The shared subexpressions as `[name, source]`, in the order they are computed. */
  readonly bindings: readonly (readonly [string, string])[];
  /** The result over those names. */
  readonly result: string;
  /** @internal Use `optimize`. */
  constructor(fun: SFun<V>, bindings: readonly (readonly [string, string])[], result: string) {
    this.fun = fun;
    this.bindings = bindings;
    this.result = result;
  }
  /** `let t1 = ...;` per shared subexpression, then `return ...;`. */
  toString(): string {
    return [...this.bindings.map(([name, source]) => `let ${name} = ${source};`), `return ${this.result};`].join('\n');
  }
}

/**
 * Optimizes `f` for evaluation: folds constants, collects factors and terms, rewrites powers
 * (x^0.5 → sqrt(x), x^-1 → 1/x, x^-n → 1/x^n), and names each subexpression used more than
 * once (common-subexpression elimination, shown as `let` bindings).
 * @example String(optimize(sin(x.mul(y)).add(x.mul(y).pow(0.5))))
 * // let t1 = x * y;
 * // return sin(t1) + sqrt(t1);
 */
export function optimize<V extends string>(f: SFun<V>): Optimized<V> {
  const program = optimizeNode(nodeOf(f, 'optimize'));
  const bindings = program.bindings.map(([name, e]) => [name, toInfix(e)] as const);
  return new Optimized(new SFun(program.node, [f]), bindings, toInfix(program.result));
}
