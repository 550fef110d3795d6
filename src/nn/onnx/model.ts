/**
 * A model's ONNX exports (a `dense` layer, a `sequential` stack: any `Model`): the inference
 * model and the training step, over the same batch variables and loss as `train`.
 */
import { TypegradError } from '../../ad/errors.js';
import type { Precision } from '../../backend/onnx/graph.js';
import { loadOnnxSchema } from '../../backend/onnx/schema.js';
import { exampleShape, type AnyModel, type Features, type Model, type ParameterValues } from '../model.js';
import { BATCH_INPUTS, buildGraph, checkModel, positiveInteger, type LossFunction, type LossName } from '../train.js';
import { describeValue } from '../../api/record.js';
import type { AnyRankFun } from '../../api/compile.js';
import { tensorVariable } from '../../api/tensor-operations.js';
import { encodeParts, modelParts } from '../../api/onnx/export.js';
import { exportTrainingStep, type OnnxTrainingStep, type UpdateRule } from './training-step.js';

/** Options of `exportModelOnnx`. */
export interface ModelExportOptions<P extends string = string> {
  /** Rows per call of both models (ONNX shapes here are fixed). */
  readonly batchSize: number;
  /** Trained parameters, written into the inference model (otherwise they are its inputs). */
  readonly params?: ParameterValues<P>;
  /** The training step's loss, as `train`'s; default `softmax-cross-entropy`. */
  readonly loss?: LossName | LossFunction;
  /** The training step's update, as `train`'s default: `{ kind: 'adam', lr: 0.001 }`. */
  readonly optimizer?: UpdateRule;
  /** `float32` (default) or `float64`. */
  readonly precision?: Precision;
}

/** A model exported: inference (`batch.inputs` → `outputs`) and one training step. */
export interface OnnxModelExport {
  /** Input `batch.inputs` [B, I] (and the parameters, unless `params` was given) → output `outputs` [B, O]. */
  readonly inference: Uint8Array;
  /** The training step over `batch.inputs`, `batch.targets` and `batch.weights` (1/B per row, as train's). */
  readonly training: OnnxTrainingStep;
}

/**
 * The model's inference and training-step ONNX models, with `train`'s batch variables and loss,
 * so a step run in ONNX Runtime matches a step of `train` on the same batch.
 * @example
 * const { inference, training } = await exportModelOnnx(model, { batchSize: 64, params, optimizer: { kind: 'adam', lr: 1e-3 } });
 */
export async function exportModelOnnx<I extends Features, O extends number, P extends string>(model: Model<I, O, P>, options: ModelExportOptions<P>): Promise<OnnxModelExport> {
  const operation = 'exportModelOnnx';
  checkModel(model, operation);
  if (options === null || typeof options !== 'object') throw new TypegradError(`${operation}: options must be an object with a batchSize, got ${describeValue(options)}`);
  const batchSize = positiveInteger(options.batchSize, 'batchSize', operation);
  const graph = buildGraph(model as AnyModel, batchSize, options.loss, operation);
  const precision = options.precision ?? 'float32';
  const names = Object.keys(model.parameters);
  if (options.params !== undefined) {
    if (options.params === null || typeof options.params !== 'object') throw new TypegradError(`${operation}: params must be a record of Float64Array parameters, got ${describeValue(options.params)}`);
    const missing = names.filter((n) => !Object.hasOwn(options.params!, n));
    const unknown = Object.keys(options.params).filter((n) => !names.includes(n));
    if (missing.length > 0 || unknown.length > 0) {
      throw new TypegradError(`${operation}: params must hold exactly the model's parameters (${names.join(', ')})${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}${unknown.length > 0 ? `; unknown ${unknown.join(', ')}` : ''}`);
    }
  }
  const inputs = tensorVariable(BATCH_INPUTS, [batchSize, ...exampleShape(model.inputs)]) as AnyRankFun;
  const parameters = model.parameters as Readonly<Record<string, AnyRankFun>>;
  const inferenceParts = modelParts(
    { outputs: graph.outputs },
    { precision, args: [inputs, ...names.map((n) => parameters[n]!)], ...(options.params === undefined ? {} : { constants: options.params }), name: 'inference' },
    operation,
  );
  const inference = encodeParts(await loadOnnxSchema(operation), inferenceParts);
  const training = await exportTrainingStep(graph.loss, parameters, {
    optimizer: options.optimizer ?? { kind: 'adam', lr: 0.001 },
    precision,
    name: 'training step',
  });
  return { inference, training };
}
