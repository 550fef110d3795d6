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
 * Lookup. An operation node is found among the users of its newest operand: most nodes have a
 * few, scanned in a short array comparing operands (no key is built); a node with many keeps a
 * table of its users by an integer hash. (Anchored on the first operand instead, the constant 2
 * and every variable collected tens of thousands of users in one table: a third of the time of
 * Rosenbrock's gradient went to probing it.) A node built is
 * usually looked up right after its operands, so this is fast for locality as much as for the
 * work saved: a global hash table measured 350 ns a hit at a million nodes (cache misses),
 * these lists tens of nanoseconds.
 *
 * Lifetime. The pool holds its nodes strongly (an operand holds its users), and is swept
 * between jobs: after the collector has freed some Funs (their pages are finalised), a
 * microtask (which runs once the current synchronous work is done, so no computation is in the
 * middle of building) marks every node reachable from the roots — the nodes of every live Fun,
 * reported by the API layer through `registerRoots`, and `pin`ned nodes — and drops every
 * unmarked node from the users lists and leaf tables; JavaScript's collector then frees whatever
 * nothing else references. So nodes of Funs a program still holds keep their identity, and the
 * memory of dropped expressions comes back, with no cost per node beyond the sweep's mark,
 * amortised by sweeping only once enough nodes were made since the last one (`requestSweep`,
 * `SWEEP_AFTER`). The alternatives measured (`bench/results.md`, the lifetime section):
 * - the previous immortal pool: memory never came back (1.2 KB per dropped expression sin(x·i)+i);
 * - a WeakRef per node: 1–2 µs per node for the WeakRef alone (V8 keeps every WeakRef target to
 *   the end of the job and processes each at every collection), the whole budget of a million
 *   nodes a second;
 * - pages of nodes under one WeakRef: a live node keeps its page, whose other nodes keep their
 *   operands' pages, and so on back through the whole history: nothing is ever freed;
 * - the API layer finding live Funs through a WeakRef per page of 64 Funs (this design's first
 *   version): V8 keeps a WeakRef's target to the end of the job, so every Fun made during a
 *   computation, and the declared-variable sets it held, survived it: Rosenbrock in 10,000
 *   variables (f and its gradient) took 234 ms, of which the collector copying 110,000 such
 *   Funs was a large part; with a FinalizationRegistry holding each page's record of nodes
 *   instead (src/api/fun.ts), they die young.
 * What remains of a symbolic job's time is mostly nodes (about 100 bytes, and an operand array,
 * each) surviving young-generation collections until a sweep: fewer nodes made is what makes
 * it faster (reverse.ts builds no intermediate nodes), and nodes as rows of typed arrays, which
 * the collector would not trace, the next step if it must be faster still.
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

/**
 * A node as the pool makes it. Nine fields: a node costs about 170 bytes with its operand
 * array, and every node made lives until a sweep, so its size is most of the garbage
 * collector's work while building. A `const` node's value and a `var` node's name share one
 * tagged field read through getters (a number field of its own would hold a boxed double in
 * every node, 16 more bytes).
 */
class PooledNode implements Node {
  /**
   * Users (the operations it anchors, `anchorOf`): most nodes have one, held as is; a few are
   * scanned in an array (made at its exact length: an array grown by push reserves 16 more
   * slots, 128 bytes, for every node with two users); many, by hash of (operation, operands,
   * attrs) in a Map, where a collision chains an array.
   */
  users: PooledNode | PooledNode[] | Map<number, PooledNode | PooledNode[]> | undefined = undefined;
  /** The last traversal or sweep that reached it (`nextTraversal`), and its position in that order (`traverse.ts`). */
  visited = 0;
  position = 0;
  constructor(
    readonly id: number,
    readonly op: OpName,
    readonly args: readonly Node[],
    readonly shape: Shape,
    readonly leaf: number | string | undefined,
    readonly attrs: readonly number[],
  ) {}
  get value(): number {
    return typeof this.leaf === 'number' ? this.leaf : NaN;
  }
  get name(): string {
    return typeof this.leaf === 'string' ? this.leaf : '';
  }
}

let traversals = 0;

/** A fresh number for a traversal or a sweep to mark the nodes it reaches with (`visited`). */
export function nextTraversal(): number {
  return ++traversals;
}

/** The number of the latest traversal or sweep. */
export function latestTraversal(): number {
  return traversals;
}

