/**
 * The strategies of `solve` for an equation that holds the unknown u in several atoms. Each
 * looks at the atoms; when they are of its kind it rewrites the equation into one with fewer
 * (or simpler) atoms and solves that, and otherwise says it does not apply (`undefined`). Once a
 * strategy applies, its failures are errors: nothing is swallowed.
 *
 * - absolute values: one equation per choice of sign for each |A| (at most 4, so 16 cases);
 * - sin, cos, tan of integer multiples of one argument t linear in u: a polynomial P(s, c) in
 *   s = sin t and c = cos t, reduced with s² + c² = 1 to A(s) + c·B(s); then A(s) = 0 when
 *   B = 0, the same in c, or A² = (1 − s²)B² (checked afterwards); sinh, cosh, tanh likewise
 *   with c² − s² = 1;
 * - exponentials b^(k·u + c) of one base (e, or rationals that are powers of one root, 4 = 2²)
 *   with rational k: a rational equation in U = b^(g·u), g the gcd of the k (hyperbolic
 *   functions of u count as exponentials when mixed with them);
 * - logarithms: Σ cᵢ·ln Aᵢ + c₀ = 0 with rational cᵢ becomes Π Aᵢ^(nᵢ) = e^(−L·c₀), L the
 *   common denominator (false roots, where some Aᵢ ≤ 0, are dropped by the domain check);
 * - square and cube roots: with r = √A, the equation P + Q·r = 0 becomes P² − Q²·A = 0, one
 *   root fewer each time (for ∛A the norm p₀³ + p₁³A + p₂³A² − 3p₀p₁p₂A).
 */
import { builder } from '../build.js';
import { constantNode, uniqueVariableNode, type Node } from '../node.js';
import { substitute } from '../substitute.js';
import { topologicalOrder } from '../traverse.js';
import { sumOf } from '../rewrite/views.js';
import { exactBuilder as E, exactRational, rationalNode } from './exact.js';
import { exactSign, exactValue } from './exact-value.js';
import { Budget, DEFAULT_BUDGET, Polynomial } from './multivariate.js';
import { Atoms, cancelRational, polynomialNode, rationalView } from './rational-function.js';
import { gcd, lcm, perfectPowerRoot, Rational } from './rational.js';
import { simplifyNode } from './simplify.js';
import {
  cannot, depends, IdentityFound, linearIn, short, type Candidate, type Strategy,
} from './solve-support.js';

const c = constantNode;

/** The largest multiple of an angle expanded (sin 12t is a polynomial of degree 12). */
const MAX_MULTIPLE = 12;
/** The most absolute values split into cases (2^4 = 16 equations). */
const MAX_ABSOLUTE_VALUES = 4;

// ---- absolute values ---------------------------------------------------------------------------

const absoluteValues: Strategy = (context) => {
  const { g, u, depth, search } = context;
  const values = topologicalOrder([g]).filter((n) => n.op === 'abs' && depends(n, u));
  if (values.length === 0) return undefined;
  if (values.length > MAX_ABSOLUTE_VALUES) throw cannot(g, u, `it has ${values.length} absolute values of ${u.name}; at most ${MAX_ABSOLUTE_VALUES} are split into cases`);
  search.trail.push('absolute values by cases');
  const found: Candidate[] = [];
  for (let signs = 0; signs < 1 << values.length; signs++) {
    const replacements = new Map(values.map((v, i) => [v, signs & (1 << i) ? builder.neg(v.args[0]!) : v.args[0]!] as const));
    const caseEquation = substitute(g, replacements);
    try {
      found.push(...context.candidates(caseEquation, u, depth + 1, search));
    } catch (error) {
      if (!(error instanceof IdentityFound)) throw error;
      const description = values.map((v, i) => `${short(v.args[0]!)} ${signs & (1 << i) ? '≤' : '≥'} 0`).join(' and ');
      throw cannot(g, u, `where ${description}, it holds for every ${u.name} (a range of solutions; solve lists isolated roots and periodic families only)`);
    }
  }
  return found;
};

