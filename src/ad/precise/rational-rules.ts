/**
 * Exact evaluation over the rationals: one rule per elementwise primitive. Arithmetic, integer
 * powers, comparisons and the piecewise functions (abs, relu, sign, ...) are exact; an
 * elementary function is evaluated where its value is rational (exp 0 = 1, √(9/4) = 3/2,
 * log₂ 8 = 3, 8^(2/3) = 4) and is a TypegradError everywhere else, with the reason: by the
 * Lindemann–Weierstrass theorem e^r, ln r, sinh r, ... are irrational for every rational r other
 * than their one rational point, and by Niven's theorem so are sin r, cos r and tan r.
 * Rationals have no NaN or infinity: where IEEE gives one (1/0, ln 0, √−1) this is an error too.
 */
import { TypegradError } from '../errors.js';
import { rationalOfDouble } from '../algebra/exact-value.js';
import { Rational } from '../algebra/rational.js';
import type { PrimitiveName } from '../primitives/index.js';
import type { NumberSystem } from './number-system.js';

/** One elementwise primitive on exact rationals. */
export type RationalRule = (args: readonly Rational[]) => Rational;

/** Integer powers whose result would exceed this many bits are refused (they are exact but would exhaust memory). */
const LARGEST_POWER_BITS = 1_000_000;

const PROMPT = 'evaluate it with evalDecimal for as many digits as you need';

function call(op: string, args: readonly Rational[]): string {
  return `${op}(${args.map(String).join(', ')})`;
}

function irrational(op: string, args: readonly Rational[], reason: string): never {
  throw new TypegradError(`exact evaluation: ${call(op, args)} is irrational (${reason}); ${PROMPT}`);
}

function notReal(op: string, args: readonly Rational[], what: string): never {
  throw new TypegradError(`exact evaluation: ${call(op, args)} is ${what}, which no rational is`);
}

const bits = (n: bigint) => (n < 0n ? -n : n).toString(2).length;

/** The k-th root of a natural number when it is a natural number (Newton's method on BigInt). */
export function exactIntegerRoot(n: bigint, k: number): bigint | undefined {
  if (n < 2n || k === 1) return n;
  const K = BigInt(k);
  // A k-th power of an integer ≥ 2 has at least k bits.
  if (bits(n) < k) return undefined;
  let x = 1n << BigInt(Math.ceil(bits(n) / k)); // ≥ the root
  for (;;) {
    const next = ((K - 1n) * x + n / x ** (K - 1n)) / K;
    if (next >= x) break;
    x = next;
  }
  return x ** K === n ? x : undefined;
}

/** The q-th root of a rational when it is rational (q ≥ 2); a negative value has one for odd q. */
function exactRoot(a: Rational, q: number): Rational | undefined {
  if (a.sign() < 0) {
    const root = q % 2 === 1 ? exactRoot(a.neg(), q) : undefined;
    return root?.neg();
  }
  const num = exactIntegerRoot(a.num, q);
  const den = num === undefined ? undefined : exactIntegerRoot(a.den, q);
  return num === undefined || den === undefined ? undefined : Rational.of(num, den);
}

function integerPower(a: Rational, n: bigint, op: string, args: readonly Rational[]): Rational {
  if (a.isZero() && n < 0n) notReal(op, args, 'a division by zero');
  // 0, 1 and −1 to any power: no need to look at the size of n.
  if (a.isZero() || a.abs().equals(Rational.ONE)) return a.pow(n === 0n ? 0 : n % 2n === 0n ? 2 : 1);
  if (Number(n < 0n ? -n : n) * Math.max(bits(a.num), bits(a.den)) > LARGEST_POWER_BITS) {
    throw new TypegradError(`exact evaluation: ${call(op, args)} would have more than ${LARGEST_POWER_BITS} bits; ${PROMPT}`);
  }
  return a.pow(Number(n));
}

function power(args: readonly Rational[]): Rational {
  const [a, b] = args as [Rational, Rational];
  if (b.isInteger()) return integerPower(a, b.num, 'pow', args);
  // a^(p/q) = (a^(1/q))^p, rational exactly when the q-th root is.
  if (a.isZero()) return b.sign() > 0 ? Rational.ZERO : notReal('pow', args, 'a division by zero');
  if (a.equals(Rational.ONE)) return Rational.ONE;
  const q = Number(b.den);
  if (a.sign() < 0 && q % 2 === 0) notReal('pow', args, 'an even root of a negative number');
  const root = exactRoot(a, q);
  if (root === undefined) irrational('pow', args, `${a.abs()} is not a perfect power of degree ${q}`);
  return integerPower(root, b.num, 'pow', args);
}

function isPrime(k: number): boolean {
  for (let d = 2; d * d <= k; d++) if (k % d === 0) return false;
  return k >= 2;
}

