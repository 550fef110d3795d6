/**
 * Parameter files under attack: non-finite values round-trip (a diverged model is not lost),
 * `__proto__` and other prototype keys are ordinary parameter names in files and in training,
 * hostile documents are refused with a TypegradError naming the parameter and the element, file
 * system errors are TypegradErrors naming the path, and nothing changes a global.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MVar, TypegradError, VVar } from '../../src/index.js';
import { dense, parametersFromJson, parametersToJson, Random, sequential, train, type Model, type ParameterValues } from '../../src/nn/index.js';
import { loadParameters, saveParameters } from '../../src/node/index.js';
import { edgeNumber, hostileName } from './generators.js';

const folder = mkdtempSync(join(tmpdir(), 'typegrad-adversarial-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A linear model whose two parameters have the names given (any strings). */
function linearModel(weightName: string, biasName: string): Model<2, 1, string> {
  const W = MVar(weightName, 2, 1), b = VVar(biasName, 1);
  const parameters = Object.create(null) as Record<string, unknown>;
  Object.defineProperty(parameters, weightName, { value: W, enumerable: true });
  Object.defineProperty(parameters, biasName, { value: b, enumerable: true });
  return {
    inputs: 2,
    outputs: 1,
    parameters: parameters as never,
    apply: ((x: { matmul(w: unknown): { add(v: unknown): unknown } }) => x.matmul(W).add(b)) as never,
    init: (random: Random) => {
      const values = {} as Record<string, Float64Array>;
      Object.defineProperty(values, weightName, { value: Float64Array.from([random.uniform(-1, 1), random.uniform(-1, 1)]), enumerable: true, writable: true });
      Object.defineProperty(values, biasName, { value: new Float64Array(1), enumerable: true, writable: true });
      return values as never;
    },
  } as Model<2, 1, string>;
}

