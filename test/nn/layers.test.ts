/**
 * The layers of a convolutional network and `sequential` over any number of layers: parameters,
 * initialisation, what each computes, the run-time checks of a chain (in the words of the
 * compile-time messages, test-d/fixtures/fail/convolution.ts), and a small CNN trained, saved,
 * reloaded and exported to ONNX.
 */
import { describe, expect, it } from 'vitest';
import { conv2d, maxPool2d, relu, Tensor, TVar, TypegradError } from '../../src/index.js';
import { adam, avgPool2dLayer, conv2dLayer, dense, evaluate, exportModelOnnx, flattenLayer, inputLayer, maxPool2dLayer, parametersFromJson, parametersToJson, Random, sequential, train } from '../../src/nn/index.js';
import { decodeModel, dimsOf, ort } from '../support/onnx.js';

const untyped = sequential as (...layers: unknown[]) => { inputs: unknown; outputs: unknown; parameters: object };
const values = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 0.7 + seed * 1.3));

describe('conv2dLayer', () => {
  const layer = conv2dLayer('c', 3, 4, [3, 2], { activation: 'relu', padding: 'same' });

  it('has a kernel [KH, KW, C, F] and a bias [F], named after the layer', () => {
    expect(Object.keys(layer.parameters)).toEqual(['c.W', 'c.b']);
    expect(layer.W.node.shape).toEqual([3, 2, 3, 4]);
    expect(layer.b.node.shape).toEqual([4]);
    expect(layer.rule).toEqual({ kind: 'conv2d', name: 'c', kernel: [3, 2, 3, 4], options: { padding: 'same' } });
  });

  it('draws He uniform weights after relu (fan-in: taps × input channels), Glorot otherwise, and a zero bias', () => {
    const he = layer.init(new Random(1));
    expect(he['c.W']).toHaveLength(72);
    expect(Math.max(...he['c.W'].map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 18));
    expect(Math.max(...he['c.W'].map(Math.abs))).toBeGreaterThan(0.8 * Math.sqrt(6 / 18));
    expect(Array.from(he['c.b'])).toEqual([0, 0, 0, 0]);
    const glorot = conv2dLayer('g', 3, 4, [3, 2]).init(new Random(1))['g.W'];
    expect(Math.max(...glorot.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (18 + 24)));
    expect(conv2dLayer('h', 3, 4, 2, { initializer: 'he-normal' }).initializer).toBe('he-normal');
  });

  it('computes relu(conv2d(x, W) + b) with its options', () => {
    const x = Tensor(values(2 * 5 * 4 * 3, 1), [2, 5, 4, 3]);
    const bindings = { 'c.W': values(72, 2), 'c.b': [0.1, -0.2, 0.3, 0] };
    const expected = relu(conv2d(x, TVar('c.W', [3, 2, 3, 4]), { padding: 'same' }).add(TVar('c.b', [4]))).eval(bindings);
    expect((layer.apply(x) as unknown as { eval(b: unknown): unknown }).eval(bindings)).toEqual(expected);
  });

  it('refuses bad arguments, naming them', () => {
    expect(() => conv2dLayer('', 1, 2, 3)).toThrow(new TypegradError('conv2dLayer: the layer needs a non-empty name, got the string ""'));
    expect(() => conv2dLayer('c', 1, 2, 3, { activation: 'gelu' as never })).toThrow(/conv2dLayer 'c': unknown activation the string "gelu"/);
    expect(() => conv2dLayer('c', 1, 0, 3)).toThrow(/a dimension must be a positive integer, got 0/);
  });
});

