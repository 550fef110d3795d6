/**
 * Convolution and pooling of image batches in TensorFlow's layouts (input NHWC [batch, height,
 * width, channels], kernel HWIO [height, width, in channels, out channels]), with output
 * shapes computed by the type checker where dimensions are literals:
 * `conv2d(TVar('x', [64, 28, 28, 1]), TVar('k', [5, 5, 1, 6]))` is a `TFun<[64, 24, 24, 6]>`.
 * A kernel whose input channels differ from the input's, or a window larger than the padded
 * input, is a compile error naming both shapes, and a run-time TypegradError in the same words
 * when a dimension is known only then.
 */
import { TypegradError } from '../ad/errors.js';
import { convolutionProblem, convolutionWindow, pairOf, poolingProblem, poolingWindow, resolvePadding } from '../ad/primitives/windows.js';
import { describeValue } from './record.js';
import type { FunOf, OperandVars, ShapeOf } from './tensor.js';
import type { Conv2dCheck, Conv2dOptions, Conv2dResult, Pair, Pool2dCheck, Pool2dOptions, Pool2dResult, ShapeResult } from './window-types.js';
import { applyFuns, applyTo, toFun, type AnyFun } from './wrap.js';

/** The options object (or an empty one), checked to be an object with only known keys. */
function optionsOf(options: unknown, known: readonly string[], operation: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypegradError(`${operation}: options must be an object, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypegradError(`${operation}: unknown option '${key}' (the options are ${known.join(', ')})`);
  }
  return options as Record<string, unknown>;
}

/**
 * The attrs of a convolution of an input of shape `x` by a kernel of shape `k` with the caller's
 * options: strides, padding resolved to explicit numbers ('same' needs the input's size), dilations.
 * The shapes themselves are not checked here (see `convolutionProblem`).
 */
export function resolveConvolution(x: readonly number[], k: readonly number[], options: unknown, operation = 'conv2d'): number[] {
  const o = optionsOf(options, ['strides', 'padding', 'dilations'], operation);
  const strides = pairOf(o['strides'], 1, 'strides', operation);
  const dilations = pairOf(o['dilations'], 1, 'dilations', operation);
  const kernel: [number, number] = [k[0] ?? 1, k[1] ?? 1];
  return [...strides, ...resolvePadding(o['padding'], [x[1] ?? 1, x[2] ?? 1], kernel, strides, dilations, operation), ...dilations];
}

/** The attrs of pooling an input of shape `x` with a window and the caller's options (strides default to the window); the shape is not checked here. */
export function resolvePooling(x: readonly number[], window: unknown, options: unknown, operation: string): number[] {
  const o = optionsOf(options, ['strides', 'padding'], operation);
  if (window === undefined) throw new TypegradError(`${operation}: expected a window size (a positive integer or [rows, columns])`);
  const size = pairOf(window, 1, 'the window', operation);
  const strides = pairOf(o['strides'] ?? size, 1, 'strides', operation);
  const attrs = [...size, ...strides, ...resolvePadding(o['padding'], [x[1] ?? 1, x[2] ?? 1], size, strides, [1, 1], operation)];
  poolingWindow(operation, attrs);
  return attrs;
}

/**
 * 2-D convolution (a cross-correlation, as in TensorFlow): `input` [N, H, W, C] by `kernel`
 * [KH, KW, C, O] → [N, OH, OW, O], OH = ⌊(H + padding − ((KH − 1)·dilation + 1)) / stride⌋ + 1
 * (⌈H / stride⌉ with `padding: 'same'`). Options: `strides`, `padding` ('valid' by default,
 * 'same', or explicit numbers) and `dilations`.
 * @example conv2d(TVar('x', [64, 28, 28, 1]), TVar('k', [5, 5, 1, 6])) // TFun<[64, 24, 24, 6], 'x' | 'k'>
 */
export function conv2d<X extends AnyFun, K extends AnyFun, const O extends Conv2dOptions = {}>(
  input: X,
  kernel: K & Conv2dCheck<ShapeOf<X>, ShapeOf<K>, O>,
  options?: O,
): FunOf<ShapeResult<Conv2dResult<ShapeOf<X>, ShapeOf<K>, O>>, OperandVars<X> | OperandVars<K>> {
  const [x, k] = [toFun(input, 'conv2d'), toFun(kernel, 'conv2d')];
  const attrs = resolveConvolution(x.node.shape, k.node.shape, options);
  const problem = convolutionProblem(x.node.shape, k.node.shape, convolutionWindow('conv2d', k.node.shape[0] ?? 1, k.node.shape[1] ?? 1, attrs));
  if (problem !== undefined) throw new TypegradError(`conv2d: ${problem}`);
  return applyFuns('conv2d', [x, k], attrs) as FunOf<ShapeResult<Conv2dResult<ShapeOf<X>, ShapeOf<K>, O>>, OperandVars<X> | OperandVars<K>>;
}

/**
 * Max pooling: the largest element of each window of each channel, `input` [N, H, W, C] →
 * [N, OH, OW, C]. `window` is one size or [rows, columns]; strides default to the window. Its
 * derivative goes to each window's arg-max; at ties, to the first maximum in row-major order
 * (TensorFlow's rule).
 * @example maxPool2d(TVar('x', [64, 24, 24, 6]), 2) // TFun<[64, 12, 12, 6], 'x'>
 */
export function maxPool2d<X extends AnyFun, const W extends Pair, const O extends Pool2dOptions = {}>(
  input: X & Pool2dCheck<ShapeOf<X>, W, O>,
  window: W,
  options?: O,
): FunOf<ShapeResult<Pool2dResult<ShapeOf<X>, W, O>>, OperandVars<X>> {
  return pool('maxPool2d', input, window, options) as FunOf<ShapeResult<Pool2dResult<ShapeOf<X>, W, O>>, OperandVars<X>>;
}

/**
 * Average pooling: the mean of each window of each channel (padding not counted, as in
 * TensorFlow), `input` [N, H, W, C] → [N, OH, OW, C]; options as `maxPool2d`.
 * @example avgPool2d(TVar('x', [64, 24, 24, 6]), 2) // TFun<[64, 12, 12, 6], 'x'>
 */
export function avgPool2d<X extends AnyFun, const W extends Pair, const O extends Pool2dOptions = {}>(
  input: X & Pool2dCheck<ShapeOf<X>, W, O>,
  window: W,
  options?: O,
): FunOf<ShapeResult<Pool2dResult<ShapeOf<X>, W, O>>, OperandVars<X>> {
  return pool('avgPool2d', input, window, options) as FunOf<ShapeResult<Pool2dResult<ShapeOf<X>, W, O>>, OperandVars<X>>;
}

/** Pooling of a Fun, its shape checked in the words of the compile-time message. */
function pool(operation: 'maxPool2d' | 'avgPool2d', input: unknown, window: unknown, options: unknown): AnyFun {
  const x = toFun(input, operation);
  const attrs = resolvePooling(x.node.shape, window, options, operation);
  const problem = poolingProblem(x.node.shape, poolingWindow(operation, attrs));
  if (problem !== undefined) throw new TypegradError(`${operation}: ${problem}`);
  return applyTo(operation, x, attrs);
}
