/**
 * Rules are data: a name, the operations it can apply to (an index for the engine) and a
 * function from a node to its replacement. Most rules come from a pattern, a replacement
 * (a template with the pattern's variables, or a function of the bindings) and an optional
 * guard; a few (collecting like terms) are procedures over the whole sum or product.
 */
import { TypegradError } from '../errors.js';
import type { Node } from '../node.js';
import { substitute } from '../substitute.js';
import { toInfix } from '../print.js';
import { match, commutativePattern, type Bindings } from './match.js';
import { patternVariable, patternVariableInfo, patternVariablesOf, segmentVariable } from './pattern.js';

export interface Rule {
  readonly name: string;
  /** The node operations the rule may apply to; `undefined` when it may apply to any node. */
  readonly ops: readonly string[] | undefined;
  /** The replacement of `node`, or `undefined` when the rule does not apply. */
  readonly apply: (node: Node) => Node | undefined;
}

/** A replacement template (a node over the pattern's variables) or a function of the bindings. */
export type Replacement = Node | ((bindings: Bindings) => Node | undefined);
export type Guard = (bindings: Bindings) => boolean;

const SUM_OPS = ['add', 'sub', 'neg'] as const;

/** Which nodes a pattern can match, so the engine tries a rule only where it may fire. */
function patternOps(pattern: Node): readonly string[] | undefined {
  if (patternVariableInfo(pattern) !== undefined) return undefined;
  if (pattern.op === 'add' || pattern.op === 'sub') {
    const { fixed, segment } = commutativePattern('sum', pattern);
    return fixed.length >= 2 || segment === undefined ? SUM_OPS : undefined;
  }
  if (pattern.op === 'mul') {
    const { fixed, segment } = commutativePattern('product', pattern);
    return fixed.length >= 2 || segment === undefined ? ['mul'] : undefined;
  }
  return [pattern.op];
}

/** Replaces the pattern variables of `template` by their bindings (and re-simplifies). */
export function instantiate(template: Node, bindings: Bindings): Node {
  const replacements = new Map<Node, Node>();
  for (const [name, info] of patternVariablesOf(template)) {
    const value = bindings.get(name)!;
    replacements.set(info.segment ? segmentVariable(name) : patternVariable(name), value);
  }
  return replacements.size === 0 ? template : substitute(template, replacements);
}

/**
 * A rule from a pattern. A template replacement may use only the pattern's variables (checked
 * here, so a typo is an error when the rule is written, not a silent non-match later).
 */
export function patternRule(pattern: Node, replacement: Replacement, guard?: Guard, name?: string): Rule {
  const variables = patternVariablesOf(pattern);
  const label = name ?? `${toInfix(pattern)} → ${typeof replacement === 'function' ? '(function)' : toInfix(replacement)}`;
  checkSegments(pattern);
  if (typeof replacement !== 'function') {
    for (const [variable, info] of patternVariablesOf(replacement)) {
      const bound = variables.get(variable);
      if (bound === undefined || bound.segment !== info.segment) {
        throw new TypegradError(`rule ${label}: the replacement uses ${info.segment ? 'segment' : 'pattern'} variable '${variable}', which the pattern does not bind`);
      }
    }
  }
  const required = surfaceFunctions(pattern);
  const apply = (node: Node): Node | undefined => {
    // A sum or product pattern that names functions (sin²a + cos²a) cannot match a subject
    // without them at its surface; checking that first is much cheaper than AC matching.
    if (required.size > 0) {
      const present = surfaceFunctions(node);
      for (const op of required) if (!present.has(op)) return undefined;
    }
    for (const bindings of match(pattern, node, new Map())) {
      if (guard !== undefined && !guard(bindings)) continue;
      const result = typeof replacement === 'function' ? replacement(bindings) : instantiate(replacement, bindings);
      if (result !== undefined && result !== node) return result;
    }
    return undefined;
  };
  return { name: label, ops: patternOps(pattern), apply };
}

const SURFACE = new Set(['add', 'sub', 'neg', 'mul', 'div', 'pow', 'const']);

/**
 * The operations of the functions reached from `node` through sums, products, quotients and
 * powers only (its surface): for sin(a)² + cos(a)², {sin, cos}. Pattern variables add nothing.
 */
function surfaceFunctions(node: Node): Set<string> {
  const found = new Set<string>();
  const stack = [node];
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (SURFACE.has(n.op)) for (const arg of n.args) stack.push(arg);
    else if (n.op !== 'var') found.add(n.op);
  }
  return found;
}

/** A rule that is a procedure on the node (for what patterns say badly, like collecting terms). */
export function procedureRule(name: string, ops: readonly string[] | undefined, apply: (node: Node) => Node | undefined): Rule {
  return { name, ops, apply };
}

/** A segment variable means "the other operands", so it may appear once per sum or product. */
function checkSegments(pattern: Node): void {
  const stack = [pattern];
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const arg of node.args) stack.push(arg);
    const kind = node.op === 'add' || node.op === 'sub' ? 'sum' : node.op === 'mul' ? 'product' : undefined;
    if (kind === undefined) continue;
    const { fixed } = commutativePattern(kind, node);
    const extra = fixed.find((t) => patternVariableInfo(t.node)?.segment === true);
    if (extra !== undefined) {
      throw new TypegradError(`rule pattern ${toInfix(pattern)}: a ${kind} may hold one segment variable, positively; '${toInfix(extra.node)}' is one too many`);
    }
  }
}
