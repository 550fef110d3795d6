/**
 * The typed algebra layer: rewriting with rules, `simplify`, `expand`, `factor`, `cancel`,
 * `together`, `solve`, `solveLinear`, `newton` and `optimize`. Thin: the work happens in `src/ad/rewrite` and
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
import { cancelNode, togetherNode } from '../ad/algebra/rational-function.js';
import { exactBuilder } from '../ad/algebra/exact.js';
import { PI } from '../ad/algebra/exact-value.js';
import { evaluateNodes } from '../ad/evaluate.js';
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
 * A family of solutions: `value + k · period` for every integer k (sin x = 0 gives x = k·π).
 * @example solve(sin(x), x).families[0]!.at(2) // 2 * pi
 */
export class Family<V extends string = never> {
  /** The member at k = 0. */
  readonly value: SFun<V>;
  /** The distance between consecutive members (positive when it is a number). */
  readonly period: SFun<V>;
  /** Whether `value` is a numeric approximation. */
  readonly approximate: boolean;
  /** @internal Use `solve`. */
  constructor(value: SFun<V>, period: SFun<V>, approximate: boolean) {
    this.value = value;
    this.period = period;
    this.approximate = approximate;
  }
  /** The member value + k·period, for an integer k. */
  at(k: number): SFun<V> {
    if (!Number.isInteger(k)) throw new TypegradError(`Family.at: k must be an integer, got ${describeValue(k)}`);
    return new SFun(simplifyNode(exactBuilder.add(this.value.node, exactBuilder.mul(exactBuilder.constant(k), this.period.node))), [this.value, this.period]);
  }
  /** `value + k * period` (with `≈` before an approximate value). */
  toString(): string {
    const period = toInfix(this.period.node);
    const factor = /^[\w.]+$/.test(period) ? `${period} * k` : ['add', 'sub'].includes(this.period.node.op) ? `(${period}) * k` : `${period} * k`;
    const value = this.value.node;
    if (value.op === 'const' && value.value === 0) return factor;
    return `${this.approximate ? '≈' : ''}${toInfix(value)} + ${factor}`;
  }
}

/** The largest number of values `Solutions.within` lists before it gives up. */
const WITHIN_LIMIT = 100_000;

/**
 * What `solve` found. Exactly one of three forms:
 * - `roots` (and perhaps `families`): finitely many values, sorted by value (those with other
 *   variables last), each exact (`5 / 2`, `sqrt(2)`, `ln(2)`, `pi / 6`) or a number that
 *   `approximate[i]` marks as a numeric approximation (of a polynomial root with no exact form);
 * - `families`: `value + k·period` for every integer k, for periodic equations;
 * - `all`: every x where the equation is defined solves it, except the points in `excluded`
 *   (where a denominator vanishes).
 * No roots and no families, and not `all`, means there is no real solution.
 * @example String(solve(x.pow(2).sub(2), x)) // {-sqrt(2), sqrt(2)}
 */
export class Solutions<V extends string = never> {
  /** The isolated roots, sorted by value. */
  readonly roots: readonly SFun<V>[];
  /** For each root, whether it is a numeric approximation rather than an exact value. */
  readonly approximate: readonly boolean[];
  /** The periodic families. */
  readonly families: readonly Family<V>[];
  /** Whether every x (where the equation is defined, except `excluded`) is a solution. */
  readonly all: boolean;
  /** With `all`: the points where the equation is undefined. */
  readonly excluded: readonly SFun<V>[];
  /** @internal Use `solve`. */
  constructor(roots: readonly SFun<V>[], approximate: readonly boolean[], families: readonly Family<V>[], all: boolean, excluded: readonly SFun<V>[]) {
    this.roots = roots;
    this.approximate = approximate;
    this.families = families;
    this.all = all;
    this.excluded = excluded;
  }

  /**
   * Every solution in [lo, hi] as a number, sorted: the roots there and the members of the
   * families. Throws a TypegradError when the solutions hold other variables, when every x
   * solves the equation, or past 100,000 values.
   * @example solve(sin(x), x).within(-4, 4) // [-3.141592653589793, 0, 3.141592653589793]
   */
  within(lo: number, hi: number): number[] {
    if (typeof lo !== 'number' || typeof hi !== 'number' || !(lo <= hi)) throw new TypegradError(`within: expected numbers lo ≤ hi, got ${describeValue(lo)} and ${describeValue(hi)}`);
    if (this.all) throw new TypegradError('within: every x where the equation is defined is a solution; there is no finite list');
    const numberOf = (f: SFun<V>, what: string): number => {
      if (freeVariables([f.node]).size > 0) throw new TypegradError(`within: ${what} ${f} holds other variables; bind them first (at) and solve again`);
      return evaluateNodes([f.node], new Map())[0]!;
    };
    const values = this.roots.map((r) => numberOf(r, 'the root')).filter((v) => v >= lo && v <= hi);
    for (const family of this.families) {
      const value = numberOf(family.value, 'the family value');
      const period = Math.abs(numberOf(family.period, 'the period'));
      const first = Math.ceil((lo - value) / period), last = Math.floor((hi - value) / period);
      if (last - first + 1 + values.length > WITHIN_LIMIT) throw new TypegradError(`within: more than ${WITHIN_LIMIT} solutions in [${lo}, ${hi}]`);
      for (let k = first; k <= last; k++) values.push(value + k * period);
    }
    return values.sort((a, b) => a - b);
  }

