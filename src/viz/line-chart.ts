/**
 * A line chart as a standalone SVG document: axes with nice ticks, grid, labels, title, legend,
 * any number of series, and an optional second y-axis on the right (loss and accuracy on one
 * chart). No dependencies, no randomness, no dates: the same input gives the same bytes.
 */
import { TypegradError } from '../ad/errors.js';
import { describeValue } from '../api/record.js';
import { isArrayOfNumbers } from '../api/values.js';
import { coordinate, escapeXml } from './escape.js';
import { seriesStyle } from './palette.js';
import { logTicks, niceTicks, type Ticks } from './ticks.js';

/** One line of a chart. */
export interface Series {
  /** The legend text. */
  readonly name: string;
  /** The values; non-finite values (and non-positive ones on a log axis) break the line. */
  readonly y: ArrayLike<number>;
  /** The abscissae; default 1, 2, …, n (epochs, steps). */
  readonly x?: ArrayLike<number>;
  /** Which y-axis the series is read against; default the left one. */
  readonly axis?: 'left' | 'right';
  /** A CSS colour; default the next of the palette. */
  readonly color?: string;
  /** An SVG dash pattern such as `'6 4'`; series on the right axis are dashed by default. */
  readonly dash?: string;
  /** Draw a dot at each point (for a few points, such as epochs). */
  readonly points?: boolean;
  /** Draw the line; `false` with `points` gives a scatter plot (data against a fitted curve). */
  readonly line?: boolean;
}

/** One axis: its label, scale and optional fixed bounds (else fitted to the data at nice values). */
export interface AxisOptions {
  readonly label?: string;
  readonly scale?: 'linear' | 'log';
  readonly min?: number;
  readonly max?: number;
}

