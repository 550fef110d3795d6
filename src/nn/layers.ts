/**
 * The layers of a convolutional network, for `sequential`: `inputLayer` (fixes the examples'
 * shape), `conv2dLayer` (a convolution plus a bias, then an activation), `maxPool2dLayer` and
 * `avgPool2dLayer`, and `flattenLayer` (an example's elements as one vector, for a dense layer).
 * Their shapes are in their types, so a LeNet whose dense layer has the wrong width, or whose
 * second convolution expects other channels, is a compile error (see `layer.ts`).
 */
import { TypegradError } from '../ad/errors.js';
import { checkDimension, describeShape, type Shape } from '../ad/shape.js';
import { Fun } from '../api/fun.js';
import { relu, sigmoid, tanh } from '../api/functions.js';
import { Random } from './random.js';
import { describeValue } from '../api/record.js';
import type { ShapeLiteralCheck } from '../api/shape-types.js';
import type { TFun } from '../api/tensor.js';
import { elementwise, flattenFrom, softmaxAlong, tensorVariable } from '../api/tensor-operations.js';
// The tensor Fun class registers itself as its module loads (wrap.ts); typegrad/nn alone makes TFuns here.
import '../api/tensor.js';
import type { VFun } from '../api/vector.js';
import { conv2d, maxPool2d, avgPool2d } from '../api/window-functions.js';
import type { Conv2dOptions, Pair, Pool2dOptions } from '../api/window-types.js';
import type { AnyFun } from '../api/wrap.js';
import type { Activation, Initializer } from './dense.js';
import type { Conv2dRule, FlattenRule, Pool2dRule, ShapeLayer } from './layer.js';
import type { FeaturesOf, Model, ModelOutput, ParameterValues } from './model.js';

const ACTIVATIONS: Record<Activation, (z: AnyFun) => AnyFun> = {
  linear: (z) => z,
  relu: (z) => relu(z) as AnyFun,
  tanh: (z) => tanh(z) as AnyFun,
  sigmoid: (z) => sigmoid(z) as AnyFun,
  softmax: (z) => softmaxAlong(z, -1),
};

/**
 * Weights drawn for a layer with `fanIn` inputs and `fanOut` outputs per output element (a
 * kernel's taps times its input or output channels): the formulas of init.ts (He for relu,
 * Glorot otherwise), as Keras computes them for convolutions.
 */
function drawWeights(initializer: Initializer, count: number, fanIn: number, fanOut: number, random: Random): Float64Array {
  switch (initializer) {
    case 'he-uniform':
      return random.uniformArray(count, -Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn));
    case 'he-normal':
      return random.normalArray(count, 0, Math.sqrt(2 / fanIn));
    case 'glorot-uniform':
      return random.uniformArray(count, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut)));
    case 'glorot-normal':
      return random.normalArray(count, 0, Math.sqrt(2 / (fanIn + fanOut)));
  }
}

const INITIALIZERS: readonly Initializer[] = ['he-uniform', 'he-normal', 'glorot-uniform', 'glorot-normal'];

/** Options of `conv2dLayer`: the convolution's (strides, padding, dilations), an activation and an initializer. */
export interface Conv2dLayerOptions extends Conv2dOptions {
  /** Default `linear`. */
  readonly activation?: Activation;
  /** Default `he-uniform` after relu, `glorot-uniform` otherwise (fan-in: the kernel's taps × input channels). */
  readonly initializer?: Initializer;
}

/** The parameter names of a convolution layer called `Name`: its kernel and its bias. */
export type Conv2dParameters<Name extends string> = `${Name}.W` | `${Name}.b`;

/** The [rows, columns] of a size written as one number or a pair. */
type SizeOf<S> = S extends number ? [S, S] : S extends readonly [infer R extends number, infer C extends number] ? [R, C] : [number, number];

