/**
 * Trained parameters to JSON and back (files: `saveParameters`/`loadParameters` in `typegrad/node`). A file is checked against the model it is loaded into:
 * a missing, extra or differently shaped parameter is a TypegradError naming the parameter and
 * both shapes, never a silent truncation.
 *
 * Format: `{ "format": "typegrad-parameters", "version": 1, "parameters": { "l1.W": { "shape":
 * [784, 128], "data": [...] }, ... } }`, data row-major. JSON numbers round-trip float64 exactly;
 * the values JSON has no number for are written as the strings "NaN", "Infinity", "-Infinity"
 * and "-0", so a diverged model is saved as it is and loads back bit for bit.
 */
import { TypegradError } from '../ad/errors.js';
import { describeShape, elementCount, sameShape, type Shape } from '../ad/shape.js';
import { describeValue, setEntry } from '../api/record.js';
import type { Features, Model, ParameterValues } from './model.js';

const FORMAT = 'typegrad-parameters';
const VERSION = 1;

function shapesOf(model: { readonly parameters: object }): [string, Shape][] {
  return Object.entries(model.parameters as Record<string, { node: { shape: Shape } }>).map(([name, variable]) => [name, variable.node.shape]);
}

/**
 * The parameters of `model` as JSON text.
 * @example writeFileSync('mlp.json', parametersToJson(model, params))
 */
export function parametersToJson<P extends string>(model: Model<Features, Features, P>, params: ParameterValues<P>): string {
  const parameters: Record<string, { shape: readonly number[]; data: (number | string)[] }> = {};
  for (const [name, shape] of shapesOf(model)) {
    const value: unknown = Object.hasOwn(params, name) ? (params as Record<string, unknown>)[name] : undefined;
    if (!(value instanceof Float64Array)) throw new TypegradError(`parametersToJson: parameter '${name}' (${describeShape(shape)}) must be a Float64Array, got ${describeValue(value)}`);
    if (value.length !== elementCount(shape)) {
      throw new TypegradError(`parametersToJson: parameter '${name}' is a ${describeShape(shape)} (${elementCount(shape)} values), got ${value.length} values`);
    }
    const data = new Array<number | string>(value.length);
    for (let i = 0; i < value.length; i++) data[i] = encodeNumber(value[i]!);
    setEntry(parameters, name, { shape: [...shape], data });
  }
  try {
    return JSON.stringify({ format: FORMAT, version: VERSION, parameters });
  } catch (error) {
    // The one expected failure: the text is longer than a JavaScript string may be.
    if (!(error instanceof RangeError)) throw error;
    const count = shapesOf(model).reduce((total, [, shape]) => total + elementCount(shape), 0);
    throw new TypegradError(`parametersToJson: ${count} parameter values do not fit in one JSON text (about ${Math.round((count * 20) / 1e6)} MB; a JavaScript string holds at most ${Math.round(MAX_STRING_LENGTH / 1e6)} MB)`, { cause: error });
  }
}

/** The longest string V8 makes (2^29 − 24 characters in Node 20 on 64-bit machines). */
const MAX_STRING_LENGTH = 2 ** 29 - 24;

const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** A value as JSON: a number, or the name of a value JSON has no number for (NaN, ±∞, −0). */
function encodeNumber(value: number): number | string {
  if (Number.isFinite(value)) return Object.is(value, -0) ? '-0' : value;
  return String(value);
}

/**
 * Parameters for `model` from JSON text made by `parametersToJson`, checked against the model.
 * @example const params = parametersFromJson(model, readFileSync('mlp.json', 'utf8'))
 */
export function parametersFromJson<P extends string>(model: Model<Features, Features, P>, json: string, source = 'the JSON'): ParameterValues<P> {
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
    if (!Array.isArray(data) || data.length !== elementCount(shape)) {
      throw new TypegradError(`${operation}: parameter '${name}' in ${source} must have ${elementCount(shape)} numbers for its ${describeShape(shape)}, got ${describeValue(data)}`);
    }
    const values = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const item: unknown = data[i];
      if (typeof item === 'number') values[i] = item;
      else if (typeof item === 'string' && Object.hasOwn(NON_FINITE, item)) values[i] = NON_FINITE[item]!;
      else {
        const why = item === null ? 'null (a file written before NaN and ±Infinity were saved by name holds null where they were)' : describeValue(item);
        throw new TypegradError(`${operation}: parameter '${name}' in ${source}: element ${i} is ${why}; expected a number or one of "NaN", "Infinity", "-Infinity", "-0"`);
      }
    }
    setEntry(params, name, values);
  }
  return params as ParameterValues<P>;
}
