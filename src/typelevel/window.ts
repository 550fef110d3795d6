/**
 * The shape rules of 2-D windows sliding over NHWC images, computed by the type checker:
 * convolution and pooling output sizes from literal dimensions, with the generated digit
 * arithmetic. The run-time rules are in `src/ad/primitives/windows.ts`; the words of the
 * messages are in `src/api/window-types.ts`.
 *
 * Along one axis, a window of `Size` taps `Dilation` apart covers (Size − 1)·Dilation + 1
 * elements, and fits ⌊(Input + Before + After − extent) / Stride⌋ + 1 times in the padded
 * input; `'same'` padding gives ⌈Input / Stride⌉ positions. A dimension `number` (known only at
 * run time) gives `number`.
 */
import type { Add, Mul, Sub } from './arithmetic.js';
import type { Lt } from './comparison.js';
import type { LongDivision, NaturalDigits, NumberFromReversedDigits } from './digits.js';
import type { NonNaturalResult, OperandKind } from './literal.js';
import type { Shape, ShapeFault } from './shape.js';

/**
 * ⌊A / B⌋ for natural A and positive B (`never` for B = 0).
 * @example
 * FloorDiv<23, 2>     // 11
 * FloorDiv<number, 2> // number
 */
export type FloorDiv<A extends number, B extends number> =
  A extends unknown
    ? B extends unknown
      ? OperandKind<A, B> extends 'natural'
        ? B extends 0
          ? never
          : LongDivision<`${A}`, NaturalDigits<B>> extends [infer Quotient extends string, string] ? NumberFromReversedDigits<Quotient> : never
        : NonNaturalResult<A, B, number>
      : never
    : never;

/**
 * ⌈A / B⌉ for natural A and positive B (`never` for B = 0).
 * @example
 * CeilDiv<28, 3> // 10
 * CeilDiv<28, 2> // 14
 */
export type CeilDiv<A extends number, B extends number> =
  A extends unknown
    ? B extends unknown
      ? OperandKind<A, B> extends 'natural'
        ? B extends 0
          ? never
          : LongDivision<`${A}`, NaturalDigits<B>> extends [infer Quotient extends string, infer Remainder extends string]
            ? Remainder extends '0' ? NumberFromReversedDigits<Quotient> : Add<NumberFromReversedDigits<Quotient>, 1>
            : never
        : NonNaturalResult<A, B, number>
      : never
    : never;

/**
 * The elements a window of `Size` taps `Dilation` apart covers: (Size − 1)·Dilation + 1.
 * @example WindowExtent<5, 2> // 9
 */
export type WindowExtent<Size extends number, Dilation extends number> = Add<Mul<Sub<Size, 1>, Dilation>, 1>;

/** Padding along one axis: `[before, after]`, or `'same'`. */
export type AxisPadding = 'same' | readonly [number, number];

/**
 * The positions of a window along one axis: ⌈Input / Stride⌉ for `'same'` padding, else
 * ⌊(Input + Before + After − extent) / Stride⌋ + 1; `never` when the window does not fit.
 * @example
 * WindowPositions<28, 5, 1, [0, 0], 1> // 24
 * WindowPositions<28, 3, 2, 'same', 1> // 14
 * WindowPositions<4, 5, 1, [0, 0], 1>  // never
 */
export type WindowPositions<Input extends number, Size extends number, Stride extends number, Padding extends AxisPadding, Dilation extends number> =
  Padding extends 'same'
    ? CeilDiv<Input, Stride>
    : Padding extends readonly [infer Before extends number, infer After extends number]
      ? PositionsInPadded<Add<Add<Input, Before>, After>, WindowExtent<Size, Dilation>, Stride>
      : number;

type PositionsInPadded<Padded extends number, Extent extends number, Stride extends number> =
  Lt<Padded, Extent> extends true ? never : Add<FloorDiv<Sub<Padded, Extent>, Stride>, 1>;

/** The padded size along one axis (the input itself for `'same'`, whose window always fits). */
export type PaddedSize<Input extends number, Padding extends AxisPadding> =
  Padding extends readonly [infer Before extends number, infer After extends number] ? Add<Add<Input, Before>, After> : Input;

/**
 * Padding as a caller writes it (`'valid'`, `'same'`, one number, `[rows, columns]`,
 * `[[top, bottom], [left, right]]`, or nothing for `'valid'`) as the padding of each axis.
 * @example
 * PaddingOfAxes<2>                  // [[2, 2], [2, 2]]
 * PaddingOfAxes<[[1, 0], [0, 1]]>   // [[1, 0], [0, 1]]
 */
export type PaddingOfAxes<Padding> =
  [Padding] extends ['same']
    ? ['same', 'same']
    : [Padding] extends ['valid' | undefined]
      ? [[0, 0], [0, 0]]
      : [Padding] extends [number]
        ? [[Padding, Padding], [Padding, Padding]]
        : [Padding] extends [readonly [infer Rows extends number, infer Columns extends number]]
          ? [[Rows, Rows], [Columns, Columns]]
          : [Padding] extends [readonly [infer Rows extends readonly [number, number], infer Columns extends readonly [number, number]]]
            ? [Rows, Columns]
            : [[number, number], [number, number]];

