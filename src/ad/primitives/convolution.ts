/**
 * 2-D convolution of NHWC images with HWIO kernels (TensorFlow's layouts), and the two
 * operations its derivatives are made of, as TensorFlow has them:
 * - `conv2d(x, k)`: y[n, i, j, o] = Σ_{a, b, c} x[n, i·sh − pt + a·dh, j·sw − pl + b·dw, c] · k[a, b, c, o]
 *   (a cross-correlation, as in every deep-learning library; taps in the padding read 0);
 * - `conv2dBackpropInput(dy, k)`: the transpose of x ↦ conv2d(x, k) (a transposed convolution),
 *   the gradient by the input;
 * - `conv2dBackpropFilter(x, dy)`: the transpose of k ↦ conv2d(x, k), the gradient by the kernel
 *   (a correlation of the input with the seed).
 * All three are bilinear, and the adjoint of each in either operand is one of the three, so the
 * family is closed under differentiation (second order works): with ⟨u, v⟩ the sum of products,
 * ⟨G, conv2d(x, k)⟩ = ⟨backpropInput(G, k), x⟩ = ⟨backpropFilter(x, G), k⟩.
 *
 * Attrs: the window (see windows.ts: strides, explicit padding, dilations); the two backprop
 * operations also carry the size they produce, [height, width] of the input or of the kernel,
 * first.
 */
import type { Node } from '../node.js';
import { describeShape, elementCount, type Shape } from '../shape.js';
import { zeros } from './broadcasting.js';
import { callWithAttrs, latexCall, shapeError } from './layout.js';
import type { Builder, TensorPrimitive } from './types.js';
import { batchConvolution, batchFilter } from './window-batching.js';
import { convolutionProblem, convolutionWindow, placeWindow, type WindowGeometry } from './windows.js';

const isZeroFilled = (n: Node) =>
  (n.op === 'const' && n.value === 0) || (n.op === 'broadcast' && n.args[0]!.op === 'const' && n.args[0]!.value === 0);

/** The sum of the defined terms (a JVP of a bilinear operation has one or two). */
function sumDefined(b: Builder, terms: readonly (Node | undefined)[]): Node {
  let total: Node | undefined;
  for (const t of terms) if (t !== undefined) total = total === undefined ? t : b.add(total, t);
  return total!;
}

/** How the window attrs print: only what differs from the defaults (stride 1, no padding, dilation 1). */
function windowLabel(attrs: readonly number[]): string {
  const [sh, sw, pt, pb, pl, pr, dh, dw] = attrs;
  const parts: string[] = [];
  if (sh !== 1 || sw !== 1) parts.push(`strides=[${sh}, ${sw}]`);
  if (pt !== 0 || pb !== 0 || pl !== 0 || pr !== 0) parts.push(`padding=[${pt}, ${pb}, ${pl}, ${pr}]`);
  if (dh !== 1 || dw !== 1) parts.push(`dilations=[${dh}, ${dw}]`);
  return parts.join(', ');
}

function notation(name: string, sized: boolean) {
  const label = (attrs: readonly number[]) => {
    const window = windowLabel(sized ? attrs.slice(2) : attrs);
    return sized ? `size=[${attrs[0]}, ${attrs[1]}]${window === '' ? '' : `, ${window}`}` : window;
  };
  return { kind: 'call', name, plain: callWithAttrs(name, label), latex: latexCall(name, label) } as const;
}

/** The geometry of a convolution of an input of `x` by a kernel of `k`: checked, as the API words it. */
export function convolutionGeometry(operation: string, x: Shape, k: Shape, attrs: readonly number[]): WindowGeometry {
  const window = convolutionWindow(operation, k[0] ?? 1, k[1] ?? 1, attrs);
  const problem = convolutionProblem(x, k, window);
  if (problem !== undefined) throw shapeError(operation, problem, [x, k]);
  return placeWindow(window, x);
}

/** The [height, width] attrs in front of a backprop operation's window, checked. */
function sizeAttrs(operation: string, attrs: readonly number[], what: string, shapes: readonly Shape[]): [number, number] {
  const [height, width] = attrs;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height! < 1 || width! < 1) {
    throw shapeError(operation, `the ${what} size [${height}, ${width}] must be positive integers`, shapes);
  }
  return [height!, width!];
}

