/**
 * What a trainable model is: a typed function from a batch of examples to a batch of outputs,
 * whose parameters are variables named `P`. Layers (`dense`, `conv2dLayer`, ...) and their
 * compositions (`sequential`) are models or layers; `train`, `saveParameters` and
 * `loadParameters` work on any model through this interface.
 *
 * An example is a row of numbers (`I` a number: a batch is a matrix [B, I], as for an MLP) or a
 * tensor (`I` a shape: a batch of images [28, 28, 1] is [B, 28, 28, 1]); the batch axis comes
 * first and examples are row-major, one after the other. A dense layer computes X·W + b with
 * W: [I, O] and b: [O] added to every row.
 */
import type { Mutable, Shape } from '../typelevel/index.js';
import type { MFun } from '../api/matrix.js';
import type { Random } from './random.js';
import type { DescribeShape } from '../api/shape-types.js';
import type { FunOf, OperandVars, ShapeOf, TFun } from '../api/tensor.js';
import type { VFun } from '../api/vector.js';
import type { AnyFun } from '../api/wrap.js';

/** A parameter variable: a matrix (`MVar`), a vector (`VVar`) or a tensor (`TVar`, a convolution kernel) named `K`. */
export type ParameterVariable<K extends string> = MFun<number, number, K> | VFun<number, K> | TFun<Shape, K>;

/** Parameter values by variable name, flat row-major. */
export type ParameterValues<P extends string> = { [K in P]: Float64Array };

/** What one example is: a number of features (a row), or a shape ([28, 28, 1] for a grey image). @example const inputs: Features = [28, 28, 1]; */
export type Features = number | Shape;

/**
 * The shape of one example: `[N]` for N features, the shape itself otherwise.
 * @example
 * ExampleShape<784>         // [784]
 * ExampleShape<[28, 28, 1]> // [28, 28, 1]
 */
export type ExampleShape<F extends Features> = F extends number ? [F] : F extends Shape ? Mutable<F> : never;

/**
 * How a model states the shape of one example: N for a vector [N] (a row of N features), the shape otherwise.
 * @example
 * FeaturesOf<[256]>         // 256
 * FeaturesOf<[28, 28, 1]>   // [28, 28, 1]
 */
export type FeaturesOf<S extends Shape> = S extends readonly [infer N extends number] ? N : Mutable<S>;

/** `true` when every dimension of `A` may equal `B`'s (same rank; a dimension only known at run time matches any). */
export type SameExample<A extends Shape, B extends Shape> =
  number extends A['length'] | B['length']
    ? true
    : A['length'] extends B['length']
      ? { [K in keyof A]: K extends keyof B ? (number extends A[K] | B[K] ? true : [A[K]] extends [B[K]] ? true : false) : true }[number] extends true
        ? true
        : false
      : false;

/**
 * `unknown` when a batch of shape `S` may feed a model taking examples `I`, else the message a user reads.
 * @example
 * InputCheck<784, [64, 785]>           // 'shape mismatch: the model takes rows of 784 inputs, got matrix[64×785]'
 * InputCheck<[28, 28, 1], [64, 28, 28, 3]> // 'shape mismatch: the model takes examples of tensor[28×28×1], got tensor[64×28×28×3]'
 */
export type InputCheck<I extends Features, S extends Shape> =
  S extends readonly [number, ...infer Example extends Shape]
    ? SameExample<ExampleShape<I>, Example> extends true ? unknown : InputMessage<I, S>
    : number extends S['length'] ? unknown : InputMessage<I, S>;

type InputMessage<I extends Features, S extends Shape> = I extends number
  ? `shape mismatch: the model takes rows of ${I} inputs, got ${DescribeShape<S>}`
  : `shape mismatch: the model takes examples of ${DescribeShape<ExampleShape<I>>}, got ${DescribeShape<S>}`;

/** The batch dimension of a batch shape. */
type BatchOf<S extends Shape> = S extends readonly [infer B extends number, ...Shape] ? B : number;

/** What `apply` gives for a batch `X`: the outputs [B, ...O] as the Fun of that rank, over X's variables and the parameters. */
export type ModelOutput<X, O extends Features, P extends string> = FunOf<[BatchOf<ShapeOf<X>>, ...ExampleShape<O>], OperandVars<X> | P>;

/**
 * A model from examples `I` to outputs `O` (each a number of features or a shape) with parameters `P`.
 * @example
 * const model = sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));
 * model.apply(MVar('X', 64, 784)) // MFun<64, 10, 'X' | 'l1.W' | 'l1.b' | 'l2.W' | 'l2.b'>
 */
export interface Model<I extends Features, O extends Features, P extends string> {
  /** One example: a number of inputs (the columns of a batch), or its shape. */
  readonly inputs: I;
  /** One example's outputs: a number, or their shape. */
  readonly outputs: O;
  /** The parameter variables by name, in a fixed order (the order of `init` and of saved files). */
  readonly parameters: { readonly [K in P]: ParameterVariable<K> };
  /** The outputs for a batch X: [B, ...inputs], as a Fun of X's variables and the parameters. */
  apply<X extends AnyFun>(x: X & InputCheck<I, ShapeOf<X>>): ModelOutput<X, O, P>;
  /** Initial parameter values drawn from `random` (the same seed gives the same values). */
  init(random: Random): ParameterValues<P>;
}

/** Any model (for functions that take one without caring about its types). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any, any>;

/** The parameter names of a model type. */
export type ParametersOf<M> = M extends Model<Features, Features, infer P> ? P : never;

/** The shape of one example of a model's inputs or outputs as given at run time (a number N is [N]). */
export function exampleShape(features: Features): Shape {
  return typeof features === 'number' ? [features] : features;
}
