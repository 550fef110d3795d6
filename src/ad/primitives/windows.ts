/**
 * The geometry of a 2-D window sliding over images stored NHWC ([batch, height, width,
 * channels], TensorFlow's default layout), shared by the convolution and pooling primitives and
 * by the typed API that resolves `'same'` and `'valid'` into explicit padding.
 *
 * Along one axis, a window of `size` taps `dilation` apart covers an extent of
 * (size − 1)·dilation + 1 elements; the input, padded with `before` and `after` elements, fits
 * ⌊(padded − extent) / stride⌋ + 1 positions of it, the first at −before. TensorFlow's
 * `'same'` padding gives ⌈input / stride⌉ positions, the padding split evenly with the odd
 * element after (bottom, right).
 *
 * Attrs, as the records store them:
 * - convolution: [strideH, strideW, padTop, padBottom, padLeft, padRight, dilationH, dilationW];
 * - pooling: [windowH, windowW, strideH, strideW, padTop, padBottom, padLeft, padRight].
 */
import { TypegradError } from '../errors.js';
import { describeShape, type Shape } from '../shape.js';

/** A window's taps, strides, padding and dilations (rows first, then columns). */
export interface Window2d {
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
}

/** A window placed on an input: its sizes and the result's. */
export interface WindowGeometry extends Window2d {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/** The number of attrs a convolution carries (strides, padding, dilations). */
export const CONVOLUTION_ATTRS = 8;
/** The number of attrs a pooling carries (window, strides, padding). */
export const POOLING_ATTRS = 8;

/** The elements a window of `size` taps `dilation` apart covers. */
export function windowExtent(size: number, dilation: number): number {
  return (size - 1) * dilation + 1;
}

/** The positions of a window along one axis, or 0 when it does not fit in the padded input. */
export function windowPositions(input: number, size: number, stride: number, before: number, after: number, dilation: number): number {
  const padded = input + before + after;
  const extent = windowExtent(size, dilation);
  return padded < extent ? 0 : Math.floor((padded - extent) / stride) + 1;
}

const isNatural = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isPositive = (n: unknown): n is number => isNatural(n) && n >= 1;

function checkAttrs(operation: string, values: readonly number[], what: string, positive: boolean): void {
  const valid = (n: number) => (positive ? isPositive(n) : isNatural(n));
  if (!values.every(valid)) {
    throw new TypegradError(`${operation}: ${what} must be ${positive ? 'positive integers' : 'natural numbers'}, got [${values.join(', ')}]`);
  }
}

/** A convolution's window from its kernel's [height, width] and its attrs, checked. */
export function convolutionWindow(operation: string, kernelHeight: number, kernelWidth: number, attrs: readonly number[]): Window2d {
  if (attrs.length !== CONVOLUTION_ATTRS) throw new TypegradError(`${operation}: expected ${CONVOLUTION_ATTRS} attrs (strides, padding, dilations), got [${attrs.join(', ')}]`);
  const [strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight, dilationWidth] = attrs as [number, number, number, number, number, number, number, number];
  checkAttrs(operation, [strideHeight, strideWidth], 'strides', true);
  checkAttrs(operation, [padTop, padBottom, padLeft, padRight], 'paddings', false);
  checkAttrs(operation, [dilationHeight, dilationWidth], 'dilations', true);
  return { kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight, dilationWidth };
}

/**
 * A pooling's window from its attrs, checked. Padding is where no element is (max pooling
 * ignores it, average pooling does not count it), so it must be smaller than the window: a
 * window of padding alone would have no value.
 */
export function poolingWindow(operation: string, attrs: readonly number[]): Window2d {
  if (attrs.length !== POOLING_ATTRS) throw new TypegradError(`${operation}: expected ${POOLING_ATTRS} attrs (window, strides, padding), got [${attrs.join(', ')}]`);
  const [kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padBottom, padLeft, padRight] = attrs as [number, number, number, number, number, number, number, number];
  checkAttrs(operation, [kernelHeight, kernelWidth], 'window sizes', true);
  checkAttrs(operation, [strideHeight, strideWidth], 'strides', true);
  checkAttrs(operation, [padTop, padBottom, padLeft, padRight], 'paddings', false);
  if (Math.max(padTop, padBottom) >= kernelHeight || Math.max(padLeft, padRight) >= kernelWidth) {
    throw new TypegradError(`${operation}: padding [${padTop}, ${padBottom}, ${padLeft}, ${padRight}] must be smaller than the ${kernelHeight}×${kernelWidth} window (a window of padding alone has no value)`);
  }
  return { kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight: 1, dilationWidth: 1 };
}

/** The attrs of a pooling window (the inverse of `poolingWindow`). */
export function poolingAttrs(w: Window2d): number[] {
  return [w.kernelHeight, w.kernelWidth, w.strideHeight, w.strideWidth, w.padTop, w.padBottom, w.padLeft, w.padRight];
}

/** The attrs of a convolution window (the inverse of `convolutionWindow`). */
export function convolutionAttrs(w: Window2d): number[] {
  return [w.strideHeight, w.strideWidth, w.padTop, w.padBottom, w.padLeft, w.padRight, w.dilationHeight, w.dilationWidth];
}

/**
 * Why a window has no result on an input, for messages: a rank, the channels that differ, or
 * the window's extent and the padded input's size (`'5×5'`, `'4×4'`).
 */
export type WindowFault =
  | { readonly kind: 'input rank' }
  | { readonly kind: 'kernel rank' }
  | { readonly kind: 'channels'; readonly input: number; readonly kernel: number }
  | { readonly kind: 'window'; readonly window: string; readonly padded: string };

/** The window's fault on an NHWC input of [height, width] along either axis, or undefined when it fits. */
function fitFault(w: Window2d, height: number, width: number): WindowFault | undefined {
  const fits = windowPositions(height, w.kernelHeight, w.strideHeight, w.padTop, w.padBottom, w.dilationHeight) > 0
    && windowPositions(width, w.kernelWidth, w.strideWidth, w.padLeft, w.padRight, w.dilationWidth) > 0;
  if (fits) return undefined;
  return {
    kind: 'window',
    window: `${windowExtent(w.kernelHeight, w.dilationHeight)}×${windowExtent(w.kernelWidth, w.dilationWidth)}`,
    padded: `${height + w.padTop + w.padBottom}×${width + w.padLeft + w.padRight}`,
  };
}

/** Why a convolution of an input of shape `x` by a kernel of shape `k` has no result, or undefined. */
export function convolutionFault(x: Shape, k: Shape, w: Window2d): WindowFault | undefined {
  if (x.length !== 4) return { kind: 'input rank' };
  if (k.length !== 4) return { kind: 'kernel rank' };
  if (x[3] !== k[2]) return { kind: 'channels', input: x[3]!, kernel: k[2]! };
  return fitFault(w, x[1]!, x[2]!);
}

/** Why pooling an input of shape `x` with window `w` has no result, or undefined. */
export function poolingFault(x: Shape, w: Window2d): WindowFault | undefined {
  return x.length !== 4 ? { kind: 'input rank' } : fitFault(w, x[1]!, x[2]!);
}

/**
 * Why a convolution of an input of `x`'s shape with a kernel of `k`'s shape has no result, in
 * the words of the compile-time message (`Conv2dCheck`), or undefined when it has one.
 */
export function convolutionProblem(x: Shape, k: Shape, w: Window2d): string | undefined {
  const fault = convolutionFault(x, k, w);
  if (fault === undefined) return undefined;
  const start = `shape mismatch: cannot convolve ${describeShape(x)} with the kernel ${describeShape(k)}`;
  switch (fault.kind) {
    case 'input rank':
      return `shape mismatch: conv2d takes an input [batch, height, width, channels], got ${describeShape(x)}`;
    case 'kernel rank':
      return `shape mismatch: conv2d takes a kernel [height, width, in channels, out channels], got ${describeShape(k)}`;
    case 'channels':
      return `${start} (input channels ${fault.input} and ${fault.kernel})`;
    case 'window':
      return `${start} (the ${fault.window} window does not fit in the padded ${fault.padded})`;
  }
}

/**
 * Why pooling an input of `x`'s shape with window `w` has no result, in the words of the
 * compile-time message (`Pool2dCheck`), or undefined when it has one.
 */
export function poolingProblem(x: Shape, w: Window2d): string | undefined {
  const fault = poolingFault(x, w);
  if (fault === undefined) return undefined;
  if (fault.kind === 'window') return `shape mismatch: cannot pool ${describeShape(x)} (the ${fault.window} window does not fit in the padded ${fault.padded})`;
  return `shape mismatch: pooling takes an input [batch, height, width, channels], got ${describeShape(x)}`;
}

/** The window placed on an NHWC input of `shape` (which must fit: see the problems above). */
export function placeWindow(w: Window2d, shape: Shape): WindowGeometry {
  const [batch, height, width] = shape as [number, number, number, number];
  return {
    ...w,
    batch,
    height,
    width,
    outHeight: windowPositions(height, w.kernelHeight, w.strideHeight, w.padTop, w.padBottom, w.dilationHeight),
    outWidth: windowPositions(width, w.kernelWidth, w.strideWidth, w.padLeft, w.padRight, w.dilationWidth),
  };
}

/**
 * Padding as a caller writes it: `'valid'` (none), `'same'` (TensorFlow's: ⌈input / stride⌉
 * positions), one number for every side, `[rows, columns]` for both sides of each, or
 * `[[top, bottom], [left, right]]`.
 */
export type PaddingOption = 'valid' | 'same' | number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** One number, or one per axis [rows, columns]. */
export type PairOption = number | readonly [number, number];

/** `[rows, columns]` from a number or a pair, checked to be positive integers. */
export function pairOf(option: unknown, fallback: number, what: string, operation: string): [number, number] {
  const value = option === undefined ? fallback : option;
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every(isPositive)) {
    throw new TypegradError(`${operation}: ${what} must be a positive integer or a pair [rows, columns] of them, got ${JSON.stringify(option)}`);
  }
  return pair as [number, number];
}

