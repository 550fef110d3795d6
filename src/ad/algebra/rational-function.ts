/**
 * The rational-function view of an expression: numerator and denominator as polynomials with
 * exact rational coefficients over its atoms (variables, and every subexpression that is not
 * +, −, ·, / or an integer power: sin(x), √x, eˣ, 2ˣ, and constants that are not small
 * fractions such as 1e-26). On this view:
 *
 * - `cancel`: p/q with the common factors removed by the polynomial gcd, p and q expanded, q
 *   with integer coefficients whose gcd is 1 and a positive leading coefficient (SymPy's cancel);
 * - `together`: one fraction over the least common multiple of the denominators, which stay
 *   factored; factors that divide the numerator exactly are removed (SymPy's together).
 *
 * Both keep the value wherever the input is defined; cancelling may extend the domain
 * ((x² − 1)/(x − 1) is x + 1, also at 1). Atoms are processed the same way inside
 * (cancel(sin((x² − 1)/(x − 1))) is sin(x + 1)), in one loop over the DAG.
 */
import { builder, rebuild } from '../build.js';
import { TypegradError } from '../errors.js';
import { constantNode, type Node } from '../node.js';
import { toInfix } from '../print.js';
import { productOf, sumOf } from '../rewrite/views.js';
import { topologicalOrder } from '../traverse.js';
import { scaled } from './coefficient.js';
import { exactRational, rationalNode } from './exact.js';
import { Budget, BudgetExceeded, DEFAULT_BUDGET, gcdPolynomials, Polynomial, type Exponents } from './multivariate.js';
import { Rational } from './rational.js';

/** The largest integer power multiplied out; a larger one is an atom. */
export const MAX_POWER = 64;

/** The atoms of a rational-function view, numbered in the order met. */
export class Atoms {
  readonly nodes: Node[] = [];
  readonly #index = new Map<Node, number>();

  indexOf(node: Node): number {
    let i = this.#index.get(node);
    if (i === undefined) {
      i = this.nodes.length;
      this.nodes.push(node);
      this.#index.set(node, i);
    }
    return i;
  }

  has(node: Node): boolean {
    return this.#index.has(node);
  }
}

/** numerator / denominator, the denominator never zero. */
export interface RationalFunction {
  readonly numerator: Polynomial;
  readonly denominator: Polynomial;
}

const ARITHMETIC = new Set(['add', 'sub', 'neg', 'mul', 'div', 'pow', 'const']);

/** Whether `node` is an operation of the rational view (+, −, ·, /, an integer power, a number). */
export function isArithmetic(node: Node): boolean {
  if (!ARITHMETIC.has(node.op) || node.shape.length !== 0) return false;
  if (node.op !== 'pow') return true;
  const n = node.args[1]!;
  return n.op === 'const' && Number.isInteger(n.value) && Math.abs(n.value) <= MAX_POWER;
}

/** A constant as a coefficient times an atom: exact small fractions are coefficients, other numbers atoms (of their magnitude). */
function constantView(node: Node, atoms: Atoms): RationalFunction {
  const exact = exactRational(node);
  if (exact !== undefined) return { numerator: Polynomial.constant(exact), denominator: Polynomial.ONE };
  const magnitude = Math.abs(node.value);
  const atom = Polynomial.variable(atoms.indexOf(magnitude === node.value || Number.isNaN(magnitude) ? node : constantNode(magnitude)));
  return { numerator: node.value < 0 ? atom.neg() : atom, denominator: Polynomial.ONE };
}

function atomView(node: Node, atoms: Atoms): RationalFunction {
  return { numerator: Polynomial.variable(atoms.indexOf(node)), denominator: Polynomial.ONE };
}

/** a/b + c/d over lcm(b, d). */
function addRational(a: RationalFunction, c: RationalFunction, budget: Budget): RationalFunction {
  if (a.denominator.equals(c.denominator)) return { numerator: a.numerator.add(c.numerator, budget), denominator: a.denominator };
  const b = a.denominator, d = c.denominator;
  if (b.isConstant() || d.isConstant()) {
    return { numerator: a.numerator.mul(d, budget).add(c.numerator.mul(b, budget), budget), denominator: b.mul(d, budget) };
  }
  const g = gcdPolynomials(b, d, budget);
  const bOverG = b.divideExactly(g, budget)!, dOverG = d.divideExactly(g, budget)!;
  return { numerator: a.numerator.mul(dOverG, budget).add(c.numerator.mul(bOverG, budget), budget), denominator: b.mul(dOverG, budget) };
}

