/**
 * Solving one equation f = 0 for x. Strategies, tried in this order on the simplified f:
 *
 * 1. polynomial in x: roots at 0 factored out, rational roots by the rational root theorem with
 *    exact synthetic division to lower the degree, then the linear or quadratic formula (exact:
 *    `1 + sqrt(2)`); a polynomial in x^k only is solved in u = x^k; symbolic coefficients
 *    (a·x + b) are solved by the formulas for degrees 1 and 2;
 * 2. product: each factor that holds x (zero-product property); quotient: the numerator;
 * 3. isolation: while one operand holds x, invert the operation (see `isolate.ts`); what is
 *    left where x occurs twice (ln(x·(x − 3)) = c leaves x·(x − 3) = e^c) is solved again;
 * 4. substitution: exponentials e^(k·x + c) become powers of u = e^(g·x), g the gcd of the k
 *    (e^(2x) − 3eˣ + 2 is u² − 3u + 2); else the smallest subexpression s(x) whose replacement by
 *    u removes x (sin²x − sin x is u² − u); then s(x) = u for each root u;
 * 5. clearing denominators that hold x;
 * 6. a square root: c·√A = −R becomes c²·A = R² (squaring may add roots; they are dropped).
 *
 * Every candidate is checked by substitution into the original f; false roots are dropped.
 * Roots are real; the result is sorted by value and free of duplicates. Recursion is over
 * strategies (bounded depth), never over the depth of the expression.
 */
import { builder } from '../build.js';
import { TypegradError } from '../errors.js';
import { constantNode, variableNode, type Node } from '../node.js';
import { primitives, type PrimitiveName } from '../primitives/index.js';
import { toInfix } from '../print.js';
import { substitute } from '../substitute.js';
import { dependsOn, topologicalOrder } from '../traverse.js';
import { productOf, sumOf, sumTerms, termValue } from '../rewrite/views.js';
import { productParts } from './collect.js';
import { exactApply, exactBuilder as E, exactRational, rationalNode } from './exact.js';
import { isolate, peel } from './isolate.js';
import { divideByRoot, evaluateRational, polynomialCoefficients, rationalCoefficients } from './polynomial.js';
import { divisors, gcd, lcm, Rational, splitSquare } from './rational.js';
import { expandNode, simplifyNode } from './simplify.js';

const MAX_DEPTH = 6;

function containing(root: Node, x: Node): Set<Node> {
  return dependsOn(topologicalOrder([root]), new Set([x]));
}

/** How many paths lead from root to x (1 means x occurs once, counting shared nodes as used twice). */
function occurrences(root: Node, x: Node): number {
  const paths = new Map<Node, number>();
  for (const node of topologicalOrder([root])) {
    paths.set(node, node === x ? 1 : node.args.reduce((s, a) => s + paths.get(a)!, 0));
  }
  return paths.get(root)!;
}

function short(node: Node): string {
  const text = toInfix(node);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The real roots of f = 0 in x, verified, sorted and without duplicates. */
export function solveEquation(f: Node, x: Node): Node[] {
  const candidates = candidatesFor(f, x, 0);
  return tidy(candidates.filter((r) => isRoot(f, x, r)));
}

function candidatesFor(f: Node, x: Node, depth: number): Node[] {
  if (depth > MAX_DEPTH) throw new TypegradError(`solve: gave up on ${short(f)} = 0 (strategies nested too deep)`);
  const g = simplifyNode(f);
  const holds = containing(g, x);
  if (!holds.has(g)) {
    if (g.op === 'const' && g.value === 0) throw new TypegradError(`solve: ${short(f)} = 0 holds for every ${x.name} (it simplifies to 0 = 0)`);
    return [];
  }
  const coefficients = polynomialCoefficients(g, x) ?? polynomialCoefficients(expandNode(g), x);
  if (coefficients !== undefined) return polynomialRoots(coefficients, x, depth);
  if (g.op === 'mul') return productFactorsOf(g).filter((h) => holds.has(h)).flatMap((h) => candidatesFor(h, x, depth + 1));
  if (g.op === 'div') return candidatesFor(g.args[0]!, x, depth + 1);
  if (g.op === 'neg') return candidatesFor(g.args[0]!, x, depth + 1);
  if (g.args.filter((a) => holds.has(a)).length === 1) {
    const { solved, residual } = peel(g, constantNode(0), x, holds);
    // Progress means x was isolated, or a function was inverted on the way; moving terms and
    // factors across alone leaves the same equation.
    if (residual.length === 0 || peelsAFunction(g, holds)) {
      return [...solved, ...residual.flatMap((e) => candidatesFor(builder.sub(e.lhs, e.rhs), x, depth + 1))];
    }
  }
  return substitution(g, x, depth) ?? clearDenominators(g, x, depth) ?? squareRadical(g, x, depth) ?? unsolvable(f, x);
}

const ARITHMETIC = new Set(['add', 'sub', 'mul', 'div', 'neg']);

/** Whether the path from g towards x, while one operand holds x, passes a non-arithmetic operation. */
function peelsAFunction(g: Node, holds: ReadonlySet<Node>): boolean {
  let node = g;
  for (;;) {
    const holding = node.args.filter((a) => holds.has(a));
    if (holding.length !== 1) return false;
    if (!ARITHMETIC.has(node.op)) return true;
    node = holding[0]!;
  }
}

function productFactorsOf(g: Node): Node[] {
  const factors: Node[] = [];
  const stack = [g];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.op === 'mul') stack.push(...n.args);
    else if (n.op === 'pow' && n.args[1]!.op === 'const' && n.args[1]!.value > 0) stack.push(n.args[0]!);
    else factors.push(n);
  }
  return factors;
}

