/**
 * Polynomial regression with scalar variables: the cubic a0 + a1·x + a2·x² + a3·x³ fitted to 40
 * noisy points by momentum gradient descent. The loss is one expression, a mean over the data
 * points; its gradient comes from `grad` (one reverse pass) and every piece is compiled.
 * (With vectors, the coefficients become one VVar; this is the same model written with scalars.)
 * Run it with `npm run example:polynomial-regression`.
 */
import { compile, grad, Var, type SFun } from 'typegrad';
import { momentum, Random } from 'typegrad/nn';
import { lineChart } from 'typegrad/viz';
import { writeOutput } from './output.js';

const truth = [1, -2, 0.5, 1.5];
const random = new Random('polynomial regression');
const data = Array.from({ length: 40 }, () => {
  const x = random.uniform(-1, 1);
  return { x, y: truth.reduce((s, c, k) => s + c * x ** k, 0) + random.normal(0, 0.1) };
});

const a = [Var('a0'), Var('a1'), Var('a2'), Var('a3')] as const;
const model = (x: number) => a[0].add(a[1].mul(x)).add(a[2].mul(x * x)).add(a[3].mul(x * x * x));
let sum: SFun<'a0' | 'a1' | 'a2' | 'a3'> = model(data[0]!.x).sub(data[0]!.y).pow(2);
for (const { x, y } of data.slice(1)) sum = sum.add(model(x).sub(y).pow(2));
const loss = sum.div(data.length);

const args = { args: a };
const lossAt = compile(loss, args);
const g = grad(loss, [...a]);
const partials = [g.a0, g.a1, g.a2, g.a3].map((partial) => compile(partial, args));

const params = { coefficients: new Float64Array(4) };
const optimizer = momentum({ lr: 0.05, beta: 0.9 });
const state = optimizer.init(params);
const losses: number[] = [];
const epochs = 300;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const [c0, c1, c2, c3] = params.coefficients as unknown as [number, number, number, number];
  losses.push(lossAt(c0, c1, c2, c3));
  const gradient = Float64Array.from(partials, (partial) => partial(c0, c1, c2, c3));
  optimizer.step(params, { coefficients: gradient }, state);
  if (epoch === 1 || epoch % 30 === 0) console.log(`epoch ${String(epoch).padStart(4)}  loss ${losses[epoch - 1]!.toPrecision(6)}`);
}
const fitted = Array.from(params.coefficients);
console.log(`true coefficients   ${truth.map((c) => c.toFixed(3)).join('  ')}`);
console.log(`fitted coefficients ${fitted.map((c) => c.toFixed(3)).join('  ')}`);

writeOutput('polynomial-loss.svg', lineChart({
  title: `Polynomial regression: training loss (${optimizer.name})`,
  x: { label: 'epoch' },
  y: { label: 'mean squared error', scale: 'log' },
  series: [{ name: 'loss', y: losses }],
}));
const grid = Array.from({ length: 101 }, (_, i) => -1 + i * 0.02);
const cubic = (cs: readonly number[]) => grid.map((x) => cs.reduce((s, c, k) => s + c * x ** k, 0));
writeOutput('polynomial-fit.svg', lineChart({
  title: 'Polynomial regression: data and fitted cubic',
  x: { label: 'x' },
  y: { label: 'y' },
  legend: 'top-left',
  series: [
    { name: 'data', x: data.map((p) => p.x), y: data.map((p) => p.y), line: false },
    { name: 'fitted cubic', x: grid, y: cubic(fitted) },
    { name: 'true cubic', x: grid, y: cubic(truth), dash: '5 4' },
  ],
}));