const globalsBefore = { objectPrototype: Object.getOwnPropertyNames(Object.prototype).sort(), arrayPrototype: Object.getOwnPropertyNames(Array.prototype).sort() };
function expectNoChangedGlobal(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(globalsBefore.objectPrototype);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(globalsBefore.arrayPrototype);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('parameter files', () => {
  const model = sequential(dense('l1', 2, 3), dense('l2', 3, 1));

  it('NaN, ±Infinity and −0 round-trip (they were saved as null and the file did not load)', () => {
    const params = model.init(new Random(1));
    params['l1.W'].set([NaN, Infinity, -Infinity, -0, 1, 2]);
    const path = join(folder, 'diverged.json');
    saveParameters(path, model, params);
    const loaded = loadParameters(path, model);
    expect(Array.from(loaded['l1.W'])).toEqual([NaN, Infinity, -Infinity, -0, 1, 2]);
    expect(Object.is(loaded['l1.W'][3], -0)).toBe(true);
  });

  it('any values round-trip bit for bit', () => {
    fc.assert(
      fc.property(fc.array(edgeNumber, { minLength: 6, maxLength: 6 }), (values) => {
        const params = model.init(new Random(2));
        params['l1.W'].set(values);
        const loaded = parametersFromJson(model, parametersToJson(model, params));
        expect(Array.from(loaded['l1.W'])).toEqual(values);
        values.forEach((v, i) => expect(Object.is(loaded['l1.W'][i], v)).toBe(true));
      }),
      { numRuns: 100 },
    );
  });

  it('an old file holding null says which element and why', () => {
    const params = model.init(new Random(1));
    const document = JSON.parse(parametersToJson(model, params)) as { parameters: Record<string, { data: unknown[] }> };
    document.parameters['l2.W']!.data[2] = null;
    expect(() => parametersFromJson(model, JSON.stringify(document))).toThrow(/parameter 'l2\.W' in the JSON: element 2 is null \(a file written before NaN/);
    document.parameters['l2.W']!.data[2] = 'nan';
    expect(() => parametersFromJson(model, JSON.stringify(document))).toThrow(/element 2 is the string "nan"/);
  });

  it('__proto__, constructor and any other name is an ordinary parameter: saved, loaded and trained', () => {
    for (const [w, b] of [['__proto__', 'constructor'], ['toString', '__proto__'], ['hasOwnProperty', 'valueOf']] as const) {
      const m = linearModel(w, b);
      const params = m.init(new Random(4)) as Record<string, Float64Array>;
      const json = parametersToJson(m, params as never);
      const stored = (JSON.parse(json) as { parameters: object }).parameters;
      expect(Object.keys(stored).sort()).toEqual([w, b].sort());
      const loaded = parametersFromJson(m, json) as Record<string, Float64Array>;
      expect(Object.hasOwn(loaded, w) && Object.hasOwn(loaded, b)).toBe(true);
      expect(Array.from(loaded[w]!)).toEqual(Array.from(params[w]!));
      // Training updates both (the gradient of `__proto__` was dropped).
      const x = Float64Array.from([1, 0, 0, 1, 1, 1]), y = Float64Array.from([1, 2, 3]);
      const result = train(m as never, { inputs: x, targets: y }, { loss: 'mean-squared-error', epochs: 3, batchSize: 3, seed: 1, initial: loaded } as never) as unknown as { params: ParameterValues<string> };
      const trained = result.params as Record<string, Float64Array>;
      expect(Array.from(trained[w]!)).not.toEqual(Array.from(loaded[w]!));
      expect(Array.from(trained[b]!)).not.toEqual(Array.from(loaded[b]!));
      expectNoChangedGlobal();
    }
  });

  it('hostile names in a file: refused as unknown parameters, never set on a prototype', () => {
    fc.assert(
      fc.property(hostileName(), (name) => {
        const document = { format: 'typegrad-parameters', version: 1, parameters: JSON.parse(`{${JSON.stringify(name)}: {"shape": [1], "data": [1]}}`) as object };
        expect(() => parametersFromJson(model, JSON.stringify(document))).toThrow(TypegradError);
        expectNoChangedGlobal();
      }),
      { numRuns: 100 },
    );
  });

  it('hostile documents are TypegradErrors, never a crash or a changed global', () => {
    const params = model.init(new Random(1));
    const good = JSON.parse(parametersToJson(model, params)) as Record<string, unknown>;
    const attack = fc.oneof(
      fc.constantFrom<unknown>(null, 1, 'x', [], {}, { format: 'typegrad-parameters', version: 1, parameters: [] }, { ...good, parameters: { __proto__: { polluted: 1 } } }),
      fc.record({ shape: fc.anything(), data: fc.anything() }).map((entry) => ({ ...good, parameters: { ...(good.parameters as object), 'l1.W': entry } })),
      fc.anything().map((data) => ({ ...good, parameters: { ...(good.parameters as object), 'l2.b': { shape: [1], data } } })),
    );
    fc.assert(
      fc.property(attack, (document) => {
        try {
          parametersFromJson(model, JSON.stringify(document) ?? 'undefined');
        } catch (error) {
          expect(error).toBeInstanceOf(TypegradError);
        }
        expectNoChangedGlobal();
      }),
      { numRuns: 150 },
    );
    expect(() => parametersFromJson(model, '{"format": "typegrad-parameters", "version": 1, "parameters": {"__proto__": {"polluted": 1}}}')).toThrow(/'__proto__' that the model does not have/);
    expectNoChangedGlobal();
  });

  it('file-system errors name the path and the reason', () => {
    const params = model.init(new Random(1));
    expect(() => loadParameters(join(folder, 'missing.json'), model)).toThrow(/loadParameters: cannot read '.*missing\.json': no such file or directory \(ENOENT\)/);
    expect(() => loadParameters(folder, model)).toThrow(/it is a directory \(EISDIR\)/);
    expect(() => saveParameters(folder, model, params)).toThrow(/saveParameters: cannot write '.*': it is a directory \(EISDIR\)/);
    const notJson = join(folder, 'not.json');
    writeFileSync(notJson, '\u0000garbage');
    expect(() => loadParameters(notJson, model)).toThrow(/is not valid JSON/);
    expect(() => saveParameters(join(notJson, 'below-a-file.json'), model, params)).toThrow(/saveParameters: cannot write '.*below-a-file\.json': .*\((ENOTDIR|EEXIST)\)/);
  });
});