/**
 * One number or `[rows, columns]` (strides, dilations, window sizes) as a pair, `Default` for both when absent.
 * @example PairOf<2, 1> // [2, 2]
 */
export type PairOf<P, Default extends number> =
  [P] extends [undefined]
    ? [Default, Default]
    : [P] extends [number]
      ? [P, P]
      : [P] extends [readonly [infer Rows extends number, infer Columns extends number]] ? [Rows, Columns] : [number, number];

/**
 * The output [height, width] of a window of `Size` [rows, columns] over an input of [height,
 * width]; on failure a `ShapeFault<'window', [extent rows, extent columns, padded rows, padded columns]>`.
 */
export type WindowOutput<
  Height extends number, Width extends number, Size extends readonly [number, number], Strides extends readonly [number, number],
  Padding extends readonly [AxisPadding, AxisPadding], Dilations extends readonly [number, number],
> =
  [WindowPositions<Height, Size[0], Strides[0], Padding[0], Dilations[0]>, WindowPositions<Width, Size[1], Strides[1], Padding[1], Dilations[1]>] extends [
    infer Rows extends number,
    infer Columns extends number,
  ]
    ? [Rows] extends [never]
      ? WindowFault<Height, Width, Size, Padding, Dilations>
      : [Columns] extends [never]
        ? WindowFault<Height, Width, Size, Padding, Dilations>
        : [Rows, Columns]
    : never;

type WindowFault<Height extends number, Width extends number, Size extends readonly [number, number], Padding extends readonly [AxisPadding, AxisPadding], Dilations extends readonly [number, number]> =
  ShapeFault<'window', [WindowExtent<Size[0], Dilations[0]>, WindowExtent<Size[1], Dilations[1]>, PaddedSize<Height, Padding[0]>, PaddedSize<Width, Padding[1]>]>;

/**
 * The shape of `conv2d` of an input `X` [N, H, W, C] by a kernel `K` [KH, KW, C, O] with
 * strides, padding and dilations as a caller writes them: [N, OH, OW, O]. On failure a
 * `ShapeFault` of kind `'input rank'`, `'kernel rank'`, `'channels'` ([C, kernel's C]) or `'window'`.
 * @example
 * Conv2dShape<[64, 28, 28, 1], [5, 5, 1, 6], 1, 'valid', 1> // [64, 24, 24, 6]
 * Conv2dShape<[64, 28, 28, 1], [3, 3, 1, 8], 2, 'same', 1>  // [64, 14, 14, 8]
 */
export type Conv2dShape<X extends Shape, K extends Shape, Strides, Padding, Dilations> =
  number extends X['length'] | K['length']
    ? number[]
    : X extends readonly [infer N extends number, infer H extends number, infer W extends number, infer C extends number]
      ? K extends readonly [infer KH extends number, infer KW extends number, infer KC extends number, infer O extends number]
        ? SameChannels<C, KC> extends false
          ? ShapeFault<'channels', [C, KC]>
          : WindowOutput<H, W, [KH, KW], PairOf<Strides, 1>, PaddingOfAxes<Padding>, PairOf<Dilations, 1>> extends infer Out
            ? Out extends readonly [infer OH extends number, infer OW extends number] ? [N, OH, OW, O] : Out
            : never
        : ShapeFault<'kernel rank'>
      : ShapeFault<'input rank'>;

/** `false` only for two different literals. */
type SameChannels<A extends number, B extends number> = number extends A | B ? true : [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The shape of pooling an input `X` [N, H, W, C] with a window of `Size` (one number or
 * [rows, columns]), strides (the window by default) and padding: [N, OH, OW, C]; on failure a
 * `ShapeFault` of kind `'input rank'` or `'window'`.
 * @example
 * Pool2dShape<[64, 24, 24, 6], 2, undefined, 'valid'> // [64, 12, 12, 6]
 * Pool2dShape<[64, 5, 5, 6], 2, undefined, 'same'>    // [64, 3, 3, 6]
 */
export type Pool2dShape<X extends Shape, Size, Strides, Padding> =
  number extends X['length']
    ? number[]
    : X extends readonly [infer N extends number, infer H extends number, infer W extends number, infer C extends number]
      ? PairOf<Size, number> extends infer Window extends readonly [number, number]
        ? WindowOutput<H, W, Window, [Strides] extends [undefined] ? Window : PairOf<Strides, 1>, PaddingOfAxes<Padding>, [1, 1]> extends infer Out
          ? Out extends readonly [infer OH extends number, infer OW extends number] ? [N, OH, OW, C] : Out
          : never
        : never
      : ShapeFault<'input rank'>;
