/**
 * `vmap` (as in JAX): a function of one example made a function of a batch of them, as ONE
 * expression whose values carry a batch axis (src/ad/batching.ts: a batching rule per
 * primitive). So `vmap(grad(loss))` gives per-example gradients from one program, not a loop of
 * calls; it differentiates, nests (`vmap(vmap(f))`), and composes with `jit` (one compile per
 * batch size), `grad`, `jvp` and `vjp` (of a vmap, or inside a function that calls one).
 *
 * The batch size comes from the arguments (the length of each batched input's batch axis), so a
 * vmap has an expression per batch size, made at its first call with that size; with
 * `{ size }` it has one, at once (`expr`, `toSource`).
 */
import { batchNodes } from '../../ad/batching.js';
import { apply } from '../../ad/build.js';
import { TypegradError } from '../../ad/errors.js';
import { variableNode, type Node } from '../../ad/node.js';
import { elementCount, describeShape, sameShape, type Shape } from '../../ad/shape.js';
import { ConcretizationError } from '../coercion.js';
import { Fun } from '../fun.js';
import { unflatten } from '../pytree.js';
import { describeValue } from '../record.js';
import type { MFun } from '../matrix.js';
import type { SFun } from '../scalar.js';
import type { TFun } from '../tensor.js';
import type { VFun } from '../vector.js';
import { shapeOfValue } from '../values.js';
import { wrap } from '../wrap.js';
import { flattenArguments, leafRanges, makeState, stagedFunction, stagedOf, tracedFunction, tracedState, type Staged, type TracedState } from './traced.js';
import { tracedOf } from './transforms.js';
import type { Traced } from './types.js';

/** Options of `vmap`. */
export interface VmapOptions {
  /**
   * Per input, the axis of its argument that runs over the examples (default 0; negative counts
   * from the end), or null for an input every example shares. One value applies to every input.
   */
  readonly inAxes?: number | null | readonly (number | null)[];
  /**
   * Per result leaf (in the order `flatten` lists them), where the batch axis goes (default 0),
   * or null for a result that does not depend on the batch. One value applies to every leaf.
   */
  readonly outAxes?: number | null | readonly (number | null)[];
  /** The batch size: needed when no input is batched; given, the vmap has one expression at once. */
  readonly size?: number;
}

/** The Fun of one example made a Fun of a batch: a leading axis of unknown length. */
export type BatchedFun<F> =
  F extends TFun<infer S, infer V> ? TFun<[number, ...S], V>
  : F extends MFun<infer R, infer C, infer V> ? TFun<[number, R, C], V>
  : F extends VFun<infer N, infer V> ? MFun<number, N, V>
  : F extends SFun<infer V> ? VFun<number, V>
  : F extends number ? VFun<number, never>
  : F extends object ? { -readonly [K in keyof F]: BatchedFun<F[K]> }
  : F;

/**
 * A traced function whose argument and result types are not tracked: a vmap with `inAxes` or
 * `outAxes` (the batch axis moves, and null inputs keep their shapes).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UntypedTraced = Traced<readonly any[], any>;

const OPTIONS: readonly string[] = ['inAxes', 'outAxes', 'size'];

/** The shape with `size` inserted at `axis`. */
const withAxis = (shape: Shape, axis: number, size: number): Shape => [...shape.slice(0, axis), size, ...shape.slice(axis)];
/** The shape without `axis`. */
const withoutAxis = (shape: Shape, axis: number): Shape => shape.filter((_, i) => i !== axis);

/** `x` with its axis `from` moved to position `to`. */
function moveAxis(x: Node, from: number, to: number): Node {
  if (from === to) return x;
  const order = x.shape.map((_, i) => i).filter((i) => i !== from);
  order.splice(to, 0, from);
  return apply('transpose', [x], order);
}

/** An axis given for a value of `rank` axes, in [0, rank) (negative counts from the end). */
function normalizedAxis(axis: number, rank: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new TypegradError(`vmap: ${what} is axis ${axis}, but ${rank === 0 ? 'the value has no axes' : `the value has ${rank} axes (${-rank} to ${rank - 1})`}`);
  }
  return axis < 0 ? axis + rank : axis;
}

function perEntry(value: unknown, count: number, what: string): (number | null)[] {
  if (value === undefined) return new Array<number | null>(count).fill(0);
  if (value === null || typeof value === 'number') return new Array<number | null>(count).fill(value);
  if (!Array.isArray(value) || !value.every((v) => v === null || typeof v === 'number')) {
    throw new TypegradError(`vmap: ${what} must be an axis, null, or an array of them, got ${describeValue(value)}`);
  }
  if (value.length !== count) throw new TypegradError(`vmap: ${what} has ${value.length} entries, but there are ${count}`);
  return value;
}

