/**
 * Per-example gradients: the gradient of a small network's loss by its weights for each of 256
 * examples, as `jit(vmap(grad(loss)))` (ONE batched program) against a loop of
 * `jit(grad(loss))` calls (one compiled call per example) and jax-js `jit(vmap(grad(loss)))`.
 * The network: 32 inputs → 16 tanh units → 1 output, squared error; gradient by both weight
 * matrices. The batched program is timed twice: called as a traced function (results as nested
 * arrays, 135,168 numbers) and compiled from the vmap's expression with flat outputs (the
 * program alone, as jax-js's flat `dataSync`).
 */
import { cpus } from 'node:os';
import { compile, grad, jit, matmul, sum, tanh, trace, vmap, type AnyRankFun, type MFun, type VFun } from '../src/index.js';
import { median, relativeError, sequence } from './measure.js';

export const EXAMPLES = 256;
export const INPUTS = 32;
export const HIDDEN = 16;

export interface PerExampleRow {
  readonly name: string;
  readonly ms: number;
  /** Largest difference from the vmap result, relative to its largest magnitude. */
  readonly error: number;
  readonly note?: string;
}

/** One example's loss: (tanh(x·W1)·W2 − y)², W1 [32×16], W2 [16×1], x [32], y [1]. */
export function perExampleLoss() {
  return trace(
    (params: { W1: MFun<32, 16, string>; W2: MFun<16, 1, string> }, x: VFun<32, string>, y: VFun<1, string>) =>
      sum(matmul(tanh(matmul(x, params.W1)), params.W2).sub(y).pow(2)),
    { shapes: { params: { W1: [INPUTS, HIDDEN], W2: [HIDDEN, 1] }, x: [INPUTS], y: [1] } },
  );
}

export function perExampleData() {
  return {
    W1: sequence(INPUTS * HIDDEN, 1, Math.sqrt(6 / (INPUTS + HIDDEN))),
    W2: sequence(HIDDEN, 2, Math.sqrt(6 / (HIDDEN + 1))),
    xs: sequence(EXAMPLES * INPUTS, 3, 1),
    ys: sequence(EXAMPLES, 4, 1),
  };
}

/** The gradients flattened example after example: W1's then W2's. */
type Flat = Float64Array;

export async function perExampleBenchmark(): Promise<{ rows: PerExampleRow[]; note: string }> {
  const data = perExampleData();
  const loss = perExampleLoss();
  const params = { W1: data.W1, W2: data.W2 };
  let start = performance.now();
  const batched = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }));
  let result = batched(params, data.xs, data.ys) as { W1: number[][][]; W2: number[][][] };
  const firstCallMs = performance.now() - start;
  const flatten = (r: { W1: number[][][]; W2: number[][][] }): Flat => Float64Array.from(r.W1.flatMap((w1, k) => [...w1.flat(), ...r.W2[k]!.flat()]));
  const expected = flatten(result);
  const rows: PerExampleRow[] = [
    { name: 'typegrad jit(vmap(grad(loss))): one program, nested arrays out (js, float64)', ms: await median(() => (result = batched(params, data.xs, data.ys) as typeof result), 21, 5), error: 0 },
  ];

  // The same batched expression compiled with flat outputs: the program without the conversion.
  const fixed = vmap(grad(loss), { inAxes: [null, 0, 0], size: EXAMPLES });
  const gradient = fixed.expr as unknown as { W1: AnyRankFun; W2: AnyRankFun };
  const [symbols, x, y] = fixed.symbols as unknown as [{ W1: AnyRankFun; W2: AnyRankFun }, AnyRankFun, AnyRankFun];
  const program = compile([gradient.W1, gradient.W2], { args: [symbols.W1, symbols.W2, x, y], reuseOutputs: true });
  let flat: Flat = new Float64Array(0);
  const runFlat = () => {
    const [w1, w2] = program(data.W1, data.W2, data.xs, data.ys) as Float64Array[];
    const out = new Float64Array(expected.length);
    for (let k = 0; k < EXAMPLES; k++) {
      out.set(w1!.subarray(k * INPUTS * HIDDEN, (k + 1) * INPUTS * HIDDEN), k * (INPUTS * HIDDEN + HIDDEN));
      out.set(w2!.subarray(k * HIDDEN, (k + 1) * HIDDEN), k * (INPUTS * HIDDEN + HIDDEN) + INPUTS * HIDDEN);
    }
    flat = out;
  };
  rows.push({ name: 'typegrad: the same program compiled with flat outputs (js, float64)', ms: await median(runFlat, 21, 5), error: 0 });
  rows[1] = { ...rows[1]!, error: relativeError(flat, expected) };

  start = performance.now();
  const single = jit(grad(loss));
  const compileMs = performance.now() - start;
  let looped: Flat = new Float64Array(0);
  const loop = () => {
    const out: number[] = [];
    for (let k = 0; k < EXAMPLES; k++) {
      const g = single(params, data.xs.subarray(k * INPUTS, (k + 1) * INPUTS), data.ys.subarray(k, k + 1)) as { W1: number[][]; W2: number[][] };
      out.push(...g.W1.flat(), ...g.W2.flat());
    }
    looped = Float64Array.from(out);
  };
  rows.push({ name: 'typegrad jit(grad(loss)) in a loop: one call per example (js, float64)', ms: await median(loop, 11, 3), error: relativeError(looped, expected) });
  rows.push(await jaxBenchmark(data, expected));
  return {
    rows,
    note: `The batched program was made (vmap, grad, compile) at its first call, in ${firstCallMs.toFixed(0)} ms; the per-example program compiled in ${compileMs.toFixed(0)} ms. Neither is included below. ${cpus().length} cores.`,
  };
}

