/** SVG line charts: nice ticks, escaping, well-formed documents with the expected parts. */
import { describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { escapeXml, lineChart, logTicks, niceTicks } from '../../src/viz/index.js';
import { elements, parseSvg, withClass } from '../support/xml.js';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and widens to the outer ticks', () => {
    expect(niceTicks(0.013, 0.97).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 100).values).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-3.7, 12.2, 5).values).toEqual([-5, 0, 5, 10, 15]);
    expect(niceTicks(1, 30, 8).step).toBe(5);
    expect(niceTicks(1e-5, 5e-5, 4).values).toEqual([1e-5, 2e-5, 3e-5, 4e-5, 5e-5]);
  });
  it('prints labels without floating-point noise, with a true minus sign', () => {
    const t = niceTicks(0.1, 0.7, 6);
    expect(t.labels).toEqual(['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7']);
    expect(t.values).toContain(0.3);
    expect(niceTicks(-1, 1, 4).labels).toEqual(['\u22121.0', '\u22120.5', '0.0', '0.5', '1.0']);
    expect(niceTicks(0, 3e7, 3).labels.at(-1)).toBe('3×10⁷');
  });
  it('keeps fixed bounds when not extending, and handles a constant range', () => {
    const t = niceTicks(0.05, 0.95, 5, false);
    expect([t.min, t.max]).toEqual([0.05, 0.95]);
    expect(t.values).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(3, 3).values.length).toBeGreaterThan(1);
    expect(niceTicks(0, 0).values).toContain(0);
  });
  it('rejects a non-finite domain', () => {
    expect(() => niceTicks(0, Infinity)).toThrow(TypegradError);
  });
});

describe('logTicks', () => {
  it('ticks at 1-2-5 values over a few decades, powers of ten over many', () => {
    expect(logTicks(0.003, 0.8).values).toEqual([0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(1e-6, 10).values).toEqual([1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10]);
    expect(logTicks(1e-6, 10).labels[0]).toBe('10⁻⁶');
  });
  it('rejects non-positive bounds', () => {
    expect(() => logTicks(0, 1)).toThrow(/a log axis needs a positive finite domain/);
  });
});

describe('escapeXml', () => {
  it('escapes markup characters and replaces characters XML forbids', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeXml('bell\u0007 lone\uD800 ok😀')).toBe('bell\uFFFD lone\uFFFD ok😀');
  });
});

