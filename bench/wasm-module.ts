/**
 * How the wasm backend generates its modules: its own encoder (src/backend/wasm/encoder.ts)
 * against binaryen (132, a devDependency), on the MNIST MLP's training program (loss, logits
 * and the four gradients, batch 64, float32), the program the epoch benchmark runs:
 * - start-up: loading binaryen (its wasm-compiled library) before the first program;
 * - compile time of one program: our encoding against binaryen reading the same module into
 *   its IR and writing it back (what building the module through binaryen's API costs at least),
 *   and with its optimiser (-O2, -O3); V8 compiles either lazily, as it is first run;
 * - code quality: the module's size, and the training step's time with each module;
 * - bundle size: our renderer's JavaScript against binaryen's.
 * `npx tsx bench/wasm-module.ts` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { Node } from '../src/ad/node.js';
import { webAssembly } from '../src/backend/wasm/engine.js';
import { executableOf, instantiate, renderWasm, type RenderOptions } from '../src/backend/wasm/render.js';
import { buildPlan } from '../src/program/planner.js';
import { grad, initBackend, MVar, VVar } from '../src/index.js';
import { dense, Random, sequential, softmaxCrossEntropy } from '../src/nn/index.js';
import { median } from './measure.js';

export interface ModuleRow {
  readonly name: string;
  /** Median ms to produce the module's bytes from the plan (binaryen: our encoding, then binaryen's passes). */
  readonly generateMs: number;
  readonly bytes: number;
  /** Median ms of one training step with this module, after 200 warm-up steps (V8 has optimised it). */
  readonly stepMs: number;
}

export interface ModuleReport {
  readonly rows: ModuleRow[];
  readonly binaryenLoadMs: number;
  /** Bytes of our renderer's JavaScript (dist/backend/wasm), and of binaryen's index.js and package. */
  readonly rendererBytes: number;
  /** Bytes of binaryen's index.js gzipped. */
  readonly binaryenGzipBytes: number;
  readonly binaryenBytes: number;
  readonly binaryenPackageBytes: number;
}

function directoryBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? directoryBytes(full) : statSync(full).size;
  }
  return total;
}

/** The MNIST MLP's training program (as `train` compiles it) and data for one step. */
function trainingProgram() {
  const model = sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));
  const x = MVar('batch.inputs', 64, 784), y = MVar('batch.targets', 64, 10), w = VVar('batch.weights', 64);
  const outputs = model.apply(x as never);
  const loss = softmaxCrossEntropy(outputs as never, y, w);
  const names = Object.keys(model.parameters);
  const gradient = grad(loss, model.parameters as never) as Record<string, { node: Node }>;
  const roots = [loss, outputs, ...names.map((n) => gradient[n]!)].map((f) => (f as unknown as { node: Node }).node);
  const params = model.init(new Random(1)) as Record<string, Float64Array>;
  const variables: Node[] = [];
  const seen = new Set<Node>();
  const stack = [...roots];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.op === 'var') variables.push(n);
    stack.push(...n.args);
  }
  variables.sort((a, b) => (a.name! < b.name! ? -1 : 1));
  const data: Record<string, Float64Array> = {
    ...params,
    'batch.inputs': Float64Array.from({ length: 64 * 784 }, (_, i) => (i % 7) / 7),
    'batch.targets': Float64Array.from({ length: 640 }, (_, i) => (i % 10 === (i / 10) % 10 ? 1 : 0)),
    'batch.weights': new Float64Array(64).fill(1 / 64),
  };
  return { roots, variables, inputs: variables.map((v) => data[v.name!]!) };
}

