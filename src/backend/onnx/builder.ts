/**
 * The ONNX graph under construction: nodes, initializers and fresh names, with the helpers the
 * lowering table writes with (int64 parameters, scalars, index operands).
 */
import type { Shape } from '../../ad/shape.js';
import type { AttributeProto, NodeProto, OnnxSchema, TensorProto, ValueInfoProto } from './schema.js';

/** The element type of every value of an exported program. */
export type Precision = 'float32' | 'float64';

/** An extra output holding an index operand, to be checked against [0, n). */
export interface IndexCheck {
  readonly output: string;
  readonly operation: string;
  readonly n: number;
}

/** An attribute value: an integer, a list of integers, or a string. */
export type AttributeValue = number | readonly number[] | string;

/**
 * The graph under construction: nodes, initializers (integer parameters and scalars shared by
 * content) and fresh names that avoid the program's own input and output names.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly extraOutputs: ValueInfoProto[] = [];
  readonly indexChecks: IndexCheck[] = [];
  /** TensorProto.DataType of the values: FLOAT or DOUBLE. */
  readonly elementType: number;
  readonly #onnx: OnnxSchema;
  readonly #precision: Precision;
  readonly #checkIndices: boolean;
  readonly #taken: Set<string>;
  readonly #shared = new Map<string, string>();
  readonly #computed = new Map<string, string>();
  #next = 0;

  constructor(onnx: OnnxSchema, precision: Precision, checkIndices: boolean, taken: Iterable<string>) {
    this.#onnx = onnx;
    this.#precision = precision;
    this.#checkIndices = checkIndices;
    this.#taken = new Set(taken);
    this.elementType = precision === 'float32' ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.DOUBLE;
  }

  /** A name no other value has. */
  fresh(): string {
    let name: string;
    do name = `v${this.#next++}`;
    while (this.#taken.has(name));
    this.#taken.add(name);
    return name;
  }

  /** Adds a node of operator `opType` and returns its output's name (`output`, or a fresh one). */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, output?: string): string {
    const key = `${opType}(${inputs.join(',')})${JSON.stringify(attributes)}`;
    const existing = this.#computed.get(key);
    if (existing !== undefined && output === undefined) return existing;
    output ??= this.fresh();
    this.#computed.set(key, output);
    const types = this.#onnx.AttributeProto.AttributeType;
    const attribute = Object.entries(attributes).map(([name, value]): AttributeProto => {
      if (typeof value === 'string') return { name, type: types.STRING, s: new TextEncoder().encode(value) };
      if (typeof value === 'number') return { name, type: types.INT, i: checkedInteger(value) };
      return { name, type: types.INTS, ints: value.map(checkedInteger) };
    });
    this.nodes.push({ opType, input: [...inputs], output: [output], attribute });
    return output;
  }

  /** Adds a node of operator `opType` with `count` outputs (MaxPool's values and indices) and returns their names. */
  ops(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>>, count: number): string[] {
    const first = this.op(opType, inputs, attributes);
    const outputs = this.nodes.find((n) => n.output?.[0] === first)!.output!;
    while (outputs.length < count) outputs.push(this.fresh());
    return [...outputs];
  }

  /** An int64 tensor (shapes, axes, pads, positions), shared by content; rank 0 for `shape` []. */
  int64s(values: readonly number[], shape: Shape = [values.length]): string {
    const key = `int64 ${shape.join('x')} ${values.join(',')}`;
    return this.#sharedTensor(key, () => {
      const bytes = new Uint8Array(values.length * 8);
      const view = new DataView(bytes.buffer);
      values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(checkedInteger(v)), true));
      return { dims: [...shape], dataType: this.#onnx.TensorProto.DataType.INT64, rawData: bytes };
    });
  }

  /** A scalar of the element type, shared by value. */
  scalar(value: number): string {
    return this.#sharedTensor(`scalar ${Object.is(value, -0) ? '-0' : String(value)}`, () => this.#floatTensor(Float64Array.of(value), []));
  }

  /** A tensor of the element type (row-major data); named `name` when given. */
  tensor(data: ArrayLike<number>, shape: Shape, name = this.fresh()): string {
    this.initializers.push({ name, ...this.#floatTensor(data, shape) });
    return name;
  }

  /**
   * An index operand (floats holding integers) as int64 positions along an axis of length n.
   * Exported, a position is what ONNX makes of it (truncated; negative counts from the end);
   * for the backend it is clamped into range and checked by the caller (see `checkIndices`).
   */
  indices(values: string, shape: Shape, n: number, operation: string): string {
    const int64 = this.#onnx.TensorProto.DataType.INT64;
    if (!this.#checkIndices) return this.op('Cast', [values], { to: int64 });
    // One extra output per index operand, however many operations read it (the Identity is shared).
    const output = this.op('Identity', [values]);
    if (!this.extraOutputs.some((o) => o.name === output)) this.extraOutputs.push(this.valueInfo(output, shape));
    this.indexChecks.push({ output, operation, n });
    const finite = this.op('Where', [this.op('IsNaN', [values]), this.scalar(0), values]);
    return this.op('Cast', [this.op('Clip', [finite, this.scalar(0), this.scalar(n - 1)])], { to: int64 });
  }

  /** A graph input or output of the element type; a string dimension is symbolic (the batch). */
  valueInfo(name: string, shape: readonly (number | string)[]): ValueInfoProto {
    const dim = shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
    return { name, type: { tensorType: { elemType: this.elementType, shape: { dim } } } };
  }

  #floatTensor(data: ArrayLike<number>, shape: Shape): TensorProto {
    const float32 = this.#precision === 'float32';
    const bytes = new Uint8Array(data.length * (float32 ? 4 : 8));
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) {
      if (float32) view.setFloat32(i * 4, data[i]!, true);
      else view.setFloat64(i * 8, data[i]!, true);
    }
    return { dims: [...shape], dataType: this.elementType, rawData: bytes };
  }

  #sharedTensor(key: string, make: () => TensorProto): string {
    let name = this.#shared.get(key);
    if (name === undefined) {
      name = this.fresh();
      this.initializers.push({ name, ...make() });
      this.#shared.set(key, name);
    }
    return name;
  }
}

function checkedInteger(value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`internal: ONNX integer parameter ${value} is not an integer`);
  return value;
}
