/**
 * Builds the plan of a program (see `plan.ts`), once per compile:
 * 1. decomposition: every primitive the target does not lower is rewritten by its record's
 *    `decompose` rule (repeatedly), or refused with a TypegradError naming it;
 * 2. constant folding: every node no input reaches is evaluated now, by the reference interpreter;
 * 3. storage: inputs, constants, scalar statements, views (transpose, broadcast, slice, and
 *    reshape of contiguous data read in place), elementwise nodes fused into their only user's
 *    loop, and buffers for the rest;
 * 4. liveness: a scratch buffer is reused once every value it held is dead;
 * 5. chunking: long programs are split into runs of steps, and the scalars that cross a
 *    boundary (and scalar outputs) get slots.
 */
import { TypegradError } from '../ad/errors.js';
import { evaluateTensors } from '../ad/evaluate.js';
import type { Node } from '../ad/node.js';
import { primitiveOf } from '../ad/primitives/index.js';
import { decompose, type Target } from '../ad/decompose.js';
import { broadcastsTo, elementCount, sameShape, stridesAlong, stridesOf, type Shape } from '../ad/shape.js';
import { dependsOnByPosition, indexedOrder, keepPositions, positionIn } from '../ad/traverse.js';
import type { Chunk, Plan, PlanValue, Step, Storage, ValueId } from './plan.js';

/**
 * Programs longer than this many statements are split into functions of about this size. V8
 * does not compile a very long function at all (its parser overflows the stack on a
 * 100,000-deep chain), and optimises long ones poorly: the batch gradient of Rosenbrock in 1,000
 * variables (7,000 statements a point) took 1,630 ms as one function, 1,090 ms in chunks of
 * 2,000 statements, 300–400 ms in chunks of 64 to 500 (measured on the benchmark machine,
 * bench/rosenbrock.ts).
 */
export const CHUNK_STATEMENTS = 400;

/** What a backend renders: the primitives it lowers (others are decomposed or refused). */
export type { Target } from '../ad/decompose.js';

export interface PlanOptions {
  /** Evaluate at many points (a leading axis on every input and output). */
  readonly batch?: boolean;
}

/** The operations whose result can be read in place from their operand (see `viewOf`). */
const VIEW_OPERATIONS = new Set(['transpose', 'broadcast', 'slice', 'reshape']);

const isElementwise = (n: Node) => n.op !== 'const' && n.op !== 'var' && primitiveOf(n.op).kind === 'elementwise';

/** The plan of `roots` over `inputs` (variable nodes) for a target. */
export function buildPlan(roots: readonly Node[], inputs: readonly Node[], target: Target, options: PlanOptions = {}): Plan {
  const lowered = decompose(roots, target);
  const { order, traversal } = indexedOrder(lowered);
  const inputSet = new Set(inputs);
  for (const node of order) {
    if (node.op === 'var' && !inputSet.has(node)) throw new Error(`internal: variable '${node.name}' is not an input of the program`);
  }
  const variable = dependsOnByPosition(order, traversal, inputs);
  const folded = foldConstants(order, variable);
  keepPositions(order, traversal, traversal); // folding evaluates, which may traverse
  const at = (node: Node) => positionIn(node, traversal);
  const isRoot = new Set(lowered);
  // The users of each node, by position (a node using an operand twice counted once).
  const users = new Array<Node[] | undefined>(order.length);
  for (const node of order) {
    const args = node.args;
    for (let i = 0; i < args.length; i++) if (args.indexOf(args[i]!) === i) (users[at(args[i]!)] ??= []).push(node);
  }

  const values: PlanValue[] = [];
  const valueAt = new Array<PlanValue | undefined>(order.length);
  const valueOf = (node: Node) => valueAt[at(node)]!;
  const add = (node: Node, storage: Storage, args: readonly ValueId[] = []): PlanValue => {
    const value: PlanValue = { id: values.length, node, shape: node.shape, args, storage };
    values.push(value);
    valueAt[at(node)] = value;
    return value;
  };
  // Inputs first (an input the roots do not reach, a declared variable simplified away, is
  // still an input).
  for (let j = 0; j < inputs.length; j++) {
    const v = inputs[j]!;
    const value: PlanValue = { id: values.length, node: v, shape: v.shape, args: [], storage: { kind: 'input', input: j } };
    values.push(value);
    if (at(v) >= 0) valueAt[at(v)] = value;
  }

  /** Fused into its only user's loop: elementwise, a tensor, not a root, used once by an elementwise node of its shape. */
  const fusedInto = (node: Node): boolean => {
    if (!isElementwise(node) || node.shape.length === 0 || isRoot.has(node)) return false;
    const u = users[at(node)]!;
    if (u.length !== 1 || u[0]!.args.filter((a) => a === node).length !== 1) return false;
    return isElementwise(u[0]!) && sameShape(u[0]!.shape, node.shape);
  };

  let buffers = 0;
  for (let k = 0; k < order.length; k++) {
    const node = order[k]!;
    if (valueAt[k] !== undefined) continue; // an input
    const data = folded[k];
    if (data !== undefined) {
      add(node, { kind: 'constant', data });
      continue;
    }
    const args = node.args.map((a) => valueOf(a).id);
    let storage: Storage;
    if (node.shape.length === 0 && isElementwise(node)) storage = { kind: 'scalar' };
    else if (fusedInto(node)) storage = { kind: 'fused' };
    else storage = (!isRoot.has(node) && viewOf(node, valueOf(node.args[0]!), users[k]!, values)) || { kind: 'buffer', buffer: buffers++ };
    add(node, storage, args);
  }

  const steps = scheduleSteps(values);
  const outputs = lowered.map((r) => valueOf(r).id);
  const buffersUsed = assignBuffers(values, steps, outputs);
  const { chunks, slots, slotCount } = chunkSteps(values, steps, outputs, inputs.length);
  return { values, inputs: inputs.map((_, j) => j), outputs, steps, buffers: buffersUsed, chunks, slots, slotCount, batch: options.batch === true };
}