let nextId = 0;
/** Live nodes the pool holds, as of the last sweep plus those made since (for reports and tests). */
let size = 0;

/** Past this many users, a node keeps them by hash. */
const SCAN_LIMIT = 8;

const constants = new Map<number, PooledNode>();
let negativeZero: PooledNode | undefined;
const variables = new Map<string, PooledNode>();
/** Operations without operands, by name and attrs (none of the primitives today). */
const nullary = new Map<string, PooledNode>();

function makeNode(op: OpName, args: readonly Node[], shape: Shape, leaf: number | string | undefined, attrs: readonly number[]): PooledNode {
  size++;
  inserted++;
  return new PooledNode(nextId++, op, args, shape, leaf, attrs);
}

/* Hashes of (operation, operands, attrs): 30-bit mixes; a collision costs a comparison. */

const mix = (h: number, k: number) => Math.imul(h ^ k, 0x9e3779b1) ^ (h >>> 16);

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

/** The hash, in V8's small-integer range (a larger number as a Map key is a heap number: allocated, and slower to hash). */
function userHash(op: string, args: readonly Node[], attrs: readonly number[]): number {
  let hash = opHash(op);
  for (let i = 0; i < args.length; i++) hash = mix(hash, args[i]!.id | 0) ^ Math.floor(args[i]!.id / 4294967296);
  for (let i = 0; i < attrs.length; i++) hash = hashNumber(hash, attrs[i]!);
  return hash & 0x3fffffff;
}

/**
 * The operand whose users list holds a node: the newest (largest id). It has the fewest users
 * (a constant such as 2, or a variable, is an operand of thousands of nodes, and is always the
 * older one), and it was usually made just before, so its list is in cache.
 */
function anchorOf(args: readonly Node[]): PooledNode {
  let anchor = args[0]!;
  for (let i = 1; i < args.length; i++) if (args[i]!.id > anchor.id) anchor = args[i]!;
  return anchor as PooledNode;
}

function addUser(anchor: PooledNode, user: PooledNode, hash?: number): void {
  const users = anchor.users;
  if (users === undefined) anchor.users = user;
  else if (users instanceof PooledNode) anchor.users = [users, user];
  else if (Array.isArray(users)) {
    if (users.length < SCAN_LIMIT) anchor.users = [...users, user];
    else {
      const table = new Map<number, PooledNode | PooledNode[]>();
      anchor.users = table;
      for (const u of users) addToTable(table, u);
      addToTable(table, user, hash);
    }
  } else addToTable(users, user, hash);
}

function addToTable(table: Map<number, PooledNode | PooledNode[]>, user: PooledNode, hash?: number): void {
  const h = hash ?? userHash(user.op, user.args, user.attrs);
  const bucket = table.get(h);
  if (bucket === undefined) table.set(h, user);
  else if (Array.isArray(bucket)) bucket.push(user);
  else table.set(h, [bucket, user]);
}

/** The constant node for `value` (IEEE semantics: `-0`, `NaN` and infinities are values too). */
export function constantNode(value: number): Node {
  // Map keys use SameValueZero, which would merge −0 into 0.
  if (Object.is(value, -0)) return (negativeZero ??= makeNode('const', [], SCALAR, -0, NO_ATTRS));
  let node = constants.get(value);
  if (node === undefined) constants.set(value, (node = makeNode('const', [], SCALAR, value, NO_ATTRS)));
  return node;
}

/** The variable node named `name` with the given shape. */
export function variableNode(name: string, shape: Shape = SCALAR): Node {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypegradError(`a variable needs a non-empty name, got ${JSON.stringify(name)}`);
  }
  const key = `${shape.join('x')}|${name}`;
  let node = variables.get(key);
  if (node === undefined) variables.set(key, (node = makeNode('var', [], frozenShape(shape), name, NO_ATTRS)));
  return node;
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
  return makeNode('var', [], SCALAR, label, NO_ATTRS);
}

/**
 * The interned node for an operation. Callers are the smart constructors in `build.ts`, which
 * have already checked arity and shapes and applied the build-time simplifications.
 */
