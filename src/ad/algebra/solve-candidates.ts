/**
 * The search for candidate roots of one equation g = 0 in an unknown u (the user's variable, or
 * an unknown that a substitution introduced). Every step either applies and returns all its
 * candidates, or throws a TypegradError that says what it could not do: no failure is ever
 * turned into "no solution". Candidates are checked afterwards, in `solve.ts`.
 *
 * On the simplified g:
 * 1. zero product: each factor of the numerator that holds u, solved on its own;
 * 2. the rational view (`rational-function.ts`): g = N/D cancelled, so the roots are among the
 *    roots of N, a polynomial over the atoms of g (x, sin x, √(x − 3), 2^x, ...);
 * 3. N depends on u through u alone: the real roots of a polynomial (`real-roots.ts`), exact or
 *    approximate, or the formulas of degree 1 and 2 for symbolic coefficients;
 * 4. through one atom a(u): the roots r of N as a polynomial in a, then a(u) = r by inverting
 *    a's operation (`isolate.ts`), which gives families for periodic functions;
 * 5. through several atoms: the strategies of `solve-strategies.ts`.
 *
 * Recursion is over strategies, bounded by MAX_DEPTH; it never follows the depth of the expression.
 */
import { builder } from '../build.js';
import { constantNode, pin, type Node } from '../node.js';
import { topologicalOrder } from '../traverse.js';
import { productFactors } from '../rewrite/views.js';
import { productParts } from './collect.js';
import { exactBuilder as E } from './exact.js';
import { inverses } from './isolate.js';
import { Budget, commonFactor, DEFAULT_BUDGET, Polynomial } from './multivariate.js';
import { Atoms, cancelRational, NotFinite, polynomialNode, rationalView } from './rational-function.js';
import { strategies } from './solve-strategies.js';
import {
  cannot, depends, IdentityFound, linearIn, MAX_DEPTH, short, type Candidate, type Search, type StrategyContext,
} from './solve-support.js';
import { realRoots } from './real-roots.js';
import { Rational } from './rational.js';
import { simplifyNode } from './simplify.js';
import { exactSign, exactValue, rationalOfDouble } from './exact-value.js';
import { evaluateInterval } from './interval.js';
import type { PrimitiveName } from '../primitives/index.js';

/** The factors of g's numerator that hold u, when there are several (zero-product property). */
function zeroProductFactors(g: Node, u: Node): Node[] {
  if (g.op !== 'mul' && g.op !== 'div' && g.op !== 'neg' && g.op !== 'pow') return [g];
  const { numerator } = productParts(g);
  const factors: Node[] = [];
  const stack = productFactors(numerator);
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.op === 'pow' && f.args[1]!.op === 'const' && f.args[1]!.value > 0) stack.push(f.args[0]!);
    else if (depends(f, u)) factors.push(f);
  }
  return factors;
}

/** log(a, b) with a constant base as ln a / ln b, so that logarithms have one kind of atom. */
function naturalLogarithms(g: Node, u: Node): Node {
  const replacements = new Map<Node, Node>();
  for (const node of topologicalOrder([g])) {
    if (node.op === 'log' && !depends(node.args[1]!, u)) replacements.set(node, builder.div(builder.apply('ln', [node.args[0]!]), builder.apply('ln', [node.args[1]!])));
  }
  if (replacements.size === 0) return g;
  const image = new Map<Node, Node>();
  for (const node of topologicalOrder([g])) {
    const r = replacements.get(node);
    image.set(node, r !== undefined ? r : node.args.length === 0 ? node : builder.apply(node.op, node.args.map((a) => image.get(a)!), node.attrs));
  }
  return image.get(g)!;
}

