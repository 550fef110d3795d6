/**
 * `VFun<N, V>`: a vector of length `N` (a number literal, or `number` when known only at run
 * time) whose free variables are `V`. Built with `Vec` and `VVar`; evaluates to `number[]`.
 */
import { toPrimitive } from './coercion.js';
import type { VarSet } from './declared.js';
import type { Add, Sub } from '../typelevel/index.js';
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import { variableNode, type Node } from '../ad/node.js';
import { checkDimension } from '../ad/shape.js';
import { evaluateFun, Fun, substituteBindings } from './fun.js';
import type { MFun } from './matrix.js';
import { describeValue } from './record.js';
import { SFun, variableNodeOf, type EvalArgs, type OnlyKeysOf, type Scalar, type Substitution, type SubstitutedVars } from './scalar.js';
import type { IndexCheck, InnerMismatch, MatrixShape, ReshapeCheck, SameDimension, SliceCheck, VectorMismatch, VectorShape } from './shape-types.js';
import { applyFuns, applyTo, outerProduct, registerFunClass, toFun, wrap } from './wrap.js';

declare const lengthOf: unique symbol;

/**
 * A vector function.
 * @example
 * const w = VVar('w', 3);
 * w.dot(Vec(1, 2, 3)).eval({ w: [1, 1, 1] }) // 6
 */
export class VFun<N extends number = number, V extends string = string> extends Fun<V> {
  /** Type-level only: the length. */
  declare readonly [lengthOf]?: N;

  /** @internal Use `Vec`, `VVar` and the operations instead. */
  constructor(node: Node, sources: readonly Fun<string>[], declared?: VarSet | ReadonlySet<string>) {
    if (node.shape.length !== 1) throw new TypegradError('internal: a vector Fun needs a vector node');
    super(node, sources, declared);
  }
  /**
   * What JavaScript gets when it converts this Fun: the printed expression for a string
   * (`String(f)`, template literals); for a number (`<`, `Number(f)`, `+ ''`) its value at the
   * point a traced function is being called at, else a TypegradError pointing to `where`.
   */
  [Symbol.toPrimitive](hint: string): string | number {
    return toPrimitive(this, hint);
  }


  /** The number of elements. */
  get length(): N {
    return this.node.shape[0] as N;
  }

  /** this + other, elementwise; a scalar is added to every element. */
  add<M extends number = N, W extends string = never>(other: Scalar<W> | (VFun<M, W> & SameDimension<N, M, VectorMismatch<'add', N, M>>)): VFun<N, V | W> {
    return applyFuns('add', [this, other]) as VFun<N, V | W>;
  }
  /** this − other, elementwise. */
  sub<M extends number = N, W extends string = never>(other: Scalar<W> | (VFun<M, W> & SameDimension<N, M, VectorMismatch<'subtract', N, M>>)): VFun<N, V | W> {
    return applyFuns('sub', [this, other]) as VFun<N, V | W>;
  }
  /** this · other, elementwise (the Hadamard product; see `dot` for the inner product). */
  mul<M extends number = N, W extends string = never>(other: Scalar<W> | (VFun<M, W> & SameDimension<N, M, VectorMismatch<'multiply', N, M>>)): VFun<N, V | W> {
    return applyFuns('mul', [this, other]) as VFun<N, V | W>;
  }
  /** this / other, elementwise. */
  div<M extends number = N, W extends string = never>(other: Scalar<W> | (VFun<M, W> & SameDimension<N, M, VectorMismatch<'divide', N, M>>)): VFun<N, V | W> {
    return applyFuns('div', [this, other]) as VFun<N, V | W>;
  }
  /** this ^ exponent, elementwise. */
  pow<W extends string = never>(exponent: Scalar<W>): VFun<N, V | W> {
    return applyFuns('pow', [this, exponent]) as VFun<N, V | W>;
  }
  /** −this */
  neg(): VFun<N, V> {
    return applyTo('neg', this) as VFun<N, V>;
  }

  /** The inner product Σ thisᵢ·otherᵢ. */
  dot<M extends number, W extends string = never>(other: VFun<M, W> & SameDimension<N, M, VectorMismatch<'take the dot product of', N, M>>): SFun<V | W> {
    return applyFuns('matmul', [this, other]) as SFun<V | W>;
  }
  /** The row vector times a matrix: [N]·[N, C] → [C]. */
  matmul<K extends number, C extends number, W extends string = never>(
    other: MFun<K, C, W> & SameDimension<N, K, InnerMismatch<VectorShape<N>, MatrixShape<K, C>, N, K>>,
  ): VFun<C, V | W> {
    return applyFuns('matmul', [this, other]) as VFun<C, V | W>;
  }
  /** The outer product: element (i, j) is thisᵢ·otherⱼ. */
  outer<M extends number, W extends string = never>(other: VFun<M, W>): MFun<N, M, V | W> {
    return outerProduct(this, other) as MFun<N, M, V | W>;
  }

