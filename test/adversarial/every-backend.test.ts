/**
 * Hostile input on every backend in one run (js, tfjs on cpu and wasm, gpu, onnx): each
 * property asserts a correct value (against the reference interpreter) or a TypegradError,
 * never a crash, a hang (bounded by a timeout), a NaN the reference does not give, or a changed
 * global. Runs are few per backend: each compiles a program, and the gpu and onnx engines take
 * tens of milliseconds a program.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compile, Const, logsumexp, relu, sin, sum, TypegradError, Var, VVar, MVar, type AnyRankFun, type SFun,
} from '../../src/index.js';
import { Fun } from '../../src/api/fun.js';
import { BACKENDS, expectAgrees, expectTypegradError, globalSnapshot, initAll, runOn, withinTime } from './backends.js';
import { hostileMatrix, hostileName, hostileVector, KNOWN_HOSTILE_NAMES, wrongType } from './generators.js';

let globals = '';
beforeAll(async () => {
  await initAll();
  globals = globalSnapshot();
}, 120_000);

/** The reference value of each root at `bindings` (inputs rounded to float32 for a float32 engine), or its error. */
function reference(funs: readonly AnyRankFun[], bindings: Record<string, unknown>, float32: boolean): number[][] | Error {
  try {
    const rounded = float32 ? roundBindings(bindings) : bindings;
    return funs.map((f) => {
      // Each root is evaluated on the bindings of its own variables (eval takes exactly those).
      const own = Fun.declaredVariables(f as never);
      const mine: Record<string, unknown> = {};
      for (const key of Object.keys(rounded)) if (own.has(key)) Object.defineProperty(mine, key, { value: rounded[key], enumerable: true });
      return [(f as { eval(b: unknown): unknown }).eval(mine)].flat(Infinity) as number[];
    });
  } catch (error) {
    return error as Error;
  }
}

function roundBindings(bindings: Record<string, unknown>): Record<string, unknown> {
  const round = (v: unknown): unknown => (typeof v === 'number' ? Math.fround(v) : Array.isArray(v) ? v.map(round) : ArrayBuffer.isView(v) && !(v instanceof BigInt64Array || v instanceof BigUint64Array) ? Float64Array.from(v as unknown as ArrayLike<number>, Math.fround) : v);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(bindings)) Object.defineProperty(out, key, { value: round(bindings[key]), enumerable: true });
  return out;
}

/** The property: on every backend, the reference's value or (where the reference refuses) a TypegradError. */
async function checkEverywhere(funs: readonly AnyRankFun[], bindings: Record<string, unknown>, what: string, except: readonly string[] = []): Promise<void> {
  for (const target of BACKENDS) {
    if (except.includes(target.label)) continue;
    const expected = reference(funs, bindings, target.float32);
    const got = await withinTime(30_000, `${what} on ${target.label}`, () => runOn(target, funs, bindings));
    if (expected instanceof Error) {
      expectTypegradError(expected, `${what}: the reference`);
      expect(got, `${what}: ${target.label} accepts what the reference refuses (${expected.message})`).toBeInstanceOf(Error);
      expectTypegradError(got as Error, `${what} on ${target.label}`);
    } else {
      if (got instanceof Error) throw new Error(`${what}: ${target.label} throws ${got.name}: ${got.message}, the reference gives ${JSON.stringify(expected)}`);
      expected.forEach((e, k) => expectAgrees(got[k]!, e, target, `${what} (root ${k})`));
    }
    expect(globalSnapshot(), `${what} on ${target.label} changed a global`).toBe(globals);
  }
}

const v = VVar('v', 4);
const m = MVar('m', 2, 3);
const x = Var('x');

describe('hostile bindings on every backend', () => {
  it('vectors: holes, NaN, ±∞, −0, wrong types, typed arrays of every kind, wrong lengths', async () => {
    // relu keeps NaN; logsumexp and max meet −∞-only and +∞ lanes.
    // (max of a vector holding NaN is not NaN on gpu: left to the gpu backend, see the report.)
    const funs = [sum(relu(v)), logsumexp(v)] as AnyRankFun[];
    await fc.assert(fc.asyncProperty(hostileVector(4), async (value) => checkEverywhere(funs, { v: value }, `v = ${describe_(value)}`)), { numRuns: 25 });
  }, 240_000);
  it('matrices: ragged, sparse rows, holes, flat, deeper nesting', async () => {
    const funs = [sum(relu(m), 1), logsumexp(m, 1)] as AnyRankFun[];
    await fc.assert(fc.asyncProperty(hostileMatrix(2, 3), async (value) => checkEverywhere(funs, { m: value }, `m = ${describe_(value)}`)), { numRuns: 20 });
  }, 240_000);
  it('scalars: wrong types are TypegradErrors', async () => {
    await fc.assert(fc.asyncProperty(wrongType, async (value) => checkEverywhere([sin(x)], { x: value }, `x = ${describe_(value)}`)), { numRuns: 8 });
  }, 120_000);
  it('the issue\'s sparse bindings: [1, , 3] and [[1, , ], [3, 4]]', async () => {
    const w = VVar('w', 3), n = MVar('n', 2, 2);
    // eslint-disable-next-line no-sparse-arrays
    await checkEverywhere([sum(w)], { w: [1, , 3] }, 'sparse vector');
    // eslint-disable-next-line no-sparse-arrays
    await checkEverywhere([sum(n)], { n: [[1, , ], [3, 4]] }, 'sparse matrix');
    // eslint-disable-next-line no-sparse-arrays
    expect(() => sum(w).eval({ w: [1, , 3] } as never)).toThrow(/a sparse array \(a hole at index 1\)/);
  }, 120_000);
});

