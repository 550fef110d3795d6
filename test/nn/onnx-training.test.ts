/**
 * Training steps exported to ONNX: the symbolic update rules equal the numeric optimizers, a
 * step run 100 times in ONNX Runtime ends at the parameters typegrad's own `train` reaches, and
 * the MNIST MLP trained by typegrad and exported classifies its test digits exactly as typegrad
 * does.
 */
import { describe, expect, it } from 'vitest';
import { optimizerOf } from '../../src/nn/onnx/training-step.js';
import { compile, grad, matmul, MVar, TypegradError, Var, VVar } from '../../src/index.js';
import { dense, evaluate, exportModelOnnx, exportTrainingStep, Random, sequential, train, trainingStep, type UpdateRule } from '../../src/nn/index.js';
import { loadMnist } from '../../src/node/index.js';
import { clouds, smallModel } from './fixtures.js';
import { decodeModel, dimsOf, ort, trainInOrt } from '../support/onnx.js';

const RULES: readonly UpdateRule[] = [{ kind: 'sgd', lr: 0.1 }, { kind: 'momentum', lr: 0.05 }, { kind: 'adam' }, { kind: 'adam', lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6 }];
const quiet = { progress: 'none' } as const;

describe('trainingStep', () => {
  it('is the numeric optimizer written symbolically: 5 steps compiled on js equal optimizer.step to 1e-12 (defaults included)', () => {
    const X = MVar('X', 4, 3), W = MVar('W', 3, 2), b = VVar('b', 2), Y = MVar('Y', 4, 2);
    const difference = matmul(X, W).add(b).sub(Y);
    const loss = difference.mul(difference).sum().div(8);
    const data = { X: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)), Y: Float64Array.from({ length: 8 }, (_, i) => Math.cos(i)) };
    const g = grad(loss, { W, b });
    const gradient = compile([g.W, g.b]);
    for (const rule of RULES) {
      const step = trainingStep(loss, { W, b }, rule);
      const run = compile(step.outputs) as unknown as (bindings: Record<string, number | Float64Array>) => Record<string, number | Float64Array>;
      const values: Record<string, number | Float64Array> = { W: Float64Array.of(0.1, -0.2, 0.3, 0.05, -0.1, 0.2), b: Float64Array.of(0, 0.1) };
      for (const { input, shape, role } of step.carried) if (role === 'state') values[input] = shape.length === 0 ? 0 : new Float64Array(shape.reduce((n, d) => n * d, 1));
      const optimizer = optimizerOf(rule);
      const params = { W: (values.W as Float64Array).slice(), b: (values.b as Float64Array).slice() };
      const state = optimizer.init(params);
      for (let t = 0; t < 5; t++) {
        const [gW, gb] = gradient({ ...data, ...params });
        optimizer.step(params, { W: gW, b: gb }, state);
        const out = run({ ...data, ...values });
        for (const { input, output } of step.carried) values[input] = out[output]!;
      }
      for (const name of ['W', 'b'] as const) params[name].forEach((p, i) => expect(Math.abs((values[name] as Float64Array)[i]! - p), `${rule.kind} ${name}`).toBeLessThan(1e-12));
    }
  });

  it('names its inputs and outputs: parameters, optimizer state, data; loss and <input>.next', () => {
    const W = MVar('W', 2, 2), x = VVar('x', 2);
    const loss = matmul(W, x).sum();
    const step = trainingStep(loss, [W], { kind: 'adam' });
    expect(step.inputs.map((v) => v.node.name)).toEqual(['W', 'optimizer.m.W', 'optimizer.v.W', 'optimizer.t', 'x']);
    expect(Object.keys(step.outputs)).toEqual(['loss', 'W.next', 'optimizer.m.W.next', 'optimizer.v.W.next', 'optimizer.t.next']);
    expect(step.data).toEqual([{ name: 'x', shape: [2] }]);
    expect(step.carried.map((c) => c.role)).toEqual(['parameter', 'state', 'state', 'state']);
  });

  it('bad arguments are TypegradErrors naming the problem', async () => {
    const W = MVar('W', 2, 2), x = VVar('x', 2);
    const loss = matmul(W, x).sum();
    const cases: [() => unknown, RegExp][] = [
      [() => trainingStep(matmul(W, x) as never, [W], { kind: 'sgd', lr: 1 }), /the loss must be a scalar Fun, got an object \(a vector\[2\] Fun; sum or average it\)/],
      [() => trainingStep(loss, [], { kind: 'sgd', lr: 1 }), /parameters must be a non-empty array or record of variables/],
      [() => trainingStep(loss, [W.mul(2)] as never, { kind: 'sgd', lr: 1 }), /expected a variable made by Var, VVar or MVar, got the expression/],
      [() => trainingStep(loss, [W, W], { kind: 'sgd', lr: 1 }), /parameter 'W' is listed twice/],
      [() => trainingStep(loss, [W], { kind: 'rmsprop' } as never), /optimizer.kind must be 'sgd', 'momentum' or 'adam', got the string "rmsprop"/],
      [() => trainingStep(loss, [W], { kind: 'sgd', lr: -1 }), /sgd: lr must be a positive finite number, got number -1/],
      [() => trainingStep(loss, [W], { kind: 'adam', beta1: 1 }), /adam: beta1 must be a number in \[0, 1\), got number 1/],
      [() => trainingStep(loss.add(Var('optimizer.t')), [W], { kind: 'adam' }), /the loss has a variable named 'optimizer.t', the name the training step gives optimizer state; rename that variable/],
      [() => trainingStep(loss.add(Var('W.next')), [W], { kind: 'sgd', lr: 1 }), /the loss has a variable named 'W.next', the name the training step gives the next value of 'W'/],
    ];
    for (const [f, message] of cases) expect(f, String(message)).toThrow(message);
    for (const [f] of cases) expect(f).toThrow(TypegradError);
    await expect(exportTrainingStep(loss, [W], {} as never)).rejects.toThrow(/options.optimizer is required/);
  });
});

