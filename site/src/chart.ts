/**
 * A small line chart on a canvas for the page (the library's `lineChart` writes SVG files; a
 * page redrawing a curve at every training step wants a canvas). Axes with round ticks, a
 * legend, series drawn as polylines broken where a value is not finite.
 */

/** One curve. */
export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly dash?: readonly number[];
  /** Draw a dot at each point (for sparse series, e.g. once per epoch). */
  readonly dots?: boolean;
}

/** What to draw. */
export interface ChartOptions {
  readonly series: readonly ChartSeries[];
  readonly xLabel: string;
  /** The x range; default the data's. */
  readonly xRange?: readonly [number, number];
  /** The y range; default the data's (robust: the 2nd to 98th percentile, padded). */
  readonly yRange?: readonly [number, number];
  /** A vertical marker line, e.g. the point of the gradient. */
  readonly marker?: number;
}

const MARGIN = { left: 48, right: 12, top: 26, bottom: 34 };

/** Round tick values covering [lo, hi], about `count` of them. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

function dataRange(values: number[], robust: boolean): [number, number] {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return [-1, 1];
  let lo = finite[robust ? Math.floor(0.02 * (finite.length - 1)) : 0]!;
  let hi = finite[robust ? Math.ceil(0.98 * (finite.length - 1)) : finite.length - 1]!;
  if (hi - lo < 1e-12) [lo, hi] = [lo - 1, hi + 1];
  const pad = 0.08 * (hi - lo);
  return [lo - pad, hi + pad];
}

const label = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(0) : String(Number(v.toPrecision(4))));

/** Draws the chart, filling the canvas (sized to its CSS box at the device's pixel ratio). */
export function drawChart(canvas: HTMLCanvasElement, options: ChartOptions): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width, height = canvas.clientHeight || canvas.height;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d')!;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const xs = options.series.flatMap((s) => Array.from(s.x));
  const ys = options.series.flatMap((s) => Array.from(s.y));
  const [x0, x1] = options.xRange ?? dataRange(xs, false);
  const [y0, y1] = options.yRange ?? dataRange(ys, true);
  const plotWidth = width - MARGIN.left - MARGIN.right, plotHeight = height - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotWidth;
  const py = (y: number) => MARGIN.top + (1 - (y - y0) / (y1 - y0 || 1)) * plotHeight;

  g.font = '11px system-ui, sans-serif';
  g.strokeStyle = '#e3e6ea';
  g.fillStyle = '#5b6470';
  g.lineWidth = 1;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const t of ticks(x0, x1, Math.max(2, Math.round(plotWidth / 70)))) {
    g.beginPath();
    g.moveTo(px(t), MARGIN.top);
    g.lineTo(px(t), MARGIN.top + plotHeight);
    g.stroke();
    g.fillText(label(t), px(t), MARGIN.top + plotHeight + 4);
  }
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const t of ticks(y0, y1, Math.max(2, Math.round(plotHeight / 40)))) {
    g.beginPath();
    g.moveTo(MARGIN.left, py(t));
    g.lineTo(MARGIN.left + plotWidth, py(t));
    g.stroke();
    g.fillText(label(t), MARGIN.left - 5, py(t));
  }
  g.textAlign = 'center';
  g.textBaseline = 'bottom';
  g.fillText(options.xLabel, MARGIN.left + plotWidth / 2, height - 2);
  g.strokeStyle = '#9aa3ad';
  g.strokeRect(MARGIN.left, MARGIN.top, plotWidth, plotHeight);

  g.save();
  g.beginPath();
  g.rect(MARGIN.left, MARGIN.top, plotWidth, plotHeight);
  g.clip();
  if (options.marker !== undefined && Number.isFinite(options.marker)) {
    g.strokeStyle = '#b0b7bf';
    g.setLineDash([3, 3]);
    g.beginPath();
    g.moveTo(px(options.marker), MARGIN.top);
    g.lineTo(px(options.marker), MARGIN.top + plotHeight);
    g.stroke();
  }
  for (const s of options.series) {
    g.strokeStyle = s.color;
    g.fillStyle = s.color;
    g.lineWidth = 2;
    g.setLineDash(s.dash ? [...s.dash] : []);
    g.beginPath();
    let drawing = false;
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!, y = s.y[i]!;
      // Far outside the range (a pole of tan), the segment would be drawn through the plot: break it.
      if (!Number.isFinite(y) || Math.abs(y - (y0 + y1) / 2) > 50 * (y1 - y0)) {
        drawing = false;
        continue;
      }
      if (drawing) g.lineTo(px(x), py(y));
      else g.moveTo(px(x), py(y));
      drawing = true;
    }
    g.stroke();
    if (s.dots) for (let i = 0; i < s.x.length; i++) {
      g.beginPath();
      g.arc(px(s.x[i]!), py(s.y[i]!), 3, 0, 2 * Math.PI);
      g.fill();
    }
  }
  g.restore();

  // Legend, top left, one entry after another.
  g.setLineDash([]);
  g.textAlign = 'left';
  g.textBaseline = 'middle';
  let lx = MARGIN.left;
  for (const s of options.series) {
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.setLineDash(s.dash ? [...s.dash] : []);
    g.beginPath();
    g.moveTo(lx, 12);
    g.lineTo(lx + 18, 12);
    g.stroke();
    g.fillStyle = '#2b3137';
    g.fillText(s.name, lx + 23, 12);
    lx += 23 + g.measureText(s.name).width + 16;
  }
  g.setLineDash([]);
}