/**
 * Calls `visit(out, left, right)` for each product left·right that a node of the convolution
 * family sums into its element `out` (flat indices into the result and the two operands), each
 * element's products in turn and in order: the reference numerics (`sumOfProducts`), and the
 * same sums in other number systems (src/ad/precise), are this loop.
 */
export function forEachProduct(node: Node, visit: (out: number, left: number, right: number) => void): void {
  switch (node.op) {
    case 'conv2d': {
      const g = convolutionGeometry('conv2d', node.args[0]!.shape, node.args[1]!.shape, node.attrs);
      const [, , C, O] = node.args[1]!.shape as [number, number, number, number];
      for (let n = 0; n < g.batch; n++) {
        for (let i = 0; i < g.outHeight; i++) {
          for (let j = 0; j < g.outWidth; j++) {
            for (let o = 0; o < O; o++) {
              const out = ((n * g.outHeight + i) * g.outWidth + j) * O + o;
              for (let a = 0; a < g.kernelHeight; a++) {
                const row = i * g.strideHeight - g.padTop + a * g.dilationHeight;
                if (row < 0 || row >= g.height) continue;
                for (let b = 0; b < g.kernelWidth; b++) {
                  const column = j * g.strideWidth - g.padLeft + b * g.dilationWidth;
                  if (column < 0 || column >= g.width) continue;
                  for (let c = 0; c < C; c++) visit(out, ((n * g.height + row) * g.width + column) * C + c, ((a * g.kernelWidth + b) * C + c) * O + o);
                }
              }
            }
          }
        }
      }
      return;
    }
    case 'conv2dBackpropInput': {
      const { g } = backpropInputShapes(node.args[0]!.shape, node.args[1]!.shape, node.attrs);
      const [, , C, O] = node.args[1]!.shape as [number, number, number, number];
      for (let n = 0; n < g.batch; n++) {
        for (let r = 0; r < g.height; r++) {
          for (let s = 0; s < g.width; s++) {
            for (let c = 0; c < C; c++) {
              const out = ((n * g.height + r) * g.width + s) * C + c;
              for (let a = 0; a < g.kernelHeight; a++) {
                const i = sourcePosition(r, a, g.strideHeight, g.padTop, g.dilationHeight, g.outHeight);
                if (i < 0) continue;
                for (let b = 0; b < g.kernelWidth; b++) {
                  const j = sourcePosition(s, b, g.strideWidth, g.padLeft, g.dilationWidth, g.outWidth);
                  if (j < 0) continue;
                  for (let o = 0; o < O; o++) visit(out, ((n * g.outHeight + i) * g.outWidth + j) * O + o, ((a * g.kernelWidth + b) * C + c) * O + o);
                }
              }
            }
          }
        }
      }
      return;
    }
    case 'conv2dBackpropFilter': {
      const { g } = backpropFilterShapes(node.args[0]!.shape, node.args[1]!.shape, node.attrs);
      const C = node.args[0]!.shape[3]!, O = node.args[1]!.shape[3]!;
      for (let a = 0; a < g.kernelHeight; a++) {
        for (let b = 0; b < g.kernelWidth; b++) {
          for (let c = 0; c < C; c++) {
            for (let o = 0; o < O; o++) {
              const out = ((a * g.kernelWidth + b) * C + c) * O + o;
              for (let n = 0; n < g.batch; n++) {
                for (let i = 0; i < g.outHeight; i++) {
                  const row = i * g.strideHeight - g.padTop + a * g.dilationHeight;
                  if (row < 0 || row >= g.height) continue;
                  for (let j = 0; j < g.outWidth; j++) {
                    const column = j * g.strideWidth - g.padLeft + b * g.dilationWidth;
                    if (column < 0 || column >= g.width) continue;
                    visit(out, ((n * g.height + row) * g.width + column) * C + c, ((n * g.outHeight + i) * g.outWidth + j) * O + o);
                  }
                }
              }
            }
          }
        }
      }
      return;
    }
    default:
      throw new Error(`internal: '${node.op}' is not a convolution`);
  }
}

