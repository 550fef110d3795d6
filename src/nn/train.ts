/**
 * `train`: mini-batch training of a model. The loss over a batch and its gradient by every
 * parameter are derived ONCE, symbolically (`grad`: one reverse pass over the matrix DAG), and
 * made into ONE program (`compileProgram`) that every step runs with the batch and the current
 * parameters bound as variables. `evaluate` runs the forward program over a data set.
 *
 * Data: inputs [n, I] and targets [n, O], row-major, one example per row (an example that is a
 * tensor, such as an image [28, 28, 1], is its elements row-major: I = 784). A batch of B rows is
 * bound to the variables `batch.inputs` [B, ...the model's example shape] and `batch.targets` [B, O]: as subarray views of
 * the data when the rows are consecutive (no copy), else gathered into buffers reused at every
 * step (after shuffling). The last partial batch is padded with zero rows whose weight in the
 * loss (`batch.weights`) is 0, so the same program serves it (or it is dropped: `lastBatch`).
 */
import { TypegradError } from '../ad/errors.js';
import { describeShape, elementCount } from '../ad/shape.js';
import type { BackendName, EngineOptions } from '../backend/registry.js';
import { grad } from '../api/calculus.js';
import { MVar, type MFun } from '../api/matrix.js';
import { adam, type Optimizer } from './optimizers.js';
import { Random, type Seed } from './random.js';
import { describeValue, setEntry } from '../api/record.js';
import type { SFun } from '../api/scalar.js';
import { VVar, type VFun } from '../api/vector.js';
import { meanSquaredError, softmaxCrossEntropy } from './losses.js';
import { exampleShape, type AnyModel, type Features, type Model, type ParameterValues } from './model.js';
import { tensorVariable } from '../api/tensor-operations.js';
// The tensor Fun class registers itself as its module loads (wrap.ts); typegrad/nn alone makes TFuns here.
import '../api/tensor.js';
import { compileProgram, type Engine, type Program } from './program.js';
import type { ProgressReporter } from './progress.js';

/** Examples as rows: inputs [n, I] and targets [n, O] (one-hot rows for classification). */
export interface Dataset {
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}

/** The variable a batch's inputs are bound to: [B, I], or [B, ...shape] for a model whose examples are tensors. */
export const BATCH_INPUTS = 'batch.inputs';
/** The variable a batch's targets are bound to: [B, O]. */
export const BATCH_TARGETS = 'batch.targets';
/** The variable of the rows' weights in the loss: [B], 1/n for real rows, 0 for padding. */
export const BATCH_WEIGHTS = 'batch.weights';

/**
 * A loss of a batch: the model's outputs [B, O], the targets [B, O] and the weight of each row
 * [B] (1/n for the n real rows, 0 for padding) to a scalar Σᵢ wᵢℓᵢ.
 */
export type LossFunction = (
  outputs: MFun<number, number, string>,
  targets: MFun<number, number, typeof BATCH_TARGETS>,
  weights: VFun<number, typeof BATCH_WEIGHTS>,
) => SFun<string>;

/** The built-in losses: `softmax-cross-entropy` takes logits (a `linear` last layer). */
export type LossName = 'softmax-cross-entropy' | 'mean-squared-error';

const LOSSES: Record<LossName, LossFunction> = {
  'softmax-cross-entropy': (z, y, w) => softmaxCrossEntropy(z, y, w),
  'mean-squared-error': (z, y, w) => meanSquaredError(z, y, w),
};

/** What early stopping and the history record per epoch. */
export type Metric = 'loss' | 'accuracy' | 'validationLoss' | 'validationAccuracy';

/** Stop when `monitor` has not improved by more than `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  readonly patience: number;
  /** Default `validationLoss` with validation data, else `loss`. Losses fall, accuracies rise. */
  readonly monitor?: Metric;
  /** Default 0. */
  readonly minDelta?: number;
  /** Give back the parameters of the best epoch instead of the last; default false. */
  readonly restoreBest?: boolean;
}

/** What `onStep` receives after each step. */
export interface StepInfo {
  readonly epoch: number;
  /** 1-based step within the epoch. */
  readonly step: number;
  readonly steps: number;
  /** The loss of this batch (before the update). */
  readonly loss: number;
  /** Real (not padding) rows in this batch. */
  readonly examples: number;
}

