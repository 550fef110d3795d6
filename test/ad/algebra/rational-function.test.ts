/** cancel and together: the rational normal form, with the multivariate polynomial gcd under it. */
import { describe, expect, it } from 'vitest';
import { cancel, Const, sin, sqrt, together, Var } from '../../../src/index.js';
import { gcdPolynomials, Polynomial, Budget } from '../../../src/ad/algebra/multivariate.js';
import { Rational } from '../../../src/ad/algebra/rational.js';
import { typegradErrorOf } from '../../support/errors.js';

const x = Var('x'), y = Var('y'), z = Var('z');

describe('cancel', () => {
  it('cancels common factors and expands: (x² − 1)/(x − 1) → 1 + x; (xz² + yz)/z⁴ → (y + xz)/z³', () => {
    expect(String(cancel(x.pow(2).sub(1).div(x.sub(1))))).toBe('1 + x');
    expect(String(cancel(x.mul(z.pow(2)).add(y.mul(z)).div(z.pow(4))))).toBe('(y + x * z) / z ^ 3');
  });
  it('normalizes the denominator: integer coefficients with gcd 1, positive leading coefficient', () => {
    expect(String(cancel(x.mul(2).add(2).div(x.mul(4).add(6))))).toBe('(1 + x) / (3 + 2 * x)');
    expect(String(cancel(Const(1).div(Const(3).sub(x))))).toBe('-1 / (x - 3)');
  });
  it('combines over a common denominator: 1/(x − 3) + 1/(x + 3) − 10/(x² − 9) → (2x − 10)/(x² − 9)', () => {
    expect(String(cancel(Const(1).div(x.sub(3)).add(Const(1).div(x.add(3))).sub(Const(10).div(x.pow(2).sub(9)))))).toBe('(2 * x - 10) / (x ^ 2 - 9)');
  });
  it('multivariate: (x² − y²)/(x − y) → x + y; (x + y)(x − 1)/((x + y)(x + 2)) → (x − 1)/(2 + x)', () => {
    expect(String(cancel(x.pow(2).sub(y.pow(2)).div(x.sub(y))))).toBe('x + y');
    expect(String(cancel(x.add(y).mul(x.sub(1)).div(x.add(y).mul(x.add(2)))))).toBe('(x - 1) / (2 + x)');
  });
  it('treats other subexpressions as atoms, and cancels inside them', () => {
    expect(String(cancel(sin(x).pow(2).sub(1).div(sin(x).sub(1))))).toBe('1 + sin(x)');
    expect(String(cancel(sin(x.pow(2).sub(1).div(x.sub(1)))))).toBe('sin(1 + x)');
    expect(String(cancel(sqrt(x).mul(2).div(sqrt(x))))).toBe('2');
  });
  it('keeps exact rational coefficients: x/3 + x/6 → x/2', () => {
    expect(String(cancel(x.div(3).add(x.div(6))))).toBe('x / 2');
  });
  it('throws a TypegradError past its budget instead of running for minutes', () => {
    const huge = x.add(y).add(z).add(1).pow(40).mul(x.sub(y).add(z).sub(2).pow(40));
    expect(typegradErrorOf(() => cancel(huge)).message).toMatch(/cancel\(.*\): gave up after 2000000 term operations/);
  });
});

describe('together', () => {
  it('one fraction over the least common multiple, denominators factored: 1/x + 1/y → (x + y)/(x·y)', () => {
    expect(String(together(Const(1).div(x).add(Const(1).div(y))))).toBe('(x + y) / (x * y)');
  });
  it('does not repeat a common factor: 1/(x(x + 1)) + 1/x → (2 + x)/(x(1 + x))', () => {
    expect(String(together(Const(1).div(x.mul(x.add(1))).add(Const(1).div(x))))).toBe('(2 + x) / (x * (1 + x))');
  });
  it('removes factors that divide the numerator: x·y/x → y', () => {
    expect(String(together(x.mul(y).div(x)))).toBe('y');
  });
});

describe('the polynomial gcd', () => {
  const [p, q, r] = [0, 1, 2].map((i) => Polynomial.variable(i));
  const c = (n: number) => Polynomial.constant(Rational.of(n));
  it('finds the common factor of multivariate polynomials, normalized', () => {
    const common = p!.add(q!).mul(r!.add(c(2)));
    const g = gcdPolynomials(common.mul(p!.sub(c(1))), common.mul(q!.sub(r!)).scale(Rational.of(6)));
    expect(g.equals(common)).toBe(true);
  });
  it('is 1 for coprime polynomials and divides exactly', () => {
    expect(gcdPolynomials(p!.pow(2).add(c(1)), p!.sub(c(1))).equals(Polynomial.ONE)).toBe(true);
    const product = p!.add(q!).pow(3).mul(q!.sub(c(2)));
    expect(product.divideExactly(q!.sub(c(2)))!.equals(p!.add(q!).pow(3))).toBe(true);
    expect(product.divideExactly(q!.add(c(2)))).toBeUndefined();
  });
  it('counts its work against a budget', () => {
    const big = p!.add(q!).add(r!).add(c(1)).pow(12);
    expect(() => gcdPolynomials(big, big.add(c(1)), new Budget(1000, 'test'))).toThrow(/test: gave up after 1000 term operations/);
  });
});
