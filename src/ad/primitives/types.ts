import type { Node } from '../node.js';
import type { Shape } from '../shape.js';

/**
 * How a primitive prints. Infix operators carry a precedence (higher binds tighter);
 * `associative` operators print `a + b + c` without parentheses on either side.
 */
export type Notation =
  | {
      readonly kind: 'infix';
      readonly symbol: string;
      readonly precedence: number;
      readonly associative: boolean;
      readonly rightAssociative?: boolean;
      /** LaTeX: an operator symbol, or a form whose operands need no parentheses. */
      readonly latex: { readonly symbol: string } | { readonly form: 'frac' | 'power' };
    }
  | { readonly kind: 'prefix'; readonly symbol: string; readonly precedence: number }
  | {
      readonly kind: 'call';
      readonly name: string;
      /**
       * Renders already-printed arguments (and the node's attrs and operand shapes); they need no
       * parentheses of their own.
       */
      readonly latex: (args: readonly string[], attrs: readonly number[], shapes: readonly Shape[]) => string;
      /** Plain rendering when `name(args)` does not say enough (attrs, literals); same contract as `latex`. */
      readonly plain?: (args: readonly string[], attrs: readonly number[], shapes: readonly Shape[]) => string;
    }
  | { readonly kind: 'leaf' };

/** The smart constructors a rule may use to build derivative and simplified nodes. */
export interface Builder {
  constant(value: number): Node;
  add(a: Node, b: Node): Node;
  sub(a: Node, b: Node): Node;
  mul(a: Node, b: Node): Node;
  div(a: Node, b: Node): Node;
  neg(a: Node): Node;
  pow(a: Node, b: Node): Node;
  /** Any primitive; `attrs` are the operation's parameters (axis, bounds, target shape). */
  apply(op: string, args: readonly Node[], attrs?: readonly number[]): Node;
}

interface PrimitiveBase {
  readonly name: string;
  /** The number of operands; `'variadic'` for one or more (`pack`, `concat`). */
  readonly arity: number | 'variadic';
  readonly notation: Notation;
  /** The convention at points where the function is not differentiable. */
  readonly convention?: string;
  /**
   * The node expressed in other primitives, for a backend that does not lower this one (JAX's
   * `lower_fun`, tinygrad's rewrite of missing ops). Equal in value wherever the node is.
   */
  readonly decompose?: (node: Node, b: Builder) => Node;
}

/**
 * A function of numbers (sin, add, relu, ...). On tensors it applies elementwise, and operands
 * broadcast by the numpy rule (`shape.ts`, `broadcastShapes`): aligned at the last axis, an
 * operand's missing leading axes and size-1 axes repeat.
 * Differentiation in both directions derives from `partials`: forward mode sums
 * `partial_i · dArg_i`, reverse mode adds `adjoint · partial_i` (summed back over broadcast
 * axes) to argument i.
 */
export interface ElementwisePrimitive extends PrimitiveBase {
  readonly kind: 'elementwise';
  readonly arity: number;
  /** Operand order does not matter: operands are sorted so `x·y` and `y·x` are one node. */
  readonly commutative?: boolean;
  /** Reference numerics with IEEE semantics (as `Math`), per element. */
  readonly evaluate: (...args: number[]) => number;
  /**
   * ∂self/∂arg_i for each argument, as nodes (elementwise: of the result's shape or
   * broadcastable to it). `self` is the node being differentiated, so rules such as
   * exp′ = exp reuse it. An entry may be `undefined` only for an argument that the rule
   * is told does not need it (`needed[i]` false), which lets pow skip ln(a) for constant exponents.
   */
  readonly partials: (args: readonly Node[], self: Node, b: Builder, needed: readonly boolean[]) => readonly (Node | undefined)[];
  /**
   * The same partials as pairs [c, n] meaning c·n, for a rule whose partial carries a constant
   * factor that the reverse pass keeps as a number instead of building c·n (pow: ∂aᶜ/∂a = c·aᶜ⁻¹),
   * or undefined to use `partials`. n has no constant factor or sign of its own (reverse.ts).
   */
  readonly scaledPartials?: (args: readonly Node[], self: Node, b: Builder, needed: readonly boolean[]) => readonly (readonly [number, Node] | undefined)[] | undefined;
  /**
   * Build-time simplification: a cheaper equal node, or undefined to build the node as is.
   * The result may have a smaller shape than the node would (x·0 → 0); `apply` broadcasts it back.
   */
  readonly simplify?: (args: readonly Node[], b: Builder) => Node | undefined;
}

/**
 * An operation on whole tensors (matmul, sum, slice, ...) of any rank. Values are row-major:
 * the last axis varies fastest. `attrs` are integer parameters that are part of the node's
 * identity; each record documents its own.
 */
export interface TensorPrimitive extends PrimitiveBase {
  readonly kind: 'tensor';
  /**
   * The canonical attrs for these operand shapes (a default filled in: no axes meaning every
   * axis, no permutation meaning the reversal), so that one operation is one node.
   */
  readonly normalizeAttrs?: (args: readonly Shape[], attrs: readonly number[]) => readonly number[];
  /**
   * The result shape from the operand shapes and attrs; a misuse throws a TypegradError that
   * names the operation and the shapes.
   */
  readonly shape: (args: readonly Shape[], attrs: readonly number[]) => Shape;
  /** Reference numerics: the node's value from its operands' values (row-major, flat). */
  readonly evaluate: (values: readonly Float64Array[], node: Node) => Float64Array;
  /**
   * Vector-Jacobian product (reverse mode): given the adjoint `seed` of `self` (same shape as
   * self), the adjoint contribution to each argument, of that argument's shape. Entries may be
   * undefined where `needed[i]` is false.
   */
  readonly vjp: (seed: Node, self: Node, b: Builder, needed: readonly boolean[]) => readonly (Node | undefined)[];
  /**
   * Jacobian-vector product (forward mode): the tangent of `self` from the tangents of its
   * arguments (`undefined` for an argument that does not depend on the variable; at least one is defined).
   */
  readonly jvp: (tangents: readonly (Node | undefined)[], self: Node, b: Builder) => Node;
  /** Build-time simplification: an equal node of the same shape, or undefined to build the node as is. */
  readonly simplify?: (args: readonly Node[], attrs: readonly number[], b: Builder) => Node | undefined;
  /**
   * Batching (`vmap`): the operation on operands of which those `batched` carry a leading batch
   * axis ([B, ...shape]) and the others are as they were; the result carries the batch axis first,
   * [B, ...self.shape]. Without one, vmap applies the operation to each example and stacks them.
   */
  readonly batch?: (args: readonly Node[], batched: readonly boolean[], self: Node, b: Builder) => Node;
}

/** One primitive, declared in one place: arity, shapes, printing, numerics, derivatives, simplification. */
export type Primitive = ElementwisePrimitive | TensorPrimitive;
