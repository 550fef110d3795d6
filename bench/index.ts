/** `npm run bench`: runs the benchmarks once on this machine and writes bench/results.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { machineLine } from './measure.js';
import { valueAndGradientBenchmark, type Row } from './value-and-gradient.js';
import { rosenbrockBenchmark } from './rosenbrock.js';
import { BATCH, CLASSES, HIDDEN, INPUTS, mlpBenchmark, type MlpRow } from './mlp.js';
import { trainingBenchmark, trainingTable } from './train-mnist.js';
import { BATCH as RANK3_BATCH, batchedMatmulBenchmark, COLUMNS, INNER, OUT, ROWS } from './batched-matmul.js';
import { onnxTrainingBenchmark } from './onnx.js';
import { algebraBenchmark, algebraTable } from './algebra.js';
import { comparisonRows, memoryReport, symbolicTables, throughputRows } from './symbolic.js';
import { EXAMPLES, perExampleBenchmark, perExampleTable } from './per-example-gradients.js';
import { wasmBenchmark, wasmTables } from './wasm.js';
import { moduleGenerationBenchmark, moduleTable } from './wasm-module.js';
import { backendInfo, initBackend } from '../src/index.js';
import { alternatingSteps, cnnBenchmark, cnnTable, stepTable } from './cnn.js';
import { gpuBenchmark, gpuTables } from './gpu.js';

/** bench/history.md (before/after tables kept by hand across rounds), appended to the results. */
function history(): string {
  const file = new URL('./history.md', import.meta.url);
  return existsSync(file) ? `\n${readFileSync(file, 'utf8')}` : '';
}

