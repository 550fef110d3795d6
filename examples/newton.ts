/**
 * Newton's method on f(x) = 5x³ − 10 from x₀ = 10: x ← x − f(x)/f′(x), with f and f′ compiled
 * together into one JavaScript function, so each step evaluates their shared subexpressions
 * once. It converges to ∛2. Run it with `npm run example:newton`.
 */
import { compile, d, Var } from '../src/index.js';

const x = Var('x');
const f = x.pow(3).mul(5).sub(10);
const df = d(f, x);
const valueAndSlope = compile([f, df], { args: [x] }) as (x: number) => [number, number];

console.log(`f(x)  = ${f}`);
console.log(`f'(x) = ${df}`);
let xk = 10;
for (let step = 1; step <= 100; step++) {
  const [value, slope] = valueAndSlope(xk);
  const next = xk - value / slope;
  console.log(`step ${String(step).padStart(2)}: x = ${String(xk).padEnd(20)} f = ${String(value).padEnd(24)} f' = ${String(slope).padEnd(22)} → x = ${next}`);
  if (next === xk || value === 0) break;
  xk = next;
}
console.log(`converged to x = ${xk}; ∛2 = ${Math.cbrt(2)}`);
