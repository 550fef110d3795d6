/**
 * The table of primitives: one record per operation (see `types.ts` for what a record holds).
 * Everything else (differentiation, printing, evaluation, the backends) dispatches on this table.
 */
import * as arithmetic from './arithmetic.js';
import * as elementary from './elementary.js';
import * as activation from './activation.js';
import * as comparison from './comparison.js';
import * as selection from './selection.js';
import * as rounding from './rounding.js';
import * as stopping from './stop-gradient.js';
import * as accurate from './accurate.js';
import * as special from './special.js';
import * as broadcasting from './broadcasting.js';
import * as reduction from './reduction.js';
import * as linearAlgebra from './linear-algebra.js';
import * as indexing from './indexing.js';
import * as convolution from './convolution.js';
import * as pooling from './pooling.js';
import { custom } from './custom.js';
import type { ElementwisePrimitive, Primitive, TensorPrimitive } from './types.js';

export type { Builder, ElementwisePrimitive, Notation, Primitive, TensorPrimitive } from './types.js';

/** The functions of numbers; on tensors they apply elementwise. */
export const elementwisePrimitives = {
  ...arithmetic, ...elementary, ...activation, ...comparison, ...selection, ...rounding, ...stopping, ...accurate, ...special,
} satisfies Record<string, ElementwisePrimitive>;

/** The operations on whole tensors. */
export const tensorPrimitives = {
  broadcast: broadcasting.broadcast,
  sum: reduction.sum,
  max: reduction.max,
  logsumexp: reduction.logsumexp,
  softmax: reduction.softmax,
  matmul: linearAlgebra.matmul,
  transpose: linearAlgebra.transpose,
  pack: indexing.pack,
  get: indexing.get,
  slice: indexing.slice,
  pad: indexing.pad,
  concat: indexing.concat,
  reshape: indexing.reshape,
  gather: indexing.gather,
  scatterAdd: indexing.scatterAdd,
  oneHot: indexing.oneHot,
  conv2d: convolution.conv2d,
  conv2dBackpropInput: convolution.conv2dBackpropInput,
  conv2dBackpropFilter: convolution.conv2dBackpropFilter,
  maxPool2d: pooling.maxPool2d,
  maxPool2dGather: pooling.maxPool2dGather,
  maxPool2dScatter: pooling.maxPool2dScatter,
  avgPool2d: pooling.avgPool2d,
  avgPool2dBackprop: pooling.avgPool2dBackprop,
  custom,
} satisfies Record<string, TensorPrimitive>;

export const primitives: Readonly<Record<OperationName, Primitive>> & typeof elementwisePrimitives & typeof tensorPrimitives = {
  ...elementwisePrimitives,
  ...tensorPrimitives,
};

/**
 * An elementwise primitive. (The name predates tensors and is kept because backends key their
 * scalar lowering tables by it; `OperationName` is every primitive.)
 */
export type PrimitiveName = keyof typeof elementwisePrimitives;
/** A tensor primitive. */
export type TensorPrimitiveName = keyof typeof tensorPrimitives;
/** Any primitive with a record in the table. */
export type OperationName = PrimitiveName | TensorPrimitiveName;
/** Every node kind: the leaves (`const`, `var`) and the primitives. */
export type OpName = 'const' | 'var' | OperationName;

export function isPrimitiveName(op: string): op is OperationName {
  return Object.hasOwn(primitives, op);
}

/** The record of an operation node's primitive. */
export function primitiveOf(op: OpName): Primitive {
  return primitives[op as OperationName];
}
