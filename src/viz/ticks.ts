/**
 * Axis ticks at "nice" round values: steps of 1, 2 or 5 times a power of ten, as a person would
 * choose them, and labels printed without floating-point noise (0.3, not 0.30000000000000004).
 */
import { TypegradError } from '../ad/errors.js';

/** Ticks for a linear axis: the (possibly widened) domain and the tick values in it. */
export interface Ticks {
  readonly min: number;
  readonly max: number;
  /** The distance between ticks (0 for a log axis). */
  readonly step: number;
  readonly values: readonly number[];
  /** Each value as a label. */
  readonly labels: readonly string[];
}

/** Decomposes a nice step as mantissa (1, 2 or 5) × 10^exponent. */
function niceStep(rough: number): { mantissa: number; exponent: number } {
  let exponent = Math.floor(Math.log10(rough));
  // Among denormals 10^exponent itself underflows: scale both by 10^300 first.
  let fraction = exponent < -290 ? (rough * 1e300) / 10 ** (exponent + 300) : rough / 10 ** exponent;
  if (fraction < 1) {
    fraction *= 10; // log10 of a denormal may round up past a power of ten
    exponent -= 1;
  }
  // Thresholds at the geometric means of neighbours: √2, √10, √50.
  let mantissa = fraction < 1.414 ? 1 : fraction < 3.162 ? 2 : fraction < 7.071 ? 5 : 10;
  if (mantissa === 10) {
    mantissa = 1;
    exponent += 1;
  }
  return { mantissa, exponent };
}

/**
 * k × mantissa × 10^exponent, the double nearest the decimal it stands for: parsing the decimal
 * rounds once, and works where 10^−exponent would overflow (steps among denormals).
 */
function multiple(k: number, mantissa: number, exponent: number): number {
  const value = Number(`${k * mantissa}e${exponent}`);
  return value === 0 ? 0 : value; // no −0
}

/** The most ticks an axis gets, whatever the domain: a bound on the loop, not a style choice. */
const MAX_TICKS = 1000;

/**
 * About `count` ticks covering [low, high] at a 1-2-5 step. With `extend` (the default) the
 * domain widens to the outer ticks, so the axis starts and ends on a labelled value.
 * @example niceTicks(0.013, 0.97).values // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(low: number, high: number, count = 5, extend = true): Ticks {
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new TypegradError(`niceTicks: the domain must be finite, got [${String(low)}, ${String(high)}]`);
  }
  if (typeof count !== 'number' || !(count >= 1 && count <= MAX_TICKS)) throw new TypegradError(`niceTicks: count must be a number from 1 to ${MAX_TICKS}, got ${String(count)}`);
  if (low > high) [low, high] = [high, low];
  const magnitude = Math.max(Math.abs(low), Math.abs(high));
  // A range narrower than about a millionth of its magnitude cannot be labelled distinctly (and
  // one a few ulps wide would make k × step stop changing): it is shown as a constant series,
  // with a readable axis around its value.
  if (high - low <= Math.max(magnitude * 1e-9, Number.MIN_VALUE * 64)) {
    const middle = magnitude > 1e300 ? low / 2 + high / 2 : (low + high) / 2; // halves of denormals underflow
    const pad = middle === 0 ? 1 : Math.max(Math.abs(middle) / 10, Number.MIN_VALUE * 16);
    // Still covering the data: among denormals the pad can be narrower than the range
    // ([−9e−323, 7.4e−323] padded around its rounded middle ended at 7.1e−323).
    low = Math.min(low, Math.max(-Number.MAX_VALUE, middle - pad));
    high = Math.max(high, Math.min(Number.MAX_VALUE, middle + pad));
  }
  // Each bound divided first, so a domain as wide as the doubles allow does not overflow.
  let { mantissa, exponent } = niceStep(Math.min(Number.MAX_VALUE, high / Math.max(1, count) - low / Math.max(1, count)));
  // A step beyond the largest double (2 × 10^308) gives way to the largest nice one that exists.
  while (!Number.isFinite(multiple(1, mantissa, exponent))) [mantissa, exponent] = mantissa === 1 ? [5, exponent - 1] : [mantissa === 5 ? 2 : 1, exponent];
  const step = multiple(1, mantissa, exponent);
  let first = extend ? Math.floor(low / step + 1e-9) : Math.ceil(low / step - 1e-9);
  let last = extend ? Math.ceil(high / step - 1e-9) : Math.floor(high / step + 1e-9);
  // Near the largest doubles the outer tick may not exist: the axis then ends on the last one that does.
  while (first < last && !Number.isFinite(multiple(first, mantissa, exponent))) first++;
  while (last > first && !Number.isFinite(multiple(last, mantissa, exponent))) last--;
  if (!(step > 0) || !Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last - first > MAX_TICKS) {
    throw new TypegradError(`niceTicks: no ticks for [${low}, ${high}] with ${count} ticks (step ${step})`);
  }
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(multiple(k, mantissa, exponent));
  if (values.length === 0) values.push(low, high); // a range inside one step, not extended: its ends
  const labels = values.map((v) => formatNumber(v, Math.max(0, -exponent)));
  // Where the outer tick would overflow, the axis ends at the data.
  return { min: extend ? Math.min(values[0]!, low) : low, max: extend ? Math.max(values[values.length - 1]!, high) : high, step, values, labels };
}

/**
 * Ticks for a logarithmic axis over [low, high] (both positive). The domain widens to the
 * nearest values 1, 2 or 5 × 10^k around it; ticks are at those values when there are at most a
 * dozen, else at the powers of ten only.
 * @example logTicks(0.003, 0.8).values // [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]
 */
