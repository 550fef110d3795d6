/**
 * Colour for values: the viridis colour map (perceptually uniform, readable in grey and by the
 * common forms of colour blindness), shading for surfaces, and the colour bar that keys them.
 */
import { coordinate, escapeXml } from './escape.js';
import { formatNumber, niceTicks } from './ticks.js';

/** viridis at 0, 1/9, …, 1 (matplotlib's colours at those points); between them, linear in sRGB. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

/** The colour of t ∈ [0, 1] (clamped) as [r, g, b] in 0–255. */
export function viridis(t: number): [number, number, number] {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const position = clamped * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(position));
  const f = position - i;
  const a = VIRIDIS[i]!, b = VIRIDIS[i + 1]!;
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/** `#rrggbb` of a colour scaled by `light` (1 = as is; shading darkens or lightens it). */
export function hex([r, g, b]: readonly [number, number, number], light = 1): string {
  const channel = (c: number) => Math.round(Math.min(255, Math.max(0, c * light))).toString(16).padStart(2, '0');
  return `#${channel(r)}${channel(g)}${channel(b)}`;
}

/** What a colour bar keys: the value range and its label. */
export interface ColorBar {
  readonly min: number;
  readonly max: number;
  readonly label: string;
}

/**
 * A vertical colour bar at (left, top), `height` tall, ticked at nice values of [min, max]; the
 * gradient's id is `id`-colorbar. Returns SVG lines (a `<defs>` and a group).
 */
export function colorBar(bar: ColorBar, left: number, top: number, height: number, id: string): string[] {
  const width = 14;
  const gradient = `${id}-colorbar`;
  const out = [`  <defs><linearGradient id="${gradient}" x1="0" y1="1" x2="0" y2="0">`];
  for (let k = 0; k <= 10; k++) out.push(`    <stop offset="${k / 10}" stop-color="${hex(viridis(k / 10))}"/>`);
  out.push('  </linearGradient></defs>');
  out.push(`  <g class="colorbar" font-size="11" fill="#333">`);
  out.push(`    <rect x="${coordinate(left)}" y="${coordinate(top)}" width="${width}" height="${coordinate(height)}" fill="url(#${gradient})" stroke="#999"/>`);
  const ticks = niceTicks(bar.min, bar.max, 6, false);
  const decimals = Math.max(0, -Math.floor(Math.log10(ticks.step) + 1e-9));
  for (const v of ticks.values) {
    const y = top + height - ((v - bar.min) / (bar.max - bar.min)) * height;
    out.push(`    <line x1="${coordinate(left + width)}" y1="${coordinate(y)}" x2="${coordinate(left + width + 4)}" y2="${coordinate(y)}" stroke="#333"/>`);
    out.push(`    <text x="${coordinate(left + width + 7)}" y="${coordinate(y)}" dy="0.32em">${escapeXml(formatNumber(v, decimals))}</text>`);
  }
  out.push(`    <text class="label" x="${coordinate(left + width / 2)}" y="${coordinate(top - 10)}" text-anchor="middle" font-size="12">${escapeXml(bar.label)}</text>`);
  out.push('  </g>');
  return out;
}
