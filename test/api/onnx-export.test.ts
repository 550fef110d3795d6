/**
 * exportOnnx: what compile accepts becomes an ONNX model of standard operators (opset 17) with
 * named inputs and outputs, that ONNX Runtime runs to the values js computes (float32, or
 * float64 on request); bad arguments are TypegradErrors naming the problem.
 */
import { describe, expect, it } from 'vitest';
import { compile, exportOnnx, grad, matmul, MVar, relu, TypegradError, Var, VVar } from '../../src/index.js';
import { everyPrimitive, everyPrimitiveData, missingPrimitives } from '../support/every-primitive.js';
import { decodeModel, dimsOf, runModel } from '../support/onnx.js';

const X = MVar('X', 4, 3), W = MVar('W', 3, 2), b = VVar('b', 2), Y = MVar('Y', 4, 2);
const z = matmul(relu(matmul(X, W).add(b)), W.transpose()); // [4, 3]
const loss = z.logsumexp(1).sum().sub(z.mul(X).sum()).div(4);
const g = grad(loss, { W, b });
const data = {
  X: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)),
  W: Float64Array.from({ length: 6 }, (_, i) => Math.cos(i * 0.7) / 2),
  b: Float64Array.of(0.1, -0.2),
};
const shapes: Record<string, number[]> = { X: [4, 3], W: [3, 2], b: [2] };
const feeds = Object.fromEntries(Object.entries(data).map(([name, values]) => [name, { data: values, shape: shapes[name]! }]));

