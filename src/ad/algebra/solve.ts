/**
 * Solving one equation f = 0 for x: the candidates of `solve-candidates.ts`, each checked in the
 * original equation with its domain respected (`verify.ts`), and the result in one of the
 * documented forms:
 *
 * - roots: finitely many values, sorted, each exact (`5 / 2`, `sqrt(2)`, `ln(2)`, `pi / 6`) or
 *   a number marked approximate, with an interval that encloses the true root;
 * - families: x = value + k·period for every integer k (sin x = 0 is x = k·π);
 * - all: the equation holds for every x where it is defined, except at listed points.
 *
 * It never returns an incomplete answer: a part that cannot be solved, or a candidate that can
 * be neither confirmed nor refuted, is a TypegradError that says which. With other variables
 * (parameters) the roots are the generic ones, checked at sample values of the parameters.
 */
import { TypegradError } from '../errors.js';
import { constantNode, type Node } from '../node.js';
import { topologicalOrder } from '../traverse.js';
import { exactSign, exactValue, PI, type ExactValue } from './exact-value.js';
import { exactBuilder as E, piMultipleNode } from './exact.js';
import type { Interval } from './interval.js';
import { Rational } from './rational.js';
import { simplifyNode } from './simplify.js';
import { candidates } from './solve-candidates.js';
import { Budget, commonFactor, DEFAULT_BUDGET } from './multivariate.js';
import { Atoms, cancelRational, polynomialNode, rationalView } from './rational-function.js';
import { depends, IdentityFound, linearIn, short, type Candidate, type Search } from './solve-support.js';
import { conditionHolds, domainConditions, Evaluation, pointOf, rationalPoint, vanishes, type Condition, type Point, type Verdict } from './verify.js';

/** One solution: a value, or the family value + k·period for every integer k. */
export interface Solution {
  readonly value: Node;
  /** The period of a family (undefined for a single root). */
  readonly period: Node | undefined;
  /** Whether `value` is a numeric approximation (from a polynomial without exact roots). */
  readonly approximate: boolean;
  /** An interval that contains the true value (when it is a number). */
  readonly enclosure: Interval | undefined;
}

/** The solution set: isolated roots and families, or every x but some points. */
export type SolutionSet =
  | { readonly kind: 'solutions'; readonly solutions: readonly Solution[] }
  | { readonly kind: 'all'; readonly excluded: readonly Solution[] };

/** Parameter values at which a root with parameters is checked: distinct, not special, of both signs (parameter j adds j/7). */
const SAMPLES = [Rational.of(7, 10), Rational.of(13, 10), Rational.of(23, 10), Rational.of(-9, 10), Rational.of(-17, 10), Rational.of(31, 10)];

function rejectNonFinite(f: Node, x: Node): void {
  for (const node of topologicalOrder([f])) {
    if (node.op === 'const' && !Number.isFinite(node.value)) {
      throw new TypegradError(`solve: the equation ${short(f)} = 0 has the coefficient ${node.value}; solve for ${x.name} needs finite numbers`);
    }
  }
}