describe('sequential of any number of layers', () => {
  const layers = () => [
    inputLayer([12, 12, 2]),
    conv2dLayer('c1', 2, 4, 3, { activation: 'relu' }),
    maxPool2dLayer(2),
    conv2dLayer('c2', 4, 6, 2, { activation: 'relu', padding: 'same' }),
    avgPool2dLayer(2, { padding: 'same' }),
    flattenLayer(),
    dense('d1', 54, 8, { activation: 'relu' }),
    dense('d2', 8, 3),
  ] as const;

  it('follows the shapes through the chain: [12, 12, 2] → [10, 10, 4] → [5, 5, 4] → [5, 5, 6] → [3, 3, 6] → 54 → 8 → 3', () => {
    const model = sequential(...layers());
    expect(model.inputs).toEqual([12, 12, 2]);
    expect(model.outputs).toBe(3);
    expect(Object.keys(model.parameters)).toEqual(['c1.W', 'c1.b', 'c2.W', 'c2.b', 'd1.W', 'd1.b', 'd2.W', 'd2.b']);
    expect(model.apply(TVar('x', [7, 12, 12, 2])).node.shape).toEqual([7, 3]);
    expect(untyped(inputLayer([12, 12, 2]), conv2dLayer('c', 2, 3, 3)).outputs).toEqual([10, 10, 3]);
  });

  it('checks the chain at run time in the words of the compile-time messages', () => {
    const lenet = [inputLayer([28, 28, 1]), conv2dLayer('c1', 1, 6, 5), maxPool2dLayer(2), conv2dLayer('c2', 6, 16, 5), maxPool2dLayer(2), flattenLayer()];
    expect(() => untyped(...lenet, dense('d1', 200, 120))).toThrow(new TypegradError('sequential: shape mismatch: layer 7 takes examples of vector[200], but layer 6 gives vector[256]'));
    expect(() => untyped(inputLayer([28, 28, 1]), conv2dLayer('c1', 1, 6, 5), maxPool2dLayer(2), conv2dLayer('c2', 8, 16, 5))).toThrow(
      new TypegradError("sequential: shape mismatch: layer 4 (conv2d 'c2') takes 8 input channels, but layer 3 gives tensor[12×12×6]"),
    );
    expect(() => untyped(inputLayer([8, 8, 1]), conv2dLayer('c1', 1, 6, 5), maxPool2dLayer(5))).toThrow(
      new TypegradError('sequential: shape mismatch: layer 3 (maxPool2d): the 5×5 window does not fit in the padded 4×4 of tensor[4×4×6] from layer 2'),
    );
    expect(() => untyped(conv2dLayer('c1', 1, 6, 5), maxPool2dLayer(2))).toThrow(
      new TypegradError("sequential: layer 1 (conv2d 'c1') does not fix the shape of the examples; begin with inputLayer([height, width, channels])"),
    );
    expect(() => untyped(inputLayer([28, 28, 1]), flattenLayer(), conv2dLayer('c', 1, 6, 5))).toThrow(
      new TypegradError("sequential: shape mismatch: layer 3 (conv2d 'c') takes examples [height, width, channels], but layer 2 gives vector[784]"),
    );
    expect(() => untyped(inputLayer([4, 4, 1]), conv2dLayer('c', 1, 2, 1), conv2dLayer('c', 2, 2, 1))).toThrow(/two layers have a parameter named 'c.W'/);
    expect(() => untyped(inputLayer([4, 4, 1]), 'relu')).toThrow(/sequential: argument 2 must be a layer or a model/);
  });

  it('checks a batch against the input layer', () => {
    const model = sequential(...layers());
    expect(() => model.apply(TVar('x', [7, 12, 12, 3]) as never)).toThrow(
      new TypegradError('inputLayer: shape mismatch: the model takes examples of tensor[12×12×2], got tensor[7×12×12×3]'),
    );
  });
});

describe('a small CNN', () => {
  // Two classes of 6×6 images: a bright vertical bar or a bright horizontal bar, with noise.
  function bars(count: number, seed: string) {
    const random = new Random(seed);
    const inputs = new Float64Array(count * 36), targets = new Float64Array(count * 2);
    for (let e = 0; e < count; e++) {
      const vertical = e % 2, line = 1 + Math.floor(random.uniform() * 4);
      for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) inputs[e * 36 + r * 6 + c] = ((vertical ? c : r) === line ? 1 : 0) + 0.2 * random.uniform();
      targets[e * 2 + vertical] = 1;
    }
    return { inputs, targets };
  }
  const model = () => sequential(inputLayer([6, 6, 1]), conv2dLayer('c', 1, 4, 3, { activation: 'relu' }), maxPool2dLayer(2), flattenLayer(), dense('d', 16, 2));

  it('learns, and its parameters save, reload and export to ONNX with the same outputs', async () => {
    const data = bars(64, 'train'), test = bars(32, 'test');
    const result = train(model(), data, { epochs: 12, batchSize: 16, optimizer: adam({ lr: 0.03 }), seed: 3, progress: 'none', validation: test });
    expect(result.history.loss.at(-1)!).toBeLessThan(result.history.loss[0]! / 3);
    expect(result.history.validationAccuracy.at(-1)!).toBeGreaterThan(0.9);
    const reloaded = parametersFromJson(model(), parametersToJson(model(), result.params));
    expect(reloaded['c.W']).toEqual(result.params['c.W']);
    expect(evaluate(model(), reloaded, test).accuracy).toBe(result.history.validationAccuracy.at(-1));

    const { inference } = await exportModelOnnx(model(), { batchSize: 4, params: result.params });
    expect(decodeModel(inference).graph.input.map((i) => [i.name, dimsOf(i)])).toEqual([['batch.inputs', [4, 6, 6, 1]]]);
    const session = await ort.InferenceSession.create(inference);
    const images = test.inputs.subarray(0, 4 * 36);
    const { outputs } = await session.run({ 'batch.inputs': new ort.Tensor('float32', Float32Array.from(images), [4, 6, 6, 1]) });
    const expected = (model().apply(Tensor(images, [4, 6, 6, 1])) as unknown as { eval(b: unknown): number[][] }).eval(result.params).flat();
    Array.from(outputs!.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  });

  it('refuses to train a model whose outputs are not a vector per example', () => {
    const maps = sequential(inputLayer([6, 6, 1]), conv2dLayer('c', 1, 2, 3));
    expect(() => train(maps as never, bars(8, 'x'), { progress: 'none' })).toThrow(
      new TypegradError("train: the model's outputs must be a vector per example (end with flattenLayer() and a dense layer), got tensor[4×4×2]"),
    );
    expect(maxPool2d).toBeTypeOf('function');
  });
});