function checkOptions(options: unknown): VmapOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypegradError(`vmap: options must be an object such as { inAxes: [0, null] }, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) throw new TypegradError(`vmap: unknown option '${key}'; the options are ${OPTIONS.join(', ')}`);
  }
  const { size } = options as VmapOptions;
  if (size !== undefined && (!Number.isInteger(size) || size < 1)) throw new TypegradError(`vmap: size must be a positive integer, got ${describeValue(size)}`);
  return options as VmapOptions;
}

/**
 * The batched expression of one example's expression `inner`, for `size` examples: each batched
 * input a variable of the same name with the batch axis inserted at its in-axis, each result with
 * the batch axis at its out-axis (a result that does not depend on the batch repeated along it).
 */
function batchedState(inner: TracedState, size: number, inAxes: readonly (number | null)[], outAxes: readonly (number | null)[] | undefined): TracedState {
  // inAxes is per leaf symbol (an input's axis applies to every leaf of a pytree input).
  const axes = outAxes ?? new Array<number | null>(inner.leaves.length).fill(0);
  if (axes.length !== inner.leaves.length) throw new TypegradError(`vmap: outAxes has ${axes.length} entries, but the function's result has ${inner.leaves.length} leaves`);
  const inputs = new Map<Node, Node>();
  const symbols = inner.symbols.map((symbol, i) => {
    const given = inAxes[i];
    if (given === null) return symbol;
    const shape = symbol.node.shape;
    const axis = normalizedAxis(given!, shape.length + 1, `inAxes for input '${symbol.node.name}' (a ${describeShape(shape)} per example)`);
    const variable = variableNode(symbol.node.name, withAxis(shape, axis, size));
    inputs.set(symbol.node, moveAxis(variable, axis, 0));
    return wrap(variable, [], new Set([symbol.node.name]));
  });
  const images = batchNodes(inner.leaves.map((l) => l.node), inputs, size);
  const outputs = images.map((image, k) => {
    const axis = axes[k]!;
    if (axis === null) {
      if (image.batched) throw new TypegradError(`vmap: outAxes is null for result leaf ${k}, but it depends on the batched inputs`);
      return image.node;
    }
    const node = image.batched ? image.node : apply('broadcast', [image.node], [size, ...image.node.shape]);
    return moveAxis(node, 0, normalizedAxis(axis, node.shape.length, `outAxes for result leaf ${k}`));
  });
  const expr = unflatten(inner.treedef, outputs.map((node) => wrap(node, symbols)));
  return makeState(symbols, inner.names, expr, inner.backend, 'vmap', inner.trees);
}

/**
 * Vectorising map (JAX's `vmap`): `vmap(f)` takes each input with an extra axis running over
 * examples (axis 0 by default; `inAxes` per input, null for an input all examples share) and
 * returns each result with the examples along axis 0 (`outAxes`). It is one expression for the
 * whole batch, made by a batching rule per primitive, so `jit(vmap(grad(loss), { inAxes: [null,
 * 0, 0] }))` computes per-example gradients in ONE compiled program. It composes with `grad`,
 * `jit`, `jvp`, `vjp` and itself; a function whose control flow reads its inputs' values cannot
 * be batched into one expression (that is the TypegradError pointing to `where`).
 * @example
 * const f = vmap(trace((x, y) => x.mul(y)));
 * f([1, 2, 3], [4, 5, 6]);                                    // [4, 10, 18]
 * vmap(trace((w, x) => w.mul(x)), { inAxes: [null, 0] })(2, [1, 2]); // [2, 4]
 */
