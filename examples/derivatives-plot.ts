/**
 * The Gaussian exp(−x²/2) and its first five derivatives, each from symbolic `d` applied to the
 * previous one, compiled and plotted on [−4, 4] as an SVG line chart.
 * Run it with `npm run example:derivatives-plot`.
 */
import { compile, d, exp, size, Var, type SFun } from 'typegrad';
import { lineChart } from 'typegrad/viz';
import { writeOutput } from './output.js';

const x = Var('x');
const names = ['f', "f′", "f″", "f‴", 'f⁽⁴⁾', 'f⁽⁵⁾'];
const functions: SFun<'x'>[] = [exp(x.pow(2).div(-2))];
for (let n = 1; n <= 5; n++) functions.push(d(functions[n - 1]!, x));

const xs = Array.from({ length: 401 }, (_, i) => -4 + i * 0.02);
const series = functions.map((f, n) => {
  const evaluate = compile(f, { args: [x] });
  const formula = String(f);
  console.log(`${names[n]!.padEnd(5)} ${String(size(f)).padStart(3)} nodes  ${formula.length > 100 ? `${formula.slice(0, 99)}…` : formula}`);
  return { name: names[n]!, x: xs, y: xs.map((v) => evaluate(v)) };
});

const svg = lineChart({
  title: 'exp(−x²/2) and its first five derivatives',
  x: { label: 'x' },
  y: { label: 'value' },
  legend: 'outside',
  width: 800,
  height: 480,
  series,
});
writeOutput('derivatives.svg', svg);