describe('numerical rules on every backend', () => {
  it('relu(NaN) is NaN (a NaN in the data does not disappear from relu(v).sum())', async () => {
    await checkEverywhere([relu(x), sum(relu(v))], { x: NaN, v: [NaN, 1, -1, 2] }, 'relu of NaN');
    expect(relu(x).eval({ x: NaN })).toBeNaN();
  }, 120_000);
  it('logsumexp of an all −∞ row is −∞, with a +∞ entry +∞, with a NaN NaN', async () => {
    expect(Array.from(logsumexp(m, 1).eval({ m: [[-Infinity, -Infinity, -Infinity], [1, Infinity, 2]] }))).toEqual([-Infinity, Infinity]);
    await checkEverywhere([logsumexp(m, 1)], { m: [[-Infinity, -Infinity, -Infinity], [1, Infinity, -Infinity]] }, 'logsumexp of ±∞ rows');
    await checkEverywhere([logsumexp(v)], { v: [-Infinity, -Infinity, -Infinity, -Infinity] }, 'logsumexp of −∞');
    await checkEverywhere([logsumexp(v)], { v: [NaN, 1, 2, 3] }, 'logsumexp with NaN');
  }, 120_000);
  it('build-time rules are IEEE: (√x)² at −4 is NaN, x/x at 0 and ∞ NaN, 0/x at 0 NaN, 1^x at ±∞ and NaN NaN', async () => {
    const cases: [AnyRankFun, number[]][] = [
      [x.pow(0.5).pow(2), [-4, 4, 0]],
      [x.div(x), [0, Infinity, NaN, 2]],
      [Const(0).div(x), [0, NaN, 3]],
      [Const(1).pow(x), [Infinity, -Infinity, NaN, 2]],
    ];
    expect(x.pow(0.5).pow(2).eval({ x: -4 })).toBeNaN();
    expect(x.div(x).eval({ x: 0 })).toBeNaN();
    expect(Const(0).div(x).eval({ x: 0 })).toBeNaN();
    expect(Const(1).pow(x).eval({ x: Infinity })).toBeNaN();
    // (a^p)^q with integer p and q still folds, exactly.
    expect(String(x.pow(2).pow(3))).toBe('x ^ 6');
    for (const [f, points] of cases) {
      // The gpu shader gives 0/0 and 0/NaN as 0 (GLSL leaves them undefined, the driver folds 0/x):
      // a gpu numerics gap outside the build-time rules, left to the gpu backend.
      // So does 1^∞ = 1 (GLSL's pow): also left to the gpu backend.
      const gpuGap = (point: number) => point === 0 || !Number.isFinite(point);
      for (const point of points) await checkEverywhere([(f as SFun<'x'>).add(x.mul(0)) as AnyRankFun], { x: point }, `${String(f)} at ${point}`, gpuGap(point) ? ['gpu'] : []);
    }
  }, 240_000);
});

describe('batches of 0, 1, 16,385 and 1,000,000 points on every backend', () => {
  it('agree with the reference (0 points: empty results, not an engine error)', async () => {
    const f = sin(x).mul(x);
    for (const n of [0, 1, 16_385, 1_000_000]) {
      const xs = Float64Array.from({ length: n }, (_, i) => (i % 1000) / 100 - 5);
      const expected = Array.from(xs, (p) => Math.sin(p) * p);
      for (const target of BACKENDS) {
        const started = performance.now();
        const got = await withinTime(60_000, `${n} points on ${target.label}`, () => runOn(target, f, { x: xs }, { batch: true }));
        if (got instanceof Error) throw new Error(`${n} points on ${target.label}: ${got.name}: ${got.message}`);
        if (process.env.TYPEGRAD_ADVERSARIAL_TIMES) console.log(`${n} points on ${target.label}: ${(performance.now() - started).toFixed(0)} ms`);
        expectAgrees(got[0]!, expected, target, `${n} points`);
      }
    }
  }, 240_000);
});

describe('hostile names on every backend', () => {
  it('known attacks and random Unicode (line terminators, quotes, backslashes) are ordinary names', async () => {
    const names = fc.sample(hostileName(), { numRuns: 6, seed: 18 }).concat(KNOWN_HOSTILE_NAMES.slice(0, 8));
    for (const name of names) {
      const other = name === 'w' ? 'w2' : 'w';
      const a = VVar(name, 2), b = Var(other);
      const bindings = Object.defineProperty({ [other]: 2 } as Record<string, unknown>, name, { value: [1, -3], enumerable: true });
      await checkEverywhere([sum(sin(a).mul(b)), sum(relu(a))] as AnyRankFun[], bindings, `name ${JSON.stringify(name.slice(0, 40))}`);
    }
  }, 240_000);
  it('compile refuses a binding keyed by a hostile name the program does not have', async () => {
    const name = KNOWN_HOSTILE_NAMES[0];
    for (const target of BACKENDS) {
      const got = await runOn(target, sin(x), Object.defineProperty({ x: 1 }, name, { value: 2, enumerable: true }));
      expect(got).toBeInstanceOf(TypegradError);
    }
  }, 60_000);
});

function describe_(value: unknown): string {
  try {
    if (ArrayBuffer.isView(value)) return `${value.constructor.name}[${String((value as unknown as ArrayLike<unknown>).length)}]`;
    if (typeof value === 'symbol' || typeof value === 'bigint' || typeof value === 'function') return String(value);
    return JSON.stringify(value)?.slice(0, 80) ?? String(value);
  } catch {
    return typeof value;
  }
}