export function vmap<A extends readonly unknown[], R>(f: Traced<A, R>, options?: { readonly size?: number }): Traced<{ [K in keyof A]: BatchedFun<A[K]> }, BatchedFun<R>>;
export function vmap<const A extends readonly SFun<string>[], R>(f: (...args: A) => R, options?: { readonly size?: number }): Traced<{ [K in keyof A]: BatchedFun<A[K]> }, BatchedFun<R>>;
export function vmap(f: unknown, options?: VmapOptions): UntypedTraced;
export function vmap(f: unknown, options?: VmapOptions): unknown {
  const { inAxes: givenIn, outAxes: givenOut, size: fixedSize } = checkOptions(options);
  const traced = tracedOf(f, 'vmap');
  const innerStaged = stagedOf(traced);
  if (innerStaged?.valueDependence !== undefined) {
    throw new ConcretizationError(`vmap: the function's control flow reads its inputs' values, so the examples of a batch could take different branches and there is no one batched expression. ${innerStaged.valueDependence.message}`);
  }
  const names = traced.names;
  const innerState = tracedState(traced);
  const trees = innerState?.trees ?? innerStaged!.trees;
  // Per input as given, per leaf symbol as used (a pytree input's axis for each of its leaves).
  const inputAxes = perEntry(givenIn, names.length, 'inAxes');
  const inAxes = leafRanges(trees).flatMap((range, i) => range.map(() => inputAxes[i]!));
  const outAxes = givenOut === undefined || givenOut === null || typeof givenOut === 'number' ? undefined : perEntry(givenOut, givenOut.length, 'outAxes');
  const outFor = (inner: TracedState) => outAxes ?? (givenOut === undefined ? undefined : perEntry(givenOut, inner.leaves.length, 'outAxes'));
  if (inAxes.every((a) => a === null) && fixedSize === undefined) throw new TypegradError('vmap: no input is batched (every inAxes entry is null), so the batch size must be given: { size }');

  if (innerState !== undefined && fixedSize !== undefined) return tracedFunction(batchedState(innerState, fixedSize, inAxes, outFor(innerState)));

  /** The leaves' names: the symbols' where known, else the input's name with the leaf's index. */
  const leafNames = innerState?.symbols.map((s) => s.node.name) ?? innerStaged!.symbols?.map((s) => s.node.name) ?? leafRanges(trees).flatMap((range, i) => range.map((_, k) => (range.length === 1 ? names[i]! : `${names[i]} leaf ${k}`)));
  const made = new WeakMap<TracedState, Map<number, TracedState>>();
  let count = 0;
  const batchedFor = (inner: TracedState, size: number): TracedState => {
    let sizes = made.get(inner);
    if (sizes === undefined) made.set(inner, (sizes = new Map()));
    let state = sizes.get(size);
    if (state === undefined) {
      sizes.set(size, (state = batchedState(inner, size, inAxes, outFor(inner))));
      count++;
    }
    return state;
  };
  /** One example's expression for per-example shapes. */
  const innerFor = (shapes: readonly Shape[]): TracedState => {
    if (innerState === undefined) return innerStaged!.symbolic(shapes);
    innerState.symbols.forEach((s, i) => {
      if (!sameShape(s.node.shape, shapes[i]!)) {
        throw new TypegradError(`vmap: input '${s.node.name}' is a ${describeShape(s.node.shape)} per example, got ${describeShape(shapes[i]!)}${inAxes[i] === null ? '' : ` (with the batch axis ${inAxes[i]} taken out)`}`);
      }
    });
    return innerState;
  };
  const symbolic = (shapes: readonly Shape[]): TracedState => {
    let size = fixedSize;
    const perExample = shapes.map((shape, i) => {
      const given = inAxes[i];
      if (given === null) return shape;
      const axis = normalizedAxis(given!, shape.length, `inAxes for input '${leafNames[i]}' (a ${describeShape(shape)})`);
      if (size === undefined) size = shape[axis]!;
      else if (shape[axis] !== size) {
        throw new TypegradError(`vmap: input '${leafNames[i]}' has ${shape[axis]} examples along axis ${axis}, but ${fixedSize !== undefined ? 'size is' : 'another input has'} ${size}`);
      }
      return withoutAxis(shape, axis);
    });
    return batchedFor(innerFor(perExample), size!);
  };
  const staged: Staged = {
    names,
    trees,
    symbols: undefined,
    valueDependence: undefined,
    noExpression: 'vmap: a vmap has an expression per batch size, made at its first call with that size; call it, or give { size } for one expression now',
    symbolic,
    atPoint: (args) => symbolic(flattenArguments(names, trees, args, 'vmap').map((value, i) => argumentShape(value, i))),
    specialisations: () => count,
  };
  /** The shape of an argument; flat data is read against the input's shape per example, when known. */
  const argumentShape = (value: unknown, i: number): Shape => {
    if (value instanceof Fun) return value.node.shape;
    const flat = value instanceof Float64Array || value instanceof Float32Array;
    const symbol = innerState?.symbols[i];
    if (flat && symbol !== undefined) {
      const exampleShape = symbol.node.shape;
      const given = inAxes[i];
      if (given === null) return exampleShape;
      const per = elementCount(exampleShape);
      if (value.length % per !== 0) throw new TypegradError(`vmap: input '${leafNames[i]}' takes ${describeShape(exampleShape)} per example (${per} values), got flat data of ${value.length} values`);
      return withAxis(exampleShape, normalizedAxis(given!, exampleShape.length + 1, `inAxes for input '${leafNames[i]}'`), value.length / per);
    }
    const shape = shapeOfValue(value);
    if (typeof shape === 'string') throw new TypegradError(`vmap: input '${leafNames[i]}' must be a number or a tensor (nested arrays), got ${shape}`);
    return shape;
  };
  return stagedFunction(staged);
}
