/**
 * A sampled surface drawn in a 3-D box: an orthographic view from an azimuth and an elevation,
 * each grid cell a quadrilateral coloured by its mean value (viridis) and shaded by the angle
 * between its normal and a light near the viewer; cells drawn from the farthest to the nearest
 * (the painter's algorithm). Behind the surface: the box's floor and two back walls, with grid
 * lines at the axes' ticks; in front: tick labels, axis names, the colour bar.
 */
import { colorBar, hex, viridis } from './colormap.js';
import { coordinate, escapeXml } from './escape.js';
import { documentStart, fraction, type PlotFrame, type SampledGrid } from './grid.js';
import { formatNumber, niceTicks, type Ticks } from './ticks.js';

/** The box: x and y span [−½, ½], the value HEIGHT (so the box is lower than it is wide). */
const HEIGHT = 0.7;
const COLOR_BAR_SPACE = 96;

type Point3 = readonly [number, number, number];

interface View {
  /** Screen position (pixels) of a point of the box. */
  screen(p: Point3): [number, number];
  /** Distance from the viewer (larger is farther), for drawing order. */
  depth(p: Point3): number;
  /** The direction to the light, in box coordinates. */
  readonly light: Point3;
  /** Box coordinates of the floor corner nearest the viewer: the sides of x and y whose edges are in front. */
  readonly nearX: number;
  readonly nearY: number;
}

function makeView(azimuthDegrees: number, elevationDegrees: number, frame: PlotFrame, top: number): View {
  const a = (azimuthDegrees * Math.PI) / 180, e = (elevationDegrees * Math.PI) / 180;
  const [ca, sa, ce, se] = [Math.cos(a), Math.sin(a), Math.cos(e), Math.sin(e)];
  // u to the right on screen, w away from the viewer in the floor's plane, v up on screen.
  const project = ([x, y, z]: Point3) => {
    const u = x * ca - y * sa, w = x * sa + y * ca;
    return { u, v: z * ce + w * se, depth: w * ce - z * se };
  };
  const corners: Point3[] = [];
  for (const x of [-0.5, 0.5]) for (const y of [-0.5, 0.5]) for (const z of [-HEIGHT / 2, HEIGHT / 2]) corners.push([x, y, z]);
  const projected = corners.map(project);
  const [uMin, uMax] = [Math.min(...projected.map((p) => p.u)), Math.max(...projected.map((p) => p.u))];
  const [vMin, vMax] = [Math.min(...projected.map((p) => p.v)), Math.max(...projected.map((p) => p.v))];
  // Room for tick labels and axis names around the box.
  const area = { left: 70, right: frame.width - COLOR_BAR_SPACE - 40, top: top + 20, bottom: frame.height - 60 };
  const scale = Math.min((area.right - area.left) / (uMax - uMin), (area.bottom - area.top) / (vMax - vMin));
  const cu = (area.left + area.right) / 2, cv = (area.top + area.bottom) / 2;
  const toward = [-sa * ce, -ca * ce, se] as const; // from the box to the viewer
  const right = [ca, -sa, 0] as const;
  const light = normalize([toward[0] - 0.4 * right[0], toward[1] - 0.4 * right[1], toward[2] + 0.6]);
  return {
    screen: (p) => {
      const { u, v } = project(p);
      return [cu + (u - (uMin + uMax) / 2) * scale, cv - (v - (vMin + vMax) / 2) * scale];
    },
    depth: (p) => project(p).depth,
    light,
    nearX: project([0.5, 0, 0]).depth < project([-0.5, 0, 0]).depth ? 0.5 : -0.5,
    nearY: project([0, 0.5, 0]).depth < project([0, -0.5, 0]).depth ? 0.5 : -0.5,
  };
}

function normalize([x, y, z]: Point3): Point3 {
  const length = Math.hypot(x, y, z) || 1;
  return [x / length, y / length, z / length];
}

/** Polygon points to a tenth of a pixel (finer is invisible; thousands of cells make it worth the bytes). */
const points = (view: View, corners: readonly Point3[]) =>
  corners.map((p) => view.screen(p).map((v) => String(Math.round(v * 10) / 10)).join(',')).join(' ');

