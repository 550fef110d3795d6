/**
 * `surfacePlot`: a function of two variables (or its gradient's magnitude) drawn as a standalone
 * SVG document, either as a shaded surface in a 3-D box (`surface-mesh.ts`) or as a heat map
 * with contour lines (`heatmap.ts`), both with axes and a colour bar. The function is sampled on
 * a grid by one compiled batch program; values that are not finite leave holes, never break the
 * document. Like `lineChart`: no dependencies, no randomness, the same input gives the same bytes.
 */
import { TypegradError } from '../ad/errors.js';
import { describeShape } from '../ad/shape.js';
import { compile } from '../api/compile.js';
import { Fun } from '../api/fun.js';
import { describeValue, ownEntries } from '../api/record.js';
import { SFun, Var, type OnlyKeysOf } from '../api/scalar.js';
import type { PlotFrame, SampledGrid } from './grid.js';
import { renderHeatmap } from './heatmap.js';
import { renderSurface } from './surface-mesh.js';

/**
 * Where to draw `SFun<V>`: two variables over ranges `[low, high]` (the first on the horizontal
 * axis, the second in depth, or up on a heat map) and every other variable at a fixed number.
 * @example { x: [-1, 1], y: [-1, 1], t: 0.5 }
 */
export type SurfaceDomain<V extends string> = { readonly [K in V]: readonly [number, number] | number };

/** Options of `surfacePlot`. */
export interface SurfacePlotOptions {
  /** `'surface'` (default): a shaded surface in a 3-D box; `'heatmap'`: colours seen from above, with contour lines. */
  readonly kind?: 'surface' | 'heatmap';
  /** `'value'` (default): the function; `'gradient'`: the magnitude of its gradient in the two plotted variables, |∇f|. */
  readonly show?: 'value' | 'gradient';
  readonly title?: string;
  /** Samples along each axis, 2 to 400; default 64 for a surface, 80 for a heat map (each about 700 KB of SVG). */
  readonly resolution?: number;
  /** The value axis: its label (default `f` or `|∇f|`), and fixed bounds (values beyond are drawn at the bound). */
  readonly z?: { readonly label?: string; readonly min?: number; readonly max?: number };
  /** The view of a surface, in degrees: turned about the vertical axis (default −35) and raised above the floor (default 30, 0 to 90). */
  readonly azimuth?: number;
  readonly elevation?: number;
  /** Contour lines of a heat map, about this many (at nice values); default 10, 0 for none. */
  readonly contours?: number;
  /** In pixels; default 720 × 560 for a surface, 720 × 600 for a heat map. */
  readonly width?: number;
  readonly height?: number;
  /** Prefix of the ids inside the SVG, to embed several plots in one page; default `surface`. */
  readonly id?: string;
}

const OPERATION = 'surfacePlot';
const MAX_RESOLUTION = 400;

function positiveNumber(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypegradError(`${OPERATION}: ${name} must be a positive number, got ${describeValue(value)}`);
  return value;
}

function integerIn(value: unknown, fallback: number, low: number, high: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw new TypegradError(`${OPERATION}: ${name} must be an integer from ${low} to ${high}, got ${describeValue(value)}`);
  }
  return value;
}

function finiteIn(value: unknown, fallback: number, low: number, high: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high) {
    throw new TypegradError(`${OPERATION}: ${name} must be a number from ${low} to ${high}, got ${describeValue(value)}`);
  }
  return value;
}

interface Axis {
  readonly name: string;
  readonly low: number;
  readonly high: number;
}

/** The domain checked against the function: every variable given, two ranges, fixed values finite. */
function checkDomain(f: SFun<string>, domain: unknown): { axes: [Axis, Axis]; fixed: Map<string, number> } {
  const declared = Fun.declaredSet(f);
  const axes: Axis[] = [];
  const fixed = new Map<string, number>();
  for (const [name, value] of ownEntries(domain, OPERATION)) {
    const variable = declared.map.get(name);
    if (variable === undefined) {
      const names = [...declared.names].sort();
      throw new TypegradError(`${OPERATION}: '${name}' is not a variable of this function (${names.length === 0 ? 'it has none' : `its variables are ${names.join(', ')}`})`);
    }
    if (variable.shape.length !== 0) throw new TypegradError(`${OPERATION}: variable '${name}' is a ${describeShape(variable.shape)}; only scalar variables can be plotted or fixed`);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypegradError(`${OPERATION}: variable '${name}' must be fixed at a finite number, got ${value}`);
      fixed.set(name, value);
      continue;
    }
    const valid = Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v)) && value[0] < value[1];
    if (!valid) throw new TypegradError(`${OPERATION}: variable '${name}' needs a range [low, high] of finite numbers with low < high, or a number, got ${describeValue(value)}`);
    axes.push({ name, low: value[0], high: value[1] });
  }
  const missing = [...declared.names].filter((n) => !axes.some((a) => a.name === n) && !fixed.has(n)).sort();
  if (missing.length > 0) throw new TypegradError(`${OPERATION}: give a range or a value for every variable; missing ${missing.map((n) => `'${n}'`).join(', ')}`);
  if (axes.length !== 2) {
    throw new TypegradError(`${OPERATION}: needs exactly two variables with a range [low, high] (the plot's two axes), got ${axes.length}${axes.length > 0 ? ` (${axes.map((a) => a.name).join(', ')})` : ''}`);
  }
  return { axes: [axes[0]!, axes[1]!], fixed };
}

