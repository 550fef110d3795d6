/**
 * The expression DAG. Every node is interned: while a node is in use, a structurally identical
 * node is never made again (the same operation on the same operands gives the same object), so
 * shared subexpressions are shared in memory and every pass sees them once.
 *
 * Node ids grow with creation and a node's arguments always exist before it, so sorting any set
 * of nodes by id is a topological order. Every traversal in typegrad relies on this instead of
 * recursion, which is what lets a 1,000,000-deep chain be built, printed, differentiated and
 * evaluated without a stack overflow.
 *
 * Lifetime. The interning table holds its nodes strongly (a lookup costs a hash and a compare,
 * nothing more), and is swept between jobs: after the collector has freed some Funs (their
 * pages are finalised), a microtask (which runs once the current synchronous work is done, so
 * no computation is in the middle of building) marks every node reachable from the roots — the nodes of every live
 * Fun, reported by the API layer through `registerRoots`, and `pin`ned nodes — and drops the rest
 * from the table; JavaScript's collector then frees whatever nothing else references. So nodes
 * of Funs a program still holds keep their identity, and the memory of dropped expressions comes
 * back, with no cost per node beyond the sweep's mark, amortised by sweeping only once enough
 * nodes were made since the last one (`requestSweep`, `SWEEP_AFTER`). The alternatives measured
 * (`bench/results.md`, section 6):
 * - the previous immortal pool: memory never came back (1.2 KB per dropped expression sin(x·i)+i);
 * - a WeakRef per node: 1–2 µs per node for the WeakRef alone (V8 keeps every WeakRef target to
 *   the end of the job and processes each at every collection), the whole budget of a million
 *   nodes a second;
 * - pages of nodes under one WeakRef: a live node keeps its page, whose other nodes keep their
 *   operands' pages, and so on back through the whole history: nothing is ever freed.
 */
import type { OpName } from './primitives/index.js';
import { SCALAR, type Shape } from './shape.js';
import { TypegradError } from './errors.js';

export interface Node {
  /** Creation order; also a topological order of the whole DAG. */
  readonly id: number;
  readonly op: OpName;
  readonly args: readonly Node[];
  readonly shape: Shape;
  /** The value of a `const` node. */
  readonly value: number;
  /** The name of a `var` node. */
  readonly name: string;
  /** Operation parameters (axis, slice bounds, ...) that are part of the node's identity. */
  readonly attrs: readonly number[];
}

/** A node as the table sees it: its hash and the next node of its bucket. */
interface PooledNode extends Node {
  readonly hash: number;
  next: PooledNode | undefined;
  /** The last sweep that reached it. */
  mark: number;
}

let nextId = 0;
/** Buckets of nodes by hash (31-bit, so the keys stay small integers), chained through `next`. */
let table = new Map<number, PooledNode>();
let size = 0;

/* Hashes: 32-bit mixes; equal structures hash equally, and a collision costs one comparison. */

const mix = (h: number, k: number) => Math.imul(h ^ k, 0x9e3779b1) ^ (h >>> 16);

function hashString(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return mix(h, text.length);
}

const numberBits = new Float64Array(1);
const numberWords = new Int32Array(numberBits.buffer);

function hashNumber(h: number, value: number): number {
  numberBits[0] = value;
  return mix(mix(h, numberWords[0]!), numberWords[1]!);
}

/** Operation names as small integers, for hashing. */
const opCodes = new Map<string, number>();

function opHash(op: string): number {
  let code = opCodes.get(op);
  if (code === undefined) opCodes.set(op, (code = mix(0x2545f491, opCodes.size + 1)));
  return code;
}

const CONSTANT = 0x27d4eb2f, VARIABLE = 0x165667b1;

function insert(hash: number, op: OpName, args: readonly Node[], shape: Shape, value: number, name: string, attrs: readonly number[]): Node {
  const key = hash & 0x3fffffff;
  const node: PooledNode = { id: nextId++, op, args, shape, value, name, attrs, hash: key, next: table.get(key), mark: 0 };
  table.set(key, node);
  size++;
  inserted++;
  return node;
}

/** The constant node for `value` (IEEE semantics: `-0`, `NaN` and infinities are values too). */
export function constantNode(value: number): Node {
  const hash = hashNumber(CONSTANT, value);
  // Object.is: −0 is not 0, and NaN is NaN.
  for (let n = table.get(hash & 0x3fffffff); n !== undefined; n = n.next) if (n.op === 'const' && Object.is(n.value, value)) return n;
  return insert(hash, 'const', [], SCALAR, value, '', []);
}

/** The variable node named `name` with the given shape. */
export function variableNode(name: string, shape: Shape = SCALAR): Node {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypegradError(`a variable needs a non-empty name, got ${JSON.stringify(name)}`);
  }
  let hash = hashString(VARIABLE, name);
  for (const n of shape) hash = mix(hash, n);
  for (let n = table.get(hash & 0x3fffffff); n !== undefined; n = n.next) {
    if (n.op === 'var' && n.name === name && sameDimensions(n.shape, shape)) return n;
  }
  return insert(hash, 'var', [], Object.freeze([...shape]), NaN, name, []);
}

