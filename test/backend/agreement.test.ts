/**
 * Every backend agrees with the reference interpreter (`evaluateTensors`), through `compile`:
 * - random scalar expressions and their gradients (the scalar renderers: one function per point,
 *   one loop over a batch, one gpu kernel over the points);
 * - random tensor programs of rank 0 to 4 over every primitive (test/support/random-tensor-programs.ts):
 *   a scalar loss, its gradient by every variable and two tensor outputs, compiled as one program.
 * js and wasm within 1e−12 (float64), in point mode and in batch mode (tensor inputs as flat
 * columns, point after point); tfjs, gpu and wasm in float32 within 1e−4 of the computation's scale (float32: the
 * largest magnitude of any intermediate value; the inputs are exact in float32), skipping a
 * point within float32 rounding of a kink, where a float32 engine may be on the other piece.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { topologicalOrder } from '../../src/ad/traverse.js';
import { wrap } from '../../src/api/wrap.js';
import { compile, grad, initBackend, type AnyRankFun, type BackendName, type EngineOptions, type SFun } from '../../src/index.js';
import {
  count, DIFFERENTIABLE_VARIABLES, evaluateAll, kinkDistance, pointArbitrary, programArbitrary, scaleOf, variablesOf, type Point, type TensorProgram,
} from '../support/random-tensor-programs.js';
import { agrees, expressionArbitrary, pointsArbitrary, reference, variables } from './random-expression.js';

/** The value and the gradient by x, y and z, compiled together. */
function valueAndGradient(f: SFun<string>): SFun<string>[] {
  const g = grad(f, variables as unknown as SFun<string>[]);
  return [f, g.x!, g.y!, g.z!];
}

