/**
 * Max and average pooling of NHWC images over 2-D windows (attrs: window, strides, padding;
 * see windows.ts), each channel on its own, and the operations their derivatives are made of.
 *
 * Max pooling takes, in each window, the element at the window's arg-max: the first element,
 * in row-major order over the window (top row first, left to right), that is larger than every
 * element before it, so at ties the first maximum wins (TensorFlow's MaxPoolGrad sends the
 * gradient there too). Padding holds no element. Its derivatives read and write at those
 * arg-maxes (JAX's select_and_gather_add and select_and_scatter_add):
 * - `maxPool2dGather(x, t)`: t read at x's arg-maxes (the JVP; maxPool2d(x) = maxPool2dGather(x, x));
 * - `maxPool2dScatter(x, g)`: g added at x's arg-maxes (the VJP), zero elsewhere.
 * Both are linear in their second operand and locally constant in x, and each is the other's
 * adjoint, so the family is closed under differentiation.
 *
 * Average pooling divides each window's sum by the number of its elements that are not padding
 * (TensorFlow's rule); it is linear, and its adjoint `avgPool2dBackprop` spreads each seed
 * element evenly over its window.
 */
import type { Node } from '../node.js';
import { elementCount, type Shape } from '../shape.js';
import { zeros } from './broadcasting.js';
import { callWithAttrs, latexCall, shapeError } from './layout.js';
import type { Builder, TensorPrimitive } from './types.js';
import { batchImages } from './window-batching.js';
import { placeWindow, poolingProblem, poolingWindow, type WindowGeometry } from './windows.js';

const isZeroFilled = (n: Node) =>
  (n.op === 'const' && n.value === 0) || (n.op === 'broadcast' && n.args[0]!.op === 'const' && n.args[0]!.value === 0);

function windowLabel(attrs: readonly number[]): string {
  const [kh, kw, sh, sw, pt, pb, pl, pr] = attrs;
  const parts = [`window=[${kh}, ${kw}]`];
  if (sh !== kh || sw !== kw) parts.push(`strides=[${sh}, ${sw}]`);
  if (pt !== 0 || pb !== 0 || pl !== 0 || pr !== 0) parts.push(`padding=[${pt}, ${pb}, ${pl}, ${pr}]`);
  return parts.join(', ');
}

function notation(name: string, sized: boolean) {
  const label = (attrs: readonly number[]) => (sized ? `size=[${attrs[0]}, ${attrs[1]}], ${windowLabel(attrs.slice(2))}` : windowLabel(attrs));
  return { kind: 'call', name, plain: callWithAttrs(name, label), latex: latexCall(name, label) } as const;
}

/** The geometry of pooling an input of shape `x` (checked, as the API words it). */
export function poolingGeometry(operation: string, x: Shape, attrs: readonly number[]): WindowGeometry {
  const window = poolingWindow(operation, attrs);
  const problem = poolingProblem(x, window);
  if (problem !== undefined) throw shapeError(operation, problem, [x]);
  return placeWindow(window, x);
}

/** The pooled shape [N, OH, OW, C]. */
function pooledShape(g: WindowGeometry, channels: number): Shape {
  return [g.batch, g.outHeight, g.outWidth, channels];
}

/**
 * Calls `visit(window, element)` for each window (its flat index in the pooled result) and
 * each element of it that is not padding (its flat index in the input), in row-major order.
 */
export function forEachWindow(g: WindowGeometry, channels: number, visit: (window: number, element: number, first: boolean) => void): void {
  for (let n = 0; n < g.batch; n++) {
    for (let i = 0; i < g.outHeight; i++) {
      for (let j = 0; j < g.outWidth; j++) {
        for (let c = 0; c < channels; c++) {
          const window = ((n * g.outHeight + i) * g.outWidth + j) * channels + c;
          let first = true;
          for (let a = 0; a < g.kernelHeight; a++) {
            const row = i * g.strideHeight - g.padTop + a;
            if (row < 0 || row >= g.height) continue;
            for (let b = 0; b < g.kernelWidth; b++) {
              const column = j * g.strideWidth - g.padLeft + b;
              if (column < 0 || column >= g.width) continue;
              visit(window, ((n * g.height + row) * g.width + column) * channels + c, first);
              first = false;
            }
          }
        }
      }
    }
  }
}

/**
 * For each window, the flat input index of its arg-max: the first element for which no later
 * one is `larger` (`larger(element, best)`: element is strictly larger than best; false where
 * either is NaN, so a NaN is the arg-max only of a window it starts).
 */
export function windowArgmaxes(g: WindowGeometry, channels: number, larger: (element: number, best: number) => boolean): Int32Array {
  const positions = new Int32Array(g.batch * g.outHeight * g.outWidth * channels);
  forEachWindow(g, channels, (window, element, first) => {
    if (first || larger(element, positions[window]!)) positions[window] = element;
  });
  return positions;
}

