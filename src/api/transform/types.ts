/**
 * The types of traced functions and of their transformations: which values a traced function
 * takes for each symbol, what it returns for a result of Funs, and what `grad`, `jacobian` and
 * `hessian` of it return for a choice of inputs (`wrt`).
 */
import type { Column } from '../compile.js';
import type { Fun } from '../fun.js';
import type { MFun } from '../matrix.js';
import type { SFun } from '../scalar.js';
import type { TFun } from '../tensor.js';
import type { Nested, Value } from '../values.js';
import type { VFun } from '../vector.js';

/**
 * The value a traced function takes for a symbol: a number for a scalar, a vector or matrix
 * value for a tensor symbol, and for a pytree of symbols the same pytree of values.
 * @example type X = ArgumentOf<SFun<string>>; // number
 * @example type P = ArgumentOf<{ W: MFun<2, 3, string> }>; // { readonly W: readonly (readonly number[])[] | Float64Array }
 */
export type ArgumentOf<S> =
  S extends TFun<infer Shape, string>
    ? Nested<Shape> | Float64Array
    : S extends MFun<number, number, string>
      ? readonly (readonly number[])[] | Float64Array
      : S extends VFun<number, string>
        ? readonly number[] | Float64Array
        : S extends SFun<string>
          ? number
          : S extends object
            ? { readonly [K in keyof S]: ArgumentOf<S[K]> }
            : number;

/** The values a traced function takes, one per symbol. */
export type ArgumentsOf<A extends readonly unknown[]> = { [K in keyof A]: ArgumentOf<A[K]> };

/** The columns a traced function of scalars takes in batch mode, one per symbol. */
export type ColumnsOf<A extends readonly unknown[]> = { [K in keyof A]: Column };

/**
 * What a traced function returns for the result `R` (a Fun, a number, or arrays and records of
 * them): a number per scalar Fun, `number[]` per vector, `number[][]` per matrix, nested arrays
 * per tensor, same structure.
 * @example type R = ValueOf<[SFun<'x'>, { g: SFun<'x'> }]>; // [number, { g: number }]
 */
export type ValueOf<R> = R extends number | SFun<string>
  ? number
  : R extends TFun<infer Shape, string>
    ? Nested<Shape>
  : R extends MFun<number, number, string>
    ? number[][]
    : R extends VFun<number, string>
      ? number[]
      : R extends Fun<string>
        ? number | number[] | number[][]
        : R extends object
          ? { -readonly [K in keyof R]: ValueOf<R[K]> }
          : never;

/**
 * What a traced function returns in batch mode for the result `R`: a `Float64Array` column per
 * scalar Fun, same structure (batch mode is for scalar results).
 * @example type C = ColumnOf<[SFun<'x'>, SFun<'x'>]>; // [Float64Array, Float64Array]
 */
export type ColumnOf<R> = R extends number | SFun<string>
  ? Float64Array
  : R extends Fun<string>
    ? never
    : R extends object
      ? { -readonly [K in keyof R]: ColumnOf<R[K]> }
      : never;

/**
 * A function traced once on symbols: call it with numbers (`f(1, 2)`), with columns of points
 * (`f(xs, ys)` → columns, compiled to one fused loop), with a record of bindings by name, or with
 * Funs (inside another function being traced: the result is Funs);
 * read its expression (`expr`), its input variables (`symbols`) and their names (`names`).
 */
export interface Traced<A extends readonly unknown[] = readonly Fun<string>[], R = unknown> {
  (...args: ArgumentsOf<A>): ValueOf<R>;
  (...columns: ColumnsOf<A>): ColumnOf<R>;
  (bindings: { readonly [name: string]: Value }): ValueOf<R>;
  /** Applied to Funs (one per input, of its shape): the expression with them substituted, symbolically. */
  (...funs: A): R;
  /** The result of the function on its symbols: a Fun, or an array or record of them. */
  readonly expr: R;
  /** The input variables, in parameter order (static parameters left out). */
  readonly symbols: A;
  /** The names of the inputs, in parameter order. */
  readonly names: readonly string[];
  /** The JavaScript the function compiles to (the batch loop with `{ batch: true }`). */
  toSource(options?: { readonly batch?: boolean }): string;
}

/** Whether a parameter's type is a Fun or a pytree (records, arrays) holding Funs. */
export type HoldsFun<T> = T extends Fun<string> ? true : T extends readonly unknown[] ? HoldsFun<T[number]> : T extends object ? HoldsFun<T[keyof T]> : false;

/** The parameters of a function that are Funs or pytrees of Funs (its symbolic inputs); the others are static. */
export type DynamicParameters<P extends readonly unknown[]> = P extends readonly [infer Head, ...infer Rest]
  ? true extends HoldsFun<Head>
    ? [Head, ...DynamicParameters<Rest>]
    : DynamicParameters<Rest>
  : [];

/** Which inputs to differentiate by: an index or name (one result), or a list of them (a tuple). */
export type Wrt = number | string | readonly (number | string)[];

/** Options of `grad`, `valueAndGrad`, `jacobian` and `hessian` of a traced function. */
export interface TransformOptions<W extends Wrt = Wrt> {
  /** The inputs to differentiate by (default 0, the first): an index or name, or a list of them. */
  readonly wrt?: W;
}

/**
 * Options of `grad` and `valueAndGrad` of a traced function: `wrt`, and `hasAux`: the function
 * returns `[loss, aux]`, the loss is differentiated and `aux` (any pytree) passed through.
 */
export interface GradOptions<W extends Wrt = Wrt> extends TransformOptions<W> {
  readonly hasAux?: boolean;
}

/** `GradOptions` with `hasAux: true`: the function returns `[loss, aux]`. */
export interface AuxOptions<W extends Wrt = Wrt> extends GradOptions<W> {
  readonly hasAux: true;
}

/** A Fun of the shape of the symbol `S` (the derivative by it of a scalar); for a pytree of symbols, the same pytree. */
export type ShapeOfSymbol<S> =
  S extends TFun<infer Shape, string>
    ? TFun<Shape, string>
    : S extends MFun<infer R, infer C, string>
      ? MFun<R, C, string>
      : S extends VFun<infer N, string>
        ? VFun<N, string>
        : S extends SFun<string>
          ? SFun<string>
          : S extends object
            ? { -readonly [K in keyof S]: ShapeOfSymbol<S[K]> }
            : SFun<string>;

/** The derivative of a scalar by one input `W` of the symbols `A`. */
export type DerivativeBy<A extends readonly unknown[], W> = W extends number ? ShapeOfSymbol<A[W]> : SFun<string>;

/**
 * The gradient by `W`: one Fun for one input, a tuple for a list.
 * @example type G = GradientOf<[SFun<string>, SFun<string>], [0, 1]>; // [SFun<string>, SFun<string>]
 */
export type GradientOf<A extends readonly unknown[], W> = W extends readonly unknown[]
  ? { -readonly [K in keyof W]: DerivativeBy<A, W[K]> }
  : DerivativeBy<A, W>;

/** `R` with each Fun or number replaced by `G` (the Jacobian's structure: the output's, then the inputs'). */
export type ReplaceLeaves<R, G> = R extends number | Fun<string> ? G : R extends object ? { -readonly [K in keyof R]: ReplaceLeaves<R[K], G> } : never;
