/**
 * Type tests of the onnx backend's compiled functions: ONNX Runtime's API is asynchronous, so on
 * onnx a compiled function returns a Promise (and has dispose); where the backend is not known
 * statically, the type says it may be either.
 */
import { describe, expectTypeOf, test } from 'vitest';
import { compile, compileAsync, MVar, Var, type AsyncCompiled, type BackendName, type Bindings } from '../src/index.js';

const x = Var('x'), y = Var('y'), W = MVar('W', 2, 3);

describe('compile on onnx', () => {
  test('a compiled function returns a Promise of the js results, in float32, and has dispose', () => {
    const f = compile(x.mul(y), { backend: 'onnx' });
    expectTypeOf(f).parameter(0).toEqualTypeOf<Bindings<'x' | 'y'>>();
    expectTypeOf(f).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(f.dispose).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(compile([W, x], { backend: 'onnx', args: [W, x] })).returns.toEqualTypeOf<Promise<[Float32Array, number]>>();
    expectTypeOf(compile(x, { backend: 'onnx', batch: true })).returns.toEqualTypeOf<Promise<Float32Array>>();
  });

  test('compileAsync resolves to the same Promise-returning function', () => {
    expectTypeOf(compileAsync(x, { backend: 'onnx' })).resolves.toEqualTypeOf<AsyncCompiled<(bindings: Bindings<'x'>) => number>>();
  });

  test('the other backends are unchanged; a backend chosen at run time may be either', () => {
    expectTypeOf(compile(x, { backend: 'tfjs' })).returns.toEqualTypeOf<number>();
    expectTypeOf(compile(x)).returns.toEqualTypeOf<number>();
    const backend = 'js' as BackendName;
    const either = compile(x, { backend });
    expectTypeOf<ReturnType<typeof either>>().toEqualTypeOf<number | Promise<number>>();
  });
});