/** `train`'s batches in order (shuffle off): rows first … first + B − 1, each of weight 1/B. */
function* batchesOf(data: { inputs: Float64Array; targets: Float64Array }, batchSize: number, inputs: number, outputs: number, epochs: number) {
  const count = data.inputs.length / inputs;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let first = 0; first < count; first += batchSize) {
      yield {
        'batch.inputs': data.inputs.subarray(first * inputs, (first + batchSize) * inputs),
        'batch.targets': data.targets.subarray(first * outputs, (first + batchSize) * outputs),
        'batch.weights': new Float64Array(batchSize).fill(1 / batchSize),
      };
    }
  }
}

describe('an exported training step in ONNX Runtime', () => {
  const data = clouds(100);
  const model = smallModel();
  const initial = model.init(new Random(3));

  for (const rule of [{ kind: 'sgd', lr: 0.2 }, { kind: 'momentum', lr: 0.05, beta: 0.8 }, { kind: 'adam', lr: 0.01 }] as const) {
    it(`${rule.kind}: 100 steps end at the parameters of typegrad's train, within float32 accuracy`, async () => {
      const reference = train(model, data, { ...quiet, epochs: 10, batchSize: 10, shuffle: false, initial, optimizer: optimizerOf(rule) });
      expect(reference.stats.steps).toBe(100);
      const { training } = await exportModelOnnx(model, { batchSize: 10, optimizer: rule });
      const { values, losses } = await trainInOrt(training, initial, batchesOf(data, 10, 2, 3, 10));
      expect(losses).toHaveLength(100);
      let worst = 0;
      for (const name of Object.keys(initial) as (keyof typeof initial)[]) {
        reference.params[name].forEach((p, i) => (worst = Math.max(worst, Math.abs(values[name]![i]! - p) / Math.max(1, Math.abs(p)))));
      }
      console.log(`${rule.kind}: largest relative difference from train after 100 steps ${worst.toExponential(1)}`);
      expect(worst).toBeLessThan(1e-4);
      // The step trained: the last epoch's loss is below the first's.
      const epochLoss = (e: number) => losses.slice(e * 10, e * 10 + 10).reduce((a, b) => a + b, 0) / 10;
      expect(epochLoss(9)).toBeLessThan(epochLoss(0) / 2);
      expect(epochLoss(9)).toBeCloseTo(reference.history.loss[9]!, 4);
    });
  }

  it('the model helper: inference takes batch.inputs (parameters baked in, or as inputs), training the batch and the state', async () => {
    const baked = await exportModelOnnx(model, { batchSize: 4, params: initial });
    expect(decodeModel(baked.inference).graph.input.map((i) => [i.name, dimsOf(i)])).toEqual([['batch.inputs', [4, 2]]]);
    expect(decodeModel(baked.inference).graph.output.map((o) => [o.name, dimsOf(o)])).toEqual([['outputs', [4, 3]]]);
    const open = await exportModelOnnx(model, { batchSize: 4 });
    expect(decodeModel(open.inference).graph.input.map((i) => i.name)).toEqual(['batch.inputs', 'h.W', 'h.b', 'o.W', 'o.b']);
    expect(open.training.data.map((d) => d.name)).toEqual(['batch.inputs', 'batch.targets', 'batch.weights']);
    await expect(exportModelOnnx(model, { batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer, got number 0/);
    await expect(exportModelOnnx(model, { batchSize: 4, params: { 'h.W': initial['h.W'] } as never })).rejects.toThrow(/params must hold exactly the model's parameters \(h.W, h.b, o.W, o.b\); missing h.b, o.W, o.b/);
    await expect(exportModelOnnx({} as never, { batchSize: 4 })).rejects.toThrow(/expected a model \(dense, sequential\)/);
  });

  it("the MNIST MLP trained by typegrad, exported, classifies the test digits exactly as typegrad's evaluate", async () => {
    const { train: digits, test } = loadMnist({ train: 1000, test: 500, seed: 0 });
    const mlp = sequential(dense('l1', 784, 32, { activation: 'relu' }), dense('l2', 32, 10));
    const { params } = train(mlp, { inputs: digits.images, targets: digits.oneHot }, { ...quiet, epochs: 2, batchSize: 50, seed: 1 });
    const expected = evaluate(mlp, params, { inputs: test.images, targets: test.oneHot }).accuracy;
    const { inference } = await exportModelOnnx(mlp, { batchSize: 100, params });
    const session = await ort.InferenceSession.create(inference);
    let correct = 0;
    for (let first = 0; first < test.count; first += 100) {
      const images = new ort.Tensor('float32', Float32Array.from(test.images.subarray(first * 784, (first + 100) * 784)), [100, 784]);
      const logits = (await session.run({ 'batch.inputs': images })).outputs!.data as Float32Array;
      for (let r = 0; r < 100; r++) {
        const row = logits.subarray(r * 10, r * 10 + 10);
        if (row.indexOf(Math.max(...row)) === test.labels[first + r]) correct++;
      }
    }
    await session.release();
    console.log(`MNIST MLP (1,000 digits, 2 epochs): test accuracy ${expected} in typegrad, ${correct / test.count} in ONNX Runtime`);
    expect(expected).toBeGreaterThan(0.7);
    expect(correct / test.count).toBe(expected);
  });
});