/** What `onEpochEnd` receives; NaN for what was not measured. */
export interface EpochInfo<P extends string = string> {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly seconds: number;
  /** The current parameters (updated in place by later epochs: copy to keep them). */
  readonly params: ParameterValues<P>;
}

/** Options of `train` (`precision` and `threads`: for the wasm backend, see `EngineOptions`). */
export interface TrainOptions<P extends string = string> extends EngineOptions {
  /** Default 1. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Seeds the initial parameters and the shuffles; default 0. The same seed gives the same run. */
  readonly seed?: Seed;
  /** Shuffle the examples at every epoch; default true. */
  readonly shuffle?: boolean;
  /** The last partial batch: `pad` (default: zero rows of weight 0) or `drop`. */
  readonly lastBatch?: 'pad' | 'drop';
  /** Default `softmax-cross-entropy`. */
  readonly loss?: LossName | LossFunction;
  /** Default `adam()` (lr 0.001). */
  readonly optimizer?: Optimizer;
  /** Initial parameters (copied); default `model.init(new Random(seed))`. */
  readonly initial?: ParameterValues<P>;
  /** Data evaluated after each epoch (validation loss and accuracy). */
  readonly validation?: Dataset;
  readonly earlyStopping?: EarlyStopping;
  /** Accuracy (largest output at the targets' largest entry) per epoch; default: with ≥ 2 outputs. */
  readonly accuracy?: boolean;
  /** The backend `compile` uses for the training program (see `compileProgram`). */
  readonly backend?: BackendName;
  /** Overrides the seam's engine (`compileProgram`). */
  readonly engine?: Engine;
  /** Receives each step and epoch; default `none`. On a terminal: `progressReporter()` from `typegrad/node`. */
  readonly progress?: ProgressReporter | 'none';
  readonly onStep?: (info: StepInfo) => void;
  /** Return `false` to stop after this epoch. */
  readonly onEpochEnd?: (info: EpochInfo<P>) => void | boolean;
}

/** Per-epoch values (empty arrays for what was not measured). */
export interface History {
  readonly loss: number[];
  readonly accuracy: number[];
  readonly validationLoss: number[];
  readonly validationAccuracy: number[];
  readonly seconds: number[];
}

/** What a run did: derivations and compilations happen once per run, whatever the steps. */
export interface TrainStats {
  /** Symbolic gradients derived (`grad` calls). */
  derivations: number;
  /** Programs made (training, and evaluation with validation data). */
  compilations: number;
  steps: number;
  engine: Engine;
}

export interface TrainResult<P extends string> {
  readonly params: ParameterValues<P>;
  readonly history: History;
  /** Epochs run. */
  readonly epochs: number;
  readonly stopReason: 'epochs' | 'early-stopping' | 'callback';
  /** 1-based epoch with the best monitored value (with early stopping), else the last. */
  readonly bestEpoch: number;
  readonly stats: TrainStats;
}

/** Loss and accuracy of a model over a data set. */
export interface Evaluation {
  readonly loss: number;
  /** NaN when accuracy is not measured. */
  readonly accuracy: number;
}

/** Options of `evaluate` (`precision` and `threads`: for the wasm backend). */
export interface EvaluateOptions extends EngineOptions {
  /** Rows per program run; default 256. */
  readonly batchSize?: number;
  readonly loss?: LossName | LossFunction;
  readonly accuracy?: boolean;
  readonly backend?: BackendName;
  readonly engine?: Engine;
}

/** The batch variables and the symbolic loss, outputs and gradient for a model. */
export interface Graph {
  /** Inputs per example. */
  readonly inputs: number;
  readonly loss: SFun<string>;
  readonly outputs: MFun<number, number, string>;
}

export function buildGraph(model: AnyModel, batchSize: number, lossOption: LossName | LossFunction | undefined, operation: string): Graph {
  for (const name of [BATCH_INPUTS, BATCH_TARGETS, BATCH_WEIGHTS]) {
    if (Object.hasOwn(model.parameters, name)) throw new TypegradError(`${operation}: '${name}' is the name of a batch variable; rename that parameter`);
  }
  const lossFunction = lossOf(lossOption, operation);
  const example = exampleShape(model.inputs as Features);
  const x = tensorVariable(BATCH_INPUTS, [batchSize, ...example]);
  const outputs = model.apply(x as never) as MFun<number, number, string>;
  const y = MVar(BATCH_TARGETS, batchSize, outputCount(model, operation));
  const loss = lossFunction(outputs, y, VVar(BATCH_WEIGHTS, batchSize));
  return { inputs: elementCount(example), loss, outputs };
}

