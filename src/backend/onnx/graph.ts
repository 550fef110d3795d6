/**
 * A plan rendered as an ONNX graph: one ONNX node (or a few) per computed value, in schedule
 * order, by the lowering table (`lowering.ts`); constants as initializers; the program's
 * inputs and outputs as named graph inputs and outputs. Views, fusion and buffers are the js
 * renderer's business and are not rendered: ONNX Runtime plans memory and fuses by itself.
 *
 * Every value has the element type asked for (float32 or float64); integer tensors appear
 * only as operator parameters (shapes, axes, pads) and as index operands cast to int64.
 */
import { TypegradError } from '../../ad/errors.js';
import type { OperationName } from '../../ad/primitives/index.js';
import type { Plan } from '../../program/plan.js';
import { GraphBuilder, type IndexCheck, type Precision } from './builder.js';
import { onnxLowering } from './lowering.js';
import type { GraphProto, OnnxSchema, ValueInfoProto } from './schema.js';

export type { IndexCheck, Precision } from './builder.js';

export interface GraphOptions {
  readonly precision: Precision;
  /** The graph input name of each program input, in order. */
  readonly inputNames: readonly string[];
  /** The graph output name of each root, in order. */
  readonly outputNames: readonly string[];
  /** Program inputs (by position) with fixed values: initializers under the input's name, not graph inputs. */
  readonly fixed?: ReadonlyMap<number, Float64Array>;
  /**
   * For the backend: index operands are clamped into range before ONNX reads them, and given
   * back as extra outputs so that the caller checks them and reports a bad index as js does.
   */
  readonly checkIndices?: boolean;
  readonly name?: string;
}

export interface RenderedGraph {
  readonly graph: GraphProto;
  readonly indexChecks: readonly IndexCheck[];
}

/** The plan as an ONNX graph (see the module comment). */
export function renderOnnxGraph(onnx: OnnxSchema, plan: Plan, options: GraphOptions): RenderedGraph {
  if (plan.batch && plan.values.some((v) => v.shape.length > 0)) {
    throw new TypegradError('compile: the onnx backend evaluates a program with vectors, matrices or tensors one point per call; batch: true needs the js backend for it');
  }
  const { inputNames, outputNames } = options;
  const g = new GraphBuilder(onnx, options.precision, options.checkIndices === true, [...inputNames, ...outputNames]);
  const names: string[] = new Array(plan.values.length);
  // In batch mode, whether a value has the batch axis (depends on an input).
  const batched: boolean[] = new Array(plan.values.length).fill(false);
  const inputs: ValueInfoProto[] = [];
  /** A value's name; a constant becomes an initializer when first read (a lowering may not read it). */
  const nameOf = (id: number): string => {
    const value = plan.values[id]!;
    if (names[id] === undefined && value.storage.kind === 'constant') {
      const data = value.storage.data;
      names[id] = value.shape.length === 0 ? g.scalar(data[0]!) : g.tensor(data, value.shape);
    }
    return names[id]!;
  };
  for (const value of plan.values) {
    const storage = value.storage;
    if (storage.kind === 'input') {
      const name = inputNames[storage.input]!;
      const fixed = options.fixed?.get(storage.input);
      if (fixed !== undefined) g.tensor(fixed, value.shape, name);
      else inputs.push(g.valueInfo(name, plan.batch ? ['n'] : value.shape));
      names[value.id] = name;
      batched[value.id] = plan.batch && fixed === undefined;
    } else if (storage.kind !== 'constant') {
      const lowering = onnxLowering[value.node.op as OperationName];
      if (lowering === undefined) throw new Error(`internal: the onnx renderer was given '${value.node.op}', which it does not lower`);
      names[value.id] = lowering(g, value.args.map(nameOf), value.node);
      batched[value.id] = value.args.some((a) => batched[a]);
    }
  }
  // A batch output that no input reaches is one number: repeated along the batch axis.
  const firstBatched = plan.values.find((v) => batched[v.id]);
  const outputs = plan.outputs.map((id, k) => {
    let source = nameOf(id);
    if (plan.batch && !batched[id] && firstBatched !== undefined) source = g.op('Expand', [source, g.op('Shape', [nameOf(firstBatched.id)])]);
    g.op('Identity', [source], {}, outputNames[k]!);
    return g.valueInfo(outputNames[k]!, plan.batch && (batched[id] || firstBatched !== undefined) ? ['n'] : plan.values[id]!.shape);
  });
  const graph: GraphProto = {
    name: options.name ?? 'typegrad',
    node: g.nodes,
    initializer: g.initializers,
    input: inputs,
    output: [...outputs, ...g.extraOutputs],
  };
  return { graph, indexChecks: g.indexChecks };
}