/** The values of every operation node that no input reaches, computed once by the reference interpreter. */
function foldConstants(order: readonly Node[], variable: Uint8Array): (Float64Array | undefined)[] {
  const folded = new Array<Float64Array | undefined>(order.length);
  // A constant repeated (broadcast(c), zeros and ones of gradients) stays a view of the number,
  // so elementwise loops read a literal instead of a filled array.
  const computed: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const n = order[k]!;
    if (variable[k] === 1 || (n.op === 'broadcast' && n.args[0]!.op === 'const')) continue;
    if (n.op === 'const') folded[k] = Float64Array.of(n.value);
    else computed.push(k);
  }
  if (computed.length > 0) {
    const data = evaluateTensors(computed.map((k) => order[k]!), new Map());
    computed.forEach((k, i) => (folded[k] = data[i]!));
  }
  return folded;
}

/** Whether `strides` lay out `shape` row-major (size-1 axes may have any stride). */
function isRowMajor(shape: Shape, strides: readonly number[]): boolean {
  const own = stridesOf(shape);
  return shape.every((n, i) => n === 1 || strides[i] === own[i]);
}

/**
 * Where the elements of a view operation (transpose, broadcast, slice, reshape) lie in its
 * operand's storage, read with `strides` from `offset`: a transpose permutes the strides, a
 * broadcast sets them to 0 on repeated axes, a slice moves the offset, and a reshape renumbers
 * data that is row-major. Undefined when the operation is no view of that storage (a reshape of
 * a transposed operand) or not a view operation at all.
 */
export function viewStrides(node: Node, operandShape: Shape, offset: number, strides: readonly number[]): { offset: number; strides: number[] } | undefined {
  switch (node.op) {
    case 'transpose':
      return { offset, strides: node.attrs.map((p) => strides[p]!) };
    case 'broadcast': {
      if (!broadcastsTo(operandShape, node.shape)) return undefined;
      return { offset, strides: stridesAlong(operandShape, strides, node.shape) };
    }
    case 'slice': {
      const [axis, start] = node.attrs as [number, number];
      return { offset: offset + start * strides[axis]!, strides: [...strides] };
    }
    case 'reshape':
      return isRowMajor(operandShape, strides) ? { offset, strides: stridesOf(node.shape) } : undefined;
    default:
      return undefined;
  }
}

/**
 * The operation as a view of its operand's storage (see `viewStrides`), when it is one. A view
 * of a scalar (every element the scalar) is left to elementwise users, which read it as a number.
 */
function viewOf(node: Node, operand: PlanValue, users: readonly Node[], values: readonly PlanValue[]): Storage | undefined {
  if (!VIEW_OPERATIONS.has(node.op)) return undefined;
  const source = operand.storage;
  if (source.kind === 'fused') return undefined;
  const [base, offset, strides] = source.kind === 'view' ? [source.base, source.offset, source.strides] : [operand.id, 0, stridesOf(operand.shape)];
  // A scalar input or statement is a number in generated code, not an array.
  const numeric = values[base]!.shape.length === 0 && values[base]!.storage.kind !== 'buffer';
  if (numeric && !users.every(isElementwise)) return undefined;
  const view = viewStrides(node, operand.shape, offset, strides);
  return view === undefined ? undefined : { kind: 'view', base, ...view };
}

/** The steps in schedule order: each computed value that is not a view or fused, with its fused members. */
function scheduleSteps(values: readonly PlanValue[]): Step[] {
  const steps: Step[] = [];
  for (const value of values) {
    switch (value.storage.kind) {
      case 'scalar':
        steps.push({ kind: 'scalar', value: value.id });
        break;
      case 'buffer':
        if (isElementwise(value.node)) steps.push({ kind: 'fused', value: value.id, members: fusedMembers(value, values) });
        else steps.push({ kind: 'operation', value: value.id });
        break;
      default:
        break;
    }
  }
  return steps;
}