/** A model's outputs per example, which training needs as a vector (a number, or a shape of one axis). */
export function outputCount(model: AnyModel, operation: string): number {
  const shape = exampleShape(model.outputs as Features);
  if (shape.length !== 1) {
    throw new TypegradError(`${operation}: the model's outputs must be a vector per example (end with flattenLayer() and a dense layer), got ${describeShape(shape)}`);
  }
  return shape[0]!;
}

const SILENT: ProgressReporter = { step: () => {}, epochEnd: () => {} };

function reporterOf(option: ProgressReporter | 'none' | undefined, operation: string): ProgressReporter {
  if (option === undefined || option === 'none') return SILENT;
  if (option !== null && typeof option === 'object' && typeof option.step === 'function' && typeof option.epochEnd === 'function') return option;
  throw new TypegradError(`${operation}: options.progress must be 'none' or a reporter with step and epochEnd (progressReporter() from typegrad/node draws a bar), got ${describeValue(option)}`);
}

function lossOf(option: LossName | LossFunction | undefined, operation: string): LossFunction {
  if (option === undefined) return LOSSES['softmax-cross-entropy'];
  if (typeof option === 'function') return option;
  if (typeof option === 'string' && Object.hasOwn(LOSSES, option)) return LOSSES[option];
  throw new TypegradError(`${operation}: unknown loss ${describeValue(option)} (expected ${Object.keys(LOSSES).join(', ')} or a function)`);
}

/**
 * Trains `model` on `data` and returns the trained parameters and the history.
 * @example
 * const model = sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));
 * const { params, history } = train(model, { inputs: train.images, targets: train.oneHot },
 *   { epochs: 5, batchSize: 64, optimizer: adam({ lr: 1e-3 }), seed: 1, validation: { inputs: test.images, targets: test.oneHot } });
 */
