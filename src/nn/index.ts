/**
 * typegrad/nn, the training entry: typed dense layers and models, losses, optimizers,
 * initialisers, seeded random numbers, train/evaluate, parameters as JSON, and ONNX training
 * steps and models (they are training programs). Browser-safe like the core: progress goes to
 * a reporter you pass (`typegrad/node` has the terminal bar).
 */
export { Random } from './random.js';
export type { Seed } from './random.js';
export { glorotUniform, glorotNormal, heUniform, heNormal } from './init.js';
export { sgd, momentum, adam } from './optimizers.js';
export type { Optimizer, ParameterRecord, SgdOptions, MomentumOptions, AdamOptions, MomentumState, AdamState } from './optimizers.js';
export { dense } from './dense.js';
export type { Dense, DenseOptions, DenseParameters, Activation, Initializer } from './dense.js';
export { sequential } from './sequential.js';
export type { Model, AnyModel, ParametersOf, ParameterValues, ParameterVariable, InputCheck, Features, ExampleShape, FeaturesOf, SameExample, ModelOutput } from './model.js';
export { conv2dLayer, maxPool2dLayer, avgPool2dLayer, flattenLayer, inputLayer } from './layers.js';
export type { Conv2dLayer, Conv2dLayerOptions, Conv2dParameters, Pool2dLayer, FlattenLayer } from './layers.js';
export type { ShapeLayer, AnyLayer, LayerRule, Conv2dRule, Pool2dRule, FlattenRule, LayerParameters, LayerStep, ChainShape, SequentialCheck, SequentialModel } from './layer.js';
export { softmaxCrossEntropy, meanSquaredError } from './losses.js';
export { train, evaluate, BATCH_INPUTS, BATCH_TARGETS, BATCH_WEIGHTS } from './train.js';
export type {
  Dataset, LossFunction, LossName, Metric, EarlyStopping, StepInfo, EpochInfo, TrainOptions, History, TrainStats, TrainResult,
  Evaluation, EvaluateOptions,
} from './train.js';
export type { ProgressReporter, StepProgress, EpochProgress } from './progress.js';
export { compileProgram } from './program.js';
export type { Program, ProgramOptions, Engine } from './program.js';
export { parametersToJson, parametersFromJson } from './checkpoint.js';
export { trainingStep, exportTrainingStep } from './onnx/training-step.js';
export type { UpdateRule, TrainingStep, CarriedValue, DataInput, TrainingStepExportOptions, OnnxTrainingStep } from './onnx/training-step.js';
export { exportModelOnnx } from './onnx/model.js';
export type { ModelExportOptions, OnnxModelExport } from './onnx/model.js';
