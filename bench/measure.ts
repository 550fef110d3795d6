/** Timing helpers for the benchmarks: warm up, then the median of several runs. */
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

export async function median(run: () => unknown | Promise<unknown>, repetitions: number, warmups = 1): Promise<number> {
  for (let i = 0; i < warmups; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** The machine line: CPU model from /proc/cpuinfo, cores, Node version, date. */
export function machineLine(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const match = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) model = match[1]!.trim();
  } catch {
    // not Linux: os.cpus() already gave the model
  }
  return `${model}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/** Largest relative difference between two columns (for the sanity check beside each timing). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

/** A deterministic pseudo-random sequence in [−scale, scale) (the same data for every implementation). */
export function sequence(length: number, seed: number, scale: number): Float64Array {
  let state = seed >>> 0;
  return Float64Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 31 - 1) * scale;
  });
}

/** Largest difference between two results, relative to the expected one's largest magnitude. */
export function relativeError(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let magnitude = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    magnitude = Math.max(magnitude, Math.abs(expected[i]!));
  }
  return worst / Math.max(magnitude, 1e-300);
}
