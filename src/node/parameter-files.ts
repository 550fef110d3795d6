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
import type { Features, Model, ParameterValues } from '../nn/model.js';

function checkPath(path: unknown, operation: string): asserts path is string {
  if (typeof path !== 'string' || path === '') throw new TypegradError(`${operation}: expected a file path, got ${describeValue(path)}`);
}

/** Writes the parameters of `model` to a JSON file, creating missing directories. @example saveParameters('out/mlp.json', model, params) */
export function saveParameters<P extends string>(path: string, model: Model<Features, Features, P>, params: ParameterValues<P>): void {
  checkPath(path, 'saveParameters');
  const json = parametersToJson(model, params);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, json);
  } catch (error) {
    throw fileError('saveParameters', 'write', path, error);
  }
}

/** Reads parameters for `model` from a JSON file, checked. @example const params = loadParameters('out/mlp.json', model) */
export function loadParameters<P extends string>(path: string, model: Model<Features, Features, P>): ParameterValues<P> {
  checkPath(path, 'loadParameters');
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    throw fileError('loadParameters', 'read', path, error);
  }
  return parametersFromJson(model, json, `'${path}'`);
}

/** A file-system error (ENOENT, EISDIR, EACCES, …) as a TypegradError naming the path and saying why in words. */
function fileError(operation: string, verb: string, path: string, error: unknown): TypegradError {
  const code = (error as { code?: unknown } | null)?.code;
  const why = (typeof code === 'string' ? FILE_ERRORS[code] : undefined) ?? (error as Error).message;
  return new TypegradError(`${operation}: cannot ${verb} '${path}': ${why}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: error });
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ERR_STRING_TOO_LONG: 'the file is longer than a JavaScript string may be',
};
