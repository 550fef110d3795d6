/**
 * A sampled surface seen from above: one coloured cell per sample (viridis; grey where the
 * function has no finite value), contour lines at nice values by marching squares, axes with
 * ticks named after the variables, and the colour bar.
 */
import { colorBar, hex, viridis } from './colormap.js';
import { coordinate, escapeXml } from './escape.js';
import { documentStart, fraction, type PlotFrame, type SampledGrid } from './grid.js';
import { formatNumber, niceTicks, type Ticks } from './ticks.js';

const MISSING = '#c8c8c8';
/** A coordinate to a tenth of a pixel (thousands of cells make the bytes count). */
const tenth = (v: number) => String(Math.round(v * 10) / 10);
const COLOR_BAR_SPACE = 96;

/**
 * The segments of the contour at `level` through a grid of values (row j, column i at
 * values[j·nx + i]), in grid coordinates: marching squares, each crossing interpolated linearly
 * along its cell edge; a saddle is split by the cell's mean. Cells with a value that is not
 * finite have no contour.
 */
export function contourSegments(values: Float64Array, nx: number, ny: number, level: number): [number, number, number, number][] {
  const segments: [number, number, number, number][] = [];
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      // Corners counter-clockwise from (i, j): a = (i, j), b = (i+1, j), c = (i+1, j+1), d = (i, j+1).
      const a = values[j * nx + i]!, b = values[j * nx + i + 1]!, c = values[(j + 1) * nx + i + 1]!, d = values[(j + 1) * nx + i]!;
      if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) continue;
      const above = [a >= level, b >= level, c >= level, d >= level];
      const along = (p: number, q: number) => (level - p) / (q - p);
      // Crossing points on the four edges (where the edge changes side).
      const edges: ([number, number] | undefined)[] = [
        above[0] !== above[1] ? [i + along(a, b), j] : undefined, // bottom: a–b
        above[1] !== above[2] ? [i + 1, j + along(b, c)] : undefined, // right: b–c
        above[2] !== above[3] ? [i + 1 - along(c, d), j + 1] : undefined, // top: c–d
        above[3] !== above[0] ? [i, j + 1 - along(d, a)] : undefined, // left: d–a
      ];
      const crossings = edges.map((p, k) => [p, k] as const).filter(([p]) => p !== undefined) as [[number, number], number][];
      if (crossings.length === 2) {
        segments.push([...crossings[0]![0], ...crossings[1]![0]]);
      } else if (crossings.length === 4) {
        // A saddle: the corners above the level join through the middle when the mean is above it.
        const centreAbove = (a + b + c + d) / 4 >= level;
        const [bottom, right, top, left] = edges as [number, number][];
        const joinAroundA = centreAbove !== above[0];
        if (joinAroundA) segments.push([...left!, ...bottom!], [...right!, ...top!]);
        else segments.push([...bottom!, ...right!], [...top!, ...left!]);
      }
    }
  }
  return segments;
}