function mulRational(a: RationalFunction, c: RationalFunction, budget: Budget): RationalFunction {
  return { numerator: a.numerator.mul(c.numerator, budget), denominator: a.denominator.mul(c.denominator, budget) };
}

function invert(a: RationalFunction): RationalFunction {
  return { numerator: a.denominator, denominator: a.numerator };
}

function short(node: Node): string {
  const text = toInfix(node);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * The arithmetic part of the expression at `root`: it and, through arithmetic nodes only, their
 * operands (atoms are its leaves), operands first.
 */
export function partOrder(root: Node): Node[] {
  const seen = new Set<Node>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (isArithmetic(node)) for (const a of node.args) if (!seen.has(a)) stack.push(a);
  }
  return [...seen].sort((a, b) => a.id - b.id);
}

/**
 * The rational view of each node in `order` (arguments first) for which `isArithmetic` holds;
 * any other node is an atom, given by `atomOf` (the node itself, or a rebuilt one).
 */
function viewOf(root: Node, atoms: Atoms, budget: Budget, atomOf: (node: Node) => Node, views = new Map<Node, RationalFunction>()): RationalFunction {
  for (const node of partOrder(root)) {
    if (views.has(node)) continue;
    views.set(node, viewOfNode(node, atoms, budget, atomOf, views));
  }
  return views.get(root)!;
}

function viewOfNode(node: Node, atoms: Atoms, budget: Budget, atomOf: (node: Node) => Node, views: Map<Node, RationalFunction>): RationalFunction {
  if (node.op === 'const' && !Number.isFinite(node.value)) throw new NotFinite(`the constant ${node.value} is not a real number`);
  if (node.op === 'const') return constantView(node, atoms);
  if (!isArithmetic(node)) return atomView(atomOf(node), atoms);
  const [a, c] = node.args.map((arg) => views.get(arg)!);
  // A division by something identically 0 is not a rational function: it stays as it is, an atom.
  if ((node.op === 'div' && c!.numerator.isZero()) || (node.op === 'pow' && node.args[1]!.value < 0 && a!.numerator.isZero())) return atomView(node, atoms);
  switch (node.op) {
    case 'add':
      return addRational(a!, c!, budget);
    case 'sub':
      return addRational(a!, { numerator: c!.numerator.neg(), denominator: c!.denominator }, budget);
    case 'neg':
      return { numerator: a!.numerator.neg(), denominator: a!.denominator };
    case 'mul':
      return mulRational(a!, c!, budget);
    case 'div':
      return mulRational(a!, invert(c!), budget);
    case 'pow': {
      const n = node.args[1]!.value;
      const base = n < 0 ? invert(a!) : a!;
      return { numerator: base.numerator.pow(Math.abs(n), budget), denominator: base.denominator.pow(Math.abs(n), budget) };
    }
    default:
      throw new TypegradError(`rational view: unexpected operation ${node.op}`);
  }
}

/** Thrown for a part with an infinite or NaN constant, where algebra on the reals does not apply (∞ − ∞). */
export class NotFinite extends TypegradError {}

/** The rational view of `root` with every atom kept as it is. */
export function rationalView(root: Node, atoms: Atoms, budget = new Budget(DEFAULT_BUDGET, 'rational view')): RationalFunction {
  return viewOf(root, atoms, budget, (n) => n);
}

/**
 * p/q with gcd(p, q) = 1, q normalized (integer coefficients with gcd 1, positive leading
 * coefficient; 1 when constant).
 */
export function cancelRational(f: RationalFunction, budget: Budget): RationalFunction {
  let { numerator, denominator } = f;
  if (numerator.isZero()) return { numerator, denominator: Polynomial.ONE };
  const constant = denominator.constantValue();
  if (constant !== undefined) return { numerator: numerator.scale(Rational.ONE.div(constant)), denominator: Polynomial.ONE };
  const g = gcdPolynomials(numerator, denominator, budget);
  if (!g.equals(Polynomial.ONE)) {
    numerator = numerator.divideExactly(g, budget)!;
    denominator = denominator.divideExactly(g, budget)!;
  }
  const { factor, polynomial } = denominator.normalized();
  if (polynomial.isConstant()) return { numerator: numerator.scale(Rational.ONE.div(factor.mul(polynomial.constantValue()!))), denominator: Polynomial.ONE };
  return { numerator: numerator.scale(Rational.ONE.div(factor)), denominator: polynomial };
}

