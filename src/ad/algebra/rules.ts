/**
 * The rule tables behind `simplify`, `expand` and `factor`, written as patterns over pattern
 * variables. Each identity is one record; the engine (`src/ad/rewrite`) does the rest.
 *
 * Identities that hold only where the left side is defined (exp(ln a) = a needs a > 0) are
 * included: they may extend the domain (the result is defined where the original was not), but
 * never change a value where the original is defined. Identities that would change a defined
 * value (ln(a²) = 2·ln(a) for a < 0, asin(sin a) = a) are left out.
 */
import { builder } from '../build.js';
import { constantNode, type Node } from '../node.js';
import { patternVariable, segmentVariable } from '../rewrite/pattern.js';
import { patternRule, type Rule } from '../rewrite/rule.js';
import { sumOf, sumTerms, termValue } from '../rewrite/views.js';
import { canonicalSum, collectFactors, collectLikeTerms } from './collect.js';
import { exactRational, rationalNode } from './exact.js';
import { smallestFormRule } from './normal-form.js';
import { Rational, splitSquare } from './rational.js';

type Operand = Node | number;
const node = (o: Operand): Node => (typeof o === 'number' ? constantNode(o) : o);
const call = (op: string) => (a: Operand): Node => builder.apply(op, [node(a)]);
const add = (...xs: Operand[]): Node => xs.map(node).reduce((s, x) => builder.add(s, x));
const sub = (a: Operand, b: Operand): Node => builder.sub(node(a), node(b));
const mul = (...xs: Operand[]): Node => xs.map(node).reduce((s, x) => builder.mul(s, x));
const div = (a: Operand, b: Operand): Node => builder.div(node(a), node(b));
const pow = (a: Operand, b: Operand): Node => builder.pow(node(a), node(b));
const neg = (a: Operand): Node => builder.neg(node(a));
const [sin, cos, tan, sinh, cosh, exp, ln, sqrt, asin, acos, atan] =
  ['sin', 'cos', 'tan', 'sinh', 'cosh', 'exp', 'ln', 'sqrt', 'asin', 'acos', 'atan'].map(call) as ((a: Operand) => Node)[] as [
    (a: Operand) => Node, (a: Operand) => Node, (a: Operand) => Node, (a: Operand) => Node, (a: Operand) => Node, (a: Operand) => Node,
    (a: Operand) => Node, (a: Operand) => Node, (a: Operand) => Node, (a: Operand) => Node, (a: Operand) => Node,
  ];

const a = patternVariable('a'), b = patternVariable('b'), c = patternVariable('c'), n = patternVariable('n');
const rest = segmentVariable('rest'), more = segmentVariable('more'), others = segmentVariable('others');

const isNumber = (x: Node | undefined): boolean => x !== undefined && x.op === 'const';
const isIntegerAtLeast = (x: Node | undefined, min: number): boolean => isNumber(x) && Number.isInteger(x!.value) && x!.value >= min;

/** Trigonometric and hyperbolic identities. */
export const trigonometricRules: readonly Rule[] = [
  patternRule(add(pow(sin(a), 2), pow(cos(a), 2), rest), add(1, rest), undefined, 'sin²a + cos²a = 1'),
  patternRule(add(mul(c, pow(sin(a), 2)), mul(c, pow(cos(a), 2)), rest), add(c, rest), undefined, 'c·sin²a + c·cos²a = c'),
  patternRule(add(sub(1, pow(sin(a), 2)), rest), add(pow(cos(a), 2), rest), undefined, '1 − sin²a = cos²a'),
  patternRule(add(sub(1, pow(cos(a), 2)), rest), add(pow(sin(a), 2), rest), undefined, '1 − cos²a = sin²a'),
  patternRule(add(sub(pow(cosh(a), 2), pow(sinh(a), 2)), rest), add(1, rest), undefined, 'cosh²a − sinh²a = 1'),
  patternRule(div(sin(a), cos(a)), tan(a), undefined, 'sin a / cos a = tan a'),
  patternRule(mul(tan(a), cos(a), rest), mul(sin(a), rest), undefined, 'tan a · cos a = sin a'),
  patternRule(sin(neg(a)), neg(sin(a)), undefined, 'sin(−a) = −sin a'),
  patternRule(cos(neg(a)), cos(a), undefined, 'cos(−a) = cos a'),
  patternRule(tan(neg(a)), neg(tan(a)), undefined, 'tan(−a) = −tan a'),
  patternRule(asin(neg(a)), neg(asin(a)), undefined, 'asin(−a) = −asin a'),
  patternRule(atan(neg(a)), neg(atan(a)), undefined, 'atan(−a) = −atan a'),
  patternRule(sin(asin(a)), a, undefined, 'sin(asin a) = a'),
  patternRule(cos(acos(a)), a, undefined, 'cos(acos a) = a'),
  patternRule(tan(atan(a)), a, undefined, 'tan(atan a) = a'),
];