/** The SVG of a sampled surface as a heat map with about `contours` contour levels. */
export function renderHeatmap(grid: SampledGrid, frame: PlotFrame, contours: number): string {
  const { xs, ys, z, zMin, zMax } = grid;
  const nx = xs.length, ny = ys.length;
  const top = frame.title === undefined ? 24 : 52;
  const plot = { left: 76, right: frame.width - COLOR_BAR_SPACE - 16, top, bottom: frame.height - 58 };
  const size = Math.min(plot.right - plot.left, plot.bottom - plot.top);
  // A square plot: the two variables on one scale of the page, whatever their ranges.
  plot.right = plot.left + size;
  plot.bottom = plot.top + size;
  const cellWidth = size / nx, cellHeight = size / ny;
  // Cell centres are samples: the axes span the cells' outer edges.
  const xLow = xs[0]! - (xs[1]! - xs[0]!) / 2, xHigh = xs[nx - 1]! + (xs[1]! - xs[0]!) / 2;
  const yLow = ys[0]! - (ys[1]! - ys[0]!) / 2, yHigh = ys[ny - 1]! + (ys[1]! - ys[0]!) / 2;
  const px = (v: number) => plot.left + fraction(v, xLow, xHigh) * size;
  const py = (v: number) => plot.bottom - fraction(v, yLow, yHigh) * size;

  const out = documentStart(frame);
  const id = escapeXml(frame.id);
  out.push(`  <g class="cells" shape-rendering="crispEdges">`);
  let missing = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = z[j * nx + i]!;
      if (!Number.isFinite(v)) missing++;
      const fill = Number.isFinite(v) ? hex(viridis(fraction(v, zMin, zMax))) : MISSING;
      // A quarter pixel of overlap hides the seams between cells; a tenth of a pixel is fine enough.
      out.push(`    <rect x="${tenth(plot.left + i * cellWidth)}" y="${tenth(plot.bottom - (j + 1) * cellHeight)}" width="${tenth(cellWidth + 0.25)}" height="${tenth(cellHeight + 0.25)}" fill="${fill}"/>`);
    }
  }
  out.push('  </g>');

  if (contours > 0) {
    const levels = niceTicks(zMin, zMax, contours, false).values.filter((v) => v > zMin && v < zMax);
    // Grid coordinate (i, j) of a sample to the page.
    const gx = (i: number) => plot.left + (i + 0.5) * cellWidth, gy = (j: number) => plot.bottom - (j + 0.5) * cellHeight;
    out.push(`  <g class="contours" fill="none" stroke="#ffffff" stroke-opacity="0.75" stroke-width="0.9">`);
    for (const level of levels) {
      const d = contourSegments(z, nx, ny, level).map(([x1, y1, x2, y2]) => `M${tenth(gx(x1))},${tenth(gy(y1))}L${tenth(gx(x2))},${tenth(gy(y2))}`).join('');
      if (d !== '') out.push(`    <path class="contour" data-level="${escapeXml(String(level))}" d="${d}"/>`);
    }
    out.push('  </g>');
  }

  out.push(`  <rect class="frame" x="${coordinate(plot.left)}" y="${coordinate(plot.top)}" width="${coordinate(size)}" height="${coordinate(size)}" fill="none" stroke="#333"/>`);
  const decimals = (t: Ticks) => Math.max(0, -Math.floor(Math.log10(t.step) + 1e-9));
  const xTicks = niceTicks(xLow, xHigh, 6, false), yTicks = niceTicks(yLow, yHigh, 6, false);
  out.push('  <g class="axis x" fill="#333" font-size="11">');
  for (const v of xTicks.values) {
    const x = coordinate(px(v));
    out.push(`    <line x1="${x}" y1="${coordinate(plot.bottom)}" x2="${x}" y2="${coordinate(plot.bottom + 5)}" stroke="#333"/>`);
    out.push(`    <text x="${x}" y="${coordinate(plot.bottom + 18)}" text-anchor="middle">${escapeXml(formatNumber(v, decimals(xTicks)))}</text>`);
  }
  out.push(`    <text class="label" x="${coordinate(plot.left + size / 2)}" y="${coordinate(plot.bottom + 42)}" text-anchor="middle" font-size="13">${escapeXml(grid.xLabel)}</text>`);
  out.push('  </g>');
  out.push('  <g class="axis y" fill="#333" font-size="11">');
  for (const v of yTicks.values) {
    const y = coordinate(py(v));
    out.push(`    <line x1="${coordinate(plot.left - 5)}" y1="${y}" x2="${coordinate(plot.left)}" y2="${y}" stroke="#333"/>`);
    out.push(`    <text x="${coordinate(plot.left - 8)}" y="${y}" dy="0.32em" text-anchor="end">${escapeXml(formatNumber(v, decimals(yTicks)))}</text>`);
  }
  out.push(`    <text class="label" transform="translate(${coordinate(plot.left - 56)},${coordinate(plot.top + size / 2)}) rotate(-90)" text-anchor="middle" font-size="13">${escapeXml(grid.yLabel)}</text>`);
  out.push('  </g>');
  const barLeft = plot.right + 28;
  out.push(...colorBar({ min: zMin, max: zMax, label: grid.zLabel }, barLeft, top + 24, Math.max(40, size - 60), id));
  if (missing > 0) {
    out.push(`  <g class="missing-note" font-size="11" fill="#333"><rect x="${coordinate(barLeft)}" y="${coordinate(plot.bottom - 14)}" width="14" height="14" fill="${MISSING}" stroke="#999"/><text x="${coordinate(barLeft + 20)}" y="${coordinate(plot.bottom - 7)}" dy="0.32em">no value</text></g>`);
  }
  out.push('</svg>', '');
  return out.join('\n');
}
