/**
 * Compile-time cost of the type-level arithmetic at realistic sizes. Not a test: measure with
 *
 *     npx tsc -p bench/types/tsconfig.json --extendedDiagnostics
 *
 * and read "Instantiation count" and "Check time". Each table below applies an operator to
 * every pair of the sizes (16 x 16 = 256 distinct instantiations per operator); the `check`
 * constants make tsc evaluate all of them, and fail to compile if any result is wrong.
 */
import type { Add, Div, Lt, Max, Mul, Sub } from '../../src/typelevel/index.js';

/** Layer widths, batch sizes and dataset sizes as they occur in practice. */
type Size = 1 | 3 | 10 | 28 | 32 | 64 | 100 | 128 | 256 | 512 | 784 | 1000 | 1024 | 4096 | 10000 | 60000;

/** `true` for every pair when `Div<Mul<A, B>, B>` gives `A` back (distributes over all pairs). */
type MulDivRoundTrip<A extends number = Size, B extends number = Size> =
  A extends unknown ? (B extends unknown ? (Div<Mul<A, B>, B> extends A ? true : false) : never) : never;

/** `true` for every pair when `Sub<Add<A, B>, B>` gives `A` back. */
type AddSubRoundTrip<A extends number = Size, B extends number = Size> =
  A extends unknown ? (B extends unknown ? (Sub<Add<A, B>, B> extends A ? true : false) : never) : never;

/** `true` for every pair when `Max` agrees with `Lt`. */
type MaxAgreesWithLt<A extends number = Size, B extends number = Size> =
  A extends unknown ? (B extends unknown ? (Max<A, B> extends (Lt<A, B> extends true ? B : A) ? true : false) : never) : never;

export const mulDivCheck: [MulDivRoundTrip] extends [true] ? 'ok' : 'broken' = 'ok';
export const addSubCheck: [AddSubRoundTrip] extends [true] ? 'ok' : 'broken' = 'ok';
export const maxLtCheck: [MaxAgreesWithLt] extends [true] ? 'ok' : 'broken' = 'ok';

/** The MNIST multilayer perceptron from the brief, as shapes. */
export const mnistPixels: Mul<60000, 784> = 47040000;
export const mnistRows: Div<47040000, 784> = 60000;
export const hiddenConcat: Add<784, 128> = 912;
export const weightCount: Add<Add<Mul<784, 128>, 128>, Add<Mul<128, 10>, 10>> = 101770;
