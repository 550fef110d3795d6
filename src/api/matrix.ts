/**
 * `MFun<R, C, V>`: an R×C matrix (dimensions as number literals, or `number` when known only at
 * run time) whose free variables are `V`. Built with `Mat` and `MVar`; evaluates to `number[][]`.
 */
import { toPrimitive } from './coercion.js';
import type { VarSet } from './declared.js';
import type { Add, Mul, Sub } from '../typelevel/index.js';
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import { variableNode, type Node } from '../ad/node.js';
import { checkDimension } from '../ad/shape.js';
import { evaluateFun, Fun, substituteBindings } from './fun.js';
import { describeValue } from './record.js';
import { SFun, variableNodeOf, type EvalArgs, type OnlyKeysOf, type Scalar, type Substitution, type SubstitutedVars } from './scalar.js';
import type {
  IndexCheck, InnerMismatch, MatrixMismatch, MatrixShape, ReshapeCheck, RowLengthCheck, RowMismatch, SameDimension, SameShape, SliceCheck, VectorShape,
} from './shape-types.js';
import { fromFlat } from './values.js';
import type { VFun } from './vector.js';
import { applyFuns, applyTo, registerFunClass, toFun, wrap } from './wrap.js';

declare const rowsOf: unique symbol;
declare const columnsOf: unique symbol;

/**
 * What combines elementwise with an R×C matrix: a scalar, an equal matrix, or a row vector of
 * length C; `R2`, `C2` and `M` are the other operand's dimensions, inferred from it alone.
 */
export type MatrixOperand<Op extends string, R extends number, C extends number, R2 extends number, C2 extends number, M extends number, W extends string> =
  | Scalar<W>
  | (MFun<R2, C2, W> & SameShape<R, C, R2, C2, MatrixMismatch<Op, R, C, R2, C2>>)
  | (VFun<M, W> & SameDimension<C, M, RowMismatch<Op, R, C, M>>);

/**
 * A matrix function.
 * @example
 * Mat([1, 2, 3], [4, 5, 6]).matmul(Mat([1, 2], [3, 4], [5, 6])).eval() // [[22, 28], [49, 64]]
 */
export class MFun<R extends number = number, C extends number = number, V extends string = string> extends Fun<V> {
  /** Type-level only: the dimensions. */
  declare readonly [rowsOf]?: R;
  declare readonly [columnsOf]?: C;

  /** @internal Use `Mat`, `MVar` and the operations instead. */
  constructor(node: Node, sources: readonly Fun<string>[], declared?: VarSet | ReadonlySet<string>) {
    if (node.shape.length !== 2) throw new TypegradError('internal: a matrix Fun needs a matrix node');
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


  get rows(): R {
    return this.node.shape[0] as R;
  }
  get columns(): C {
    return this.node.shape[1] as C;
  }

  /** this + other, elementwise; a scalar is added to every element, a row vector to every row (a bias). */
  add<R2 extends number = R, C2 extends number = C, M extends number = C, W extends string = never>(other: MatrixOperand<'add', R, C, R2, C2, M, W>): MFun<R, C, V | W> {
    return applyFuns('add', [this, other]) as MFun<R, C, V | W>;
  }
  /** this − other, elementwise (scalars and row vectors broadcast as in `add`). */
  sub<R2 extends number = R, C2 extends number = C, M extends number = C, W extends string = never>(other: MatrixOperand<'subtract', R, C, R2, C2, M, W>): MFun<R, C, V | W> {
    return applyFuns('sub', [this, other]) as MFun<R, C, V | W>;
  }
  /** this · other, elementwise (see `matmul` for the matrix product). */
  mul<R2 extends number = R, C2 extends number = C, M extends number = C, W extends string = never>(other: MatrixOperand<'multiply', R, C, R2, C2, M, W>): MFun<R, C, V | W> {
    return applyFuns('mul', [this, other]) as MFun<R, C, V | W>;
  }
  /** this / other, elementwise. */
  div<R2 extends number = R, C2 extends number = C, M extends number = C, W extends string = never>(other: MatrixOperand<'divide', R, C, R2, C2, M, W>): MFun<R, C, V | W> {
    return applyFuns('div', [this, other]) as MFun<R, C, V | W>;
  }
  /** this ^ exponent, elementwise. */
  pow<W extends string = never>(exponent: Scalar<W>): MFun<R, C, V | W> {
    return applyFuns('pow', [this, exponent]) as MFun<R, C, V | W>;
  }
  /** −this */
  neg(): MFun<R, C, V> {
    return applyTo('neg', this) as MFun<R, C, V>;
  }

  /** The matrix product: [R, C]·[C, K] → [R, K], and [R, C]·[C] → [R] for a vector. */
  // `any` in the constraint: O is inferred from the argument, and the check is InnerCheck's.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  matmul<O extends MFun<any, any, any> | VFun<any, any>>(other: O & InnerCheck<R, C, O>): Product<R, O, V> {
    return applyFuns('matmul', [this, other]) as Product<R, O, V>;
  }
  /** The transpose. */
  get T(): MFun<C, R, V> {
    return this.transpose();
  }
  /** The transpose. */
  transpose(): MFun<C, R, V> {
    return applyTo('transpose', this) as MFun<C, R, V>;
  }

