/**
 * The rewriting engine: applies rules until none applies (a normal form).
 *
 * Strategy: innermost first, in passes. A pass walks the part of the DAG not yet known to be in
 * normal form in topological order (a loop, no recursion); a node whose operands are all in
 * normal form is offered to the rules indexed under its operation, in the order given, and the
 * first replacement is taken. A node no rule rewrites joins the normal set, which persists
 * across passes, so later passes walk only what changed. Passes repeat until the root is in
 * normal form.
 *
 * Termination: each rule application is a step; past `maxSteps` the engine throws a
 * TypegradError naming the budget and the last rules applied. Since nodes are interned and the
 * passes are deterministic, seeing the same root twice means the rules cycle: that is reported
 * at once, with the rules involved, rather than after the budget.
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
  readonly normal = new Set<Node>();

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

/** The nodes under `root` that are not in `normal`, in topological order, without entering normal ones. */
function pendingNodes(root: Node, normal: ReadonlySet<Node>): Node[] {
  const seen = new Set<Node>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node) || normal.has(node)) continue;
    seen.add(node);
    for (const a of node.args) stack.push(a);
  }
  return [...seen].sort((a, b) => a.id - b.id);
}

export function rewriteNode(root: Node, ruleSet: RuleSet, options: RewriteOptions = {}): RewriteResult {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(Number.isInteger(maxSteps) && maxSteps >= 0)) {
    throw new TypegradError(`rewrite: options.maxSteps must be a non-negative integer, got ${String(maxSteps)}`);
  }
  const { normal } = ruleSet;
  const steps: RewriteStep[] = [];
  const roots = new Map<Node, number>();
  let current = root;
  while (!normal.has(current)) {
    const previous = roots.get(current);
    if (previous !== undefined) {
      const cycle = [...new Set(steps.slice(previous).map((s) => s.rule))];
      throw new TypegradError(
        `rewrite: the rules cycle: the expression returned to ${short(current)} after ${steps.length - previous} step(s) (rules: ${cycle.join('; ')})`,
      );
    }
    roots.set(current, steps.length);
    const image = new Map<Node, Node>();
    for (const node of pendingNodes(current, normal)) {
      const rebuilt = rebuild(node, node.args.map((a) => image.get(a) ?? a));
      image.set(node, rebuilt);
      if (normal.has(rebuilt) || !rebuilt.args.every((a) => normal.has(a))) continue;
      let replacement: Node | undefined;
      let applied: Rule | undefined;
      for (const rule of ruleSet.rulesFor(rebuilt.op)) {
        replacement = rule.apply(rebuilt);
        if (replacement !== undefined && replacement !== rebuilt) {
          applied = rule;
          break;
        }
      }
      if (applied === undefined) {
        normal.add(rebuilt);
        continue;
      }
      steps.push({ rule: applied.name, before: rebuilt, after: replacement! });
      if (steps.length > maxSteps) {
        const last = [...new Set(steps.slice(-5).map((s) => s.rule))];
        throw new TypegradError(
          `rewrite: gave up after ${maxSteps} rule application(s) (options.maxSteps) at ${short(rebuilt)}; last rules applied: ${last.join('; ')}`,
        );
      }
      image.set(node, replacement!);
    }
    current = image.get(current) ?? current;
  }
  return { node: current, steps };
}
