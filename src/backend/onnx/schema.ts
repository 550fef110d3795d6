/**
 * The ONNX schema as protobuf code: `onnx-proto` (onnx.proto compiled by protobufjs), an
 * optional peer loaded when an export or the onnx backend first asks for it, and the one place
 * that encodes a model.
 *
 * typegrad writes opset 17 with IR version 8 (ONNX 1.12): every operator it emits exists there
 * (ScatterND's `reduction` needs 16), and it is what the ONNX checker of Debian's python3-onnx
 * (1.12) accepts, which the tests run on exported models.
 */
import { TypegradError } from '../../ad/errors.js';
import { importPeer } from '../peer.js';

/** The `onnx` namespace of onnx-proto: message classes and enums. */
export type OnnxSchema = typeof import('onnx-proto')['onnx'];
export type GraphProto = import('onnx-proto').onnx.IGraphProto;
export type NodeProto = import('onnx-proto').onnx.INodeProto;
export type TensorProto = import('onnx-proto').onnx.ITensorProto;
export type ValueInfoProto = import('onnx-proto').onnx.IValueInfoProto;
export type AttributeProto = import('onnx-proto').onnx.IAttributeProto;

/** The operator set of the default domain that every exported model imports. */
export const OPSET = 17;
/** The IR version that goes with opset 17. */
export const IR_VERSION = 8;


/** Loads onnx-proto, or rejects with a TypegradError naming the package. */
export async function loadOnnxSchema(operation: string): Promise<OnnxSchema> {
  const module = (await importPeer('onnx-proto', operation)) as { onnx?: OnnxSchema; default?: { onnx?: OnnxSchema } };
  // CommonJS: Node gives its exports as the default export.
  const onnx = module.onnx ?? module.default?.onnx;
  if (onnx === undefined) throw new TypegradError(`${operation}: the package onnx-proto has no 'onnx' namespace; install onnx-proto 8`);
  return onnx;
}

/** A graph as an ONNX ModelProto, encoded: the bytes of a `.onnx` file. */
export function encodeModel(onnx: OnnxSchema, graph: GraphProto, docString?: string): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'typegrad',
    ...(docString === undefined ? {} : { docString }),
    graph,
  });
  const problem = onnx.ModelProto.verify(model);
  if (problem !== null) throw new Error(`internal: the ONNX model does not match the schema: ${problem}`);
  return onnx.ModelProto.encode(model).finish();
}
