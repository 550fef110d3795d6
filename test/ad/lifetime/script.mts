/**
 * Run by lifetime.test.ts in a child process with --expose-gc: node lifetime across collections.
 * Prints one JSON line of findings.
 */
import { poolSize } from '../../../src/ad/node.js';
import { d, grad, sin, cos, Var, compile, type SFun } from '../../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
/** Collections and turns of the event loop, so finalisers and sweeps run, then the heap in MB. */
async function collect(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await settle();
    gc!();
  }
  await settle();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const x = Var('x'), y = Var('y');
const build = (k: number): SFun<'x' | 'y'> => sin(x.mul(y).add(k)).mul(cos(y.sub(x.mul(k)))).add(x.pow(3));

// 1. What a live Fun holds keeps its identity through churn and sweeps.
const kept = build(7);
const keptNodes = [kept.node, ...kept.node.args, ...kept.node.args.flatMap((a) => a.args)];
const keptDerivative = d(kept, x);
const keptValue = keptDerivative.eval({ x: 0.3, y: -1.2 });

// 2. An expression dropped, then built again, differentiates the same.
let droppedValue = d(build(11), y).eval({ x: 0.3, y: -1.2 });
let droppedSource = String(d(build(11), y));

// 3. A Fun dropped inside the computation that made it can be collected in that computation:
// the library keeps no Fun alive to the end of the job (a WeakRef would: V8 keeps its target).
let finalised = 0;
const registry = new FinalizationRegistry(() => finalised++);
(() => {
  for (let i = 0; i < 1000; i++) registry.register(sin(x.mul(i + 0.5)).add(y), undefined);
})();
gc(); // in the same job
for (let i = 0; i < 4; i++) await settle(); // no collection here: only what that one freed is finalised
const collectedInJob = finalised;

const baseline = await collect();
const heaps: number[] = [];
const pools: number[] = [];
for (let round = 0; round < 5; round++) {
  for (let i = 0; i < 100_000; i++) sin(x.mul(i + round * 100_000)).add(i);
  // Derivatives and compiled programs made and dropped as well.
  for (let i = 0; i < 200; i++) compile(grad(build(1000 + i + round * 1000)).x);
  heaps.push((await collect()) - baseline);
  pools.push(poolSize());
}

const rebuilt = build(7);
const rebuiltNodes = [rebuilt.node, ...rebuilt.node.args, ...rebuilt.node.args.flatMap((a) => a.args)];
const again = d(build(11), y);
console.log(JSON.stringify({
  identical: rebuiltNodes.every((n, i) => n === keptNodes[i]),
  derivativeSame: d(rebuilt, x).eval({ x: 0.3, y: -1.2 }) === keptValue && keptDerivative.node === d(rebuilt, x).node,
  droppedSame: again.eval({ x: 0.3, y: -1.2 }) === droppedValue && String(again) === droppedSource,
  collectedInJob,
  heaps,
  pools,
}));
droppedValue = 0;
droppedSource = '';
