/**
 * The derivative rules users attach to functions (`customJvp`, `customVjp` in the API): each
 * rule has an id, and a `custom` node (src/ad/primitives/custom.ts) names its rule by that id in
 * its attrs. The rule gives the node's value and its derivatives in both directions, as nodes.
 *
 * Lifetime: the registry holds a rule only while a node that names it is alive. Each custom node
 * is noted once with a FinalizationRegistry; when the last one is collected (after the node
 * table's sweep has dropped it and nothing else holds it), the rule leaves the registry. The
 * function that made the rule keeps it, and registers it again if it makes new nodes, so no rule
 * outlives both its function and its nodes.
 */
import type { Node } from './node.js';

/** A user's derivative rule, on nodes. */
export interface CustomRule {
  /** How the node prints: `name(operands)`. */
  readonly name: string;
  /** The value as nodes: the function applied to the operands (what backends compile). */
  primal(args: readonly Node[]): Node;
  /** The value from the operands' values (the reference interpreter's). */
  evaluate(values: readonly Float64Array[], args: readonly Node[]): Float64Array;
  /** The tangent of the node from its operands' tangents (`undefined`: an operand that does not vary). */
  jvp(args: readonly Node[], tangents: readonly (Node | undefined)[], self: Node): Node;
  /** The adjoint contribution to each operand from the node's adjoint `seed`, where `needed`. */
  vjp(args: readonly Node[], seed: Node, self: Node, needed: readonly boolean[]): readonly (Node | undefined)[];
}

interface Entry {
  readonly rule: CustomRule;
  /** Custom nodes naming the rule that the collector has not freed yet. */
  live: number;
}

let nextId = 1;
const ids = new WeakMap<CustomRule, number>();
const entries = new Map<number, Entry>();
const noted = new WeakSet<Node>();
const finalization = new FinalizationRegistry<number>((id) => {
  const entry = entries.get(id);
  if (entry !== undefined && --entry.live === 0) entries.delete(id);
});

/** The id of `rule`, registered (again) so that nodes can name it. */
export function ruleId(rule: CustomRule): number {
  let id = ids.get(rule);
  if (id === undefined) ids.set(rule, (id = nextId++));
  if (!entries.has(id)) entries.set(id, { rule, live: 0 });
  return id;
}

/** Notes a custom node made for a registered rule: the rule stays registered while the node lives. */
export function noteCustomNode(node: Node): void {
  if (node.op !== 'custom' || noted.has(node)) return;
  const entry = entries.get(node.attrs[0]!);
  if (entry === undefined) throw new Error(`internal: custom node ${node.id} names rule ${node.attrs[0]}, which is not registered`);
  noted.add(node);
  entry.live++;
  finalization.register(node, node.attrs[0]!);
}

/** The rule a custom node names (its first attr). */
export function ruleOf(node: Node): CustomRule {
  const entry = entries.get(node.attrs[0]!);
  if (entry === undefined) throw new Error(`internal: custom node ${node.id} names rule ${node.attrs[0]}, which is not registered`);
  return entry.rule;
}

/** The name a custom node prints with, from its attrs. */
export function ruleName(attrs: readonly number[]): string {
  return entries.get(attrs[0]!)?.rule.name ?? 'custom';
}

/** How many rules the registry holds (for the lifetime test). */
export function registeredRuleCount(): number {
  return entries.size;
}