export async function moduleGenerationBenchmark(): Promise<ModuleReport> {
  await initBackend('wasm');
  const wasm = webAssembly()!;
  const { roots, variables, inputs } = trainingProgram();
  const plan = buildPlan(roots, variables, { name: 'wasm', lowers: () => true });
  const options: RenderOptions = { type: 'f32', threads: 1, parallelWork: Infinity, blockBytes: 256 * 1024 };
  const program = renderWasm(plan, options);
  const start = (bytes: Uint8Array) => {
    const { memory, instance } = instantiate(wasm, program, new wasm.Module(bytes));
    return executableOf(plan, program, memory, instance);
  };
  const stepWith = async (bytes: Uint8Array) => {
    const executable = start(bytes);
    return median(() => executable.run(inputs), 101, 200);
  };
  const encodeMs = await median(() => renderWasm(plan, options), 21, 3);
  const rows: ModuleRow[] = [];
  rows.push({
    name: 'typegrad encoder',
    generateMs: encodeMs,
    bytes: program.bytes.length,
    stepMs: await stepWith(program.bytes),
  });

  const binaryen = (await import('binaryen')).default;
  // Loading binaryen, timed in a fresh Node process (tsx would transform its 14 MB file here).
  const script = "const t = performance.now(); import('binaryen').then(() => console.log(performance.now() - t))";
  const loads = [0, 1, 2].map(() => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })));
  const binaryenLoadMs = loads.sort((a, b) => a - b)[1]!;
  const through = (level: number | undefined) => {
    const module = binaryen.readBinary(program.bytes);
    // The features the renderer uses (and V8 in Node 20 knows): newer ones change the encoding.
    const F = binaryen.Features;
    module.setFeatures(F.MVP | F.SIMD128 | F.BulkMemory | F.Atomics | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt);
    if (level !== undefined) {
      binaryen.setOptimizeLevel(level);
      binaryen.setShrinkLevel(0);
      module.optimize();
    }
    const bytes = module.emitBinary();
    module.dispose();
    return bytes;
  };
  for (const [name, level] of [['binaryen (read, write)', undefined], ['binaryen -O2', 2], ['binaryen -O3', 3]] as const) {
    const bytes = through(level);
    rows.push({
      name: `${name} of the same module`,
      generateMs: encodeMs + (await median(() => through(level), 7, 1)),
      bytes: bytes.length,
      stepMs: await stepWith(bytes),
    });
  }
  const require = createRequire(import.meta.url);
  const binaryenIndex = require.resolve('binaryen');
  const dist = new URL('../dist/backend/wasm/', import.meta.url);
  const { transformSync } = await import('esbuild');
  // Each file minified and gzipped, as a bundle would ship it.
  const rendererBytes = readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .reduce((total, f) => total + gzipSync(transformSync(readFileSync(new URL(f, dist), 'utf8'), { minify: true, format: 'esm' }).code).length, 0);
  return {
    rows,
    binaryenLoadMs,
    rendererBytes,
    binaryenBytes: statSync(binaryenIndex).size,
    binaryenGzipBytes: gzipSync(readFileSync(binaryenIndex)).length,
    binaryenPackageBytes: directoryBytes(join(binaryenIndex, '..')),
  };
}

/** The markdown table and notes. */
export function moduleTable(report: ModuleReport): string {
  const lines = [
    '| module | generate ms | bytes | training step ms |',
    '|---|---:|---:|---:|',
    ...report.rows.map((r) => `| ${r.name} | ${r.generateMs.toFixed(1)} | ${r.bytes} | ${r.stepMs.toFixed(3)} |`),
  ];
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  lines.push(
    '',
    `Loading binaryen takes ${report.binaryenLoadMs.toFixed(0)} ms (once per process, plain Node). The wasm renderer (dist/backend/wasm: encoder, lowerings, threads) is ${kb(report.rendererBytes)} minified and gzipped; binaryen's index.js is ${kb(report.binaryenBytes)} (${kb(report.binaryenGzipBytes)} gzipped), its package ${(report.binaryenPackageBytes / 2 ** 20).toFixed(0)} MB.`,
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(moduleTable(await moduleGenerationBenchmark()));
}
