/**
 * Logistic regression with scalar variables, and its training curves: two Gaussian clouds of
 * 2-D points (drawn with the seeded generator), the classifier σ(w1·x1 + w2·x2 + b) trained by
 * Adam on the mean log-loss, softplus(−y·z) for labels y = ±1. The chart shows the loss and, on
 * a second axis, the accuracy per epoch. Run it with `npm run example:logistic-regression`.
 */
import { compile, grad, softplus, Var, type SFun } from 'typegrad';
import { adam, Random } from 'typegrad/nn';
import { lineChart } from 'typegrad/viz';
import { writeOutput } from './output.js';

const random = new Random('two clouds');
const points = Array.from({ length: 200 }, (_, i) => {
  const label = i % 2 === 0 ? 1 : -1;
  return { x1: random.normal(label === 1 ? 1 : -1, 0.9), x2: random.normal(label === 1 ? 0.8 : -0.6, 0.9), label };
});

const w1 = Var('w1'), w2 = Var('w2'), b = Var('b');
let total: SFun<'w1' | 'w2' | 'b'> | undefined;
for (const p of points) {
  const term = softplus(w1.mul(p.x1).add(w2.mul(p.x2)).add(b).mul(-p.label));
  total = total === undefined ? term : total.add(term);
}
const loss = total!.div(points.length);
const g = grad(loss, [w1, w2, b]);
const args = { args: [w1, w2, b] } as const;
const lossAt = compile(loss, args);
const partials = [g.w1, g.w2, g.b].map((partial) => compile(partial, args));

// Start from a deliberately poor guess so that the curves show learning.
const params = { weights: new Float64Array([-1, 0.5]), bias: new Float64Array([0.5]) };
const optimizer = adam({ lr: 0.05 });
const state = optimizer.init(params);
const losses: number[] = [];
const accuracies: number[] = [];
for (let epoch = 1; epoch <= 80; epoch++) {
  const [a1, a2] = params.weights as unknown as [number, number];
  const c = params.bias[0]!;
  losses.push(lossAt(a1, a2, c));
  accuracies.push(points.filter((p) => Math.sign(a1 * p.x1 + a2 * p.x2 + c) === p.label).length / points.length);
  const [d1, d2, db] = partials.map((partial) => partial(a1, a2, c)) as [number, number, number];
  optimizer.step(params, { weights: new Float64Array([d1, d2]), bias: new Float64Array([db]) }, state);
  if (epoch === 1 || epoch % 10 === 0) {
    console.log(`epoch ${String(epoch).padStart(2)}  loss ${losses[epoch - 1]!.toFixed(4)}  accuracy ${(100 * accuracies[epoch - 1]!).toFixed(1)}%`);
  }
}

writeOutput('logistic-regression.svg', lineChart({
  title: 'Logistic regression on two clouds: loss and accuracy per epoch',
  x: { label: 'epoch' },
  y: { label: 'log-loss' },
  y2: { label: 'accuracy', min: 0, max: 1 },
  legend: 'bottom-left',
  series: [
    { name: 'training loss', y: losses },
    { name: 'accuracy', y: accuracies, axis: 'right' },
  ],
}));
