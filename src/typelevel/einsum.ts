/**
 * The shape rule of an einsum equation (`'bij,bjk->bik'`), read by the type checker from the
 * equation's string literal: each operand's subscripts name its axes, a letter names one
 * dimension throughout, and the output lists the letters kept (letters only in the inputs are
 * summed over). Without `->` the output is every letter that appears once, in ASCII order
 * (numpy's rule). Spaces are ignored.
 *
 * What is supported is what `einsum` decomposes into transposes, reshapes, batched products and
 * sums: letters `a`–`z` and `A`–`Z`, no letter twice in one operand (no traces or diagonals) and
 * no ellipsis. Anything else is a `ShapeFault<'einsum', [what, ...]>`.
 */
import type { Shape, ShapeFault } from './shape.js';

type Uppercase = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T' | 'U' | 'V' | 'W' | 'X' | 'Y' | 'Z';
/** An einsum subscript: one letter. @example const batch: EinsumLetter = 'b'; */
export type EinsumLetter = Uppercase | Lowercase<Uppercase>;

/** Every letter in ASCII order, the order of an implicit output. */
type Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The equation without spaces. */
type WithoutSpaces<S extends string> = S extends `${infer Before} ${infer After}` ? WithoutSpaces<`${Before}${After}`> : S;

/** The characters of a string. */
type Characters<S extends string, Result extends string[] = []> = S extends `${infer C}${infer Rest}` ? Characters<Rest, [...Result, C]> : Result;

/** The first character that is neither a letter nor part of `,` and `->`; `never` if none. */
type NotALetter<Characters extends string[]> =
  Characters extends [infer C extends string, ...infer Rest extends string[]] ? (C extends EinsumLetter | ',' | '-' | '>' ? NotALetter<Rest> : C) : never;

/** A string split at each `Separator`. */
type Split<S extends string, Separator extends string, Result extends string[] = []> =
  S extends `${infer Part}${Separator}${infer Rest}` ? Split<Rest, Separator, [...Result, Part]> : [...Result, S];

/** A letter's dimension as first seen, and the operand it was seen in: `[letter, dimension, operand]`. */
type Entry = readonly [string, number, number];

/**
 * The output shape of an einsum equation over operands of the given shapes, or a
 * `ShapeFault<'einsum', [problem, ...details]>`. `number[]` when the equation is not a literal.
 * @example
 * EinsumShape<'bij,bjk->bik', [[8, 2, 3], [8, 3, 5]]> // [8, 2, 5]
 * EinsumShape<'ij,jk', [[2, 3], [3, 5]]>              // [2, 5] (implicit output: i and k, once each)
 * EinsumShape<'ij,jk->ik', [[2, 3], [4, 5]]>          // ShapeFault<'einsum', ['dimension', 'j', 3, 0, 4, 1]>
 */
export type EinsumShape<Equation extends string, Shapes extends readonly Shape[]> =
  string extends Equation
    ? number[]
    : [NotALetter<Characters<WithoutSpaces<Equation>>>] extends [never]
      ? WithoutSpaces<Equation> extends `${infer Inputs}->${infer Output}`
        ? Output extends `${string}->${string}`
          ? ShapeFault<'einsum', ['arrows']>
          : FromInputs<Split<Inputs, ','>, Shapes, Output, true>
        : FromInputs<Split<WithoutSpaces<Equation>, ','>, Shapes, '', false>
      : ShapeFault<'einsum', ['not a letter', NotALetter<Characters<WithoutSpaces<Equation>>>]>;

type FromInputs<Subscripts extends string[], Shapes extends readonly Shape[], Output extends string, Explicit extends boolean> =
  Subscripts['length'] extends Shapes['length']
    ? ReadOperands<Subscripts, Shapes, [], []> extends infer Read
      ? Read extends readonly Entry[]
        ? OutputShape<Explicit extends true ? Characters<Output> : ImplicitOutput<Subscripts>, Read, []>
        : Read
      : never
    : ShapeFault<'einsum', ['operands', Subscripts['length'], Shapes['length']]>;