/** The floor and the two back walls, with grid lines at the ticks. */
function box(view: View, ticks: { x: Ticks; y: Ticks; z: Ticks }, toBox: { x: (v: number) => number; y: (v: number) => number; z: (v: number) => number }): string[] {
  const [z0, z1] = [-HEIGHT / 2, HEIGHT / 2];
  const farX = -view.nearX, farY = -view.nearY;
  const out = ['  <g class="box" stroke="#c8c8c8" stroke-width="1">'];
  const plane = (corners: Point3[]) => out.push(`    <polygon points="${points(view, corners)}" fill="#f6f6f6"/>`);
  plane([[-0.5, -0.5, z0], [0.5, -0.5, z0], [0.5, 0.5, z0], [-0.5, 0.5, z0]]);
  plane([[farX, -0.5, z0], [farX, 0.5, z0], [farX, 0.5, z1], [farX, -0.5, z1]]);
  plane([[-0.5, farY, z0], [0.5, farY, z0], [0.5, farY, z1], [-0.5, farY, z1]]);
  const line = (a: Point3, b: Point3) => {
    const [p, q] = [view.screen(a), view.screen(b)];
    out.push(`    <line x1="${coordinate(p[0])}" y1="${coordinate(p[1])}" x2="${coordinate(q[0])}" y2="${coordinate(q[1])}" stroke="#e2e2e2"/>`);
  };
  for (const v of ticks.x.values) {
    const x = toBox.x(v);
    line([x, -0.5, z0], [x, 0.5, z0]);
    line([x, farY, z0], [x, farY, z1]);
  }
  for (const v of ticks.y.values) {
    const y = toBox.y(v);
    line([-0.5, y, z0], [0.5, y, z0]);
    line([farX, y, z0], [farX, y, z1]);
  }
  for (const v of ticks.z.values) {
    const z = toBox.z(v);
    line([farX, -0.5, z], [farX, 0.5, z]);
    line([-0.5, farY, z], [0.5, farY, z]);
  }
  out.push('  </g>');
  return out;
}

/** Tick labels along the floor's front edges and a vertical edge, and the axis names. */
function axisLabels(view: View, ticks: { x: Ticks; y: Ticks; z: Ticks }, toBox: { x: (v: number) => number; y: (v: number) => number; z: (v: number) => number }, grid: SampledGrid): string[] {
  const out = ['  <g class="axes" fill="#333" font-size="11">'];
  const z0 = -HEIGHT / 2;
  const [cx] = view.screen([0, 0, z0]);
  /** A label at a box point pushed outward (in box coordinates), anchored away from the box. */
  const label = (at: Point3, outward: Point3, text: string, className: string) => {
    const [x, y] = view.screen([at[0] + outward[0], at[1] + outward[1], at[2] + outward[2]]);
    const [bx] = view.screen(at);
    const anchor = Math.abs(x - bx) < 4 ? 'middle' : x < bx ? 'end' : 'start';
    out.push(`    <text class="${className}" x="${coordinate(x)}" y="${coordinate(y)}" dy="0.32em" text-anchor="${anchor}">${escapeXml(text)}</text>`);
  };
  const decimals = (t: Ticks) => Math.max(0, -Math.floor(Math.log10(t.step) + 1e-9));
  const { nearX, nearY } = view;
  for (const v of ticks.x.values) label([toBox.x(v), nearY, z0], [0, 0.08 * nearY * 2, 0], formatNumber(v, decimals(ticks.x)), 'tick x');
  for (const v of ticks.y.values) label([nearX, toBox.y(v), z0], [0.08 * nearX * 2, 0, 0], formatNumber(v, decimals(ticks.y)), 'tick y');
  // The value axis on the vertical edge that is further left on screen.
  const corners: Point3[] = [[nearX, -nearY, 0], [-nearX, nearY, 0]];
  const edge = corners.reduce((a, b) => (view.screen(a)[0] <= view.screen(b)[0] ? a : b));
  const outward: Point3 = [edge[0] * 0.12, edge[1] * 0.12, 0];
  for (const v of ticks.z.values) label([edge[0], edge[1], toBox.z(v)], outward, formatNumber(v, decimals(ticks.z)), 'tick z');
  out.push('  </g>');
  out.push(`  <g class="axis-names" fill="#222" font-size="13">`);
  const name = (at: Point3, text: string) => {
    const [x, y] = view.screen(at);
    const anchor = Math.abs(x - cx) < 20 ? 'middle' : x < cx ? 'end' : 'start';
    out.push(`    <text class="label" x="${coordinate(x)}" y="${coordinate(y)}" dy="0.32em" text-anchor="${anchor}">${escapeXml(text)}</text>`);
  };
  name([0, nearY * 1.5, z0], grid.xLabel);
  name([nearX * 1.5, 0, z0], grid.yLabel);
  const [zx, zy] = view.screen([edge[0], edge[1], HEIGHT / 2]);
  out.push(`    <text class="label" x="${coordinate(zx)}" y="${coordinate(zy - 14)}" text-anchor="middle">${escapeXml(grid.zLabel)}</text>`);
  out.push('  </g>');
  return out;
}

