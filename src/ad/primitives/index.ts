/**
 * The table of primitives: one record per operation (see `types.ts` for what a record holds).
 * Everything else (differentiation, printing, evaluation, the backends) dispatches on this table.
 */
import * as arithmetic from './arithmetic.js';
import * as elementary from './elementary.js';
import * as activation from './activation.js';
import type { Primitive } from './types.js';

export type { Builder, Notation, Primitive } from './types.js';

export const primitives = { ...arithmetic, ...elementary, ...activation } satisfies Record<string, Primitive>;

/** An operation with a record in the table. */
export type PrimitiveName = keyof typeof primitives;
/** Every node kind: the leaves (`const`, `var`) and the primitives. */
export type OpName = 'const' | 'var' | PrimitiveName;

export function isPrimitiveName(op: string): op is PrimitiveName {
  return Object.hasOwn(primitives, op);
}