/** Every candidate root of g = 0 in u; throws a TypegradError when some part cannot be solved. */
export function candidates(g: Node, u: Node, depth: number, search: Search): Candidate[] {
  if (depth > MAX_DEPTH) throw cannot(g, u, `the strategies nested more than ${MAX_DEPTH} deep (${search.trail.slice(-6).join(' → ')})`);
  const h = simplifyNode(naturalLogarithms(simplifyNode(g), u));
  if (!depends(h, u)) {
    if (h.op === 'const' && h.value === 0) throw new IdentityFound(`solve: ${short(g)} = 0 holds for every ${u.name} (it simplifies to 0 = 0)`);
    return [];
  }
  const factors = zeroProductFactors(h, u);
  if (factors.length !== 1 || factors[0] !== h) {
    search.trail.push('zero product');
    return factors.flatMap((f) => candidates(f, u, depth + 1, search));
  }
  const atoms = new Atoms();
  const budget = new Budget(DEFAULT_BUDGET, `solve: the rational form of ${short(h)}`);
  let numerator: Polynomial;
  try {
    numerator = cancelRational(rationalView(h, atoms, budget), budget).numerator;
  } catch (error) {
    if (error instanceof NotFinite) throw cannot(h, u, `an intermediate equation holds a number that is not finite (${error.message})`);
    throw error;
  }
  if (numerator.isZero()) throw new IdentityFound(`solve: ${short(g)} = 0 holds for every ${u.name} (its numerator cancels to 0)`);
  const holding = [...numerator.variables()].map((i) => atoms.nodes[i]!).filter((a) => depends(a, u));
  if (holding.length === 0) return [];
  // A factor common to every term (x·sin x − sin x = sin x·(x − 1)): each factor on its own.
  const common = commonFactor(numerator, budget);
  if (!common.isConstant()) {
    search.trail.push(`common factor ${short(polynomialNode(common, atoms))}`);
    return [common, numerator.divideExactly(common, budget)!].flatMap((f) => candidates(polynomialNode(f, atoms), u, depth + 1, search));
  }
  if (holding.length === 1) {
    const atom = holding[0]!;
    const roots = polynomialRoots(numerator, atoms.indexOf(atom), atoms, h, u, search);
    if (atom === u) return roots.map((value) => ({ value }));
    search.trail.push(`roots in ${short(atom)}`);
    return roots.flatMap((r) => invert(atom, r, u, depth, search));
  }
  const context: StrategyContext = { g: h, u, depth, search, numerator, atoms, holding, candidates, invert, polynomialRoots };
  for (const strategy of strategies) {
    const found = strategy.apply(context);
    if (found !== undefined) return found;
  }
  throw cannot(h, u, `${u.name} occurs in ${holding.map((a) => short(a)).join(', ')}, and no strategy applies (${strategies.map((s) => s.name).join(', ')})`);
}

/** The candidates for u where atom(u) = value: the inverse of the atom's operation, then the operand's equation. */
export function invert(atom: Node, value: Node, u: Node, depth: number, search: Search): Candidate[] {
  const positions = atom.args.map((a, i) => (depends(a, u) ? i : -1)).filter((i) => i >= 0);
  const equation = builder.sub(atom, value);
  if (positions.length !== 1) throw cannot(equation, u, `${u.name} occurs in ${positions.length} operands of ${atom.op}`);
  const position = positions[0]!;
  const inverse = inverses[atom.op as PrimitiveName];
  const branches = inverse?.(atom.args, position, value);
  if (branches === undefined) throw cannot(equation, u, `${atom.op} has no inverse here`);
  const arg = atom.args[position]!;
  return branches.flatMap((branch): Candidate[] => {
    if (branch.period === undefined) return candidates(builder.sub(arg, branch.value), u, depth + 1, search);
    // arg = value + k·period for every integer k: a family in u only when arg is linear in u.
    const linear = linearIn(arg, u);
    if (linear === undefined) {
      throw cannot(equation, u, `${short(arg)} = ${short(branch.value)} + k·${short(branch.period)} for every integer k, which is not a periodic family in ${u.name} (${short(arg)} is not linear in ${u.name})`);
    }
    return [{ value: E.div(E.sub(branch.value, linear.intercept), linear.slope), period: E.div(branch.period, linear.slope) }];
  });
}

