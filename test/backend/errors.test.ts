/** Bad input to a compiled function is a TypegradError naming the variable and the lengths. */
import { describe, expect, it } from 'vitest';
import { compile, TypegradError, Var } from '../../src/index.js';
import { typegradErrorOf as thrown } from '../support/errors.js';

const x = Var('x');
const y = Var('y');
const f = x.mul(y);


describe('compiled functions reject bad input', () => {
  const batch = compile(f, { batch: true }) as (...args: unknown[]) => unknown;
  const point = compile(f) as (...args: unknown[]) => unknown;

  it('columns of different lengths', () => {
    expect(thrown(() => batch({ x: [1, 2, 3], y: new Float64Array(2) })).message).toMatch(/column 'y' has length 2, but column 'x' has length 3/);
  });
  it('a missing input', () => {
    expect(thrown(() => batch({ x: [1] })).message).toMatch(/missing column for variable 'y'/);
    expect(thrown(() => point({ x: 1 })).message).toMatch(/missing value for variable 'y'/);
  });
  it('non-numeric values', () => {
    expect(thrown(() => batch({ x: 'abc', y: [1] })).message).toMatch(/variable 'x' must be bound to a Float64Array.*the string "abc"/);
    expect(thrown(() => batch({ x: [1, '2'], y: [1, 2] })).message).toMatch(/variable 'x' must hold numbers, got the string "2" at index 1/);
    expect(thrown(() => point({ x: 1, y: '2' })).message).toMatch(/variable 'y' must be bound to a number/);
    expect(thrown(() => compile(f, { args: [x, y] })(1, '2' as never)).message).toMatch(/argument 2 \('y'\) must be a number/);
  });
  it('unknown variables and wrong out columns', () => {
    expect(thrown(() => point({ x: 1, y: 2, q: 3 })).message).toMatch(/'q' is not a variable/);
    expect(thrown(() => batch({ x: [1, 2], y: [1, 2] }, new Float64Array(3))).message).toMatch(/out has length 3, but the input columns have length 2/);
    expect(thrown(() => compile([f, x], { batch: true })({ x: [1], y: [1] }, [new Float64Array(1)] as never)).message).toMatch(/out must be an array of 2 columns/);
  });
  it('an uninitialised or unknown backend', () => {
    expect(thrown(() => compile(f, { backend: 'nope' as never })).message).toMatch(/unknown backend "nope"/);
    expect(thrown(() => compile(f, { backend: 'wasm' })).message).toMatch(/backend 'wasm' is not initialised; call `await initBackend\('wasm'\)` first, or use compileAsync/);
  });
});
