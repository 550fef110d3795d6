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
  const fraction = rough / 10 ** exponent;
  // Thresholds at the geometric means of neighbours: √2, √10, √50.
  let mantissa = fraction < 1.414 ? 1 : fraction < 3.162 ? 2 : fraction < 7.071 ? 5 : 10;
  if (mantissa === 10) {
    mantissa = 1;
    exponent += 1;
  }
  return { mantissa, exponent };
}

/** k × mantissa × 10^exponent, exact for the decimal it stands for (division by an exact power of ten rounds once). */
function multiple(k: number, mantissa: number, exponent: number): number {
  const value = exponent >= 0 ? k * mantissa * 10 ** exponent : (k * mantissa) / 10 ** -exponent;
  return value === 0 ? 0 : value; // no −0
}

/**
 * About `count` ticks covering [low, high] at a 1-2-5 step. With `extend` (the default) the
 * domain widens to the outer ticks, so the axis starts and ends on a labelled value.
 * @example niceTicks(0.013, 0.97).values // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(low: number, high: number, count = 5, extend = true): Ticks {
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new TypegradError(`niceTicks: the domain must be finite, got [${low}, ${high}]`);
  if (low > high) [low, high] = [high, low];
  if (low === high) {
    // A constant series still gets a readable axis around its value.
    const pad = low === 0 ? 1 : Math.abs(low) / 10;
    low -= pad;
    high += pad;
  }
  const { mantissa, exponent } = niceStep((high - low) / Math.max(1, count));
  const step = multiple(1, mantissa, exponent);
  const first = extend ? Math.floor(low / step + 1e-9) : Math.ceil(low / step - 1e-9);
  const last = extend ? Math.ceil(high / step - 1e-9) : Math.floor(high / step + 1e-9);
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(multiple(k, mantissa, exponent));
  const labels = values.map((v) => formatNumber(v, Math.max(0, -exponent)));
  return { min: extend ? values[0]! : low, max: extend ? values[values.length - 1]! : high, step, values, labels };
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
    for (const mantissa of [1, 2, 5]) candidates.push({ mantissa, exponent: e, value: multiple(1, mantissa, e) });
  }
  let first = candidates.findLastIndex((c) => c.value <= low * (1 + 1e-12));
  let last = candidates.findIndex((c) => c.value >= high * (1 - 1e-12));
  if (first === last) [first, last] = [first, last + 1]; // a constant series still gets an axis
  const inRange = candidates.slice(first, last + 1);
  const shown = inRange.length <= 12 ? inRange : inRange.filter((c) => c.mantissa === 1);
  return {
    min: inRange[0]!.value,
    max: inRange[inRange.length - 1]!.value,
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
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text.replace('-', '\u2212');
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function superscript(n: number): string {
  return String(n).replace(/[-\d]/g, (c) => (c === '-' ? '⁻' : SUPERSCRIPTS[Number(c)]!));
}