/** A convolution layer: a kernel [KH, KW, C, F] and a bias [F], then an activation. */
export interface Conv2dLayer<Name extends string, KH extends number, KW extends number, C extends number, F extends number, O>
  extends ShapeLayer<Conv2dRule<Name, [KH, KW, C, F], O>, Conv2dParameters<Name>> {
  readonly name: Name;
  readonly activation: Activation;
  readonly initializer: Initializer;
  /** The kernel [KH, KW, C, F]. */
  readonly W: TFun<[KH, KW, C, F], `${Name}.W`>;
  /** The bias [F], added at every position. */
  readonly b: VFun<F, `${Name}.b`>;
}

/**
 * A 2-D convolution layer named `name` from `inChannels` to `filters` channels with a kernel of
 * `kernelSize` (one number or [rows, columns]): conv2d(x, W, options) + b, then the activation.
 * Its output size follows from its input's (see `sequential`).
 * @example conv2dLayer('c1', 1, 6, 5, { activation: 'relu' }) // [28, 28, 1] → [24, 24, 6]
 */
export function conv2dLayer<const Name extends string, C extends number, F extends number, const S extends Pair, const O extends Conv2dLayerOptions = {}>(
  name: Name,
  inChannels: C,
  filters: F,
  kernelSize: S,
  options?: O,
): Conv2dLayer<Name, SizeOf<S>[0], SizeOf<S>[1], C, F, O> {
  const operation = `conv2dLayer '${String(name)}'`;
  if (typeof name !== 'string' || name.length === 0) throw new TypegradError(`conv2dLayer: the layer needs a non-empty name, got ${describeValue(name)}`);
  const o: Conv2dLayerOptions = options ?? {};
  if (o === null || typeof o !== 'object') throw new TypegradError(`${operation}: expected an options object, got ${describeValue(o)}`);
  const activation = o.activation ?? 'linear';
  if (!Object.hasOwn(ACTIVATIONS, activation)) throw new TypegradError(`${operation}: unknown activation ${describeValue(activation)} (expected ${Object.keys(ACTIVATIONS).join(', ')})`);
  const initializer = o.initializer ?? (activation === 'relu' ? 'he-uniform' : 'glorot-uniform');
  if (!INITIALIZERS.includes(initializer)) throw new TypegradError(`${operation}: unknown initializer ${describeValue(initializer)} (expected ${INITIALIZERS.join(', ')})`);
  const size = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
  if (!Array.isArray(size) || size.length !== 2) throw new TypegradError(`${operation}: the kernel size must be a positive integer or [rows, columns], got ${describeValue(kernelSize)}`);
  const kernel = [checkDimension(size[0], operation), checkDimension(size[1], operation), checkDimension(inChannels, operation), checkDimension(filters, operation)] as [number, number, C, F];
  const { activation: _activation, initializer: _initializer, ...convolution } = o;
  const W = tensorVariable(`${name}.W`, kernel) as unknown as TFun<[SizeOf<S>[0], SizeOf<S>[1], C, F], `${Name}.W`>;
  const b = tensorVariable(`${name}.b`, [filters]) as unknown as VFun<F, `${Name}.b`>;
  const taps = kernel[0] * kernel[1];
  return {
    rule: { kind: 'conv2d', name, kernel: kernel as [SizeOf<S>[0], SizeOf<S>[1], C, F], options: convolution as O },
    name,
    activation,
    initializer,
    W,
    b,
    parameters: { [`${name}.W`]: W, [`${name}.b`]: b } as unknown as Conv2dLayer<Name, SizeOf<S>[0], SizeOf<S>[1], C, F, O>['parameters'],
    apply: (x) => ACTIVATIONS[activation](elementwise('add', conv2d(x, W as never, convolution), b)),
    init(random: Random): ParameterValues<Conv2dParameters<Name>> {
      if (!(random instanceof Random)) throw new TypegradError(`${operation}.init: expected a Random generator, got ${describeValue(random)}`);
      return {
        [`${name}.W`]: drawWeights(initializer, taps * kernel[2] * kernel[3], taps * kernel[2], taps * kernel[3], random),
        [`${name}.b`]: new Float64Array(kernel[3]),
      } as ParameterValues<Conv2dParameters<Name>>;
    },
  };
}

