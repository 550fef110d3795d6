/**
 * The cheap-gradient principle (Baur–Strassen), measured: for a scalar loss f, the gradient built
 * by the one reverse pass satisfies size([f, ...∂f]) ≤ 5·size(f), whatever the number of
 * variables. Sizes are distinct DAG nodes (deterministic); times are wall clock.
 * Compared with mathjs's `derivative`, which differentiates one variable at a time on trees.
 *
 * Run: npx tsx bench/gradient-cost.ts
 */
import { derivative, parse, type MathNode } from 'mathjs';
import { grad, MVar, size, VVar, type SFun } from '../src/index.js';
import { mlpLoss, rosenbrock, vectorRosenbrock } from './gradient-cost-functions.js';

interface Row {
  readonly name: string;
  readonly fSize: number;
  readonly totalSize: number;
  readonly milliseconds: number;
}

function measure(name: string, f: SFun<string>, parts: () => readonly { node: unknown }[]): Row {
  const start = performance.now();
  const gradient = parts();
  const milliseconds = performance.now() - start;
  return { name, fSize: size(f), totalSize: size([f, ...(gradient as never[])]), milliseconds };
}

const rows: Row[] = [];
for (const n of [10, 100, 1_000, 10_000]) {
  const f = rosenbrock(n);
  rows.push(measure(`Rosenbrock, n = ${n} scalar variables`, f, () => Object.values(grad(f))));
}
for (const n of [10, 10_000]) {
  const x = VVar('x', n);
  const f = vectorRosenbrock(x);
  rows.push(measure(`Rosenbrock on VVar('x', ${n}) (slices)`, f, () => [grad(f, x)]));
}
{
  const parameters = { W1: MVar('W1', 784, 128), b1: VVar('b1', 128), W2: MVar('W2', 128, 10), b2: VVar('b2', 10) };
  const f = mlpLoss(MVar('X', 64, 784), MVar('Y', 64, 10), parameters);
  rows.push(measure('MLP 784-128-10, softmax cross-entropy, batch 64', f, () => Object.values(grad(f, parameters))));
}

console.log('typegrad: one reverse pass');
console.table(
  rows.map((r) => ({
    function: r.name,
    'size(f)': r.fSize,
    'size([f, ...grad])': r.totalSize,
    ratio: Number((r.totalSize / r.fSize).toFixed(3)),
    'build grad (ms)': Number(r.milliseconds.toFixed(1)),
  })),
);

/** Rosenbrock as a mathjs expression in x0 … x(n−1). */
function rosenbrockText(n: number): string {
  const terms: string[] = [];
  for (let i = 0; i < n - 1; i++) terms.push(`100 * (x${i + 1} - x${i}^2)^2 + (1 - x${i})^2`);
  return terms.join(' + ');
}

function treeSize(node: MathNode): number {
  let count = 0;
  node.traverse(() => count++);
  return count;
}

/**
 * One mathjs derivative per variable. mathjs simplifies each derivative by default, which takes
 * seconds per derivative already at n = 10 (and one derivative at n = 100 runs for minutes), so
 * the default is measured at n = 10 only and `simplify: false` at every n; a run stops once it
 * passes a minute.
 */
function mathjsRow(n: number, simplify: boolean): Record<string, string | number> {
  const expression = parse(rosenbrockText(n));
  const start = performance.now();
  let total = treeSize(expression);
  for (let i = 0; i < n; i++) {
    try {
      total += treeSize(derivative(expression, `x${i}`, { simplify }));
    } catch (e) {
      return { function: `Rosenbrock, n = ${n}`, simplify: String(simplify), note: `derivative ${i + 1} failed: ${String(e).slice(0, 60)}` };
    }
    if (performance.now() - start > 60_000 && i + 1 < n) {
      return { function: `Rosenbrock, n = ${n}`, simplify: String(simplify), note: `stopped after ${i + 1} of ${n} derivatives (over a minute)` };
    }
  }
  return {
    function: `Rosenbrock, n = ${n}`,
    simplify: String(simplify),
    'tree size(f)': treeSize(expression),
    'f + all derivatives (tree nodes)': total,
    ratio: Number((total / treeSize(expression)).toFixed(1)),
    'time (ms)': Number((performance.now() - start).toFixed(1)),
  };
}

console.log('mathjs: derivative() once per variable');
console.table([mathjsRow(10, true), mathjsRow(10, false), mathjsRow(100, false), mathjsRow(1_000, false)]);