function checkScalarBackend(backend: Exclude<BackendName, 'onnx'>, tolerance: number, runs: number, engine: EngineOptions = {}): void {
  const float32 = tolerance > 1e-8;
  fc.assert(
    fc.property(expressionArbitrary(4), pointsArbitrary(8), (f, columns) => {
      const funs = valueAndGradient(f);
      const inputs = float32 ? columns.map((c) => c.map(Math.fround)) : columns;
      const compiled = compile(funs, { batch: true, backend, args: variables, precision: engine.precision });
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

/** A tensor program's roots: the loss, its gradient by every variable, and the program's tensor outputs. */
function rootsOf(program: TensorProgram): Node[] {
  return [program.loss, ...reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES), ...program.outputs];
}

/** The roots as Funs over the variables they read (compile takes those, by name). */
function funsOf(roots: readonly Node[]): { funs: AnyRankFun[]; inputs: Node[] } {
  const inputs = variablesOf(roots);
  const declared = new Set(inputs.map((v) => v.name));
  return { funs: roots.map((r) => wrap(r, [], declared) as AnyRankFun), inputs };
}

/** The reference values of the roots at a point, the scale there, and the distance to the nearest kink. */
function referenceAt(roots: readonly Node[], point: Point): { values: Float64Array[]; scale: number; kink: number } {
  const order = topologicalOrder(roots);
  const value = evaluateAll(order, point);
  return { values: roots.map((r) => value.get(r)!), scale: scaleOf(value), kink: kinkDistance(order, value) };
}

function expectAgreement(got: ArrayLike<number> | number, expected: Float64Array, tolerance: number, scale: number, what: string): void {
  const flat = typeof got === 'number' ? [got] : got;
  expect(flat.length, what).toBe(expected.length);
  expected.forEach((e, i) => {
    if (!agrees(flat[i]!, e, tolerance, scale)) throw new Error(`${what}, element ${i}: got ${flat[i]}, the reference ${e} (scale ${scale})`);
  });
}

/** Random tensor programs compiled for one point on a backend, against the reference. */
/**
 * The float32 tolerance for these roots: ten times wider where the polygamma family appears.
 * Its reflection formula (x < ½) subtracts π^(n+1)·P(cot πx) from ψ⁽ⁿ⁾(1 − x), terms of the
 * result's own size, each from several float32 transcendental calls; GLSL's tan and the
 * divisions by it leave about 1e−4 of the scale there (seed 1915510936: polygamma(1, 0.25 + u²)
 * and its derivative polygamma(2, ·) off by 1.02e−4 of 129).
 */
function toleranceFor(roots: readonly Node[], tolerance: number): number {
  const special = topologicalOrder(roots).some((n) => n.op === 'polygamma' || n.op === 'digamma' || n.op === 'lgamma');
  return tolerance > 1e-8 && special ? tolerance * 10 : tolerance;
}

function checkTensorBackend(backend: Exclude<BackendName, 'onnx'>, tolerance: number, runs: number, engine: EngineOptions = {}): void {
  const float32 = tolerance > 1e-8;
  fc.assert(
    fc.property(programArbitrary(), pointArbitrary, (program, point) => {
      const roots = rootsOf(program);
      const { funs, inputs } = funsOf(roots);
      const expected = referenceAt(roots, point);
      // Within float32 rounding of a kink a float32 engine may compute on the other piece.
      fc.pre(!float32 || expected.kink > 1e-5 * expected.scale);
      const bindings = Object.fromEntries(inputs.map((v) => [v.name, v.shape.length === 0 ? point.get(v.name)![0]! : point.get(v.name)!]));
      const got = compile(funs, { backend, precision: engine.precision })(bindings as never) as (number | Float64Array | Float32Array)[];
      const within = toleranceFor(roots, tolerance);
      roots.forEach((r, k) => expectAgreement(got[k]!, expected.values[k]!, within, float32 ? expected.scale : 1, `${backend}, root ${k} [${r.shape.join('×')}]`));
    }),
    { numRuns: runs },
  );
}

/** Random tensor programs compiled in batch mode (tensor inputs as flat columns, point after point), against the reference at every point. */
function checkTensorBatch(backend: Exclude<BackendName, 'onnx'>, tolerance: number, runs: number, engine: EngineOptions = {}): void {
  const float32 = tolerance > 1e-8;
  fc.assert(
    fc.property(programArbitrary(), fc.array(pointArbitrary, { minLength: 1, maxLength: 4 }), (program, batch) => {
      const roots = rootsOf(program);
      const { funs, inputs } = funsOf(roots);
      // A program that reads no variable has no column to count the points by: it runs once.
      const points = inputs.length === 0 ? batch.slice(0, 1) : batch;
      const expected = points.map((point) => referenceAt(roots, point));
      fc.pre(!float32 || expected.every((e) => e.kink > 1e-5 * e.scale));
      const columns = Object.fromEntries(inputs.map((v) => [v.name, Float64Array.from(points.flatMap((p) => Array.from(p.get(v.name)!)))]));
      const out = compile(funs, { batch: true, backend, precision: engine.precision })(columns as never) as (Float64Array | Float32Array)[];
      const within = toleranceFor(roots, tolerance);
      points.forEach((_, i) => {
        roots.forEach((r, k) => {
          const size = count(r.shape);
          expect(out[k]!.length).toBe(points.length * size);
          const scale = float32 ? expected[i]!.scale : 1;
          expectAgreement(out[k]!.subarray(i * size, (i + 1) * size), expected[i]!.values[k]!, within, scale, `${backend} batch point ${i}, root ${k} [${r.shape.join('×')}]`);
        });
      });
    }),
    { numRuns: runs },
  );
}

// Initialised at load so that the test title names the gpu.js mode that actually runs.
const gpu = await initBackend('gpu');
console.log(`gpu backend mode: ${gpu.engine}${gpu.notes.length > 0 ? ` (${gpu.notes.join('; ')})` : ''}`);
const gpuMode = `in gpu.js mode '${gpu.engine}'${gpu.engine === 'headlessgl' ? '' : ' (fallback: headlessgl unavailable)'}`;

describe('random scalar expressions and their gradients agree with the reference interpreter', () => {
  it('js, point mode: within 1e-12', () => {
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
  it('js, batch mode: within 1e-12', () => checkScalarBackend('js', 1e-12, 300));
  it('tfjs: within 1e-4 of the float32 scale', async () => {
    await initBackend('tfjs');
    checkScalarBackend('tfjs', 1e-4, 60);
  });
  it(`gpu: within 1e-4 of the float32 scale, ${gpuMode}`, () => checkScalarBackend('gpu', 1e-4, 40));
  it('wasm, float64: within 1e-12', async () => {
    await initBackend('wasm');
    checkScalarBackend('wasm', 1e-12, 300);
  });
  it('wasm, float32: within 1e-4 of the float32 scale', async () => {
    await initBackend('wasm');
    checkScalarBackend('wasm', 1e-4, 100, { precision: 'float32' });
  });
});

describe('random tensor programs (rank 0 to 4, every primitive) and their gradients agree with the reference interpreter', () => {
  it('js, point mode: within 1e-12', () => checkTensorBackend('js', 1e-12, 200));

  it('js, batch mode (tensor inputs as flat columns, point after point): within 1e-12 at every point', () => {
    fc.assert(
      fc.property(programArbitrary(), fc.array(pointArbitrary, { minLength: 1, maxLength: 4 }), (program, batch) => {
        const roots = rootsOf(program);
        const { funs, inputs } = funsOf(roots);
        // A program that reads no variable has no column to count the points by: it runs once.
        const points = inputs.length === 0 ? batch.slice(0, 1) : batch;
        const columns = Object.fromEntries(inputs.map((v) => [v.name, Float64Array.from(points.flatMap((p) => Array.from(p.get(v.name)!)))]));
        const out = compile(funs, { batch: true })(columns as never) as Float64Array[];
        points.forEach((point, i) => {
          const expected = referenceAt(roots, point);
          roots.forEach((r, k) => {
            const size = count(r.shape);
            expect(out[k]!.length).toBe(points.length * size);
            expectAgreement(out[k]!.subarray(i * size, (i + 1) * size), expected.values[k]!, 1e-12, 1, `batch point ${i}, root ${k} [${r.shape.join('×')}]`);
          });
        });
      }),
      { numRuns: 100 },
    );
  });

  describe('tfjs (float32)', () => {
    beforeAll(async () => {
      const info = await initBackend('tfjs');
      console.log(`tfjs backend engine: ${info.engine}${info.notes.length > 0 ? ` (${info.notes.join('; ')})` : ''}`);
    });
    it('within 1e-4 of the float32 scale', () => checkTensorBackend('tfjs', 1e-4, 80));
  });

  it(`gpu (float32): within 1e-4 of the float32 scale, ${gpuMode}`, () => checkTensorBackend('gpu', 1e-4, 8));

  describe('wasm', () => {
    beforeAll(async () => {
      const info = await initBackend('wasm');
      console.log(`wasm backend engine: ${info.engine}${info.notes.length > 0 ? ` (${info.notes.join('; ')})` : ''}`);
    });
    it('float64, point mode: within 1e-12', () => checkTensorBackend('wasm', 1e-12, 200));
    it('float64, batch mode: within 1e-12 at every point', () => checkTensorBatch('wasm', 1e-12, 100));
    it('float32, point mode: within 1e-4 of the float32 scale', () => checkTensorBackend('wasm', 1e-4, 150, { precision: 'float32' }));
    it('float32, batch mode: within 1e-4 of the float32 scale at every point', () => checkTensorBatch('wasm', 1e-4, 60, { precision: 'float32' }));
  });
});
