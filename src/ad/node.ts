/**
 * The expression DAG. Every node is interned: a structurally identical node is created once per
 * process, so shared subexpressions are shared in memory and every pass sees them once.
 *
 * Node ids grow with creation and a node's arguments always exist before it, so sorting any set
 * of nodes by id is a topological order. Every traversal in typegrad relies on this instead of
 * recursion, which is what lets a 100,000-deep chain be built, printed, differentiated and
 * evaluated without a stack overflow.
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

let nextId = 0;

// The interning pool holds nodes weakly: an expression nobody references any more can be
// collected, and its key is removed once it is.
const pool = new Map<string, WeakRef<Node>>();
const reclaim = new FinalizationRegistry<string>((key) => {
  const ref = pool.get(key);
  if (ref !== undefined && ref.deref() === undefined) pool.delete(key);
});

function intern(key: string, create: (id: number) => Node): Node {
  const existing = pool.get(key)?.deref();
  if (existing !== undefined) return existing;
  const node = create(nextId++);
  pool.set(key, new WeakRef(node));
  reclaim.register(node, key);
  return node;
}

function constantKey(value: number): string {
  return Object.is(value, -0) ? 'c|-0' : `c|${value}`;
}

/** The constant node for `value` (IEEE semantics: `-0`, `NaN` and infinities are values too). */
export function constantNode(value: number): Node {
  return intern(constantKey(value), (id) =>
    Object.freeze({ id, op: 'const', args: [], shape: SCALAR, value, name: '', attrs: [] }),
  );
}

/** The variable node named `name` with the given shape. */
export function variableNode(name: string, shape: Shape = SCALAR): Node {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypegradError(`a variable needs a non-empty name, got ${JSON.stringify(name)}`);
  }
  return intern(`v|${shape.join('x')}|${name}`, (id) =>
    Object.freeze({ id, op: 'var', args: [], shape: Object.freeze([...shape]), value: NaN, name, attrs: [] }),
  );
}

/**
 * The interned node for an operation. Callers are the smart constructors in `build.ts`, which
 * have already checked arity and shapes and applied the build-time simplifications.
 */
export function operationNode(op: OpName, args: readonly Node[], shape: Shape, attrs: readonly number[] = []): Node {
  let key = op;
  for (const a of args) key += `|${a.id}`;
  if (attrs.length > 0) key += `|[${attrs.join(',')}]`;
  return intern(key, (id) =>
    Object.freeze({ id, op, args: Object.freeze([...args]), shape: Object.freeze([...shape]), value: NaN, name: '', attrs: Object.freeze([...attrs]) }),
  );
}

export function isConstant(node: Node, value?: number): boolean {
  return node.op === 'const' && (value === undefined || Object.is(node.value, value) || node.value === value);
}

export function isVariable(node: Node): boolean {
  return node.op === 'var';
}
