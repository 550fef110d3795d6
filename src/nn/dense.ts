/**
 * `dense`: a fully connected layer X·W + b followed by an activation, with W = MVar(`${name}.W`,
 * inputs, outputs) and b = VVar(`${name}.b`, outputs). Its shapes are in its type, so a
 * 784→128 layer cannot feed a 64→10 layer: that is a compile error.
 */
import { TypegradError } from '../ad/errors.js';
import { relu, sigmoid, tanh } from '../api/functions.js';
import { glorotNormal, glorotUniform, heNormal, heUniform } from './init.js';
import { MFun, MVar } from '../api/matrix.js';
import { Random } from './random.js';
import { describeValue } from '../api/record.js';
import { VVar, type VFun } from '../api/vector.js';
import type { ShapeOf } from '../api/tensor.js';
import type { AnyFun } from '../api/wrap.js';
import type { InputCheck, Model, ModelOutput, ParameterValues } from './model.js';

/** What follows the affine map: nothing (`linear`), or an elementwise or row-wise function. */
export type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax';

/** How W is drawn (b starts at zero). */
export type Initializer = 'he-uniform' | 'he-normal' | 'glorot-uniform' | 'glorot-normal';

/** Options of `dense`. */
export interface DenseOptions {
  /** Default `linear` (logits: pair it with `softmaxCrossEntropy`). */
  readonly activation?: Activation;
  /** Default `he-uniform` after relu, `glorot-uniform` otherwise. */
  readonly initializer?: Initializer;
}

/** The parameter names of a dense layer called `Name`. */
export type DenseParameters<Name extends string> = `${Name}.W` | `${Name}.b`;

/** A dense layer: a model from I to O inputs with two parameters. */
export interface Dense<Name extends string, I extends number, O extends number> extends Model<I, O, DenseParameters<Name>> {
  readonly name: Name;
  readonly activation: Activation;
  readonly initializer: Initializer;
  /** The weights [I, O]. */
  readonly W: MFun<I, O, `${Name}.W`>;
  /** The bias [O], added to every row. */
  readonly b: VFun<O, `${Name}.b`>;
}

const ACTIVATIONS: Record<Activation, (z: MFun<number, number, string>) => MFun<number, number, string>> = {
  linear: (z) => z,
  relu: (z) => relu(z),
  tanh: (z) => tanh(z),
  sigmoid: (z) => sigmoid(z),
  softmax: (z) => z.softmax(),
};

// init.ts draws a rows × cols matrix for y = W·x (fan-in = cols). Our W is [I, O] with fan-in I,
// so we draw an O × I matrix: its entries are independent, so read as [I, O] they have the
// same distribution, with the right fan-in and fan-out.
const INITIALIZERS: Record<Initializer, (fanIn: number, fanOut: number, random: Random) => Float64Array> = {
  'he-uniform': (fanIn, fanOut, random) => heUniform(fanOut, fanIn, random),
  'he-normal': (fanIn, fanOut, random) => heNormal(fanOut, fanIn, random),
  'glorot-uniform': (fanIn, fanOut, random) => glorotUniform(fanOut, fanIn, random),
  'glorot-normal': (fanIn, fanOut, random) => glorotNormal(fanOut, fanIn, random),
};

/**
 * A dense layer named `name` from `inputs` to `outputs` per example.
 * @example
 * const l1 = dense('l1', 784, 128, { activation: 'relu' });
 * l1.apply(MVar('X', 64, 784)) // MFun<64, 128, 'X' | 'l1.W' | 'l1.b'>
 */
export function dense<const Name extends string, I extends number, O extends number>(
  name: Name,
  inputs: I,
  outputs: O,
  options: DenseOptions = {},
): Dense<Name, I, O> {
  if (typeof name !== 'string' || name.length === 0) throw new TypegradError(`dense: the layer needs a non-empty name, got ${describeValue(name)}`);
  if (options === null || typeof options !== 'object') throw new TypegradError(`dense '${name}': expected an options object, got ${describeValue(options)}`);
  const activation = options.activation ?? 'linear';
  if (!Object.hasOwn(ACTIVATIONS, activation)) {
    throw new TypegradError(`dense '${name}': unknown activation ${describeValue(activation)} (expected ${Object.keys(ACTIVATIONS).join(', ')})`);
  }
  const initializer = options.initializer ?? (activation === 'relu' ? 'he-uniform' : 'glorot-uniform');
  if (!Object.hasOwn(INITIALIZERS, initializer)) {
    throw new TypegradError(`dense '${name}': unknown initializer ${describeValue(initializer)} (expected ${Object.keys(INITIALIZERS).join(', ')})`);
  }
  const W = MVar(`${name}.W`, inputs, outputs);
  const b = VVar(`${name}.b`, outputs);
  const parameters = { [`${name}.W`]: W, [`${name}.b`]: b } as unknown as Dense<Name, I, O>['parameters'];
  return {
    name,
    inputs,
    outputs,
    activation,
    initializer,
    W,
    b,
    parameters,
    apply<X extends AnyFun>(x: X & InputCheck<I, ShapeOf<X>>): ModelOutput<X, O, DenseParameters<Name>> {
      if (!(x instanceof MFun)) throw new TypegradError(`dense '${name}': expected a batch as a matrix Fun [batch, ${inputs}], got ${describeValue(x)}`);
      if ((x.columns as number) !== inputs) {
        throw new TypegradError(`dense '${name}': the layer takes rows of ${inputs} inputs, got a matrix[${x.rows}×${x.columns}]`);
      }
      // Checked above at run time; plain `number` dimensions keep the implementation generic-free.
      const z = (x as unknown as MFun<number, number, string>).matmul(W as unknown as MFun<number, number, string>).add(b as unknown as VFun<number, string>);
      return ACTIVATIONS[activation](z as unknown as MFun<number, number, string>) as unknown as ModelOutput<X, O, DenseParameters<Name>>;
    },
    init(random: Random): ParameterValues<DenseParameters<Name>> {
      if (!(random instanceof Random)) throw new TypegradError(`dense '${name}'.init: expected a Random generator, got ${describeValue(random)}`);
      return {
        [`${name}.W`]: INITIALIZERS[initializer](inputs, outputs, random),
        [`${name}.b`]: new Float64Array(outputs),
      } as ParameterValues<DenseParameters<Name>>;
    },
  };
}
