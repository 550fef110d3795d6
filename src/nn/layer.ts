/**
 * Layers whose output shape follows from their input's (convolution, pooling, flatten), and how
 * `sequential` chains layers: at compile time (`ChainShape`, `SequentialCheck`) and at run time
 * (`chainStep`), in the same words.
 *
 * A model (`dense`, `inputLayer`, a `sequential`) fixes the shape of its examples; a shape layer
 * takes any example its rule fits (a convolution any [height, width, channels] with its input
 * channels) and its type carries the rule (`rule`), so that the type checker computes each
 * layer's output from the previous one's: `sequential(inputLayer([28, 28, 1]),
 * conv2dLayer('c1', 1, 6, 5), maxPool2dLayer(2), flattenLayer(), dense('d', 864, 10))` is a
 * `Model<[28, 28, 1], 10, …>`, and a dense layer of 800 inputs there is a compile error naming
 * vector[800] and vector[864].
 */
import { TypegradError } from '../ad/errors.js';
import { convolutionFault, convolutionWindow, placeWindow, poolingFault, poolingWindow, type WindowFault } from '../ad/primitives/windows.js';
import { describeShape, elementCount, sameShape, type Shape } from '../ad/shape.js';
import type { Conv2dShape, ElementCount, Pool2dShape, ShapeFault } from '../typelevel/index.js';
import type { Random } from './random.js';
import type { DescribeShape } from '../api/shape-types.js';
import { resolveConvolution, resolvePooling } from '../api/window-functions.js';
import type { AnyFun } from '../api/wrap.js';
import { exampleShape, type AnyModel, type ExampleShape, type Features, type FeaturesOf, type Model, type ParameterValues, type ParameterVariable, type SameExample } from './model.js';

/** A convolution layer's rule: its name, kernel [KH, KW, C, F] and options. */
export interface Conv2dRule<Name extends string = string, Kernel extends readonly [number, number, number, number] = readonly [number, number, number, number], O = unknown> {
  readonly kind: 'conv2d';
  readonly name: Name;
  readonly kernel: Kernel;
  readonly options: O;
}

/** A pooling layer's rule: max or average, its window and options. */
export interface Pool2dRule<Kind extends 'maxPool2d' | 'avgPool2d' = 'maxPool2d' | 'avgPool2d', W = unknown, O = unknown> {
  readonly kind: Kind;
  readonly window: W;
  readonly options: O;
}

/** The flatten layer's rule: an example's elements, row-major, as one vector. */
export interface FlattenRule {
  readonly kind: 'flatten';
}

/** What a shape layer does to an example's shape. */
export type LayerRule = Conv2dRule | Pool2dRule | FlattenRule;

/**
 * A layer whose output shape follows from its input's by `rule` (convolution, pooling, flatten);
 * `sequential` places it after a layer that fixes the examples' shape.
 */
export interface ShapeLayer<R extends LayerRule, P extends string> {
  readonly rule: R;
  /** The parameter variables by name (the kernel and the bias of a convolution; none for pooling and flatten). */
  readonly parameters: { readonly [K in P]: ParameterVariable<K> };
  /** The layer on a batch [B, ...example] (shapes are checked by `sequential`, or by the operations). */
  apply(x: AnyFun): AnyFun;
  /** Initial parameter values drawn from `random`. */
  init(random: Random): ParameterValues<P>;
}

/** Any layer `sequential` takes: a model or a shape layer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayer = AnyModel | ShapeLayer<LayerRule, any>;

/** The parameter names of a layer type. */
export type LayerParameters<L> = L extends Model<Features, Features, infer P> ? P : L extends ShapeLayer<LayerRule, infer P> ? P : never;

/* ------------------------------------------------------------------------------------------ */
/* The chain at compile time                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** How a message names the layer at 1-based position `K`. */
type LayerName<L, K extends number> =
  L extends ShapeLayer<infer R, string>
    ? R extends Conv2dRule<infer Name> ? `layer ${K} (conv2d '${Name}')` : R extends Pool2dRule<infer Kind> ? `layer ${K} (${Kind})` : `layer ${K} (flatten)`
    : `layer ${K}`;

