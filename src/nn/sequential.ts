/**
 * `sequential`: layers applied one after the other, any number of them. Each layer takes the
 * examples the previous one gives: a model (`dense`, `inputLayer`, a `sequential`) examples of
 * its own input shape, a shape layer (`conv2dLayer`, pooling, `flattenLayer`) any its rule fits.
 * The type checker follows the shapes through the chain (`SequentialModel`), so a layer that does
 * not fit is a compile error on that argument, naming both shapes (`SequentialCheck`); at run
 * time, `sequential` checks the same in the same words.
 */
import { TypegradError } from '../ad/errors.js';
import type { Shape } from '../ad/shape.js';
import type { Random } from './random.js';
import { describeValue, recordOf } from '../api/record.js';
import type { AnyFun } from '../api/wrap.js';
import { chainStep, isShapeLayer, layerName, type AnyLayer, type SequentialCheck, type SequentialModel } from './layer.js';
import { exampleShape, type Features, type ParameterValues, type ParameterVariable } from './model.js';

/**
 * The layers in order, as one model, from the first layer's examples to the last one's outputs.
 * @example
 * sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10)) // Model<784, 10, …>
 * sequential(inputLayer([28, 28, 1]), conv2dLayer('c1', 1, 6, 5, { activation: 'relu' }), maxPool2dLayer(2), flattenLayer(), dense('d', 864, 10))
 *   // Model<[28, 28, 1], 10, 'c1.W' | 'c1.b' | 'd.W' | 'd.b'>
 */
export function sequential<const Layers extends readonly [AnyLayer, ...AnyLayer[]]>(...layers: SequentialCheck<Layers>): SequentialModel<Layers> {
  const list = layers as readonly AnyLayer[];
  if (list.length === 0) throw new TypegradError('sequential: expected at least one layer');
  list.forEach((layer, i) => {
    const isLayer = layer !== null && typeof layer === 'object' && typeof layer.apply === 'function' && typeof layer.init === 'function' && typeof layer.parameters === 'object';
    if (!isLayer) throw new TypegradError(`sequential: argument ${i + 1} must be a layer or a model (dense, conv2dLayer, sequential, ...), got ${describeValue(layer)}`);
  });
  const first = list[0]!;
  if (isShapeLayer(first)) {
    throw new TypegradError(`sequential: ${layerName(first, 1)} does not fix the shape of the examples; begin with inputLayer([height, width, channels])`);
  }
  const inputs = exampleShape(first.inputs as Features);
  let shape: Shape = exampleShape(first.outputs as Features);
  list.slice(1).forEach((layer, i) => (shape = chainStep(layer, shape, i + 2)));
  const entries: [string, ParameterVariable<string>][] = [];
  for (const layer of list) {
    for (const [name, variable] of Object.entries(layer.parameters as Record<string, ParameterVariable<string>>)) {
      if (entries.some(([other]) => other === name)) throw new TypegradError(`sequential: two layers have a parameter named '${name}'; give the layers different names`);
      entries.push([name, variable]);
    }
  }
  const features = (s: Shape): Features => (s.length === 1 ? s[0]! : s);
  const model = {
    inputs: features(inputs),
    outputs: features(shape),
    parameters: recordOf(entries),
    apply(x: AnyFun): AnyFun {
      let y = x;
      for (const layer of list) y = layer.apply(y as never) as AnyFun;
      return y;
    },
    init(random: Random): ParameterValues<string> {
      return recordOf(list.flatMap((layer) => Object.entries(layer.init(random) as Record<string, Float64Array>)));
    },
  };
  return model as unknown as SequentialModel<Layers>;
}
