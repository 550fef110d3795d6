/**
 * Pattern variables are ordinary variable nodes with reserved names: `?a` matches any one
 * expression, `?rest...` (a segment variable) matches the remaining operands of a sum or a
 * product, possibly none. Being nodes, patterns are built with the normal API and print as
 * they read: `?a * ?b + ?a * ?c + ?rest...`.
 */
import { TypegradError } from '../errors.js';
import { variableNode, type Node } from '../node.js';
import { topologicalOrder } from '../traverse.js';

const PREFIX = '?';
const SEGMENT_SUFFIX = '...';
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string, kind: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypegradError(`${kind}: a pattern variable needs a name like 'a' or 'rest' (letters, digits, _), got ${JSON.stringify(name)}`);
  }
}

/** The node of the pattern variable `?name`. */
export function patternVariable(name: string): Node {
  checkName(name, 'PatternVar');
  return variableNode(`${PREFIX}${name}`);
}

/** The node of the segment variable `?name...`. */
export function segmentVariable(name: string): Node {
  checkName(name, 'Segment');
  return variableNode(`${PREFIX}${name}${SEGMENT_SUFFIX}`);
}

export interface PatternVariableInfo {
  readonly name: string;
  readonly segment: boolean;
}

/** What a node is as a pattern variable, or `undefined` for any other node. */
export function patternVariableInfo(node: Node): PatternVariableInfo | undefined {
  if (node.op !== 'var' || !node.name.startsWith(PREFIX)) return undefined;
  const segment = node.name.endsWith(SEGMENT_SUFFIX);
  const name = node.name.slice(PREFIX.length, segment ? -SEGMENT_SUFFIX.length : undefined);
  return NAME.test(name) ? { name, segment } : undefined;
}

/** The pattern variables occurring in `root`, by name. */
export function patternVariablesOf(root: Node): Map<string, PatternVariableInfo> {
  const found = new Map<string, PatternVariableInfo>();
  for (const node of topologicalOrder([root])) {
    const info = patternVariableInfo(node);
    if (info !== undefined) found.set(info.name, info);
  }
  return found;
}

/** Per pattern node: whether it contains no pattern variable (then matching is identity). */
const groundCache = new WeakMap<Node, boolean>();

export function isGround(pattern: Node): boolean {
  const cached = groundCache.get(pattern);
  if (cached !== undefined) return cached;
  for (const node of topologicalOrder([pattern])) {
    if (groundCache.has(node)) continue;
    groundCache.set(node, patternVariableInfo(node) === undefined && node.args.every((a) => groundCache.get(a)!));
  }
  return groundCache.get(pattern)!;
}
