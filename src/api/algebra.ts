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
import { freeVariables } from '../ad/variables.js';
import { describeValue } from './record.js';
import { SFun, toSFun, type Scalar } from './scalar.js';

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