function mlpTable(rows: readonly MlpRow[]): string {
  const base = rows[0]!.ms;
  const lines = ['| implementation | median ms per step | × typegrad js | max rel. difference from typegrad |', '|---|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.name} | ${r.ms.toFixed(2)} | ${(r.ms / base).toFixed(2)} | ${r.error.toExponential(1)} |`);
  return lines.join('\n');
}

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
const third = await mlpBenchmark();
console.log(mlpTable(third.rows));
const fourth = await trainingBenchmark();
console.log(trainingTable(fourth));
const fifth = await batchedMatmulBenchmark();
console.log(mlpTable(fifth.rows));
const sixth = await onnxTrainingBenchmark();
console.log(trainingTable(sixth));
const seventh = algebraBenchmark();
console.log(algebraTable(seventh));
const eighth = symbolicTables(await throughputRows(), await comparisonRows(), memoryReport());
console.log(eighth);
const ninth = await perExampleBenchmark();
console.log(perExampleTable(ninth.rows));
await initBackend('wasm');
const wasmEngine = backendInfo('wasm')!.engine;
const tenth = wasmTables(await wasmBenchmark());
console.log(tenth);
const eleventh = moduleTable(await moduleGenerationBenchmark());
console.log(eleventh);
const twelfth = `${cnnTable(await cnnBenchmark())}\n\nOne training step each, alternated (the same load for both):\n\n${stepTable(await alternatingSteps())}`;
console.log(twelfth);
const thirteenth = gpuTables(await gpuBenchmark());
console.log(thirteenth);

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

## 3. MLP forward and backward (${INPUTS}→${HIDDEN}→${CLASSES}, batch ${BATCH})

One training step's loss and gradient by W1, b1, W2, b2 of relu(X·W1 + b1)·W2 + b2 with softmax
cross-entropy through logsumexp, from the same weights and batch: typegrad's compiled program
(loss and the four gradients as one program, \`reuseOutputs\`) against tfjs \`valueAndGrads\` of the
same loss. Median of 51 steps (tfjs cpu: 11) after warm-up. ${third.note}

${mlpTable(third.rows)}

## 4. Training the MNIST MLP (784→128 relu→10, 8,000 digits, 3 epochs)

typegrad's \`train\` against the tfjs layers API on the same model, the same initial weights,
Adam 1e-3, batch 64 and the same batches in the same order (\`npm run bench:train\` runs this
alone). The interpreter row is typegrad's reference evaluator, for scale.

${trainingTable(fourth)}

## 5. A rank-3 workload: batched matrix products with their gradient

loss = Σ (tanh(A·B)·C)² / n with A [${RANK3_BATCH}, ${ROWS}, ${INNER}], B [${RANK3_BATCH}, ${INNER}, ${COLUMNS}] (one product per batch
element) and C [${COLUMNS}, ${OUT}] shared by the batch (its batch axis broadcast), and its gradient by A, B and C:
typegrad's compiled program against tfjs \`valueAndGrads\` of the same loss from the same data
(tfjs needs C broadcast explicitly: its BatchMatMul gradient does not sum over a broadcast batch
axis). Median of 31 steps (tfjs cpu: 11) after warm-up. ${fifth.note}

${mlpTable(fifth.rows)}

## 6. The MNIST MLP's training step exported to ONNX and run in ONNX Runtime

The same training as section 4 (784→128 relu→10, 8,000 digits, Adam 1e-3, batch 64, the same
initial weights and batches, 3 epochs), with the training step (loss, gradient and Adam update
as one model, \`exportTrainingStep\`) run in ONNX Runtime's CPU provider (onnxruntime-node, both
cores), against typegrad's own \`train\` and the tfjs layers API on wasm (\`npx tsx bench/onnx.ts\`
runs this alone).

${trainingTable(sixth)}

## 7. Algebra: simplify and solve

Each case cold (the first call in a fresh process) and warm (the median of later calls), on
the equations of the algebra review (\`npx tsx bench/algebra.ts\` runs this alone).

${algebraTable(seventh)}

## 8. Symbolic throughput and memory

Building expressions and their derivatives, against the built package (\`npx tsx bench/symbolic.ts\`
runs this alone): Rosenbrock in 10,000 fresh variables, best of 5 after a first run, and a chain a
million operations deep; then the same derivatives in mathjs and nerdamer (median of 5 after a
warm-up; a single run where a library takes seconds); then memory, in a process of its own with
\`--expose-gc\`: a million small expressions built and dropped ten times, and 20 epochs of MNIST MLP
training, each read after a forced collection.

${eighth}

## 9. Per-example gradients with vmap

The gradient by both weight matrices of a 32→16 tanh→1 network's squared error, for each of
${EXAMPLES} examples: \`jit(vmap(grad(loss)))\` (one batched program) against a loop of
\`jit(grad(loss))\` calls and jax-js's \`jit(vmap(grad(loss)))\` (\`npx tsx
bench/per-example-gradients.ts\` runs this alone). ${ninth.note}

${perExampleTable(ninth.rows)}

## 10. The wasm backend: SIMD kernels, float32 and float64, one and two threads

The same workloads as sections 1, 3 and 4 on the wasm backend (${wasmEngine}), with CPU time
next to wall time and GFLOP/s for the MLP step (\`npx tsx bench/wasm.ts\` runs this alone); and
one float32 matrix product split across two worker threads against one thread.

${tenth}

## 11. Generating the WebAssembly: typegrad's encoder against binaryen

The same programs' modules from typegrad's own binary encoder and from binaryen (\`npx tsx
bench/wasm-module.ts\` runs this alone).

${eleventh}

## 12. A convolutional network: LeNet on MNIST

LeNet (conv 5×5×6 relu, max-pool 2, conv 5×5×16 relu, max-pool 2, dense 120 relu, dense 10) on
8,000 MNIST digits, Adam 1e-3, batch 64, the same initial weights and batches: typegrad's
\`train\` on js against the tfjs layers API on wasm and jax-js (\`npx tsx bench/cnn.ts\` runs this
alone).

${twelfth}

## 13. The gpu backend (gpu.js)

The MLP step of section 3 as a gpu tensor program (a pipeline of kernels; intermediates stay on
the GPU, only the loss and the gradients are read back) and section 1's f and ∇f at 1,000,000
points as one batch kernel, against js (\`node test/support/with-display.mjs npx tsx
bench/gpu.ts\` runs this alone). Where gpu.js runs on Mesa's llvmpipe or SwiftShader, WebGL is a
software rasteriser on the CPU: these figures then measure the pipeline's overheads, not a GPU.

${thirteenth}
${history()}`,
);
console.log('wrote bench/results.md');