/** The entries of every operand's letters, checked; a fault at the first problem. */
type ReadOperands<Subscripts extends string[], Shapes extends readonly Shape[], Index extends unknown[], Entries extends readonly Entry[]> =
  Index['length'] extends Subscripts['length']
    ? Entries
    : ReadOperand<Characters<Subscripts[Index['length']]>, Shapes[Index['length']], Index['length'], Subscripts[Index['length']], [], Entries> extends infer Read
      ? Read extends readonly Entry[]
        ? ReadOperands<Subscripts, Shapes, [...Index, unknown], Read>
        : Read
      : never;

type ReadOperand<Letters extends string[], S extends Shape, Operand extends number, Written extends string, Axis extends unknown[], Entries extends readonly Entry[], SeenHere extends string = never> =
  [number extends S['length'] ? true : Letters['length'] extends S['length'] ? true : false] extends [false]
    ? ShapeFault<'einsum', ['rank', Operand, Written, S]>
    : Axis['length'] extends Letters['length']
      ? Entries
      : Letters[Axis['length']] extends infer L extends string
        ? L extends EinsumLetter
          ? L extends SeenHere
            ? ShapeFault<'einsum', ['repeated', L, Operand]>
            : AddEntry<Entries, L, DimensionOfAxis<S, Axis['length']>, Operand> extends infer Added
              ? Added extends readonly Entry[]
                ? ReadOperand<Letters, S, Operand, Written, [...Axis, unknown], Added, SeenHere | L>
                : Added
              : never
          : ShapeFault<'einsum', ['not a letter', L]>
        : never;

type DimensionOfAxis<S extends Shape, Axis extends number> = number extends S['length'] ? number : S[Axis];

/**
 * The entries with a letter's dimension added, or a fault when it contradicts an earlier one (a
 * letter first seen with a dimension known only at run time takes a literal seen later).
 */
type AddEntry<Entries extends readonly Entry[], L extends string, N extends number, Operand extends number> =
  Extract<Entries[number], readonly [L, number, number]> extends infer Seen
    ? [Seen] extends [never]
      ? [...Entries, [L, N, Operand]]
      : Seen extends readonly [L, infer M extends number, infer First extends number]
        ? number extends N
          ? Entries
          : number extends M
            ? { [K in keyof Entries]: Entries[K] extends readonly [L, number, number] ? [L, N, Operand] : Entries[K] }
            : [M] extends [N]
              ? Entries
              : ShapeFault<'einsum', ['dimension', L, M, First, N, Operand]>
        : never
    : never;

/** The letters that appear exactly once among the inputs, in ASCII order. */
type ImplicitOutput<Subscripts extends string[]> = OnceEach<Characters<Alphabet>, JoinAll<Subscripts>, []>;
type JoinAll<Subscripts extends string[], Joined extends string = ''> = Subscripts extends [infer S extends string, ...infer Rest extends string[]] ? JoinAll<Rest, `${Joined}${S}`> : Joined;
type OnceEach<Letters extends string[], All extends string, Result extends string[]> =
  Letters extends [infer L extends string, ...infer Rest extends string[]]
    ? OnceEach<Rest, All, All extends `${string}${L}${string}${L}${string}` ? Result : All extends `${string}${L}${string}` ? [...Result, L] : Result>
    : Result;

/** The output's dimensions, each letter looked up; a fault for a letter in no input or twice in the output. */
type OutputShape<Letters extends string[], Entries extends readonly Entry[], Result extends number[], Seen extends string = never> =
  Letters extends [infer L extends string, ...infer Rest extends string[]]
    ? L extends Seen
      ? ShapeFault<'einsum', ['repeated output', L]>
      : [Extract<Entries[number], readonly [L, number, number]>] extends [never]
        ? ShapeFault<'einsum', ['unknown output', L]>
        : Extract<Entries[number], readonly [L, number, number]> extends readonly [L, infer N extends number, number]
          ? OutputShape<Rest, Entries, [...Result, N], Seen | L>
          : never
    : Result;