/** The reference numerics of the convolution family: each element the sum of its products, from 0, in order. */
function sumOfProducts(node: Node, left: Float64Array, right: Float64Array): Float64Array {
  const out = new Float64Array(elementCount(node.shape));
  forEachProduct(node, (o, i, j) => (out[o] += left[i]! * right[j]!));
  return out;
}

/** conv2d(x, k): x [N, H, W, C], k [KH, KW, C, O] → [N, OH, OW, O]. */
export const conv2d: TensorPrimitive = {
  kind: 'tensor',
  name: 'conv2d',
  arity: 2,
  notation: notation('conv2d', false),
  shape: ([x, k], attrs) => {
    const g = convolutionGeometry('conv2d', x!, k!, attrs);
    return [g.batch, g.outHeight, g.outWidth, k![3]!];
  },
  evaluate: ([x, k], node) => sumOfProducts(node, x!, k!),
  vjp: (seed, self, b, needed) => {
    const [x, k] = self.args as [Node, Node];
    return [
      needed[0] ? b.apply('conv2dBackpropInput', [seed, k], [x.shape[1]!, x.shape[2]!, ...self.attrs]) : undefined,
      needed[1] ? b.apply('conv2dBackpropFilter', [x, seed], [k.shape[0]!, k.shape[1]!, ...self.attrs]) : undefined,
    ];
  },
  jvp: ([dx, dk], self, b) => {
    const [x, k] = self.args as [Node, Node];
    return sumDefined(b, [dx && b.apply('conv2d', [dx, k], self.attrs), dk && b.apply('conv2d', [x, dk], self.attrs)]);
  },
  simplify: ([x, k], attrs, b) => {
    if (!isZeroFilled(x!) && !isZeroFilled(k!)) return undefined;
    const g = convolutionGeometry('conv2d', x!.shape, k!.shape, attrs);
    return zeros(b, [g.batch, g.outHeight, g.outWidth, k!.shape[3]!]);
  },
  batch: batchConvolution,
};

/**
 * The geometry of a backprop operation: the convolution of an input [N, height, width, C] by a
 * kernel [KH, KW, C, O] whose result has the seed's shape [N, OH, OW, O].
 */
function backpropGeometry(operation: string, input: Shape, kernel: Shape, seed: Shape, window: readonly number[]): WindowGeometry {
  const g = convolutionGeometry(operation, input, kernel, window);
  const expected = [g.batch, g.outHeight, g.outWidth, kernel[3]!];
  if (seed.length !== 4 || expected.some((d, i) => d !== seed[i])) {
    throw shapeError(operation, `the seed ${describeShape(seed)} is not the shape ${describeShape(expected)} of the convolution of ${describeShape(input)} by ${describeShape(kernel)}`, [input, kernel, seed]);
  }
  return g;
}

/** dy [N, OH, OW, O] and k [KH, KW, C, O] as the input shape [N, H, W, C] of the convolution. */
export function backpropInputShapes(dy: Shape, k: Shape, attrs: readonly number[]): { input: Shape; g: WindowGeometry } {
  if (dy.length !== 4 || k.length !== 4) throw shapeError('conv2dBackpropInput', 'the seed and the kernel must have rank 4', [dy, k]);
  const [height, width] = sizeAttrs('conv2dBackpropInput', attrs, 'input', [dy, k]);
  const input = [dy[0]!, height, width, k[2]!];
  return { input, g: backpropGeometry('conv2dBackpropInput', input, k, dy, attrs.slice(2)) };
}

/** x [N, H, W, C] and dy [N, OH, OW, O] as the kernel shape [KH, KW, C, O] of the convolution. */
export function backpropFilterShapes(x: Shape, dy: Shape, attrs: readonly number[]): { kernel: Shape; g: WindowGeometry } {
  if (x.length !== 4 || dy.length !== 4) throw shapeError('conv2dBackpropFilter', 'the input and the seed must have rank 4', [x, dy]);
  const [height, width] = sizeAttrs('conv2dBackpropFilter', attrs, 'kernel', [x, dy]);
  const kernel = [height, width, x[3]!, dy[3]!];
  return { kernel, g: backpropGeometry('conv2dBackpropFilter', x, kernel, dy, attrs.slice(2)) };
}

/**
 * The output position whose window reads input position r through tap a, along one axis:
 * r = i·s − p + a·d, so i = (r + p − a·d) / s when that is a whole number in [0, positions);
 * −1 when there is none.
 */
