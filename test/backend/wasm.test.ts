/**
 * The wasm backend beyond the random programs of agreement.test.ts: the shapes its kernels
 * special-case (register blocks, panels, vector tails, transposed and broadcast operands) against
 * the js backend bit for bit in float64, float32 results, batch blocks, and its errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backendInfo, compile, compileAsync, equal, gather, grad, heaviside, initBackend, logsumexp, matmul, max, MVar, pad, pow, relu, reshape, sign, sin, slice, softmax, sum, transpose, TVar, Var, VVar, jit, withContext, type AnyRankFun } from '../../src/index.js';
import { typegradErrorOf as thrown } from '../support/errors.js';

/** Values in [−1, 1) from a seed, deterministic. */
function values(n: number, seed: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 0.7 + seed * 1.3));
}

/** Binds every variable of the Funs to deterministic values of its size. */
function bindings(funs: readonly AnyRankFun[]): Record<string, number | Float64Array> {
  const out: Record<string, number | Float64Array> = {};
  let seed = 0;
  for (const f of funs) {
    for (const v of f.variables) {
      if (Object.hasOwn(out, v)) continue;
      const size = variableSize(funs, v);
      out[v] = size === 0 ? Math.sin(++seed) : values(size, ++seed);
    }
  }
  return out;
}

/** The number of elements of variable `name` (0 for a scalar). */
function variableSize(funs: readonly AnyRankFun[], name: string): number {
  const stack = funs.map((f) => (f as unknown as { node: Node }).node);
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.op === 'var' && n.name === name) return n.shape.length === 0 ? 0 : n.shape.reduce((a, b) => a * b, 1);
    stack.push(...n.args);
  }
  throw new Error(`no variable ${name}`);
}

interface Node {
  readonly op: string;
  readonly name?: string;
  readonly shape: readonly number[];
  readonly args: readonly Node[];
}

/** Compiles on js and wasm (float64) and expects the same numbers, bit for bit. */
function expectSameAsJs(funs: readonly AnyRankFun[], bind = bindings(funs)): void {
  const js = compile(funs as AnyRankFun[])(bind as never) as unknown[];
  const wasm = compile(funs as AnyRankFun[], { backend: 'wasm' })(bind as never) as unknown[];
  funs.forEach((_, k) => expect(wasm[k], `root ${k}`).toEqual(js[k]));
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('the wasm backend (float64) computes what js computes, bit for bit', () => {
  it('matrix products of every size class: register blocks and their remainders, panels and partial panels', () => {
    const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 17];
    for (const rows of sizes) {
      for (const columns of sizes) {
        const A = MVar('A', rows, 6), B = MVar('B', 6, columns);
        expectSameAsJs([matmul(A, B)]);
      }
    }
  });

  it('transposed operands, vectors, long inner dimensions and a batch with a broadcast operand', () => {
    const A = MVar('A', 9, 31), B = MVar('B', 31, 11), C = MVar('C', 11, 31), D = MVar('D', 31, 9), v = VVar('v', 31), w = VVar('w', 9);
    expectSameAsJs([matmul(A, B), matmul(A, C.transpose()), matmul(D.transpose(), B), matmul(D.transpose(), C.transpose()), matmul(A, v), matmul(w, A), v.dot(v)]);
    const T = TVar('T', [3, 5, 7]), U = TVar('U', [3, 7, 6]), S = MVar('S', 7, 10);
    expectSameAsJs([matmul(T, U), matmul(T, S)] as never);
  });

  it('the MLP loss and gradient (784→128→10 at batch 64), as one program', () => {
    const X = MVar('X', 64, 784), W1 = MVar('W1', 784, 128), b1 = VVar('b1', 128), W2 = MVar('W2', 128, 10), b2 = VVar('b2', 10), Y = MVar('Y', 64, 10);
    const z = matmul(relu(matmul(X, W1).add(b1)), W2).add(b2);
    const loss = z.logsumexp(1).sum().sub(z.mul(Y).sum()).div(64);
    const g = grad(loss, { W1, b1, W2, b2 });
    expectSameAsJs([loss, g.W1, g.b1, g.W2, g.b2, z]);
  });

  it('reductions (a SIMD lane per output where the kept axis is contiguous), softmax along either axis', () => {
    const M = MVar('M', 37, 23);
    expectSameAsJs([sum(M, 0), sum(M, 1), max(M, 0), max(M, 1), logsumexp(M, 0), logsumexp(M, 1), softmax(M, 0), softmax(M, 1), sum(M)] as never);
    const T = TVar('T', [4, 5, 6]);
    expectSameAsJs([sum(T, [0, 2]), max(T, [0, 1]), sum(transpose(T, [2, 0, 1]), 1), logsumexp(T, 2)] as never);
  });

  it('fused elementwise loops with vector bodies and scalar tails, broadcast operands, and the branches of relu, sign, heaviside', () => {
    const M = MVar('M', 5, 13), b = VVar('b', 13), c = VVar('c', 5), s = Var('s');
    const special = Float64Array.from({ length: 65 }, (_, i) => [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5][i % 8]! * (i < 8 ? 1 : Math.sin(i)));
    const funs = [
      relu(M.add(b)).mul(s),
      sign(M).add(heaviside(M)),
      M.mul(reshape(c, [5, 1]) as never).sub(b),
      pow(M, 2).add(pow(M, 3)).add(pow(M, -2)),
      sin(M).mul(equal(M, b)),
    ];
    expectSameAsJs(funs as never, { M: special, b: values(13, 1), c: values(5, 2), s: 1.5 });
    expectSameAsJs(funs as never);
  });

  it('data movement: slices, pads, concatenation, gathers and their gradients', () => {
    const M = MVar('M', 6, 4);
    const I = VVar('I', 3);
    const picked = gather(M, I, 0);
    const loss = picked.mul(picked).sum().add(sum(slice(M, 0, 1, 3))).add(max(pad(M, 0, 2, 1)));
    const g = grad(loss, { M });
    expectSameAsJs([loss, g.M, picked] as never, { M: values(24, 3), I: Float64Array.of(5, 0, 5) });
  });
});

