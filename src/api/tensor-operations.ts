/**
 * The tensor operations of any rank as the typed API runs them: the `TFun` methods and the free
 * functions of `tensor-functions.ts` both call these. Each checks its arguments as an untyped
 * caller may pass them and throws a TypegradError in the words of the compile-time message
 * (`shape-types.ts`), prefixed with the operation, so that a dimension known only at run time
 * fails the same way a literal does; then it applies primitives, whose semantics it keeps.
 */
import { apply } from '../ad/build.js';
import { TypegradError } from '../ad/errors.js';
import { variableNode } from '../ad/node.js';
import { checkDimension, describeShape, elementCount, normalizeAxes, normalizeAxis, sameShape, type Shape } from '../ad/shape.js';
import { constantTensor, Fun } from './fun.js';
import { describeValue } from './record.js';
import { isArrayOfNumbers, shapeOfValue, toFlat } from './values.js';
import { applyFuns, applyTo, toFun, wrap, type AnyFun } from './wrap.js';

/** The elementwise operations of two operands, and the verb their shape errors use. */
export const ELEMENTWISE_VERBS = {
  add: 'add',
  sub: 'subtract',
  mul: 'multiply',
  div: 'divide',
  pow: 'take powers of',
  log: 'take the logarithm of',
  equal: 'compare',
  gt: 'compare',
  ge: 'compare',
  lt: 'compare',
  le: 'compare',
  ne: 'compare',
  maximum: 'take the maximum of',
  minimum: 'take the minimum of',
  atan2: 'take atan2 of',
  hypot: 'take hypot of',
  polygamma: 'take polygamma of',
} as const;

export type ElementwiseOperation = keyof typeof ELEMENTWISE_VERBS;

const list = (values: readonly unknown[]) => `[${values.map(String).join(', ')}]`;

/**
 * Why shapes `a` and `b` do not broadcast, as the compile-time message words it
 * (`BroadcastMessage`), or undefined when they do.
 */
export function broadcastProblem(verb: string, a: Shape, b: Shape): string | undefined {
  const rank = Math.max(a.length, b.length);
  for (let fromEnd = 1; fromEnd <= Math.min(a.length, b.length); fromEnd++) {
    const [m, n] = [a[a.length - fromEnd]!, b[b.length - fromEnd]!];
    if (m === n || m === 1 || n === 1) continue;
    const start = `shape mismatch: cannot ${verb} ${describeShape(a)} and ${describeShape(b)}`;
    if (a.length === 2 && b.length === 1) return `${start} (a row needs vector[${a[1]}])`;
    if (a.length === 1 && b.length === 2) return `${start} (a row needs vector[${b[1]}])`;
    return `${start} (axis ${rank - fromEnd} of the result: ${m} and ${n})`;
  }
  return undefined;
}

/** `a op b` elementwise with numpy broadcasting, for numbers and Funs of any rank. */
export function elementwise(op: ElementwiseOperation, a: unknown, b: unknown): AnyFun {
  const [x, y] = [toFun(a, op), toFun(b, op)];
  const problem = broadcastProblem(ELEMENTWISE_VERBS[op], x.node.shape, y.node.shape);
  if (problem !== undefined) throw new TypegradError(`${op}: ${problem}`);
  return applyFuns(op, [x, y]);
}

/** −t, elementwise. */
export function negate(t: unknown): AnyFun {
  return applyTo('neg', toFun(t, 'neg'));
}

/** The Euclidean norm of all the elements (Frobenius for a matrix): √(Σ element²). */
export function euclideanNorm(t: unknown): AnyFun {
  const f = toFun(t, 'norm');
  return applyFuns('sqrt', [reduce('sum', elementwise('mul', f, f), undefined, undefined)]);
}

/** The numpy matrix product of Funs of any rank (batched, batch axes broadcast, vectors promoted). */
export function matrixProduct(a: unknown, b: unknown): AnyFun {
  return applyFuns('matmul', [toFun(a, 'matmul'), toFun(b, 'matmul')]);
}

/**
 * The options of a reduction: `keepDims` keeps the reduced axes as size-1 axes (numpy's keepdims).
 * @example images.mean([1, 2, 3], { keepDims: true }) // TFun<[64, 1, 1, 1]>, which broadcasts against images
 */
export interface ReduceOptions<K extends boolean = boolean> {
  readonly keepDims?: K;
}

