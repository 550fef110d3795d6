/**
 * The ONNX lowering of each primitive: the standard operators (opset 17, default domain) that
 * compute it, one entry per primitive. typegrad's elementwise broadcasting is numpy's, which is
 * ONNX's multidirectional broadcasting, and `matmul` is numpy's, which is ONNX MatMul, so most
 * entries are one operator.
 *
 * Not in the table, so decomposed by the planner with the primitive's own rule:
 * - the special functions (erf, erfc, lgamma, digamma, polygamma), as on every backend: the
 *   reference's algorithm; `hypot`, `expm1`, `log1p` and `atan2`, which ONNX lacks (its Erf is
 *   float32-only in most runtimes and would differ from the other backends' erf besides);
 * - `logsumexp`: ONNX defines ReduceLogSumExp as log(sum(exp(x))), which overflows in float32
 *   from x ≈ 88 in runtimes that implement the definition; the rule shifts out the maximum
 *   (max + ln Σ exp(x − max)), so the exported model is stable in every runtime.
 */
import { isConstant, type Node } from '../../ad/node.js';
import type { OperationName } from '../../ad/primitives/index.js';
import { elementCount } from '../../ad/shape.js';
import type { GraphBuilder } from './builder.js';
import { onnxWindowLowering } from './window-lowering.js';

/** Writes the nodes computing `node` from its operands' names; the name of the result. */
export type OnnxLowering = (g: GraphBuilder, args: readonly string[], node: Node) => string;

const unary =
  (opType: string): OnnxLowering =>
  (g, [a]) =>
    g.op(opType, [a!]);
const binary =
  (opType: string): OnnxLowering =>
  (g, [a, b]) =>
    g.op(opType, [a!, b!]);

/** A boolean result as the graph's float type (1 or 0). */
const mask =
  (opType: string): OnnxLowering =>
  (g, [a, b]) =>
    g.op('Cast', [g.op(opType, [a!, b!])], { to: g.elementType });

const range = (start: number, end: number) => Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
const isIdentity = (perm: readonly number[]) => perm.every((p, i) => p === i);

/** The flat row-major position of a multi-index. */
function flatIndex(shape: readonly number[], index: readonly number[]): number {
  return index.reduce((k, i, axis) => k * shape[axis]! + i, 0);
}

