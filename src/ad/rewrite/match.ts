/**
 * Pattern matching modulo associativity and commutativity of `+` and `·`.
 *
 * A sum pattern matches a sum whose signed terms can be paired one to one with the pattern's
 * terms, in any order; a segment variable among the pattern's terms takes the terms left over
 * (their sum, 0 when none). Products likewise, with factors (their product, 1 when none). A sum
 * or product pattern with a segment variable also matches an expression that is not a sum
 * (product), as a sum (product) of one term, so `?a·?b...` matches `x` with `?b` = 1.
 * Any other operation matches structurally. Because nodes are interned, "the same expression"
 * is identity, which makes repeated variables (`?a·?b + ?a·?c`) cheap to check.
 *
 * Matching is a generator over all matches, so a rule's guard can reject one match and the
 * rule still fire on another. It recurses over the depth of the pattern, which is small and
 * written by hand; it never recurses over the depth of the expression.
 */
import { builder } from '../build.js';
import type { Node } from '../node.js';
import { isGround, patternVariableInfo } from './pattern.js';
import { isSum, productFactors, productOf, sumOf, sumTerms, termValue, type SignedTerm } from './views.js';

/** Pattern variable name → the expression it stands for. */
export type Bindings = ReadonlyMap<string, Node>;

function bind(bindings: Bindings, name: string, value: Node): Bindings | undefined {
  const bound = bindings.get(name);
  if (bound !== undefined) return bound === value ? bindings : undefined;
  const extended = new Map(bindings);
  extended.set(name, value);
  return extended;
}

/** Operations whose negation the smart constructors write without an outer `neg` (−c, −(−a), −(a − b), −(2·a)). */
const NEGATION_FREE = new Set(['const', 'neg', 'sub', 'mul']);

/**
 * Whether a pattern can only match nodes that are not negations: it matches structurally (not a
 * sum or product, which may match a single operand) by an operation other than neg.
 */
function cannotBeNegation(pattern: Node): boolean {
  return patternVariableInfo(pattern) === undefined && !['neg', 'add', 'sub', 'mul'].includes(pattern.op) && !isGround(pattern);
}

export function* match(pattern: Node, subject: Node, bindings: Bindings): Generator<Bindings> {
  const variable = patternVariableInfo(pattern);
  if (variable !== undefined) {
    const extended = bind(bindings, variable.name, subject);
    if (extended !== undefined) yield extended;
    return;
  }
  if (isGround(pattern)) {
    if (pattern === subject) yield bindings;
    return;
  }
  if (pattern.op === 'add' || pattern.op === 'sub') {
    yield* matchCommutative('sum', pattern, subject, bindings);
    return;
  }
  if (pattern.op === 'mul') {
    yield* matchCommutative('product', pattern, subject, bindings);
    return;
  }
  if (subject.op !== pattern.op || subject.args.length !== pattern.args.length) return;
  if (subject.attrs.some((a, i) => a !== pattern.attrs[i])) return;
  yield* matchInOrder(pattern.args, subject.args, 0, bindings);
}

function* matchInOrder(patterns: readonly Node[], subjects: readonly Node[], i: number, bindings: Bindings): Generator<Bindings> {
  if (i === patterns.length) {
    yield bindings;
    return;
  }
  for (const b of match(patterns[i]!, subjects[i]!, bindings)) yield* matchInOrder(patterns, subjects, i + 1, b);
}

/** The operands of a sum or product pattern: the fixed ones (most constrained first) and the segment. */
interface CommutativePattern {
  readonly fixed: readonly SignedTerm[];
  readonly segment: string | undefined;
}

const commutativePatterns = new WeakMap<Node, CommutativePattern>();

/** How constrained a pattern operand is: ground first, then compound patterns, bare variables last. */
function specificity(term: SignedTerm): number {
  if (isGround(term.node)) return 0;
  return patternVariableInfo(term.node) === undefined ? 1 : 2;
}

export function commutativePattern(kind: 'sum' | 'product', pattern: Node): CommutativePattern {
  let cached = commutativePatterns.get(pattern);
  if (cached !== undefined) return cached;
  const operands = kind === 'sum' ? sumTerms(pattern) : productFactors(pattern).map((node) => ({ node, negative: false }));
  const fixed: SignedTerm[] = [];
  let segment: string | undefined;
  for (const operand of operands) {
    const info = patternVariableInfo(operand.node);
    if (info?.segment === true && !operand.negative && segment === undefined) segment = info.name;
    else fixed.push(operand);
  }
  fixed.sort((a, b) => specificity(a) - specificity(b));
  cached = { fixed, segment };
  commutativePatterns.set(pattern, cached);
  return cached;
}

function* matchCommutative(kind: 'sum' | 'product', pattern: Node, subject: Node, bindings: Bindings): Generator<Bindings> {
  const { fixed, segment } = commutativePattern(kind, pattern);
  const isKind = kind === 'sum' ? isSum(subject) : subject.op === 'mul';
  let operands: SignedTerm[];
  if (isKind) operands = kind === 'sum' ? sumTerms(subject) : productFactors(subject).map((node) => ({ node, negative: false }));
  else if (segment !== undefined) operands = [{ node: subject, negative: false }];
  else return;
  if (operands.length < fixed.length || (segment === undefined && operands.length !== fixed.length)) return;
  const used = new Array<boolean>(operands.length).fill(false);

  function* assign(i: number, current: Bindings): Generator<Bindings> {
    if (i === fixed.length) {
      const rest = operands.filter((_, j) => !used[j]);
      if (segment === undefined) {
        if (rest.length === 0) yield current;
        return;
      }
      const value = kind === 'sum' ? sumOf(rest.map(termValue)) : productOf(rest.map((t) => t.node));
      const extended = bind(current, segment, value);
      if (extended !== undefined) yield extended;
      return;
    }
    const wanted = fixed[i]!;
    const tried = new Set<Node>();
    for (let j = 0; j < operands.length; j++) {
      if (used[j]) continue;
      const operand = operands[j]!;
      // A pattern term −p matches a term t when p matches −t. Negating builds a node, so it is
      // skipped where the result cannot match: −t is a negation unless t is one of these.
      if (operand.negative !== wanted.negative && !NEGATION_FREE.has(operand.node.op) && cannotBeNegation(wanted.node)) continue;
      const value = operand.negative === wanted.negative ? operand.node : builder.neg(operand.node);
      // Equal operands give equal matches; trying one of them is enough.
      if (tried.has(value)) continue;
      tried.add(value);
      used[j] = true;
      for (const b of match(wanted.node, value, current)) yield* assign(i + 1, b);
      used[j] = false;
    }
  }
  yield* assign(0, bindings);
}
