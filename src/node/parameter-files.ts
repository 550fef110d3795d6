/**
 * Parameter files: `parametersToJson`/`parametersFromJson` (typegrad/nn) written to and read
 * from disk. Saving creates the missing directories; a file that cannot be read is a
 * TypegradError naming the path, not a raw ENOENT.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TypegradError } from '../ad/errors.js';
import { describeValue } from '../api/record.js';
import { parametersFromJson, parametersToJson } from '../nn/checkpoint.js';
import type { Model, ParameterValues } from '../nn/model.js';

function checkPath(path: unknown, operation: string): asserts path is string {
  if (typeof path !== 'string' || path === '') throw new TypegradError(`${operation}: expected a file path, got ${describeValue(path)}`);
}

/** Writes the parameters of `model` to a JSON file, creating missing directories. @example saveParameters('out/mlp.json', model, params) */
export function saveParameters<P extends string>(path: string, model: Model<number, number, P>, params: ParameterValues<P>): void {
  checkPath(path, 'saveParameters');
  const json = parametersToJson(model, params);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, json);
  } catch (error) {
    throw new TypegradError(`saveParameters: cannot write '${path}': ${(error as Error).message}`);
  }
}

/** Reads parameters for `model` from a JSON file, checked. @example const params = loadParameters('out/mlp.json', model) */
export function loadParameters<P extends string>(path: string, model: Model<number, number, P>): ParameterValues<P> {
  checkPath(path, 'loadParameters');
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new TypegradError(`loadParameters: cannot read '${path}': ${reason}`);
  }
  return parametersFromJson(model, json, `'${path}'`);
}
