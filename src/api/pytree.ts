/**
 * Pytrees (as in JAX): nested arrays, tuples, plain objects and registered classes whose leaves
 * are anything else (numbers, Funs, Float64Arrays). `flatten` lists the leaves in a stable
 * order (object keys sorted), `unflatten` rebuilds the same structure from new leaves, and
 * `mapTree` does both. Iterative, so deep trees do not overflow the stack.
 */
import { TypegradError } from '../ad/errors.js';
import { describeValue, recordOf } from './record.js';

/** How a registered class flattens: its children (a pytree each) and auxiliary data. */
export interface PytreeRule<T> {
  flatten(value: T): { children: readonly unknown[]; aux?: unknown };
  unflatten(children: unknown[], aux: unknown): T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T> = abstract new (...args: any[]) => T;
const registry = new Map<Function, PytreeRule<unknown>>();

/**
 * Registers a class as a pytree node, so `flatten`, `mapTree` and `grad` look inside it.
 * @example registerPytreeNode(Point, { flatten: (p) => ({ children: [p.x, p.y] }), unflatten: ([x, y]) => new Point(x, y) })
 */
export function registerPytreeNode<T>(type: Constructor<T>, rule: PytreeRule<T>): void {
  if (typeof type !== 'function') throw new TypegradError(`registerPytreeNode: expected a class, got ${describeValue(type)}`);
  registry.set(type, rule as PytreeRule<unknown>);
}

/** The structure of a pytree without its leaves. */
export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'array'; readonly children: readonly TreeDef[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly children: readonly TreeDef[] }
  | { readonly kind: 'class'; readonly rule: PytreeRule<unknown>; readonly aux: unknown; readonly children: readonly TreeDef[] }
  | { readonly kind: 'none'; readonly value: null | undefined };

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A pytree node's children, and how to make its definition from theirs; undefined for a leaf. */
interface Expanded {
  readonly children: readonly unknown[];
  readonly define: (children: TreeDef[]) => TreeDef;
}

function expand(value: unknown): Expanded | undefined {
  if (value === null || value === undefined) return { children: [], define: () => ({ kind: 'none', value }) };
  if (typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return { children: value, define: (children) => ({ kind: 'array', children }) };
  const rule = registry.get((value as object).constructor);
  if (rule !== undefined) {
    const { children, aux } = rule.flatten(value);
    return { children, define: (defs) => ({ kind: 'class', rule, aux, children: defs }) };
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return { children: keys.map((k) => (value as Record<string, unknown>)[k]), define: (children) => ({ kind: 'object', keys, children }) };
  }
  return undefined;
}

/**
 * The leaves of a pytree in a stable order, and its structure.
 * @example flatten({ b: [1, 2], a: 3 }) // leaves [3, 1, 2]: keys sorted
 */
export function flatten(tree: unknown): { leaves: unknown[]; treedef: TreeDef } {
  const leaves: unknown[] = [];
  // Post-order with an explicit stack: a frame's definition is complete once its children are.
  type Frame = { value: unknown; expanded?: Expanded; defs: TreeDef[]; next: number };
  const root: Frame = { value: tree, defs: [], next: 0 };
  const stack: Frame[] = [root];
  let result: TreeDef | undefined;
  const finish = (def: TreeDef) => {
    stack.pop();
    if (stack.length === 0) result = def;
    else stack[stack.length - 1]!.defs.push(def);
  };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === 0 && frame.expanded === undefined) {
      frame.expanded = expand(frame.value);
      if (frame.expanded === undefined) {
        leaves.push(frame.value);
        finish({ kind: 'leaf' });
        continue;
      }
      if (stack.length > 1_000_000) throw new TypegradError('flatten: the tree is nested more than a million levels deep (a cycle?)');
    }
    const { children, define } = frame.expanded!;
    if (frame.next < children.length) {
      stack.push({ value: children[frame.next++], defs: [], next: 0 });
      continue;
    }
    finish(define(frame.defs));
  }
  return { leaves, treedef: result! };
}

/** The number of leaves a structure holds. */
export function leafCount(treedef: TreeDef): number {
  let count = 0;
  const stack: TreeDef[] = [treedef];
  while (stack.length > 0) {
    const def = stack.pop()!;
    if (def.kind === 'leaf') count++;
    else if (def.kind !== 'none') for (const child of def.children) stack.push(child); // no spread: 200,000 children overflow the stack
  }
  return count;
}

/**
 * Rebuilds a pytree of the structure `treedef` from `leaves` (in `flatten`'s order).
 * @example unflatten(flatten(tree).treedef, newLeaves)
 */
export function unflatten<T = unknown>(treedef: TreeDef, leaves: readonly unknown[]): T {
  const expected = leafCount(treedef);
  if (leaves.length !== expected) {
    throw new TypegradError(`unflatten: the structure holds ${expected} leaves, got ${leaves.length}`);
  }
  let next = 0;
  type Frame = { def: TreeDef; built: unknown[] };
  const stack: Frame[] = [{ def: treedef, built: [] }];
  let result: unknown;
  const finish = (value: unknown) => {
    stack.pop();
    if (stack.length === 0) result = value;
    else stack[stack.length - 1]!.built.push(value);
  };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const def = frame.def;
    if (def.kind === 'leaf') {
      finish(leaves[next++]);
      continue;
    }
    if (def.kind === 'none') {
      finish(def.value);
      continue;
    }
    if (frame.built.length < def.children.length) {
      stack.push({ def: def.children[frame.built.length]!, built: [] });
      continue;
    }
    if (def.kind === 'array') finish(frame.built);
    else if (def.kind === 'object') finish(recordOf(def.keys.map((k, i) => [k, frame.built[i]] as const)));
    else finish(def.rule.unflatten(frame.built, def.aux));
  }
  return result as T;
}

/** Whether two structures are the same (same kinds, keys, lengths and registered aux data). */
export function sameStructure(a: TreeDef, b: TreeDef): boolean {
  const stack: [TreeDef, TreeDef][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x.kind !== y.kind) return false;
    if (x.kind === 'none' && y.kind === 'none') {
      if (x.value !== y.value) return false;
      continue;
    }
    if (x.kind === 'leaf') continue;
    const xc = (x as { children: readonly TreeDef[] }).children, yc = (y as { children: readonly TreeDef[] }).children;
    if (xc.length !== yc.length) return false;
    if (x.kind === 'object' && (x.keys.join('\0') !== (y as typeof x).keys.join('\0'))) return false;
    if (x.kind === 'class' && (x.rule !== (y as typeof x).rule || x.aux !== (y as typeof x).aux)) return false;
    xc.forEach((c, i) => stack.push([c, yc[i]!]));
  }
  return true;
}

/**
 * Applies `fn` to every leaf of `tree` (and the corresponding leaves of `others`, which must
 * have the same structure) and returns a tree of the same structure.
 * @example mapTree((w, g) => w - 0.1 * g, params, grads)
 */
export function mapTree<R = unknown>(fn: (...leaves: any[]) => unknown, tree: unknown, ...others: unknown[]): R {
  const { leaves, treedef } = flatten(tree);
  const rest = others.map((o, i) => {
    const flat = flatten(o);
    if (!sameStructure(treedef, flat.treedef)) throw new TypegradError(`mapTree: tree ${i + 2} does not have the structure of the first`);
    return flat.leaves;
  });
  return unflatten<R>(treedef, leaves.map((leaf, i) => fn(leaf, ...rest.map((r) => r[i]))));
}
