/** `npm run bench`: runs the benchmarks once on this machine and writes bench/results.md. */
import { writeFileSync } from 'node:fs';
import { machineLine } from './measure.js';
import { valueAndGradientBenchmark, type Row } from './value-and-gradient.js';
import { rosenbrockBenchmark } from './rosenbrock.js';

function table(rows: readonly Row[], baseline: number): string {
  const lines = ['| implementation | median ms | × handwritten | max rel. error vs handwritten |', '|---|---:|---:|---:|'];
  for (const r of rows) {
    const ms = Number.isNaN(r.ms) ? '—' : r.ms.toFixed(1);
    const ratio = Number.isNaN(r.ms) ? '—' : (r.ms / baseline).toFixed(2);
    const error = Number.isNaN(r.error) ? '—' : r.error.toExponential(1);
    lines.push(`| ${r.name}${r.note ? ` (${r.note})` : ''} | ${ms} | ${ratio} | ${error} |`);
  }
  return lines.join('\n');
}

const machine = machineLine();
console.log(machine);
const first = await valueAndGradientBenchmark();
console.log(table(first, first[0]!.ms));
const second = await rosenbrockBenchmark();
console.log(table(second.rows, second.rows[0]!.ms));

writeFileSync(
  new URL('./results.md', import.meta.url),
  `# typegrad benchmarks

One run, one machine; ratios matter, not absolute times. Regenerate with \`npm run bench\`.

Machine: ${machine}

## 1. f and ∇f of z = 4x(sin(xy) + y) at 1,000,000 points

Median of several runs (mathjs: one run after a warm-up). Every implementation returns the
value and both partials at every point; float32 engines are compared at float32 accuracy.

${table(first, first[0]!.ms)}

## 2. Gradient of Rosenbrock in 1,000 variables at 10,000 points

Inputs are 1,000 columns of 10,000 points (column j holds x_j). ${second.note}

${table(second.rows, second.rows[0]!.ms)}

## 3. MLP forward and backward (784→128→10, batch 64)

Not run: it needs matrix Funs, which have not landed (branch \`tensor\`).
`,
);
console.log('wrote bench/results.md');
