/**
 * Every backend of one test run, as the adversarial properties use them: js, tfjs on its cpu
 * and wasm engines, gpu (under the display wrapper) and onnx. `runOn` compiles and runs a
 * program and returns its flat results, or the error it threw; `agrees` is the one rule a
 * result must satisfy against the reference interpreter.
 */
import * as tfCore from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { compile, initBackend, TypegradError, type AnyRankFun } from '../../src/index.js';

/** One backend to run on: its name for compile, and the tfjs engine to switch to first. */
export interface BackendCase {
  readonly label: string;
  readonly backend: 'js' | 'tfjs' | 'gpu' | 'onnx';
  readonly tfjsEngine?: 'cpu' | 'wasm';
  readonly float32: boolean;
}

export const BACKENDS: readonly BackendCase[] = [
  { label: 'js', backend: 'js', float32: false },
  { label: 'tfjs (cpu)', backend: 'tfjs', tfjsEngine: 'cpu', float32: true },
  { label: 'tfjs (wasm)', backend: 'tfjs', tfjsEngine: 'wasm', float32: true },
  { label: 'gpu', backend: 'gpu', float32: true },
  { label: 'onnx', backend: 'onnx', float32: true },
];

/** Initialises every backend once (tfjs with both engines loaded). */
export async function initAll(): Promise<void> {
  await initBackend('tfjs');
  await import('@tensorflow/tfjs-backend-cpu');
  await initBackend('gpu');
  await initBackend('onnx');
}

/** The flat results of `funs` at `bindings` on `target`, or the error compiling or running threw. */
export async function runOn(target: BackendCase, funs: AnyRankFun | readonly AnyRankFun[], bindings: unknown, options: { batch?: boolean } = {}): Promise<number[][] | Error> {
  if (target.tfjsEngine !== undefined && tfCore.getBackend() !== target.tfjsEngine) await tfCore.setBackend(target.tfjsEngine);
  let compiled: ((bindings: unknown) => unknown) & { dispose(): unknown };
  try {
    compiled = compile(funs as never, { backend: target.backend, batch: options.batch === true } as never) as never;
  } catch (error) {
    return error as Error;
  }
  try {
    const result = await compiled(bindings);
    const list = Array.isArray(funs) ? (result as unknown[]) : [result];
    return list.map((r) => (typeof r === 'number' ? [r] : Array.from(flat(r))));
  } catch (error) {
    return error as Error;
  } finally {
    await compiled.dispose();
  }
}

function flat(value: unknown): number[] {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return (value as unknown[]).flat(Infinity) as number[];
  return [value as number];
}

/**
 * `got` agrees with the reference `expected`: NaN exactly where the reference is NaN, ±∞ where it
 * is, finite values within `tolerance` (relative); on a float32 engine a reference beyond the
 * float32 range may be ±∞ of its sign, and one below it may flush to 0.
 */
export function expectAgrees(got: readonly number[], expected: readonly number[], target: BackendCase, what: string, tolerance = target.float32 ? 2e-4 : 1e-12): void {
  expect(got.length, `${what}: ${target.label} gives ${got.length} values, the reference ${expected.length}`).toBe(expected.length);
  // One assertion for the first disagreement: an expect per element costs seconds at a million points.
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!, g = got[i]!;
    let ok: boolean;
    if (Number.isNaN(e)) ok = Number.isNaN(g);
    else if (!Number.isFinite(e)) ok = g === e;
    else if (target.float32 && Math.abs(e) > 3.4e38) ok = g === e || g === Math.sign(e) * Infinity;
    else ok = Math.abs(g - e) <= tolerance * Math.max(1, Math.abs(e)) + (target.float32 ? 1e-37 : 0);
    if (!ok) expect.fail(`${what}: ${target.label} gives ${g} at ${i}, the reference ${e}`);
  }
}

/** An error from running hostile input must be a TypegradError; anything else (a crash) fails the property. */
export function expectTypegradError(error: Error, what: string): void {
  if (!(error instanceof TypegradError)) throw new Error(`${what}: expected a TypegradError, got ${error.name}: ${error.message}`, { cause: error });
}

/** Runs `body` and fails if it does not settle within `ms`: a hang is a failure, never a stuck run. */
export async function withinTime<T>(ms: number, what: string, body: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms (a hang)`)), ms)));
  try {
    return await Promise.race([body(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Own property names of the prototypes and globals a hostile input could change. */
export function globalSnapshot(): string {
  return JSON.stringify([
    Object.getOwnPropertyNames(Object.prototype).sort(),
    Object.getOwnPropertyNames(Array.prototype).sort(),
    Object.getOwnPropertyNames(Function.prototype).sort(),
    Object.getOwnPropertyNames(globalThis).sort(),
  ]);
}