/** The fused values a loop computes before its own, in schedule order. */
function fusedMembers(root: PlanValue, values: readonly PlanValue[]): ValueId[] {
  const members = new Set<ValueId>();
  const stack = [...root.args];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (values[id]!.storage.kind !== 'fused' || members.has(id)) continue;
    members.add(id);
    for (const arg of values[id]!.args) stack.push(arg);
  }
  return [...members].sort((a, b) => a - b);
}

/** The values a step reads directly (its own operands, and its fused members' operands). */
function stepReads(step: Step, values: readonly PlanValue[]): ValueId[] {
  const ids = step.kind === 'fused' ? [step.value, ...step.members] : [step.value];
  const reads: ValueId[] = [];
  for (const id of ids) for (const a of values[id]!.args) if (values[a]!.storage.kind !== 'fused') reads.push(a);
  return reads;
}

/** The storage a read of `id` touches: the value itself, or a view's base. */
function storageOwner(id: ValueId, values: readonly PlanValue[]): ValueId {
  const storage = values[id]!.storage;
  return storage.kind === 'view' ? storage.base : id;
}

/**
 * Gives the buffer values their final buffers: walking the steps in order, a value takes a
 * free buffer of its exact size (or a new one) when its step runs, and its buffer is free again
 * after the last step that reads it (directly or through a view). Outputs keep theirs.
 */
function assignBuffers(values: PlanValue[], steps: readonly Step[], outputs: readonly ValueId[]): number[] {
  // By value id: the last step reading it (−1: none). Plans of scalars skip all of this.
  if (!steps.some((step) => values[step.value]!.storage.kind === 'buffer')) return [];
  const lastReadAt = new Int32Array(values.length).fill(-1);
  steps.forEach((step, s) => {
    for (const id of stepReads(step, values)) lastReadAt[storageOwner(id, values)] = s;
  });
  const lastRead = { get: (id: ValueId) => (lastReadAt[id]! < 0 ? undefined : lastReadAt[id]!) };
  const pinned = new Set(outputs.map((id) => storageOwner(id, values)));
  const sizes: number[] = [];
  const free = new Map<number, number[]>();
  const assigned = new Map<ValueId, number>();
  const release = new Map<number, ValueId[]>();
  steps.forEach((step, s) => {
    const value = values[step.value]!;
    if (value.storage.kind === 'buffer') {
      const size = elementCount(value.shape);
      const buffer = free.get(size)?.pop() ?? sizes.push(size) - 1;
      assigned.set(value.id, buffer);
      const last = lastRead.get(value.id);
      if (!pinned.has(value.id)) {
        // Never read: free at once (after this step).
        const at = last ?? s;
        (release.get(at) ?? release.set(at, []).get(at)!).push(value.id);
      }
    }
    for (const id of release.get(s) ?? []) {
      const buffer = assigned.get(id)!;
      const size = sizes[buffer]!;
      (free.get(size) ?? free.set(size, []).get(size)!).push(buffer);
    }
  });
  for (const [id, buffer] of assigned) (values[id] as { storage: Storage }).storage = { kind: 'buffer', buffer };
  return sizes;
}

/** Splits the steps into chunks of about CHUNK_STATEMENTS statements and gives slots to the scalars that cross them. */
function chunkSteps(values: readonly PlanValue[], steps: readonly Step[], outputs: readonly ValueId[], inputCount: number): { chunks: Chunk[]; slots: Map<ValueId, number>; slotCount: number } {
  const chunks: Chunk[] = [];
  let start = 0;
  let statements = 0;
  steps.forEach((step, s) => {
    statements += step.kind === 'fused' ? step.members.length + 1 : 1;
    if (statements >= CHUNK_STATEMENTS) {
      chunks.push({ start, end: s + 1 });
      start = s + 1;
      statements = 0;
    }
  });
  if (start < steps.length || chunks.length === 0) chunks.push({ start, end: steps.length });
  const chunkOf = new Int32Array(values.length).fill(-1);
  chunks.forEach((chunk, c) => {
    for (let s = chunk.start; s < chunk.end; s++) chunkOf[steps[s]!.value] = c;
  });
  const slots = new Map<ValueId, number>();
  let slotCount = 0;
  const scalarInputs = values.slice(0, inputCount).filter((v) => v.shape.length === 0);
  for (const v of scalarInputs) slots.set(v.id, slotCount++);
  chunks.forEach((chunk, c) => {
    for (let s = chunk.start; s < chunk.end; s++) {
      for (const read of stepReads(steps[s]!, values)) {
        const id = storageOwner(read, values); // a view of a scalar reads the scalar
        if (values[id]!.storage.kind !== 'scalar' || slots.has(id)) continue;
        if (chunkOf[id] !== c) slots.set(id, slotCount++);
      }
    }
  });
  for (const id of outputs) if (values[id]!.storage.kind === 'scalar' && !slots.has(id)) slots.set(id, slotCount++);
  return { chunks, slots, slotCount };
}