/** The rows as a markdown table, against the first (the batched program called as a traced function). */
export function perExampleTable(rows: readonly PerExampleRow[]): string {
  const base = rows[0]!.ms;
  const lines = ['| implementation | median ms for 256 examples | × jit(vmap(grad)) | max rel. difference from it |', '|---|---:|---:|---:|'];
  for (const r of rows) {
    const ms = Number.isNaN(r.ms) ? '—' : r.ms.toFixed(2);
    const ratio = Number.isNaN(r.ms) ? '—' : (r.ms / base).toFixed(2);
    const error = Number.isNaN(r.error) ? '—' : r.error.toExponential(1);
    lines.push(`| ${r.name}${r.note ? ` (${r.note})` : ''} | ${ms} | ${ratio} | ${error} |`);
  }
  return lines.join('\n');
}

async function jaxBenchmark(data: ReturnType<typeof perExampleData>, expected: Flat): Promise<PerExampleRow> {
  try {
    // jax-js reads navigator.userAgent/hardwareConcurrency, which Node has only from version 21.
    if (!('navigator' in globalThis)) {
      Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js ${process.version}`, hardwareConcurrency: cpus().length }, configurable: true });
    }
    const jax = await import('@jax-js/jax');
    const np = jax.numpy;
    await jax.init('wasm');
    type A = InstanceType<typeof np.Array>;
    const loss = (W1: A, W2: A, x: A, y: A) => np.sum(np.square(np.matmul(np.tanh(np.matmul(x, W1)), W2).sub(y)));
    const perExample = jax.jit(jax.vmap(jax.grad(loss as never, { argnums: [0, 1] }) as never, [null, null, 0, 0]) as never) as unknown as (...args: A[]) => [A, A];
    const W1 = np.array(Float32Array.from(data.W1)).reshape([INPUTS, HIDDEN]);
    const W2 = np.array(Float32Array.from(data.W2)).reshape([HIDDEN, 1]);
    const xs = np.array(Float32Array.from(data.xs)).reshape([EXAMPLES, INPUTS]);
    const ys = np.array(Float32Array.from(data.ys)).reshape([EXAMPLES, 1]);
    let got: Flat = new Float64Array(0);
    const run = () => {
      const [g1, g2] = perExample(W1.ref, W2.ref, xs.ref, ys.ref);
      const a = g1.dataSync() as Float32Array, b = g2.dataSync() as Float32Array;
      const out = new Float64Array(expected.length);
      for (let k = 0; k < EXAMPLES; k++) {
        out.set(a.subarray(k * INPUTS * HIDDEN, (k + 1) * INPUTS * HIDDEN), k * (INPUTS * HIDDEN + HIDDEN));
        out.set(b.subarray(k * HIDDEN, (k + 1) * HIDDEN), k * (INPUTS * HIDDEN + HIDDEN) + INPUTS * HIDDEN);
      }
      got = out;
    };
    const ms = await median(run, 21, 5);
    return { name: 'jax-js jit(vmap(grad(loss))) (wasm, float32)', ms, error: relativeError(got, expected) };
  } catch (error) {
    return { name: 'jax-js jit(vmap(grad(loss)))', ms: NaN, error: NaN, note: `failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

// `tsx bench/per-example-gradients.ts`: this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, note } = await perExampleBenchmark();
  console.log(note);
  console.log(perExampleTable(rows));
}