/** The variables of f other than x, sorted by name. */
function parametersOf(nodes: readonly Node[], x: Node): Node[] {
  return topologicalOrder(nodes).filter((n) => n.op === 'var' && n !== x).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every real solution of f = 0 in x; see the module comment. */
export function solveEquation(f: Node, x: Node): SolutionSet {
  rejectNonFinite(f, x);
  const search: Search = { approximations: new Map(), trail: [] };
  let found: Candidate[];
  try {
    found = candidates(f, x, 0, search);
  } catch (error) {
    if (error instanceof IdentityFound) return identity(f, x);
    throw error;
  }
  const conditions = domainConditions(f, x);
  const solutions: Solution[] = [];
  for (const candidate of found) {
    const solution = check(f, x, candidate, conditions, search);
    if (solution !== undefined) solutions.push(solution);
  }
  return { kind: 'solutions', solutions: tidy(solutions) };
}

/** The verdict on a candidate: domain, then the equation; for parameters, at each sample. */
function check(f: Node, x: Node, candidate: Candidate, conditions: readonly Condition[], search: Search): Solution | undefined {
  let value = simplifyNode(candidate.value);
  // A rational multiple of π in one form: π − π/6 is 5·π/6.
  const exact = exactValue(value);
  if (exact?.kind === 'pi') value = piMultipleNode(exact.m);
  let period = candidate.period === undefined ? undefined : simplifyNode(candidate.period);
  // value + k·period and value − k·period are the same family: the period is made positive.
  const periodValue = period === undefined ? undefined : exactValue(period);
  if (period !== undefined && periodValue !== undefined && periodValue.kind !== 'undefined' && exactSign(periodValue) === -1) period = simplifyNode(E.neg(period));
  if (depends(value, x)) throw new TypegradError(`solve: a candidate for ${x.name} still holds ${x.name} (${short(value)}); this is a bug`);
  const approximate = topologicalOrder([value]).some((n) => search.approximations.has(n));
  if (period !== undefined) confirmFamily(f, x, value, period, conditions, search);
  const parameters = parametersOf([f, value], x);
  const own = parametersOf([value], x).length === 0 ? pointOf(value, search.approximations) : undefined;
  // A value that is not a real number (asin 2, ln(−1)) is no root.
  if (own !== undefined && (own.exact?.kind === 'undefined' || Number.isNaN(own.enclosure.lo))) return undefined;
  if (parameters.length === 0) {
    const at = own!;
    const verdict = verdictAt(f, x, at, conditions);
    if (verdict === 'undecided') {
      throw new TypegradError(`solve: cannot decide whether ${x.name} = ${short(value)}${approximate ? ` (≈ ${(at.enclosure.lo + at.enclosure.hi) / 2})` : ''} solves ${short(f)} = 0: the equation or its domain is too close to the edge there to tell with the precision available`);
    }
    return verdict === 'yes' ? { value, period, approximate, enclosure: at.enclosure } : undefined;
  }
  // Generic roots hold for some values of the parameters (√x = a gives a², for a ≥ 0): one
  // sample that confirms the candidate keeps it, samples that all refute it drop it, and when
  // no sample decides (the candidate is not real at any of them), that is an error.
  let refuted = false;
  for (let i = 0; i < SAMPLES.length; i++) {
    const given = new Map<Node, Point>(parameters.map((p, j) => [p, rationalPoint(SAMPLES[(i + j) % SAMPLES.length]!.add(Rational.of(j, 7)))]));
    for (const [node, enclosure] of search.approximations) given.set(node, { exact: undefined, enclosure });
    const evaluation = new Evaluation([value], given);
    const at: Point = { exact: evaluation.exact(value), enclosure: evaluation.interval(value) };
    if (Number.isNaN(at.enclosure.lo)) continue;
    const verdict = verdictAt(f, x, at, conditions, given);
    if (verdict === 'yes') return { value, period, approximate, enclosure: own?.enclosure };
    if (verdict === 'no') refuted = true;
  }
  if (refuted) return undefined;
  throw new TypegradError(`solve: cannot check ${x.name} = ${short(value)} (a root of ${short(f)} = 0 with the parameters ${parameters.map((p) => p.name).join(', ')}): it is not a real number, or not decided, at any of the sample values of the parameters`);
}

function verdictAt(f: Node, x: Node, at: Point, conditions: readonly Condition[], given: ReadonlyMap<Node, Point> = new Map()): Verdict {
  const evaluation = new Evaluation([f, ...conditions.flatMap((c) => (c.kind === 'power' ? [c.base, c.exponent] : [c.expression]))], new Map([...given, [x, at]]));
  for (const condition of conditions) {
    const holds = conditionHolds(condition, evaluation);
    if (holds !== 'yes') return holds;
  }
  return vanishes(f, evaluation);
}

/**
 * Where f stops repeating with the period: x met outside sin, cos and tan, or one of those whose
 * argument a·x + b does not turn a whole number of times over the period; undefined when f
 * depends on x only through such functions that do repeat.
 */
function obstacleToPeriod(f: Node, x: Node, period: Node): Node | undefined {
  const stack = [f];
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node) || !depends(node, x)) continue;
    seen.add(node);
    if (node === x) return node;
    if (node.op === 'sin' || node.op === 'cos' || node.op === 'tan') {
      const line = linearIn(node.args[0]!, x);
      const functionPeriod = node.op === 'tan' ? PI : E.mul(constantNode(2), PI);
      // slope·period must be a whole number of the function's periods.
      const turns = line === undefined ? undefined : simplifyNode(E.div(E.mul(line.slope, period), functionPeriod));
      const value = turns === undefined ? undefined : exactValue(turns);
      if (value?.kind === 'quadratic' && value.b.isZero() && value.a.isInteger()) continue;
      return node;
    }
    for (const arg of node.args) stack.push(arg);
  }
  return undefined;
}

