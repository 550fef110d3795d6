/**
 * `withContext`: default settings for a block of code, restored when the block returns or
 * throws, and nestable. The settings are `simplify` (build-time simplification, kept in
 * `src/ad/build.ts`) and `backend` (the default backend of `jit` and of calls to traced functions).
 */
import { withSimplification, simplificationEnabled } from '../../ad/build.js';
import { TypegradError } from '../../ad/errors.js';
import { requireSynchronous, type BackendName } from '../../backend/registry.js';
import { describeValue } from '../record.js';

/** The settings `withContext` can change. */
export interface ContextSettings {
  /**
   * Build-time simplification of elementwise operations (default true). Off, x·x stays a
   * product and x + x a sum; constants still fold and neutral operands (x + 0, x·1) still vanish.
   */
  readonly simplify?: boolean;
  /** The backend `jit` and traced functions compile for (default `js`). */
  readonly backend?: BackendName;
}

/** Every setting, as it is in the current block. */
export type Context = Required<ContextSettings>;

/**
 * The backend settings of the enclosing `withContext` blocks, innermost last. Like the
 * simplification stack in `src/ad/build.ts`, this is scoped state: only `withContext` pushes and
 * pops it (in a `finally`), so no setting outlives its block.
 */
const backendStack: BackendName[] = [];

const SETTINGS: readonly string[] = ['simplify', 'backend'];
const BACKENDS: readonly string[] = ['js', 'tfjs', 'gpu', 'wasm'];

/**
 * The settings in force here: those of the innermost `withContext`, or the defaults.
 * @example withContext({ backend: 'tfjs' }, () => currentContext().backend) // 'tfjs'
 */
export function currentContext(): Context {
  return { simplify: simplificationEnabled(), backend: backendStack[backendStack.length - 1] ?? 'js' };
}

function checkSettings(settings: unknown): ContextSettings {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new TypegradError(`withContext: expected an object of settings, got ${describeValue(settings)}`);
  }
  const record = settings as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!SETTINGS.includes(key)) throw new TypegradError(`withContext: unknown setting '${key}'; the settings are ${SETTINGS.join(', ')}`);
  }
  if (record['simplify'] !== undefined && typeof record['simplify'] !== 'boolean') {
    throw new TypegradError(`withContext: 'simplify' must be true or false, got ${describeValue(record['simplify'])}`);
  }
  requireSynchronous(record['backend'] as BackendName | undefined, 'withContext');
  if (record['backend'] !== undefined && !BACKENDS.includes(record['backend'] as string)) {
    throw new TypegradError(`withContext: unknown backend ${JSON.stringify(record['backend'])}; the backends are 'js', 'tfjs', 'gpu' and 'wasm'`);
  }
  return record as ContextSettings;
}

/**
 * Runs `body` with the given settings as defaults and returns its result; the previous settings
 * come back when it returns or throws, and blocks nest (an inner setting wins, unset ones are
 * inherited). `body` must be synchronous: a Promise it returns would run on outside the block,
 * so that is an error.
 * @example
 * const square = withContext({ simplify: false }, () => x.mul(x)); // x * x, not x ^ 2
 * withContext({ backend: 'tfjs' }, () => jit(f));                   // compiled for tfjs
 */
export function withContext<T>(settings: ContextSettings, body: () => T): T {
  const { simplify, backend } = checkSettings(settings);
  if (typeof body !== 'function') throw new TypegradError(`withContext: expected a function to run, got ${describeValue(body)}`);
  backendStack.push(backend ?? currentContext().backend);
  let result: T;
  try {
    result = withSimplification(simplify ?? simplificationEnabled(), body);
  } finally {
    backendStack.pop();
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    // Its rejection is handled here: the TypegradError is the report, and an unhandled rejection would end the process.
    (result as unknown as PromiseLike<unknown>).then(undefined, () => undefined);
    throw new TypegradError('withContext: the body returned a Promise; settings apply to synchronous code only (await inside the block runs outside it)');
  }
  return result;
}
