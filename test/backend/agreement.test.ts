/**
 * Every backend agrees with the reference interpreter on random expressions and their compiled
 * gradients: js within 1e−12 (float64), tfjs and gpu within 1e−4 (float32, measured against the
 * largest intermediate magnitude of the program at that point, with inputs rounded to float32).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, grad, initBackend, type BackendName, type SFun } from '../../src/index.js';
import { agrees, allPrimitives, coveredPrimitives, expressionArbitrary, pointsArbitrary, reference, variables } from './random-expression.js';
import { bindingsOf, instructionsArbitrary, programFuns, tensorCoveredPrimitives, tensorReference, valuesArbitrary } from './random-tensor-expression.js';

/** The value and the gradient by x, y and z, compiled together. */
function valueAndGradient(f: SFun<string>): SFun<string>[] {
  const g = grad(f, variables as unknown as SFun<string>[]);
  return [f, g.x!, g.y!, g.z!];
}

function checkBackend(backend: Exclude<BackendName, 'onnx'>, tolerance: number, runs: number): void {
  const float32 = tolerance > 1e-8;
  fc.assert(
    fc.property(expressionArbitrary(4), pointsArbitrary(8), (f, columns) => {
      const funs = valueAndGradient(f);
      const inputs = float32 ? columns.map((c) => c.map(Math.fround)) : columns;
      const compiled = compile(funs, { batch: true, backend, args: variables });
      const out = compiled(inputs[0]!, inputs[1]!, inputs[2]!);
      for (let i = 0; i < inputs[0]!.length; i++) {
        const { values, scale, jump } = reference(funs, inputs, i);
        if (float32 && jump < 1e-6 * scale) continue; // float32 cannot resolve the side of the jump
        values.forEach((expected, k) => {
          const got = out[k]![i]!;
          if (!agrees(got, expected, tolerance, float32 ? scale : 1)) {
            throw new Error(`output ${k} at point ${i}: ${backend} gives ${got}, the reference ${expected} (scale ${scale}) for ${funs[k]}`);
          }
        });
      }
    }),
    { numRuns: runs },
  );
}

/**
 * Random tensor programs: a scalar root, its gradient by every variable (scalar, vectors,
 * matrices) and a tensor node, compiled as one program, against the reference interpreter.
 */
function checkTensorBackend(backend: Exclude<BackendName, 'onnx'>, tolerance: number, runs: number): void {
  const float32 = tolerance > 1e-8;
  fc.assert(
    fc.property(instructionsArbitrary, valuesArbitrary, (instructions, values) => {
      const { funs, nodes } = programFuns(instructions);
      const inputs = float32 ? values.map((v) => v.map(Math.fround)) : values;
      const got = compile(funs, { backend })(bindingsOf(inputs) as never) as (number | Float64Array | Float32Array)[];
      const expected = tensorReference(nodes, inputs);
      if (float32 && expected.jump < 1e-6 * expected.scale) return; // float32 cannot resolve the side of the jump
      expected.values.forEach((e, k) => {
        const g = got[k]!;
        const flat = typeof g === 'number' ? [g] : g;
        expect(flat.length, `output ${k} (${funs[k]})`).toBe(e.length);
        e.forEach((x, i) => {
          if (!agrees(flat[i]!, x, tolerance, float32 ? expected.scale : 1)) {
            throw new Error(`output ${k} element ${i}: ${backend} gives ${flat[i]}, the reference ${x} (scale ${expected.scale}) for ${funs[k]}`);
          }
        });
      });
    }),
    { numRuns: runs },
  );
}

// Initialised at load so that the test title names the gpu.js mode that actually runs.
const gpu = await initBackend('gpu');
console.log(`gpu backend mode: ${gpu.engine}${gpu.notes.length > 0 ? ` (${gpu.notes.join('; ')})` : ''}`);

describe('random expressions and their gradients agree with the reference interpreter', () => {
  it('the generators cover every primitive of the table', () => {
    expect(allPrimitives.filter((p) => !coveredPrimitives.has(p) && !tensorCoveredPrimitives.has(p))).toEqual([]);
    expect(allPrimitives.filter((p) => !tensorCoveredPrimitives.has(p))).toEqual([]);
  });

  it('js, scalar mode: within 1e-12', () => {
    fc.assert(
      fc.property(expressionArbitrary(4), pointsArbitrary(1), (f, columns) => {
        const funs = valueAndGradient(f);
        const got = compile(funs, { args: variables })(columns[0]![0]!, columns[1]![0]!, columns[2]![0]!);
        const { values } = reference(funs, columns, 0);
        values.forEach((expected, k) => expect(agrees(got[k]!, expected, 1e-12), `${funs[k]}: ${got[k]} vs ${expected}`).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it('js, batch mode: within 1e-12', () => checkBackend('js', 1e-12, 300));

  it('js, tensor programs: within 1e-12', () => checkTensorBackend('js', 1e-12, 300));

  describe('tfjs (float32)', () => {
    beforeAll(async () => {
      const info = await initBackend('tfjs');
      console.log(`tfjs backend engine: ${info.engine}${info.notes.length > 0 ? ` (${info.notes.join('; ')})` : ''}`);
    });
    it('within 1e-4 of the float32 scale', () => checkBackend('tfjs', 1e-4, 60));
    it('tensor programs: within 1e-4 of the float32 scale', () => checkTensorBackend('tfjs', 1e-4, 100));
  });

  describe('gpu (float32)', () => {
    it(`within 1e-4 of the float32 scale, in gpu.js mode '${gpu.engine}'${gpu.engine === 'headlessgl' ? '' : ' (fallback: headlessgl unavailable)'}`, () =>
      checkBackend('gpu', 1e-4, 40));
  });
});
