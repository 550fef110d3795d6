/**
 * What wasm-browser.test.ts runs in Chromium (bundled by esbuild): the wasm backend on the
 * browser's main thread, with Web Workers where the page is cross-origin isolated. It sets
 * `window.result` to what it found.
 */
import type { Node } from '../../../src/ad/node.js';
import { backendFor } from '../../../src/backend/registry.js';
import type { WasmExecutable } from '../../../src/backend/wasm/render.js';
import { backendInfo, compile, grad, initBackend, matmul, MVar, relu, VVar, type AnyRankFun, type EngineOptions } from '../../../src/index.js';
import { buildPlan } from '../../../src/program/planner.js';

const nodeOf = (f: AnyRankFun) => (f as unknown as { node: Node }).node;

/** A result (a number or an array) as an array. */
const elements = (result: unknown): number[] => (typeof result === 'number' ? [result] : Array.from(result as Float64Array));

async function main(): Promise<object> {
  await initBackend('wasm');
  // The MLP step (784→128→10 at batch 64): its first product is split (the crossover set to 0), its module is 6 KB.
  const X = MVar('X', 64, 784), W1 = MVar('W1', 784, 128), b1 = VVar('b1', 128), W2 = MVar('W2', 128, 10), b2 = VVar('b2', 10), Y = MVar('Y', 64, 10);
  const z = matmul(relu(matmul(X, W1).add(b1)), W2).add(b2);
  const loss = z.logsumexp(1).sum().sub(z.mul(Y).sum()).div(64);
  const g = grad(loss, { W1, b1, W2, b2 });
  const roots = [loss, g.W1, g.b1, g.W2, g.b2];
  const inputs = [X, W1, b1, W2, b2, Y];
  const names = ['X', 'W1', 'b1', 'W2', 'b2', 'Y'];
  const data = [64 * 784, 784 * 128, 128, 128 * 10, 10, 64 * 10].map((n, k) => Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 0.7 + k * 1.3)));
  const bindings = Object.fromEntries(names.map((name, k) => [name, data[k]!])) as Record<'X' | 'W1' | 'b1' | 'W2' | 'b2' | 'Y', Float64Array>;
  const plan = buildPlan(roots.map(nodeOf), inputs.map(nodeOf), { name: 'wasm', lowers: () => true }, {});
  // The crossover at 0: the step is split wherever there are threads (the default keeps it whole).
  const render = (threads: number) => backendFor('wasm', 'page').configure!({ threads, parallelWork: 0 } as EngineOptions, 'page').renderAsync!(plan) as Promise<WasmExecutable>;
  const single = await render(1);
  single.run(data);
  const expected = roots.map((_, k) => elements(single.result(k)));
  // The workers instantiate the module after it is attached: run until a run was split (or 5 s).
  const split = await render(2);
  const threads = Number(/(\d+) thread/.exec(backendInfo('wasm')!.engine)![1]);
  for (let attempt = 0; attempt < (threads > 1 ? 500 : 1) && split.parallelRuns() === 0; attempt++) {
    split.run(data);
    if (split.parallelRuns() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const same = roots.every((_, k) => elements(split.result(k)).every((v, i) => Object.is(v, expected[k]![i])));
  const js = (compile(roots)(bindings) as unknown[]).map(elements);
  // Chromium compiles modules synchronously on its main thread up to 8 MB (4 KB in older versions).
  let synchronous: boolean | string;
  try {
    const compiled = (compile(roots, { backend: 'wasm' })(bindings) as unknown[]).map(elements);
    synchronous = compiled.every((values, k) => values.every((v, i) => Object.is(v, expected[k]![i])));
  } catch (error) {
    synchronous = (error as Error).message;
  }
  return { info: backendInfo('wasm'), parallelRuns: split.parallelRuns(), same, sameAsJs: js.every((values, k) => values.length === expected[k]!.length && values.every((v, i) => Object.is(v, expected[k]![i]))), synchronous };
}

const page = globalThis as unknown as { result: object };
main().then(
  (result) => (page.result = result),
  (error: Error) => (page.result = { error: String(error.stack ?? error) }),
);
