/**
 * fast-check generators of hostile input for the adversarial suite: names that try to escape
 * generated source, LaTeX, SVG or JSON; bindings with holes, non-finite numbers, wrong types,
 * every typed array kind and ragged nesting.
 */
import fc from 'fast-check';

/** Names that broke, or could break, a renderer: code, comment and string terminators, prototype keys, LaTeX commands. */
export const KNOWN_HOSTILE_NAMES = [
  'a\nprocess.exit(3)//',
  'a\u2028process.exit(3)//',
  'a\u2029process.exit(3)//',
  'a\rprocess.exit(3)//',
  '*/ process.exit(4) /*',
  'x); process.exit(1); (',
  '`${process.exit(2)}`',
  "'\"\\",
  '\\',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '\\input{/etc/passwd}',
  '%',
  '\\href{javascript:alert(1)}{x}',
  '$',
  '}{',
  '<script>alert(1)</script>',
  ']]>',
  '\u0000',
  '\uD800',
  'x'.repeat(100_000),
] as const;

/** Code points that end a line in JavaScript (and so a `//` comment). */
const LINE_TERMINATORS = ['\n', '\r', '\u2028', '\u2029'];

/**
 * A non-empty hostile name: a known attack, random Unicode (any code unit, lone surrogates
 * included) with line terminators, quotes and backslashes spliced in, or a long name.
 */
export function hostileName(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  const maxLength = options.maxLength ?? 60;
  const piece = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.string({ unit: 'grapheme', maxLength: 4 }),
    fc.constantFrom(...LINE_TERMINATORS, "'", '"', '`', '\\', '${', '*/', '//', '<!--', '%', '{', '}', '&', '<', '>'),
  );
  const random = fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('').slice(0, maxLength));
  const known = fc.constantFrom(...KNOWN_HOSTILE_NAMES.filter((name) => name.length <= Math.max(maxLength, 100)));
  return fc.oneof(known, random).filter((name) => name.length > 0);
}

/** Numbers a binding may hold: the IEEE edge cases more often than not. */
export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1, 0.5),
  fc.double(),
);

/** Values that are not numbers (and so never a valid scalar binding). */
export const wrongType: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  '1', '', null, undefined, true, {}, [], Symbol('s'), 1n, () => 1, new Date(0), { valueOf: () => 1 }, Promise.resolve(1),
);

/** Every typed array kind, built from `values` (bigint arrays from their truncation). */
export function typedArrays(values: readonly number[]): ArrayLike<unknown>[] {
  const finiteIntegers = values.map((v) => (Number.isFinite(v) ? Math.trunc(v) % 1000 : 0));
  return [
    Float64Array.from(values),
    Float32Array.from(values),
    Int8Array.from(finiteIntegers),
    Uint8Array.from(finiteIntegers),
    Uint8ClampedArray.from(finiteIntegers),
    Int16Array.from(finiteIntegers),
    Uint16Array.from(finiteIntegers),
    Int32Array.from(finiteIntegers),
    Uint32Array.from(finiteIntegers),
    BigInt64Array.from(finiteIntegers.map((v) => BigInt(v))),
    BigUint64Array.from(finiteIntegers.map((v) => BigInt(Math.abs(v)))),
  ];
}

/** A vector binding of `length` that may be hostile: holes, wrong element types, wrong length, typed arrays. */
export function hostileVector(length: number): fc.Arbitrary<unknown> {
  const good = fc.array(edgeNumber, { minLength: length, maxLength: length });
  return fc.oneof(
    good,
    good.map((values) => {
      const sparse = values.slice();
      if (sparse.length > 0) delete sparse[sparse.length >> 1];
      return sparse;
    }),
    fc.tuple(good, fc.integer({ min: 0, max: Math.max(0, length - 1) }), wrongType).map(([values, i, bad]) => {
      const copy: unknown[] = values.slice();
      copy[i] = bad;
      return copy;
    }),
    fc.array(edgeNumber, { maxLength: length + 2 }),
    good.chain((values) => fc.constantFrom(...typedArrays(values))),
    fc.constant(new Array(length)),
    wrongType,
  );
}

/** A matrix binding of rows × columns that may be hostile: ragged, sparse rows, holes, flat. */
export function hostileMatrix(rows: number, columns: number): fc.Arbitrary<unknown> {
  const row = fc.array(edgeNumber, { minLength: columns, maxLength: columns });
  const good = fc.array(row, { minLength: rows, maxLength: rows });
  return fc.oneof(
    good,
    good.map((m) => {
      const sparse = m.slice();
      if (sparse.length > 0) delete sparse[0];
      return sparse;
    }),
    good.map((m) => m.map((r, i) => (i === 0 ? (() => { const s = r.slice(); if (s.length > 0) delete s[0]; return s; })() : r))),
    fc.array(fc.array(edgeNumber, { maxLength: columns + 1 }), { minLength: rows, maxLength: rows }),
    good.map((m) => m.flat()),
    good.map((m) => m.map((r) => Float64Array.from(r))),
    good.map((m) => [[m]]),
    wrongType,
  );
}
