/**
 * Run by custom.test.ts in a child process with --expose-gc: the registry of custom rules holds a
 * rule only while a node names it or its function lives. Prints one JSON line of findings.
 */
import { registeredRuleCount } from '../../../../src/ad/custom-rules.js';
import { cos, customJvp, grad, sin, Var, type SFun } from '../../../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await settle();
    gc!();
  }
  await settle();
}

const x = Var('x');
const kept = customJvp((v: SFun<string>) => sin(v), ([v], [t]) => t.mul(cos(v)), { name: 'kept' });
const keptFun = kept(x.mul(3));

const registered: number[] = [];
for (let round = 0; round < 4; round++) {
  for (let i = 0; i < 2_000; i++) {
    const f = customJvp((v: SFun<string>) => v.mul(i + round), ([, ], [t]) => t.mul(i + round), { name: `f${i}` });
    grad(f(x.add(i)).mul(x)).x.eval({ x: 0.5 });
    for (let k = 0; k < 30; k++) sin(x.mul(i * 31 + k + round * 1e6));
  }
  await collect();
  registered.push(registeredRuleCount());
}
console.log(JSON.stringify({ registered, keptWorks: Math.abs(grad(keptFun).x.eval({ x: 0.2 }) - 3 * Math.cos(0.6)) < 1e-15 }));
