/**
 * The ONNX lowering of the convolution and pooling primitives. ONNX's operators take images
 * NCHW and kernels OIHW, so operands are transposed from TensorFlow's NHWC and HWIO and results
 * back (ONNX Runtime removes adjacent transposes where it can):
 * - conv2d: Conv (pads [top, left, bottom, right], strides, dilations);
 * - conv2dBackpropInput: ConvTranspose, with the output padding that gives back the input size;
 * - conv2dBackpropFilter: a Conv of the input, with batch and channels exchanged, by the seed as
 *   the kernel: the roles of strides and dilations swap (dk[a, b] reads x at a·d + i·s), and the
 *   result is cut to the kernel's size (the seed's window may fit more times than the kernel has taps);
 * - maxPool2d: MaxPool (padding holds no element); maxPool2dGather and maxPool2dScatter read
 *   MaxPool's second output, the flat NCHW index of each window's maximum (the first one at ties,
 *   as ONNX Runtime compares with >), with Gather and ScatterElements (reduction 'add');
 * - avgPool2d: AveragePool with count_include_pad 0 (padding not counted, as TensorFlow);
 *   avgPool2dBackprop: the seed over each window's count, spread by a ConvTranspose with a
 *   kernel of ones per channel (group = channels).
 */
import { convolutionGeometry } from '../../ad/primitives/convolution.js';
import { poolingGeometry, windowCounts } from '../../ad/primitives/pooling.js';
import { windowExtent, type WindowGeometry } from '../../ad/primitives/windows.js';
import { elementCount } from '../../ad/shape.js';
import type { GraphBuilder } from './builder.js';
import type { OnnxLowering } from './lowering.js';

const toNCHW = (g: GraphBuilder, x: string) => g.op('Transpose', [x], { perm: [0, 3, 1, 2] });
const toNHWC = (g: GraphBuilder, x: string) => g.op('Transpose', [x], { perm: [0, 2, 3, 1] });
/** A kernel [KH, KW, C, O] as ONNX's [O, C, KH, KW] (Conv), which is also ConvTranspose's [in, out, KH, KW] for the seed's O channels. */
const toOIHW = (g: GraphBuilder, k: string) => g.op('Transpose', [k], { perm: [3, 2, 0, 1] });

/** ONNX's pads: [top, left, bottom, right]. */
const padsOf = (w: WindowGeometry) => [w.padTop, w.padLeft, w.padBottom, w.padRight];

/** The output padding that makes a ConvTranspose of the window's result [OH, OW] come back to [H, W]. */
function outputPadding(w: WindowGeometry): number[] {
  const along = (input: number, size: number, stride: number, before: number, after: number, dilation: number, positions: number) =>
    input + before + after - windowExtent(size, dilation) - (positions - 1) * stride;
  return [
    along(w.height, w.kernelHeight, w.strideHeight, w.padTop, w.padBottom, w.dilationHeight, w.outHeight),
    along(w.width, w.kernelWidth, w.strideWidth, w.padLeft, w.padRight, w.dilationWidth, w.outWidth),
  ];
}

const conv2d: OnnxLowering = (g, [x, k], node) => {
  const w = convolutionGeometry('conv2d', node.args[0]!.shape, node.args[1]!.shape, node.attrs);
  const attributes = { pads: padsOf(w), strides: [w.strideHeight, w.strideWidth], dilations: [w.dilationHeight, w.dilationWidth] };
  return toNHWC(g, g.op('Conv', [toNCHW(g, x!), toOIHW(g, k!)], attributes));
};

const conv2dBackpropInput: OnnxLowering = (g, [dy, k], node) => {
  const [H, W] = node.attrs as [number, number];
  const w = convolutionGeometry('conv2dBackpropInput', [node.shape[0]!, H, W, node.shape[3]!], node.args[1]!.shape, node.attrs.slice(2));
  const attributes = { pads: padsOf(w), strides: [w.strideHeight, w.strideWidth], dilations: [w.dilationHeight, w.dilationWidth], output_padding: outputPadding(w) };
  return toNHWC(g, g.op('ConvTranspose', [toNCHW(g, dy!), toOIHW(g, k!)], attributes));
};

