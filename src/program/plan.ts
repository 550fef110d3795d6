/**
 * The plan: how a program (roots over inputs) is executed, decided once per compile and the
 * same for every backend. Backends only render it with their op tables.
 *
 * A plan lists every value the program touches in a schedule (topological) order. Each value
 * is a DAG node with its operands (as value ids) and where it lives:
 * - `input`: program input j (a number for a scalar, flat row-major data otherwise);
 * - `constant`: computed at compile time, because no input reaches it (`data`, row-major);
 * - `scalar`: a rank-0 elementwise result, one statement (a local in generated code);
 * - `buffer`: a tensor operation's or an elementwise loop's result, in scratch buffer `buffer`
 *   (buffers are reused once their values are dead, see `buffers`);
 * - `view`: no storage: the elements of value `base` read with `strides` from `offset`
 *   (a transpose, a broadcast, a slice, or a reshape of contiguous data); `base` is never a view;
 * - `fused`: no storage: an elementwise result computed inside its only user's loop.
 *
 * Steps group the computed values: a `scalar` statement, a `fused` elementwise loop computing
 * one tensor with the fused values it inlines, or an `operation` on whole tensors. A renderer
 * that neither fuses nor reads views (tfjs) may instead apply each value's operation in order.
 */
import type { Node } from '../ad/node.js';
import type { Shape } from '../ad/shape.js';

export type ValueId = number;

export type Storage =
  | { readonly kind: 'input'; readonly input: number }
  | { readonly kind: 'constant'; readonly data: Float64Array }
  | { readonly kind: 'scalar' }
  | { readonly kind: 'buffer'; readonly buffer: number }
  | { readonly kind: 'view'; readonly base: ValueId; readonly offset: number; readonly strides: readonly number[] }
  | { readonly kind: 'fused' };

export interface PlanValue {
  readonly id: ValueId;
  /** The DAG node: operation, attrs and shape (for an input or a constant, the leaf or the folded node). */
  readonly node: Node;
  readonly shape: Shape;
  /** The operands, as values (empty for inputs and constants). */
  readonly args: readonly ValueId[];
  readonly storage: Storage;
}

export type Step =
  | { readonly kind: 'scalar'; readonly value: ValueId }
  /** An elementwise loop over `value`'s shape computing `members` (fused values, in order) and then `value`. */
  | { readonly kind: 'fused'; readonly value: ValueId; readonly members: readonly ValueId[] }
  | { readonly kind: 'operation'; readonly value: ValueId };

/** A run of consecutive steps rendered as one function (long programs are split, see `CHUNK_STATEMENTS`). */
export interface Chunk {
  readonly start: number;
  readonly end: number;
}

export interface Plan {
  /** Every value, in schedule order: operands before their users. */
  readonly values: readonly PlanValue[];
  /** The program inputs, in order (their values have `input` storage). */
  readonly inputs: readonly ValueId[];
  /** One value per root, in order. */
  readonly outputs: readonly ValueId[];
  readonly steps: readonly Step[];
  /** Element counts of the scratch buffers; a buffer holds several values whose lifetimes do not overlap. */
  readonly buffers: readonly number[];
  readonly chunks: readonly Chunk[];
  /**
   * Scalar values that need a slot of their own (read by a later chunk, or an output), with
   * their slot numbers; the slots of scalar inputs come first (slot j for input j when scalar).
   */
  readonly slots: ReadonlyMap<ValueId, number>;
  readonly slotCount: number;
  /** Evaluated at many points: every input and output gains a leading axis of the number of points. */
  readonly batch: boolean;
}