  /** `{-1, 0, 1}`, `{≈1.1673039782614187}`, `{pi / 6 + 2 * pi * k, ... : k ∈ ℤ}`, `every x except 3`, `{}`. */
  toString(): string {
    if (this.all) return this.excluded.length === 0 ? 'every x' : `every x except ${this.excluded.map(String).join(', ')}`;
    const items = [...this.roots.map((r, i) => `${this.approximate[i] ? '≈' : ''}${r}`), ...this.families.map(String)];
    return `{${items.join(', ')}${this.families.length > 0 ? ' : k ∈ ℤ' : ''}}`;
  }
}

/**
 * The real solutions of an equation in `x`. Never a wrong or incomplete answer: every candidate
 * is checked in the original equation with its domain respected (a root where a denominator
 * vanishes, a logarithm's argument is not positive, or a square root's radicand is negative is
 * dropped, decided exactly where possible and by interval arithmetic otherwise), and whatever
 * cannot be solved or decided is a TypegradError that names the equation, the variable and the
 * step. See `Solutions` for the forms of the result.
 * Strategies: polynomials (exact rational and quadratic-surd roots, else certified numeric
 * roots marked approximate), rational functions (cancelled, so denominators never grow),
 * products, inversion (sin x = c gives both branches + 2kπ), exponentials of one base,
 * sums of logarithms, square and cube roots by isolating and squaring, absolute values by cases,
 * and sin/cos/tan or sinh/cosh/tanh equations that are polynomials in one function.
 * With other variables (parameters), the roots are the generic ones (a·x + b = 0 gives −b/a),
 * checked at sample values of the parameters.
 * @example solve(x.pow(4).sub(x.pow(2)), x).roots.map(String) // ['-1', '0', '1']
 * @example String(solve(exp(x.mul(2)).sub(exp(x).mul(3)).add(2), x)) // {0, ln(2)}
 */
export function solve<V extends string, X extends V>(equation: EquationLike<V>, x: SFun<X>): Solutions<Exclude<V, X>> {
  const { node, declared } = equationNode(equation, 'solve');
  const variable = variableNodeOf(x, 'solve');
  const rest = declaredWithout(declared, [variable.name]);
  const fun = (n: Node) => new SFun(n, [], rest) as SFun<Exclude<V, X>>;
  const result = solveEquation(node, variable);
  if (result.kind === 'all') return new Solutions([], [], [], true, result.excluded.filter((s) => s.period === undefined).map((s) => fun(s.value)));
  const roots = result.solutions.filter((s) => s.period === undefined);
  const families = result.solutions.filter((s) => s.period !== undefined).map((s) => new Family(fun(s.value), fun(s.period!), s.approximate));
  return new Solutions(roots.map((s) => fun(s.value)), roots.map((s) => s.approximate), families, false, []);
}

/**
 * π, exact: it prints as `pi`, stays symbolic in `simplify` and `solve`, and is a number only
 * when evaluated.
 * @example String(solve(eq(sin(x), 1), x)) // {pi / 2 + 2 * pi * k : k ∈ ℤ}
 */
export const pi: SFun<never> = new SFun(PI, [], new Set());

/**
 * `f` as one fraction p/q with the common factors of p and q cancelled by the polynomial gcd
 * (multivariate), p and q expanded, q with integer coefficients whose gcd is 1 and a positive
 * leading coefficient; other subexpressions (sin x, √x, 2^x) are atoms, cancelled inside too.
 * Keeps the value wherever `f` is defined (and may extend the domain: (x² − 1)/(x − 1) is x + 1).
 * Throws a TypegradError when the expanded polynomials exceed a budget of 2·10⁶ term operations.
 * @example cancel(x.mul(z.pow(2)).add(y.mul(z)).div(z.pow(4))) // (y + x * z) / z ^ 3
 */
export function cancel<V extends string>(f: SFun<V>): SFun<V> {
  return new SFun(cancelNode(nodeOf(f, 'cancel')), [f]);
}

/**
 * `f` as one fraction over the least common multiple of its denominators, which stay factored;
 * the numerator is expanded, and denominator factors that divide it exactly are removed (use
 * `cancel` to remove every common factor).
 * @example together(Const(1).div(x).add(Const(1).div(y))) // (x + y) / (x * y)
 */
export function together<V extends string>(f: SFun<V>): SFun<V> {
  return new SFun(togetherNode(nodeOf(f, 'together')), [f]);
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
  if (options === null || typeof options !== 'object') throw new TypegradError(`newton: options must be an object, got ${describeValue(options)}`);
  const tolerance = options.tolerance ?? 1e-15;
  const maxIterations = options.maxIterations ?? 100;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new TypegradError(`newton: options.tolerance must be a finite number ≥ 0, got ${describeValue(tolerance)}`);
  }
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 1) {
    throw new TypegradError(`newton: options.maxIterations must be a positive integer, got ${describeValue(maxIterations)}`);
  }
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
