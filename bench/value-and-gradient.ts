/**
 * Benchmark 1: f and ∇f of z = 4x(sin(xy) + y) at 1,000,000 points, against a handwritten loop,
 * tfjs valueAndGrads (wasm and cpu engines), jax-js jit(valueAndGrad) and mathjs derivatives.
 */
// The union package registers the gradients that tfjs-core alone does not.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { cpus } from 'node:os';
import { compile, grad, sin, Var } from '../src/index.js';
import { maxRelativeError, median } from './measure.js';

export interface Row {
  readonly name: string;
  readonly ms: number;
  readonly error: number;
  readonly note?: string;
}

/** The number of points. */
export const N = 1_000_000;

/** The handwritten loop every implementation is measured against: f, ∂f/∂x, ∂f/∂y at each point. */
export function handwritten(xs: Float64Array, ys: Float64Array, f: Float64Array, dx: Float64Array, dy: Float64Array): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    const s = Math.sin(x * y);
    const c = Math.cos(x * y);
    f[i] = 4 * x * (s + y);
    dx[i] = 4 * (s + y) + 4 * x * y * c;
    dy[i] = 4 * x * (x * c + 1);
  }
}

/** The benchmark's points: x evenly over [−2, 2), y = cos i. */
export function points(): { xs: Float64Array; ys: Float64Array } {
  return { xs: Float64Array.from({ length: N }, (_, i) => -2 + (4 * i) / N), ys: Float64Array.from({ length: N }, (_, i) => Math.cos(i)) };
}

export async function valueAndGradientBenchmark(): Promise<Row[]> {
  const { xs, ys } = points();
  const expected = [new Float64Array(N), new Float64Array(N), new Float64Array(N)] as const;
  const rows: Row[] = [];
  const handMs = await median(() => handwritten(xs, ys, ...expected), 9, 3);
  rows.push({ name: 'handwritten JS loop', ms: handMs, error: 0 });

  const x = Var('x');
  const y = Var('y');
  const z = x.mul(4).mul(sin(x.mul(y)).add(y));
  const g = grad(z);
  const program = compile([z, g.x, g.y], { batch: true });
  const out: [Float64Array, Float64Array, Float64Array] = [new Float64Array(N), new Float64Array(N), new Float64Array(N)];
  const typegradMs = await median(() => program({ x: xs, y: ys }, out), 9, 3);
  rows.push({ name: 'typegrad js batch', ms: typegradMs, error: Math.max(...out.map((o, k) => maxRelativeError(o, expected[k]!))) });

  const xs32 = Float32Array.from(xs);
  const ys32 = Float32Array.from(ys);
  for (const engine of ['wasm', 'cpu']) {
    await tf.setBackend(engine);
    await tf.ready();
    const zf = (a: tf.Tensor, b: tf.Tensor) => tf.mul(tf.mul(a, 4), tf.add(tf.sin(tf.mul(a, b)), b));
    const valueAndGrads = tf.valueAndGrads(zf);
    const results: Float32Array[] = [];
    const run = () => {
      const [value, gx, gy] = tf.tidy(() => {
        const { value, grads } = valueAndGrads([tf.tensor1d(xs32), tf.tensor1d(ys32)]);
        return [value, grads[0]!, grads[1]!];
      });
      results.splice(0, 3, value.dataSync() as Float32Array, gx.dataSync() as Float32Array, gy.dataSync() as Float32Array);
      tf.dispose([value, gx, gy]);
    };
    const ms = await median(run, engine === 'cpu' ? 3 : 7, 1);
    rows.push({ name: `tfjs valueAndGrads (${engine}, float32)`, ms, error: Math.max(...results.map((r, k) => maxRelativeError(r, expected[k]!))) });
  }

  rows.push(await jaxBenchmark(xs32, ys32, expected));
  rows.push(await mathjsBenchmark(xs, ys, expected));
  return rows;
}

async function jaxBenchmark(xs: Float32Array, ys: Float32Array, expected: readonly Float64Array[]): Promise<Row> {
  try {
    // jax-js reads navigator.userAgent/hardwareConcurrency, which Node has only from version 21.
    if (!('navigator' in globalThis)) {
      Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js ${process.version}`, hardwareConcurrency: cpus().length }, configurable: true });
    }
    const jax = await import('@jax-js/jax');
    const np = jax.numpy;
    await jax.init('wasm');
    const f = (a: InstanceType<typeof np.Array>, b: InstanceType<typeof np.Array>) => {
      const value = a.ref.mul(4).mul(np.sin(a.mul(b.ref)).add(b));
      return [value.ref.sum(), value] as const;
    };
    const compiled = jax.jit(jax.valueAndGrad(f as never, { argnums: [0, 1], hasAux: true }) as never) as unknown as (
      a: unknown,
      b: unknown,
    ) => [[{ dispose(): void }, { dataSync(): Float32Array }], [{ dataSync(): Float32Array }, { dataSync(): Float32Array }]];
    let results: Float32Array[] = [];
    const run = () => {
      const [[sum, value], [gx, gy]] = compiled(np.array(xs), np.array(ys));
      sum.dispose();
      results = [value.dataSync(), gx.dataSync(), gy.dataSync()];
    };
    const ms = await median(run, 7, 2);
    return { name: 'jax-js jit(valueAndGrad) (wasm, float32)', ms, error: Math.max(...results.map((r, k) => maxRelativeError(r, expected[k]!))) };
  } catch (error) {
    return { name: 'jax-js jit(valueAndGrad)', ms: NaN, error: NaN, note: `failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

async function mathjsBenchmark(xs: Float64Array, ys: Float64Array, expected: readonly Float64Array[]): Promise<Row> {
  const math = await import('mathjs');
  const expression = math.parse('4 * x * (sin(x * y) + y)');
  const compiled = [expression, math.derivative(expression, 'x'), math.derivative(expression, 'y')].map((e) => e.compile());
  const out = [new Float64Array(xs.length), new Float64Array(xs.length), new Float64Array(xs.length)];
  const run = () => {
    const scope = { x: 0, y: 0 };
    for (let i = 0; i < xs.length; i++) {
      scope.x = xs[i]!;
      scope.y = ys[i]!;
      for (let k = 0; k < 3; k++) out[k]![i] = compiled[k]!.evaluate(scope) as number;
    }
  };
  const ms = await median(run, 1, 1);
  return { name: 'mathjs compiled derivatives', ms, error: Math.max(...out.map((o, k) => maxRelativeError(o, expected[k]!))) };
}