/** The factors of f's numerator (f = N/D over its atoms, N split by the factors common to its terms), as nodes. */
function numeratorFactors(f: Node): Node[] {
  const atoms = new Atoms();
  const budget = new Budget(DEFAULT_BUDGET, `solve: the factors of ${short(f)}`);
  const pending = [cancelRational(rationalView(f, atoms, budget), budget).numerator];
  const factors: Node[] = [];
  while (pending.length > 0) {
    const p = pending.pop()!;
    const common = commonFactor(p, budget);
    if (common.isConstant() || common.equals(p.normalized().polynomial)) factors.push(polynomialNode(p, atoms));
    else pending.push(common, p.divideExactly(common, budget)!);
  }
  return factors;
}

/**
 * A family value + k·period solves f = 0 for every integer k when f repeats with the period; or
 * when a factor of its numerator repeats and vanishes at the value, and f's domain repeats (so
 * sin x·(x − 1) = 0 has the family k·π). Otherwise checking one member says nothing about the
 * others, and this is an error.
 */
function confirmFamily(f: Node, x: Node, value: Node, period: Node, conditions: readonly Condition[], search: Search): void {
  const obstacle = obstacleToPeriod(f, x, period);
  if (obstacle === undefined) return;
  const at = pointOf(value, search.approximations);
  const vanishing = numeratorFactors(f).find((factor) => obstacleToPeriod(factor, x, period) === undefined && depends(factor, x) && vanishes(factor, new Evaluation([factor], new Map([[x, at]]))) === 'yes');
  const where = obstacle === x ? `${short(f)} is not periodic in ${x.name} with that period` : `${short(obstacle)} does not repeat with that period`;
  if (vanishing === undefined) throw new TypegradError(`solve: found the family ${x.name} = ${short(value)} + k·${short(period)}, but ${where}, so its other members are not known to be solutions`);
  for (const condition of conditions) {
    const parts = condition.kind === 'power' ? [condition.base, condition.exponent] : [condition.expression];
    if (parts.some((p) => obstacleToPeriod(p, x, period) !== undefined)) {
      throw new TypegradError(`solve: found the family ${x.name} = ${short(value)} + k·${short(period)} of ${short(vanishing)} = 0, but the domain of ${short(f)} (${short(condition.origin)}) does not repeat with that period, so some members may be excluded`);
    }
  }
}

/** The real points where f is undefined because a denominator vanishes (the exceptions to an identity). */
function identity(f: Node, x: Node): SolutionSet {
  const excluded: Solution[] = [];
  for (const condition of domainConditions(f, x)) {
    if (condition.kind !== 'nonzero') {
      throw new TypegradError(`solve: ${short(f)} = 0 holds wherever it is defined (it simplifies to 0 = 0), and that depends on ${short(condition.kind === 'power' ? condition.origin : condition.expression)} ${describe(condition)}: a range of ${x.name} that solve cannot list`);
    }
    const zeros = solveEquation(condition.expression, x);
    if (zeros.kind === 'all') continue;
    excluded.push(...zeros.solutions);
  }
  return { kind: 'all', excluded: tidy(excluded) };
}

function describe(condition: Condition): string {
  switch (condition.kind) {
    case 'positive': return '> 0';
    case 'nonnegative': return '≥ 0';
    case 'unit': return 'in [−1, 1]';
    case 'power': return 'being a real power';
    default: return '≠ 0';
  }
}

// ---- sorting, merging families, removing duplicates ------------------------------------------

/** The value for ordering: the middle of the enclosure (+∞ for a value with parameters, which sorts last). */
function numericValue(s: Solution): number {
  return s.enclosure === undefined || Number.isNaN(s.enclosure.lo) ? Infinity : (s.enclosure.lo + s.enclosure.hi) / 2;
}

/** Whether two solutions are the same value: exactly, or an approximate one enclosing an exact one. */
function same(a: Solution, b: Solution): boolean {
  if (a.value === b.value) return true;
  const [va, vb] = [exactValue(a.value), exactValue(b.value)];
  if (va !== undefined && vb !== undefined) return equalValues(va, vb);
  if (a.approximate !== b.approximate && a.enclosure !== undefined && b.enclosure !== undefined) {
    const [exact, approximate] = a.approximate ? [b, a] : [a, b];
    return approximate.enclosure!.lo <= exact.enclosure!.lo && exact.enclosure!.hi <= approximate.enclosure!.hi;
  }
  return false;
}

