/**
 * Trained parameters to JSON and back (files: `saveParameters`/`loadParameters` in `typegrad/node`). A file is checked against the model it is loaded into:
 * a missing, extra or differently shaped parameter is a TypegradError naming the parameter and
 * both shapes, never a silent truncation.
 *
 * Format: `{ "format": "typegrad-parameters", "version": 1, "parameters": { "l1.W": { "shape":
 * [784, 128], "data": [...] }, ... } }`, data row-major. JSON numbers round-trip float64 exactly.
 */
import { TypegradError } from '../ad/errors.js';
import { describeShape, elementCount, sameShape, type Shape } from '../ad/shape.js';
import { describeValue } from '../api/record.js';
import type { Model, ParameterValues } from './model.js';

const FORMAT = 'typegrad-parameters';
const VERSION = 1;

function shapesOf(model: Model<number, number, string>): [string, Shape][] {
  return Object.entries(model.parameters).map(([name, variable]) => [name, variable.node.shape]);
}

/**
 * The parameters of `model` as JSON text.
 * @example writeFileSync('mlp.json', parametersToJson(model, params))
 */
export function parametersToJson<P extends string>(model: Model<number, number, P>, params: ParameterValues<P>): string {
  const parameters: Record<string, { shape: readonly number[]; data: number[] }> = {};
  for (const [name, shape] of shapesOf(model)) {
    const value: unknown = Object.hasOwn(params, name) ? (params as Record<string, unknown>)[name] : undefined;
    if (!(value instanceof Float64Array)) throw new TypegradError(`parametersToJson: parameter '${name}' (${describeShape(shape)}) must be a Float64Array, got ${describeValue(value)}`);
    if (value.length !== elementCount(shape)) {
      throw new TypegradError(`parametersToJson: parameter '${name}' is a ${describeShape(shape)} (${elementCount(shape)} values), got ${value.length} values`);
    }
    parameters[name] = { shape: [...shape], data: Array.from(value) };
  }
  return JSON.stringify({ format: FORMAT, version: VERSION, parameters });
}

/**
 * Parameters for `model` from JSON text made by `parametersToJson`, checked against the model.
 * @example const params = parametersFromJson(model, readFileSync('mlp.json', 'utf8'))
 */
export function parametersFromJson<P extends string>(model: Model<number, number, P>, json: string, source = 'the JSON'): ParameterValues<P> {
  const operation = 'loadParameters';
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new TypegradError(`${operation}: ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const d = document as { format?: unknown; version?: unknown; parameters?: unknown } | null;
  if (d === null || typeof d !== 'object' || d.format !== FORMAT || d.version !== VERSION) {
    throw new TypegradError(`${operation}: ${source} is not a typegrad parameter file (expected format '${FORMAT}', version ${VERSION})`);
  }
  const stored = d.parameters;
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) throw new TypegradError(`${operation}: ${source} has no 'parameters' object`);
  const expected = shapesOf(model);
  const names = expected.map(([name]) => name);
  for (const name of Object.keys(stored)) {
    if (!names.includes(name)) {
      throw new TypegradError(`${operation}: ${source} has a parameter '${name}' that the model does not have (the model's parameters are ${names.join(', ')})`);
    }
  }
  const params: Record<string, Float64Array> = {};
  for (const [name, shape] of expected) {
    if (!Object.hasOwn(stored, name)) throw new TypegradError(`${operation}: ${source} has no parameter '${name}' (${describeShape(shape)} in the model)`);
    const entry = (stored as Record<string, { shape?: unknown; data?: unknown } | null>)[name];
    const fileShape = entry?.shape;
    if (!Array.isArray(fileShape) || !fileShape.every((n) => Number.isInteger(n) && n > 0)) {
      throw new TypegradError(`${operation}: parameter '${name}' in ${source} has no valid shape (expected ${describeShape(shape)})`);
    }
    if (!sameShape(fileShape, shape)) {
      throw new TypegradError(`${operation}: parameter '${name}' is a ${describeShape(shape)} in the model but a ${describeShape(fileShape)} in ${source}`);
    }
    const data = entry?.data;
    if (!Array.isArray(data) || data.length !== elementCount(shape) || !data.every((x) => typeof x === 'number')) {
      throw new TypegradError(`${operation}: parameter '${name}' in ${source} must have ${elementCount(shape)} numbers for its ${describeShape(shape)}, got ${describeValue(data)}`);
    }
    params[name] = Float64Array.from(data as number[]);
  }
  return params as ParameterValues<P>;
}
