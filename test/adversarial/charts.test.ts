/**
 * Charts under hostile input: ticks for any finite range (one ulp wide, zero wide, among
 * denormals, as wide as the doubles), non-finite domains and non-string texts refused with a
 * TypegradError, and every string escaped into a well-formed document.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { lineChart, logTicks, niceTicks } from '../../src/viz/index.js';
import { parseSvg } from '../support/xml.js';
import { hostileName } from './generators.js';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const positive = fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true });

/** What every axis must satisfy: a bounded number of finite, increasing ticks, a domain covering the data. */
function expectSoundTicks(ticks: ReturnType<typeof niceTicks>, low: number, high: number) {
  expect(ticks.values.length).toBeGreaterThan(0);
  expect(ticks.values.length).toBeLessThanOrEqual(1001);
  expect(ticks.labels.length).toBe(ticks.values.length);
  for (const v of ticks.values) expect(Number.isFinite(v)).toBe(true);
  for (let i = 1; i < ticks.values.length; i++) expect(ticks.values[i]!).toBeGreaterThan(ticks.values[i - 1]!);
  expect(ticks.min).toBeLessThanOrEqual(Math.min(low, high));
  expect(ticks.max).toBeGreaterThanOrEqual(Math.max(low, high));
  expect(ticks.max).toBeGreaterThan(ticks.min);
}

describe('ticks for any finite range', () => {
  it('ranges one ulp wide, zero wide and among denormals end (they looped forever)', () => {
    for (const [low, high] of [[0.3, 0.1 + 0.2], [1, 1.0000000000000002], [1e-320, 2e-320], [5e-324, 5e-324], [0, 5e-324], [-Number.MAX_VALUE, Number.MAX_VALUE], [Number.MAX_VALUE, Number.MAX_VALUE], [-9e-323, 7.4e-323]] as const) {
      expectSoundTicks(niceTicks(low, high), low, high);
      expectSoundTicks(niceTicks(low, high, 13), low, high);
    }
  });
  it('niceTicks: any two finite numbers, any count, extended or not', () => {
    fc.assert(
      fc.property(finite, finite, fc.integer({ min: 1, max: 20 }), (low, high, count) => {
        expectSoundTicks(niceTicks(low, high, count), low, high);
        const fixed = niceTicks(low, high, count, false);
        expect(fixed.values.length).toBeLessThanOrEqual(1001);
        for (const v of fixed.values) expect(Number.isFinite(v)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  it('nearly equal neighbours: a value and the next few doubles', () => {
    fc.assert(
      fc.property(finite, fc.integer({ min: 0, max: 4 }), (low, ulps) => {
        let high = low;
        for (let i = 0; i < ulps; i++) high = nextUp(high);
        if (!Number.isFinite(high)) return;
        expectSoundTicks(niceTicks(low, high), low, high);
      }),
      { numRuns: 200 },
    );
  });
  it('logTicks: any two positive finite numbers', () => {
    fc.assert(
      fc.property(positive, positive, (low, high) => {
        const ticks = logTicks(low, high);
        expect(ticks.values.length).toBeGreaterThan(0);
        expect(ticks.min).toBeLessThanOrEqual(Math.min(low, high));
        expect(ticks.max).toBeGreaterThanOrEqual(Math.max(low, high));
      }),
      { numRuns: 200 },
    );
  });
  it('non-finite domains and counts are refused with a TypegradError', () => {
    for (const [low, high] of [[NaN, 1], [0, Infinity], [-Infinity, 0]] as const) expect(() => niceTicks(low, high)).toThrow(TypegradError);
    expect(() => niceTicks(0, 1, NaN)).toThrow(TypegradError);
    expect(() => niceTicks(0, 1, 1e9)).toThrow(TypegradError);
    expect(() => logTicks(0, 1)).toThrow(TypegradError);
  });
});

describe('lineChart under hostile input', () => {
  it('a series flat to one ulp (a training curve that flattens) is drawn', () => {
    for (const y of [[0.3, 0.1 + 0.2], [1, 1.0000000000000002], [1e-320, 2e-320]]) {
      parseSvg(lineChart({ series: [{ name: 'loss', y }] }));
      parseSvg(lineChart({ series: [{ name: 'loss', y }], y: { scale: 'log' } }));
    }
  });
  it('any finite values, with non-finite ones breaking the line, give a well-formed document with finite coordinates', () => {
    const value = fc.oneof(finite, fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, Number.MAX_VALUE));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 12 }), fc.boolean(), (y, log) => {
        const svg = lineChart({ series: [{ name: 's', y, points: true }], y: { scale: log ? 'log' : 'linear' } });
        expect(svg).not.toMatch(/NaN|Infinity/);
        parseSvg(svg);
      }),
      { numRuns: 50 },
    );
  });
  it('hostile strings in every text are escaped', () => {
    fc.assert(
      fc.property(hostileName({ maxLength: 200 }), (text) => {
        const svg = lineChart({ title: text, id: text, x: { label: text }, y: { label: text }, y2: { label: text }, series: [{ name: text, y: [1, 2], color: text, dash: text }, { name: text, y: [3, 1], axis: 'right' }] });
        parseSvg(svg);
      }),
      { numRuns: 50 },
    );
  });
  it('texts that are not strings are refused with a TypegradError naming them', () => {
    const hostileValues: unknown[] = [Symbol('s'), { toString: () => '<script>' }, 42, null, ['a'], () => 1, 10n];
    for (const value of hostileValues) {
      expect(() => lineChart({ title: value as string, series: [{ name: 'a', y: [1] }] })).toThrow(/title must be a string/);
      expect(() => lineChart({ x: { label: value as string }, series: [{ name: 'a', y: [1] }] })).toThrow(/x axis label must be a string/);
      expect(() => lineChart({ series: [{ name: value as string, y: [1] }] })).toThrow(TypegradError);
      expect(() => lineChart({ series: [{ name: 'a', y: [1], color: value as string }] })).toThrow(TypegradError);
    }
  });
});

/** The next double above `x`. */
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}
