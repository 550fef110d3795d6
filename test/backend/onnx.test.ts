/**
 * The onnx backend (ONNX Runtime through onnxruntime-node): random scalar and tensor programs
 * and their gradients agree with the reference interpreter within float32 accuracy (as tfjs and
 * gpu in agreement.test.ts), index operands are checked as on js, and the Promise-returning
 * compiled functions release their session.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import type { AnyRankFun } from '../../src/api/compile.js';
import { wrap } from '../../src/api/wrap.js';
import { primitiveOf, primitives, type OperationName } from '../../src/ad/primitives/index.js';
import { topologicalOrder } from '../../src/ad/traverse.js';
import { onnxLowers } from '../../src/backend/onnx/lowering.js';
import { compile, grad, initBackend, jit, MVar, TypegradError, Var, VVar, withContext, type MFun, type SFun } from '../../src/index.js';
import { dense, sequential, train } from '../../src/nn/index.js';
import { applyFuns } from '../../src/api/wrap.js';
import { agrees, expressionArbitrary, pointsArbitrary, reference, variables } from './random-expression.js';
import { DIFFERENTIABLE_VARIABLES, evaluateAll, kinkDistance, pointArbitrary, programArbitrary, scaleOf, variablesOf } from '../support/random-tensor-programs.js';

const info = await initBackend('onnx');
console.log(`onnx backend engine: ${info.engine}`);

const TOLERANCE = 1e-4;

describe('the onnx backend', () => {
  it('lowers every primitive, or decomposes it by its own rule (logsumexp, functions ONNX lacks, the special functions, custom derivatives)', () => {
    const names = Object.keys(primitives) as OperationName[];
    expect(names.filter((op) => !onnxLowers(op) && primitiveOf(op).decompose === undefined)).toEqual([]);
    expect(names.filter((op) => !onnxLowers(op)).sort()).toEqual(['atan2', 'custom', 'digamma', 'erf', 'erfc', 'expm1', 'hypot', 'lgamma', 'log1p', 'logsumexp', 'polygamma']);
  });

  it('random scalar expressions and their gradients, batch mode: within 1e-4 of the float32 scale', async () => {
    await fc.assert(
      fc.asyncProperty(expressionArbitrary(4), pointsArbitrary(8), async (f, columns) => {
        const g = grad(f, variables as unknown as SFun<string>[]);
        const funs = [f, g.x!, g.y!, g.z!];
        const inputs = columns.map((c) => c.map(Math.fround));
        const compiled = compile(funs, { batch: true, backend: 'onnx', args: variables });
        const out = await compiled(inputs[0]!, inputs[1]!, inputs[2]!);
        await compiled.dispose();
        for (let i = 0; i < inputs[0]!.length; i++) {
          const { values, scale, jump } = reference(funs, inputs, i);
          if (jump < 1e-6 * scale) continue; // float32 cannot resolve the side of the jump
          values.forEach((expected, k) => {
            const got = out[k]![i]!;
            if (!agrees(got, expected, TOLERANCE, scale)) throw new Error(`output ${k} at point ${i}: onnx gives ${got}, the reference ${expected} (scale ${scale}) for ${funs[k]}`);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('random tensor programs of rank 0 to 4 over every primitive and their gradients: within 1e-4 of the float32 scale', async () => {
    await fc.assert(
      fc.asyncProperty(programArbitrary(), pointArbitrary, async (program, point) => {
        const roots = [program.loss, ...reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES), ...program.outputs];
        const inputs = variablesOf(roots);
        const declared = new Set(inputs.map((v) => v.name));
        const funs = roots.map((r) => wrap(r, [], declared) as AnyRankFun);
        const order = topologicalOrder(roots);
        const value = evaluateAll(order, point);
        const scale = scaleOf(value);
        // Within float32 rounding of a kink (or of a tie of a max) a float32 engine may compute on the other piece.
        fc.pre(kinkDistance(order, value) > 1e-5 * scale);
        const bindings = Object.fromEntries(inputs.map((v) => [v.name, v.shape.length === 0 ? point.get(v.name)![0]! : point.get(v.name)!]));
        const compiled = compile(funs, { backend: 'onnx' });
        const got = (await compiled(bindings as never)) as (number | Float32Array)[];
        await compiled.dispose();
        roots.forEach((root, k) => {
          const expected = value.get(root)!;
          const g = got[k]!;
          const flat = typeof g === 'number' ? [g] : g;
          expect(flat.length, `root ${k}`).toBe(expected.length);
          expected.forEach((x, i) => {
            if (!agrees(flat[i]!, x, TOLERANCE, scale)) throw new Error(`root ${k} [${root.shape.join('×')}] element ${i}: onnx gives ${flat[i]}, the reference ${x} (scale ${scale})`);
          });
        });
      }),
      { numRuns: 100 },
    );
  });

  it('rank 3 and 4 programs and their gradients (batched and broadcast matmul, reductions, softmax, permutations, indexing) agree with js', async () => {
    const A = variableNode('A', [2, 3, 4]), B = variableNode('B', [4, 2]), Q = variableNode('Q', [2, 1, 3, 2]), J = variableNode('J', [2, 2]);
    const at = (name: string, args: Node[], attrs: number[] = []) => apply(name, args, attrs);
    const product = at('matmul', [A, B]); // [2, 3, 2]: a batch against one matrix
    const batched = at('matmul', [Q, at('transpose', [product], [0, 2, 1])]); // [2, 1, 3, 2] @ [2, 2, 3] → [2, 2, 3, 3]
    const mixed = at('add', [at('softmax', [batched], [1]), at('reshape', [at('sum', [A], [2])], [2, 1, 3, 1])]);
    const picked = at('gather', [A, J], [2]); // [2, 3, 2, 2]
    const scattered = at('scatterAdd', [picked, J], [2, 4]); // [2, 3, 4]
    const padded = at('concat', [at('pad', [at('slice', [mixed], [3, 0, 2])], [3, 1, 0]), mixed], [2]); // [2, 2, 6, 3]
    const loss = at('add', [
      at('sum', [at('mul', [padded, padded])]),
      at('add', [at('sum', [at('max', [at('transpose', [scattered], [2, 0, 1])], [0, 2])]), at('logsumexp', [at('tanh', [batched])])]),
    ]);
    const variables = [A, B, Q];
    const roots = [loss, ...reverseGradient(loss, variables), padded, scattered];
    const funs = roots.map((n) => wrap(n, [], new Set(['A', 'B', 'Q', 'J'])) as AnyRankFun);
    const data = {
      A: Float64Array.from({ length: 24 }, (_, i) => Math.fround(Math.sin(i * 1.3) / 2)),
      B: Float64Array.from({ length: 8 }, (_, i) => Math.fround(Math.cos(i) / 2)),
      Q: Float64Array.from({ length: 12 }, (_, i) => Math.fround(((i % 5) - 2) / 4)),
      J: Float64Array.of(3, 0, 1, 3),
    };
    const js = compile(funs)(data as never) as (number | Float64Array)[];
    const f = compile(funs, { backend: 'onnx' });
    const onnx = (await f(data as never)) as (number | Float32Array)[];
    await f.dispose();
    js.forEach((expected, k) => {
      const [e, g] = [typeof expected === 'number' ? [expected] : expected, onnx[k]!];
      const got = typeof g === 'number' ? [g] : g;
      expect(got.length).toBe(e.length);
      const scale = Math.max(1, ...Array.from(e, Math.abs));
      e.forEach((x, i) => expect(Math.abs(got[i]! - x), `output ${k} element ${i}`).toBeLessThan(1e-5 * scale));
    });
  });

  it('a scalar program gives numbers, a tensor program Float32Arrays, in the shape of the Funs', async () => {
    const x = Var('x'), v = VVar('v', 3);
    const f = compile({ s: v.mul(x).sum(), t: v.mul(x) }, { backend: 'onnx' });
    const { s, t } = await f({ x: 2, v: [1, 2, 3] });
    expect(s).toBe(12);
    expect(t).toBeInstanceOf(Float32Array);
    expect([...t]).toEqual([2, 4, 6]);
    const positional = compile([v.sum(), x.mul(3)], { backend: 'onnx', args: [x, v] });
    expect(await positional(2, [1, 1, 1])).toEqual([3, 6]);
    await Promise.all([f.dispose(), positional.dispose()]);
  });

  it('overlapping calls each get their own results', async () => {
    const x = Var('x');
    const f = compile(x.mul(x), { backend: 'onnx' });
    const results = await Promise.all([1, 2, 3, 4].map((value) => f({ x: value })));
    expect(results).toEqual([1, 4, 9, 16]);
    await f.dispose();
  });

  it('gather, scatterAdd and oneHot with index variables agree with js', async () => {
    const X = MVar('X', 3, 2), I = VVar('I', 4);
    const picked = applyFuns('gather', [X, I], [0]);
    const scattered = applyFuns('scatterAdd', [picked, I], [0, 3]);
    const hot = applyFuns('oneHot', [I], [3]);
    const funs = [picked, scattered, hot];
    const data = { X: [[1, 2], [3, 4], [5, 6]], I: [2, 0, 2, 1] };
    const js = compile(funs)(data as never) as Float64Array[];
    const f = compile(funs, { backend: 'onnx' });
    const onnx = (await f(data as never)) as Float32Array[];
    onnx.forEach((got, k) => expect([...got]).toEqual([...js[k]!]));
    await f.dispose();
  });

  it('a bad index is the TypegradError js gives, not ONNX Runtime reading out of bounds', async () => {
    const X = MVar('X', 3, 2), I = VVar('I', 2);
    const picked = (applyFuns('gather', [X, I], [0]) as MFun<2, 2, 'X' | 'I'>).sum();
    const js = compile(picked);
    const f = compile(picked, { backend: 'onnx' });
    for (const bad of [[0, 3], [1.5, 0], [-1, 0], [NaN, 0]]) {
      const data = { X: [[1, 2], [3, 4], [5, 6]], I: bad } as never;
      expect(() => js(data)).toThrow(TypegradError);
      const message = (() => {
        try {
          js(data);
        } catch (error) {
          return (error as Error).message;
        }
      })();
      await expect(f(data)).rejects.toThrow(message);
      await expect(f(data)).rejects.toBeInstanceOf(TypegradError);
    }
    await f.dispose();
  });

  it('dispose releases the session; a later call is a TypegradError', async () => {
    const x = Var('x');
    const f = compile(x.add(1), { backend: 'onnx' });
    expect(await f({ x: 1 })).toBe(2);
    await f.dispose();
    await f.dispose(); // twice is harmless
    await expect(f({ x: 1 })).rejects.toThrow(/released by dispose\(\)/);
  });

  it('refuses batch tensor programs, and the synchronous APIs (jit, train) say why', () => {
    const v = VVar('v', 3);
    expect(() => compile(v.sum(), { backend: 'onnx', batch: true })).toThrow(/one point per call; batch: true needs the js backend/);
    expect(() => jit(v.sum(), { backend: 'onnx' })).toThrow(/jit needs a synchronous backend, and onnx is asynchronous/);
    expect(() => withContext({ backend: 'onnx' }, () => 1)).toThrow(/withContext needs a synchronous backend, and onnx is asynchronous/);
    const model = sequential(dense('h', 2, 2));
    expect(() => train(model, { inputs: new Float64Array(4), targets: new Float64Array(4) }, { backend: 'onnx', progress: 'none' })).toThrow(
      /compileProgram \(train, evaluate\) needs a synchronous backend, and onnx is asynchronous/,
    );
  });

  it('checks arguments before running, as on js', () => {
    const v = VVar('v', 3);
    const f = compile(v.sum(), { backend: 'onnx' });
    expect(() => f({ v: [1, 2] } as never)).toThrow(/variable 'v' is a vector\[3\]/);
    expect(() => f({} as never)).toThrow(/missing value for variable 'v'/);
    return f.dispose();
  });
});