/** Largest difference relative to max(1, |expected|). */
function relativeError(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  let error = 0;
  for (let i = 0; i < expected.length; i++) error = Math.max(error, Math.abs(got[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  return error;
}

describe('exportOnnx', () => {
  it('writes opset 17 and IR version 8, standard operators only, named inputs and outputs', async () => {
    const model = decodeModel(await exportOnnx({ loss, dW: g.W, db: g.b }));
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, o.version])).toEqual([['', 17]]);
    expect(model.producerName).toBe('typegrad');
    expect(model.graph.node.every((n) => n.domain === '')).toBe(true);
    expect(model.graph.input.map((i) => i.name)).toEqual(['W', 'X', 'b']); // sorted, as compile's
    expect(model.graph.output.map((o) => o.name)).toEqual(['loss', 'dW', 'db']);
    expect(model.graph.input.map(dimsOf)).toEqual([[3, 2], [4, 3], [2]]);
    expect(model.graph.output.map(dimsOf)).toEqual([[], [3, 2], [2]]);
  });

  it('runs in ONNX Runtime to the values js computes (float32)', async () => {
    const got = await runModel(await exportOnnx({ loss, dW: g.W, db: g.b, softmax: z.softmax() }), feeds);
    const js = compile({ loss, dW: g.W, db: g.b, softmax: z.softmax() })(data);
    expect(got.loss![0]).toBeCloseTo(js.loss, 5);
    expect(relativeError(got.dW!, js.dW)).toBeLessThan(1e-5);
    expect(relativeError(got.db!, js.db)).toBeLessThan(1e-5);
    expect(relativeError(got.softmax!, js.softmax)).toBeLessThan(1e-6);
  });

  it('float64 on request: the same values as js to 1e-12', async () => {
    const model = await exportOnnx({ loss, dW: g.W, db: g.b }, { precision: 'float64' });
    expect(decodeModel(model).graph.input[0]!.type.tensorType.elemType).toBe(11); // DOUBLE
    const got = await runModel(model, feeds, 'float64');
    const js = compile({ loss, dW: g.W, db: g.b })(data);
    expect(got.loss).toBeInstanceOf(Float64Array);
    expect(relativeError(got.loss!, [js.loss])).toBeLessThan(1e-12);
    expect(relativeError(got.dW!, js.dW)).toBeLessThan(1e-12);
  });

  it('exports every primitive, and ONNX Runtime computes each as js does', async () => {
    expect(missingPrimitives).toEqual([]);
    const got = await runModel(await exportOnnx(everyPrimitive), {
      s: { data: [everyPrimitiveData.s], shape: [] },
      v: { data: everyPrimitiveData.v, shape: [3] },
      X: { data: everyPrimitiveData.X.flat(), shape: [2, 3] },
      I: { data: everyPrimitiveData.I, shape: [2] },
    });
    const js = compile(everyPrimitive)(everyPrimitiveData as never) as Record<string, number | Float64Array>;
    for (const [name, expected] of Object.entries(js)) {
      const flat = typeof expected === 'number' ? [expected] : expected;
      expect(got[name]!.length, name).toBe(flat.length);
      expect(relativeError(got[name]!, flat), name).toBeLessThan(1e-6);
    }
  });

  it('float64: ONNX Runtime has no double kernels for Tan, Asin, Acos, Atan, Sinh, Cosh, Softplus, Conv, ConvTranspose and AveragePool, and atan2, digamma and polygamma decompose into Atan and Tan (the README says so)', async () => {
    const noDouble: string[] = [];
    for (const [name, f] of Object.entries(everyPrimitive)) {
      try {
        await runModel(await exportOnnx(f, { precision: 'float64', constants: everyPrimitiveData as never }), {}, 'float64');
      } catch (error) {
        expect((error as Error).message).toMatch(/Could not find an implementation/);
        noDouble.push(name);
      }
    }
    // atan2, digamma and polygamma decompose into Atan and Tan.
    expect(noDouble).toEqual(['tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'softplus', 'atan2', 'digamma', 'polygamma', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'avgPool2d', 'avgPool2dBackprop']);
  });

  it('args order the inputs, outputNames name the outputs, constants become initializers', async () => {
    const x = Var('x'), v = VVar('v', 3);
    const f = v.mul(x).sum();
    const ordered = decodeModel(await exportOnnx([f, v.mul(2)], { args: [x, v], outputNames: ['total', 'twice'] }));
    expect(ordered.graph.input.map((i) => i.name)).toEqual(['x', 'v']);
    expect(ordered.graph.output.map((o) => o.name)).toEqual(['total', 'twice']);
    expect(decodeModel(await exportOnnx([f, v])).graph.output.map((o) => o.name)).toEqual(['output0', 'output1']);
    expect(decodeModel(await exportOnnx(f)).graph.output.map((o) => o.name)).toEqual(['output']);
    const fixed = await exportOnnx(f, { constants: { v: [1, 2, 3] } });
    expect(decodeModel(fixed).graph.input.map((i) => i.name)).toEqual(['x']);
    expect((await runModel(fixed, { x: { data: [2], shape: [] } })).output![0]).toBe(12);
  });

  it('bad arguments are TypegradErrors naming the problem', async () => {
    const x = Var('x'), v = VVar('v', 3);
    const cases: [unknown, unknown, RegExp][] = [
      [42, undefined, /exportOnnx: expected a Fun, or an array or record of Funs, got number 42/],
      [[], undefined, /expected at least one Fun, got an empty array/],
      [x, { precison: 'float64' }, /unknown option 'precison'; the options are args, precision/],
      [x, { precision: 'float16' }, /precision must be 'float32' or 'float64', got the string "float16"/],
      [[x, v], { outputNames: ['a'] }, /outputNames must be an array of 2 name\(s\), one per Fun/],
      [[x, v], { outputNames: ['a', 'a'] }, /'a' names both output 0 and output 1/],
      [{ x: x.mul(2) }, undefined, /'x' names both an input and output 0; every input and output of an ONNX model needs its own name/],
      [v.sum(), { constants: { w: [1, 2, 3] } }, /constants has 'w', which is not a variable of the program \(its variables are v\)/],
      [v.sum(), { constants: { v: [1, 2] } }, /variable 'v' is a vector\[3\], got vector\[2\]/],
      [x, 'float64', /options must be an object, got the string "float64"/],
    ];
    for (const [f, options, message] of cases) {
      await expect(exportOnnx(f as never, options as never)).rejects.toThrow(message);
      await expect(exportOnnx(f as never, options as never)).rejects.toBeInstanceOf(TypegradError);
    }
  });
});