// ---- back to nodes -----------------------------------------------------------------------------

/** Whether every coefficient is exactly representable as doubles (numerator and denominator safe integers). */
export function representable(p: Polynomial): boolean {
  for (const t of p.terms.values()) {
    const { num, den } = t.coefficient;
    if (num > BigInt(Number.MAX_SAFE_INTEGER) || -num > BigInt(Number.MAX_SAFE_INTEGER) || den > BigInt(Number.MAX_SAFE_INTEGER)) return false;
  }
  return true;
}

/** Thrown when a coefficient is too large to be written exactly with doubles. */
export class Unrepresentable extends TypegradError {}

/** The monomial node of `exponents`: atoms in creation order, each to its power. */
export function monomialNode(exponents: Exponents, atoms: Atoms): Node {
  const factors = exponents
    .map((e, i) => [atoms.nodes[i]!, e] as const)
    .filter(([, e]) => e > 0)
    .sort(([a], [b]) => a.id - b.id);
  // Right-nested (x·(y·z)), like `productOf`: the atoms are older than the products, so the
  // smart constructors keep them in this order.
  return productOf(factors.map(([atom, e]) => builder.pow(atom, constantNode(e))));
}

/** Total degree, then the powers of the atoms in creation order: a canonical order of the terms. */
function sortTerms<T extends { readonly exponents: Exponents }>(terms: T[], atoms: Atoms): T[] {
  const order = atoms.nodes.map((n, i) => [n.id, i] as const).sort(([a], [b]) => a - b).map(([, i]) => i);
  const keyed = terms.map((t) => ({ t, degree: t.exponents.reduce((s, x) => s + x, 0) }));
  keyed.sort((p, q) => {
    if (p.degree !== q.degree) return p.degree - q.degree;
    for (const i of order) {
      const diff = (q.t.exponents[i] ?? 0) - (p.t.exponents[i] ?? 0);
      if (diff !== 0) return diff;
    }
    return 0;
  });
  return keyed.map((k) => k.t);
}

/**
 * The polynomial as a sum of terms by degree, constant first; the terms with a negative
 * coefficient come after the others and are subtracted, so that a sum prints `1 + x ^ 2 - 2 * x`
 * and not `x ^ 2 + (1 - 2 * x)` (the smart constructors order the operands of + by creation,
 * so the positive terms are summed right-nested, after the terms exist, like `sumOf`).
 * Throws `Unrepresentable` for a coefficient that doubles cannot hold exactly.
 */
export function polynomialNode(p: Polynomial, atoms: Atoms): Node {
  if (!representable(p)) throw new Unrepresentable(`a coefficient of ${p.terms.size} term(s) exceeds 2^53 and cannot be written exactly`);
  const terms = sortTerms([...p.terms.values()], atoms);
  const positive = terms.filter((t) => t.coefficient.sign() > 0);
  const negative = terms.filter((t) => t.coefficient.sign() < 0);
  let sum: Node | undefined = positive.length === 0 ? undefined : sumOf(positive.map((t) => scaled(t.coefficient, monomialNode(t.exponents, atoms))));
  for (const t of negative) {
    const term = scaled(t.coefficient.neg(), monomialNode(t.exponents, atoms));
    sum = sum === undefined ? builder.neg(term) : builder.sub(sum, term);
  }
  return sum ?? constantNode(0);
}

/** numerator / denominator as a node (the denominator left out when it is 1). */
export function rationalFunctionNode(f: RationalFunction, atoms: Atoms): Node {
  const top = polynomialNode(f.numerator, atoms);
  return f.denominator.equals(Polynomial.ONE) ? top : builder.div(top, polynomialNode(f.denominator, atoms));
}

// ---- cancel and together -----------------------------------------------------------------------

/**
 * Runs `normalForm` on every maximal arithmetic part of `root`, atoms' arguments included, in one
 * loop over the DAG: each atom is rebuilt over its arguments' normal forms.
 */
function normalizeParts(root: Node, normalForm: (root: Node, atoms: Atoms, atomOf: (n: Node) => Node) => Node): Node {
  const image = new Map<Node, Node>();
  const order = topologicalOrder([root]);
  const usedAsOperand = new Set<Node>();
  for (const node of order) if (!isArithmetic(node)) for (const a of node.args) usedAsOperand.add(a);
  const atomOf = (n: Node) => image.get(n) ?? n;
  for (const node of order) {
    if (node.args.length === 0) image.set(node, node);
    else if (!isArithmetic(node)) image.set(node, rebuild(node, node.args.map((a) => image.get(a)!)));
    else if (usedAsOperand.has(node) || node === root) image.set(node, normalFormOrKept(node, normalForm, atomOf, image));
  }
  return image.get(root)!;
}