function sameDimensions(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameOperation(node: Node, op: string, args: readonly Node[], attrs: readonly number[]): boolean {
  if (node.op !== op || node.args.length !== args.length || node.attrs.length !== attrs.length) return false;
  for (let i = 0; i < args.length; i++) if (node.args[i] !== args[i]) return false;
  for (let i = 0; i < attrs.length; i++) if (!Object.is(node.attrs[i], attrs[i])) return false;
  return true;
}

/**
 * A scalar variable that no name reaches: it is not interned, so `variableNode(label)` returns a
 * different node whatever the label. For the unknowns that algebra introduces (u = eˣ while
 * solving), which must never meet a user's variable of the same name; they are compared by
 * identity, and `label` is only how they print.
 */
export function uniqueVariableNode(label: string): Node {
  const node: PooledNode = { id: nextId++, op: 'var', args: [], shape: SCALAR, value: NaN, name: label, attrs: [], hash: -1, next: undefined, mark: 0 };
  return node;
}

/**
 * The interned node for an operation. Callers are the smart constructors in `build.ts`, which
 * have already checked arity and shapes and applied the build-time simplifications.
 */
export function operationNode(op: OpName, args: readonly Node[], shape: Shape, attrs: readonly number[] = []): Node {
  let hash = opHash(op);
  for (let i = 0; i < args.length; i++) hash = mix(hash, args[i]!.id | 0) ^ Math.floor(args[i]!.id / 4294967296);
  for (let i = 0; i < attrs.length; i++) hash = hashNumber(hash, attrs[i]!);
  for (let n = table.get(hash & 0x3fffffff); n !== undefined; n = n.next) if (sameOperation(n, op, args, attrs)) return n;
  return insert(hash, op, Object.freeze([...args]), Object.freeze([...shape]), NaN, '', Object.freeze([...attrs]));
}

export function isConstant(node: Node, value?: number): boolean {
  return node.op === 'const' && (value === undefined || Object.is(node.value, value) || node.value === value);
}

export function isVariable(node: Node): boolean {
  return node.op === 'var';
}

/* Sweeping. */

/** The sources of roots: each gives the nodes it keeps in use (the API layer reports its live Funs). */
const rootSources: (() => Iterable<Node>)[] = [];
/** Nodes kept for good (module-level constants that code compares by identity). */
const pinned = new Set<Node>();

/**
 * When to sweep: when a root source reports that roots have died (`requestSweep`: the
 * collector finalised some of them), once at least SWEEP_AFTER nodes, and half as many as the
 * last sweep kept, were made since. A sweep costs about as much as marking what it keeps, so it
 * is paid for by the nodes made since the last one. (A sweep is useless before the collector
 * has run: until then the roots that died still look alive.)
 */
const SWEEP_AFTER = 50_000;
let kept = 0;
let inserted = 0;
let sweepScheduled = false;
let sweeps = 0;

/**
 * Registers a source of roots: the nodes it reports are kept, with everything they reach, by
 * every sweep. Until one is registered, nothing is ever swept (code that uses the DAG directly
 * keeps every node's identity).
 */
export function registerRoots(source: () => Iterable<Node>): void {
  rootSources.push(source);
}

/** Keeps a node (and what it reaches) in the table for good: for module-level nodes compared by identity. */
export function pin<N extends Node>(node: N): N {
  pinned.add(node);
  return node;
}

function scheduleSweep(): void {
  if (sweepScheduled || rootSources.length === 0) return;
  sweepScheduled = true;
  queueMicrotask(() => {
    sweepScheduled = false;
    sweep();
  });
}

/**
 * Called by a root source when some of its roots have been collected (the API layer's Fun pages
 * are finalised): a sweep follows, between jobs, once enough nodes were made since the last one,
 * or at once when `many` (a good part of the roots the last sweep saw have died since).
 */
export function requestSweep(many = false): void {
  if (many || inserted >= Math.max(SWEEP_AFTER, kept / 2)) scheduleSweep();
}

/**
 * Drops from the table every node that no root reaches, now. It runs by itself between jobs;
 * calling it in the middle of building expressions whose nodes no Fun holds yet breaks their
 * sharing, so only tests and benchmarks call it directly. Returns how many nodes the table keeps.
 */
export function sweep(): number {
  const mark = ++sweeps;
  const stack: Node[] = [...pinned];
  for (const source of rootSources) for (const node of source()) stack.push(node);
  while (stack.length > 0) {
    const node = stack.pop() as PooledNode;
    if (node.mark === mark) continue;
    node.mark = mark;
    for (let i = 0; i < node.args.length; i++) {
      const arg = node.args[i] as PooledNode;
      if (arg.mark !== mark) stack.push(arg);
    }
  }
  const survivors = new Map<number, PooledNode>();
  let count = 0;
  for (const first of table.values()) {
    let head: PooledNode | undefined;
    for (let node: PooledNode | undefined = first; node !== undefined; ) {
      const next: PooledNode | undefined = node.next;
      if (node.mark === mark) {
        node.next = head;
        head = node;
        count++;
      }
      node = next;
    }
    if (head !== undefined) survivors.set(head.hash, head);
  }
  table = survivors;
  size = kept = count;
  inserted = 0;
  return count;
}

/** How many nodes the interning table holds (those in use, and those dropped since the last sweep). */
export function poolSize(): number {
  return size;
}