/** r = base^power with base > 1 not itself a perfect power (r > 0, r ≠ 1). */
function primitivePower(r: Rational): { base: Rational; power: number } {
  let sign = 1;
  if (r.compare(Rational.ONE) < 0) {
    r = Rational.ONE.div(r);
    sign = -1;
  }
  let power = 1;
  // A perfect k-th power is a perfect p-th power for each prime p dividing k: primes suffice.
  for (let k = 2; k <= Math.max(bits(r.num), bits(r.den)); k++) {
    if (!isPrime(k)) continue;
    for (;;) {
      const root = exactRoot(r, k);
      if (root === undefined) break;
      r = root;
      power *= k;
    }
  }
  return { base: r, power: sign * power };
}

/** log(a, base) = ln a / ln base: rational exactly when a and base are rational powers of one number. */
function logarithm(args: readonly Rational[]): Rational {
  const [a, base] = args as [Rational, Rational];
  if (a.sign() <= 0 || base.sign() <= 0) notReal('log', args, a.isZero() ? 'minus infinity' : 'the logarithm of a non-positive number');
  if (base.equals(Rational.ONE)) notReal('log', args, 'a division by ln 1 = 0');
  if (a.equals(Rational.ONE)) return Rational.ZERO;
  if (Math.max(bits(a.num), bits(a.den), bits(base.num), bits(base.den)) > 4096) {
    throw new TypegradError(`exact evaluation: ${call('log', args)} has operands too large to decide whether it is rational; ${PROMPT}`);
  }
  const x = primitivePower(a), y = primitivePower(base);
  if (!x.base.equals(y.base)) irrational('log', args, `${a} and ${base} are not rational powers of one number`);
  return Rational.of(x.power, y.power);
}

/** A function whose value is rational at one point only (`at`, giving `value`). */
function rationalAt(op: string, at: Rational, value: Rational, reason: string, domain?: (a: Rational) => string | undefined): RationalRule {
  return (args) => {
    const a = args[0]!;
    const outside = domain?.(a);
    if (outside !== undefined) notReal(op, args, outside);
    return a.equals(at) ? value : irrational(op, args, reason);
  };
}

const ZERO = Rational.ZERO, ONE = Rational.ONE;
const HALF = Rational.of(1, 2);
const LINDEMANN = 'Lindemann–Weierstrass';
const NIVEN = 'Niven';
const positive = (a: Rational) => (a.sign() > 0 ? undefined : a.isZero() ? 'minus infinity' : 'the logarithm of a negative number');
const unitInterval = (a: Rational) => (a.abs().compare(ONE) <= 0 ? undefined : 'outside [−1, 1], not a real number');