function unsolvable(f: Node, x: Node): never {
  throw new TypegradError(
    `solve: cannot solve ${short(f)} = 0 for ${x.name}: ${x.name} occurs ${occurrences(f, x)} times and no strategy applies (polynomial, product, isolation, substitution, denominators, square roots)`,
  );
}

// ---- 1. polynomials --------------------------------------------------------------------------

function polynomialRoots(coefficients: Node[], x: Node, depth: number): Node[] {
  const rational = rationalCoefficients(coefficients);
  if (rational !== undefined) return rationalPolynomialRoots(rational, x, depth);
  const degree = coefficients.length - 1;
  const [c0, c1, c2] = coefficients as [Node, Node, Node];
  if (degree === 1) return [E.neg(E.div(c0, c1))];
  if (degree === 2) {
    // (−b ± √(b² − 4ac)) / 2a, with the coefficients as they are (symbolic or inexact).
    const root = E.apply('sqrt', [E.sub(E.pow(c1, constantNode(2)), E.mul(constantNode(4), E.mul(c2, c0)))]);
    const twoA = E.mul(constantNode(2), c2);
    return [E.div(E.sub(E.neg(c1), root), twoA), E.div(E.add(E.neg(c1), root), twoA)];
  }
  throw new TypegradError(`solve: cannot solve a polynomial of degree ${degree} in ${x.name} with non-rational coefficients exactly`);
}

function rationalPolynomialRoots(p: Rational[], x: Node, depth: number): Node[] {
  const roots: Node[] = [];
  // Roots at 0: the lowest coefficients are 0.
  let low = 0;
  while (low < p.length - 1 && p[low]!.isZero()) low++;
  if (low > 0) roots.push(constantNode(0));
  let q = p.slice(low);
  while (q.length > 3) {
    const r = rationalRoot(q);
    if (r === undefined) break;
    roots.push(rationalNode(r));
    q = divideByRoot(q, r);
  }
  const degree = q.length - 1;
  if (degree === 1) roots.push(rationalNode(q[0]!.neg().div(q[1]!)));
  else if (degree === 2) roots.push(...quadraticRoots(q[2]!, q[1]!, q[0]!));
  else if (degree > 2) roots.push(...powerSubstitution(q, x, depth));
  return roots;
}

/** A rational root of an integer-scaled polynomial by the rational root theorem, if any. */
function rationalRoot(p: readonly Rational[]): Rational | undefined {
  const scale = p.reduce((m, c) => lcm(m, c.den), 1n);
  const integers = p.map((c) => (c.num * scale) / c.den);
  const constants = divisors(integers[0]!);
  const leading = divisors(integers[integers.length - 1]!);
  if (constants === undefined || leading === undefined) return undefined;
  for (const a of constants) {
    for (const b of leading) {
      for (const candidate of [Rational.of(a, b), Rational.of(-a, b)]) {
        if (evaluateRational(p, candidate).isZero()) return candidate;
      }
    }
  }
  return undefined;
}

