/**
 * `exportOnnx`: whatever `compile` accepts (a Fun, an array or a record of Funs) as an ONNX
 * model, built from the same plan `compile` builds (decomposition, constant folding) and
 * rendered by the onnx backend's renderer: standard operators only, opset 17 (see
 * `src/backend/onnx/schema.ts`), one named graph input per variable and one named output per Fun.
 */
import { TypegradError } from '../../ad/errors.js';
import type { Node } from '../../ad/node.js';
import { renderOnnxGraph, type Precision } from '../../backend/onnx/graph.js';
import { onnxLowers } from '../../backend/onnx/lowering.js';
import { encodeModel, loadOnnxSchema, type OnnxSchema } from '../../backend/onnx/schema.js';
import { buildPlan } from '../../program/planner.js';
import { outputsOf, programInputs, type AnyRankFun, type Funs } from '../compile.js';
import { describeValue } from '../record.js';
import { toFlat, type Value } from '../values.js';

/** Options of `exportOnnx`. */
export interface OnnxExportOptions {
  /** The model's inputs, in this order (as compile's `args`); default: every variable, sorted by name. */
  readonly args?: readonly AnyRankFun[];
  /** The element type of every input, output and value: `float32` (default) or `float64`. */
  readonly precision?: Precision;
  /** The outputs' names; default: a record's keys, `output` for one Fun, `output0`, `output1`, … for an array. */
  readonly outputNames?: readonly string[];
  /**
   * Variables given fixed values (trained weights): written into the model as initializers
   * instead of being inputs. A number for a scalar variable, nested arrays or flat row-major
   * data for a tensor.
   */
  readonly constants?: Readonly<Record<string, Value>>;
  /** The graph's name; default `typegrad`. */
  readonly name?: string;
  /** A description stored in the model (its doc_string). */
  readonly description?: string;
}

const OPTION_KEYS = ['args', 'precision', 'outputNames', 'constants', 'name', 'description'];

/** What a model is made of, once the caller's Funs and options are checked. */
export interface ModelParts {
  readonly roots: readonly Node[];
  readonly inputs: readonly Node[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly fixed: ReadonlyMap<number, Float64Array>;
  readonly precision: Precision;
  readonly name?: string;
  readonly description?: string;
}

/** The ONNX model of `parts`, encoded (the plan built for the onnx target, as `compile` would). */
export function encodeParts(onnx: OnnxSchema, parts: ModelParts): Uint8Array {
  const plan = buildPlan(parts.roots, parts.inputs, { name: 'onnx', lowers: onnxLowers });
  const { graph } = renderOnnxGraph(onnx, plan, {
    precision: parts.precision,
    inputNames: parts.inputNames,
    outputNames: parts.outputNames,
    fixed: parts.fixed,
    ...(parts.name === undefined ? {} : { name: parts.name }),
  });
  return encodeModel(onnx, graph, parts.description);
}

function checkName(value: unknown, what: string, operation: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypegradError(`${operation}: ${what} must be a non-empty string, got ${describeValue(value)}`);
  return value;
}

/** Throws when two of the model's names are equal (ONNX names every value once). */
export function checkDistinctNames(inputNames: readonly string[], outputNames: readonly string[], operation: string): void {
  const seen = new Map<string, string>();
  const note = (name: string, what: string) => {
    const other = seen.get(name);
    if (other !== undefined) throw new TypegradError(`${operation}: '${name}' names both ${other} and ${what}; every input and output of an ONNX model needs its own name`);
    seen.set(name, what);
  };
  inputNames.forEach((n) => note(n, `an input`));
  outputNames.forEach((n, k) => note(n, `output ${k}`));
}

/** Checks the Funs and options of an export: the model's parts. */
export function modelParts(f: unknown, options: OnnxExportOptions | undefined, operation: string): ModelParts {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new TypegradError(`${operation}: options must be an object, got ${describeValue(options)}`);
  }
  const given = options ?? {};
  for (const key of Object.keys(given)) {
    if (!OPTION_KEYS.includes(key)) throw new TypegradError(`${operation}: unknown option '${key}'; the options are ${OPTION_KEYS.join(', ')}`);
  }
  const precision = given.precision ?? 'float32';
  if (precision !== 'float32' && precision !== 'float64') throw new TypegradError(`${operation}: precision must be 'float32' or 'float64', got ${describeValue(precision)}`);
  const outputs = outputsOf(f, operation);
  const program = programInputs(outputs.funs, given.args);

