/**
 * Multivariate polynomials over the exact rationals, sparse: a map from monomials (exponent
 * vectors over numbered variables) to nonzero coefficients. This is the arithmetic behind the
 * rational-function normal form (`rational-function.ts`): addition, multiplication, exact
 * division, and the greatest common divisor by the primitive polynomial remainder sequence,
 * recursive in the variables (Collins, Brown; Knuth vol. 2, 4.6.1).
 *
 * Every loop is iterative except the gcd, which recurses once per variable (a handful), never
 * over the size of an expression. Work is counted against a `Budget`; past it the operation
 * throws `BudgetExceeded`, so a call on a huge input ends with an error instead of running for
 * minutes.
 */
import { TypegradError } from '../errors.js';
import { Rational, gcd as integerGcd } from './rational.js';

/** Thrown when an operation exceeds its budget of term operations. */
export class BudgetExceeded extends TypegradError {}

/** A count of term operations that a computation may spend. */
export class Budget {
  #left: number;
  readonly limit: number;
  readonly what: string;
  constructor(limit: number, what: string) {
    this.limit = limit;
    this.#left = limit;
    this.what = what;
  }
  spend(amount = 1): void {
    this.#left -= amount;
    if (this.#left < 0) throw new BudgetExceeded(`${this.what}: gave up after ${this.limit} term operations (the expanded polynomials are too large)`);
  }
}

/** The default budget: about a second of work. Measured: 2·10⁶ term operations take 0.6–0.9 s. */
export const DEFAULT_BUDGET = 2_000_000;

const unlimited = (): Budget => new Budget(Number.POSITIVE_INFINITY, 'polynomial arithmetic');

/** A monomial's exponents by variable index, without trailing zeros. */
export type Exponents = readonly number[];

interface Term {
  readonly exponents: Exponents;
  readonly coefficient: Rational;
}

const keyOf = (e: Exponents): string => e.join(',');

function trimmed(e: number[]): number[] {
  let n = e.length;
  while (n > 0 && e[n - 1] === 0) n--;
  e.length = n;
  return e;
}

function multiplyExponents(a: Exponents, b: Exponents): number[] {
  const result = new Array<number>(Math.max(a.length, b.length));
  for (let i = 0; i < result.length; i++) result[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return result;
}

/** a / b when b divides a, else undefined. */
function divideExponents(a: Exponents, b: Exponents): number[] | undefined {
  if (b.length > a.length) return undefined;
  const result = [...a];
  for (let i = 0; i < b.length; i++) {
    result[i]! -= b[i]!;
    if (result[i]! < 0) return undefined;
  }
  return trimmed(result);
}

/** Lexicographic order, variable 0 most significant: positive when a is the larger. */
export function compareExponents(a: Exponents, b: Exponents): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export class Polynomial {
  /** The nonzero terms by monomial key. */
  readonly terms: ReadonlyMap<string, Term>;

  private constructor(terms: Map<string, Term>) {
    this.terms = terms;
  }

  static readonly ZERO = new Polynomial(new Map());
  static readonly ONE = Polynomial.constant(Rational.ONE);

  static constant(c: Rational): Polynomial {
    return c.isZero() ? Polynomial.ZERO : new Polynomial(new Map([['', { exponents: [], coefficient: c }]]));
  }

  /** The variable with index `index`, to the power `power`. */
  static variable(index: number, power = 1): Polynomial {
    const exponents = trimmed(Array.from({ length: index + 1 }, (_, i) => (i === index ? power : 0)));
    return new Polynomial(new Map([[keyOf(exponents), { exponents, coefficient: Rational.ONE }]]));
  }

  static fromTerms(terms: Iterable<Term>): Polynomial {
    const map = new Map<string, Term>();
    for (const t of terms) accumulate(map, t.exponents, t.coefficient);
    return new Polynomial(map);
  }

  isZero(): boolean {
    return this.terms.size === 0;
  }

  /** The value when the polynomial is a constant, else undefined. */
  constantValue(): Rational | undefined {
    if (this.terms.size === 0) return Rational.ZERO;
    if (this.terms.size > 1) return undefined;
    return this.terms.get('')?.coefficient;
  }

  isConstant(): boolean {
    return this.constantValue() !== undefined;
  }

  equals(other: Polynomial): boolean {
    if (this.terms.size !== other.terms.size) return false;
    for (const [key, t] of this.terms) {
      const o = other.terms.get(key);
      if (o === undefined || !o.coefficient.equals(t.coefficient)) return false;
    }
    return true;
  }

  add(other: Polynomial, budget = unlimited()): Polynomial {
    if (other.isZero()) return this;
    if (this.isZero()) return other;
    const map = new Map(this.terms);
    for (const t of other.terms.values()) {
      budget.spend();
      accumulate(map, t.exponents, t.coefficient);
    }
    return new Polynomial(map);
  }

  neg(): Polynomial {
    const map = new Map<string, Term>();
    for (const [key, t] of this.terms) map.set(key, { exponents: t.exponents, coefficient: t.coefficient.neg() });
    return new Polynomial(map);
  }

  sub(other: Polynomial, budget = unlimited()): Polynomial {
    return this.add(other.neg(), budget);
  }

  scale(c: Rational): Polynomial {
    if (c.isZero()) return Polynomial.ZERO;
    if (c.equals(Rational.ONE)) return this;
    const map = new Map<string, Term>();
    for (const [key, t] of this.terms) map.set(key, { exponents: t.exponents, coefficient: t.coefficient.mul(c) });
    return new Polynomial(map);
  }

  mul(other: Polynomial, budget = unlimited()): Polynomial {
    if (this.isZero() || other.isZero()) return Polynomial.ZERO;
    const map = new Map<string, Term>();
    for (const a of this.terms.values()) {
      budget.spend(other.terms.size);
      for (const b of other.terms.values()) accumulate(map, multiplyExponents(a.exponents, b.exponents), a.coefficient.mul(b.coefficient));
    }
    return new Polynomial(map);
  }

  /** The monomial `exponents` times `c` times this. */
  mulTerm(exponents: Exponents, c: Rational): Polynomial {
    const map = new Map<string, Term>();
    for (const t of this.terms.values()) {
      const e = multiplyExponents(t.exponents, exponents);
      map.set(keyOf(e), { exponents: e, coefficient: t.coefficient.mul(c) });
    }
    return new Polynomial(map);
  }

  /** this^n for a natural n, by repeated squaring. */
  pow(n: number, budget = unlimited()): Polynomial {
    let result = Polynomial.ONE;
    let base: Polynomial = this;
    for (let k = n; k > 0; k >>= 1) {
      if (k & 1) result = result.mul(base, budget);
      if (k > 1) base = base.mul(base, budget);
    }
    return result;
  }

  /** The indices of the variables that occur. */
  variables(): Set<number> {
    const found = new Set<number>();
    for (const t of this.terms.values()) t.exponents.forEach((e, i) => e > 0 && found.add(i));
    return found;
  }

  degreeIn(variable: number): number {
    let degree = this.isZero() ? -1 : 0;
    for (const t of this.terms.values()) degree = Math.max(degree, t.exponents[variable] ?? 0);
    return degree;
  }

  /** The largest sum of exponents over the terms (−1 for zero). */
  totalDegree(): number {
    let degree = this.isZero() ? -1 : 0;
    for (const t of this.terms.values()) degree = Math.max(degree, t.exponents.reduce((s, e) => s + e, 0));
    return degree;
  }

  /** The coefficients in `variable`, lowest power first: polynomials in the other variables. */
  coefficientsIn(variable: number): Polynomial[] {
    const buckets: Map<string, Term>[] = [];
    for (const t of this.terms.values()) {
      const power = t.exponents[variable] ?? 0;
      const rest = [...t.exponents];
      if (variable < rest.length) rest[variable] = 0;
      trimmed(rest);
      while (buckets.length <= power) buckets.push(new Map());
      buckets[power]!.set(keyOf(rest), { exponents: rest, coefficient: t.coefficient });
    }
    return buckets.map((b) => new Polynomial(b));
  }

  /** Σ coefficients[i] · variable^i. */
  static fromCoefficientsIn(variable: number, coefficients: readonly Polynomial[]): Polynomial {
    const map = new Map<string, Term>();
    coefficients.forEach((c, power) => {
      for (const t of c.terms.values()) {
        const e = [...t.exponents];
        while (e.length <= variable) e.push(0);
        e[variable] = power;
        const exponents = trimmed(e);
        map.set(keyOf(exponents), { exponents, coefficient: t.coefficient });
      }
    });
    return new Polynomial(map);
  }

  /** The term that is largest in lexicographic order (variable 0 most significant). */
  leadingTerm(): Term {
    let best: Term | undefined;
    for (const t of this.terms.values()) if (best === undefined || compareExponents(t.exponents, best.exponents) > 0) best = t;
    if (best === undefined) throw new TypegradError('polynomial: the zero polynomial has no leading term');
    return best;
  }

  /** this / divisor when the division is exact, else undefined (lexicographic division). */
  divideExactly(divisor: Polynomial, budget = unlimited()): Polynomial | undefined {
    if (divisor.isZero()) throw new TypegradError('polynomial: division by the zero polynomial');
    const c = divisor.constantValue();
    if (c !== undefined) return this.scale(Rational.ONE.div(c));
    const lead = divisor.leadingTerm();
    const quotient = new Map<string, Term>();
    let remainder: Polynomial = this;
    while (!remainder.isZero()) {
      budget.spend(divisor.terms.size);
      const top = remainder.leadingTerm();
      const exponents = divideExponents(top.exponents, lead.exponents);
      if (exponents === undefined) return undefined;
      const coefficient = top.coefficient.div(lead.coefficient);
      accumulate(quotient, exponents, coefficient);
      remainder = remainder.sub(divisor.mulTerm(exponents, coefficient), budget);
    }
    return new Polynomial(quotient);
  }

  /** The lcm of the coefficients' denominators and the gcd of their numerators. */
  private integerContent(): { denominators: bigint; numerators: bigint } {
    let denominators = 1n, numerators = 0n;
    for (const t of this.terms.values()) {
      denominators = (denominators / integerGcd(denominators, t.coefficient.den)) * t.coefficient.den;
      numerators = integerGcd(numerators, t.coefficient.num);
    }
    return { denominators, numerators };
  }

  /**
   * The same polynomial up to a rational factor, with integer coefficients whose gcd is 1 and a
   * positive leading coefficient; and that factor (this = factor · result).
   */
  normalized(): { factor: Rational; polynomial: Polynomial } {
    if (this.isZero()) return { factor: Rational.ONE, polynomial: this };
    const { denominators, numerators } = this.integerContent();
    let factor = Rational.of(numerators, denominators);
    if (this.leadingTerm().coefficient.sign() < 0) factor = factor.neg();
    return { factor, polynomial: this.scale(Rational.ONE.div(factor)) };
  }

  /** p(values): substitutes exact rationals for every variable. */
  evaluate(values: readonly Rational[]): Rational {
    let total = Rational.ZERO;
    for (const t of this.terms.values()) {
      let term = t.coefficient;
      t.exponents.forEach((e, i) => {
        if (e > 0) term = term.mul(values[i]!.pow(e));
      });
      total = total.add(term);
    }
    return total;
  }

  /** The formal derivative in `variable`. */
  derivative(variable: number): Polynomial {
    const map = new Map<string, Term>();
    for (const t of this.terms.values()) {
      const e = t.exponents[variable] ?? 0;
      if (e === 0) continue;
      const exponents = [...t.exponents];
      exponents[variable] = e - 1;
      accumulate(map, trimmed(exponents), t.coefficient.mul(Rational.of(e)));
    }
    return new Polynomial(map);
  }

  /** The gcd of the monomials of the terms (the variables common to every term, lowest powers). */
  monomialContent(): number[] {
    let common: number[] | undefined;
    for (const t of this.terms.values()) {
      if (common === undefined) common = [...t.exponents];
      else {
        common.length = Math.min(common.length, t.exponents.length);
        for (let i = 0; i < common.length; i++) common[i] = Math.min(common[i]!, t.exponents[i]!);
      }
    }
    return trimmed(common ?? []);
  }
}

function accumulate(map: Map<string, Term>, exponents: Exponents, coefficient: Rational): void {
  if (coefficient.isZero()) return;
  const key = keyOf(exponents);
  const previous = map.get(key);
  if (previous === undefined) map.set(key, { exponents, coefficient });
  else {
    const sum = previous.coefficient.add(coefficient);
    if (sum.isZero()) map.delete(key);
    else map.set(key, { exponents: previous.exponents, coefficient: sum });
  }
}

// ---- greatest common divisor -------------------------------------------------------------------

/** The pseudo-remainder of a by b in `variable`: lc(b)^(deg a − deg b + 1) · a mod b. */
function pseudoRemainder(a: Polynomial, b: Polynomial, variable: number, budget: Budget): Polynomial {
  const r = a.coefficientsIn(variable);
  const q = b.coefficientsIn(variable);
  const m = q.length - 1;
  const lead = q[m]!;
  for (let k = r.length - 1; k >= m; k--) {
    const top = r[k]!;
    for (let i = 0; i < r.length; i++) r[i] = r[i]!.mul(lead, budget);
    if (!top.isZero()) for (let j = 0; j <= m; j++) r[k - m + j] = r[k - m + j]!.sub(top.mul(q[j]!, budget), budget);
    r.length = k;
  }
  return Polynomial.fromCoefficientsIn(variable, r);
}

/** The gcd of the coefficients of p in `variable` (a polynomial in the other variables). */
export function contentIn(p: Polynomial, variable: number, budget: Budget): Polynomial {
  let content = Polynomial.ZERO;
  for (const c of p.coefficientsIn(variable)) {
    if (c.isZero()) continue;
    content = gcdPolynomials(content, c, budget);
    if (content.isConstant()) return Polynomial.ONE;
  }
  return content;
}

function primitivePartIn(p: Polynomial, variable: number, budget: Budget): Polynomial {
  const content = contentIn(p, variable, budget);
  const part = p.divideExactly(content, budget);
  if (part === undefined) throw new TypegradError('polynomial gcd: the content does not divide the polynomial (a bug)');
  return part.normalized().polynomial;
}

/**
 * The greatest common divisor over the rationals, normalized (integer coefficients with gcd 1,
 * positive leading coefficient); gcd(0, 0) is 0. Throws `BudgetExceeded` past the budget.
 */
export function gcdPolynomials(a: Polynomial, b: Polynomial, budget: Budget = new Budget(DEFAULT_BUDGET, 'polynomial gcd')): Polynomial {
  if (a.isZero()) return b.normalized().polynomial;
  if (b.isZero()) return a.normalized().polynomial;
  if (a.isConstant() || b.isConstant()) return Polynomial.ONE;
  const va = a.variables(), vb = b.variables();
  const variable = Math.min(...va, ...vb);
  if (!va.has(variable)) return gcdPolynomials(a, contentIn(b, variable, budget), budget);
  if (!vb.has(variable)) return gcdPolynomials(contentIn(a, variable, budget), b, budget);
  const contents = gcdPolynomials(contentIn(a, variable, budget), contentIn(b, variable, budget), budget);
  let p = primitivePartIn(a, variable, budget);
  let q = primitivePartIn(b, variable, budget);
  if (p.degreeIn(variable) < q.degreeIn(variable)) [p, q] = [q, p];
  while (!q.isZero()) {
    budget.spend();
    const r = pseudoRemainder(p, q, variable, budget);
    p = q;
    q = r.isZero() || r.degreeIn(variable) === 0 ? (r.isZero() ? r : Polynomial.ONE) : primitivePartIn(r, variable, budget);
    if (q.equals(Polynomial.ONE)) {
      p = Polynomial.ONE;
      break;
    }
  }
  const g = p.degreeIn(variable) <= 0 ? Polynomial.ONE : primitivePartIn(p, variable, budget);
  return contents.mul(g, budget).normalized().polynomial;
}

/**
 * The largest factor common to every term that the contents find: over each variable, the gcd
 * of the coefficients in it (x·sin x − sin x has sin x in common), normalized; 1 when none.
 */
export function commonFactor(p: Polynomial, budget: Budget): Polynomial {
  // A common factor divides the constant term, so with one it is a number.
  if (p.terms.has('')) return Polynomial.ONE;
  let best = Polynomial.ONE;
  for (const v of p.variables()) {
    const content = contentIn(p, v, budget);
    if (content.totalDegree() > best.totalDegree()) best = content.normalized().polynomial;
  }
  return best;
}