export function operationNode(op: OpName, args: readonly Node[], shape: Shape, attrs: readonly number[] = []): Node {
  if (args.length === 0) {
    const key = `${op}|${attrs.join(',')}`;
    let node = nullary.get(key);
    if (node === undefined) nullary.set(key, (node = makeNode(op, [], frozenShape(shape), undefined, attrs.length === 0 ? NO_ATTRS : attrs.slice())));
    return node;
  }
  const anchor = anchorOf(args);
  const users = anchor.users;
  let hash: number | undefined;
  if (users instanceof Map) {
    hash = userHash(op, args, attrs);
    const bucket = users.get(hash);
    if (bucket !== undefined) {
      if (!Array.isArray(bucket)) {
        if (sameOperation(bucket, op, args, attrs)) return bucket;
      } else for (const u of bucket) if (sameOperation(u, op, args, attrs)) return u;
    }
  } else if (users instanceof PooledNode) {
    if (sameOperation(users, op, args, attrs)) return users;
  } else if (users !== undefined) {
    for (const u of users) if (sameOperation(u, op, args, attrs)) return u;
  }
  // Operands and attrs are copied (a caller may reuse its array: an index it then advances);
  // readonly by type, as nothing in typegrad writes them. A shape is shared with users
  // (TFun.shape), so it is frozen, and an operand's frozen shape is reused as is.
  const node = makeNode(op, args.slice(), frozenShape(shape), undefined, attrs.length === 0 ? NO_ATTRS : attrs.slice());
  addUser(anchor, node, hash);
  return node;
}

const NO_ATTRS: readonly number[] = Object.freeze([]);

function frozenShape(shape: Shape): Shape {
  if (shape.length === 0) return SCALAR;
  return Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
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
let keptCount = 0;
let inserted = 0;
let sweepScheduled = false;

/**
 * Registers a source of roots: the nodes it reports are kept, with everything they reach, by
 * every sweep. Until one is registered, nothing is ever swept (code that uses the DAG directly
 * keeps every node's identity).
 */
export function registerRoots(source: () => Iterable<Node>): void {
  rootSources.push(source);
}

/** Keeps a node (and what it reaches) in the pool for good: for module-level nodes compared by identity. */
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
  if (many || inserted >= Math.max(SWEEP_AFTER, keptCount / 2)) scheduleSweep();
}

/**
 * Drops from the table every node that no root reaches, now. It runs by itself between jobs;
 * calling it in the middle of building expressions whose nodes no Fun holds yet breaks their
 * sharing, so only tests and benchmarks call it directly. Returns how many nodes the pool keeps.
 */
export function sweep(): number {
  const mark = nextTraversal();
  const stack: Node[] = [...pinned];
  for (const source of rootSources) for (const node of source()) stack.push(node);
  const marked: PooledNode[] = [];
  while (stack.length > 0) {
    const node = stack.pop() as PooledNode;
    if (node.visited === mark) continue;
    node.visited = mark;
    marked.push(node);
    for (let i = 0; i < node.args.length; i++) {
      const arg = node.args[i] as PooledNode;
      if (arg.visited !== mark) stack.push(arg);
    }
  }
  // Unmarked nodes leave the leaf tables and their operands' users: nothing in the pool
  // references them any more.
  const keep = (node: PooledNode | undefined) => node !== undefined && node.visited === mark;
  for (const [key, node] of constants) if (!keep(node)) constants.delete(key);
  if (negativeZero !== undefined && !keep(negativeZero)) negativeZero = undefined;
  for (const [key, node] of variables) if (!keep(node)) variables.delete(key);
  for (const [key, node] of nullary) if (!keep(node)) nullary.delete(key);
  for (const node of marked) {
    const users = node.users;
    if (users instanceof Map) {
      for (const [hash, bucket] of users) {
        if (!Array.isArray(bucket)) {
          if (!keep(bucket)) users.delete(hash);
        } else {
          const live = bucket.filter(keep);
          if (live.length === 0) users.delete(hash);
          else users.set(hash, live.length === 1 ? live[0]! : live);
        }
      }
    } else if (users instanceof PooledNode) {
      if (!keep(users)) node.users = undefined;
    } else if (users !== undefined) {
      const live = users.filter(keep);
      node.users = live.length === 0 ? undefined : live.length === 1 ? live[0]! : live;
    }
  }
  size = keptCount = marked.length;
  inserted = 0;
  return marked.length;
}

/** How many nodes the pool holds (those in use, and those dropped since the last sweep). */
export function poolSize(): number {
  return size;
}