/** For each window, the flat input index of its arg-max (the first maximum). */
export function argmaxPositions(x: Float64Array, g: WindowGeometry, channels: number): Int32Array {
  return windowArgmaxes(g, channels, (element, best) => x[element]! > x[best]!);
}

/** The shape check of a (x, second operand) pair: the second has the pooled or the input shape. */
function pairGeometry(operation: string, x: Shape, other: Shape, attrs: readonly number[], expected: 'pooled' | 'input'): WindowGeometry {
  const g = poolingGeometry(operation, x, attrs);
  const shape = expected === 'pooled' ? pooledShape(g, x[3]!) : x;
  if (other.length !== shape.length || shape.some((d, i) => d !== other[i])) {
    throw shapeError(operation, `the second operand must have the ${expected} shape [${shape.join(', ')}]`, [x, other]);
  }
  return g;
}

/** maxPool2d(x), attrs [KH, KW, SH, SW, PT, PB, PL, PR]: x [N, H, W, C] → [N, OH, OW, C], each window's maximum. */
export const maxPool2d: TensorPrimitive = {
  kind: 'tensor',
  name: 'maxPool2d',
  arity: 1,
  notation: notation('maxPool2d', false),
  convention: 'at ties the first maximum of the window (row-major) takes the whole derivative',
  shape: ([x], attrs) => pooledShape(poolingGeometry('maxPool2d', x!, attrs), x![3]!),
  evaluate: ([x], node) => {
    const g = poolingGeometry('maxPool2d', node.args[0]!.shape, node.attrs);
    return Float64Array.from(argmaxPositions(x!, g, node.shape[3]!), (k) => x![k]!);
  },
  vjp: (seed, self, b) => [b.apply('maxPool2dScatter', [self.args[0]!, seed], self.attrs)],
  jvp: ([dx], self, b) => b.apply('maxPool2dGather', [self.args[0]!, dx!], self.attrs),
  batch: batchImages,
};

/** Zeros of x's shape where x's adjoint is asked for: the arg-maxes do not move with x. */
const flat = (b: Builder, x: Node, needed: boolean) => (needed ? zeros(b, x.shape) : undefined);

/** maxPool2dGather(x, t), attrs as maxPool2d: t [N, H, W, C] read at the arg-max of each window of x → [N, OH, OW, C]. */
export const maxPool2dGather: TensorPrimitive = {
  kind: 'tensor',
  name: 'maxPool2dGather',
  arity: 2,
  notation: notation('maxPool2dGather', false),
  shape: ([x, t], attrs) => pooledShape(pairGeometry('maxPool2dGather', x!, t!, attrs, 'input'), x![3]!),
  evaluate: ([x, t], node) => {
    const g = poolingGeometry('maxPool2dGather', node.args[0]!.shape, node.attrs);
    return Float64Array.from(argmaxPositions(x!, g, node.shape[3]!), (k) => t![k]!);
  },
  vjp: (seed, self, b, needed) => [flat(b, self.args[0]!, needed[0]!), needed[1] ? b.apply('maxPool2dScatter', [self.args[0]!, seed], self.attrs) : undefined],
  jvp: ([, dt], self, b) => (dt === undefined ? zeros(b, self.shape) : b.apply('maxPool2dGather', [self.args[0]!, dt], self.attrs)),
  simplify: ([x, t], attrs, b) => {
    if (x === t) return b.apply('maxPool2d', [x!], attrs);
    return isZeroFilled(t!) ? zeros(b, pooledShape(poolingGeometry('maxPool2dGather', x!.shape, attrs), x!.shape[3]!)) : undefined;
  },
  batch: batchImages,
};

/** maxPool2dScatter(x, g), attrs as maxPool2d: g [N, OH, OW, C] added at the arg-max of each window of x → [N, H, W, C]. */
export const maxPool2dScatter: TensorPrimitive = {
  kind: 'tensor',
  name: 'maxPool2dScatter',
  arity: 2,
  notation: notation('maxPool2dScatter', false),
  shape: ([x, seed], attrs) => {
    pairGeometry('maxPool2dScatter', x!, seed!, attrs, 'pooled');
    return x!;
  },
  evaluate: ([x, seed], node) => {
    const g = poolingGeometry('maxPool2dScatter', node.shape, node.attrs);
    const out = new Float64Array(elementCount(node.shape));
    argmaxPositions(x!, g, node.shape[3]!).forEach((k, window) => (out[k] += seed![window]!));
    return out;
  },
  vjp: (seed, self, b, needed) => [flat(b, self.args[0]!, needed[0]!), needed[1] ? b.apply('maxPool2dGather', [self.args[0]!, seed], self.attrs) : undefined],
  jvp: ([, dg], self, b) => (dg === undefined ? zeros(b, self.shape) : b.apply('maxPool2dScatter', [self.args[0]!, dg], self.attrs)),
  simplify: ([x, seed], _attrs, b) => (isZeroFilled(seed!) ? zeros(b, x!.shape) : undefined),
  batch: batchImages,
};

