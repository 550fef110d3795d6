/**
 * Series colours: Tableau 10, chosen to stay distinguishable side by side and, in its first
 * colours, for the common forms of colour blindness. Past ten series the colours repeat with a
 * dash pattern, so no two series look alike.
 */
export const PALETTE: readonly string[] = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const DASHES: readonly (string | undefined)[] = [undefined, '6 4', '2 3', '8 3 2 3'];

/** The colour and dash pattern of the i-th series. */
export function seriesStyle(index: number): { color: string; dash: string | undefined } {
  return { color: PALETTE[index % PALETTE.length]!, dash: DASHES[Math.floor(index / PALETTE.length) % DASHES.length] };
}
