/**
 * What the parts of `solve` share: the candidate type, the search state, the error for an
 * equation no strategy solves, and small questions about an expression and its unknown.
 */
import { TypegradError } from '../errors.js';
import type { Node } from '../node.js';
import { toInfix } from '../print.js';
import { dependsOn, topologicalOrder } from '../traverse.js';
import type { Interval } from './interval.js';
import type { Atoms } from './rational-function.js';
import type { Polynomial } from './multivariate.js';
import { polynomialCoefficients } from './polynomial.js';
import { simplifyNode } from './simplify.js';

/** How deep strategies may nest (a substitution inside a squaring inside a case, ...). */
export const MAX_DEPTH = 16;

/** A candidate: `value`, or the family value + k·period for every integer k. */
export interface Candidate {
  readonly value: Node;
  readonly period?: Node;
}

/** Thrown when the equation holds identically (every value of the unknown is a solution). */
export class IdentityFound extends TypegradError {}

/** State shared by one `solve` call. */
export interface Search {
  /** The approximate numbers among the candidates (constant nodes), with intervals that enclose the true values. */
  readonly approximations: Map<Node, Interval>;
  /** The strategies applied, for messages. */
  readonly trail: string[];
}

export function short(node: Node): string {
  const text = toInfix(node);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The error for an equation no strategy solves, naming the equation, the unknown and why. */
export function cannot(g: Node, u: Node, reason: string): TypegradError {
  return new TypegradError(`solve: cannot solve ${short(g)} = 0 for ${u.name}: ${reason}`);
}

export function depends(node: Node, u: Node): boolean {
  return dependsOn(topologicalOrder([node]), new Set([u])).has(node);
}

/** `arg` as slope·u + intercept with both free of u, if it is linear in u. */
export function linearIn(arg: Node, u: Node): { slope: Node; intercept: Node } | undefined {
  const coefficients = polynomialCoefficients(arg, u);
  if (coefficients?.length !== 2 || coefficients.some((c) => depends(c, u))) return undefined;
  return { slope: simplifyNode(coefficients[1]!), intercept: simplifyNode(coefficients[0]!) };
}

/** The strategies for several atoms, given the search (they call back into `candidates`). */
export type Strategy = (context: StrategyContext) => Candidate[] | undefined;

export interface StrategyContext {
  readonly g: Node;
  readonly u: Node;
  readonly depth: number;
  readonly search: Search;
  readonly numerator: Polynomial;
  readonly atoms: Atoms;
  /** The atoms of the numerator that hold u. */
  readonly holding: readonly Node[];
  readonly candidates: (g: Node, u: Node, depth: number, search: Search) => Candidate[];
  readonly invert: (atom: Node, value: Node, u: Node, depth: number, search: Search) => Candidate[];
  readonly polynomialRoots: (numerator: Polynomial, index: number, atoms: Atoms, g: Node, u: Node, search: Search) => Node[];
}