/** n sample positions over [low, high]: the ends included (a surface's vertices), or the centres of n cells (a heat map's). */
function samples(axis: Axis, n: number, centres: boolean): Float64Array {
  const step = (axis.high - axis.low) / (centres ? n : n - 1);
  return Float64Array.from({ length: n }, (_, i) => (i === n - 1 && !centres ? axis.high : axis.low + (centres ? i + 0.5 : i) * step));
}

/**
 * A function of two variables as an SVG document: a shaded surface in a 3-D box (default) or a
 * heat map with contour lines (`kind: 'heatmap'`), with axes named after the variables and a
 * colour bar; `show: 'gradient'` draws |∇f| in the two plotted variables instead of f. Other
 * variables are fixed at the numbers given. Values that are not finite leave holes (a surface)
 * or grey cells (a heat map).
 * @example surfacePlot(sin(x.mul(x).add(y.mul(y)).mul(10)).div(10), { x: [-1, 1], y: [-1, 1] }, { title: 'ripple' })
 */
export function surfacePlot<V extends string, const D extends SurfaceDomain<V>>(f: SFun<V>, domain: D & OnlyKeysOf<D, V>, options?: SurfacePlotOptions): string;
export function surfacePlot(f: unknown, domain: unknown, options: SurfacePlotOptions = {}): string {
  if (!(f instanceof SFun)) throw new TypegradError(`${OPERATION}: expected a scalar Fun (an SFun) of two or more variables, got ${describeValue(f)}`);
  if (options === null || typeof options !== 'object') throw new TypegradError(`${OPERATION}: options must be an object, got ${describeValue(options)}`);
  const { axes, fixed } = checkDomain(f, domain);
  const kind = options.kind ?? 'surface';
  if (kind !== 'surface' && kind !== 'heatmap') throw new TypegradError(`${OPERATION}: kind must be 'surface' or 'heatmap', got ${describeValue(kind)}`);
  const show = options.show ?? 'value';
  if (show !== 'value' && show !== 'gradient') throw new TypegradError(`${OPERATION}: show must be 'value' or 'gradient', got ${describeValue(show)}`);
  const heatmap = kind === 'heatmap';
  const n = integerIn(options.resolution, heatmap ? 80 : 64, 2, MAX_RESOLUTION, 'resolution');
  const frame: PlotFrame = {
    title: options.title === undefined ? undefined : String(options.title),
    width: positiveNumber(options.width, 720, 'width'),
    height: positiveNumber(options.height, heatmap ? 600 : 560, 'height'),
    id: String(options.id ?? 'surface'),
  };

  const xs = samples(axes[0], n, heatmap), ys = samples(axes[1], n, heatmap);
  const columns: Record<string, Float64Array> = {};
  for (const [name, value] of fixed) columns[name] = new Float64Array(n * n).fill(value);
  columns[axes[0].name] = Float64Array.from({ length: n * n }, (_, k) => xs[k % n]!);
  columns[axes[1].name] = Float64Array.from({ length: n * n }, (_, k) => ys[Math.floor(k / n)]!);
  let z: Float64Array;
  if (show === 'value') z = compile(f as SFun<string>, { batch: true })(columns as never) as Float64Array;
  else {
    const partials = [f.d(Var(axes[0].name)), f.d(Var(axes[1].name))];
    const [dx, dy] = compile(partials, { batch: true })(columns as never) as Float64Array[];
    z = dx!.map((a, k) => Math.hypot(a, dy![k]!));
  }

  const range = valueRange(z, options.z);
  const grid: SampledGrid = {
    xs, ys, z,
    xLabel: axes[0].name,
    yLabel: axes[1].name,
    zLabel: options.z?.label ?? (show === 'value' ? 'f' : '|∇f|'),
    zMin: range.min,
    zMax: range.max,
  };
  if (heatmap) return renderHeatmap(grid, frame, integerIn(options.contours, 10, 0, 50, 'contours'));
  return renderSurface(grid, frame, finiteIn(options.azimuth, -35, -360, 360, 'azimuth'), finiteIn(options.elevation, 30, 0, 90, 'elevation'));
}

/** The range of the finite values (or the bounds given), widened when it is a single value. */
function valueRange(z: Float64Array, bounds: SurfacePlotOptions['z']): { min: number; max: number } {
  let low = Infinity, high = -Infinity;
  for (const v of z) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (low > high) [low, high] = [0, 1]; // nothing finite: an empty but readable plot
  for (const [name, v] of [['min', bounds?.min], ['max', bounds?.max]] as const) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) throw new TypegradError(`${OPERATION}: z.${name} must be a finite number, got ${describeValue(v)}`);
  }
  const min = bounds?.min ?? low, max = bounds?.max ?? high;
  if (bounds?.min !== undefined && bounds.max !== undefined && !(min < max)) throw new TypegradError(`${OPERATION}: z.min (${min}) must be below z.max (${max})`);
  if (min < max) return { min, max };
  if (bounds?.min !== undefined || bounds?.max !== undefined) throw new TypegradError(`${OPERATION}: the value range [${min}, ${max}] is empty; give z.min below z.max`);
  // One value (a constant function): a range around it, as niceTicks gives a constant axis.
  const pad = min === 0 ? 1 : Math.abs(min) / 10;
  return { min: min - pad, max: max + pad };
}
