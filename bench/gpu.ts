/**
 * The gpu backend (gpu.js) against js on the same programs: the MLP step of section 3 as a
 * tensor program (a pipeline of kernels whose intermediates stay on the GPU, only the loss and
 * the four gradients read back), and f and ∇f of section 1 at 1,000,000 points as one batch
 * kernel. The mode gpu.js runs in is reported with the results: on this machine 'headlessgl'
 * under Xvfb is Mesa's llvmpipe, a software rasteriser on the CPU, so these figures measure the
 * pipeline's overheads, not a GPU. Run alone with `node test/support/with-display.mjs npx tsx
 * bench/gpu.ts` (`npm run bench` runs under the same wrapper).
 */
import { backendInfo, compile, grad, initBackend, sin, Var, type SFun } from '../src/index.js';
import { machineLine, median, relativeError } from './measure.js';
import { BATCH, CLASSES, HIDDEN, INPUTS, mlpData, mlpLoss } from './mlp.js';
import { handwritten, N, points } from './value-and-gradient.js';

/** One row: an implementation's median time and its largest difference from the js results. */
export interface GpuRow {
  readonly name: string;
  readonly ms: number;
  readonly error: number;
}

/** What ran, and the two workloads' rows (js first in each). */
export interface GpuResults {
  readonly engine: string;
  readonly step: readonly GpuRow[];
  readonly points: readonly GpuRow[];
  readonly compileMs: number;
}

const flatten = (values: readonly (number | ArrayLike<number>)[]): Float64Array =>
  Float64Array.from(values.flatMap((v) => (typeof v === 'number' ? [v] : Array.from(v))));

export async function gpuBenchmark(): Promise<GpuResults> {
  await initBackend('gpu');
  const info = backendInfo('gpu')!;
  const engine = [info.engine, ...info.notes].join('; ');

  const data = mlpData();
  const { loss, W1, b1, W2, b2 } = mlpLoss();
  const g = grad(loss, { W1, b1, W2, b2 });
  const funs = [loss, g.W1, g.b1, g.W2, g.b2];
  const js = compile(funs, { reuseOutputs: true });
  let start = performance.now();
  const gpu = compile(funs, { backend: 'gpu' });
  const compileMs = performance.now() - start;
  const expected = flatten(js(data) as (number | Float64Array)[]);
  const got = flatten(gpu(data) as (number | Float32Array)[]);
  const step: GpuRow[] = [
    { name: 'typegrad js (float64)', ms: await median(() => js(data), 31, 5), error: 0 },
    { name: 'typegrad gpu (float32, kernel pipeline)', ms: await median(() => gpu(data), 11, 2), error: relativeError(got, expected) },
  ];
  gpu.dispose();

  const { xs, ys } = points();
  const reference = [new Float64Array(N), new Float64Array(N), new Float64Array(N)] as const;
  const x = Var('x'), y = Var('y');
  const z: SFun<'x' | 'y'> = x.mul(4).mul(sin(x.mul(y)).add(y));
  const dz = grad(z);
  const gpuBatch = compile([z, dz.x, dz.y], { batch: true, backend: 'gpu', args: [x, y] });
  const batch = gpuBatch(xs, ys) as Float32Array[];
  handwritten(xs, ys, ...reference);
  const rows: GpuRow[] = [
    { name: 'handwritten JS loop', ms: await median(() => handwritten(xs, ys, ...reference), 9, 3), error: 0 },
    {
      name: 'typegrad gpu batch (float32, one kernel)',
      ms: await median(() => gpuBatch(xs, ys), 5, 1),
      error: Math.max(...batch.map((column, k) => relativeError(column, reference[k]!))),
    },
  ];
  gpuBatch.dispose();
  return { engine, step, points: rows, compileMs };
}

export function gpuTables(results: GpuResults): string {
  const table = (rows: readonly GpuRow[], unit: string) => {
    const base = rows[0]!.ms;
    const lines = [`| implementation | median ${unit} | × ${rows[0]!.name} | max rel. difference |`, '|---|---:|---:|---:|'];
    for (const r of rows) lines.push(`| ${r.name} | ${r.ms.toFixed(1)} | ${(r.ms / base).toFixed(2)} | ${r.error.toExponential(1)} |`);
    return lines.join('\n');
  };
  return [
    `gpu.js engine: ${results.engine}.`,
    `### MLP step (${INPUTS}→${HIDDEN}→${CLASSES}, batch ${BATCH}): loss and gradient (gpu compile ${results.compileMs.toFixed(0)} ms)`,
    table(results.step, 'ms per step'),
    `### f and ∇f of 4x(sin(xy) + y) at ${N.toLocaleString('en')} points`,
    table(results.points, 'ms'),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(machineLine());
  console.log(gpuTables(await gpuBenchmark()));
}
