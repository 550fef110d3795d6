/**
 * Benchmark 2: the gradient of Rosenbrock in 1,000 variables,
 * f = Σ_{j<999} 100(x_{j+1} − x_j²)² + (1 − x_j)², at 10,000 points.
 */
import { compile, grad, Var, type SFun } from '../src/index.js';
import type { Row } from './value-and-gradient.js';
import { maxRelativeError, median } from './measure.js';

const DIMENSION = 1000;
const POINTS = 10_000;

/** The same gradient by hand, column by column. */
function handwritten(columns: readonly Float64Array[], out: readonly Float64Array[]): void {
  for (const o of out) o.fill(0);
  for (let j = 0; j < DIMENSION - 1; j++) {
    const a = columns[j]!;
    const b = columns[j + 1]!;
    const oa = out[j]!;
    const ob = out[j + 1]!;
    for (let i = 0; i < POINTS; i++) {
      const x = a[i]!;
      const t = b[i]! - x * x;
      oa[i] = oa[i]! - 400 * x * t - 2 * (1 - x);
      ob[i] = ob[i]! + 200 * t;
    }
  }
}

export async function rosenbrockBenchmark(): Promise<{ rows: Row[]; note: string }> {
  const variables = Array.from({ length: DIMENSION }, (_, j) => Var(`x${j}`));
  let start = performance.now();
  let f: SFun<string> = variables[0]!.sub(variables[0]!);
  for (let j = 0; j < DIMENSION - 1; j++) {
    const a = variables[j]!;
    const b = variables[j + 1]!;
    f = f.add(b.sub(a.pow(2)).pow(2).mul(100).add(a.neg().add(1).pow(2)));
  }
  const g = grad(f, variables);
  const partials = variables.map((_, j) => g[`x${j}`]!);
  const buildMs = performance.now() - start;
  start = performance.now();
  const program = compile(partials, { batch: true, args: variables });
  const compileMs = performance.now() - start;

  const columns = Array.from({ length: DIMENSION }, (_, j) => Float64Array.from({ length: POINTS }, (_, i) => Math.sin(i * 0.37 + j)));
  const expected = Array.from({ length: DIMENSION }, () => new Float64Array(POINTS));
  const out = Array.from({ length: DIMENSION }, () => new Float64Array(POINTS));
  const rows: Row[] = [];
  rows.push({ name: 'handwritten JS loop (column by column)', ms: await median(() => handwritten(columns, expected), 5, 1), error: 0 });
  const ms = await median(() => (program as (...args: unknown[]) => unknown)(...columns, out), 5, 1);
  rows.push({ name: 'typegrad js batch (column-blocked: each chunk over 256 points at a time)', ms, error: Math.max(...out.map((o, j) => maxRelativeError(o, expected[j]!))) });
  return { rows, note: `Building f and its symbolic gradient took ${buildMs.toFixed(0)} ms, compiling the batch program ${compileMs.toFixed(0)} ms (not included in the times below).` };
}
