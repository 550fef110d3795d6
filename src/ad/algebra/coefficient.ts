/**
 * Numeric coefficients while collecting terms: exact rationals while every constant involved
 * is one (so x/3 + x/3 is 2·x/3, not 0.6666666666666666·x), doubles as soon as one is not.
 */
import { builder } from '../build.js';
import { constantNode, type Node } from '../node.js';
import { exactRational, rationalNode } from './exact.js';
import { Rational } from './rational.js';

export type Coefficient = Rational | number;

export const ONE: Coefficient = Rational.ONE;
export const ZERO: Coefficient = Rational.ZERO;

const toNumber = (c: Coefficient): number => (typeof c === 'number' ? c : c.toNumber());

/** The coefficient a constant node stands for (exact when it is a rational with a small denominator). */
export function coefficientOf(node: Node): Coefficient | undefined {
  if (node.op !== 'const' && !(node.op === 'div' || node.op === 'neg')) return undefined;
  const exact = exactRational(node);
  if (exact !== undefined) return exact;
  return node.op === 'const' ? node.value : undefined;
}

export function addCoefficients(a: Coefficient, b: Coefficient): Coefficient {
  return typeof a === 'number' || typeof b === 'number' ? toNumber(a) + toNumber(b) : a.add(b);
}

export function mulCoefficients(a: Coefficient, b: Coefficient): Coefficient {
  return typeof a === 'number' || typeof b === 'number' ? toNumber(a) * toNumber(b) : a.mul(b);
}

export function divCoefficients(a: Coefficient, b: Coefficient): Coefficient {
  if (typeof a !== 'number' && typeof b !== 'number' && !b.isZero()) return a.div(b);
  return toNumber(a) / toNumber(b);
}

export function isZeroCoefficient(c: Coefficient): boolean {
  return typeof c === 'number' ? c === 0 : c.isZero();
}

export function isOneCoefficient(c: Coefficient): boolean {
  return typeof c === 'number' ? c === 1 : c.equals(Rational.ONE);
}

export function isNegativeCoefficient(c: Coefficient): boolean {
  return typeof c === 'number' ? c < 0 : c.sign() < 0;
}

export function negateCoefficient(c: Coefficient): Coefficient {
  return typeof c === 'number' ? -c : c.neg();
}

/**
 * `c · monomial` as a node, with a negative coefficient as a negation (so sums print `a - 2 * x`)
 * and a fractional one as a division (`2 * x / 3`).
 */
export function scaled(c: Coefficient, monomial: Node): Node {
  if (isNegativeCoefficient(c)) return builder.neg(scaled(negateCoefficient(c), monomial));
  if (typeof c === 'number') return builder.mul(constantNode(c), monomial);
  // A constant over a constant would fold to a double; keep n/d exact.
  if (monomial.op === 'const' && monomial.value === 1) return rationalNode(c);
  const numerator = builder.mul(constantNode(Number(c.num)), monomial);
  return c.isInteger() ? numerator : builder.div(numerator, constantNode(Number(c.den)));
}