// ---- sin, cos, tan and sinh, cosh, tanh --------------------------------------------------------

/** One argument t and integer multiples with argᵢ = nᵢ·t, when the arguments are rational multiples of each other. */
function commonArgument(args: readonly Node[], u: Node): { t: Node; multiples: number[] } | undefined {
  const lines = args.map((a) => linearIn(a, u));
  if (lines.some((l) => l === undefined)) return undefined;
  const first = lines[0]!;
  const ratios: Rational[] = [];
  for (const line of lines) {
    const ratio = exactRational(simplifyNode(builder.div(line!.slope, first.slope)));
    if (ratio === undefined) return undefined;
    // The intercepts must scale with the slopes: argᵢ = ratio·arg₀.
    if (simplifyNode(builder.sub(line!.intercept, builder.mul(rationalNode(ratio), first.intercept))) !== c(0)) return undefined;
    ratios.push(ratio);
  }
  const denominator = ratios.reduce((d, r) => lcm(d, r.den), 1n);
  const numerator = ratios.reduce((n, r) => gcd(n, r.num * (denominator / r.den)), 0n);
  const multiples = ratios.map((r) => Number((r.num * (denominator / r.den)) / numerator));
  if (multiples.some((m) => Math.abs(m) > MAX_MULTIPLE)) return undefined;
  const t = simplifyNode(E.mul(rationalNode(Rational.of(numerator, denominator)), args[0]!));
  return { t, multiples };
}

function binomial(n: number, k: number): number {
  let b = 1;
  for (let i = 1; i <= k; i++) b = (b * (n - k + i)) / i;
  return b;
}

/**
 * cos(n·t) and sin(n·t) as polynomials in C = cos t and S = sin t (from (C + iS)ⁿ); for the
 * hyperbolic functions, cosh and sinh (from (C + S)ⁿ, no alternating signs).
 */
function multipleAngle(n: number, S: Node, C: Node, hyperbolic: boolean): { cos: Node; sin: Node } {
  const k = Math.abs(n);
  const even: Node[] = [], odd: Node[] = [];
  for (let j = 0; j <= k; j++) {
    const sign = hyperbolic ? 1 : (-1) ** Math.floor(j / 2);
    const term = builder.mul(c(sign * binomial(k, j)), builder.mul(builder.pow(C, c(k - j)), builder.pow(S, c(j))));
    (j % 2 === 0 ? even : odd).push(term);
  }
  const sine = sumOf(odd);
  return { cos: sumOf(even), sin: n < 0 ? builder.neg(sine) : sine };
}

/** The numerator of an expression in S and C, as a polynomial, with the atoms it was read over. */
function numeratorOf(h: Node): { numerator: Polynomial; atoms: Atoms } {
  const atoms = new Atoms();
  const budget = new Budget(DEFAULT_BUDGET, `solve: the rational form of ${short(h)}`);
  return { numerator: cancelRational(rationalView(h, atoms, budget), budget).numerator, atoms };
}

/**
 * p as A + v·B using v² = relation (relation a polynomial in the other variables): the even
 * and odd parts in the variable `index`.
 */
function reduceSquares(p: Polynomial, index: number, relation: Polynomial): { even: Polynomial; odd: Polynomial } {
  let even = Polynomial.ZERO, odd = Polynomial.ZERO;
  p.coefficientsIn(index).forEach((coefficient, power) => {
    const term = coefficient.mul(relation.pow(Math.floor(power / 2)));
    if (power % 2 === 0) even = even.add(term);
    else odd = odd.add(term);
  });
  return { even, odd };
}