/** The SVG of a sampled surface seen from `azimuth` and `elevation` (degrees). */
export function renderSurface(grid: SampledGrid, frame: PlotFrame, azimuth: number, elevation: number): string {
  const { xs, ys, z, zMin, zMax } = grid;
  const nx = xs.length, ny = ys.length;
  const top = frame.title === undefined ? 16 : 44;
  const view = makeView(azimuth, elevation, frame, top);
  const ticks = { x: niceTicks(xs[0]!, xs[nx - 1]!, 5, false), y: niceTicks(ys[0]!, ys[ny - 1]!, 5, false), z: niceTicks(zMin, zMax, 5, false) };
  const toBox = {
    x: (v: number) => fraction(v, xs[0]!, xs[nx - 1]!) - 0.5,
    y: (v: number) => fraction(v, ys[0]!, ys[ny - 1]!) - 0.5,
    // Values beyond a fixed range are drawn at its bound.
    z: (v: number) => (Math.min(1, Math.max(0, fraction(v, zMin, zMax))) - 0.5) * HEIGHT,
  };
  const vertex = (i: number, j: number): Point3 => [toBox.x(xs[i]!), toBox.y(ys[j]!), toBox.z(z[j * nx + i]!)];

  const cells: { depth: number; svg: string }[] = [];
  const triangle = (corners: readonly [Point3, Point3, Point3], values: readonly number[]) => {
    const [p, q, r] = corners;
    const u = [q[0] - p[0], q[1] - p[1], q[2] - p[2]], v = [r[0] - p[0], r[1] - p[1], r[2] - p[2]];
    const normal = normalize([u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!]);
    // Two-sided, so the underside is lit as well.
    const lambert = Math.abs(normal[0] * view.light[0] + normal[1] * view.light[1] + normal[2] * view.light[2]);
    const mean = (values[0]! + values[1]! + values[2]!) / 3;
    const color = hex(viridis(fraction(mean, zMin, zMax)), 0.45 + 0.65 * lambert);
    const depth = (view.depth(p) + view.depth(q) + view.depth(r)) / 3;
    // The stroke in the fill's colour closes the hairline seams between neighbouring triangles.
    cells.push({ depth, svg: `    <polygon points="${points(view, corners)}" fill="${color}" stroke="${color}"/>` });
  };
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const index = [j * nx + i, j * nx + i + 1, (j + 1) * nx + i + 1, (j + 1) * nx + i];
      const values = index.map((k) => z[k]!);
      if (!values.every(Number.isFinite)) continue; // a hole where the function has no value
      const [a, b, c, d] = [vertex(i, j), vertex(i + 1, j), vertex(i + 1, j + 1), vertex(i, j + 1)];
      const [va, vb, vc, vd] = values as [number, number, number, number];
      // Two triangles split along the diagonal whose ends are closer in value: a ridge or a
      // valley that crosses the cell diagonally stays one edge instead of a zigzag.
      if (Math.abs(va - vc) <= Math.abs(vb - vd)) {
        triangle([a, b, c], [va, vb, vc]);
        triangle([a, c, d], [va, vc, vd]);
      } else {
        triangle([a, b, d], [va, vb, vd]);
        triangle([b, c, d], [vb, vc, vd]);
      }
    }
  }
  cells.sort((a, b) => b.depth - a.depth);

  const out = documentStart(frame);
  out.push(...box(view, ticks, toBox));
  out.push('  <g class="surface" stroke-width="0.6" stroke-linejoin="round">');
  for (const cell of cells) out.push(cell.svg);
  out.push('  </g>');
  out.push(...axisLabels(view, ticks, toBox, grid));
  const barHeight = Math.max(40, Math.min(320, frame.height - top - 120));
  out.push(...colorBar({ min: zMin, max: zMax, label: grid.zLabel }, frame.width - COLOR_BAR_SPACE + 10, top + 40, barHeight, escapeXml(frame.id)));
  out.push('</svg>', '');
  return out.join('\n');
}
