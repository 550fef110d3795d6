/**
 * `TFun<S, V>`: a tensor of any rank whose shape is the tuple `S` (dimensions as number
 * literals, or `number` when known only at run time) and whose free variables are `V`. Scalars,
 * vectors and matrices have their own classes (`SFun`, `VFun`, `MFun`); a result of rank 3 or
 * more is a TFun. Built with `TVar`; evaluates to nested arrays.
 */
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import type { Node } from '../ad/node.js';
import { evaluateFun, Fun, substituteBindings } from './fun.js';
import type { MFun } from './matrix.js';
import type { EvalArgs, OnlyKeysOf, SFun, Substitution, SubstitutedVars } from './scalar.js';
import type { VFun } from './vector.js';
import { variableNodeOf } from './scalar.js';
import { fromFlat, type Nested } from './values.js';

declare const shapeOf: unique symbol;

/**
 * The shape tuple of a Fun type: `[]` for an SFun, `[N]` for a VFun, `[R, C]` for an MFun, `S`
 * for a TFun.
 * @example ShapeOf<MFun<2, 3, 'W'>> // [2, 3]
 */
export type ShapeOf<T> =
  T extends TFun<infer S, string> ? S : T extends MFun<infer R, infer C, string> ? [R, C] : T extends VFun<infer N, string> ? [N] : T extends SFun<string> ? [] : readonly number[];

/**
 * The Fun class for a shape, as the runtime makes it: SFun for `[]`, VFun for `[N]`, MFun for
 * `[R, C]`, TFun from rank 3 (and for a shape whose rank is not known).
 * @example FunOf<[64, 10], 'x'> // MFun<64, 10, 'x'>
 */
export type FunOf<S extends readonly number[], V extends string> = number extends S['length']
  ? TFun<S, V>
  : S extends readonly []
    ? SFun<V>
    : S extends readonly [infer N extends number]
      ? VFun<N, V>
      : S extends readonly [infer R extends number, infer C extends number]
        ? MFun<R, C, V>
        : TFun<S, V>;

/**
 * A tensor function of rank 3 or more.
 * @example TVar('x', [2, 3, 4]).sum([1, 2]) // VFun<2, 'x'>
 */
export class TFun<S extends readonly number[] = readonly number[], V extends string = string> extends Fun<V> {
  /** Type-level only: the shape. */
  declare readonly [shapeOf]?: S;

  /** @internal Use `TVar` and the operations instead. */
  constructor(node: Node, sources: readonly Fun<string>[], declared?: ReadonlySet<string>) {
    if (node.shape.length < 3) throw new TypegradError('internal: a tensor Fun has rank 3 or more (SFun, VFun and MFun are ranks 0 to 2)');
    super(node, sources, declared);
  }

  /** The dimensions. */
  get shape(): S {
    return this.node.shape as unknown as S;
  }

  /** The derivative by scalar variables in turn, elementwise: `t.d(x)` is ∂t/∂x. */
  d(...variables: readonly [SFun<string>, ...SFun<string>[]]): TFun<S, V> {
    let node = this.node;
    for (const x of variables) node = forwardDerivative(node, variableNodeOf(x, 'd'));
    return new TFun(node, [this]);
  }

  /** The value at a point, as nested arrays (one level per axis). */
  eval(...args: EvalArgs<V>): Nested<S> {
    return fromFlat(evaluateFun(this, args[0] ?? {}, 'eval'), this.node.shape) as Nested<S>;
  }

  /** Binds some variables to values or substitutes Funs for them. */
  at<const B extends Substitution<V>>(bindings: B & OnlyKeysOf<B, V>): TFun<S, Exclude<V, keyof B> | SubstitutedVars<B>> {
    const { node, remaining } = substituteBindings(this, bindings, 'at');
    return new TFun(node, [], remaining);
  }
}