  /** The sum of all elements, or along an axis: 0 sums each column (→ [C]), 1 each row (→ [R]). */
  sum(): SFun<V>;
  sum(axis: 0): VFun<C, V>;
  sum(axis: 1): VFun<R, V>;
  sum(axis?: 0 | 1): SFun<V> | VFun<number, V> {
    return applyTo('sum', this, axis === undefined ? [] : [axis]) as SFun<V> | VFun<number, V>;
  }
  /** The mean of all elements, or along an axis as in `sum`. */
  mean(): SFun<V>;
  mean(axis: 0): VFun<C, V>;
  mean(axis: 1): VFun<R, V>;
  mean(axis?: 0 | 1): SFun<V> | VFun<number, V> {
    const count = axis === undefined ? this.rows * this.columns : this.node.shape[axis]!;
    return applyFuns('div', [applyTo('sum', this, axis === undefined ? [] : [axis]), count]) as SFun<V> | VFun<number, V>;
  }
  /** The Frobenius norm √(Σ element²). */
  norm(): SFun<V> {
    return applyFuns('sqrt', [applyTo('sum', applyFuns('mul', [this, this]))]) as SFun<V>;
  }
  /** ln Σ exp over all elements, or along an axis as in `sum` (1: per row, the log-partition of each row). */
  logsumexp(): SFun<V>;
  logsumexp(axis: 0): VFun<C, V>;
  logsumexp(axis: 1): VFun<R, V>;
  logsumexp(axis?: 0 | 1): SFun<V> | VFun<number, V> {
    return applyTo('logsumexp', this, axis === undefined ? [] : [axis]) as SFun<V> | VFun<number, V>;
  }
  /** The softmax of each row (every row of the result sums to 1). */
  softmax(): MFun<R, C, V> {
    return applyTo('softmax', this) as MFun<R, C, V>;
  }
  /** A function applied to the whole matrix (`M.map(relu)`); elementwise functions keep the shape. */
  map<W extends string>(f: (m: MFun<R, C, V>) => MFun<R, C, W>): MFun<R, C, W> {
    const result: unknown = f(this);
    if (!(result instanceof MFun) || result.rows !== this.rows || result.columns !== this.columns) {
      throw new TypegradError(`map: the function must return a ${this.rows}×${this.columns} matrix, got ${describeValue(result)}`);
    }
    return result as MFun<R, C, W>;
  }

  /** Element (i, j), 0-based; literal indices must be below literal dimensions. */
  get<I extends number, J extends number>(i: I & IndexCheck<I, R, MatrixShape<R, C>>, j: J & IndexCheck<J, C, MatrixShape<R, C>>): SFun<V> {
    return applyTo('get', this, [i, j]) as SFun<V>;
  }
  /** Row i as a vector. */
  row<I extends number>(i: I & IndexCheck<I, R, MatrixShape<R, C>>): VFun<C, V> {
    return applyTo('reshape', applyTo('slice', this, [0, i, i + 1]), [this.columns]) as VFun<C, V>;
  }
  /** Rows start ≤ i < end: a non-empty range of rows (checked for literals at compile time). */
  slice<S extends number, E extends number>(start: S, end: E & SliceCheck<S, E, R, MatrixShape<R, C>>): MFun<Sub<E, S>, C, V> {
    return applyTo('slice', this, [0, start, end]) as MFun<Sub<E, S>, C, V>;
  }
  /** This matrix with another's rows below it (both have C columns). */
  concat<R2 extends number, C2 extends number = C, W extends string = never>(
    other: MFun<R2, C2, W> & SameDimension<C, C2, `shape mismatch: cannot join ${MatrixShape<R, C>} and ${MatrixShape<R2, C2>} along axis 0 (columns ${C} and ${C2})`>,
  ): MFun<Add<R, R2>, C, V | W> {
    return applyFuns('concat', [this, other], [0]) as MFun<Add<R, R2>, C, V | W>;
  }
  /** The same elements, row by row, as an [R2, C2] matrix (R2·C2 must be R·C). */
  reshape<R2 extends number, C2 extends number>(rows: R2, columns: C2 & ReshapeCheck<Mul<R, C>, R2, C2, MatrixShape<R, C>>): MFun<R2, C2, V> {
    return applyTo('reshape', this, [checkDimension(rows, 'reshape'), checkDimension(columns, 'reshape')]) as MFun<R2, C2, V>;
  }
  /** The elements row by row as one vector. */
  flatten(): VFun<Mul<R, C>, V> {
    return applyTo('reshape', this, [this.rows * this.columns]) as VFun<Mul<R, C>, V>;
  }

