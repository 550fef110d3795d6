/**
 * Timings of `simplify` and `solve` on the equations of the algebra review: each case cold (the
 * first call in a fresh process, JIT and node pool empty) and warm (the median of later calls).
 * Run with `npx tsx bench/algebra.ts`; `algebraBenchmark()` returns the rows for a report.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Const, d, eq, ln, pow, simplify, sin, solve, sqrt, Var, cos, cosh, sinh, abs, type SFun } from '../src/index.js';

const x = Var('x'), y = Var('y');

/** The cases: a name and the work (which returns something printable, the result). */
const cases: Record<string, () => unknown> = {
  'simplify Σ_{i=1..50} i·(x + i)(y − i)': () => {
    let f: SFun<'x' | 'y'> = Const(0);
    for (let i = 1; i <= 50; i++) f = f.add(x.add(i).mul(y.sub(i)).mul(i));
    return simplify(f);
  },
  'solve 1/(x − 3) + 1/(x + 3) = 10/(x² − 9)': () => solve(eq(Const(1).div(x.sub(3)).add(Const(1).div(x.add(3))), Const(10).div(x.pow(2).sub(9))), x),
  'solve d/dx[x²/(7 − x)] = 0': () => solve(d(x.pow(2).div(Const(7).sub(x)), x), x),
  'solve 5·963761198400·x³ + x + 963761198400 = 0': () => solve(Const(5 * 963761198400).mul(x.pow(3)).add(x).add(963761198400), x),
  'solve 2^(2x) − 5·2^(x+1) + 16 = 0': () => solve(pow(2, x.mul(2)).sub(pow(2, x.add(1)).mul(5)).add(16), x),
  'solve ln(x − 2) + ln(2x − 3) = 2 ln x': () => solve(eq(ln(x.sub(2)).add(ln(x.mul(2).sub(3))), ln(x).mul(2)), x),
  'solve √(2x − 1) − √(x − 4) = 2': () => solve(eq(sqrt(x.mul(2).sub(1)).sub(sqrt(x.sub(4))), 2), x),
  'solve |2x − 1| = |4x + 3|': () => solve(eq(abs(x.mul(2).sub(1)), abs(x.mul(4).add(3))), x),
  'solve sin x = cos x': () => solve(eq(sin(x), cos(x)), x),
  'solve cosh 2x + 2 sinh x = 5': () => solve(eq(cosh(x.mul(2)).add(sinh(x).mul(2)), 5), x),
  'solve x⁵ − x − 1 = 0': () => solve(x.pow(5).sub(x).sub(1), x),
};

export interface AlgebraRow {
  readonly name: string;
  readonly coldMs: number;
  /** CPU time of the cold call (user + system), which a busy machine inflates less than wall time. */
  readonly coldCpuMs: number;
  readonly warmMs: number;
  readonly result: string;
}

/** One case in this process: the first call's time, then the median of `repeats` more. */
function measure(name: string, repeats: number): AlgebraRow {
  const work = cases[name]!;
  let start = performance.now();
  const cpu = process.cpuUsage();
  const result = String(work());
  const coldMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const coldCpuMs = (used.user + used.system) / 1000;
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { name, coldMs, coldCpuMs, warmMs: times[Math.floor(times.length / 2)] ?? coldMs, result };
}

/** Every case, each in a fresh process so that its first call is cold. */
export function algebraBenchmark(repeats = 5): AlgebraRow[] {
  const self = fileURLToPath(import.meta.url);
  const tsx = join(self, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return Object.keys(cases).map((name) => {
    const out = execFileSync(process.execPath, [tsx, self, '--case', name, String(repeats)], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop()!) as AlgebraRow;
  });
}

export function algebraTable(rows: readonly AlgebraRow[]): string {
  const lines = ['| case | cold ms (wall) | cold ms (cpu) | warm ms (median) | result |', '|---|---:|---:|---:|---|'];
  for (const r of rows) lines.push(`| ${r.name.replaceAll('|', '\\|')} | ${r.coldMs.toFixed(0)} | ${r.coldCpuMs.toFixed(0)} | ${r.warmMs.toFixed(1)} | \`${r.result.length > 70 ? `${r.result.slice(0, 67)}...` : r.result}\` |`);
  return lines.join('\n');
}

const caseIndex = process.argv.indexOf('--case');
if (caseIndex >= 0) console.log(JSON.stringify(measure(process.argv[caseIndex + 1]!, Number(process.argv[caseIndex + 2] ?? 5))));
else if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(algebraTable(algebraBenchmark()));