  /** Σ thisᵢ */
  sum(): SFun<V> {
    return applyTo('sum', this) as SFun<V>;
  }
  /** The mean of the elements. */
  mean(): SFun<V> {
    return this.sum().div(this.length);
  }
  /** The Euclidean norm √(Σ thisᵢ²). */
  norm(): SFun<V> {
    return (applyFuns('sqrt', [this.dot(this as never)]) as SFun<V>);
  }
  /** ln Σ exp(thisᵢ), computed without overflow. */
  logsumexp(): SFun<V> {
    return applyTo('logsumexp', this) as SFun<V>;
  }
  /** exp(this) / Σ exp(this), computed without overflow. */
  softmax(): VFun<N, V> {
    return applyTo('softmax', this) as VFun<N, V>;
  }
  /** A function applied to the whole vector (`v.map(sin)`); elementwise functions keep the length. */
  map<W extends string>(f: (v: VFun<N, V>) => VFun<N, W>): VFun<N, W> {
    const result: unknown = f(this);
    if (!(result instanceof VFun) || result.length !== this.length) {
      throw new TypegradError(`map: the function must return a vector of length ${this.length}, got ${describeValue(result)}`);
    }
    return result as VFun<N, W>;
  }

  /** Element i (0-based); a literal index must be below a literal length. */
  get<I extends number>(i: I & IndexCheck<I, N, VectorShape<N>>): SFun<V> {
    return applyTo('get', this, [i]) as SFun<V>;
  }
  /** Elements start ≤ i < end: a non-empty range within the vector (checked for literals at compile time). */
  slice<S extends number, E extends number>(start: S, end: E & SliceCheck<S, E, N, VectorShape<N>>): VFun<Sub<E, S>, V> {
    return applyTo('slice', this, [0, start, end]) as VFun<Sub<E, S>, V>;
  }
  /** This vector followed by another. */
  concat<M extends number, W extends string = never>(other: VFun<M, W>): VFun<Add<N, M>, V | W> {
    return applyFuns('concat', [this, other], [0]) as VFun<Add<N, M>, V | W>;
  }
  /** The same elements as an [R, C] matrix, row by row (R·C must be N). */
  reshape<R extends number, C extends number>(rows: R, columns: C & ReshapeCheck<N, R, C, VectorShape<N>>): MFun<R, C, V> {
    return applyTo('reshape', this, [checkDimension(rows, 'reshape'), checkDimension(columns, 'reshape')]) as MFun<R, C, V>;
  }

  /** The derivative by scalar variables in turn, elementwise: `v.d(x)` is ∂v/∂x. */
  d(...variables: readonly [SFun<string>, ...SFun<string>[]]): VFun<N, V> {
    let node = this.node;
    for (const x of variables) node = forwardDerivative(node, variableNodeOf(x, 'd'));
    return new VFun(node, [this]);
  }

  /** The value at a point, as `number[]`. */
  eval(...args: EvalArgs<V>): number[] {
    return Array.from(evaluateFun(this, args[0] ?? {}, 'eval'));
  }

  /** Binds some variables to values or substitutes Funs for them. */
  at<const B extends Substitution<V>>(bindings: B & OnlyKeysOf<B, V>): VFun<N, Exclude<V, keyof B> | SubstitutedVars<B>> {
    const { node, remaining } = substituteBindings(this, bindings, 'at');
    return new VFun(node, [], remaining);
  }
}

/** The variables of the elements of `Vec(...)`. */
type ElementVars<T extends readonly unknown[]> = T[number] extends infer E ? (E extends SFun<infer W> ? W : never) : never;

/**
 * A vector of numbers and scalar Funs: `Vec(1, 2, 3)` is `VFun<3, never>`, `Vec(x, y.mul(2))`
 * is `VFun<2, 'x' | 'y'>`.
 */
export function Vec<const T extends readonly Scalar<string>[]>(...elements: T): VFun<T['length'], ElementVars<T>> {
  if (elements.length === 0) throw new TypegradError('Vec: a vector needs at least one element');
  const funs = elements.map((e, i) => {
    if (!(e instanceof SFun) && typeof e !== 'number') {
      throw new TypegradError(`Vec: element ${i} must be a number or a scalar Fun, got ${describeValue(e)}`);
    }
    return toFun(e, 'Vec');
  });
  return applyFuns('pack', funs, [funs.length]) as VFun<T['length'], ElementVars<T>>;
}

/** A vector variable: `VVar('w', 3)` is `VFun<3, 'w'>`. */
export function VVar<const Name extends string, N extends number>(name: Name, length: N): VFun<N, Name> {
  const node = variableNode(name, [checkDimension(length, `VVar '${name}'`)]);
  return wrap(node, [], new Set([name])) as VFun<N, Name>;
}

registerFunClass('VFun', VFun);