  /** The derivative by scalar variables in turn, elementwise. */
  d(...variables: readonly [SFun<string>, ...SFun<string>[]]): MFun<R, C, V> {
    let node = this.node;
    for (const x of variables) node = forwardDerivative(node, variableNodeOf(x, 'd'));
    return new MFun(node, [this]);
  }

  /** The value at a point, as `number[][]` (R rows). */
  eval(...args: EvalArgs<V>): number[][] {
    return fromFlat(evaluateFun(this, args[0] ?? {}, 'eval'), this.node.shape) as number[][];
  }

  /** Binds some variables to values or substitutes Funs for them. */
  at<const B extends Substitution<V>>(bindings: B & OnlyKeysOf<B, V>): MFun<R, C, Exclude<V, keyof B> | SubstitutedVars<B>> {
    const { node, remaining } = substituteBindings(this, bindings, 'at');
    return new MFun(node, [], remaining);
  }
}

/** `unknown` when the inner dimensions of this [R, C] times `O` may agree. */
type InnerCheck<R extends number, C extends number, O> =
  O extends MFun<infer K extends number, infer C2 extends number, string>
    ? SameDimension<C, K, InnerMismatch<MatrixShape<R, C>, MatrixShape<K, C2>, C, K>>
    : O extends VFun<infer K extends number, string>
      ? SameDimension<C, K, InnerMismatch<MatrixShape<R, C>, VectorShape<K>, C, K>>
      : unknown;

/** The type of [R, C]·O. */
type Product<R extends number, O, V extends string> =
  O extends MFun<number, infer K extends number, infer W> ? MFun<R, K, V | W> : O extends VFun<number, infer W> ? VFun<R, V | W> : never;

/** Rows of numbers and scalar Funs. */
type Rows = readonly (readonly Scalar<string>[])[];
/** The rows of `Mat(...)`, each checked to have the first row's length (`RowLengthCheck`). */
type EqualLengthRows<T extends Rows> = { [K in keyof T]: T[K] & RowLengthCheck<T[0]['length'], T[K], K> };
type RowVars<T extends Rows> = T[number][number] extends infer E ? (E extends SFun<infer W> ? W : never) : never;

/**
 * A matrix from rows of numbers and scalar Funs: `Mat([1, 2, 3], [4, 5, 6])` is
 * `MFun<2, 3, never>`. Rows must have equal lengths: a row literal of another length is a compile
 * error on that row, and rows only known at run time (`Mat(...rows)`) are checked at run time.
 */
export function Mat<const T extends Rows>(...rows: EqualLengthRows<T>): MFun<T['length'], T[0]['length'], RowVars<T>> {
  if (rows.length === 0 || !Array.isArray(rows[0]) || rows[0].length === 0) throw new TypegradError('Mat: a matrix needs at least one non-empty row');
  const columns = rows[0].length;
  const elements: Fun<string>[] = [];
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw new TypegradError(`Mat: row ${i} must be an array, got ${describeValue(row)}`);
    if (row.length !== columns) throw new TypegradError(`Mat: rows must have equal lengths: row 0 has ${columns} elements, row ${i} has ${row.length}`);
    row.forEach((e, j) => {
      if (!(e instanceof SFun) && typeof e !== 'number') {
        throw new TypegradError(`Mat: element (${i}, ${j}) must be a number or a scalar Fun, got ${describeValue(e)}`);
      }
      elements.push(toFun(e, 'Mat'));
    });
  });
  return applyFuns('pack', elements, [rows.length, columns]) as MFun<T['length'], T[0]['length'], RowVars<T>>;
}

/** A matrix variable: `MVar('W', 2, 3)` is `MFun<2, 3, 'W'>`. */
export function MVar<const Name extends string, R extends number, C extends number>(name: Name, rows: R, columns: C): MFun<R, C, Name> {
  const node = variableNode(name, [checkDimension(rows, `MVar '${name}'`), checkDimension(columns, `MVar '${name}'`)]);
  return wrap(node, [], new Set([name])) as MFun<R, C, Name>;
}

registerFunClass('MFun', MFun);