/** The part's normal form; a part with ∞ or NaN stays as it is (over its atoms' normal forms), since ∞ − ∞ is not 0. */
function normalFormOrKept(part: Node, normalForm: (root: Node, atoms: Atoms, atomOf: (n: Node) => Node) => Node, atomOf: (n: Node) => Node, image: Map<Node, Node>): Node {
  try {
    return normalForm(part, new Atoms(), atomOf);
  } catch (error) {
    if (!(error instanceof NotFinite)) throw error;
    const kept = new Map<Node, Node>();
    for (const node of partOrder(part)) kept.set(node, node.args.length === 0 ? node : !isArithmetic(node) ? atomOf(node) : rebuild(node, node.args.map((a) => kept.get(a) ?? image.get(a) ?? a)));
    return kept.get(part)!;
  }
}

/**
 * `cancel`: the expression as p/q with common factors cancelled (see the module comment).
 * Throws a TypegradError past `budget` term operations or when a coefficient exceeds 2^53.
 */
export function cancelNode(root: Node, budgetLimit = DEFAULT_BUDGET): Node {
  const budget = new Budget(budgetLimit, `cancel(${short(root)})`);
  return untilStable(root, (node) => normalizeParts(node, (part, atoms, atomOf) => rationalFunctionNode(cancelRational(viewOf(part, atoms, budget, atomOf), budget), atoms)));
}

/**
 * `step` repeated until the node stops changing (at most three times): writing a form back can
 * fold a part of it ((√2)² is built as 2), which the next pass combines with the rest.
 */
