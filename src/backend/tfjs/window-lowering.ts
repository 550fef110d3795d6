/**
 * The TensorFlow.js lowering of the convolution and pooling primitives, on every engine
 * (tensorflow, wasm, cpu):
 * - conv2d: tf.conv2d with explicit padding (a kernel with dilations is first dilated with
 *   zeros when the strides are not 1 too: tf.conv2d takes one or the other);
 * - conv2dBackpropInput: tf.conv2dTranspose (TensorFlow's Conv2DBackpropInput), the kernel
 *   dilated the same way (it takes no dilations);
 * - conv2dBackpropFilter: the engine's Conv2DBackpropFilter kernel where it has one (tensorflow,
 *   cpu); the wasm engine has none (tfjs 4.22), so there each tap of the kernel is one product
 *   of the input's strided slice and the seed, [C, N·OH·OW]·[N·OH·OW, O];
 * - maxPool2d: tf.maxPool of the input padded with −∞; avgPool2d: tf.avgPool of the input padded
 *   with 0, times the window size, over each window's count of elements that are not padding
 *   (TensorFlow's rule, made explicit so that every engine agrees);
 * - maxPool2dGather, maxPool2dScatter and avgPool2dBackprop: over the window's taps in row-major
 *   order, each tap a strided slice of the padded input: the running maximum takes a tap only
 *   when it is strictly larger (the first maximum wins, as in the reference; engines' own
 *   MaxPoolGrad kernels do not all say which maximum they pick), and a scatter places each tap's
 *   share back with pads and reshapes.
 */
import { convolutionGeometry } from '../../ad/primitives/convolution.js';
import { poolingGeometry, windowCounts } from '../../ad/primitives/pooling.js';
import { windowExtent, type WindowGeometry } from '../../ad/primitives/windows.js';
import type { Tensor, Tf } from './elementwise-lowering.js';
import type { TfjsTensorLowering } from './tensor-lowering.js';

type Tensor4 = Parameters<Tf['conv2d']>[0] & Tensor;
type Padding4 = [[number, number], [number, number], [number, number], [number, number]];

/** The explicit NHWC padding of a window. */
function paddingOf(g: WindowGeometry): Padding4 {
  return [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]];
}

const padded = (g: WindowGeometry) => g.padTop + g.padBottom + g.padLeft + g.padRight > 0;

/** A kernel [KH, KW, C, O] with zeros between its taps: the kernel that reads as this one with dilations. */
function dilatedKernel(tf: Tf, k: Tensor, g: WindowGeometry): Tensor {
  if (g.dilationHeight === 1 && g.dilationWidth === 1) return k;
  const [KH, KW, C, O] = k.shape as [number, number, number, number];
  const spread = tf.pad(tf.reshape(k, [KH, 1, KW, 1, C, O]), [[0, 0], [0, g.dilationHeight - 1], [0, 0], [0, g.dilationWidth - 1], [0, 0], [0, 0]]);
  const extent: [number, number] = [windowExtent(KH, g.dilationHeight), windowExtent(KW, g.dilationWidth)];
  return tf.slice(tf.reshape(spread, [KH * g.dilationHeight, KW * g.dilationWidth, C, O]), [0, 0, 0, 0], [...extent, C, O]);
}

/** Whether tf.conv2d takes the window's dilations as they are (it takes dilations only with unit strides). */
const nativeDilations = (g: WindowGeometry) => g.strideHeight === 1 && g.strideWidth === 1;

/** The elements of tap (a, b) of each window: a strided slice of the padded input `x`, [N, OH, OW, C]. */
function tap(tf: Tf, x: Tensor, g: WindowGeometry, a: number, b: number): Tensor {
  const [N, , , C] = x.shape as [number, number, number, number];
  const row = a * g.dilationHeight, column = b * g.dilationWidth;
  const end = [N, row + (g.outHeight - 1) * g.strideHeight + 1, column + (g.outWidth - 1) * g.strideWidth + 1, C];
  return tf.stridedSlice(x, [0, row, column, 0], end, [1, g.strideHeight, g.strideWidth, 1]);
}