describe('lineChart', () => {
  const epochs = 12;
  const loss = Array.from({ length: epochs }, (_, i) => 2 * Math.exp(-i / 3) + 0.05);
  const accuracy = Array.from({ length: epochs }, (_, i) => 1 - 0.8 * Math.exp(-i / 2));
  const chart = () =>
    lineChart({
      title: 'Training <MLP> & "friends"',
      x: { label: 'epoch' },
      y: { label: 'loss', scale: 'log' },
      y2: { label: 'accuracy', min: 0, max: 1 },
      series: [
        { name: 'train loss', y: loss, points: true },
        { name: 'test loss', y: loss.map((l) => l * 1.1) },
        { name: 'accuracy', y: accuracy, axis: 'right' },
      ],
    });

  it('is a well-formed SVG with axes, labels, title, a legend and one path per series', () => {
    const svg = parseSvg(chart());
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(withClass(svg, 'g', 'axis', 'x')).toHaveLength(1);
    expect(withClass(svg, 'g', 'axis', 'y')).toHaveLength(1);
    expect(withClass(svg, 'g', 'axis', 'y2')).toHaveLength(1);
    expect(withClass(svg, 'text', 'title')[0]!.textContent).toBe('Training <MLP> & "friends"');
    expect(withClass(svg, 'text', 'label').map((t) => t.textContent)).toEqual(['epoch', 'loss', 'accuracy']);
    const paths = elements(withClass(svg, 'g', 'series')[0]!, 'path');
    expect(paths.map((p) => p.getAttribute('data-series'))).toEqual(['train loss', 'test loss', 'accuracy']);
    expect(new Set(paths.map((p) => p.getAttribute('stroke'))).size).toBe(3);
    expect(paths[2]!.getAttribute('stroke-dasharray')).not.toBeNull(); // the right-axis series is dashed
    expect(paths[0]!.getAttribute('d')!.match(/[ML]/g)).toHaveLength(epochs);
    expect(elements(withClass(svg, 'g', 'series')[0]!, 'circle')).toHaveLength(epochs);
    const legend = withClass(svg, 'g', 'legend-entry').map((e) => elements(e, 'text')[0]!.textContent);
    expect(legend).toEqual(['train loss', 'test loss', 'accuracy (right axis)']);
    const yLabels = elements(withClass(svg, 'g', 'axis', 'y2')[0]!, 'text').map((t) => t.textContent);
    expect(yLabels).toContain('0.0');
    expect(yLabels).toContain('1.0');
  });

  it('is deterministic', () => {
    expect(chart()).toBe(chart());
  });

  it('escapes every user string: names, labels, colours', () => {
    const svg = lineChart({
      title: '</svg><script>alert(1)</script>',
      x: { label: 'a & b' },
      series: [{ name: `"><g onload='x'>`, y: [1, 2], color: '" onmouseover="x' }],
    });
    const root = parseSvg(svg);
    expect(elements(root, 'script')).toHaveLength(0);
    expect(withClass(root, 'text', 'title')[0]!.textContent).toBe('</svg><script>alert(1)</script>');
    expect(elements(root, 'path')[0]!.getAttribute('stroke')).toBe('" onmouseover="x');
  });

  it('breaks a line at non-finite values instead of drawing through them', () => {
    const svg = parseSvg(lineChart({ series: [{ name: 'f', x: [1, 2, 3, 4, 5], y: [1, 2, NaN, 4, Infinity] }], legend: 'none' }));
    expect(elements(svg, 'path')[0]!.getAttribute('d')).toMatch(/^M[\d.,]+ L[\d.,]+ M[\d.,]+$/);
    expect(withClass(svg, 'g', 'legend')).toHaveLength(0);
  });

  it('sets a title too long for the chart smaller instead of cutting it off', () => {
    const size = (title: string) => Number(withClass(parseSvg(lineChart({ title, width: 400, series: [{ name: 'f', y: [1, 2] }] })), 'text', 'title')[0]!.getAttribute('font-size'));
    expect(size('Loss')).toBe(16);
    expect(size('A very long title that would not fit in four hundred pixels at sixteen')).toBeLessThan(16);
  });

  it('draws a scatter series as dots without a line', () => {
    const svg = parseSvg(lineChart({ series: [{ name: 'data', x: [1, 2, 3], y: [3, 1, 2], line: false }, { name: 'fit', x: [1, 3], y: [2, 2] }] }));
    const plotted = withClass(svg, 'g', 'series')[0]!;
    expect(elements(plotted, 'path').map((p) => p.getAttribute('data-series'))).toEqual(['fit']);
    expect(elements(plotted, 'circle')).toHaveLength(3);
  });

  it('places the legend outside the plot on request', () => {
    const svg = parseSvg(lineChart({ series: [{ name: 'f', y: [1, 2] }], legend: 'outside', width: 500 }));
    const transform = withClass(svg, 'g', 'legend')[0]!.getAttribute('transform')!;
    const plot = elements(svg, 'clipPath')[0]!.getElementsByTagName('rect')[0]!;
    const plotRight = Number(plot.getAttribute('x')) + Number(plot.getAttribute('width'));
    expect(Number(/translate\(([\d.]+)/.exec(transform)![1])).toBeGreaterThan(plotRight);
  });

  it('rejects bad series with messages naming them', () => {
    expect(() => lineChart({ series: [] })).toThrow(/options.series must be a non-empty array/);
    expect(() => lineChart({ series: [{ name: 'loss', x: [1, 2, 3], y: [1, 2] }] })).toThrow(/series 'loss' has 3 x values but 2 y values/);
    expect(() => lineChart({ series: [{ name: 'loss', y: ['1'] as never }] })).toThrow(/series 'loss' needs y, an array of numbers/);
    expect(() => lineChart({ series: [{ name: 'a', y: [1], axis: 'top' as never }] })).toThrow(/series 'a' has axis the string "top"; use 'left' or 'right'/);
    expect(() => lineChart({ series: [{ name: 'a', y: [1] }], y: { min: 2, max: 1 } })).toThrow(/y axis min \(2\) must be below max \(1\)/);
    expect(() => lineChart({ series: [{ name: 'a', y: [1] }], width: 30 })).toThrow(/leave no room for the plot/);
  });
});
