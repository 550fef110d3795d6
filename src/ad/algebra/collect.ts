/**
 * Collecting: the canonical form of a product (one numeric coefficient, each base once with its
 * exponents added, negative exponents in a denominator) and of a sum (one constant, each
 * monomial once with its coefficients added). Terms and bases are ordered by node id, so equal
 * multisets give the identical interned node. These are the procedures behind the rules
 * 'collect factors' and 'collect like terms'; they fold constants and cancel as a side effect:
 * 4a + 3a − 7a is 0, x·y/x is y, 2·x·3·y is 6·x·y.
 */
import { builder } from '../build.js';
import { constantNode, pin, type Node } from '../node.js';
import { procedureRule } from '../rewrite/rule.js';
import { productOf, sumOf, sumTerms } from '../rewrite/views.js';
import { exactRational, rationalNode } from './exact.js';
import { perfectPowerRoot, Rational } from './rational.js';
import {
  addCoefficients, coefficientOf, divCoefficients, isNegativeCoefficient, isZeroCoefficient, mulCoefficients,
  negateCoefficient, ONE, scaled, ZERO, type Coefficient,
} from './coefficient.js';

/** A product split into a numeric coefficient and a monomial `numerator / denominator`. */
export interface ProductParts {
  readonly coefficient: Coefficient;
  readonly numerator: Node;
  readonly denominator: Node;
}

// Compared by identity: kept in the node table for good.
const one = pin(constantNode(1));

export function productParts(node: Node): ProductParts {
  let coefficient: Coefficient = ONE;
  const exponents = new Map<Node, Node>();
  const stack: { node: Node; inverted: boolean }[] = [{ node, inverted: false }];
  while (stack.length > 0) {
    const { node: n, inverted } = stack.pop()!;
    if (n.op === 'mul') stack.push({ node: n.args[1]!, inverted }, { node: n.args[0]!, inverted });
    else if (n.op === 'div') stack.push({ node: n.args[1]!, inverted: !inverted }, { node: n.args[0]!, inverted });
    else if (n.op === 'neg') {
      coefficient = negateCoefficient(coefficient);
      stack.push({ node: n.args[0]!, inverted });
    } else if (n.op === 'const') {
      const c = coefficientOf(n)!;
      coefficient = inverted ? divCoefficients(coefficient, c) : mulCoefficients(coefficient, c);
    } else {
      const [base, exponent] = n.op === 'pow' ? powerParts(n) : [n, one];
      const signed = inverted ? builder.neg(exponent) : exponent;
      const previous = exponents.get(base);
      exponents.set(base, previous === undefined ? signed : builder.add(previous, signed));
    }
  }
  const numerator: Node[] = [];
  const denominator: Node[] = [];
  for (const [base, exponent] of [...exponents].sort(([a], [b]) => a.id - b.id)) {
    if (exponent.op === 'const' && exponent.value === 0) continue;
    const negative = exponent.op === 'const' && exponent.value < 0;
    const power = builder.pow(base, negative ? constantNode(-exponent.value) : exponent);
    // A power that folds to a number (2^3, 1.25^(0.5 + 0.5)) is part of the coefficient.
    const value = power.op === 'const' ? coefficientOf(power) : undefined;
    if (value !== undefined) coefficient = negative ? divCoefficients(coefficient, value) : mulCoefficients(coefficient, value);
    else (negative ? denominator : numerator).push(power);
  }
  return { coefficient, numerator: productOf(numerator), denominator: productOf(denominator) };
}

/**
 * A power as base and exponent, with a constant base written as the smallest base it is a power
 * of (4^x is 2^(2·x)), so that 4^x·2^(−x)·2^(−x) collects to 2^0 = 1. Constant bases are split
 * only when positive and exact, where b^(k·e) = (b^k)^e holds for every real e.
 */
function powerParts(n: Node): [Node, Node] {
  const [base, exponent] = n.args as [Node, Node];
  if (base.op !== 'const') return [base, exponent];
  const r = exactRational(base);
  if (r === undefined || r.sign() <= 0 || r.equals(Rational.ONE)) return [n, one];
  const root = perfectPowerRoot(r);
  return root === undefined ? [base, exponent] : [rationalNode(root.base), builder.mul(constantNode(root.power), exponent)];
}

/** `c · numerator / denominator` as a node. */
export function productNode(c: Coefficient, numerator: Node, denominator: Node): Node {
  if (isZeroCoefficient(c)) return constantNode(0);
  if (isNegativeCoefficient(c)) return builder.neg(productNode(negateCoefficient(c), numerator, denominator));
  const top = scaled(c, numerator);
  return denominator === one ? top : builder.div(top, denominator);
}

/** The canonical form of a product, or `undefined` when `node` is already in it. */
export function canonicalProduct(node: Node): Node | undefined {
  const { coefficient, numerator, denominator } = productParts(node);
  const result = productNode(coefficient, numerator, denominator);
  return result === node ? undefined : result;
}

/** The canonical form of a sum, or `undefined` when `node` is already in it. */
export function canonicalSum(node: Node): Node | undefined {
  let constant: Coefficient = ZERO;
  const groups = new Map<Node, { coefficient: Coefficient; numerator: Node; denominator: Node }>();
  for (const term of sumTerms(node)) {
    const parts = productParts(term.node);
    const c = term.negative ? negateCoefficient(parts.coefficient) : parts.coefficient;
    if (parts.numerator === one && parts.denominator === one) {
      constant = addCoefficients(constant, c);
      continue;
    }
    const key = builder.div(parts.numerator, parts.denominator);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { coefficient: c, numerator: parts.numerator, denominator: parts.denominator });
    else group.coefficient = addCoefficients(group.coefficient, c);
  }
  const terms: Node[] = [];
  if (!isZeroCoefficient(constant)) terms.push(productNode(constant, one, one));
  for (const [, g] of [...groups].sort(([a], [b]) => a.id - b.id)) {
    if (!isZeroCoefficient(g.coefficient)) terms.push(productNode(g.coefficient, g.numerator, g.denominator));
  }
  const result = sumOf(terms);
  return result === node ? undefined : result;
}

export const collectLikeTerms = procedureRule('collect like terms', ['add', 'sub', 'neg'], canonicalSum);
export const collectFactors = procedureRule('collect factors', ['mul', 'div'], canonicalProduct);

