import type { Node } from '../node.js';

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
      /** Renders already-printed arguments; they need no parentheses of their own. */
      readonly latex: (args: readonly string[]) => string;
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
  apply(op: string, args: readonly Node[]): Node;
}

/**
 * One primitive, declared in one place: arity, printing, reference numerics, derivative rule and
 * build-time simplification. Differentiation in both directions derives from `partials`:
 * forward mode sums `partial_i · dArg_i`, reverse mode adds `adjoint · partial_i` to argument i.
 */
export interface Primitive {
  readonly name: string;
  readonly arity: number;
  /** Operand order does not matter: operands are sorted so `x·y` and `y·x` are one node. */
  readonly commutative?: boolean;
  readonly notation: Notation;
  /** Reference numerics with IEEE semantics (as `Math`). */
  readonly evaluate: (...args: number[]) => number;
  /**
   * ∂self/∂arg_i for each argument, as nodes. `self` is the node being differentiated, so rules
   * such as exp′ = exp reuse it. An entry may be `undefined` only for an argument that the rule
   * is told does not need it (`needed[i]` false), which lets pow skip ln(a) for constant exponents.
   */
  readonly partials: (args: readonly Node[], self: Node, b: Builder, needed: readonly boolean[]) => readonly (Node | undefined)[];
  /** Build-time simplification: a cheaper equal node, or undefined to build the node as is. */
  readonly simplify?: (args: readonly Node[], b: Builder) => Node | undefined;
  /** The convention at points where the function is not differentiable. */
  readonly convention?: string;
}