function untilStable(root: Node, step: (node: Node) => Node): Node {
  let current = root;
  for (let round = 0; round < 3; round++) {
    const next = step(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** A product kept as factors: normalized polynomials with their multiplicities. */
type Factors = { polynomial: Polynomial; power: number }[];

/** scale · Π numerator / Π denominator, each side as factors. */
interface Fraction {
  readonly scale: Rational;
  readonly numerator: Factors;
  readonly denominator: Factors;
}

function mergeFactors(a: Factors, b: Factors, combine: (p: number, q: number) => number): Factors {
  const result: Factors = a.map((f) => ({ ...f }));
  for (const f of b) {
    const same = result.find((r) => r.polynomial.equals(f.polynomial));
    if (same === undefined) result.push({ ...f, power: combine(0, f.power) });
    else same.power = combine(same.power, f.power);
  }
  return result.filter((f) => f.power > 0);
}

function productOfFactors(factors: Factors, budget: Budget): Polynomial {
  return factors.reduce((p, f) => p.mul(f.polynomial.pow(f.power, budget), budget), Polynomial.ONE);
}

/** A polynomial as a fraction: its rational factor and, unless constant, itself normalized. */
function fractionOfPolynomial(p: Polynomial): Fraction {
  if (p.isZero()) return { scale: Rational.ZERO, numerator: [], denominator: [] };
  const { factor, polynomial } = p.normalized();
  const constant = polynomial.constantValue();
  if (constant !== undefined) return { scale: factor.mul(constant), numerator: [], denominator: [] };
  return { scale: factor, numerator: [{ polynomial, power: 1 }], denominator: [] };
}

function powerOf(f: Factors, k: number): Factors {
  return f.map((x) => ({ ...x, power: x.power * k }));
}

/** The fraction view used by `together`: products and quotients keep their factors, sums are expanded over the lcm. */
function fractionOf(root: Node, atoms: Atoms, budget: Budget, atomOf: (n: Node) => Node): Fraction {
  const fractions = new Map<Node, Fraction>();
  for (const node of partOrder(root)) {
    if (fractions.has(node)) continue;
    let fraction: Fraction;
    const [a, c] = node.args.map((arg) => fractions.get(arg));
    if (node.op === 'const' && !Number.isFinite(node.value)) throw new NotFinite(`the constant ${node.value} is not a real number`);
    const byZero = (node.op === 'div' && c?.scale.isZero() === true) || (node.op === 'pow' && node.args[1]!.value < 0 && a?.scale.isZero() === true);
    if (node.op === 'const' || !isArithmetic(node) || byZero) {
      // A division by something identically 0 stays as it is, an atom.
      fraction = fractionOfPolynomial((node.op === 'const' ? constantView(node, atoms) : atomView(byZero ? node : atomOf(node), atoms)).numerator);
    } else {
      switch (node.op) {
        case 'add':
        case 'sub': {
          if (a!.scale.isZero() || c!.scale.isZero()) {
            const kept = a!.scale.isZero() ? c! : a!;
            fraction = node.op === 'sub' && a!.scale.isZero() ? { ...kept, scale: kept.scale.neg() } : kept;
            break;
          }
          const denominator = mergeFactors(a!.denominator, c!.denominator, Math.max);
          const over = (f: Fraction) => productOfFactors([...f.numerator, ...mergeFactors(denominator, f.denominator, (p, q) => p - q)], budget).scale(f.scale);
          const sum = over(a!)[node.op](over(c!), budget);
          const top = fractionOfPolynomial(sum);
          fraction = { ...top, denominator: top.scale.isZero() ? [] : denominator };
          break;
        }
        case 'neg':
          fraction = { ...a!, scale: a!.scale.neg() };
          break;
        case 'mul':
          fraction = {
            scale: a!.scale.mul(c!.scale),
            numerator: mergeFactors(a!.numerator, c!.numerator, (p, q) => p + q),
            denominator: mergeFactors(a!.denominator, c!.denominator, (p, q) => p + q),
          };
          break;
        case 'div': {
          fraction = {
            scale: a!.scale.div(c!.scale),
            numerator: mergeFactors(a!.numerator, c!.denominator, (p, q) => p + q),
            denominator: mergeFactors(a!.denominator, c!.numerator, (p, q) => p + q),
          };
          break;
        }
        case 'pow': {
          const n = node.args[1]!.value;
          const k = Math.abs(n);
          const powered = { scale: a!.scale.pow(k), numerator: powerOf(a!.numerator, k), denominator: powerOf(a!.denominator, k) };
          fraction = n >= 0 ? powered : { scale: Rational.ONE.div(powered.scale), numerator: powered.denominator, denominator: powered.numerator };
          break;
        }
        default:
          throw new TypegradError(`together: unexpected operation ${node.op}`);
      }
    }
    fractions.set(node, fraction);
  }
  const result = fractions.get(root)!;
  if (result.scale.isZero()) return result;
  // Equal factors above and below cancel, and so do factors below that divide a factor above
  // exactly (x·y/x is y), without a gcd.
  let scale = result.scale;
  const numerator = mergeFactors(result.numerator, result.denominator, (p, q) => p - q);
  const denominator: Factors = [];
  for (const f of mergeFactors(result.denominator, result.numerator, (p, q) => p - q)) {
    let power = f.power;
    for (const top of numerator) {
      while (power > 0 && top.power === 1 && !top.polynomial.isConstant()) {
        const quotient = top.polynomial.divideExactly(f.polynomial, budget);
        if (quotient === undefined) break;
        const { factor, polynomial } = quotient.normalized();
        scale = scale.mul(factor);
        top.polynomial = polynomial;
        power--;
      }
    }
    if (power > 0) denominator.push({ polynomial: f.polynomial, power });
  }
  return { scale, numerator: numerator.filter((t) => !t.polynomial.isConstant()), denominator };
}

/**
 * `together`: the expression as one fraction (see the module comment). Throws a TypegradError
 * past `budget` term operations or when a coefficient exceeds 2^53.
 */
export function togetherNode(root: Node, budgetLimit = DEFAULT_BUDGET): Node {
  const budget = new Budget(budgetLimit, `together(${short(root)})`);
  return untilStable(root, (node) => normalizeParts(node, (part, atoms, atomOf) => {
    const { scale, numerator, denominator } = fractionOf(part, atoms, budget, atomOf);
    if (scale.isZero()) return constantNode(0);
    const byDegree = (f: Factors) => [...f].sort((a, b) => a.polynomial.totalDegree() - b.polynomial.totalDegree());
    const product = (f: Factors, c: Rational) => {
      // One factor above takes the scale into its coefficients: (2 + x)/…, not 1·(2 + x).
      if (f.length === 1 && f[0]!.power === 1) return polynomialNode(f[0]!.polynomial.scale(c), atoms);
      const factors = byDegree(f).map((x) => builder.pow(polynomialNode(x.polynomial, atoms), constantNode(x.power)));
      return builder.mul(rationalNode(c), productOf(factors));
    };
    const top = product(numerator, scale);
    return denominator.length === 0 ? top : builder.div(top, product(denominator, Rational.ONE));
  }));
}

export { BudgetExceeded };