/** A pooling layer (no parameters). */
export type Pool2dLayer<Kind extends 'maxPool2d' | 'avgPool2d', W, O> = ShapeLayer<Pool2dRule<Kind, W, O>, never>;

function poolingLayer<Kind extends 'maxPool2d' | 'avgPool2d', W, O>(kind: Kind, window: W, options: O | undefined): Pool2dLayer<Kind, W, O> {
  const pool = kind === 'maxPool2d' ? maxPool2d : avgPool2d;
  return {
    rule: { kind, window, options: (options ?? {}) as O },
    parameters: {},
    apply: (x) => pool(x as never, window as Pair, options as Pool2dOptions) as AnyFun,
    init: () => ({}),
  };
}

/**
 * Max pooling over windows of `window` (one size or [rows, columns]; strides default to the
 * window): [H, W, C] → [⌊H / 2⌋, ⌊W / 2⌋, C] for a 2×2 window.
 * @example maxPool2dLayer(2) // [24, 24, 6] → [12, 12, 6]
 */
export function maxPool2dLayer<const W extends Pair, const O extends Pool2dOptions = {}>(window: W, options?: O): Pool2dLayer<'maxPool2d', W, O> {
  return poolingLayer('maxPool2d', window, options);
}

/**
 * Average pooling over windows of `window`, as `maxPool2dLayer`.
 * @example avgPool2dLayer(2, { padding: 'same' }) // [5, 5, 16] → [3, 3, 16]
 */
export function avgPool2dLayer<const W extends Pair, const O extends Pool2dOptions = {}>(window: W, options?: O): Pool2dLayer<'avgPool2d', W, O> {
  return poolingLayer('avgPool2d', window, options);
}

/** The flatten layer (no parameters). */
export type FlattenLayer = ShapeLayer<FlattenRule, never>;

/**
 * An example's elements, row-major, as one vector (the batch axis kept): [4, 4, 16] → [256].
 * @example flattenLayer() // [B, 4, 4, 16] → [B, 256]
 */
export function flattenLayer(): FlattenLayer {
  return { rule: { kind: 'flatten' }, parameters: {}, apply: (x) => flattenFrom(x, 1), init: () => ({}) };
}

/**
 * The first layer of a network whose examples are tensors: it fixes their shape (what the layers
 * after it compute theirs from) and passes a batch [B, ...shape] through unchanged.
 * @example sequential(inputLayer([28, 28, 1]), conv2dLayer('c1', 1, 6, 5), ...)
 */
export function inputLayer<const S extends readonly number[]>(shape: S & ShapeLiteralCheck<S>): Model<FeaturesOf<S>, FeaturesOf<S>, never> {
  if (!Array.isArray(shape) || shape.length === 0) throw new TypegradError(`inputLayer: the shape must be a non-empty array of dimensions, got ${describeValue(shape)}`);
  const dimensions: Shape = (shape as readonly unknown[]).map((n) => checkDimension(n, 'inputLayer'));
  const features = (dimensions.length === 1 ? dimensions[0] : dimensions) as FeaturesOf<S>;
  return {
    inputs: features,
    outputs: features,
    parameters: {},
    apply<X extends AnyFun>(x: X): ModelOutput<X, FeaturesOf<S>, never> {
      const batch = x instanceof Fun ? x.node.shape : undefined;
      if (batch === undefined || batch.length !== dimensions.length + 1 || dimensions.some((d, i) => d !== batch[i + 1])) {
        const got = batch === undefined ? describeValue(x) : describeShape(batch);
        throw new TypegradError(`inputLayer: shape mismatch: the model takes examples of ${describeShape(dimensions)}, got ${got}`);
      }
      return x as unknown as ModelOutput<X, FeaturesOf<S>, never>;
    },
    init: () => ({}),
  } as Model<FeaturesOf<S>, FeaturesOf<S>, never>;
}