export function logTicks(low: number, high: number): Ticks {
  if (!(low > 0) || !(high > 0) || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new TypegradError(`logTicks: a log axis needs a positive finite domain, got [${low}, ${high}]`);
  }
  if (low > high) [low, high] = [high, low];
  const candidates: { mantissa: number; exponent: number; value: number }[] = [];
  for (let e = Math.floor(Math.log10(low)) - 1; e <= Math.ceil(Math.log10(high)) + 1; e++) {
    for (const mantissa of [1, 2, 5]) {
      const value = multiple(1, mantissa, e);
      if (value > 0 && Number.isFinite(value)) candidates.push({ mantissa, exponent: e, value });
    }
  }
  let first = Math.max(0, candidates.findLastIndex((c) => c.value <= low * (1 + 1e-12)));
  let last = candidates.findIndex((c) => c.value >= high * (1 - 1e-12));
  if (last < 0) last = candidates.length - 1; // near the largest doubles: the last value that exists
  if (first === last && last === candidates.length - 1) first -= 1;
  if (first === last) [first, last] = [first, last + 1]; // a constant series still gets an axis
  const inRange = candidates.slice(first, last + 1);
  const shown = inRange.length <= 12 ? inRange : inRange.filter((c) => c.mantissa === 1);
  return {
    min: Math.min(inRange[0]!.value, low),
    max: Math.max(inRange[inRange.length - 1]!.value, high),
    step: 0,
    values: shown.map((c) => c.value),
    labels: shown.map((c) => (Math.abs(c.exponent) <= 4 ? formatNumber(c.value, Math.max(0, -c.exponent)) : `${c.mantissa === 1 ? '' : `${c.mantissa}×`}10${superscript(c.exponent)}`)),
  };
}

/** A tick label: fixed decimals, a true minus sign, scientific notation for very large or small values. */
export function formatNumber(value: number, decimals: number): string {
  if (value !== 0 && (Math.abs(value) >= 1e6 || decimals > 6)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    return `${mantissa.replace('-', '\u2212')}×10${superscript(Number(exponent))}`;
  }
  if (!Number.isFinite(value)) return String(value).replace('-', '\u2212');
  if (value === 0 && decimals > 6) return '0';
  const text = value.toFixed(Math.min(6, Math.max(0, Math.trunc(decimals) || 0)));
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text.replace('-', '\u2212');
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function superscript(n: number): string {
  return String(n).replace(/[-\d]/g, (c) => (c === '-' ? '⁻' : SUPERSCRIPTS[Number(c)]!));
}
