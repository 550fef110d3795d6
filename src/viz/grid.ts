/** What the surface renderers (`surface-mesh.ts`, `heatmap.ts`) share: the sampled grid and the frame. */
import { coordinate, escapeXml } from './escape.js';

/** The sampled function: `z[j·xs.length + i]` at (xs[i], ys[j]). */
export interface SampledGrid {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly z: Float64Array;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly zLabel: string;
  /** The value range the colours and heights span (fixed by the options, else the finite values'). */
  readonly zMin: number;
  readonly zMax: number;
}

/** Where v lies in [min, max], from 0 to 1 (not clamped); halved first, so that max − min cannot overflow. */
export function fraction(v: number, min: number, max: number): number {
  return (v / 2 - min / 2) / (max / 2 - min / 2);
}

/** The checked options every renderer reads. */
export interface PlotFrame {
  readonly title: string | undefined;
  readonly width: number;
  readonly height: number;
  readonly id: string;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/** The document's opening: the svg element, its title (also as accessible text) and a white background. */
export function documentStart(frame: PlotFrame): string[] {
  const { width, height } = frame;
  const title = frame.title === undefined ? '' : escapeXml(frame.title);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${coordinate(width)}" height="${coordinate(height)}" viewBox="0 0 ${coordinate(width)} ${coordinate(height)}" font-family="${escapeXml(FONT)}" role="img"${title === '' ? '' : ` aria-label="${title}"`}>`,
  ];
  if (title !== '') out.push(`  <title>${title}</title>`);
  out.push(`  <rect width="${coordinate(width)}" height="${coordinate(height)}" fill="#ffffff"/>`);
  if (title !== '') {
    // A title too long for the plot is set smaller rather than cut off at the edges.
    const size = Math.max(9, Math.min(16, (width - 24) / (frame.title!.length * 0.6)));
    out.push(`  <text class="title" x="${coordinate(width / 2)}" y="28" text-anchor="middle" font-size="${coordinate(size)}" font-weight="600" fill="#222">${title}</text>`);
  }
  return out;
}