function keepDimsOption(options: unknown, operation: string): boolean {
  if (options === undefined) return false;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypegradError(`${operation}: options must be an object such as { keepDims: true }, got ${describeValue(options)}`);
  }
  const keepDims = (options as { keepDims?: unknown }).keepDims;
  if (keepDims !== undefined && typeof keepDims !== 'boolean') {
    throw new TypegradError(`${operation}: keepDims must be true or false, got ${describeValue(keepDims)}`);
  }
  return keepDims === true;
}

/** The reductions of the typed API; `mean` and `min` are built from `sum` and `max`. */
export type ReductionName = 'sum' | 'mean' | 'max' | 'min' | 'logsumexp';

/**
 * A reduction over axes (one, a list, or `undefined` for every axis; negative axes count from the
 * end), with the reduced axes removed or, with `keepDims`, kept as size-1 axes.
 */
export function reduce(reduction: ReductionName, t: unknown, axes: unknown, options: unknown): AnyFun {
  const f = toFun(t, reduction);
  const shape = f.node.shape;
  const normalized = normalizeAxes(reduction, axes, shape);
  const keepDims = keepDimsOption(options, reduction);
  if (normalized.length === 0) return f as AnyFun; // no axis to reduce: numpy's sum over ()
  let reduced: Fun<string>;
  switch (reduction) {
    case 'sum':
    case 'max':
    case 'logsumexp':
      reduced = applyTo(reduction, f, normalized);
      break;
    case 'mean':
      reduced = applyFuns('div', [applyTo('sum', f, normalized), elementCount(normalized.map((axis) => shape[axis]!))]);
      break;
    case 'min':
      reduced = applyTo('neg', applyTo('max', applyTo('neg', f), normalized));
      break;
  }
  return keepDims ? reshape(reduced, keptShape(shape, normalized)) : (reduced as AnyFun);
}

/** The shape with the reduced axes kept as size-1 axes. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((n, axis) => (axes.includes(axis) ? 1 : n));
}

/** softmax along an axis (the last by default): every lane along it sums to 1. */
export function softmaxAlong(t: unknown, axis: unknown = -1): AnyFun {
  const f = toFun(t, 'softmax');
  return applyTo('softmax', f, [normalizeAxis('softmax', axis, f.node.shape)]);
}

/** ln softmax along an axis (the last by default): x − logsumexp(x) along it, without overflow. */
export function logSoftmaxAlong(t: unknown, axis: unknown = -1): AnyFun {
  const f = toFun(t, 'logSoftmax');
  const shape = f.node.shape;
  const normalized = normalizeAxis('logSoftmax', axis, shape);
  return applyFuns('sub', [f, reshape(applyTo('logsumexp', f, [normalized]), keptShape(shape, [normalized]))]);
}

/** Whether `permutation` holds each axis of a rank once (negative axes counting from the end). */
function normalizePermutation(permutation: unknown, shape: Shape): number[] | undefined {
  const rank = shape.length;
  if (!Array.isArray(permutation) || permutation.length !== rank) return undefined;
  const normalized = permutation.map((p: unknown) => (typeof p === 'number' && Number.isInteger(p) && p >= -rank && p < rank ? (p < 0 ? p + rank : p) : -1));
  return normalized.every((p) => p >= 0) && new Set(normalized).size === rank ? normalized : undefined;
}

/** The axes permuted: axis i of the result is axis `permutation[i]`; no permutation reverses them. */
export function transposeBy(t: unknown, permutation?: unknown): AnyFun {
  const f = toFun(t, 'transpose');
  const shape = f.node.shape;
  if (permutation === undefined) return applyTo('transpose', f);
  const normalized = normalizePermutation(permutation, shape);
  if (normalized === undefined) {
    const given = Array.isArray(permutation) ? list(permutation) : describeValue(permutation);
    throw new TypegradError(`transpose: ${given} is not a permutation of the ${shape.length} axes of ${describeShape(shape)}`);
  }
  return applyTo('transpose', f, normalized);
}

/** A caller's shape (an array of dimensions) checked for `operation`; `allowInferred` lets one dimension be −1. */
function shapeArgument(shape: unknown, operation: string, allowInferred = false): number[] {
  const valid = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && (n >= 1 || (allowInferred && n === -1));
  if (!Array.isArray(shape) || !shape.every(valid)) {
    const given = Array.isArray(shape) ? list(shape) : describeValue(shape);
    throw new TypegradError(`${operation}: ${given} is not a shape (dimensions must be positive integers${allowInferred ? ', or one -1' : ''})`);
  }
  return shape as number[];
}