/** The inverse of `tap`: v [N, OH, OW, C] placed at tap (a, b) of each window of a padded canvas [N, HP, WP, C], zero elsewhere. */
function place(tf: Tf, v: Tensor, g: WindowGeometry, a: number, b: number): Tensor {
  const [N, OH, OW, C] = v.shape as [number, number, number, number];
  const height = g.height + g.padTop + g.padBottom, width = g.width + g.padLeft + g.padRight;
  let spread = v;
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    const gaps = tf.pad(tf.reshape(v, [N, OH, 1, OW, 1, C]), [[0, 0], [0, 0], [0, g.strideHeight - 1], [0, 0], [0, g.strideWidth - 1], [0, 0]]);
    spread = tf.reshape(gaps, [N, OH * g.strideHeight, OW * g.strideWidth, C]);
  }
  const row = a * g.dilationHeight, column = b * g.dilationWidth;
  const [, spreadHeight, spreadWidth] = spread.shape as [number, number, number, number];
  // The last element lands inside the canvas; what is cut or added after it is zeros.
  const shifted = tf.pad(spread, [[0, 0], [row, Math.max(0, height - row - spreadHeight)], [column, Math.max(0, width - column - spreadWidth)], [0, 0]]);
  return tf.slice(shifted, [0, 0, 0, 0], [N, height, width, C]);
}

/** A padded canvas [N, HP, WP, C] cut back to the input [N, H, W, C]. */
function unpad(tf: Tf, canvas: Tensor, g: WindowGeometry): Tensor {
  const [N, , , C] = canvas.shape as [number, number, number, number];
  return padded(g) ? tf.slice(canvas, [0, g.padTop, g.padLeft, 0], [N, g.height, g.width, C]) : canvas;
}

/** Each window's count of elements that are not padding, [OH, OW, 1], as a constant. */
function countsOf(tf: Tf, g: WindowGeometry): Tensor {
  return tf.tensor(Float32Array.from(windowCounts(g)), [g.outHeight, g.outWidth, 1], 'float32');
}

/**
 * Each window's maximum of `x` (padded with −∞), over its taps in row-major order; `visit` is
 * told, at each tap, where the tap takes over as the first maximum so far (a boolean tensor;
 * at the first tap, ones).
 */
function firstMaximum(tf: Tf, x: Tensor, g: WindowGeometry, visit?: (take: Tensor, a: number, b: number) => void): Tensor {
  const xp = padded(g) ? tf.pad(x, paddingOf(g), -Infinity) : x;
  let best: Tensor | undefined;
  for (let a = 0; a < g.kernelHeight; a++) {
    for (let b = 0; b < g.kernelWidth; b++) {
      const element = tap(tf, xp, g, a, b);
      if (best === undefined) {
        best = element;
        visit?.(tf.onesLike(element), a, b);
        continue;
      }
      const take = tf.greater(element, best);
      visit?.(take, a, b);
      best = tf.where(take, element, best);
    }
  }
  return best!;
}

/** The tap index of each window's first maximum of x, [N, OH, OW, C]. */
function argmaxTaps(tf: Tf, x: Tensor, g: WindowGeometry): Tensor {
  let index: Tensor = tf.zeros([g.batch, g.outHeight, g.outWidth, x.shape[3]!], 'float32');
  firstMaximum(tf, x, g, (take, a, b) => {
    if (a === 0 && b === 0) return;
    index = tf.where(tf.cast(take, 'bool'), tf.fill(index.shape, a * g.kernelWidth + b), index);
  });
  return index;
}

const conv2d: TfjsTensorLowering = (tf, [x, k], node) => {
  const g = convolutionGeometry('conv2d', node.args[0]!.shape, node.args[1]!.shape, node.attrs);
  const native = nativeDilations(g);
  const kernel = native ? k! : dilatedKernel(tf, k!, g);
  const dilations: [number, number] = native ? [g.dilationHeight, g.dilationWidth] : [1, 1];
  return tf.conv2d(x as Tensor4, kernel as never, [g.strideHeight, g.strideWidth], paddingOf(g), 'NHWC', dilations);
};

const conv2dBackpropInput: TfjsTensorLowering = (tf, [dy, k], node) => {
  const [H, W] = node.attrs as [number, number];
  const C = node.args[1]!.shape[2]!;
  const g = convolutionGeometry('conv2dBackpropInput', [node.shape[0]!, H, W, C], node.args[1]!.shape, node.attrs.slice(2));
  return tf.conv2dTranspose(dy as Tensor4, dilatedKernel(tf, k!, g) as never, node.shape as [number, number, number, number], [g.strideHeight, g.strideWidth], paddingOf(g));
};