export function train<I extends Features, O extends number, P extends string>(
  model: Model<I, O, P>,
  data: Dataset,
  options: TrainOptions<P> = {},
): TrainResult<P> {
  const operation = 'train';
  checkModel(model, operation);
  if (options === null || typeof options !== 'object') throw new TypegradError(`${operation}: expected an options object, got ${describeValue(options)}`);
  const inputs = elementCount(exampleShape(model.inputs)), outputs = outputCount(model, operation);
  const count = rowsOf(data, inputs, outputs, 'data', operation);
  const epochs = positiveInteger(options.epochs ?? 1, 'epochs', operation);
  const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize', operation);
  const seed = options.seed ?? 0;
  const lastBatch = options.lastBatch ?? 'pad';
  if (lastBatch !== 'pad' && lastBatch !== 'drop') throw new TypegradError(`${operation}: lastBatch must be 'pad' or 'drop', got ${describeValue(lastBatch)}`);
  const steps = lastBatch === 'drop' ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
  if (steps === 0) throw new TypegradError(`${operation}: ${count} examples make no full batch of ${batchSize} (lastBatch 'drop'); lower batchSize or pad`);
  const measureAccuracy = options.accuracy ?? outputs >= 2;
  const validation = options.validation;
  if (validation !== undefined) rowsOf(validation, inputs, outputs, 'validation', operation);
  const stopping = earlyStoppingOf(options.earlyStopping, validation !== undefined, measureAccuracy, operation);

  // Derive once, compile once: every step runs the same program.
  const names = Object.keys(model.parameters) as P[];
  const graph = buildGraph(model, batchSize, options.loss, operation);
  const gradient = grad(graph.loss, model.parameters as never) as Record<string, SFun<string>>;
  const stats: TrainStats = { derivations: 1, compilations: 1, steps: 0, engine: 'interpreter' };
  const program = compileProgram([graph.loss, graph.outputs, ...names.map((n) => gradient[n]!)], options);
  stats.engine = program.engine;
  let validator: Evaluator | undefined;
  if (validation !== undefined) {
    validator = new Evaluator(graph, batchSize, measureAccuracy, options);
    stats.compilations++;
  }

  const params = initialParameters(model, options.initial, seed, operation);
  const optimizer = options.optimizer ?? adam();
  const state = optimizer.init(params);
  const shuffler = new Random(`shuffle ${seed}`);
  const environment = new Map<string, Float64Array>(names.map((n) => [n, params[n]]));
  const batch = new BatchBuffers(batchSize, inputs, outputs);
  const reporter = reporterOf(options.progress, operation);
  const history: History = { loss: [], accuracy: [], validationLoss: [], validationAccuracy: [], seconds: [] };
  const grads: Record<string, Float64Array> = {};
  let stopReason: TrainResult<P>['stopReason'] = 'epochs';
  let best = { value: NaN, epoch: 0, params: undefined as ParameterValues<P> | undefined };
  let waited = 0;
  let epoch = 0;

  while (epoch < epochs) {
    epoch++;
    const start = performance.now();
    const order = options.shuffle === false ? undefined : shuffler.permutation(count);
    let lossTotal = 0, correct = 0, seen = 0;
    for (let step = 0; step < steps; step++) {
      const first = step * batchSize;
      const rows = Math.min(batchSize, count - first);
      batch.bind(environment, data, order, first, rows, 1 / rows);
      const [lossValue, logits, ...gradientValues] = program.run(environment);
      names.forEach((n, k) => setEntry(grads, n, gradientValues[k]!));
      optimizer.step(params, grads, state);
      stats.steps++;
      const loss = lossValue![0]!;
      lossTotal += loss * rows;
      seen += rows;
      if (measureAccuracy) correct += correctRows(logits!, environment.get(BATCH_TARGETS)!, rows, outputs);
      options.onStep?.({ epoch, step: step + 1, steps, loss, examples: rows });
      const elapsed = (performance.now() - start) / 1000;
      reporter.step({ epoch, epochs, step: step + 1, steps, loss: lossTotal / seen, examplesPerSecond: seen / elapsed });
    }
    const trainingSeconds = (performance.now() - start) / 1000;
    const validated = validator?.evaluate(environment, validation!);
    const seconds = (performance.now() - start) / 1000;
    const values = {
      loss: lossTotal / seen,
      accuracy: measureAccuracy ? correct / seen : NaN,
      validationLoss: validated?.loss ?? NaN,
      validationAccuracy: validated?.accuracy ?? NaN,
    };
    history.loss.push(values.loss);
    if (measureAccuracy) history.accuracy.push(values.accuracy);
    if (validated !== undefined) history.validationLoss.push(values.validationLoss);
    if (validated !== undefined && measureAccuracy) history.validationAccuracy.push(values.validationAccuracy);
    history.seconds.push(seconds);
    reporter.epochEnd({ epoch, epochs, ...values, seconds, examplesPerSecond: seen / trainingSeconds });
    if (stopping !== undefined) {
      const value = values[stopping.monitor];
      const improved = Number.isNaN(best.value) || (stopping.maximize ? value > best.value + stopping.minDelta : value < best.value - stopping.minDelta);
      if (improved) {
        best = { value, epoch, params: stopping.restoreBest ? copyParameters(params) : undefined };
        waited = 0;
      } else if (++waited >= stopping.patience) {
        stopReason = 'early-stopping';
      }
    }
    if (options.onEpochEnd?.({ epoch, ...values, seconds, params }) === false) stopReason = 'callback';
    if (stopReason !== 'epochs') break;
  }
  if (best.params !== undefined) for (const n of names) params[n].set(best.params[n]);
  return { params, history, epochs: epoch, stopReason, bestEpoch: stopping === undefined ? epoch : best.epoch, stats };
}

/**
 * The loss and accuracy of `model` with `params` over `data` (forward only).
 * @example evaluate(model, params, { inputs: test.images, targets: test.oneHot }) // { loss, accuracy }
 */
export function evaluate<I extends Features, O extends number, P extends string>(
  model: Model<I, O, P>,
  params: ParameterValues<P>,
  data: Dataset,
  options: EvaluateOptions = {},
): Evaluation {
  const operation = 'evaluate';
  checkModel(model, operation);
  rowsOf(data, elementCount(exampleShape(model.inputs)), outputCount(model, operation), 'data', operation);
  const batchSize = positiveInteger(options.batchSize ?? 256, 'batchSize', operation);
  const graph = buildGraph(model, batchSize, options.loss, operation);
  const evaluator = new Evaluator(graph, batchSize, options.accuracy ?? outputCount(model, operation) >= 2, options);
  const environment = new Map<string, Float64Array>();
  for (const name of Object.keys(model.parameters)) {
    const value = Object.hasOwn(params, name) ? (params as Record<string, unknown>)[name] : undefined;
    if (!(value instanceof Float64Array)) throw new TypegradError(`${operation}: parameter '${name}' must be a Float64Array, got ${describeValue(value)}`);
    environment.set(name, value);
  }
  return evaluator.evaluate(environment, data);
}

