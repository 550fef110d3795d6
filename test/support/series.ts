/**
 * Reference values of elementary functions to about 90 digits, computed here from their Taylor
 * series in BigInt fixed point, independently of decimal.js: what the arbitrary-precision
 * evaluation is tested against. A value is a BigInt scaled by 10^SCALE (truncation errors stay in
 * the last few of those digits).
 */
export const SCALE = 90;
const ONE = 10n ** BigInt(SCALE);

export type Fixed = bigint;

export const fixed = (p: bigint, q = 1n): Fixed => (p * ONE) / q;
export const mul = (a: Fixed, b: Fixed): Fixed => (a * b) / ONE;
export const div = (a: Fixed, b: Fixed): Fixed => (a * ONE) / b;

/** e^x for |x| ≤ 1 by its series; larger x by halving and squaring. */
export function exp(x: Fixed): Fixed {
  let halvings = 0;
  while ((x < 0n ? -x : x) > ONE) {
    x /= 2n;
    halvings++;
  }
  let term = ONE, total = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = mul(term, x) / k;
    total += term;
  }
  for (let i = 0; i < halvings; i++) total = mul(total, total);
  return total;
}

/** ln x = 2·atanh((x − 1)/(x + 1)), for x > 0. */
export function ln(x: Fixed): Fixed {
  const y = div(x - ONE, x + ONE);
  const y2 = mul(y, y);
  let power = y, total = 0n;
  for (let k = 1n; power !== 0n; k += 2n) {
    total += power / k;
    power = mul(power, y2);
  }
  return 2n * total;
}

/** sin x and cos x by their series (|x| up to a few units). */
export function sin(x: Fixed): Fixed {
  let term = x, total = x;
  for (let k = 1n; term !== 0n; k++) {
    term = -mul(mul(term, x), x) / ((2n * k) * (2n * k + 1n));
    total += term;
  }
  return total;
}

export function cos(x: Fixed): Fixed {
  let term = ONE, total = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = -mul(mul(term, x), x) / ((2n * k - 1n) * (2n * k));
    total += term;
  }
  return total;
}

/** atan x by its series, for |x| ≤ 1/2. */
export function atan(x: Fixed): Fixed {
  const x2 = mul(x, x);
  let power = x, total = 0n;
  for (let k = 0n; power !== 0n; k++) {
    total += (k % 2n === 0n ? power : -power) / (2n * k + 1n);
    power = mul(power, x2);
  }
  return total;
}

/** π by Machin's formula: 16·atan(1/5) − 4·atan(1/239). */
export const PI: Fixed = 16n * atan(fixed(1n, 5n)) - 4n * atan(fixed(1n, 239n));

/** The integer square root (floor). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const next = (x + n / x) / 2n;
    if (next >= x) return x;
    x = next;
  }
}

export const sqrt = (x: Fixed): Fixed => isqrt(x * ONE);

/** The cube root by Newton's method on the fixed-point value. */
export function cbrt(x: Fixed): Fixed {
  let y = fixed(1n);
  for (let i = 0; i < 400; i++) {
    const next = (2n * y + div(x, mul(y, y))) / 3n;
    if (next === y) break;
    y = next;
  }
  return y;
}

/** A decimal string (`-0.5`, `1.25e-3`) as a fixed-point value (truncated). */
export function parse(text: string): Fixed {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (match === null) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const shift = SCALE + Number(exponent) - fraction.length;
  const digits = BigInt(`${whole}${fraction}` || '0');
  const value = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  return sign === '-' ? -value : value;
}

/**
 * Whether `text` (a result of `digits` significant digits) is `reference` correctly rounded, up
 * to one unit in its last digit (a half for rounding, a half for the reference's own truncation).
 */
export function agreesToDigits(text: string, reference: Fixed, digits: number): boolean {
  const got = parse(text);
  const magnitude = (reference < 0n ? -reference : reference).toString().length - SCALE; // decimal exponent + 1
  const unit = 10n ** BigInt(Math.max(0, SCALE + magnitude - digits));
  const error = got - reference;
  return (error < 0n ? -error : error) <= unit;
}
