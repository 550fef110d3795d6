/**
 * Running exported models in ONNX Runtime from tests, reading them back with the schema, and
 * the ONNX checker (Python's `onnx` package, where a python3 has it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import type { OnnxTrainingStep } from '../../src/nn/index.js';

export const { onnx } = onnxProto;
export { ort };

/** A feed: flat row-major data and its shape. */
export interface Feed {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** Runs a model once: every output by name, as float data of the model's precision. */
export async function runModel(model: Uint8Array, feeds: Readonly<Record<string, Feed>>, precision: 'float32' | 'float64' = 'float32'): Promise<Record<string, Float32Array | Float64Array>> {
  const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
  try {
    const tensors = Object.fromEntries(
      Object.entries(feeds).map(([name, { data, shape }]) => [name, new ort.Tensor(precision, precision === 'float32' ? Float32Array.from(data) : Float64Array.from(data), [...shape])]),
    );
    const results = await session.run(tensors);
    return Object.fromEntries(Object.entries(results).map(([name, t]) => [name, t.data as Float32Array | Float64Array]));
  } finally {
    await session.release();
  }
}

/** A value's name and dimensions, as a decoded model lists them. */
export interface DecodedValue {
  readonly name: string;
  readonly type: { readonly tensorType: { readonly elemType: number; readonly shape: { readonly dim: readonly { readonly dimValue?: number; readonly dimParam?: string }[] } } };
}

/** The parts of a model the tests read back. */
export interface DecodedModel {
  readonly irVersion: number;
  readonly producerName: string;
  readonly opsetImport: readonly { readonly domain: string; readonly version: number }[];
  readonly graph: {
    readonly node: readonly { readonly opType: string; readonly domain: string }[];
    readonly input: readonly DecodedValue[];
    readonly output: readonly DecodedValue[];
    readonly initializer: readonly { readonly name: string }[];
  };
}

/** The model read back as plain data (integers as numbers) for assertions. */
export function decodeModel(model: Uint8Array): DecodedModel {
  return onnx.ModelProto.toObject(onnx.ModelProto.decode(model), { longs: Number, defaults: true, arrays: true }) as DecodedModel;
}

/** The dimensions of an input or output (a symbolic one by its name). */
export const dimsOf = (value: DecodedValue) => value.type.tensorType.shape.dim.map((d) => d.dimParam || d.dimValue!);

/** A python3 that imports onnx (Debian's python3-onnx is /usr/bin/python3), or undefined. */
function pythonWithOnnx(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import onnx'], { stdio: 'ignore' });
      return python;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export const checkerPython = pythonWithOnnx();

/**
 * Runs onnx.checker.check_model with full_check (which also infers every shape) on the models;
 * throws with the checker's message when one fails. Needs `checkerPython`.
 */
export function checkModels(models: Readonly<Record<string, Uint8Array>>): string {
  const directory = mkdtempSync(join(tmpdir(), 'typegrad-onnx-'));
  try {
    const files = Object.entries(models).map(([name, bytes], i) => {
      const file = join(directory, `${i}.onnx`);
      writeFileSync(file, bytes);
      return [name, file];
    });
    const script = [
      'import json, sys, onnx',
      'for name, path in json.loads(sys.argv[1]):',
      '    onnx.checker.check_model(onnx.load(path), full_check=True)',
      'print(onnx.__version__)',
    ].join('\n');
    try {
      return execFileSync(checkerPython!, ['-c', script, JSON.stringify(files)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '');
      throw new Error(`the ONNX checker refused a model: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * An exported training step run in a loop in ONNX Runtime (float32): the parameters start at
 * `initial`, the optimizer's state at zeros, each step feeds one batch and every `.next` output
 * back to its input. The carried values after the last step, and each step's loss.
 */
export async function trainInOrt(
  step: OnnxTrainingStep,
  initial: Readonly<Record<string, ArrayLike<number>>>,
  batches: Iterable<Readonly<Record<string, ArrayLike<number>>>>,
): Promise<{ values: Record<string, Float32Array>; losses: number[] }> {
  const session = await ort.InferenceSession.create(step.model, { logSeverityLevel: 3 });
  try {
    const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
    const carried: Record<string, ort.Tensor> = {};
    for (const { input, shape, role } of step.carried) {
      const data = role === 'parameter' ? Float32Array.from(initial[input]!) : new Float32Array(size(shape));
      carried[input] = new ort.Tensor('float32', data, [...shape]);
    }
    const losses: number[] = [];
    for (const batch of batches) {
      const feeds: Record<string, ort.Tensor> = { ...carried };
      for (const { name, shape } of step.data) feeds[name] = new ort.Tensor('float32', Float32Array.from(batch[name]!), [...shape]);
      const results = await session.run(feeds);
      losses.push((results[step.loss]!.data as Float32Array)[0]!);
      for (const { input, output } of step.carried) carried[input] = results[output]!;
    }
    return { values: Object.fromEntries(Object.entries(carried).map(([name, t]) => [name, t.data as Float32Array])), losses };
  } finally {
    await session.release();
  }
}