const conv2dBackpropFilter: TfjsTensorLowering = (tf, [x, dy], node) => {
  const [KH, KW] = node.attrs as [number, number];
  const [, , , C] = node.args[0]!.shape as [number, number, number, number];
  const O = node.args[1]!.shape[3]!;
  const g = convolutionGeometry('conv2dBackpropFilter', node.args[0]!.shape, [KH, KW, C, O], node.attrs.slice(2));
  if (tf.getKernel('Conv2DBackpropFilter', tf.getBackend()) !== undefined) {
    // The gradient of the dilated kernel, read at its taps.
    const extent = [windowExtent(KH, g.dilationHeight), windowExtent(KW, g.dilationWidth), C, O];
    const attrs = { strides: [g.strideHeight, g.strideWidth], pad: paddingOf(g), dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: extent };
    const full = tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, attrs as never) as Tensor;
    return g.dilationHeight === 1 && g.dilationWidth === 1 ? full : tf.stridedSlice(full, [0, 0, 0, 0], extent, [g.dilationHeight, g.dilationWidth, 1, 1]);
  }
  const xp = padded(g) ? tf.pad(x!, paddingOf(g)) : x!;
  const rows = g.batch * g.outHeight * g.outWidth;
  const seed = tf.reshape(dy!, [rows, O]);
  const taps: Tensor[] = [];
  for (let a = 0; a < KH; a++) {
    for (let b = 0; b < KW; b++) taps.push(tf.matMul(tf.reshape(tap(tf, xp, g, a, b), [rows, C]) as never, seed as never, true, false));
  }
  return tf.reshape(tf.stack(taps), [KH, KW, C, O]);
};

const maxPool2d: TfjsTensorLowering = (tf, [x], node) => {
  const g = poolingGeometry('maxPool2d', node.args[0]!.shape, node.attrs);
  const xp = padded(g) ? tf.pad(x!, paddingOf(g), -Infinity) : x!;
  return tf.maxPool(xp as Tensor4, [g.kernelHeight, g.kernelWidth], [g.strideHeight, g.strideWidth], 'valid');
};

const maxPool2dGather: TfjsTensorLowering = (tf, [x, t], node) => {
  const g = poolingGeometry('maxPool2dGather', node.args[0]!.shape, node.attrs);
  const tp = padded(g) ? tf.pad(t!, paddingOf(g)) : t!;
  let selected: Tensor | undefined;
  firstMaximum(tf, x!, g, (take, a, b) => {
    const element = tap(tf, tp, g, a, b);
    selected = selected === undefined ? element : tf.where(tf.cast(take, 'bool'), element, selected);
  });
  return selected!;
};

const maxPool2dScatter: TfjsTensorLowering = (tf, [x, seed], node) => {
  const g = poolingGeometry('maxPool2dScatter', node.args[0]!.shape, node.attrs);
  const index = argmaxTaps(tf, x!, g);
  let canvas: Tensor | undefined;
  for (let a = 0; a < g.kernelHeight; a++) {
    for (let b = 0; b < g.kernelWidth; b++) {
      const share = tf.mul(seed!, tf.cast(tf.equal(index, a * g.kernelWidth + b), 'float32'));
      const placed = place(tf, share, g, a, b);
      canvas = canvas === undefined ? placed : tf.add(canvas, placed);
    }
  }
  return unpad(tf, canvas!, g);
};

const avgPool2d: TfjsTensorLowering = (tf, [x], node) => {
  const g = poolingGeometry('avgPool2d', node.args[0]!.shape, node.attrs);
  if (!padded(g)) return tf.avgPool(x as Tensor4, [g.kernelHeight, g.kernelWidth], [g.strideHeight, g.strideWidth], 'valid');
  const sums = tf.mul(tf.avgPool(tf.pad(x!, paddingOf(g)) as Tensor4, [g.kernelHeight, g.kernelWidth], [g.strideHeight, g.strideWidth], 'valid'), g.kernelHeight * g.kernelWidth);
  return tf.div(sums, countsOf(tf, g));
};

const avgPool2dBackprop: TfjsTensorLowering = (tf, [seed], node) => {
  const g = poolingGeometry('avgPool2dBackprop', node.shape, node.attrs.slice(2));
  const share = tf.div(seed!, countsOf(tf, g));
  let canvas: Tensor | undefined;
  for (let a = 0; a < g.kernelHeight; a++) {
    for (let b = 0; b < g.kernelWidth; b++) {
      const placed = place(tf, share, g, a, b);
      canvas = canvas === undefined ? placed : tf.add(canvas, placed);
    }
  }
  return unpad(tf, canvas!, g);
};

/** The lowerings of the window primitives, by primitive (spread into the tfjs tensor lowering table). */
export const tfjsWindowLowering = {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  maxPool2d,
  maxPool2dGather,
  maxPool2dScatter,
  avgPool2d,
  avgPool2dBackprop,
} satisfies Record<string, TfjsTensorLowering>;