/** A window rule's fault for examples `In` from layer `Previous`, in the words of `chainMessage`. */
type RuleMessage<Name extends string, Previous extends number, In extends readonly number[], Fault> =
  Fault extends ShapeFault<infer Kind, infer Detail>
    ? Kind extends 'channels'
      ? Detail extends readonly [number, infer C extends number] ? `shape mismatch: ${Name} takes ${C} input channels, but layer ${Previous} gives ${DescribeShape<In>}` : never
      : Kind extends 'window'
        ? Detail extends readonly [infer EH extends number, infer EW extends number, infer PH extends number, infer PW extends number]
          ? `shape mismatch: ${Name}: the ${EH}×${EW} window does not fit in the padded ${PH}×${PW} of ${DescribeShape<In>} from layer ${Previous}`
          : never
        : `shape mismatch: ${Name} takes examples [height, width, channels], but layer ${Previous} gives ${DescribeShape<In>}`
    : never;

type OptionOf<O, Key extends string> = Key extends keyof O ? O[Key] : undefined;

/** A window rule's result for a batch of one: the example's shape, or the message. */
type RuleStep<Result, Name extends string, Previous extends number, In extends readonly number[]> =
  Result extends ShapeFault ? RuleMessage<Name, Previous, In, Result> : Result extends readonly [number, ...infer Example extends number[]] ? Example : number[];

/**
 * The examples' shape after layer `L` given examples `In` from the layer before it (`Seen`
 * counts the layers before `L`): a shape, or the message a user reads.
 */
export type LayerStep<L, In extends readonly number[], Seen extends readonly unknown[]> =
  L extends Model<infer I, infer O, string>
    ? SameExample<ExampleShape<I>, In> extends true
      ? ExampleShape<O>
      : `shape mismatch: layer ${[...Seen, unknown]['length']} takes examples of ${DescribeShape<ExampleShape<I>>}, but layer ${Seen['length']} gives ${DescribeShape<In>}`
    : L extends ShapeLayer<infer R, string>
      ? R extends Conv2dRule<string, infer Kernel, infer O>
        ? RuleStep<Conv2dShape<[1, ...In], Kernel, OptionOf<O, 'strides'>, OptionOf<O, 'padding'>, OptionOf<O, 'dilations'>>, LayerName<L, [...Seen, unknown]['length']>, Seen['length'], In>
        : R extends Pool2dRule<'maxPool2d' | 'avgPool2d', infer W, infer O>
          ? RuleStep<Pool2dShape<[1, ...In], W, OptionOf<O, 'strides'>, OptionOf<O, 'padding'>>, LayerName<L, [...Seen, unknown]['length']>, Seen['length'], In>
          : [ElementCount<In>]
      : never;

/**
 * The examples' shape after each of `Layers` in turn, from `In` (`Seen` counts the layers before
 * them): the final shape, or `{ at, message }` for the first layer that does not fit (`at` its
 * 0-based position in the whole chain).
 */
export type ChainShape<Layers extends readonly unknown[], In extends readonly number[], Seen extends readonly unknown[] = [unknown]> =
  Layers extends readonly [infer L, ...infer Rest]
    ? LayerStep<L, In, Seen> extends infer Out
      ? Out extends string
        ? { readonly at: Seen['length']; readonly message: Out }
        : Out extends readonly number[] ? ChainShape<Rest, Out, [...Seen, unknown]> : never
      : never
    : In;

/** The first layer's examples, in and out: a model's; a shape layer fixes none. */
type FirstExamples<L> = L extends Model<infer I, infer O, string> ? { readonly inputs: ExampleShape<I>; readonly outputs: ExampleShape<O> } : undefined;

/** Where the chain of `Layers` breaks: `{ at, message }` (`at` the 0-based position of the layer that does not fit), or `undefined`. */
type ChainFault<Layers extends readonly unknown[]> =
  Layers extends readonly [infer First, ...infer Rest]
    ? FirstExamples<First> extends { readonly outputs: infer In extends readonly number[] }
      ? ChainShape<Rest, In> extends infer Fault extends { readonly at: number; readonly message: string } ? Fault : undefined
      : { readonly at: 0; readonly message: `sequential: ${LayerName<First, 1>} does not fix the shape of the examples; begin with inputLayer([height, width, channels])` }
    : undefined;

/**
 * The layers as `sequential` takes them: each as it is, except the first that does not fit the
 * layers before it, which must also be the message a user reads (so the call fails on that argument).
 * @example SequentialCheck<[Dense<'a', 784, 128>, Dense<'b', 64, 10>]> // [Dense<'a', 784, 128>, Dense<'b', 64, 10> & 'shape mismatch: layer 2 takes examples of vector[64], but layer 1 gives vector[128]']
 */
