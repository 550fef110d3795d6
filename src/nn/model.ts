/**
 * What a trainable model is: a typed function from a batch of rows [B, I] to a batch of outputs
 * [B, O] whose parameters are matrix and vector variables named `P`. Layers (`dense`) and their
 * compositions (`sequential`) are models; `train`, `saveParameters` and `loadParameters` work
 * on any model through this interface.
 *
 * Layout: a batch is row-major, one example per row (X: [B, I]); a dense layer computes
 * X·W + b with W: [I, O] and b: [O] added to every row.
 */
import type { MFun } from '../api/matrix.js';
import type { Random } from './random.js';
import type { SameDimension } from '../api/shape-types.js';
import type { VFun } from '../api/vector.js';

/** A parameter variable: a matrix (`MVar`) or a vector (`VVar`) named `K`. */
export type ParameterVariable<K extends string> = MFun<number, number, K> | VFun<number, K>;

/** Parameter values by variable name, flat row-major. */
export type ParameterValues<P extends string> = { [K in P]: Float64Array };

/** `unknown` when a batch of C columns may feed a model with I inputs, else the message a user reads. */
export type InputCheck<I extends number, B extends number, C extends number> =
  SameDimension<I, C, `shape mismatch: the model takes rows of ${I} inputs, got matrix[${B}×${C}]`>;

/**
 * A model from I inputs to O outputs with parameters `P`.
 * @example
 * const model = sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));
 * model.apply(MVar('X', 64, 784)) // MFun<64, 10, 'X' | 'l1.W' | 'l1.b' | 'l2.W' | 'l2.b'>
 */
export interface Model<I extends number, O extends number, P extends string> {
  /** Inputs per example (columns of the batch). */
  readonly inputs: I;
  /** Outputs per example. */
  readonly outputs: O;
  /** The parameter variables by name, in a fixed order (the order of `init` and of saved files). */
  readonly parameters: { readonly [K in P]: ParameterVariable<K> };
  /** The outputs for a batch X: [B, I], as a Fun of X's variables and the parameters. */
  apply<B extends number, C extends number, V extends string>(x: MFun<B, C, V> & InputCheck<I, B, C>): MFun<B, O, V | P>;
  /** Initial parameter values drawn from `random` (the same seed gives the same values). */
  init(random: Random): ParameterValues<P>;
}

/** Any model (for functions that take one without caring about its types). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any, any>;

/** The parameter names of a model type. */
export type ParametersOf<M> = M extends Model<number, number, infer P> ? P : never;