// Compared by identity: kept in the node table for good.
const zero = pin(constantNode(0));

/** The exact rational value of a polynomial in constant atoms (inexact numbers), if it has one. */
function exactCoefficient(c: Polynomial, atoms: Atoms): Rational | undefined {
  const direct = c.constantValue();
  if (direct !== undefined) return direct;
  const values: Rational[] = [];
  for (const i of c.variables()) {
    const atom = atoms.nodes[i]!;
    if (atom.op !== 'const') return undefined;
    const r = rationalOfDouble(atom.value);
    if (r === undefined) return undefined;
    values[i] = r;
  }
  return c.evaluate(atoms.nodes.map((_, i) => values[i] ?? Rational.ZERO));
}

/**
 * The roots of the numerator as a polynomial in the atom `index`: exact and approximate real
 * roots for rational coefficients (`real-roots.ts`), the formulas of degree 1 and 2 otherwise.
 * Approximate roots are constant nodes, registered with their enclosures in the search.
 */
export function polynomialRoots(numerator: Polynomial, index: number, atoms: Atoms, g: Node, u: Node, search: Search): Node[] {
  const coefficients = numerator.coefficientsIn(index);
  const exact = coefficients.map((c) => exactCoefficient(c, atoms));
  const what = short(g);
  if (exact.every((r) => r !== undefined)) {
    search.trail.push(`real roots of a polynomial of degree ${coefficients.length - 1}`);
    return realRoots(exact as Rational[], what).map((root) => {
      if (root.exact !== undefined) return root.exact;
      const node = constantNode(root.value);
      search.approximations.set(node, root.enclosure);
      return node;
    });
  }
  // Symbolic (or inexact constant) coefficients: roots at 0, then degree 1 or 2.
  let low = 0;
  while (coefficients[low]!.isZero()) low++;
  const rest = coefficients.slice(low).map((c) => polynomialNode(c, atoms));
  const roots: Node[] = low > 0 ? [zero] : [];
  const degree = rest.length - 1;
  if (degree === 1) return [...roots, E.neg(E.div(rest[0]!, rest[1]!))];
  if (degree === 2) return [...roots, ...quadraticFormula(rest[0]!, rest[1]!, rest[2]!)];
  if (degree <= 0) return roots;
  throw cannot(g, u, `a polynomial of degree ${degree} in ${short(atoms.nodes[index]!)} with coefficients that are not rational numbers (${rest.map((c) => short(c)).join(', ')})`);
}

/**
 * The roots of a·u² + b·u + c with symbolic or inexact coefficients. With numeric ones, the
 * stable form q = −(b + sign(b)·√Δ)/2, roots q/a and c/q, which does not cancel; none when
 * Δ < 0 is certain.
 */
function quadraticFormula(c: Node, b: Node, a: Node): Node[] {
  const discriminant = E.sub(E.pow(b, constantNode(2)), E.mul(constantNode(4), E.mul(a, c)));
  const root = E.apply('sqrt', [discriminant]);
  const numericSign = (n: Node): number | undefined => {
    if (topologicalOrder([n]).some((m) => m.op === 'var')) return undefined;
    const value = exactValue(n);
    if (value !== undefined && value.kind !== 'undefined') return exactSign(value);
    const i = evaluateInterval(n, new Map());
    return i.lo > 0 ? 1 : i.hi < 0 ? -1 : undefined;
  };
  const deltaSign = numericSign(discriminant);
  if (deltaSign === -1) return [];
  const bSign = numericSign(b);
  if (bSign === undefined || bSign === 0) {
    const twoA = E.mul(constantNode(2), a);
    return [E.div(E.sub(E.neg(b), root), twoA), E.div(E.add(E.neg(b), root), twoA)];
  }
  const q = E.div(bSign > 0 ? E.neg(E.add(b, root)) : E.sub(root, b), constantNode(2));
  return [E.div(q, a), E.div(c, q)];
}