/** Exponential, logarithm and root identities. */
export const exponentialRules: readonly Rule[] = [
  patternRule(exp(ln(a)), a, undefined, 'exp(ln a) = a'),
  patternRule(ln(exp(a)), a, undefined, 'ln(exp a) = a'),
  patternRule(mul(exp(a), exp(b), rest), mul(exp(add(a, b)), rest), undefined, 'exp a · exp b = exp(a + b)'),
  patternRule(div(exp(a), exp(b)), exp(sub(a, b)), undefined, 'exp a / exp b = exp(a − b)'),
  patternRule(pow(exp(a), b), exp(mul(a, b)), undefined, '(exp a)^b = exp(a·b)'),
  patternRule(exp(mul(b, ln(a))), pow(a, b), undefined, 'exp(b·ln a) = a^b'),
  patternRule(add(ln(a), ln(b), rest), add(ln(mul(a, b)), rest), undefined, 'ln a + ln b = ln(a·b)'),
  patternRule(add(sub(ln(a), ln(b)), rest), add(ln(div(a, b)), rest), undefined, 'ln a − ln b = ln(a/b)'),
  patternRule(pow(sqrt(a), 2), a, undefined, '(√a)² = a'),
  patternRule(sqrt(pow(a, 2)), call('abs')(a), undefined, '√(a²) = |a|'),
  patternRule(mul(sqrt(a), sqrt(a), rest), mul(a, rest), undefined, '√a·√a = a'),
];

/** √r for a rational r = (s²/t²)·k with k square-free, as (s/t)·√k: √8 = 2√2, √(1/2) = √2/2. */
function rationalSquareRoot(radicand: Node): Node | undefined {
  const r = exactRational(radicand);
  if (r === undefined || r.sign() <= 0) return undefined;
  // √(n/d) = √(n·d)/d
  const [s, k] = splitSquare(r.num * r.den);
  if ((s === 1n && r.den === 1n) || k > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const outside = rationalNode(Rational.of(s, r.den));
  return k === 1n ? outside : builder.mul(outside, builder.apply('sqrt', [constantNode(Number(k))]));
}

/** Exact constants in their simplest exact form. */
export const constantRules: readonly Rule[] = [
  patternRule(sqrt(a), (bindings) => rationalSquareRoot(bindings.get('a')!), (bindings) => isNumber(bindings.get('a')) || bindings.get('a')!.op === 'div', '√(s²·k) = s·√k'),
];

/**
 * Factoring a common factor out of two terms of a sum: a·b + a·c → a·(b + c). Numbers are
 * coefficients, not factors (2x + 2y stays), which the guard says.
 */
export const commonFactorRule: Rule = patternRule(
  add(mul(a, segmentVariable('bs')), mul(a, segmentVariable('cs')), rest),
  add(mul(a, add(segmentVariable('bs'), segmentVariable('cs'))), rest),
  (bindings) => !isNumber(bindings.get('a')),
  'a·b + a·c = a·(b + c)',
);

/** The distributive law, one factor and one term at a time: f·(a + b + ...) = f·a + f·(b + ...). */
export const distributeRule: Rule = patternRule(
  // Two fixed factors, so that it applies to products only (a sum is a product of one factor).
  mul(add(a, b, more), c, others),
  add(mul(c, others, a), mul(c, others, add(b, more))),
  undefined,
  'f·(a + b) = f·a + f·b',
);

/** Powers of sums by repeated distribution, (a + b)^n for integers n ≥ 2, in one step. */
export const expandPowerRule: Rule = patternRule(
  pow(add(a, b, more), n),
  (bindings) => {
    const base = add(bindings.get('a')!, bindings.get('b')!, bindings.get('more')!);
    let product = base;
    // Collecting after each multiplication keeps (x + y + 1)^12 at 91 terms, not 3^12.
    for (let i = 1; i < bindings.get('n')!.value; i++) {
      product = multiplySums(product, base);
      product = canonicalSum(product) ?? product;
    }
    return product;
  },
  (bindings) => isIntegerAtLeast(bindings.get('n'), 2) && bindings.get('n')!.value <= 64,
  '(a + b)^n = (a + b)·…·(a + b), expanded',
);

/** (p + q)·(r + s) as the sum of the products of terms. */
function multiplySums(left: Node, right: Node): Node {
  const products: Node[] = [];
  for (const l of sumTerms(left)) for (const r of sumTerms(right)) products.push(builder.mul(termValue(l), termValue(r)));
  return sumOf(products);
}

export const expansionRules: readonly Rule[] = [
  expandPowerRule,
  distributeRule,
  patternRule(div(add(a, b, more), c), add(div(a, c), div(add(b, more), c)), undefined, '(a + b)/c = a/c + b/c'),
  patternRule(pow(mul(a, b, more), n), mul(pow(a, n), pow(mul(b, more), n)), (bindings) => isIntegerAtLeast(bindings.get('n'), -64), '(a·b)^n = aⁿ·bⁿ'),
];

/** The identities of `simplify` (functions, and sums of them), after the arithmetic normal form. */
export const identityRules: readonly Rule[] = [...trigonometricRules, ...exponentialRules, ...constantRules];

/**
 * The rules of `simplify`, in the order they are tried at each node (the smallest equal form of
 * sums and products first; `simplify` runs the same with forms remembered for the run).
 */
export const simplificationRules: readonly Rule[] = [smallestFormRule(), ...identityRules];

/** The rules of `expand`. */
export const expandRules: readonly Rule[] = [...expansionRules, collectLikeTerms, collectFactors];

/** The rules of `factor`. */
export const factorRules: readonly Rule[] = [collectLikeTerms, collectFactors, commonFactorRule];