function circular(hyperbolic: boolean): Strategy {
  const [sinOp, cosOp, tanOp] = hyperbolic ? ['sinh', 'cosh', 'tanh'] : ['sin', 'cos', 'tan'];
  return (context) => {
    const { g, u, depth, search, holding } = context;
    if (!holding.every((a) => a.op === sinOp || a.op === cosOp || a.op === tanOp)) return undefined;
    const common = commonArgument(holding.map((a) => a.args[0]!), u);
    if (common === undefined) return undefined;
    search.trail.push(`${hyperbolic ? 'hyperbolic' : 'trigonometric'} functions as a polynomial in ${sinOp} and ${cosOp} of ${short(common.t)}`);
    const S = uniqueVariableNode('s'), C = uniqueVariableNode('c');
    const replacements = new Map<Node, Node>();
    holding.forEach((atom, i) => {
      const { cos, sin } = multipleAngle(common.multiples[i]!, S, C, hyperbolic);
      replacements.set(atom, atom.op === sinOp ? sin : atom.op === cosOp ? cos : builder.div(sin, cos));
    });
    const h = substitute(g, replacements);
    if (depends(h, u)) return undefined;
    const { numerator, atoms } = numeratorOf(h);
    const [s, cIndex] = [atoms.indexOf(S), atoms.indexOf(C)];
    const one = Polynomial.ONE, square = (i: number) => Polynomial.variable(i, 2);
    // trig: c² = 1 − s², s² = 1 − c²; hyperbolic: c² = 1 + s², s² = c² − 1.
    const bySine = reduceSquares(numerator, cIndex, hyperbolic ? one.add(square(s)) : one.sub(square(s)));
    const sine = builder.apply(sinOp, [common.t]), cosine = builder.apply(cosOp, [common.t]);
    const solveFor = (p: Polynomial, index: number, atom: Node) =>
      context.polynomialRoots(p, index, atoms, h, index === s ? S : C, search).flatMap((r) => context.invert(atom, r, u, depth + 1, search));
    if (bySine.odd.isZero()) {
      if (bySine.even.isZero()) throw new IdentityFound(`solve: ${short(g)} = 0 holds for every ${u.name}`);
      return solveFor(bySine.even, s, sine);
    }
    const byCosine = reduceSquares(numerator, s, hyperbolic ? square(cIndex).sub(one) : one.sub(square(cIndex)));
    if (byCosine.odd.isZero()) return solveFor(byCosine.even, cIndex, cosine);
    // A + c·B = 0, so A² = c²·B²: a polynomial in s whose roots include the true ones.
    search.trail.push('squared to remove the cosine');
    const relation = hyperbolic ? one.add(square(s)) : one.sub(square(s));
    return solveFor(bySine.even.mul(bySine.even).sub(relation.mul(bySine.odd).mul(bySine.odd)), s, sine);
  };
}

// ---- exponentials ------------------------------------------------------------------------------

interface Exponential {
  /** The smallest base it is a power of (undefined for e). */
  readonly base: Rational | undefined;
  /** The exponent's slope in that base. */
  readonly slope: Rational;
  /** The constant factor: b^c or e^c. */
  readonly factor: Node;
}

/** b^(k·u + c) as its root base, slope and constant factor; undefined when not of that form. */
function exponentialOf(atom: Node, u: Node): Exponential | undefined {
  const [base, exponent] = atom.op === 'exp' ? [undefined, atom.args[0]!] : atom.op === 'pow' ? [atom.args[0]!, atom.args[1]!] : [undefined, undefined];
  if (exponent === undefined || (base !== undefined && depends(base, u))) return undefined;
  const line = linearIn(exponent, u);
  const k = line === undefined ? undefined : exactRational(line.slope);
  if (k === undefined || k.isZero()) return undefined;
  if (base === undefined) return { base: undefined, slope: k, factor: E.apply('exp', [line!.intercept]) };
  const b = exactRational(base);
  if (b === undefined || b.sign() <= 0 || b.equals(Rational.ONE)) return undefined;
  const root = perfectPowerRoot(b) ?? { base: b, power: 1 };
  return { base: root.base, slope: k.mul(Rational.of(root.power)), factor: E.pow(base, line!.intercept) };
}

