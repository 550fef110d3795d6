/** The js backend on tensor programs: MLP loss and gradient, matrix products, inputs, outputs, source. */
import { describe, expect, it } from 'vitest';
import { compile, grad, Mat, matmul, MVar, relu, sin, toSource, TypegradError, Var, Vec, VVar, type SFun } from '../../src/index.js';

const X = MVar('X', 5, 7);
const W = MVar('W', 7, 3);
const b = VVar('b', 3);
const Y = MVar('Y', 5, 3);

/** Values in [−1, 1) from a seed, deterministic. */
function values(n: number, seed: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 0.7 + seed * 1.3));
}

const data = { X: values(35, 1), W: values(21, 2), b: values(3, 3), Y: values(15, 4) };

function thrown(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(TypegradError);
    return (error as Error).message;
  }
  throw new Error('expected a TypegradError');
}

describe('compile on tensor programs (js)', () => {
  const z = matmul(relu(matmul(X, W).add(b)).transpose(), Y); // [3, 3]
  const loss = z.logsumexp(1).sum().sub(z.softmax().mul(matmul(W.transpose(), W).slice(0, 3)).sum());
  const g = grad(loss, { W, b });

  it('a scalar loss with its gradients by a matrix and a vector, as one program, equals eval', () => {
    const [value, gW, gb] = compile([loss, g.W, g.b])(data);
    expect(value).toBeCloseTo(loss.eval(data), 12);
    expect(gW).toBeInstanceOf(Float64Array);
    expect(Array.from(gW)).toEqual(g.W.eval(data).flat());
    expect(Array.from(gb)).toEqual(g.b.eval(data));
  });

  it('matrix products with transposed operands, odd sizes and vectors equal the reference exactly', () => {
    const A = MVar('A', 5, 9), B = MVar('B', 9, 7), C = MVar('C', 7, 9), D = MVar('D', 9, 5), v = VVar('v', 9), w = VVar('w', 5);
    const funs = [matmul(A, B), matmul(A, C.transpose()), matmul(D.transpose(), B), matmul(D.transpose(), C.transpose()), matmul(A, v), matmul(w, A), v.dot(v)] as const;
    const bind = { A: values(45, 5), B: values(63, 6), C: values(63, 7), D: values(45, 8), v: values(9, 9), w: values(5, 10) };
    const out = compile(funs)(bind);
    const only = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, bind[n as keyof typeof bind]]));
    funs.forEach((f, k) => {
      const own = only(f.variables);
      const expected = f.node.shape.length === 0 ? (f as { eval(b: unknown): number }).eval(own) : (f as { eval(b: unknown): number[] | number[][] }).eval(own).flat();
      expect(out[k]).toEqual(typeof expected === 'number' ? expected : Float64Array.from(expected));
    });
    // AᵀB reads A in place: no transpose is materialised.
    expect(toSource(matmul(D.transpose(), B))).not.toMatch(/\/\/ transpose/);
  });

  it('binds number[][], number[] and flat Float64Array; returns numbers and flat row-major Float64Arrays', () => {
    const f = compile({ h: matmul(X, W).add(b), n: b.sum() });
    const nested = f({ X: [...Array(5)].map((_, i) => Array.from(data.X.subarray(i * 7, i * 7 + 7))), W: data.W, b: Array.from(data.b) });
    const flat = f({ X: data.X, W: data.W, b: data.b });
    expect(nested.h).toEqual(flat.h);
    expect(flat.h.length).toBe(15);
    expect(typeof flat.n).toBe('number');
    expect(Array.from(flat.h)).toEqual(matmul(X, W).add(b).eval({ X: data.X, W: data.W, b: data.b }).flat());
  });

  it('returns fresh arrays by default, and the same arrays with reuseOutputs', () => {
    const bind = { X: data.X, W: data.W };
    const fresh = compile(matmul(X, W));
    expect(fresh(bind)).not.toBe(fresh(bind));
    const reused = compile(matmul(X, W), { reuseOutputs: true });
    const first = reused(bind);
    const copy = first.slice();
    const second = reused({ X: data.X.map((x) => 2 * x), W: data.W });
    expect(second).toBe(first);
    expect(Array.from(second)).toEqual(Array.from(copy, (x) => 2 * x));
  });

  it('positional tensor arguments', () => {
    expect(Array.from(compile(matmul(X, W), { args: [W, X] })(data.W, data.X))).toEqual(matmul(X, W).eval({ X: data.X, W: data.W }).flat());
  });

  it('constant tensors are filled once at compile time; scalars and vectors mix', () => {
    const x = Var('x');
    const f = Mat([1, 2], [3, 4]).mul(x).matmul(Vec(sin(x), 2));
    expect(toSource(f)).toMatch(/constant, filled once/);
    expect(Array.from(compile(f)({ x: 0.5 }))).toEqual(f.eval({ x: 0.5 }));
  });

  it('a long program is split into chunks and still agrees', () => {
    const x = Var('x');
    let total: SFun<'b' | 'x'> = b.sum();
    for (let i = 0; i < 600; i++) total = total.add(sin(x.mul(i)).mul(b.get(i % 3)));
    const f = compile([total, grad(total, b)]);
    const [value, gradient] = f({ x: 0.3, b: data.b });
    expect(value).toBeCloseTo(total.eval({ x: 0.3, b: data.b }), 10);
    expect(Array.from(gradient)).toEqual(grad(total, b).eval({ x: 0.3, b: data.b }));
    expect(toSource(total).match(/function chunk/g)!.length).toBeGreaterThan(1);
  });

  it('batch mode: a tensor input that is also a result gives each point its own values', () => {
    const v = VVar('v', 3), s = Var('s');
    const [same, scaled] = compile([v, v.mul(s)], { batch: true })({ v: [1, 2, 3, 4, 5, 6], s: [10, 100] });
    expect(Array.from(same)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(scaled)).toEqual([10, 20, 30, 400, 500, 600]);
  });

  it('bad inputs are TypegradErrors naming the variable and both shapes', () => {
    const f = compile([loss, g.W]);
    expect(thrown(() => f({ ...data, W: [[1, 2], [3, 4]] }))).toMatch(/variable 'W' is a matrix\[7×3\], got matrix\[2×2\]/);
    expect(thrown(() => f({ ...data, X: new Float64Array(3) }))).toMatch(/variable 'X' is a matrix\[5×7\], got a Float64Array of 3 values/);
    expect(thrown(() => f({ X: data.X, W: data.W, Y: data.Y } as never))).toMatch(/missing value for variable 'b' \(a vector\[3\], 3 values\)/);
    expect(thrown(() => f({ ...data, q: 1 } as never))).toMatch(/'q' is not a variable/);
    expect(thrown(() => compile(loss, { batch: true })({ ...data, X: data.X.slice(0, 7) } as never))).toMatch(/column 'X' has length 7, which is not a whole number of points of matrix\[5×7\]/);
  });
});
