/** train and evaluate: learning, determinism, derive-once, batching, early stopping, callbacks. */
import { describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { adam, evaluate, meanSquaredError, Random, sgd, train } from '../../src/nn/index.js';
import { progressReporter } from '../../src/node/index.js';
import { clouds, recorder, smallModel } from './fixtures.js';

const data = clouds(120);
const validation = clouds(60, 'validation');
const quiet = { progress: 'none' } as const;

describe('train', () => {
  it('lowers the loss and classifies the clouds', () => {
    const result = train(smallModel(), data, { ...quiet, epochs: 15, batchSize: 16, optimizer: adam({ lr: 0.03 }), validation });
    const { loss, accuracy, validationAccuracy } = result.history;
    expect(loss).toHaveLength(15);
    expect(loss.at(-1)!).toBeLessThan(loss[0]! / 3);
    expect(accuracy.at(-1)!).toBeGreaterThan(0.9);
    expect(validationAccuracy.at(-1)!).toBeGreaterThan(0.9);
    expect(result.stopReason).toBe('epochs');
    expect(evaluate(smallModel(), result.params, validation).accuracy).toBe(validationAccuracy.at(-1));
  });

  it('gives identical losses and parameters for the same seed, others for another seed', () => {
    const run = (seed: number) => train(smallModel(), data, { ...quiet, epochs: 3, batchSize: 16, seed, validation });
    const [a, b, c] = [run(5), run(5), run(6)];
    expect(a.history.loss).toEqual(b.history.loss);
    expect(a.history.validationLoss).toEqual(b.history.validationLoss);
    expect(a.params['h.W']).toEqual(b.params['h.W']);
    expect(c.history.loss).not.toEqual(a.history.loss);
  });

  it('derives the gradient once and makes each program once, whatever the number of steps', () => {
    const short = train(smallModel(), data, { ...quiet, epochs: 1, batchSize: 16, validation });
    const long = train(smallModel(), data, { ...quiet, epochs: 4, batchSize: 16, validation });
    expect(short.stats).toEqual({ derivations: 1, compilations: 2, steps: 8, engine: short.stats.engine });
    expect(long.stats).toEqual({ derivations: 1, compilations: 2, steps: 32, engine: short.stats.engine });
    expect(train(smallModel(), data, { ...quiet, batchSize: 16 }).stats.compilations).toBe(1);
  });

  it('pads the last partial batch with rows of weight 0, or drops it', () => {
    // One step on all 120 rows as a batch of 128 (8 padding rows) equals one step with batch 120.
    const options = { ...quiet, shuffle: false, optimizer: sgd({ lr: 0.5 }) } as const;
    const padded = train(smallModel(), data, { ...options, batchSize: 128 });
    const exact = train(smallModel(), data, { ...options, batchSize: 120 });
    for (const name of ['h.W', 'h.b', 'o.W', 'o.b'] as const) {
      padded.params[name].forEach((v, i) => expect(v).toBeCloseTo(exact.params[name][i]!, 13));
    }
    expect(padded.history.loss[0]).toBeCloseTo(exact.history.loss[0]!, 13);
    expect(train(smallModel(), data, { ...quiet, batchSize: 50 }).stats.steps).toBe(3);
    expect(train(smallModel(), data, { ...quiet, batchSize: 50, lastBatch: 'drop' }).stats.steps).toBe(2);
    expect(() => train(smallModel(), data, { ...quiet, batchSize: 200, lastBatch: 'drop' })).toThrow(/120 examples make no full batch of 200/);
  });

  it('evaluates the same loss whatever the batch size', () => {
    const { params } = train(smallModel(), data, { ...quiet, epochs: 2 });
    const a = evaluate(smallModel(), params, validation, { batchSize: 7 });
    const b = evaluate(smallModel(), params, validation, { batchSize: 60 });
    expect(a.loss).toBeCloseTo(b.loss, 13);
    expect(a.accuracy).toBe(b.accuracy);
  });

  it('calls onStep after every step and onEpochEnd after every epoch; false stops', () => {
    const steps: number[] = [];
    const epochs: number[] = [];
    const result = train(smallModel(), data, {
      ...quiet, epochs: 5, batchSize: 40,
      onStep: (info) => steps.push(info.epoch * 10 + info.step),
      onEpochEnd: (info) => {
        epochs.push(info.epoch);
        return info.epoch < 2;
      },
    });
    expect(steps).toEqual([11, 12, 13, 21, 22, 23]);
    expect(epochs).toEqual([1, 2]);
    expect(result.stopReason).toBe('callback');
    expect(result.epochs).toBe(2);
  });

  it('stops early when the monitored metric stops improving, and can restore the best parameters', () => {
    const kept: Float64Array[] = [];
    // minDelta so large that no epoch after the first counts as an improvement.
    const result = train(smallModel(), data, {
      ...quiet, epochs: 10, batchSize: 16, validation,
      earlyStopping: { patience: 2, minDelta: 1e9, restoreBest: true },
      onEpochEnd: (info) => void kept.push(Float64Array.from(info.params['o.W'])),
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.epochs).toBe(3);
    expect(result.bestEpoch).toBe(1);
    expect(result.params['o.W']).toEqual(kept[0]);
    const accuracy = train(smallModel(), data, { ...quiet, epochs: 10, batchSize: 16, validation, earlyStopping: { patience: 3, monitor: 'validationAccuracy' } });
    expect(accuracy.epochs).toBeLessThanOrEqual(10);
    expect(() => train(smallModel(), data, { ...quiet, earlyStopping: { patience: 1, monitor: 'validationLoss' } })).toThrow(/no validation data was given/);
  });

  it('trains a regression with mean squared error (no accuracy)', () => {
    const targets = new Float64Array(120 * 3);
    for (let i = 0; i < 120; i++) for (let j = 0; j < 3; j++) targets[3 * i + j] = data.inputs[2 * i]! * (j - 1) + data.inputs[2 * i + 1]!;
    const result = train(smallModel(), { inputs: data.inputs, targets }, { ...quiet, epochs: 20, batchSize: 20, loss: 'mean-squared-error', optimizer: adam({ lr: 0.02 }), accuracy: false });
    expect(result.history.loss.at(-1)!).toBeLessThan(result.history.loss[0]! / 5);
    expect(result.history.accuracy).toEqual([]);
    const custom = train(smallModel(), { inputs: data.inputs, targets }, { ...quiet, epochs: 1, loss: (z, y, w) => meanSquaredError(z, y, w), accuracy: false });
    expect(custom.history.loss[0]).toBeGreaterThan(0);
  });

  it('reports one line per epoch to the terminal reporter when the output is not a terminal', () => {
    const output = recorder(false);
    train(smallModel(), data, { epochs: 2, batchSize: 40, validation, progress: progressReporter('auto', output) });
    const lines = output.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^epoch 1\/2 {2}loss \d\.\d{4} {2}accuracy [\d.]+% {2}validation loss \d\.\d{4} {2}validation accuracy [\d.]+% {2}[\d.]+ s {2}[\d,]+ examples\/s$/);
    expect(output.text).not.toContain('\r');
  });

  it('redraws a progress bar in place on a terminal', () => {
    const output = recorder(true);
    train(smallModel(), data, { epochs: 1, batchSize: 40, progress: progressReporter('auto', output) });
    expect(output.text).toMatch(/\r\x1b\[2Kepoch 1\/1 \[=+\] 3\/3 {2}loss \d\.\d{4} {2}[\d,]+ examples\/s/);
    expect(output.text).toMatch(/\r\x1b\[2Kepoch 1\/1 {2}loss .*\n$/);
  });

  it('reports to any reporter, and to none by default', () => {
    const seen: string[] = [];
    train(smallModel(), data, { epochs: 2, batchSize: 40, progress: { step: (p) => seen.push(`step ${p.epoch}.${p.step}`), epochEnd: (p) => seen.push(`epoch ${p.epoch}`) } });
    expect(seen).toEqual(['step 1.1', 'step 1.2', 'step 1.3', 'epoch 1', 'step 2.1', 'step 2.2', 'step 2.3', 'epoch 2']);
    expect(() => train(smallModel(), data, { epochs: 1, progress: 'bar' as never })).toThrow(
      new TypegradError("train: options.progress must be 'none' or a reporter with step and epochEnd (progressReporter() from typegrad/node draws a bar), got the string \"bar\""),
    );
  });

  it('names what is wrong with the data and options', () => {
    const model = smallModel();
    expect(() => train(model, { inputs: new Float64Array(5), targets: new Float64Array(9) }, quiet)).toThrow(new TypegradError("train: data.inputs has 5 values, not a positive whole number of rows of 2 (the model's inputs)"));
    expect(() => train(model, { inputs: new Float64Array(6), targets: new Float64Array(8) }, quiet)).toThrow(/data.inputs has 3 rows, so data.targets needs 3 × 3 = 9 values/);
    expect(() => train(model, data, { ...quiet, batchSize: 0 })).toThrow(/batchSize must be a positive integer, got number 0/);
    expect(() => train(model, data, { ...quiet, loss: 'hinge' as never })).toThrow(/unknown loss the string "hinge"/);
    const initial = model.init(new Random(0));
    expect(() => train(model, data, { ...quiet, initial: { ...initial, 'o.b': new Float64Array(4) } })).toThrow(new TypegradError("train: initial 'o.b' must be a Float64Array of 3 values (vector[3]), got 4 values"));
    expect(() => train(model, data, { ...quiet, initial: { ...initial, extra: new Float64Array(1) } as never })).toThrow(/initial has 'extra', which is not a parameter of the model \(its parameters are h.W, h.b, o.W, o.b\)/);
    // The initial values are copied, not trained in place.
    const before = Float64Array.from(initial['h.W']);
    train(model, data, { ...quiet, initial });
    expect(initial['h.W']).toEqual(before);
  });
});