/** The forward program (loss and outputs) run over a data set in batches, in order. */
class Evaluator {
  readonly #program: Program;
  readonly #batch: BatchBuffers;
  readonly #batchSize: number;
  readonly #accuracy: boolean;
  readonly #outputs: number;

  constructor(graph: Graph, batchSize: number, accuracy: boolean, options: EngineOptions & { backend?: BackendName; engine?: Engine }) {
    this.#program = compileProgram([graph.loss, graph.outputs], options);
    this.#outputs = graph.outputs.columns;
    this.#batch = new BatchBuffers(batchSize, graph.inputs, this.#outputs);
    this.#batchSize = batchSize;
    this.#accuracy = accuracy;
  }

  evaluate(environment: Map<string, Float64Array>, data: Dataset): Evaluation {
    const count = data.targets.length / this.#outputs;
    let loss = 0, correct = 0;
    for (let first = 0; first < count; first += this.#batchSize) {
      const rows = Math.min(this.#batchSize, count - first);
      // Weights 1/count: the batch losses add up to the mean over the whole set.
      this.#batch.bind(environment, data, undefined, first, rows, 1 / count);
      const [lossValue, logits] = this.#program.run(environment);
      loss += lossValue![0]!;
      if (this.#accuracy) correct += correctRows(logits!, environment.get(BATCH_TARGETS)!, rows, this.#outputs);
    }
    return { loss, accuracy: this.#accuracy ? correct / count : NaN };
  }
}

/** The buffers a batch is gathered into, reused at every step. */
class BatchBuffers {
  readonly #size: number;
  readonly #inputs: Float64Array;
  readonly #targets: Float64Array;
  readonly #weights: Float64Array;
  readonly #inputWidth: number;
  readonly #outputWidth: number;

  constructor(size: number, inputWidth: number, outputWidth: number) {
    this.#size = size;
    this.#inputWidth = inputWidth;
    this.#outputWidth = outputWidth;
    this.#inputs = new Float64Array(size * inputWidth);
    this.#targets = new Float64Array(size * outputWidth);
    this.#weights = new Float64Array(size);
  }

  /** Binds rows first … first + rows − 1 (of `order`, or consecutive) and their weights. */
  bind(environment: Map<string, Float64Array>, data: Dataset, order: readonly number[] | undefined, first: number, rows: number, weight: number): void {
    const I = this.#inputWidth, O = this.#outputWidth, B = this.#size;
    if (order === undefined && rows === B) {
      environment.set(BATCH_INPUTS, data.inputs.subarray(first * I, (first + B) * I));
      environment.set(BATCH_TARGETS, data.targets.subarray(first * O, (first + B) * O));
    } else {
      for (let r = 0; r < rows; r++) {
        const source = order === undefined ? first + r : order[first + r]!;
        this.#inputs.set(data.inputs.subarray(source * I, (source + 1) * I), r * I);
        this.#targets.set(data.targets.subarray(source * O, (source + 1) * O), r * O);
      }
      this.#inputs.fill(0, rows * I);
      this.#targets.fill(0, rows * O);
      environment.set(BATCH_INPUTS, this.#inputs);
      environment.set(BATCH_TARGETS, this.#targets);
    }
    this.#weights.fill(weight, 0, rows).fill(0, rows);
    environment.set(BATCH_WEIGHTS, this.#weights);
  }
}

/** Rows (of the first `rows`) whose largest output is where the target row is largest. */
function correctRows(outputs: Float64Array, targets: Float64Array, rows: number, width: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) if (argmax(outputs, r * width, width) === argmax(targets, r * width, width)) correct++;
  return correct;
}

function argmax(values: Float64Array, offset: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}

export function checkModel(model: unknown, operation: string): void {
  const m = model as Partial<AnyModel> | null;
  if (m === null || typeof m !== 'object' || typeof m.apply !== 'function' || typeof m.init !== 'function' || typeof m.parameters !== 'object') {
    throw new TypegradError(`${operation}: expected a model (dense, sequential), got ${describeValue(model)}`);
  }
}

/** The number of examples, after checking that inputs and targets hold whole rows of one count. */
function rowsOf(data: Dataset, inputs: number, outputs: number, what: string, operation: string): number {
  if (data === null || typeof data !== 'object') throw new TypegradError(`${operation}: ${what} must be { inputs, targets }, got ${describeValue(data)}`);
  for (const key of ['inputs', 'targets'] as const) {
    if (!(data[key] instanceof Float64Array)) throw new TypegradError(`${operation}: ${what}.${key} must be a Float64Array (rows one after the other), got ${describeValue(data[key])}`);
  }
  if (data.inputs.length === 0 || data.inputs.length % inputs !== 0) {
    throw new TypegradError(`${operation}: ${what}.inputs has ${data.inputs.length} values, not a positive whole number of rows of ${inputs} (the model's inputs)`);
  }
  const count = data.inputs.length / inputs;
  if (data.targets.length !== count * outputs) {
    throw new TypegradError(`${operation}: ${what}.inputs has ${count} rows, so ${what}.targets needs ${count} × ${outputs} = ${count * outputs} values (the model's outputs), got ${data.targets.length}`);
  }
  return count;
}

export function positiveInteger(value: unknown, name: string, operation: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new TypegradError(`${operation}: ${name} must be a positive integer, got ${describeValue(value)}`);
  return value;
}

interface Stopping {
  readonly monitor: Metric;
  readonly maximize: boolean;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
}

function earlyStoppingOf(option: EarlyStopping | undefined, validation: boolean, accuracy: boolean, operation: string): Stopping | undefined {
  if (option === undefined) return undefined;
  if (option === null || typeof option !== 'object') throw new TypegradError(`${operation}: earlyStopping must be an object, got ${describeValue(option)}`);
  const monitor = option.monitor ?? (validation ? 'validationLoss' : 'loss');
  if (!['loss', 'accuracy', 'validationLoss', 'validationAccuracy'].includes(monitor)) {
    throw new TypegradError(`${operation}: earlyStopping.monitor must be loss, accuracy, validationLoss or validationAccuracy, got ${describeValue(monitor)}`);
  }
  if (monitor.startsWith('validation') && !validation) throw new TypegradError(`${operation}: earlyStopping monitors ${monitor}, but no validation data was given`);
  if (monitor.toLowerCase().includes('accuracy') && !accuracy) throw new TypegradError(`${operation}: earlyStopping monitors ${monitor}, but accuracy is not measured`);
  const minDelta = option.minDelta ?? 0;
  if (typeof minDelta !== 'number' || !(minDelta >= 0)) throw new TypegradError(`${operation}: earlyStopping.minDelta must be a number ≥ 0, got ${describeValue(minDelta)}`);
  return {
    monitor,
    maximize: monitor.toLowerCase().includes('accuracy'),
    patience: positiveInteger(option.patience, 'earlyStopping.patience', operation),
    minDelta,
    restoreBest: option.restoreBest === true,
  };
}

function initialParameters<P extends string>(model: { readonly parameters: Model<Features, number, P>['parameters']; init(random: Random): ParameterValues<P> }, initial: ParameterValues<P> | undefined, seed: Seed, operation: string): ParameterValues<P> {
  if (initial === undefined) return model.init(new Random(seed));
  if (initial === null || typeof initial !== 'object') throw new TypegradError(`${operation}: initial must be a record of Float64Array parameters, got ${describeValue(initial)}`);
  const names = Object.keys(model.parameters);
  for (const key of Object.keys(initial)) {
    if (!names.includes(key)) throw new TypegradError(`${operation}: initial has '${key}', which is not a parameter of the model (its parameters are ${names.join(', ')})`);
  }
  for (const name of names) {
    const value = Object.hasOwn(initial, name) ? (initial as Record<string, unknown>)[name] : undefined;
    const shape = (model.parameters as Record<string, { node: { shape: readonly number[] } }>)[name]!.node.shape;
    const length = shape.reduce((p, n) => p * n, 1);
    if (!(value instanceof Float64Array) || value.length !== length) {
      throw new TypegradError(`${operation}: initial '${name}' must be a Float64Array of ${length} values (${describeShape(shape)}), got ${value instanceof Float64Array ? `${value.length} values` : describeValue(value)}`);
    }
  }
  return copyParameters(initial);
}

function copyParameters<P extends string>(params: ParameterValues<P>): ParameterValues<P> {
  const copy = {} as ParameterValues<P>;
  for (const name of Object.keys(params) as P[]) setEntry(copy as Record<string, Float64Array>, name, Float64Array.from(params[name]));
  return copy;
}