/** TensorFlow's 'same' padding along one axis: [before, after]. */
function samePadding(input: number, size: number, stride: number, dilation: number): [number, number] {
  const positions = Math.ceil(input / stride);
  const total = Math.max((positions - 1) * stride + windowExtent(size, dilation) - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * [top, bottom, left, right] for a padding option, a window of `size` [rows, columns] with
 * `strides` and `dilations`, on an input of [height, width].
 */
export function resolvePadding(option: unknown, input: readonly [number, number], size: readonly [number, number], strides: readonly [number, number], dilations: readonly [number, number], operation: string): [number, number, number, number] {
  const padding = option === undefined ? 'valid' : option;
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') return [...samePadding(input[0], size[0], strides[0], dilations[0]), ...samePadding(input[1], size[1], strides[1], dilations[1])];
  if (isNatural(padding)) return [padding, padding, padding, padding];
  if (Array.isArray(padding) && padding.length === 2) {
    if (padding.every(isNatural)) return [padding[0], padding[0], padding[1], padding[1]];
    if (padding.every((p) => Array.isArray(p) && p.length === 2 && p.every(isNatural))) {
      const [[top, bottom], [left, right]] = padding as [[number, number], [number, number]];
      return [top, bottom, left, right];
    }
  }
  throw new TypegradError(
    `${operation}: padding must be 'valid', 'same', a natural number, [rows, columns] or [[top, bottom], [left, right]], got ${JSON.stringify(option)}`,
  );
}