describe('float32', () => {
  it('returns Float32Arrays within float32 rounding of the float64 results', () => {
    const X = MVar('X', 16, 40), W = MVar('W', 40, 24), b = VVar('b', 24);
    const h = relu(matmul(X, W).add(b));
    const loss = h.logsumexp(1).sum();
    const g = grad(loss, { W, b });
    const bind = bindings([loss, g.W, g.b, h]);
    const exact = compile([loss, g.W, g.b, h])(bind as never);
    const single = compile([loss, g.W, g.b, h], { backend: 'wasm', precision: 'float32' })(bind as never);
    expect(single[1]).toBeInstanceOf(Float32Array);
    expect(single[3]).toBeInstanceOf(Float32Array);
    expect(Math.abs(single[0] - exact[0]) / Math.abs(exact[0])).toBeLessThan(1e-5);
    for (const k of [1, 2, 3] as const) {
      const scale = Math.max(...Array.from(exact[k], Math.abs));
      exact[k].forEach((x, i) => expect(Math.abs((single[k] as Float32Array)[i]! - x)).toBeLessThan(1e-5 * scale));
    }
  });
});

describe('batch mode', () => {
  it('runs many points in blocks (more than one block) and equals js at every point', () => {
    const x = Var('x'), y = Var('y');
    const z = x.mul(4).mul(sin(x.mul(y)).add(y));
    const g = grad(z, { x, y });
    const n = 100_003;
    const xs = values(n, 1), ys = values(n, 2);
    const js = compile([z, g.x, g.y], { batch: true, args: [x, y] })(xs, ys);
    const wasm = compile([z, g.x, g.y], { batch: true, args: [x, y], backend: 'wasm', threads: 1 })(xs, ys);
    expect(wasm).toEqual(js);
    const single = compile([z, g.x, g.y], { batch: true, args: [x, y], backend: 'wasm', precision: 'float32' })(Array.from(xs.subarray(0, 10)), Array.from(ys.subarray(0, 10)));
    expect(single[0]).toBeInstanceOf(Float32Array);
    single[0].forEach((v, i) => expect(v).toBeCloseTo(js[0][i]!, 5));
  });

  it('tensor programs at many points, into the caller’s own columns', () => {
    const M = MVar('M', 3, 4), v = VVar('v', 4);
    const f = { p: matmul(M, v), s: M.sum(), m: M };
    const n = 9;
    const columns = { M: values(12 * n, 1), v: values(4 * n, 2) };
    const js = compile(f, { batch: true })(columns);
    const out = { p: new Float64Array(3 * n), s: new Float64Array(n), m: new Float64Array(12 * n) };
    const wasm = compile(f, { batch: true, backend: 'wasm' })(columns, out);
    expect(wasm).toBe(out);
    expect(out).toEqual(js);
  });
});

describe('errors', () => {
  it('an index out of range in gather is a TypegradError naming the operation', () => {
    const M = MVar('M', 3, 2), I = VVar('I', 2);
    const f = compile(gather(M, I, 0), { backend: 'wasm' });
    expect(thrown(() => f({ M: values(6, 1), I: [0, 3] })).message).toBe('gather: index 3 is not an integer in [0, 3)');
    expect(thrown(() => f({ M: values(6, 1), I: [0.5, 1] })).message).toBe('gather: index 0.5 is not an integer in [0, 3)');
    const g = grad(gather(M, I, 0).sum(), { M });
    expect(thrown(() => compile(g.M, { backend: 'wasm', precision: 'float32' })({ M: values(6, 1), I: [-1, 1] })).message).toBe('scatterAdd: index -1 is not an integer in [0, 3)');
  });

  it('options a backend does not offer are refused, naming them', () => {
    const x = Var('x');
    expect(thrown(() => compile(x, { backend: 'wasm', precision: 'float16' as never })).message).toMatch(/compile: precision must be 'float32' or 'float64', got "float16"/);
    expect(thrown(() => compile(x, { backend: 'wasm', threads: 0 })).message).toMatch(/compile: threads must be a positive integer, got 0/);
    expect(thrown(() => compile(x, { precision: 'float32' })).message).toMatch(/the js backend computes in float64, not "float32"; the wasm backend computes in either/);
    expect(thrown(() => compile(x, { threads: 2 })).message).toMatch(/threads is an option of the wasm backend, not of js/);
  });

  it('jit and withContext compile for it', () => {
    const x = Var('x');
    const f = jit((a: typeof x) => sin(a).mul(a), { backend: 'wasm' });
    expect(f(2)).toBe(Math.sin(2) * 2);
    expect(withContext({ backend: 'wasm' }, () => jit((a: typeof x) => a.mul(3)))(2)).toBe(6);
  });

  it('compileAsync compiles the module asynchronously', async () => {
    const x = Var('x');
    const f = await compileAsync(sin(x), { backend: 'wasm', precision: 'float32' });
    expect(f({ x: 1 })).toBe(Math.fround(Math.sin(1)));
  });

  it('reports what it runs on', () => {
    const info = backendInfo('wasm')!;
    expect(info.backend).toBe('wasm');
    expect(info.precision).toBe('float64');
    expect(info.engine).toMatch(/^wasm-simd128, \d+ threads?$/);
  });
});
