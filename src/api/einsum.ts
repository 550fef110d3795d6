/**
 * `einsum`: a general contraction written as an equation, `'bij,bjk->bik'`, decomposed into the
 * primitives that already exist (no einsum primitive): per operand a sum over the letters found
 * nowhere else, then operands combined left to right, each pair by transposing to
 * [batch, free, contracted] and [batch, contracted, free], reshaping to three axes, one batched
 * matmul and a reshape back; a final transpose puts the letters in the output's order. So its
 * derivatives and every backend come for free.
 *
 * Supported: letters a–z and A–Z; spaces are ignored; without `->` the output is each letter that
 * appears once, in ASCII order (numpy's rule). Not supported, each a TypegradError: a letter twice
 * in one operand (traces, diagonals), ellipses (`...`), and letters whose dimensions differ
 * (no broadcasting of size-1 axes). The type checker applies the same rules (`EinsumShape`).
 */
import { TypegradError } from '../ad/errors.js';
import { describeShape, elementCount } from '../ad/shape.js';
import type { Fun } from './fun.js';
import { describeValue } from './record.js';
import { applyTo, toFun, type AnyFun } from './wrap.js';
import { matrixProduct, reshape } from './tensor-operations.js';

const LETTER = /^[A-Za-z]$/;

/** An operand on the way: its Fun and the letter of each of its axes. */
interface Term {
  readonly fun: Fun<string>;
  readonly letters: readonly string[];
}

/** The contraction `equation` of the operands (numbers and Funs of any rank). */
export function einsumOf(equation: unknown, operands: readonly unknown[]): AnyFun {
  if (typeof equation !== 'string') throw new TypegradError(`einsum: the equation must be a string such as 'ij,jk->ik', got ${describeValue(equation)}`);
  const funs = operands.map((o) => toFun(o, 'einsum'));
  const fail = (problem: string) => new TypegradError(`einsum '${equation}': ${problem}`);
  const compact = equation.replace(/ /g, '');

  const stray = [...compact].find((c) => !LETTER.test(c) && c !== ',' && c !== '-' && c !== '>');
  if (stray !== undefined) throw fail(notALetter(stray));
  const sides = compact.split('->');
  if (sides.length > 2) throw fail('more than one ->');
  const inputs = sides[0]!.split(',');
  if (inputs.length !== funs.length) throw fail(`${inputs.length} subscript lists for ${funs.length} operands`);

  const dimensions = new Map<string, { readonly size: number; readonly operand: number }>();
  const terms: Term[] = inputs.map((subscripts, i) => {
    const shape = funs[i]!.node.shape;
    const letters = [...subscripts];
    if (letters.length !== shape.length) throw fail(`subscripts '${subscripts}' do not fit operand ${i}, a ${describeShape(shape)}`);
    letters.forEach((letter, axis) => {
      if (!LETTER.test(letter)) throw fail(notALetter(letter));
      if (letters.indexOf(letter) !== axis) throw fail(`index ${letter} repeats within operand ${i} (traces and diagonals are not supported)`);
      const seen = dimensions.get(letter);
      if (seen === undefined) dimensions.set(letter, { size: shape[axis]!, operand: i });
      else if (seen.size !== shape[axis]) throw fail(`shape mismatch: index ${letter} is ${seen.size} in operand ${seen.operand} and ${shape[axis]} in operand ${i}`);
    });
    return { fun: funs[i]!, letters };
  });

  const output = sides.length === 2 ? [...sides[1]!] : implicitOutput(inputs);
  output.forEach((letter, position) => {
    if (output.indexOf(letter) !== position) throw fail(`output index ${letter} repeats`);
    if (!dimensions.has(letter)) throw fail(LETTER.test(letter) ? `output index ${letter} is in no operand` : notALetter(letter));
  });

  const size = (letters: readonly string[]) => elementCount(letters.map((l) => dimensions.get(l)!.size));
  // Each operand first loses the letters found nowhere else (summed over), then joins the
  // product so far; a letter stays while the output or a later operand needs it.
  const elsewhere = (i: number) => new Set([...output, ...inputs.filter((_, j) => j !== i).join('')]);
  let result = sumOut(terms[0]!, elsewhere(0));
  for (let i = 1; i < terms.length; i++) {
    const needed = new Set([...output, ...inputs.slice(i + 1).join('')]);
    result = contract(result, sumOut(terms[i]!, elsewhere(i)), needed, size, dimensions);
  }
  result = sumOut(result, new Set(output));
  return permuteTo(result, output).fun as AnyFun;
}

function notALetter(character: string): string {
  return `'${character}' is not an index (indices are letters a–z and A–Z; ellipses are not supported)`;
}

/** The letters that appear exactly once among the inputs, in ASCII order. */
function implicitOutput(inputs: readonly string[]): string[] {
  const all = inputs.join('');
  return [...new Set(all)].filter((l) => all.indexOf(l) === all.lastIndexOf(l)).sort();
}

/** The term summed over its letters not in `keep`. */
function sumOut(term: Term, keep: ReadonlySet<string>): Term {
  const axes = term.letters.flatMap((l, axis) => (keep.has(l) ? [] : [axis]));
  if (axes.length === 0) return term;
  return { fun: applyTo('sum', term.fun, axes), letters: term.letters.filter((l) => keep.has(l)) };
}

/** The term with its axes in the order of `letters` (a subset of its own, all of them). */
function permuteTo(term: Term, letters: readonly string[]): Term {
  const permutation = letters.map((l) => term.letters.indexOf(l));
  if (permutation.every((p, i) => p === i)) return term;
  return { fun: applyTo('transpose', term.fun, permutation), letters };
}

/** Two terms multiplied and summed over their shared letters that are not `needed` later. */
function contract(
  a: Term,
  b: Term,
  needed: ReadonlySet<string>,
  size: (letters: readonly string[]) => number,
  dimensions: ReadonlyMap<string, { readonly size: number }>,
): Term {
  const shared = a.letters.filter((l) => b.letters.includes(l));
  const batch = shared.filter((l) => needed.has(l));
  const contracted = shared.filter((l) => !needed.has(l));
  const freeA = a.letters.filter((l) => !b.letters.includes(l));
  const freeB = b.letters.filter((l) => !a.letters.includes(l));
  const stacks = batch.length === 0 ? [] : [size(batch)];
  const left = reshape(permuteTo(a, [...batch, ...freeA, ...contracted]).fun, [...stacks, size(freeA), size(contracted)]);
  const right = reshape(permuteTo(b, [...batch, ...contracted, ...freeB]).fun, [...stacks, size(contracted), size(freeB)]);
  const letters = [...batch, ...freeA, ...freeB];
  return { fun: reshape(matrixProduct(left, right), letters.map((l) => dimensions.get(l)!.size)), letters };
}