export const onnxLowering: { readonly [P in OperationName]?: OnnxLowering } = {
  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  // 1/b as Reciprocal: ONNX Runtime 1.30 rewrites Mul(a, Div(1, b)) as Div(a, b) (DivMulFusion)
  // and, on some graphs (the gradient of log(a, b)/a), then refuses the model it made ("Node
  // input ... is not a graph input, initializer, or output of a previous node").
  div: (g, [a, b], node) => (isConstant(node.args[0]!, 1) ? g.op('Reciprocal', [b!]) : g.op('Div', [a!, b!])),
  neg: unary('Neg'),
  // Math.pow(±1, ±∞) and Math.pow(±1, NaN) are NaN; ONNX Runtime's Pow (C's pow) gives 1.
  pow: (g, [a, b], node) => {
    const power = g.op('Pow', [a!, b!]);
    const exponent = node.args[1]!;
    if (exponent.op === 'const' && Number.isFinite(exponent.value)) return power;
    const notFinite = g.op('Or', [g.op('IsInf', [b!]), g.op('IsNaN', [b!])]);
    const unitBase = g.op('Equal', [g.op('Abs', [a!]), g.scalar(1)]);
    return g.op('Where', [g.op('And', [unitBase, notFinite]), g.scalar(NaN), power]);
  },
  exp: unary('Exp'),
  ln: unary('Log'),
  log: (g, [a, base]) => g.op('Div', [g.op('Log', [a!]), g.op('Log', [base!])]),
  sqrt: unary('Sqrt'),
  // ONNX has no cube root: sign(a)·|a|^(1/3) keeps negative arguments real.
  cbrt: (g, [a]) => g.op('Mul', [g.op('Sign', [a!]), g.op('Pow', [g.op('Abs', [a!]), g.scalar(1 / 3)])]),
  sin: unary('Sin'),
  cos: unary('Cos'),
  tan: unary('Tan'),
  asin: unary('Asin'),
  acos: unary('Acos'),
  atan: unary('Atan'),
  sinh: unary('Sinh'),
  cosh: unary('Cosh'),
  tanh: unary('Tanh'),
  sigmoid: unary('Sigmoid'),
  softplus: unary('Softplus'),
  relu: unary('Relu'),
  abs: unary('Abs'),
  sign: unary('Sign'),
  // 1 for a > 0, else 0, NaN kept: Greater maps NaN to false, so NaN is put back.
  heaviside: (g, [a]) => g.op('Where', [g.op('IsNaN', [a!]), a!, g.op('Cast', [g.op('Greater', [a!, g.scalar(0)])], { to: g.elementType })]),
  equal: mask('Equal'),
  gt: mask('Greater'),
  ge: mask('GreaterOrEqual'),
  lt: mask('Less'),
  le: mask('LessOrEqual'),
  ne: (g, [a, b]) => g.op('Cast', [g.op('Not', [g.op('Equal', [a!, b!])])], { to: g.elementType }),
  // Not(Equal(c, 0)): NaN ≠ 0, so a NaN condition picks a (as the reference).
  where: (g, [c, a, b]) => g.op('Where', [g.op('Not', [g.op('Equal', [c!, g.scalar(0)])]), a!, b!]),
  maximum: binary('Max'),
  minimum: binary('Min'),
  clip: (g, [x, lo, hi]) => g.op('Min', [g.op('Max', [x!, lo!]), hi!]),
  floor: unary('Floor'),
  ceil: unary('Ceil'),
  // Math.round's halves towards +∞ (ONNX Round takes halves to even): ⌊a⌋ + [a − ⌊a⌋ ≥ ½].
  round: (g, [a]) => {
    const down = g.op('Floor', [a!]);
    return g.op('Add', [down, g.op('Cast', [g.op('GreaterOrEqual', [g.op('Sub', [a!, down]), g.scalar(0.5)])], { to: g.elementType })]);
  },
  stopGradient: unary('Identity'),

  broadcast: (g, [x], node) => g.op('Expand', [x!, g.int64s(node.attrs)]),
  sum: (g, [x], node) => g.op('ReduceSum', [x!, g.int64s(node.attrs)], { keepdims: 0 }),
  max: (g, [x], node) => g.op('ReduceMax', [x!], { axes: node.attrs, keepdims: 0 }),
  softmax: (g, [x], node) => g.op('Softmax', [x!], { axis: node.attrs[0]! }),
  matmul: binary('MatMul'),
  transpose: (g, [x], node) => g.op('Transpose', [x!], { perm: node.attrs }),
  // Scalars as one-element vectors, joined, and given the pack's shape.
  pack: (g, args, node) => {
    const one = g.int64s([1]);
    const joined = args.length === 1 ? args[0]! : g.op('Concat', args.map((a) => g.op('Reshape', [a, one])), { axis: 0 });
    return g.op('Reshape', [joined, g.int64s(node.attrs)]);
  },
  // The element at its flat position: Gather with a rank-0 index gives a scalar.
  get: (g, [x], node) => g.op('Gather', [g.op('Reshape', [x!, g.int64s([-1])]), g.int64s([flatIndex(node.args[0]!.shape, node.attrs)], [])], { axis: 0 }),
  slice: (g, [x], node) => {
    const [axis, start, end] = node.attrs as [number, number, number];
    return g.op('Slice', [x!, g.int64s([start]), g.int64s([end]), g.int64s([axis])]);
  },
  pad: (g, [x], node) => {
    const [axis, before, after] = node.attrs as [number, number, number];
    const rank = node.shape.length;
    const pads = [...range(0, rank).map((i) => (i === axis ? before : 0)), ...range(0, rank).map((i) => (i === axis ? after : 0))];
    return g.op('Pad', [x!, g.int64s(pads)]);
  },
  concat: (g, args, node) => g.op('Concat', [...args], { axis: node.attrs[0]! }),
  reshape: (g, [x], node) => g.op('Reshape', [x!, g.int64s(node.attrs)]),
  gather: (g, [x, indices], node) => {
    const axis = node.attrs[0]!;
    return g.op('Gather', [x!, g.indices(indices!, node.args[1]!.shape, node.args[0]!.shape[axis]!, 'gather')], { axis });
  },
  // The indexed axes moved to the front and flattened, added into zeros by ScatterND
  // (reduction 'add': repeated positions add up), and the new axis moved back into place.
  scatterAdd: (g, [values, indices], node) => {
    const [axis, n] = node.attrs as [number, number];
    const valuesShape = node.args[0]!.shape, indexShape = node.args[1]!.shape;
    const count = indexShape.length;
    const front = [...range(axis, axis + count), ...range(0, valuesShape.length).filter((i) => i < axis || i >= axis + count)];
    const moved = isIdentity(front) ? values! : g.op('Transpose', [values!], { perm: front });
    const rest = [...valuesShape.slice(0, axis), ...valuesShape.slice(axis + count)];
    const updates = g.op('Reshape', [moved, g.int64s([elementCount(indexShape), ...rest])]);
    const positions = g.op('Reshape', [g.indices(indices!, indexShape, n, 'scatterAdd'), g.int64s([elementCount(indexShape), 1])]);
    const zeros = g.op('Expand', [g.scalar(0), g.int64s([n, ...rest])]);
    const summed = g.op('ScatterND', [zeros, positions, updates], { reduction: 'add' });
    const back = [...range(1, axis + 1), 0, ...range(axis + 1, rest.length + 1)];
    return isIdentity(back) ? summed : g.op('Transpose', [summed], { perm: back });
  },
  // 1 where the index equals the position exactly (as the reference: 1.5 matches nothing).
  oneHot: (g, [indices], node) => {
    const depth = node.attrs[0]!;
    const column = g.op('Reshape', [indices!, g.int64s([...node.args[0]!.shape, 1])]);
    const positions = g.tensor(range(0, depth), [depth]);
    return g.op('Cast', [g.op('Equal', [column, positions])], { to: g.elementType });
  },
  ...onnxWindowLowering,
};

/** Whether the onnx renderer lowers a primitive (the planner decomposes the others). */
export function onnxLowers(op: OperationName): boolean {
  return Object.hasOwn(onnxLowering, op);
}
