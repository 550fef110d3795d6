/**
 * Evaluation in number systems other than float64: arbitrary-precision decimals (decimal.js) and
 * exact rationals. A number system gives one function per elementwise primitive (a table keyed
 * by primitive name, so a primitive added without an entry is a compile error) and the few
 * operations the tensor rules (`tensor-rules.ts`) are written in; the interpreter
 * (`evaluate.ts`) is the same for every system.
 */
import type { PrimitiveName } from '../primitives/index.js';

/** One function of numbers per elementwise primitive, on the system's values. */
export type ElementwiseRules<T> = { readonly [P in PrimitiveName]: (args: readonly T[]) => T };

export interface NumberSystem<T> {
  /** How errors name the evaluation (`evalDecimal`, `evalExact`). */
  readonly name: string;
  /** The value a DAG constant (a double) stands for in this system. */
  constant(value: number): T;
  readonly zero: T;
  readonly one: T;
  readonly elementwise: ElementwiseRules<T>;
  /** The larger of two values; NaN (where the system has it) wins, as in `Math.max`. */
  maximum(a: T, b: T): T;
  /** False for ±∞ and NaN (where the system has them). */
  isFinite(a: T): boolean;
  /** An index operand's element as a number (gather, scatterAdd and oneHot read positions). */
  toNumber(a: T): number;
}
