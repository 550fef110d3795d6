/**
 * Benchmark 8: symbolic work and memory, against the built package (what users run):
 * - throughput: Rosenbrock in 10,000 variables (building f and its gradient), a chain
 *   1,000,000 operations deep (built, differentiated both ways, compiled);
 * - against mathjs and nerdamer: the second derivative of sin(x cos(x sin(x cos x))), the third
 *   derivative of a depth-6 sin/cos chain, the gradient of Rosenbrock in 30 variables;
 * - memory (bench/symbolic-memory.ts, its own process with --expose-gc): a million small
 *   expressions built and dropped, ten times; 20 epochs of MNIST MLP training.
 * `npx tsx bench/symbolic.ts` runs it alone (after `npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as math from 'mathjs';
import nerdamer from 'nerdamer';
import 'nerdamer/Calculus.js';
import { compile, cos, d, grad, sin, size, Var, type SFun } from '../dist/index.js';

export interface SymbolicRow {
  readonly name: string;
  readonly ms: number;
  readonly note: string;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The first run (cold) and the best of `runs` later ones, in ms. */
async function coldAndBest(work: (k: number) => unknown, runs: number): Promise<[number, number]> {
  const timed = (k: number) => {
    const start = performance.now();
    work(k);
    return performance.now() - start;
  };
  const cold = timed(0);
  let best = Infinity;
  for (let k = 1; k <= runs; k++) {
    await settle(); // sweeps run between jobs, as in a program
    best = Math.min(best, timed(k));
  }
  return [cold, best];
}

/** Σ 100(x_{i+1} − x_i²)² + (1 − x_i)² in fresh variables (named by `k`, so nothing is shared between runs). */
function rosenbrock(n: number, k: number): SFun<string> {
  const x = Array.from({ length: n }, (_, i) => Var(`x${i}_${k}`));
  let f: SFun<string> = x[0]!.sub(x[0]!);
  for (let i = 0; i < n - 1; i++) f = f.add(x[i + 1]!.sub(x[i]!.pow(2)).pow(2).mul(100)).add(x[i]!.sub(1).neg().pow(2));
  return f;
}

export async function throughputRows(): Promise<SymbolicRow[]> {
  const rows: SymbolicRow[] = [];
  let ratio = 0;
  const [cold, best] = await coldAndBest((k) => {
    const f = rosenbrock(10_000, k);
    const g = grad(f);
    if (k === 0) ratio = size([f, ...Object.values(g)]) / size(f);
  }, 5);
  rows.push({ name: 'Rosenbrock, 10,000 variables: build f and its gradient', ms: best, note: `first run ${cold.toFixed(0)} ms; size(f + ∇f) / size(f) = ${ratio.toFixed(2)}` });

  const DEPTH = 1_000_000;
  const x = Var('chain');
  let start = performance.now();
  let f: SFun<'chain'> = x;
  for (let i = 0; i < DEPTH; i++) f = i % 2 === 0 ? sin(f) : f.mul(1.0000001);
  const built = performance.now() - start;
  start = performance.now();
  const forward = d(f, x);
  const forwardMs = performance.now() - start;
  start = performance.now();
  const reverse = grad(f).chain;
  const reverseMs = performance.now() - start;
  start = performance.now();
  const run = compile([f, reverse]);
  const compileMs = performance.now() - start;
  const [value] = run({ chain: 0.5 });
  rows.push({ name: `a chain ${DEPTH.toLocaleString('en')} operations deep`, ms: built + forwardMs + reverseMs + compileMs, note: `built ${built.toFixed(0)} ms, d ${forwardMs.toFixed(0)} ms (size ${size(forward).toLocaleString('en')}), grad ${reverseMs.toFixed(0)} ms, compiled ${compileMs.toFixed(0)} ms; f(0.5) = ${value!.toPrecision(6)}` });
  return rows;
}

export interface ComparisonRow {
  readonly task: string;
  readonly typegrad: number;
  readonly mathjs: number | string;
  readonly nerdamer: number | string;
}