  const count = outputs.funs.length;
  let outputNames: string[];
  if (given.outputNames !== undefined) {
    if (!Array.isArray(given.outputNames) || given.outputNames.length !== count) {
      throw new TypegradError(`${operation}: outputNames must be an array of ${count} name(s), one per Fun, got ${describeValue(given.outputNames)}`);
    }
    outputNames = given.outputNames.map((n, k) => checkName(n, `outputNames[${k}]`, operation));
  } else if (outputs.keys === undefined) outputNames = ['output'];
  else if (outputs.keys === null) outputNames = outputs.funs.map((_, k) => `output${k}`);
  else outputNames = [...outputs.keys];

  const constants = given.constants ?? {};
  if (constants === null || typeof constants !== 'object' || Array.isArray(constants)) {
    throw new TypegradError(`${operation}: constants must be an object of variable values, got ${describeValue(constants)}`);
  }
  const fixedByName = new Map<string, Float64Array>();
  for (const name of Object.keys(constants)) {
    if (!program.declared.has(name)) {
      throw new TypegradError(`${operation}: constants has '${name}', which is not a variable of the program (its variables are ${[...program.declared].sort().join(', ') || 'none'})`);
    }
    const j = program.names.indexOf(name);
    const shape = program.absent.has(name) ? undefined : program.inputs[j]!.shape;
    fixedByName.set(name, toFlat(constants[name], shape, name, `${operation} (constants)`));
  }
  // A fixed variable that the Funs do not read is no input at all.
  const kept = program.names.map((_, j) => j).filter((j) => !(program.absent.has(program.names[j]!) && fixedByName.has(program.names[j]!)));
  const inputs = kept.map((j) => program.inputs[j]!);
  const inputNames = kept.map((j) => program.names[j]!);
  const fixed = new Map<number, Float64Array>();
  inputNames.forEach((n, i) => fixedByName.has(n) && fixed.set(i, fixedByName.get(n)!));
  checkDistinctNames(inputNames, outputNames, operation);
  return {
    roots: outputs.funs.map((g) => g.node),
    inputs,
    inputNames,
    outputNames,
    fixed,
    precision,
    ...(given.name === undefined ? {} : { name: checkName(given.name, 'name', operation) }),
    ...(given.description === undefined ? {} : { description: checkName(given.description, 'description', operation) }),
  };
}

/**
 * The Funs as an ONNX model (the bytes of a `.onnx` file): standard operators of opset 17, the
 * variables as named inputs (sorted by name, or in the order of `args`), each Fun a named
 * output, float32 unless `precision: 'float64'`. Every primitive exports; ONNX reads index
 * operands (gather, scatterAdd) as int64, truncated, a negative one counting from the end.
 * Needs the package onnx-proto. Shapes are fixed: a batch is an axis of the Funs' own shapes.
 * @example
 * const g = grad(loss, { W, b });
 * writeFileSync('loss.onnx', await exportOnnx({ loss, dW: g.W, db: g.b })); // inputs W, X, Y, b; outputs loss, dW, db
 */
export async function exportOnnx(f: Funs, options?: OnnxExportOptions): Promise<Uint8Array> {
  const parts = modelParts(f, options, 'exportOnnx');
  return encodeParts(await loadOnnxSchema('exportOnnx'), parts);
}