/** Exact real roots of a·x² + b·x + c (none when the discriminant is negative). */
function quadraticRoots(a: Rational, b: Rational, c: Rational): Node[] {
  const discriminant = b.mul(b).sub(Rational.of(4).mul(a).mul(c));
  const center = b.neg().div(a.mul(Rational.of(2)));
  if (discriminant.sign() < 0) return [];
  if (discriminant.isZero()) return [rationalNode(center)];
  // √(n/d) = √(n·d)/d = s·√k/d, so the roots are center ± (s / (2a·d))·√k.
  const [s, k] = splitSquare(discriminant.num * discriminant.den);
  const scale = Rational.of(s).div(a.mul(Rational.of(2)).mul(Rational.of(discriminant.den)));
  const magnitude = scale.sign() < 0 ? scale.neg() : scale;
  const offset = k === 1n ? rationalNode(magnitude) : E.mul(rationalNode(magnitude), exactApply('sqrt', [constantNode(Number(k))]));
  return [E.sub(rationalNode(center), offset), E.add(rationalNode(center), offset)];
}

/** A polynomial in x^k only (x⁴ − 5x² + 4) is solved in u = x^k, then x^k = u. */
function powerSubstitution(p: readonly Rational[], x: Node, depth: number): Node[] {
  let k = 0n;
  p.forEach((c, i) => {
    if (!c.isZero() && i > 0) k = gcd(k, BigInt(i));
  });
  if (k <= 1n) throw new TypegradError(`solve: cannot solve a polynomial of degree ${p.length - 1} in ${x.name} exactly: it has no rational roots left`);
  const u = freshVariable(depth);
  const reduced = p.filter((_, i) => i % Number(k) === 0);
  const inU = sumOf(reduced.map((c, i) => E.mul(rationalNode(c), E.pow(u, constantNode(i)))));
  const power = builder.pow(x, constantNode(Number(k)));
  // x^k = root by isolation (±root^(1/k)), not by solving x^k − root as a polynomial again.
  return candidatesFor(inU, u, depth + 1).flatMap((root) => isolate(power, root, x, new Set([power, x])));
}

function freshVariable(depth: number): Node {
  return variableNode(`__solve_u${depth}`);
}

// ---- 4. substitution ---------------------------------------------------------------------------

function substitution(g: Node, x: Node, depth: number): Node[] | undefined {
  const u = freshVariable(depth);
  const exponential = exponentialSubstitution(g, x, u);
  const tries: { inU: Node; back: Node }[] = exponential === undefined ? [] : [exponential];
  const holds = containing(g, x);
  for (const s of topologicalOrder([g])) {
    if (s === x || s === g || !holds.has(s) || s.op === 'add' || s.op === 'sub' || s.op === 'mul' || s.op === 'neg') continue;
    const inU = substitute(g, new Map([[s, u]]));
    if (!containing(inU, x).has(inU)) tries.push({ inU, back: s });
  }
  for (const { inU, back } of tries) {
    let roots: Node[];
    try {
      roots = candidatesFor(inU, u, depth + 1);
    } catch (error) {
      if (error instanceof TypegradError) continue;
      throw error;
    }
    return roots.flatMap((root) => {
      try {
        return candidatesFor(builder.sub(back, root), x, depth + 1);
      } catch (error) {
        if (error instanceof TypegradError) return [];
        throw error;
      }
    });
  }
  return undefined;
}

/** e^(k·x + c) for rational k as u^(k/g)·e^c with u = e^(g·x); `undefined` unless that removes x. */
function exponentialSubstitution(g: Node, x: Node, u: Node): { inU: Node; back: Node } | undefined {
  const holds = containing(g, x);
  const linear = new Map<Node, { k: Rational; c: Node }>();
  for (const node of topologicalOrder([g])) {
    if (node.op !== 'exp' || !holds.has(node)) continue;
    const coefficients = polynomialCoefficients(node.args[0]!, x);
    const k = coefficients?.length === 2 ? exactRational(coefficients[1]!) : undefined;
    if (k === undefined || k.isZero()) return undefined;
    linear.set(node, { k, c: coefficients![0]! });
  }
  if (linear.size === 0) return undefined;
  let step: Rational | undefined;
  for (const { k } of linear.values()) step = step === undefined ? k : rationalGcd(step, k);
  const replacements = new Map<Node, Node>();
  for (const [node, { k, c }] of linear) {
    const power = builder.pow(u, rationalNode(k.div(step!)));
    replacements.set(node, c.op === 'const' && c.value === 0 ? power : builder.mul(builder.apply('exp', [c]), power));
  }
  const inU = substitute(g, replacements);
  if (containing(inU, x).has(inU)) return undefined;
  return { inU, back: builder.apply('exp', [builder.mul(rationalNode(step!), x)]) };
}

