/** Parameters to JSON and back, validated against the model. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { dense, parametersFromJson, parametersToJson, Random, sequential } from '../../src/nn/index.js';
import { loadParameters, saveParameters } from '../../src/node/index.js';

const model = sequential(dense('l1', 4, 3, { activation: 'relu' }), dense('l2', 3, 2));
const params = model.init(new Random(3));
params['l1.b'].set([0.1, -1 / 3, Math.PI]);
const folder = mkdtempSync(join(tmpdir(), 'typegrad-checkpoint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The saved JSON with one parameter entry changed. */
function edited(change: (parameters: Record<string, unknown>) => void): string {
  const document = JSON.parse(parametersToJson(model, params)) as { parameters: Record<string, unknown> };
  change(document.parameters);
  return JSON.stringify(document);
}

describe('checkpoints', () => {
  it('round-trips every parameter exactly through a file', () => {
    const path = join(folder, 'mlp.json');
    saveParameters(path, model, params);
    const loaded = loadParameters(path, model);
    expect(Object.keys(loaded)).toEqual(['l1.W', 'l1.b', 'l2.W', 'l2.b']);
    for (const name of Object.keys(params) as (keyof typeof params)[]) expect(loaded[name]).toEqual(params[name]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ format: 'typegrad-parameters', version: 1, parameters: { 'l1.W': { shape: [4, 3] } } });
  });

  it('names a parameter whose shape differs, with both shapes', () => {
    const text = edited((p) => (p['l1.W'] = { shape: [3, 4], data: new Array(12).fill(0) }));
    expect(() => parametersFromJson(model, text)).toThrow(new TypegradError("loadParameters: parameter 'l1.W' is a matrix[4×3] in the model but a matrix[3×4] in the JSON"));
    const path = join(folder, 'wrong.json');
    writeFileSync(path, edited((p) => (p['l2.b'] = { shape: [3], data: [0, 0, 0] })));
    expect(() => loadParameters(path, model)).toThrow(`loadParameters: parameter 'l2.b' is a vector[2] in the model but a vector[3] in '${path}'`);
  });

  it('names a missing or an extra parameter', () => {
    expect(() => parametersFromJson(model, edited((p) => delete p['l2.W']))).toThrow(new TypegradError("loadParameters: the JSON has no parameter 'l2.W' (matrix[3×2] in the model)"));
    expect(() => parametersFromJson(model, edited((p) => (p['l3.W'] = { shape: [2, 2], data: [0, 0, 0, 0] })))).toThrow(
      new TypegradError("loadParameters: the JSON has a parameter 'l3.W' that the model does not have (the model's parameters are l1.W, l1.b, l2.W, l2.b)"),
    );
  });

  it('rejects data of the wrong length, files that are not parameter files, and bad values to save', () => {
    expect(() => parametersFromJson(model, edited((p) => (p['l1.b'] = { shape: [3], data: [1, 2] })))).toThrow(/parameter 'l1.b' in the JSON must have 3 numbers for its vector\[3\], got an array of length 2/);
    expect(() => parametersFromJson(model, '{')).toThrow(/the JSON is not valid JSON/);
    expect(() => parametersFromJson(model, '{"weights": []}')).toThrow(/is not a typegrad parameter file/);
    expect(() => parametersToJson(model, { ...params, 'l2.b': new Float64Array(5) })).toThrow(new TypegradError("parametersToJson: parameter 'l2.b' is a vector[2] (2 values), got 5 values"));
  });
});