/** The median ms of `runs` runs (after one warm-up), or why the library could not do it. */
async function timed(work: () => unknown, runs = 5): Promise<number | string> {
  try {
    work();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await settle();
      const start = performance.now();
      work();
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  } catch (error) {
    return `fails: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 60)}`;
  }
}

export async function comparisonRows(): Promise<ComparisonRow[]> {
  const x = Var('x');
  const rows: ComparisonRow[] = [];
  const nested = 'sin(x * cos(x * sin(x * cos(x))))';
  rows.push({
    task: `second derivative of ${nested}`,
    typegrad: (await timed(() => d(sin(x.mul(cos(x.mul(sin(x.mul(cos(x))))))), x, x))) as number,
    mathjs: await timed(() => math.derivative(math.derivative(nested, 'x'), 'x')),
    nerdamer: await timed(() => nerdamer.diff(nested, 'x', 2).toString()),
  });
  const chain = 'sin(cos(sin(cos(sin(cos(x))))))';
  rows.push({
    task: `third derivative of ${chain}`,
    typegrad: (await timed(() => d(sin(cos(sin(cos(sin(cos(x)))))), x, x, x))) as number,
    mathjs: await timed(() => math.derivative(math.derivative(math.derivative(chain, 'x'), 'x'), 'x')),
    nerdamer: await timed(() => nerdamer.diff(chain, 'x', 3).toString(), 3),
  });
  // 30 variables: nerdamer takes about a second a partial at 100 (two minutes a run); mathjs
  // differentiates without its default simplification (with it, 10 variables took 3.5 s).
  const n = 30;
  const names = Array.from({ length: n }, (_, i) => `x${i}`);
  const text = names.slice(0, -1).map((v, i) => `100 * (${names[i + 1]} - ${v}^2)^2 + (1 - ${v})^2`).join(' + ');
  let k = 0;
  rows.push({
    task: `gradient of Rosenbrock in ${n} variables (every partial)`,
    typegrad: (await timed(() => grad(rosenbrock(n, k++)))) as number,
    mathjs: await timed(() => names.map((v) => math.derivative(text, v, { simplify: false })), 1),
    nerdamer: await timed(() => names.map((v) => nerdamer.diff(text, v).toString()), 1),
  });
  return rows;
}

export interface MemoryReport {
  readonly expressions: number;
  readonly repetitions: readonly { readonly seconds: number; readonly heap: number }[];
  readonly epochs: readonly number[];
}

export function memoryReport(): MemoryReport {
  const script = fileURLToPath(new URL('./symbolic-memory.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(output.trim().split('\n').pop()!) as MemoryReport;
}

const cell = (v: number | string) => (typeof v === 'number' ? v.toFixed(1) : v);

export function symbolicTables(throughput: readonly SymbolicRow[], comparison: readonly ComparisonRow[], memory: MemoryReport): string {
  const lines = ['| work | ms (best) | details |', '|---|---:|---|'];
  for (const r of throughput) lines.push(`| ${r.name} | ${r.ms.toFixed(0)} | ${r.note} |`);
  lines.push('', '| task | typegrad ms | mathjs ms | nerdamer ms |', '|---|---:|---:|---:|');
  for (const r of comparison) lines.push(`| ${r.task} | ${cell(r.typegrad)} | ${cell(r.mathjs)} | ${cell(r.nerdamer)} |`);
  lines.push('', `| repetition (${memory.expressions.toLocaleString('en')} expressions sin(x·i) + i built and dropped) | seconds | heap above baseline, MB |`, '|---:|---:|---:|');
  memory.repetitions.forEach((r, i) => lines.push(`| ${i + 1} | ${r.seconds.toFixed(2)} | ${r.heap.toFixed(1)} |`));
  lines.push('', `MNIST MLP training, heap above the heap before training after each epoch (MB): ${memory.epochs.map((h) => h.toFixed(1)).join(', ')}`);
  return lines.join('\n');
}

// `npx tsx bench/symbolic.ts`: this benchmark alone.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const throughput = await throughputRows();
  const comparison = await comparisonRows();
  console.log(symbolicTables(throughput, comparison, memoryReport()));
}
