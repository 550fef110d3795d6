/**
 * The onnx backend: a plan rendered as an ONNX model (`graph.ts`, float32) and run by ONNX
 * Runtime (`onnxruntime-node`, an optional peer), in one InferenceSession created per compile.
 *
 * ONNX Runtime's Node API is asynchronous (`InferenceSession.create` and `run` return
 * Promises), so this backend's executables are `AsyncExecutable`s and `compile` gives functions
 * that return Promises on it. Node's binding runs the model on the calling thread after one
 * `setImmediate` (ONNX Runtime's own intra-op threads do the parallel work), so a Promise here
 * means "a later turn of the event loop", not "off the main thread".
 */
import { TypegradError } from '../../ad/errors.js';
import { checkedIndex } from '../../ad/primitives/indexing.js';
import { elementCount } from '../../ad/shape.js';
import type { Plan } from '../../program/plan.js';
import { importPeer } from '../peer.js';
import type { AsyncExecutable, Backend, BackendInfo, FloatArray } from '../types.js';
import { renderOnnxGraph } from './graph.js';
import { onnxLowers } from './lowering.js';
import { encodeModel, loadOnnxSchema, type OnnxSchema } from './schema.js';

type Ort = typeof import('onnxruntime-node');
type OrtTensor = import('onnxruntime-node').Tensor;

/** How to install onnxruntime-node without its install script's optional download (CUDA binaries). */
/** What to install for the onnx backend: its CPU binaries ship in the package, so the extra download is skipped. */
export const ORT_INSTALL = 'onnxruntime-node --onnxruntime-node-install=skip';

function renderSession(ort: Ort, onnx: OnnxSchema, plan: Plan): AsyncExecutable {
  const inputNames = plan.inputs.map((_, j) => `input${j}`);
  const outputNames = plan.outputs.map((_, k) => `output${k}`);
  const { graph, indexChecks } = renderOnnxGraph(onnx, plan, { precision: 'float32', inputNames, outputNames, checkIndices: true });
  const session = ort.InferenceSession.create(encodeModel(onnx, graph), { logSeverityLevel: 3 });
  // A model that does not load is reported by the first call, not as an unhandled rejection.
  session.catch(() => undefined);
  const inputShapes = plan.inputs.map((id) => plan.values[id]!.shape as number[]);
  const scalarOutputs = plan.outputs.map((id) => plan.values[id]!.shape.length === 0);
  let released = false;

  /** The feeds, copied now: the caller reuses its arrays as soon as this returns. */
  const feedsOf = (inputs: readonly (number | ArrayLike<number>)[], points: number | undefined) => {
    const feeds: Record<string, OrtTensor> = {};
    inputs.forEach((value, j) => {
      // compile binds a declared variable that the program does not read to the number 0.
      const data = typeof value === 'number' ? new Float32Array(points ?? elementCount(inputShapes[j]!)).fill(value) : Float32Array.from(value);
      feeds[inputNames[j]!] = new ort.Tensor('float32', data, points === undefined ? inputShapes[j]! : [points]);
    });
    return feeds;
  };
  const runSession = async (feeds: Record<string, OrtTensor>) => {
    if (released) throw new TypegradError('compiled function: its ONNX Runtime session was released by dispose(); compile again');
    const results = await (await session).run(feeds);
    // The graph clamped every index into range; a bad one is the same error as on js.
    for (const { output, operation, n } of indexChecks) for (const value of results[output]!.data as Float32Array) checkedIndex(operation, value, n);
    return results;
  };

  return {
    asynchronous: true,
    async run(inputs) {
      const results = await runSession(feedsOf(inputs, undefined));
      return outputNames.map((name, k) => {
        const data = results[name]!.data as Float32Array;
        return scalarOutputs[k] ? data[0]! : data;
      });
    },
    async runBatch(n, inputs, outputs: readonly FloatArray[]) {
      const results = await runSession(feedsOf(inputs, n));
      outputNames.forEach((name, k) => {
        const data = results[name]!.data as Float32Array;
        // A program without inputs gives one number for all points.
        if (data.length === 1 && n !== 1) outputs[k]!.fill(data[0]!);
        else outputs[k]!.set(data);
      });
    },
    async dispose() {
      if (released) return;
      released = true;
      await (await session).release();
    },
  };
}

export async function loadOnnxBackend(): Promise<Backend> {
  const ort: Ort = await importPeer('onnxruntime-node', "initBackend('onnx')", ORT_INSTALL);
  const onnx = await loadOnnxSchema("initBackend('onnx')");
  const info: BackendInfo = { backend: 'onnx', engine: `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}`, precision: 'float32', notes: [] };
  return {
    info,
    lowers: onnxLowers,
    allocate: (n) => new Float32Array(n),
    render: (plan) => renderSession(ort, onnx, plan),
  };
}