function sourcePosition(r: number, a: number, stride: number, before: number, dilation: number, positions: number): number {
  const t = r + before - a * dilation;
  if (t < 0 || t % stride !== 0) return -1;
  const i = t / stride;
  return i < positions ? i : -1;
}

/**
 * conv2dBackpropInput(dy, k), attrs [H, W, ...window]: dy [N, OH, OW, O] and k [KH, KW, C, O]
 * → [N, H, W, C], dx[n, r, s, c] = Σ_{a, b, o} dy[n, i, j, o] · k[a, b, c, o] over the output
 * positions (i, j) whose window reads (r, s) through tap (a, b). TensorFlow's Conv2DBackpropInput.
 */
export const conv2dBackpropInput: TensorPrimitive = {
  kind: 'tensor',
  name: 'conv2dBackpropInput',
  arity: 2,
  notation: notation('conv2dBackpropInput', true),
  shape: ([dy, k], attrs) => backpropInputShapes(dy!, k!, attrs).input,
  evaluate: ([dy, k], node) => sumOfProducts(node, dy!, k!),
  // ⟨G, backpropInput(dy, k)⟩ = ⟨conv2d(G, k), dy⟩ = ⟨backpropFilter(G, dy), k⟩.
  vjp: (seed, self, b, needed) => {
    const [dy, k] = self.args as [Node, Node];
    const window = self.attrs.slice(2);
    return [
      needed[0] ? b.apply('conv2d', [seed, k], window) : undefined,
      needed[1] ? b.apply('conv2dBackpropFilter', [seed, dy], [k.shape[0]!, k.shape[1]!, ...window]) : undefined,
    ];
  },
  jvp: ([ddy, dk], self, b) => {
    const [dy, k] = self.args as [Node, Node];
    return sumDefined(b, [ddy && b.apply('conv2dBackpropInput', [ddy, k], self.attrs), dk && b.apply('conv2dBackpropInput', [dy, dk], self.attrs)]);
  },
  simplify: ([dy, k], attrs, b) => (isZeroFilled(dy!) || isZeroFilled(k!) ? zeros(b, backpropInputShapes(dy!.shape, k!.shape, attrs).input) : undefined),
  batch: batchConvolution,
};

/**
 * conv2dBackpropFilter(x, dy), attrs [KH, KW, ...window]: x [N, H, W, C] and dy [N, OH, OW, O]
 * → [KH, KW, C, O], dk[a, b, c, o] = Σ_{n, i, j} x[n, i·sh − pt + a·dh, j·sw − pl + b·dw, c] · dy[n, i, j, o].
 * TensorFlow's Conv2DBackpropFilter.
 */
export const conv2dBackpropFilter: TensorPrimitive = {
  kind: 'tensor',
  name: 'conv2dBackpropFilter',
  arity: 2,
  notation: notation('conv2dBackpropFilter', true),
  shape: ([x, dy], attrs) => backpropFilterShapes(x!, dy!, attrs).kernel,
  evaluate: ([x, dy], node) => sumOfProducts(node, x!, dy!),
  // ⟨G, backpropFilter(x, dy)⟩ = ⟨conv2d(x, G), dy⟩ = ⟨backpropInput(dy, G), x⟩.
  vjp: (seed, self, b, needed) => {
    const [x, dy] = self.args as [Node, Node];
    const window = self.attrs.slice(2);
    return [
      needed[0] ? b.apply('conv2dBackpropInput', [dy, seed], [x.shape[1]!, x.shape[2]!, ...window]) : undefined,
      needed[1] ? b.apply('conv2d', [x, seed], window) : undefined,
    ];
  },
  jvp: ([dx, ddy], self, b) => {
    const [x, dy] = self.args as [Node, Node];
    return sumDefined(b, [dx && b.apply('conv2dBackpropFilter', [dx, dy], self.attrs), ddy && b.apply('conv2dBackpropFilter', [x, ddy], self.attrs)]);
  },
  simplify: ([x, dy], attrs, b) => (isZeroFilled(x!) || isZeroFilled(dy!) ? zeros(b, backpropFilterShapes(x!.shape, dy!.shape, attrs).kernel) : undefined),
  batch: batchFilter,
};