/** For each window, the number of its elements that are not padding. */
export function windowCounts(g: WindowGeometry): Float64Array {
  const counts = new Float64Array(g.outHeight * g.outWidth);
  for (let i = 0; i < g.outHeight; i++) {
    const rows = Math.min(i * g.strideHeight - g.padTop + g.kernelHeight, g.height) - Math.max(i * g.strideHeight - g.padTop, 0);
    for (let j = 0; j < g.outWidth; j++) {
      const columns = Math.min(j * g.strideWidth - g.padLeft + g.kernelWidth, g.width) - Math.max(j * g.strideWidth - g.padLeft, 0);
      counts[i * g.outWidth + j] = rows * columns;
    }
  }
  return counts;
}

/** avgPool2d(x), attrs as maxPool2d: x [N, H, W, C] → [N, OH, OW, C], each window's mean (padding not counted). */
export const avgPool2d: TensorPrimitive = {
  kind: 'tensor',
  name: 'avgPool2d',
  arity: 1,
  notation: notation('avgPool2d', false),
  shape: ([x], attrs) => pooledShape(poolingGeometry('avgPool2d', x!, attrs), x![3]!),
  evaluate: ([x], node) => {
    const g = poolingGeometry('avgPool2d', node.args[0]!.shape, node.attrs);
    const channels = node.shape[3]!;
    const counts = windowCounts(g);
    const out = new Float64Array(elementCount(node.shape));
    forEachWindow(g, channels, (window, element) => (out[window] += x![element]!));
    return out.map((total, window) => total / counts[Math.floor(window / channels) % counts.length]!);
  },
  vjp: (seed, self, b) => [b.apply('avgPool2dBackprop', [seed], [self.args[0]!.shape[1]!, self.args[0]!.shape[2]!, ...self.attrs])],
  jvp: ([dx], self, b) => b.apply('avgPool2d', [dx!], self.attrs),
  simplify: ([x], attrs, b) => (isZeroFilled(x!) ? zeros(b, pooledShape(poolingGeometry('avgPool2d', x!.shape, attrs), x!.shape[3]!)) : undefined),
  batch: batchImages,
};

/** The input shape [N, H, W, C] of an avgPool2dBackprop from its seed's shape and attrs, checked. */
function unpooledShape(seed: Shape, attrs: readonly number[]): { input: Shape; g: WindowGeometry } {
  const [height, width] = attrs;
  if (seed.length !== 4 || !Number.isInteger(height) || !Number.isInteger(width) || height! < 1 || width! < 1) {
    throw shapeError('avgPool2dBackprop', `needs a seed of rank 4 and an input size of positive integers, got size [${height}, ${width}]`, [seed]);
  }
  const input = [seed[0]!, height!, width!, seed[3]!];
  const g = pairGeometry('avgPool2dBackprop', input, seed, attrs.slice(2), 'pooled');
  return { input, g };
}

/** The window geometry of an avgPool2dBackprop of a seed of shape `seed` (over the input it restores). */
export function unpooledGeometry(seed: Shape, attrs: readonly number[]): WindowGeometry {
  return unpooledShape(seed, attrs).g;
}

/**
 * avgPool2dBackprop(g), attrs [H, W, ...window]: the adjoint of avgPool2d, g [N, OH, OW, C] →
 * [N, H, W, C], each seed element divided by its window's count and added to the window's elements.
 */
export const avgPool2dBackprop: TensorPrimitive = {
  kind: 'tensor',
  name: 'avgPool2dBackprop',
  arity: 1,
  notation: notation('avgPool2dBackprop', true),
  shape: ([seed], attrs) => unpooledShape(seed!, attrs).input,
  evaluate: ([seed], node) => {
    const { g } = unpooledShape(node.args[0]!.shape, node.attrs);
    const channels = node.shape[3]!;
    const counts = windowCounts(g);
    const out = new Float64Array(elementCount(node.shape));
    forEachWindow(g, channels, (window, element) => (out[element] += seed![window]! / counts[Math.floor(window / channels) % counts.length]!));
    return out;
  },
  vjp: (seed, self, b) => [b.apply('avgPool2d', [seed], self.attrs.slice(2))],
  jvp: ([dg], self, b) => b.apply('avgPool2dBackprop', [dg!], self.attrs),
  simplify: ([seed], attrs, b) => (isZeroFilled(seed!) ? zeros(b, unpooledShape(seed!.shape, attrs).input) : undefined),
  batch: batchImages,
};