function rationalGcd(a: Rational, b: Rational): Rational {
  return Rational.of(gcd(a.num * b.den, b.num * a.den), a.den * b.den);
}

// ---- 5. denominators ---------------------------------------------------------------------------

function clearDenominators(g: Node, x: Node, depth: number): Node[] | undefined {
  const denominators = new Set<Node>();
  for (const term of sumTerms(g)) {
    const { denominator } = productParts(term.node);
    for (const d of productFactorsOf(denominator)) if (containing(d, x).has(d)) denominators.add(d);
  }
  if (denominators.size === 0) return undefined;
  const multiplier = productOf([...denominators]);
  const cleared = expandNode(sumOf(sumTerms(g).map((t) => builder.mul(termValue(t), multiplier))));
  return candidatesFor(cleared, x, depth + 1);
}

// ---- 6. square roots ---------------------------------------------------------------------------

function squareRadical(g: Node, x: Node, depth: number): Node[] | undefined {
  const terms = sumTerms(g).map(termValue);
  const radicalTerms = terms.filter((t) => topologicalOrder([t]).some((n) => n.op === 'sqrt' && containing(n, x).has(n)));
  if (radicalTerms.length !== 1) return undefined;
  const radical = radicalTerms[0]!;
  const rest = sumOf(terms.filter((t) => t !== radical));
  const squared = builder.sub(builder.pow(radical, constantNode(2)), builder.pow(rest, constantNode(2)));
  return candidatesFor(expandNode(simplifyNode(squared)), x, depth + 1);
}

// ---- checking and tidying ----------------------------------------------------------------------

/** Points for the other variables when a root is symbolic (a·x + b = 0 gives −b/a). */
const SAMPLES = [0.7318, 1.4142, 2.2361];

function valuesAt(root: Node, environment: ReadonlyMap<string, number>): { value: number; scale: number } {
  const values = new Map<Node, number>();
  let scale = 1;
  for (const node of topologicalOrder([root])) {
    let v: number;
    if (node.op === 'const') v = node.value;
    else if (node.op === 'var') v = environment.get(node.name) ?? NaN;
    else v = primitives[node.op as PrimitiveName].evaluate(...node.args.map((a) => values.get(a)!));
    values.set(node, v);
    if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  }
  return { value: values.get(root)!, scale };
}

function parametersOf(nodes: readonly Node[], x: Node): string[] {
  const names = new Set<string>();
  for (const n of topologicalOrder(nodes)) if (n.op === 'var' && n !== x) names.add(n.name);
  return [...names].sort();
}

/** Whether f(candidate) = 0: at the root itself, or for symbolic roots at sample values of the other variables. */
function isRoot(f: Node, x: Node, candidate: Node): boolean {
  const parameters = parametersOf([f, candidate], x);
  const samples = parameters.length === 0 ? [new Map<string, number>()] : SAMPLES.map((s, i) => new Map(parameters.map((p, j) => [p, s + 0.37 * ((i + j) % 3)])));
  let passed = false;
  for (const environment of samples) {
    const root = valuesAt(candidate, environment).value;
    if (!Number.isFinite(root)) continue;
    const { value, scale } = valuesAt(f, new Map([...environment, [x.name, root]]));
    if (!Number.isFinite(value)) continue;
    if (Math.abs(value) > 1e-9 * scale) return false;
    passed = true;
  }
  return passed;
}

/** Sorted by value (numeric roots) and without duplicates, symbolic roots simplified. */
function tidy(roots: Node[]): Node[] {
  const numeric: { node: Node; value: number }[] = [];
  const symbolic: Node[] = [];
  for (const r of roots) {
    if (parametersOf([r], variableNode('__none')).length === 0) numeric.push({ node: r, value: valuesAt(r, new Map()).value });
    else {
      const s = simplifyNode(r);
      if (!symbolic.includes(s)) symbolic.push(s);
    }
  }
  numeric.sort((a, b) => a.value - b.value);
  const unique: { node: Node; value: number }[] = [];
  for (const r of numeric) {
    const last = unique[unique.length - 1];
    if (last !== undefined && Math.abs(last.value - r.value) <= 1e-12 * Math.max(1, Math.abs(r.value))) continue;
    unique.push(r);
  }
  return [...unique.map((r) => r.node), ...symbolic];
}