function equalValues(a: ExactValue, b: ExactValue): boolean {
  if (a.kind === 'pi' && b.kind === 'pi') return a.m.equals(b.m);
  if (a.kind === 'quadratic' && b.kind === 'quadratic') {
    const difference: ExactValue = a.k === b.k || a.b.isZero() || b.b.isZero() ? { kind: 'quadratic', a: a.a.sub(b.a), b: a.b.sub(b.b), k: a.b.isZero() ? b.k : a.k } : a;
    return difference !== a && exactSign(difference) === 0;
  }
  return false;
}

/** (b − a)/period as an exact rational, when it is one. */
function offsetInPeriods(a: Solution, b: Solution): Rational | undefined {
  const offset = exactValue(simplifyNode(E.div(E.sub(b.value, a.value), a.period!)));
  return offset?.kind === 'quadratic' && offset.b.isZero() ? offset.a : undefined;
}

/**
 * Families with one period merged: the same family twice (a whole number of periods apart) is
 * kept once, and m families spaced evenly by period/m are one family with that spacing
 * (cos 2x = cos x: −2π/3, 0 and 2π/3 + 2kπ are 2kπ/3; sin²x = sin x: 0 and π + 2kπ are kπ).
 */
function mergeFamilies(families: Solution[]): Solution[] {
  const distinct: Solution[] = [];
  for (const f of families) if (!distinct.some((r) => r.period === f.period && offsetInPeriods(r, f)?.isInteger() === true)) distinct.push(f);
  const merged: Solution[] = [];
  const done = new Set<Solution>();
  for (const f of distinct) {
    if (done.has(f)) continue;
    const group = distinct.filter((g) => g.period === f.period && !done.has(g));
    // Each member's offset from f as a fraction of the period, in [0, 1) (undefined when not exact).
    const fraction = new Map(group.map((g) => {
      const r = offsetInPeriods(f, g);
      return [g, r === undefined ? undefined : r.sub(Rational.of(floorOf(r)))] as const;
    }));
    // The largest m for which f and m − 1 others are spaced by period/m.
    let spaced: Solution[] = [f];
    for (let m = group.length; m >= 2 && spaced.length === 1; m--) {
      const members = Array.from({ length: m }, (_, j) => group.find((g) => fraction.get(g)?.equals(Rational.of(j, m)) === true));
      if (members.every((g) => g !== undefined)) spaced = members as Solution[];
    }
    // The member nearest 0 (the non-negative one on a tie) represents the merged family.
    const key = (g: Solution) => Math.abs(numericValue(g)) - (numericValue(g) >= 0 ? 1e-9 : 0);
    const first = spaced.reduce((p, q) => (key(q) < key(p) ? q : p));
    merged.push(spaced.length === 1 ? f : { ...first, period: simplifyNode(E.div(f.period!, constantNode(spaced.length))) });
    for (const g of spaced) done.add(g);
  }
  // A merged family has a new period, and may merge again (it has fewer members each time).
  return merged.length < distinct.length ? mergeFamilies(merged) : merged;
}

function floorOf(r: Rational): bigint {
  const q = r.num / r.den;
  return r.num < 0n && q * r.den !== r.num ? q - 1n : q;
}

/** Roots sorted by value without duplicates, then families sorted by value, then roots with parameters. */
function tidy(solutions: readonly Solution[]): Solution[] {
  const unique: Solution[] = [];
  for (const s of solutions) {
    const twin = unique.findIndex((u) => u.period === s.period && same(u, s));
    if (twin < 0) unique.push(s);
    else if (unique[twin]!.approximate && !s.approximate) unique[twin] = s;
  }
  const byValue = (a: Solution, b: Solution) => numericValue(a) - numericValue(b);
  const numeric = unique.filter((s) => s.period === undefined && s.enclosure !== undefined).sort(byValue);
  const families = mergeFamilies(unique.filter((s) => s.period !== undefined)).sort((a, b) => (numericValue(a) - numericValue(b)) || 0);
  const symbolic = unique.filter((s) => s.period === undefined && s.enclosure === undefined);
  return [...numeric, ...families, ...symbolic];
}