const conv2dBackpropFilter: OnnxLowering = (g, [x, dy], node) => {
  const [KH, KW] = node.attrs as [number, number];
  const w = convolutionGeometry('conv2dBackpropFilter', node.args[0]!.shape, node.shape, node.attrs.slice(2));
  // x as a batch of C images of N channels, dy as O kernels of N channels: [C, O, KH', KW'].
  const images = g.op('Transpose', [x!], { perm: [3, 0, 1, 2] });
  const kernels = g.op('Transpose', [dy!], { perm: [3, 0, 1, 2] });
  const full = g.op('Conv', [images, kernels], { pads: padsOf(w), strides: [w.dilationHeight, w.dilationWidth], dilations: [w.strideHeight, w.strideWidth] });
  const cut = g.op('Slice', [full, g.int64s([0, 0]), g.int64s([KH, KW]), g.int64s([2, 3])]);
  return g.op('Transpose', [cut], { perm: [2, 3, 0, 1] });
};

const poolAttributes = (w: WindowGeometry) => ({ kernel_shape: [w.kernelHeight, w.kernelWidth], strides: [w.strideHeight, w.strideWidth], pads: padsOf(w) });

const maxPool2d: OnnxLowering = (g, [x], node) => {
  const w = poolingGeometry('maxPool2d', node.args[0]!.shape, node.attrs);
  return toNHWC(g, g.op('MaxPool', [toNCHW(g, x!)], poolAttributes(w)));
};

/** The flat NCHW index of each window's maximum of x, [N, C, OH, OW] (int64). */
function argmaxIndices(g: GraphBuilder, x: string, w: WindowGeometry): string {
  return g.ops('MaxPool', [toNCHW(g, x)], poolAttributes(w), 2)[1]!;
}

const maxPool2dGather: OnnxLowering = (g, [x, t], node) => {
  const w = poolingGeometry('maxPool2dGather', node.args[0]!.shape, node.attrs);
  const flat = g.op('Reshape', [toNCHW(g, t!), g.int64s([-1])]);
  return toNHWC(g, g.op('Gather', [flat, argmaxIndices(g, x!, w)], { axis: 0 }));
};

const maxPool2dScatter: OnnxLowering = (g, [x, seed], node) => {
  const shape = node.args[0]!.shape;
  const w = poolingGeometry('maxPool2dScatter', shape, node.attrs);
  const indices = g.op('Reshape', [argmaxIndices(g, x!, w), g.int64s([-1])]);
  const updates = g.op('Reshape', [toNCHW(g, seed!), g.int64s([-1])]);
  const zeros = g.op('Expand', [g.scalar(0), g.int64s([elementCount(shape)])]);
  const summed = g.op('ScatterElements', [zeros, indices, updates], { axis: 0, reduction: 'add' });
  return toNHWC(g, g.op('Reshape', [summed, g.int64s([shape[0]!, shape[3]!, shape[1]!, shape[2]!])]));
};

const avgPool2d: OnnxLowering = (g, [x], node) => {
  const w = poolingGeometry('avgPool2d', node.args[0]!.shape, node.attrs);
  return toNHWC(g, g.op('AveragePool', [toNCHW(g, x!)], { ...poolAttributes(w), count_include_pad: 0 }));
};

const avgPool2dBackprop: OnnxLowering = (g, [seed], node) => {
  const w = poolingGeometry('avgPool2dBackprop', node.shape, node.attrs.slice(2));
  const channels = node.shape[3]!;
  const counts = g.tensor(windowCounts(w), [1, 1, w.outHeight, w.outWidth]);
  const shares = g.op('Div', [toNCHW(g, seed!), counts]);
  const ones = g.tensor(new Float64Array(channels * w.kernelHeight * w.kernelWidth).fill(1), [channels, 1, w.kernelHeight, w.kernelWidth]);
  const attributes = { pads: padsOf(w), strides: [w.strideHeight, w.strideWidth], group: channels, output_padding: outputPadding(w) };
  return toNHWC(g, g.op('ConvTranspose', [shares, ones], attributes));
};

/** The lowerings of the window primitives, by primitive (spread into the ONNX lowering table). */
export const onnxWindowLowering = {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  maxPool2d,
  maxPool2dGather,
  maxPool2dScatter,
  avgPool2d,
  avgPool2dBackprop,
} satisfies Record<string, OnnxLowering>;
