/**
 * Compile-time shape checks of convolution and pooling: the rules of `src/typelevel/window.ts`
 * turned into the messages a user reads, in the words the operations throw at run time
 * (`convolutionProblem` and `poolingProblem` in src/ad/primitives/windows.ts) when a dimension
 * is known only then. Each check is `unknown` when the shapes fit.
 */
import type { Conv2dShape, DropAxes, ElementCount, Mutable, NormalizeAxis, PairOf, Pool2dShape, Shape, ShapeFault, TakeAxes } from '../typelevel/index.js';
import type { DescribeShape } from './shape-types.js';

/** Padding as a caller writes it: `'valid'` (none), `'same'`, one number, `[rows, columns]` or `[[top, bottom], [left, right]]`. @example const padding: Padding = 'same'; */
export type Padding = 'valid' | 'same' | number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** One number for both axes, or `[rows, columns]`. @example const strides: Pair = [2, 1]; */
export type Pair = number | readonly [number, number];

/**
 * Options of `conv2d`: strides and dilations (1 by default) and padding (`'valid'` by default).
 * @example conv2d(x, k, { strides: 2, padding: 'same' })
 */
export interface Conv2dOptions {
  readonly strides?: Pair;
  readonly padding?: Padding;
  readonly dilations?: Pair;
}

/**
 * Options of `maxPool2d` and `avgPool2d`: strides (the window by default) and padding (`'valid'`
 * by default; padding holds no element: max pooling ignores it, average pooling does not count it).
 * @example maxPool2d(x, 3, { strides: 2, padding: 'same' })
 */
export interface Pool2dOptions {
  readonly strides?: Pair;
  readonly padding?: Padding;
}

/** An option's type, `undefined` when the options leave it out. */
type OptionOf<O, Key extends string> = Key extends keyof O ? O[Key] : undefined;

/** The shape of `conv2d(x, k, options)` for shapes `X`, `K` and options `O` (a `ShapeFault` when it has none). @example Conv2dResult<[64, 28, 28, 1], [5, 5, 1, 6], {}> // [64, 24, 24, 6] */
export type Conv2dResult<X extends Shape, K extends Shape, O> = Conv2dShape<X, K, OptionOf<O, 'strides'>, OptionOf<O, 'padding'>, OptionOf<O, 'dilations'>>;

/** The shape of pooling `X` with window `W` and options `O`. @example Pool2dResult<[64, 24, 24, 6], 2, {}> // [64, 12, 12, 6] */
export type Pool2dResult<X extends Shape, W, O> = Pool2dShape<X, W, OptionOf<O, 'strides'>, OptionOf<O, 'padding'>>;

/** The result shape of a rule that holds (`never` for a fault: the call is an error then). */
export type ShapeResult<R> = R extends ShapeFault ? never : R extends Shape ? Mutable<R> : never;

/**
 * Why `conv2d` of an input of shape `X` by a kernel of shape `K` with options `O` has no result,
 * as a message; `unknown` when it has one.
 * @example
 * Conv2dCheck<[64, 28, 28, 1], [5, 5, 3, 6], {}> // 'shape mismatch: cannot convolve tensor[64×28×28×1] with the kernel tensor[5×5×3×6] (input channels 1 and 3)'
 * Conv2dCheck<[64, 4, 4, 1], [5, 5, 1, 6], {}>   // 'shape mismatch: cannot convolve tensor[64×4×4×1] with the kernel tensor[5×5×1×6] (the 5×5 window does not fit in the padded 4×4)'
 */
export type Conv2dCheck<X extends Shape, K extends Shape, O> = Conv2dMessage<X, K, Conv2dResult<X, K, O>>;

type Conv2dMessage<X extends Shape, K extends Shape, R> =
  R extends ShapeFault<infer Kind, infer Detail>
    ? Kind extends 'input rank'
      ? `shape mismatch: conv2d takes an input [batch, height, width, channels], got ${DescribeShape<X>}`
      : Kind extends 'kernel rank'
        ? `shape mismatch: conv2d takes a kernel [height, width, in channels, out channels], got ${DescribeShape<K>}`
        : `shape mismatch: cannot convolve ${DescribeShape<X>} with the kernel ${DescribeShape<K>} ${Kind extends 'channels' ? ChannelDetail<Detail> : WindowDetail<Detail>}`
    : unknown;

type ChannelDetail<Detail> = Detail extends readonly [infer C extends number, infer KC extends number] ? `(input channels ${C} and ${KC})` : '';

type WindowDetail<Detail> =
  Detail extends readonly [infer EH extends number, infer EW extends number, infer PH extends number, infer PW extends number] ? `(the ${EH}×${EW} window does not fit in the padded ${PH}×${PW})` : '';

/**
 * Why pooling an input of shape `X` with window `W` and options `O` has no result, as a message;
 * `unknown` when it has one.
 * @example Pool2dCheck<[64, 1, 1, 6], 2, {}> // 'shape mismatch: cannot pool tensor[64×1×1×6] (the 2×2 window does not fit in the padded 1×1)'
 */
export type Pool2dCheck<X extends Shape, W, O> = Pool2dMessage<X, Pool2dResult<X, W, O>>;

type Pool2dMessage<X extends Shape, R> =
  R extends ShapeFault<infer Kind, infer Detail>
    ? Kind extends 'input rank'
      ? `shape mismatch: pooling takes an input [batch, height, width, channels], got ${DescribeShape<X>}`
      : `shape mismatch: cannot pool ${DescribeShape<X>} ${WindowDetail<Detail>}`
    : unknown;

/** The window size as a pair. @example WindowOf<2> // [2, 2] */
export type WindowOf<W> = PairOf<W, number>;

/**
 * The shape of `flatten(startAxis)`: the axes before `Axis` kept, the rest joined into one.
 * @example FlattenedShape<[64, 4, 4, 16], 1> // [64, 256]
 */
export type FlattenedShape<S extends Shape, Axis extends number> =
  number extends S['length']
    ? number[]
    : NormalizeAxis<Axis, S['length']> extends infer A extends number
      ? number extends A ? number[] : [...TakeAxes<S, A>, ElementCount<DropAxes<S, A>>]
      : never;
