/**
 * The rewriting engine: applies rules until none applies (a normal form).
 *
 * Strategy: innermost first, with an explicit stack (no recursion, so a 100,000-deep chain is
 * fine). A node's operands are brought to normal form first; the node is rebuilt over them; a
 * node whose operands are in normal form is offered to the rules indexed under its operation,
 * in the order given, and the first replacement is taken and brought to normal form in turn.
 * A node no rule rewrites joins the normal set of the rule set, which persists across calls
 * (nodes are interned and immutable), so each node is examined once.
 *
 * Termination: each rule application is a step; past `maxSteps` the engine throws a
 * TypegradError naming the budget and the last rules applied. Since nodes are interned, a
 * replacement whose normal form needs the node being rewritten is detected as a cycle at once
 * (sin → cos → sin), with the rules involved, rather than after the budget; rules that grow the
 * expression forever run into the budget.
 */
import { rebuild } from '../build.js';
import { TypegradError } from '../errors.js';
import type { Node } from '../node.js';
import { toInfix } from '../print.js';
import type { Rule } from './rule.js';

export interface RewriteOptions {
  /** The most rule applications before giving up with a TypegradError (default 10,000). */
  readonly maxSteps?: number;
}

export interface RewriteStep {
  readonly rule: string;
  readonly before: Node;
  readonly after: Node;
}

export interface RewriteResult {
  readonly node: Node;
  /** Every rule application, in order. */
  readonly steps: readonly RewriteStep[];
}

export const DEFAULT_MAX_STEPS = 10_000;

/** A compiled rule set: the rules indexed by operation, with their normal forms remembered. */
export class RuleSet {
  readonly rules: readonly Rule[];
  readonly #byOp = new Map<string, Rule[]>();
  /** Nodes known to be in normal form under these rules (nodes are immutable and interned). */
  readonly normal = new WeakSet<Node>();

  constructor(rules: readonly Rule[]) {
    this.rules = rules;
  }

  rulesFor(op: string): readonly Rule[] {
    let list = this.#byOp.get(op);
    if (list === undefined) {
      list = this.rules.filter((r) => r.ops === undefined || r.ops.includes(op));
      this.#byOp.set(op, list);
    }
    return list;
  }
}

function short(node: Node): string {
  const text = toInfix(node);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export function rewriteNode(root: Node, ruleSet: RuleSet, options: RewriteOptions = {}): RewriteResult {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(Number.isInteger(maxSteps) && maxSteps >= 0)) {
    throw new TypegradError(`rewrite: options.maxSteps must be a non-negative integer, got ${String(maxSteps)}`);
  }
  const { normal } = ruleSet;
  const steps: RewriteStep[] = [];
  /** node → its normal form, once known. */
  const image = new Map<Node, Node>();
  /** node → the node whose normal form is its own (its rebuild, or a rule's replacement). */
  const forward = new Map<Node, Node>();
  /** Nodes whose dependencies were pushed: meeting one again with dependencies unresolved is a cycle. */
  const expanded = new Set<Node>();
  const resolved = (n: Node) => normal.has(n) || image.has(n);
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    if (normal.has(node)) image.set(node, node);
    if (image.has(node)) {
      stack.pop();
      continue;
    }
    const target = forward.get(node);
    const missing = target !== undefined ? (resolved(target) ? [] : [target]) : node.args.filter((a) => !resolved(a));
    if (missing.length > 0) {
      if (expanded.has(node)) throw cycleError(node, steps, forward);
      expanded.add(node);
      for (const operand of missing) stack.push(operand);
      continue;
    }
    expanded.delete(node);
    if (target !== undefined) {
      image.set(node, image.get(target) ?? target);
      stack.pop();
      continue;
    }
    const rebuilt = rebuild(node, node.args.map((a) => image.get(a) ?? a));
    if (rebuilt !== node) {
      forward.set(node, rebuilt);
      continue;
    }
    let replacement: Node | undefined;
    let applied: Rule | undefined;
    for (const rule of ruleSet.rulesFor(node.op)) {
      replacement = rule.apply(node);
      if (replacement !== undefined && replacement !== node) {
        applied = rule;
        break;
      }
    }
    if (applied === undefined) {
      normal.add(node);
      continue;
    }
    steps.push({ rule: applied.name, before: node, after: replacement! });
    if (steps.length > maxSteps) {
      const last = [...new Set(steps.slice(-5).map((s) => s.rule))];
      throw new TypegradError(
        `rewrite: gave up after ${maxSteps} rule application(s) (options.maxSteps) at ${short(node)}; last rules applied: ${last.join('; ')}`,
      );
    }
    forward.set(node, replacement!);
  }
  return { node: image.get(root)!, steps };
}

/**
 * The error for a node met again before its normal form is known: a cycle when following its
 * rewrites leads back to it, else a rule that grows (x → 2·x holds x again, and again).
 */
function cycleError(node: Node, steps: readonly RewriteStep[], forward: ReadonlyMap<Node, Node>): TypegradError {
  const rules = [...new Set(steps.slice(-8).map((s) => s.rule))];
  const seen = new Set<Node>();
  let term = forward.get(node);
  while (term !== undefined && term !== node && !seen.has(term)) {
    seen.add(term);
    const next = forward.get(term);
    if (next === undefined) break;
    term = next;
  }
  if (term !== undefined && term !== node) {
    return new TypegradError(`rewrite: the rules grow without end: rewriting ${short(node)} gives ${short(term)}, which holds ${short(node)} again (rules: ${rules.join('; ')})`);
  }
  return new TypegradError(`rewrite: the rules cycle: rewriting ${short(node)} leads back to itself (rules: ${rules.join('; ')})`);
}