/** Options of `lineChart`. */
export interface LineChartOptions {
  readonly series: readonly Series[];
  readonly title?: string;
  readonly x?: AxisOptions;
  /** The left y-axis. */
  readonly y?: AxisOptions;
  /** The right y-axis, drawn when a series has `axis: 'right'`. */
  readonly y2?: AxisOptions;
  /** In pixels; default 720 × 440. */
  readonly width?: number;
  readonly height?: number;
  /** Where the legend goes; default top right inside the plot. */
  readonly legend?: 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left' | 'outside' | 'none';
  /** Prefix of the ids inside the SVG, to embed several charts in one page; default `chart`. */
  readonly id?: string;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const TICK_FONT = 11;
const LABEL_FONT = 13;
const LEGEND_FONT = 12;
/** Average glyph width in ems, to size margins for labels without measuring text. */
const GLYPH = 0.6;

interface Scale {
  readonly ticks: Ticks;
  readonly log: boolean;
  /** Pixel position of a value. */
  map(value: number): number;
  /** Whether a value can be drawn (finite, and positive on a log axis). */
  accepts(value: number): boolean;
}

interface CheckedSeries {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly right: boolean;
  readonly color: string;
  readonly dash: string | undefined;
  readonly points: boolean;
  readonly line: boolean;
}

/**
 * An SVG line chart.
 * @example
 * lineChart({
 *   title: 'Training',
 *   x: { label: 'epoch' }, y: { label: 'loss', scale: 'log' }, y2: { label: 'accuracy', min: 0, max: 1 },
 *   series: [{ name: 'loss', y: losses }, { name: 'accuracy', y: accuracies, axis: 'right' }],
 * })
 */
export function lineChart(options: LineChartOptions): string {
  if (options === null || typeof options !== 'object') throw new TypegradError(`lineChart: expected an options object, got ${describeValue(options)}`);
  const series = checkSeries(options.series);
  for (const [what, value] of [['title', options.title], ['id', options.id], ['x axis label', options.x?.label], ['y axis label', options.y?.label], ['y2 axis label', options.y2?.label]] as const) {
    checkText(value, what);
  }
  const width = dimension(options.width, 720, 'width');
  const height = dimension(options.height, 440, 'height');
  const id = escapeXml(options.id ?? 'chart');
  const hasRight = series.some((s) => s.right);
  const legend = options.legend ?? 'top-right';

  const xTicks = axisTicks(series, (s) => s.x, options.x, 'x', 8);
  const yTicks = axisTicks(series.filter((s) => !s.right), (s) => s.y, options.y, 'y', 6);
  const y2Ticks = hasRight ? axisTicks(series.filter((s) => s.right), (s) => s.y, options.y2, 'y2', 6) : undefined;

  const tickWidth = (t: Ticks) => t.labels.reduce((widest, l) => Math.max(widest, l.length), 0) * TICK_FONT * GLYPH;
  const legendWidth = series.reduce((widest, s) => Math.max(widest, legendText(s).length), 0) * LEGEND_FONT * GLYPH + 48;
  const margin = {
    top: options.title !== undefined ? 44 : 16,
    bottom: 36 + (options.x?.label !== undefined ? 22 : 0),
    left: 20 + tickWidth(yTicks.ticks) + (options.y?.label !== undefined ? 22 : 0),
    right: (y2Ticks === undefined ? 24 : 20 + tickWidth(y2Ticks.ticks) + (options.y2?.label !== undefined ? 22 : 0)) + (legend === 'outside' ? legendWidth + 12 : 0),
  };
  const plot = { left: margin.left, top: margin.top, right: width - margin.right, bottom: height - margin.bottom };
  if (plot.right - plot.left < 40 || plot.bottom - plot.top < 40) {
    throw new TypegradError(`lineChart: ${width} × ${height} pixels leave no room for the plot; make the chart larger`);
  }
  const x = makeScale(xTicks, plot.left, plot.right);
  const y = makeScale(yTicks, plot.bottom, plot.top);
  const y2 = y2Ticks === undefined ? undefined : makeScale(y2Ticks, plot.bottom, plot.top);

  const out: string[] = [];
  const title = options.title === undefined ? '' : escapeXml(options.title);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}" role="img"${title === '' ? '' : ` aria-label="${title}"`}>`,
  );
  if (title !== '') out.push(`  <title>${title}</title>`);
  out.push(`  <rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`  <defs><clipPath id="${id}-plot"><rect x="${coordinate(plot.left)}" y="${coordinate(plot.top)}" width="${coordinate(plot.right - plot.left)}" height="${coordinate(plot.bottom - plot.top)}"/></clipPath></defs>`);
  if (title !== '') {
    // A title too long for the chart is set smaller rather than cut off at the edges.
    const size = Math.max(9, Math.min(16, (width - 24) / ((options.title ?? '').length * GLYPH)));
    out.push(`  <text class="title" x="${coordinate(width / 2)}" y="28" text-anchor="middle" font-size="${coordinate(size)}" font-weight="600" fill="#222">${title}</text>`);
  }

  out.push('  <g class="grid" stroke="#e8e8e8" stroke-width="1">');
  for (const v of x.ticks.values) out.push(`    <line x1="${coordinate(x.map(v))}" y1="${coordinate(plot.top)}" x2="${coordinate(x.map(v))}" y2="${coordinate(plot.bottom)}"/>`);
  for (const v of y.ticks.values) out.push(`    <line x1="${coordinate(plot.left)}" y1="${coordinate(y.map(v))}" x2="${coordinate(plot.right)}" y2="${coordinate(y.map(v))}"/>`);
  out.push('  </g>');

  out.push(`  <g class="series" clip-path="url(#${id}-plot)" fill="none" stroke-width="2" stroke-linejoin="round" stroke-linecap="round">`);
  for (const s of series) {
    const ys = s.right ? y2! : y;
    const dash = s.dash === undefined ? '' : ` stroke-dasharray="${escapeXml(s.dash)}"`;
    if (s.line) out.push(`    <path data-series="${escapeXml(s.name)}" stroke="${escapeXml(s.color)}"${dash} d="${pathData(s, x, ys)}"/>`);
    if (s.points) {
      for (let i = 0; i < s.y.length; i++) {
        if (x.accepts(s.x[i]!) && ys.accepts(s.y[i]!)) {
          out.push(`    <circle cx="${coordinate(x.map(s.x[i]!))}" cy="${coordinate(ys.map(s.y[i]!))}" r="3" fill="${escapeXml(s.color)}" stroke="none"/>`);
        }
      }
    }
  }
  out.push('  </g>');

  out.push(...xAxis(x, plot, options.x?.label));
  out.push(...yAxis(y, plot, 'y', options.y?.label));
  if (y2 !== undefined) out.push(...yAxis(y2, plot, 'y2', options.y2?.label));
  if (legend !== 'none') out.push(...legendBox(series, plot, legend, legendWidth, width));
  out.push('</svg>', '');
  return out.join('\n');
}

function checkSeries(series: unknown): CheckedSeries[] {
  if (!Array.isArray(series) || series.length === 0) throw new TypegradError(`lineChart: options.series must be a non-empty array, got ${describeValue(series)}`);
  return series.map((s: Series, index): CheckedSeries => {
    if (s === null || typeof s !== 'object') throw new TypegradError(`lineChart: series ${index + 1} must be an object, got ${describeValue(s)}`);
    checkText(s.name, `series ${index + 1} name`);
    checkText(s.color, `series ${index + 1} color`);
    checkText(s.dash, `series ${index + 1} dash`);
    const name = typeof s.name === 'string' ? s.name : `series ${index + 1}`;
    if (!isNumbers(s.y)) throw new TypegradError(`lineChart: series '${name}' needs y, an array of numbers, got ${describeValue(s.y)}`);
    let xs: ArrayLike<number>;
    if (s.x === undefined) xs = Float64Array.from({ length: s.y.length }, (_, i) => i + 1);
    else if (!isNumbers(s.x)) throw new TypegradError(`lineChart: series '${name}' has x that is not an array of numbers, got ${describeValue(s.x)}`);
    else xs = s.x;
    if (xs.length !== s.y.length) throw new TypegradError(`lineChart: series '${name}' has ${xs.length} x values but ${s.y.length} y values`);
    if (s.axis !== undefined && s.axis !== 'left' && s.axis !== 'right') {
      throw new TypegradError(`lineChart: series '${name}' has axis ${describeValue(s.axis)}; use 'left' or 'right'`);
    }
    const right = s.axis === 'right';
    const style = seriesStyle(index);
    return { name, x: xs, y: s.y, right, color: s.color ?? style.color, dash: s.dash ?? style.dash ?? (right ? '7 4' : undefined), points: s.points === true || s.line === false, line: s.line !== false };
  });
}

/** Text that goes into the document (escaped there) must be a string: any other value is refused rather than converted. */
function checkText(value: unknown, what: string): void {
  if (value !== undefined && typeof value !== 'string') throw new TypegradError(`lineChart: the ${what} must be a string, got ${describeValue(value)}`);
}

function isNumbers(value: unknown): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return typeof (value as unknown as ArrayLike<unknown>)[0] !== 'bigint';
  return isArrayOfNumbers(value);
}

function dimension(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypegradError(`lineChart: ${name} must be a positive number of pixels, got ${describeValue(value)}`);
  return value;
}

/** Ticks for one axis, fitted to the drawable values of its series unless bounds are given. */
function axisTicks(series: readonly CheckedSeries[], values: (s: CheckedSeries) => ArrayLike<number>, axis: AxisOptions | undefined, name: string, count: number): { ticks: Ticks; log: boolean } {
  const log = axis?.scale === 'log';
  if (axis?.scale !== undefined && axis.scale !== 'linear' && axis.scale !== 'log') {
    throw new TypegradError(`lineChart: ${name} axis scale must be 'linear' or 'log', got ${describeValue(axis.scale)}`);
  }
  let low = Infinity, high = -Infinity;
  for (const s of series) {
    const vs = values(s);
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i]!;
      if (Number.isFinite(v) && (!log || v > 0)) {
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
  }
  if (low > high) [low, high] = log ? [1, 10] : [0, 1]; // nothing drawable: an empty but readable axis
  const fixed = axis?.min !== undefined && axis.max !== undefined;
  const min = axis?.min ?? low, max = axis?.max ?? high;
  for (const [bound, v] of [['min', axis?.min], ['max', axis?.max]] as const) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || (log && v <= 0))) {
      throw new TypegradError(`lineChart: ${name} axis ${bound} must be a finite${log ? ' positive' : ''} number, got ${describeValue(v)}`);
    }
  }
  if (fixed && !(min < max)) throw new TypegradError(`lineChart: ${name} axis min (${min}) must be below max (${max})`);
  return { ticks: log ? logTicks(min, max) : niceTicks(min, max, count, !fixed), log };
}

function makeScale({ ticks, log }: { ticks: Ticks; log: boolean }, from: number, to: number): Scale {
  const t = log ? Math.log10 : (v: number) => v;
  const a = t(ticks.min), b = t(ticks.max);
  return {
    ticks,
    log,
    // Halved first: the span of an axis over the whole double range would overflow.
    map: (value) => from + ((t(value) / 2 - a / 2) / (b / 2 - a / 2)) * (to - from),
    accepts: (value) => Number.isFinite(value) && (!log || value > 0),
  };
}

/** Path data for a series; a value that cannot be drawn lifts the pen. */
function pathData(s: CheckedSeries, x: Scale, y: Scale): string {
  const parts: string[] = [];
  let penDown = false;
  for (let i = 0; i < s.y.length; i++) {
    const xi = s.x[i]!, yi = s.y[i]!;
    if (!x.accepts(xi) || !y.accepts(yi)) {
      penDown = false;
      continue;
    }
    // Far-off values are clamped so the path stays finite; the clip path hides them.
    const py = Math.max(-1e6, Math.min(1e6, y.map(yi)));
    parts.push(`${penDown ? 'L' : 'M'}${coordinate(x.map(xi))},${coordinate(py)}`);
    penDown = true;
  }
  return parts.join(' ');
}

interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

function xAxis(x: Scale, plot: Box, label: string | undefined): string[] {
  const out = ['  <g class="axis x" fill="#333" font-size="11">'];
  out.push(`    <line x1="${coordinate(plot.left)}" y1="${coordinate(plot.bottom)}" x2="${coordinate(plot.right)}" y2="${coordinate(plot.bottom)}" stroke="#333"/>`);
  x.ticks.values.forEach((v, i) => {
    const px = coordinate(x.map(v));
    out.push(`    <line x1="${px}" y1="${coordinate(plot.bottom)}" x2="${px}" y2="${coordinate(plot.bottom + 5)}" stroke="#333"/>`);
    out.push(`    <text x="${px}" y="${coordinate(plot.bottom + 18)}" text-anchor="middle">${escapeXml(x.ticks.labels[i]!)}</text>`);
  });
  if (label !== undefined) {
    out.push(`    <text class="label" x="${coordinate((plot.left + plot.right) / 2)}" y="${coordinate(plot.bottom + 42)}" text-anchor="middle" font-size="${LABEL_FONT}">${escapeXml(label)}</text>`);
  }
  out.push('  </g>');
  return out;
}

function yAxis(y: Scale, plot: Box, which: 'y' | 'y2', label: string | undefined): string[] {
  const right = which === 'y2';
  const edge = right ? plot.right : plot.left;
  const outward = right ? 1 : -1;
  const out = [`  <g class="axis ${which}" fill="#333" font-size="11">`];
  out.push(`    <line x1="${coordinate(edge)}" y1="${coordinate(plot.top)}" x2="${coordinate(edge)}" y2="${coordinate(plot.bottom)}" stroke="#333"/>`);
  let widest = 0;
  y.ticks.values.forEach((v, i) => {
    const py = coordinate(y.map(v));
    const text = y.ticks.labels[i]!;
    widest = Math.max(widest, text.length * TICK_FONT * GLYPH);
    out.push(`    <line x1="${coordinate(edge)}" y1="${py}" x2="${coordinate(edge + 5 * outward)}" y2="${py}" stroke="#333"/>`);
    out.push(`    <text x="${coordinate(edge + 8 * outward)}" y="${py}" dy="0.32em" text-anchor="${right ? 'start' : 'end'}">${escapeXml(text)}</text>`);
  });
  if (label !== undefined) {
    const lx = edge + outward * (widest + 18);
    const cy = (plot.top + plot.bottom) / 2;
    out.push(`    <text class="label" transform="translate(${coordinate(lx)},${coordinate(cy)}) rotate(${right ? 90 : -90})" text-anchor="middle" font-size="${LABEL_FONT}">${escapeXml(label)}</text>`);
  }
  out.push('  </g>');
  return out;
}

function legendBox(series: readonly CheckedSeries[], plot: Box, place: NonNullable<LineChartOptions['legend']>, width: number, chartWidth: number): string[] {
  const rowHeight = 18;
  const height = series.length * rowHeight + 10;
  const left = place === 'outside' ? chartWidth - 12 - width : place.endsWith('left') ? plot.left + 10 : plot.right - 10 - width;
  const top = place === 'outside' || place.startsWith('top') ? plot.top + 10 : plot.bottom - 10 - height;
  const out = [`  <g class="legend" font-size="${LEGEND_FONT}" transform="translate(${coordinate(left)},${coordinate(top)})">`];
  out.push(`    <rect width="${coordinate(width)}" height="${height}" rx="4" fill="#ffffff" fill-opacity="0.9" stroke="#cccccc"/>`);
  series.forEach((s, i) => {
    const cy = 5 + rowHeight * i + rowHeight / 2;
    const dash = s.dash === undefined ? '' : ` stroke-dasharray="${escapeXml(s.dash)}"`;
    out.push(`    <g class="legend-entry">`);
    if (s.line) out.push(`      <line x1="8" y1="${cy}" x2="32" y2="${cy}" stroke="${escapeXml(s.color)}" stroke-width="2.5"${dash}/>`);
    if (s.points) out.push(`      <circle cx="20" cy="${cy}" r="3" fill="${escapeXml(s.color)}"/>`);
    out.push(`      <text x="40" y="${cy}" dy="0.35em" fill="#222">${escapeXml(legendText(s))}</text>`);
    out.push('    </g>');
  });
  out.push('  </g>');
  return out;
}

/** A series on the right axis says so, as its dashes alone would not tell which axis. */
function legendText(s: CheckedSeries): string {
  return s.right ? `${s.name} (right axis)` : s.name;
}