/** The rules, one per primitive (a missing one is a compile error). */
export const rationalRules: { readonly [P in PrimitiveName]: RationalRule } = {
  add: ([a, b]) => a!.add(b!),
  sub: ([a, b]) => a!.sub(b!),
  mul: ([a, b]) => a!.mul(b!),
  div: (args) => (args[1]!.isZero() ? notReal('div', args, 'a division by zero') : args[0]!.div(args[1]!)),
  neg: ([a]) => a!.neg(),
  pow: power,
  exp: rationalAt('exp', ZERO, ONE, `${LINDEMANN}: e^r is irrational for rational r ≠ 0`),
  ln: rationalAt('ln', ONE, ZERO, `${LINDEMANN}: ln r is irrational for rational r ≠ 1`, positive),
  log: logarithm,
  sqrt: (args) => (args[0]!.sign() < 0 ? notReal('sqrt', args, 'the square root of a negative number') : exactRoot(args[0]!, 2) ?? irrational('sqrt', args, 'not a square of a rational')),
  cbrt: (args) => exactRoot(args[0]!, 3) ?? irrational('cbrt', args, 'not a cube of a rational'),
  sin: rationalAt('sin', ZERO, ZERO, `${NIVEN}: sin r is irrational for rational r ≠ 0`),
  cos: rationalAt('cos', ZERO, ONE, `${NIVEN}: cos r is irrational for rational r ≠ 0`),
  tan: rationalAt('tan', ZERO, ZERO, `${NIVEN}: tan r is irrational for rational r ≠ 0`),
  asin: rationalAt('asin', ZERO, ZERO, `${NIVEN}: a rational angle other than 0 has an irrational sine`, unitInterval),
  acos: rationalAt('acos', ONE, ZERO, `${NIVEN}: a rational angle other than 0 has an irrational cosine`, unitInterval),
  atan: rationalAt('atan', ZERO, ZERO, `${NIVEN}: a rational angle other than 0 has an irrational tangent`),
  sinh: rationalAt('sinh', ZERO, ZERO, `${LINDEMANN}: sinh r is irrational for rational r ≠ 0`),
  cosh: rationalAt('cosh', ZERO, ONE, `${LINDEMANN}: cosh r is irrational for rational r ≠ 0`),
  tanh: rationalAt('tanh', ZERO, ZERO, `${LINDEMANN}: tanh r is irrational for rational r ≠ 0`),
  sigmoid: rationalAt('sigmoid', ZERO, HALF, `${LINDEMANN}: e^−r is irrational for rational r ≠ 0`),
  softplus: (args) => irrational('softplus', args, `${LINDEMANN}: ln(1 + e^r) is irrational for every rational r`),
  relu: ([a]) => (a!.sign() > 0 ? a! : ZERO),
  abs: ([a]) => a!.abs(),
  sign: ([a]) => Rational.of(a!.sign()),
  heaviside: ([a]) => (a!.sign() > 0 ? ONE : ZERO),
  equal: ([a, b]) => (a!.equals(b!) ? ONE : ZERO),
  gt: ([a, b]) => (a!.compare(b!) > 0 ? ONE : ZERO),
  ge: ([a, b]) => (a!.compare(b!) >= 0 ? ONE : ZERO),
  lt: ([a, b]) => (a!.compare(b!) < 0 ? ONE : ZERO),
  le: ([a, b]) => (a!.compare(b!) <= 0 ? ONE : ZERO),
  ne: ([a, b]) => (a!.equals(b!) ? ZERO : ONE),
  where: ([c, a, b]) => (c!.isZero() ? b! : a!),
  maximum: ([a, b]) => (a!.compare(b!) >= 0 ? a! : b!),
  minimum: ([a, b]) => (a!.compare(b!) <= 0 ? a! : b!),
  clip: ([x, lo, hi]) => {
    const low = x!.compare(lo!) >= 0 ? x! : lo!;
    return low.compare(hi!) <= 0 ? low : hi!;
  },
  floor: ([a]) => floorOf(a!),
  ceil: ([a]) => floorOf(a!.neg()).neg(),
  // Math.round: halves go up (towards +∞).
  round: ([a]) => floorOf(a!.add(HALF)),
  stopGradient: ([a]) => a!,
  expm1: rationalAt('expm1', ZERO, ZERO, `${LINDEMANN}: e^r − 1 is irrational for rational r ≠ 0`),
  log1p: (args) => {
    const t = args[0]!;
    if (t.compare(Rational.of(-1)) <= 0) notReal('log1p', args, t.equals(Rational.of(-1)) ? 'minus infinity' : 'the logarithm of a negative number');
    return t.isZero() ? ZERO : irrational('log1p', args, `${LINDEMANN}: ln(1 + r) is irrational for rational r ≠ 0`);
  },
  hypot: (args) => {
    const [a, b] = args as [Rational, Rational];
    return exactRoot(a.mul(a).add(b.mul(b)), 2) ?? irrational('hypot', args, 'the sum of the squares is not a square of a rational');
  },
  atan2: (args) => {
    const [y, x] = args as [Rational, Rational];
    if (y.isZero() && x.sign() >= 0) return ZERO;
    return irrational('atan2', args, y.isZero() ? 'the angle is π' : `${NIVEN}: a rational angle other than 0 has an irrational tangent`);
  },
  erf: rationalAt('erf', ZERO, ZERO, 'erf r is transcendental for algebraic r ≠ 0'),
  erfc: rationalAt('erfc', ZERO, ONE, 'erfc r is transcendental for algebraic r ≠ 0'),
  lgamma: (args) => {
    const a = args[0]!;
    if (a.sign() <= 0 && a.isInteger()) notReal('lgamma', args, 'a pole of the gamma function');
    return a.equals(ONE) || a.equals(Rational.of(2)) ? ZERO : irrational('lgamma', args, 'ln Γ(r) is rational only at 1 and 2, where it is 0');
  },
  digamma: (args) => {
    if (args[0]!.sign() <= 0 && args[0]!.isInteger()) notReal('digamma', args, 'a pole of the gamma function');
    throw new TypegradError(`exact evaluation: ${call('digamma', args)} involves the Euler–Mascheroni constant or π or logarithms, not a known rational; ${PROMPT}`);
  },
  polygamma: (args) => {
    throw new TypegradError(`exact evaluation: ${call('polygamma', args)} involves ζ values or π, not a known rational; ${PROMPT}`);
  },
};

/** The largest integer ≤ a. */
function floorOf(a: Rational): Rational {
  const q = a.num / a.den; // truncates towards zero; den > 0
  return Rational.of(a.num < 0n && q * a.den !== a.num ? q - 1n : q);
}

/** Exact rational evaluation (named `name` in errors). */
export function rationalSystem(name: string): NumberSystem<Rational> {
  return {
    name,
    constant: (value) => {
      const r = rationalOfDouble(value);
      if (r === undefined) throw new TypegradError(`${name}: the constant ${value} is not a rational number`);
      return r;
    },
    zero: ZERO,
    one: ONE,
    elementwise: rationalRules,
    maximum: (a, b) => (a.compare(b) >= 0 ? a : b),
    isFinite: () => true,
    toNumber: (a) => a.toNumber(),
  };
}