function rationalGcd(a: Rational, b: Rational): Rational {
  return Rational.of(gcd(a.num * b.den, b.num * a.den), a.den * b.den);
}

const exponentials: Strategy = (context) => {
  const { g, u, depth, search, holding } = context;
  const hyperbolics = holding.filter((a) => a.op === 'sinh' || a.op === 'cosh' || a.op === 'tanh');
  if (hyperbolics.length === holding.length) return undefined; // the circular strategy's case
  // sinh, cosh, tanh among exponentials: rewritten with exp first.
  if (hyperbolics.length > 0) {
    const rewritten = substitute(g, new Map(hyperbolics.map((h) => [h, hyperbolicAsExponentials(h)] as const)));
    if (holding.some((a) => a !== u && !hyperbolics.includes(a) && exponentialOf(a, u) === undefined)) return undefined;
    search.trail.push('hyperbolic functions as exponentials');
    return context.candidates(rewritten, u, depth + 1, search);
  }
  const forms = holding.map((a) => exponentialOf(a, u));
  if (forms.some((f) => f === undefined)) return undefined;
  const bases = new Set(forms.map((f) => f!.base?.toString() ?? 'e'));
  if (bases.size !== 1) throw cannot(g, u, `it has exponentials in bases that are not powers of one base (${[...bases].join(', ')})`);
  const base = forms[0]!.base;
  const step = forms.map((f) => f!.slope.abs()).reduce(rationalGcd);
  const U = uniqueVariableNode('u');
  const replacements = new Map(holding.map((a, i) => [a, builder.mul(forms[i]!.factor, builder.pow(U, rationalNode(forms[i]!.slope.div(step))))] as const));
  const inU = substitute(g, replacements);
  const power = base === undefined ? builder.apply('exp', [builder.mul(rationalNode(step), u)]) : builder.pow(rationalNode(base), builder.mul(rationalNode(step), u));
  search.trail.push(`exponentials as powers of ${short(power)}`);
  const roots = context.candidates(inU, U, depth + 1, search);
  return roots.flatMap((root) => {
    if (root.period !== undefined) throw cannot(inU, U, 'a periodic family of values for an exponential');
    const value = exactValue(root.value);
    // b^(g·u) is positive: a root U ≤ 0 gives no real u.
    if (value !== undefined && value.kind !== 'undefined' && exactSign(value)! <= 0) return [];
    return context.invert(power, root.value, u, depth + 1, search);
  });
};

function hyperbolicAsExponentials(h: Node): Node {
  const t = h.args[0]!;
  const up = builder.apply('exp', [t]), down = builder.apply('exp', [builder.neg(t)]);
  if (h.op === 'sinh') return builder.div(builder.sub(up, down), c(2));
  if (h.op === 'cosh') return builder.div(builder.add(up, down), c(2));
  return builder.div(builder.sub(up, down), builder.add(up, down));
}

// ---- logarithms --------------------------------------------------------------------------------