/**
 * The same elements (row-major) in another shape; one dimension may be −1, the count left over.
 * The element count must be kept.
 */
export function reshape(t: unknown, shape: unknown): AnyFun {
  const f = toFun(t, 'reshape');
  const from = f.node.shape;
  const target = shapeArgument(shape, 'reshape', true);
  const count = elementCount(from);
  const inferred = target.filter((n) => n === -1).length;
  if (inferred > 1) throw new TypegradError(`reshape: cannot reshape ${describeShape(from)} to ${list(target)} (only one dimension may be -1)`);
  let resolved = target;
  if (inferred === 1) {
    const known = elementCount(target.filter((n) => n !== -1));
    if (count % known !== 0) throw new TypegradError(`reshape: shape mismatch: cannot reshape ${describeShape(from)} to ${list(target)} (${count} elements do not divide by ${known})`);
    resolved = target.map((n) => (n === -1 ? count / known : n));
  }
  if (elementCount(resolved) !== count) {
    throw new TypegradError(`reshape: shape mismatch: cannot reshape ${describeShape(from)} to ${describeShape(resolved)} (element counts ${count} and ${elementCount(resolved)})`);
  }
  return applyTo('reshape', f, resolved);
}

/** The axes from `startAxis` on joined into one (their elements row-major): [2, 3, 4] from axis 1 is [2, 12]. */
export function flattenFrom(t: unknown, startAxis: unknown): AnyFun {
  const f = toFun(t, 'flatten');
  const shape = f.node.shape;
  const axis = normalizeAxis('flatten', startAxis, shape);
  return reshape(f, [...shape.slice(0, axis), elementCount(shape.slice(axis))]);
}

/** A natural number argument (a slice or pad bound), or a TypegradError naming it. */
function naturalArgument(value: unknown, what: string, operation: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypegradError(`${operation}: ${what} must be a natural number, got ${describeValue(value)}`);
  }
  return value;
}

/** Indices start ≤ i < end along an axis: a non-empty range within it. */
export function sliceAlong(t: unknown, axis: unknown, start: unknown, end: unknown): AnyFun {
  const f = toFun(t, 'slice');
  const shape = f.node.shape;
  const normalized = normalizeAxis('slice', axis, shape);
  const [from, to] = [naturalArgument(start, 'start', 'slice'), naturalArgument(end, 'end', 'slice')];
  if (from >= to || to > shape[normalized]!) {
    throw new TypegradError(`slice: index out of bounds: cannot slice ${from}:${to} from axis ${String(axis)} of ${describeShape(shape)}`);
  }
  return applyTo('slice', f, [normalized, from, to]);
}

/** `before` zeros, then the tensor, then `after` zeros along an axis. */
export function padAlong(t: unknown, axis: unknown, before: unknown, after: unknown): AnyFun {
  const f = toFun(t, 'pad');
  const normalized = normalizeAxis('pad', axis, f.node.shape);
  return applyTo('pad', f, [normalized, naturalArgument(before, 'before', 'pad'), naturalArgument(after, 'after', 'pad')]);
}

/** The Funs of a list argument (concat, stack): a non-empty array of numbers and Funs. */
function funList(values: unknown, operation: string): Fun<string>[] {
  if (!Array.isArray(values) || values.length === 0) throw new TypegradError(`${operation}: expected a non-empty array of Funs, got ${describeValue(values)}`);
  return values.map((v) => toFun(v, operation));
}

/**
 * Why two shapes cannot be joined along `axis` (equal ranks, equal dimensions elsewhere), as the
 * compile-time message words it, or undefined.
 */
function joinProblem(verb: string, a: Shape, b: Shape, axis: number | undefined, along: string): string | undefined {
  const start = `shape mismatch: cannot ${verb} ${describeShape(a)} and ${describeShape(b)}${along}`;
  if (a.length !== b.length) return `${start} (ranks ${a.length} and ${b.length})`;
  const differing = a.findIndex((n, i) => i !== axis && n !== b[i]);
  return differing === -1 ? undefined : `${start} (axis ${differing}: ${a[differing]} and ${b[differing]})`;
}

/** Tensors of one rank, equal on the other axes, joined along an axis (0 by default). */
export function concatAlong(values: unknown, axis: unknown = 0): AnyFun {
  const funs = funList(values, 'concat');
  const first = funs[0]!.node.shape;
  const normalized = normalizeAxis('concat', axis, first);
  for (const f of funs.slice(1)) {
    const problem = joinProblem('join', first, f.node.shape, normalized, ` along axis ${String(axis)}`);
    if (problem !== undefined) throw new TypegradError(`concat: ${problem}`);
  }
  return applyFuns('concat', funs, [normalized]);
}

