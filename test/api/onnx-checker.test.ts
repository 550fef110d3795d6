/**
 * Exported models pass the ONNX checker (`onnx.checker.check_model` with full_check, which also
 * infers every shape) of Python's onnx package, where a python3 has it: Debian's python3-onnx
 * (ONNX 1.12, opset 17), which CI installs. Elsewhere the test is skipped, and says so.
 */
import { describe, expect, it } from 'vitest';
import { exportOnnx, grad, matmul, MVar, relu, sin, Var, VVar } from '../../src/index.js';
import { dense, exportModelOnnx, exportTrainingStep, Random, sequential } from '../../src/nn/index.js';
import { everyPrimitive } from '../support/every-primitive.js';
import { checkerPython, checkModels, onnx } from '../support/onnx.js';

if (checkerPython === undefined) console.log('ONNX checker test skipped: no python3 with the onnx package here (apt-get install python3-onnx)');

describe.skipIf(checkerPython === undefined)('the ONNX checker', () => {
  it('accepts programs, gradients, float64, scalar programs, training steps and model exports', async () => {
    const X = MVar('X', 8, 5), W = MVar('W', 5, 3), b = VVar('b', 3), Y = MVar('Y', 8, 3);
    const z = matmul(relu(matmul(X, W).add(b)), matmul(W.transpose(), W));
    const loss = z.logsumexp(1).sum().sub(z.mul(Y).sum()).div(8);
    const g = grad(loss, { W, b });
    const x = Var('x');
    const model = sequential(dense('l1', 6, 4, { activation: 'relu' }), dense('l2', 4, 3));
    const exported = await exportModelOnnx(model, { batchSize: 5, params: model.init(new Random(1)), optimizer: { kind: 'momentum', lr: 0.1 } });
    const version = checkModels({
      'every primitive': await exportOnnx(everyPrimitive),
      'every primitive, float64': await exportOnnx(everyPrimitive, { precision: 'float64' }),
      'loss and gradient': await exportOnnx({ loss, dW: g.W, db: g.b }),
      scalar: await exportOnnx(sin(x.mul(x))),
      'adam step': (await exportTrainingStep(loss, { W, b }, { optimizer: { kind: 'adam' } })).model,
      'sgd step, float64': (await exportTrainingStep(loss, [W, b], { optimizer: { kind: 'sgd', lr: 0.1 }, precision: 'float64' })).model,
      'model inference': exported.inference,
      'model training step': exported.training.model,
    });
    console.log(`ONNX checker: onnx ${version} (${checkerPython})`);
    expect(version).toMatch(/^\d+\.\d+/);
  });

  it('is not vacuous: it rejects a model whose node reads a name nothing defines', async () => {
    const broken = onnx.ModelProto.decode(await exportOnnx(sin(Var('x'))));
    broken.graph!.node![0]!.input![0] = 'undefined name';
    expect(() => checkModels({ broken: onnx.ModelProto.encode(broken).finish() })).toThrow(/undefined name/);
  });
});
