/**
 * Surface plots: well-formed, escaped, deterministic SVG; holes where the function has no
 * value; sane documents at extreme values; the gradient's magnitude; marching squares; and
 * precise errors for a bad domain or options.
 */
import { describe, expect, it } from 'vitest';
import { contourSegments } from '../../src/viz/heatmap.js';
import { exp, ln, sin, sqrt, TypegradError, Var, VVar } from '../../src/index.js';
import { surfacePlot } from '../../src/viz/index.js';
import { elements, parseSvg, withClass } from '../support/xml.js';

const x = Var('x'), y = Var('y'), t = Var('t');
const square = { x: [-1, 1], y: [-1, 1] } as const;
const polygons = (svg: string) => elements(withClass(parseSvg(svg), 'g', 'surface')[0]!, 'polygon');
const texts = (svg: string) => elements(parseSvg(svg), 'text').map((e) => e.textContent);

describe('surfacePlot', () => {
  it('draws a shaded surface: two triangles per grid cell, a box, tick labels, axis names, a colour bar', () => {
    const svg = surfacePlot(sin(x.mul(3)).mul(exp(y.neg())), square, { resolution: 12, title: 'a surface' });
    const root = parseSvg(svg);
    expect(polygons(svg)).toHaveLength(2 * 11 * 11);
    expect(withClass(root, 'g', 'box')).toHaveLength(1);
    expect(withClass(root, 'g', 'colorbar')).toHaveLength(1);
    expect(withClass(root, 'text', 'tick', 'x').length).toBeGreaterThan(2);
    expect(withClass(root, 'text', 'tick', 'z').length).toBeGreaterThan(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['a surface', 'x', 'y', 'f']));
    expect(elements(root, 'stop')).toHaveLength(11);
    expect(surfacePlot(sin(x.mul(3)).mul(exp(y.neg())), square, { resolution: 12, title: 'a surface' })).toBe(svg);
  });

  it('escapes every user string: title, variable names, value label and ids', () => {
    const a = Var('<a&"b">'), b = Var("c'd");
    const svg = surfacePlot(a.mul(b), { '<a&"b">': [0, 1], "c'd": [0, 1] }, { resolution: 4, title: '</svg><script>alert(1)</script>', z: { label: 'v & w' }, id: '"x' });
    const root = parseSvg(svg);
    expect(elements(root, 'script')).toHaveLength(0);
    expect(texts(svg)).toEqual(expect.arrayContaining(['</svg><script>alert(1)</script>', '<a&"b">', "c'd", 'v & w']));
    const heat = surfacePlot(a.mul(b), { '<a&"b">': [0, 1], "c'd": [0, 1] }, { kind: 'heatmap', resolution: 4, title: '<&>' });
    expect(texts(heat)).toEqual(expect.arrayContaining(['<&>', '<a&"b">', "c'd"]));
  });

  it('leaves holes where the function has no value, and stays well-formed when it has none', () => {
    const svg = surfacePlot(ln(x).add(y), square, { resolution: 10 });
    const drawn = polygons(svg).length;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(2 * 9 * 9);
    const heat = surfacePlot(ln(x).add(y), square, { kind: 'heatmap', resolution: 10 });
    expect(elements(withClass(parseSvg(heat), 'g', 'cells')[0]!, 'rect').filter((r) => r.getAttribute('fill') === '#c8c8c8')).toHaveLength(50);
    expect(texts(heat)).toContain('no value');
    const nothing = sqrt(x.mul(x).add(y.mul(y)).add(1).neg());
    expect(polygons(surfacePlot(nothing, square, { resolution: 5 }))).toHaveLength(0);
    expect(withClass(parseSvg(surfacePlot(nothing, square, { kind: 'heatmap', resolution: 5 })), 'g', 'axis', 'x')).toHaveLength(1);
  });

  it('keeps every coordinate finite at extreme values and for a constant function', () => {
    for (const f of [x.mul(1e300).add(y.mul(-1e300)), x.mul(0).add(y.mul(0)).add(3), x.mul(1e-300).add(y)]) {
      for (const kind of ['surface', 'heatmap'] as const) {
        const svg = surfacePlot(f, square, { kind, resolution: 6 });
        expect(svg).not.toMatch(/NaN|Infinity/);
        parseSvg(svg);
      }
    }
  });

  it('draws |∇f| in the two plotted variables, with the others fixed', () => {
    // f = x² + y² + t³: |∇(x,y) f| = 2√(x² + y²), at most 2√2 at the corners; t does not count.
    const f = x.mul(x).add(y.mul(y)).add(t.pow(3));
    const svg = surfacePlot(f, { x: [-1, 1], y: [-1, 1], t: 5 }, { show: 'gradient', kind: 'heatmap', resolution: 2, contours: 0 });
    const labels = elements(withClass(parseSvg(svg), 'g', 'colorbar')[0]!, 'text').map((e) => e.textContent);
    expect(labels).toContain('|∇f|');
    // Two cells per axis at ±1/2: every value is 2·√(1/2) = √2, a constant, so the bar spans √2 ± √2/10.
    expect(labels).toEqual(['1.30', '1.35', '1.40', '1.45', '1.50', '1.55', '|∇f|']);
    expect(withClass(parseSvg(svg), 'g', 'contours')).toHaveLength(0);
  });

  it('draws contour lines on a heat map at nice levels', () => {
    const svg = surfacePlot(x.add(y), square, { kind: 'heatmap', resolution: 20, contours: 4 });
    const levels = withClass(parseSvg(svg), 'path', 'contour').map((p) => Number(p.getAttribute('data-level')));
    expect(levels).toEqual([-1, 0, 1]);
  });

  it('refuses a bad domain or bad options with a message that names them', () => {
    const f = x.mul(y);
    const fails = (call: () => unknown, words: RegExp) => {
      expect(call).toThrow(TypegradError);
      expect(call).toThrow(words);
    };
    fails(() => surfacePlot(f, { x: [-1, 1], y: 2 }), /needs exactly two variables with a range \[low, high\] .* got 1 \(x\)/);
    fails(() => surfacePlot(x.mul(y).mul(t), { x: [0, 1], y: [0, 1], t: [0, 1] }), /got 3 \(x, y, t\)/);
    fails(() => surfacePlot(f, { x: [0, 1] } as never), /give a range or a value for every variable; missing 'y'/);
    fails(() => surfacePlot(f, { x: [0, 1], y: [0, 1], w: 1 } as never), /'w' is not a variable of this function \(its variables are x, y\)/);
    fails(() => surfacePlot(f, { x: [1, 0], y: [0, 1] }), /variable 'x' needs a range \[low, high\] of finite numbers with low < high/);
    fails(() => surfacePlot(f, { x: [0, NaN], y: [0, 1] }), /variable 'x' needs a range/);
    fails(() => surfacePlot(f, { x: [0, 1], y: Infinity }), /variable 'y' must be fixed at a finite number/);
    fails(() => surfacePlot(VVar('v', 2).sum().mul(x).mul(y), { x: [0, 1], y: [0, 1], v: 1 } as never), /variable 'v' is a vector\[2\]; only scalar variables/);
    fails(() => surfacePlot(f, square, { resolution: 1 }), /resolution must be an integer from 2 to 400, got number 1/);
    fails(() => surfacePlot(f, square, { elevation: 100 }), /elevation must be a number from 0 to 90/);
    fails(() => surfacePlot(f, square, { kind: 'bars' as never }), /kind must be 'surface' or 'heatmap'/);
    fails(() => surfacePlot(f, square, { z: { min: 2, max: 1 } }), /z.min \(2\) must be below z.max \(1\)/);
    fails(() => surfacePlot(f, square, { width: -5 }), /width must be a positive number/);
    fails(() => surfacePlot(x as never, { x: [0, 1] } as never), /needs exactly two variables/);
    fails(() => surfacePlot(3 as never, square), /expected a scalar Fun/);
  });
});

describe('contourSegments', () => {
  it('finds a straight contour through a plane, interpolated along the cell edges', () => {
    // values = i (columns) on a 3×2 grid: level 0.5 is the vertical line i = 0.5.
    const plane = Float64Array.of(0, 1, 2, 0, 1, 2);
    expect(contourSegments(plane, 3, 2, 0.5)).toEqual([[0.5, 0, 0.5, 1]]);
    expect(contourSegments(plane, 3, 2, 1.5)).toEqual([[1.5, 0, 1.5, 1]]);
    expect(contourSegments(plane, 3, 2, 5)).toEqual([]);
  });

  it('splits a saddle by the cell mean, and skips cells without values', () => {
    // a = 1, b = 0, c = 1, d = 0 with mean ½ ≥ level 0.4: the region above joins a and c, so the
    // contour cuts off the corners b and d.
    expect(contourSegments(Float64Array.of(1, 0, 0, 1), 2, 2, 0.4)).toEqual([[0.6, 0, 1, 0.4], [0.4, 1, 0, 0.6]]);
    expect(contourSegments(Float64Array.of(1, NaN, 0, 1), 2, 2, 0.5)).toEqual([]);
  });
});