/** Tensors of one shape stacked along a new axis (0 by default; −1 appends it last). */
export function stackAlong(values: unknown, axis: unknown = 0): AnyFun {
  const funs = funList(values, 'stack');
  const first = funs[0]!.node.shape;
  const normalized = normalizeAxis('stack', axis, [...first, 1]);
  for (const f of funs.slice(1)) {
    const problem = joinProblem('stack', first, f.node.shape, undefined, '');
    if (problem !== undefined) throw new TypegradError(`stack: ${problem}`);
  }
  const expanded = [...first.slice(0, normalized), 1, ...first.slice(normalized)];
  return applyFuns('concat', funs.map((f) => reshape(f, expanded)), [normalized]);
}

/** The tensor repeated to `shape` by the numpy rule (its size-1 and missing leading axes repeat). */
export function broadcastToShape(t: unknown, shape: unknown): AnyFun {
  const f = toFun(t, 'broadcastTo');
  const from = f.node.shape;
  const target = shapeArgument(shape, 'broadcastTo');
  const offset = target.length - from.length;
  if (offset < 0 || from.some((n, i) => n !== 1 && n !== target[offset + i])) {
    throw new TypegradError(`broadcastTo: shape mismatch: cannot broadcast ${describeShape(from)} to ${describeShape(target)}`);
  }
  return sameShape(from, target) ? (f as AnyFun) : applyTo('broadcast', f, target);
}

/** An index operand: a Fun, or numbers in nested arrays (a constant). */
function indexFun(indices: unknown, operation: string): Fun<string> {
  if (indices instanceof Fun || typeof indices === 'number') return toFun(indices, operation);
  return constantFrom(indices, operation);
}

/**
 * The slices of `t` at the given positions along an axis (0 by default), as `tf.gather`: `t` of
 * shape [...before, n, ...after] and indices of shape I give [...before, ...I, ...after].
 */
export function gatherAlong(t: unknown, indices: unknown, axis: unknown = 0): AnyFun {
  const f = toFun(t, 'gather');
  const normalized = normalizeAxis('gather', axis, f.node.shape);
  const index = indexFun(indices, 'gather');
  return wrap(apply('gather', [f.node, index.node], [normalized]), [f, index]);
}

/** One-hot rows: indices of shape I give [...I, depth], 1 at each index and 0 elsewhere. */
export function oneHotOf(indices: unknown, depth: unknown): AnyFun {
  const index = indexFun(indices, 'oneHot');
  return applyTo('oneHot', index, [checkDimension(depth, 'oneHot depth')]);
}

/** A tensor variable of the given shape (a scalar variable for `[]`). */
export function tensorVariable(name: unknown, shape: unknown): AnyFun {
  const label = `TVar '${String(name)}'`;
  if (!Array.isArray(shape)) throw new TypegradError(`${label}: the shape must be an array of dimensions, got ${describeValue(shape)}`);
  const node = variableNode(name as string, shape.map((n: unknown) => checkDimension(n, label)));
  return wrap(node, [], new Set([name as string]));
}

/** A constant tensor from nested arrays of numbers (or a number, a scalar). */
export function constantFrom(values: unknown, operation: string): AnyFun {
  if (values instanceof Float64Array) throw new TypegradError(`${operation}: a Float64Array holds no shape: pass it with one, Tensor(data, [2, 3])`);
  const shape = shapeOfValue(values);
  if (typeof shape === 'string') throw new TypegradError(`${operation}: expected a number or nested arrays of numbers, got ${shape}`);
  return wrap(constantTensor(toFlat(values, shape, 'values', operation), shape), []);
}

/** A constant tensor of `shape` from its flat row-major data. */
export function constantFromFlat(data: unknown, shape: unknown, operation: string): AnyFun {
  const dimensions = shapeArgument(shape, operation);
  const flat = data instanceof Float64Array ? data : isArrayOfNumbers(data) ? Float64Array.from(data as number[]) : undefined;
  if (flat === undefined) throw new TypegradError(`${operation}: expected flat data (a Float64Array or an array of numbers), got ${describeValue(data)}`);
  if (flat.length !== elementCount(dimensions)) {
    throw new TypegradError(`${operation}: ${describeShape(dimensions)} needs ${elementCount(dimensions)} values, got ${flat.length}`);
  }
  return wrap(constantTensor(flat, dimensions), []);
}