export type SequentialCheck<Layers extends readonly unknown[]> = CheckAt<Layers, ChainFault<Layers>>;

type CheckAt<Layers extends readonly unknown[], Fault> = Fault extends { readonly at: infer At extends number; readonly message: infer Message }
  ? { [K in keyof Layers]: K extends `${At}` ? Layers[K] & Message : Layers[K] }
  : Layers;

/**
 * The model `sequential` makes of the layers: from the first layer's examples to the last
 * shape (a number for a vector), with every layer's parameters.
 */
export type SequentialModel<Layers extends readonly unknown[]> =
  Layers extends readonly [infer First, ...infer Rest]
    ? FirstExamples<First> extends { readonly inputs: infer In extends readonly number[]; readonly outputs: infer Start extends readonly number[] }
      ? ChainShape<Rest, Start> extends infer Out extends readonly number[]
        ? Model<FeaturesOf<In>, FeaturesOf<Out>, LayerParameters<Layers[number]>>
        : never
      : never
    : never;

/* ------------------------------------------------------------------------------------------ */
/* The chain at run time                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** Whether a layer is a shape layer (it has a rule) rather than a model. */
export function isShapeLayer(layer: AnyLayer): layer is ShapeLayer<LayerRule, string> {
  return Object.hasOwn(layer, 'rule');
}

/** How a message names the layer at 1-based position `k` (the words of `LayerName`). */
export function layerName(layer: AnyLayer, k: number): string {
  if (!isShapeLayer(layer)) return `layer ${k}`;
  const rule = layer.rule;
  return rule.kind === 'conv2d' ? `layer ${k} (conv2d '${rule.name}')` : `layer ${k} (${rule.kind})`;
}

/** A window fault of the layer at position `k` on examples `input`, in the words of `RuleMessage`. */
function chainMessage(name: string, k: number, input: Shape, fault: WindowFault): string {
  switch (fault.kind) {
    case 'channels':
      return `shape mismatch: ${name} takes ${fault.kernel} input channels, but layer ${k - 1} gives ${describeShape(input)}`;
    case 'window':
      return `shape mismatch: ${name}: the ${fault.window} window does not fit in the padded ${fault.padded} of ${describeShape(input)} from layer ${k - 1}`;
    default:
      return `shape mismatch: ${name} takes examples [height, width, channels], but layer ${k - 1} gives ${describeShape(input)}`;
  }
}

/**
 * The examples' shape after `layer` (at 1-based position `k`) given `input`, or a TypegradError
 * in the words of the compile-time message (`LayerStep`).
 */
export function chainStep(layer: AnyLayer, input: Shape, k: number): Shape {
  if (!isShapeLayer(layer)) {
    const expected = exampleShape(layer.inputs as Features);
    if (!sameShape(expected, input)) {
      throw new TypegradError(`sequential: shape mismatch: layer ${k} takes examples of ${describeShape(expected)}, but layer ${k - 1} gives ${describeShape(input)}`);
    }
    return exampleShape(layer.outputs as Features);
  }
  const rule = layer.rule;
  if (rule.kind === 'flatten') return [elementCount(input)];
  const batch = [1, ...input];
  const fail = (fault: WindowFault) => new TypegradError(`sequential: ${chainMessage(layerName(layer, k), k, input, fault)}`);
  if (input.length !== 3) throw fail({ kind: 'input rank' });
  if (rule.kind === 'conv2d') {
    const window = convolutionWindow(`conv2d '${rule.name}'`, rule.kernel[0], rule.kernel[1], resolveConvolution(batch, rule.kernel, rule.options, `conv2d '${rule.name}'`));
    const fault = convolutionFault(batch, rule.kernel, window);
    if (fault !== undefined) throw fail(fault);
    const g = placeWindow(window, batch);
    return [g.outHeight, g.outWidth, rule.kernel[3]];
  }
  const window = poolingWindow(rule.kind, resolvePooling(batch, rule.window, rule.options, rule.kind));
  const fault = poolingFault(batch, window);
  if (fault !== undefined) throw fail(fault);
  const g = placeWindow(window, batch);
  return [g.outHeight, g.outWidth, input[2]!];
}