const logarithms: Strategy = (context) => {
  const { u, depth, search, holding, numerator, atoms } = context;
  if (!holding.every((a) => a.op === 'ln')) return undefined;
  const indices = holding.map((a) => atoms.indexOf(a));
  // Linear in the logarithms, with rational coefficients.
  const coefficients: Rational[] = [];
  let rest = Polynomial.ZERO;
  for (const term of numerator.terms.values()) {
    const powers = indices.map((i) => term.exponents[i] ?? 0);
    const total = powers.reduce((s, p) => s + p, 0);
    if (total > 1) return undefined;
    const one = Polynomial.fromTerms([term]);
    if (total === 0) {
      rest = rest.add(one);
      continue;
    }
    const which = powers.indexOf(1);
    const others = [...term.exponents];
    others[indices[which]!] = 0;
    if (others.some((e) => e > 0)) return undefined;
    coefficients[which] = (coefficients[which] ?? Rational.ZERO).add(term.coefficient);
  }
  const scale = coefficients.reduce((d, r) => lcm(d, r.den), 1n);
  const factor = (sign: number) => holding
    .map((a, i) => [a.args[0]!, coefficients[i]?.mul(Rational.of(scale)) ?? Rational.ZERO] as const)
    .filter(([, n]) => n.sign() === sign)
    .reduce((p, [arg, n]) => builder.mul(p, builder.pow(arg, c(Math.abs(Number(n.num))))), c(1) as Node);
  // Σ nᵢ·ln Aᵢ = −L·c₀  ⇒  Π_{nᵢ>0} Aᵢ^nᵢ = e^(−L·c₀) · Π_{nᵢ<0} Aᵢ^(−nᵢ)
  const right = E.apply('exp', [E.neg(E.mul(rationalNode(Rational.of(scale)), polynomialNode(rest, atoms)))]);
  search.trail.push('logarithms combined and exponentiated');
  return context.candidates(builder.sub(factor(1), builder.mul(simplifyNode(right), factor(-1))), u, depth + 1, search);
};

// ---- square and cube roots ---------------------------------------------------------------------

/** 2 for √A and A^(1/2), 3 for ∛A and A^(1/3), else undefined. */
function rootOrder(atom: Node): 2 | 3 | undefined {
  if (atom.op === 'sqrt') return 2;
  if (atom.op === 'cbrt') return 3;
  if (atom.op !== 'pow' || atom.args[1]!.op !== 'const') return undefined;
  const p = exactRational(atom.args[1]!);
  return p?.equals(Rational.of(1, 2)) ? 2 : p?.equals(Rational.of(1, 3)) ? 3 : undefined;
}

const radicals: Strategy = (context) => {
  const { u, depth, search, holding, numerator, atoms } = context;
  const radical = holding.find((a) => rootOrder(a) !== undefined);
  if (radical === undefined) return undefined;
  const radicand = radical.args[0]!;
  const order = rootOrder(radical)!;
  const parts: Node[] = new Array<Node>(order).fill(c(0));
  numerator.coefficientsIn(atoms.indexOf(radical)).forEach((coefficient, power) => {
    // r^power = A^(power div order) · r^(power mod order)
    const term = builder.mul(polynomialNode(coefficient, atoms), builder.pow(radicand, c(Math.floor(power / order))));
    parts[power % order] = builder.add(parts[power % order]!, term);
  });
  const [p0, p1, p2] = parts as [Node, Node, Node | undefined];
  let eliminated: Node;
  if (order === 2) eliminated = builder.sub(builder.pow(p0, c(2)), builder.mul(builder.pow(p1, c(2)), radicand));
  else {
    const cube = (n: Node) => builder.pow(n, c(3));
    eliminated = sumOf([cube(p0), builder.mul(cube(p1), radicand), builder.mul(cube(p2!), builder.pow(radicand, c(2))), builder.mul(c(-3), builder.mul(builder.mul(p0, p1), builder.mul(p2!, radicand)))]);
  }
  search.trail.push(`${order === 2 ? 'squared' : 'cubed'} to remove ${short(radical)}`);
  return context.candidates(eliminated, u, depth + 1, search);
};

/** The strategies, in the order they are tried. */
export const strategies: readonly { readonly name: string; readonly apply: Strategy }[] = [
  { name: 'absolute values by cases', apply: absoluteValues },
  { name: 'sin/cos/tan as a polynomial in one function', apply: circular(false) },
  { name: 'sinh/cosh/tanh as a polynomial in one function', apply: circular(true) },
  { name: 'exponentials of one base', apply: exponentials },
  { name: 'sums of logarithms', apply: logarithms },
  { name: 'square and cube roots', apply: radicals },
];

