/**
 * The reference interpreter: evaluates nodes in topological order with each primitive's
 * `evaluate`. Every value is a flat row-major Float64Array (a scalar has length 1). Backends are
 * tested against it, so it favours being obviously right over being fast.
 */
import { TypegradError } from './errors.js';
import type { Node } from './node.js';
import { primitiveOf } from './primitives/index.js';
import { stridedIndices } from './primitives/layout.js';
import { broadcastStrides, describeShape, elementCount, sameShape } from './shape.js';
import { indexedOrder, keepPositions, positionIn } from './traverse.js';

/**
 * An elementwise primitive on flat operands broadcast to `shape` by the numpy rule: each
 * operand read through its broadcast strides (an operand of the result's shape directly).
 */
function elementwise(evaluate: (...args: number[]) => number, values: readonly Float64Array[], node: Node): Float64Array {
  const length = elementCount(node.shape);
  const out = new Float64Array(length);
  const reads = node.args.map((a) => (sameShape(a.shape, node.shape) ? undefined : stridedIndices(node.shape, broadcastStrides(a.shape, node.shape))));
  const operands = new Array<number>(values.length);
  for (let k = 0; k < length; k++) {
    for (let i = 0; i < values.length; i++) operands[i] = values[i]![reads[i]?.[k] ?? k]!;
    out[k] = evaluate(...operands);
  }
  return out;
}

/** The values of `roots` with the variables bound by name to flat row-major values. */
export function evaluateTensors(roots: readonly Node[], environment: ReadonlyMap<string, Float64Array>): Float64Array[] {
  const { order, traversal } = indexedOrder(roots);
  let scalar = true;
  for (let k = 0; k < order.length && scalar; k++) if (order[k]!.shape.length !== 0) scalar = false;
  if (scalar) return evaluateScalars(order, traversal, roots, environment);
  const value = new Map<Node, Float64Array>();
  for (const node of order) {
    if (node.op === 'const') value.set(node, Float64Array.of(node.value));
    else if (node.op === 'var') {
      const bound = environment.get(node.name);
      if (bound === undefined) throw new TypegradError(`missing value for variable '${node.name}'`);
      if (bound.length !== elementCount(node.shape)) {
        throw new TypegradError(`variable '${node.name}' has shape ${describeShape(node.shape)} (${elementCount(node.shape)} values), got ${bound.length} values`);
      }
      value.set(node, bound);
    } else {
      const args = node.args.map((a) => value.get(a)!);
      const primitive = primitiveOf(node.op);
      value.set(node, primitive.kind === 'elementwise' ? elementwise(primitive.evaluate, args, node) : primitive.evaluate(args, node));
    }
  }
  return roots.map((r) => value.get(r)!);
}

/**
 * A program of scalars only: the same evaluation with numbers in an array by position (no
 * array per node), a tenth of the time on large expressions.
 */
function evaluateScalars(order: readonly Node[], traversal: number, roots: readonly Node[], environment: ReadonlyMap<string, Float64Array>): Float64Array[] {
  const values = new Float64Array(order.length);
  const operands: number[] = [];
  let checked = traversal;
  for (let k = 0; k < order.length; k++) {
    const node = order[k]!;
    const args = node.args;
    if (node.op === 'const') values[k] = node.value;
    else if (node.op === 'var') {
      const bound = environment.get(node.name);
      if (bound === undefined) throw new TypegradError(`missing value for variable '${node.name}'`);
      if (bound.length !== 1) throw new TypegradError(`variable '${node.name}' has shape ${describeShape(node.shape)} (1 value), got ${bound.length} values`);
      values[k] = bound[0]!;
    } else {
      const primitive = primitiveOf(node.op);
      operands.length = args.length;
      for (let i = 0; i < args.length; i++) operands[i] = values[positionIn(args[i]!, traversal)]!;
      values[k] =
        primitive.kind === 'elementwise'
          ? args.length === 1
            ? primitive.evaluate(operands[0]!)
            : args.length === 2
              ? primitive.evaluate(operands[0]!, operands[1]!)
              : primitive.evaluate(...operands)
          : primitive.evaluate(operands.map((o) => Float64Array.of(o)), node)[0]!;
      if (primitive.kind === 'tensor') checked = keepPositions(order, traversal, checked);
    }
  }
  return roots.map((r) => Float64Array.of(values[positionIn(r, traversal)]!));
}

/** Scalar roots and scalar variables: the values as numbers. */
export function evaluateNodes(roots: readonly Node[], environment: ReadonlyMap<string, number>): number[] {
  const tensors = new Map<string, Float64Array>();
  for (const [name, v] of environment) tensors.set(name, Float64Array.of(v));
  return evaluateTensors(roots, tensors).map((t) => t[0]!);
}

/**
 * The value of `root` with the variables bound by name, reusing and filling `known` (values of
 * nodes already computed): only the nodes not yet known are evaluated, so a sequence of
 * evaluations over one growing expression costs each node once.
 */
export function evaluateIncrementally(root: Node, environment: ReadonlyMap<string, Float64Array>, known: Map<Node, Float64Array>): Float64Array {
  const done = known.get(root);
  if (done !== undefined) return done;
  const missing = new Set<Node>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (missing.has(node) || known.has(node)) continue;
    missing.add(node);
    for (const a of node.args) if (!missing.has(a) && !known.has(a)) stack.push(a);
  }
  const order = [...missing].sort((a, b) => a.id - b.id);
  for (const node of order) {
    if (node.op === 'const') known.set(node, Float64Array.of(node.value));
    else if (node.op === 'var') {
      const bound = environment.get(node.name);
      if (bound === undefined) throw new TypegradError(`missing value for variable '${node.name}'`);
      known.set(node, bound);
    } else {
      const args = node.args.map((a) => known.get(a)!);
      const primitive = primitiveOf(node.op);
      known.set(node, primitive.kind === 'elementwise' ? elementwise(primitive.evaluate, args, node) : primitive.evaluate(args, node));
    }
  }
  return known.get(root)!;
}
