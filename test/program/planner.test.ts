/**
 * What the planner decides (src/program/planner.ts), read off the plan itself: views instead of
 * copies, fused elementwise chains, buffers reused by liveness (and never an output's),
 * decomposition for a target that does not lower a primitive (and refusal where there is no
 * rule), constant folding, and chunking. The plans of random tensor programs are rendered with
 * the js renderer and checked against the reference interpreter, with every intermediate node
 * among the outputs, so that an output overwritten by a later step would show.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { TypegradError } from '../../src/ad/errors.js';
import { constantNode, variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { topologicalOrder } from '../../src/ad/traverse.js';
import { renderJs } from '../../src/backend/js/index.js';
import type { Plan, PlanValue, Storage } from '../../src/program/plan.js';
import { buildPlan, CHUNK_STATEMENTS, type Target } from '../../src/program/planner.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { typegradErrorOf } from '../support/errors.js';
import {
  DIFFERENTIABLE_VARIABLES, evaluateAll, pointArbitrary, programArbitrary, variablesOf, type Point,
} from '../support/random-tensor-programs.js';

/** The js backend's target: every primitive but the special functions, which it decomposes. */
const jsTarget: Target = { name: 'js', lowers: (op) => jsBackend.lowers(op) };
/** A target without softmax and logsumexp: the planner decomposes them (their records' rules). */
const withoutSoftmax: Target = { name: 'test', lowers: (op) => op !== 'softmax' && op !== 'logsumexp' && jsBackend.lowers(op) };

const op = (name: string, ...args: Node[]) => apply(name, args);
const A = variableNode('A', [2, 3]), B = variableNode('B', [3, 4]), C = variableNode('C', [2, 3]), X = variableNode('X', [2, 3, 4]);
const v = variableNode('v', [3]), x = variableNode('x');

/** The plan value of a node. */
function valueOf(plan: Plan, node: Node): PlanValue {
  const value = plan.values.find((p) => p.node === node);
  if (value === undefined) throw new Error('node not in the plan');
  return value;
}

const storageOf = (plan: Plan, node: Node): Storage => valueOf(plan, node).storage;

/** The plan run by the js renderer at a point: each output's values, read after the whole run. */
function run(plan: Plan, inputs: readonly Node[], point: Point): Float64Array[] {
  const { executable } = renderJs(plan);
  executable.run(inputs.map((v) => (v.shape.length === 0 ? point.get(v.name)![0]! : point.get(v.name)!)));
  return plan.outputs.map((_, k) => {
    const r = executable.result(k);
    return typeof r === 'number' ? Float64Array.of(r) : Float64Array.from(r);
  });
}

/** Within 1e−12 of the reference, relative (as the js backend is held to in test/backend/agreement.test.ts). */
function expectClose(got: Float64Array, expected: Float64Array, what: string): void {
  expect(got.length, what).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(got[i]! - e), `${what}, element ${i}: ${got[i]} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e))));
}

/** The steps that compute (write) each value, and the steps that read each storage. */
function lifetimes(plan: Plan): { written: Map<number, number>; reads: Map<number, number[]> } {
  const written = new Map<number, number>();
  const reads = new Map<number, number[]>();
  const owner = (id: number) => {
    const storage = plan.values[id]!.storage;
    return storage.kind === 'view' ? storage.base : id;
  };
  plan.steps.forEach((step, s) => {
    const computed = step.kind === 'fused' ? [...step.members, step.value] : [step.value];
    written.set(step.value, s);
    for (const id of computed) {
      for (const a of plan.values[id]!.args) {
        if (plan.values[a]!.storage.kind === 'fused') continue;
        const o = owner(a);
        (reads.get(o) ?? reads.set(o, []).get(o)!).push(s);
      }
    }
  });
  return { written, reads };
}

describe('views are read in place, not copied', () => {
  it('a transpose read by matmul is a view of its operand with permuted strides', () => {
    const transposed = apply('transpose', [A]);
    const plan = buildPlan([op('matmul', transposed, C)], [A, C], jsTarget);
    expect(storageOf(plan, transposed)).toEqual({ kind: 'view', base: valueOf(plan, A).id, offset: 0, strides: [1, 3] });
    expect(plan.steps.map((s) => plan.values[s.value]!.node.op)).toEqual(['matmul']);
  });

  it('a reshape of contiguous data is a view; a reshape of a transpose is copied', () => {
    const flat = apply('reshape', [X], [6, 4]);
    const ofTranspose = apply('reshape', [apply('transpose', [X], [2, 0, 1])], [4, 6]);
    const plan = buildPlan([op('matmul', flat, ofTranspose)], [X], jsTarget);
    expect(storageOf(plan, flat)).toMatchObject({ kind: 'view', base: valueOf(plan, X).id, strides: [4, 1] });
    expect(storageOf(plan, ofTranspose).kind).toBe('buffer');
  });

  it('a broadcast reads with stride 0 along the repeated axes; a slice moves the offset; a view of a view has the first base', () => {
    const repeated = apply('broadcast', [v], [2, 4, 3]);
    const sliced = apply('slice', [X], [2, 1, 3]);
    const twice = apply('transpose', [sliced], [2, 1, 0]);
    const plan = buildPlan([op('matmul', repeated, sliced), op('matmul', twice, apply('transpose', [twice], [0, 2, 1]))], [X, v], jsTarget);
    expect(storageOf(plan, repeated)).toEqual({ kind: 'view', base: valueOf(plan, v).id, offset: 0, strides: [0, 0, 1] });
    expect(storageOf(plan, sliced)).toEqual({ kind: 'view', base: valueOf(plan, X).id, offset: 1, strides: [12, 4, 1] });
    expect(storageOf(plan, twice)).toEqual({ kind: 'view', base: valueOf(plan, X).id, offset: 1, strides: [1, 4, 12] });
  });

  it('a root is never a view: its values are written out', () => {
    const transposed = apply('transpose', [A]);
    const plan = buildPlan([transposed], [A], jsTarget);
    expect(storageOf(plan, transposed).kind).toBe('buffer');
  });
});

describe('elementwise chains fuse', () => {
  it('a chain of elementwise operations of one shape is one loop', () => {
    const chain = op('exp', op('add', op('mul', op('sin', A), C), constantNode(1)));
    const plan = buildPlan([chain], [A, C], jsTarget);
    expect(plan.steps).toHaveLength(1);
    const [step] = plan.steps;
    expect(step!.kind).toBe('fused');
    expect(step!.kind === 'fused' && step!.members.map((id) => plan.values[id]!.node.op)).toEqual(['sin', 'mul', 'add']);
    expect(plan.buffers).toEqual([6]);
  });

  it('a value read twice, or by an operation that is not elementwise, is not fused', () => {
    const shared = op('sin', A);
    const plan = buildPlan([op('add', op('mul', shared, shared), op('cos', shared)), op('matmul', op('tanh', A), B)], [A, B], jsTarget);
    expect(storageOf(plan, shared).kind).toBe('buffer');
    expect(storageOf(plan, op('tanh', A)).kind).toBe('buffer');
    expect(storageOf(plan, op('cos', shared)).kind).toBe('fused');
  });

  it('an elementwise value broadcast by its user keeps its own loop', () => {
    const small = op('exp', v);
    const plan = buildPlan([op('mul', small, A)], [A, v], jsTarget);
    expect(storageOf(plan, small).kind).toBe('buffer');
    expect(plan.steps).toHaveLength(2);
  });
});

describe('buffers are reused once their values are dead, never an output’s', () => {
  it('a long chain of products needs fewer buffers than it has values', () => {
    const W = variableNode('W', [3, 3]);
    let h: Node = A;
    const layers: Node[] = [];
    for (let i = 0; i < 20; i++) layers.push((h = op('tanh', op('matmul', h, W))));
    const plan = buildPlan([h], [A, W], jsTarget);
    const bufferValues = plan.values.filter((p) => p.storage.kind === 'buffer');
    expect(bufferValues.length).toBe(40);
    expect(plan.buffers.length).toBeLessThanOrEqual(3);
  });

  it('an output keeps its buffer though later steps need one of its size', () => {
    const W = variableNode('W', [3, 3]);
    const first = op('matmul', A, W);
    const plan = buildPlan([first, op('matmul', op('sin', op('matmul', first, W)), W)], [A, W], jsTarget);
    const pinned = storageOf(plan, first);
    const { written } = lifetimes(plan);
    const start = written.get(valueOf(plan, first).id)!;
    plan.values.forEach((p) => {
      if (p.node !== first && p.storage.kind === 'buffer' && pinned.kind === 'buffer' && p.storage.buffer === pinned.buffer) {
        expect(written.get(p.id)!).toBeLessThan(start);
      }
    });
  });

  it('on random programs: no buffer is written while a value in it is still to be read, and no output is overwritten', () => {
    fc.assert(
      fc.property(programArbitrary(), (program) => {
        const roots = [program.loss, ...program.built, ...reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES)];
        const plan = buildPlan(roots, variablesOf(roots), jsTarget);
        const { written, reads } = lifetimes(plan);
        const outputs = new Set(plan.outputs);
        const holders = new Map<number, PlanValue[]>();
        for (const p of plan.values) if (p.storage.kind === 'buffer') (holders.get(p.storage.buffer) ?? holders.set(p.storage.buffer, []).get(p.storage.buffer)!).push(p);
        for (const values of holders.values()) {
          for (const p of values) {
            const from = written.get(p.id)!;
            const until = outputs.has(p.id) ? Infinity : Math.max(from, ...(reads.get(p.id) ?? []));
            for (const q of values) {
              if (q === p) continue;
              const at = written.get(q.id)!;
              expect(at <= from || at > until, `buffer shared by values ${p.id} (live ${from}..${until}) and ${q.id} (written at ${at})`).toBe(true);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('on random programs: every output, intermediate nodes and gradients included, equals the reference', () => {
    fc.assert(
      fc.property(programArbitrary(), pointArbitrary, (program, point) => {
        const roots = [...new Set([program.loss, ...program.built, ...reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES)])];
        const inputs = variablesOf(roots);
        const expected = evaluateAll(topologicalOrder(roots), point);
        const got = run(buildPlan(roots, inputs, jsTarget), inputs, point);
        roots.forEach((r, k) => expectClose(got[k]!, expected.get(r)!, `root ${k}`));
      }),
      { numRuns: 100 },
    );
  });
});

describe('a target that does not lower a primitive', () => {
  it('gets it decomposed by the primitive’s rule: no softmax or logsumexp is left, and the values are the same', () => {
    fc.assert(
      fc.property(programArbitrary(), pointArbitrary, (program, point) => {
        const roots = [program.loss, ...program.outputs, ...reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES)];
        const inputs = variablesOf(roots);
        const plan = buildPlan(roots, inputs, withoutSoftmax);
        expect(plan.values.filter((p) => p.node.op === 'softmax' || p.node.op === 'logsumexp')).toEqual([]);
        const expected = evaluateAll(topologicalOrder(roots), point);
        const got = run(plan, inputs, point);
        roots.forEach((r, k) => expectClose(got[k]!, expected.get(r)!, `root ${k}`));
      }),
      { numRuns: 100 },
    );
  });

  it('decomposes softmax along a middle axis into max, exp, sum and div', () => {
    const plan = buildPlan([apply('softmax', [X], [1])], [X], withoutSoftmax);
    expect(new Set(plan.values.map((p) => p.node.op))).toEqual(new Set(['var', 'max', 'broadcast', 'reshape', 'sub', 'exp', 'sum', 'div']));
  });

  it('refuses one without a rule, naming the primitive, its shapes and the backend', () => {
    const noMatmul: Target = { name: 'test', lowers: (o) => o !== 'matmul' };
    const Y = variableNode('Y', [5, 4, 2]), Z = variableNode('Z', [2, 1, 3, 4]);
    const error = typegradErrorOf(() => buildPlan([op('sin', op('matmul', Z, Y))], [Y, Z], noMatmul));
    expect(error).toBeInstanceOf(TypegradError);
    expect(error.message).toBe(
      "compile: the test backend does not lower 'matmul' (on tensor[2×1×3×4] and tensor[5×4×2], giving tensor[2×5×3×2]) and it has no decomposition; use the js backend for this program",
    );
  });

  it('refuses a primitive that a decomposition produces when the target lowers neither', () => {
    const neither: Target = { name: 'test', lowers: (o) => o !== 'softmax' && o !== 'max' };
    expect(typegradErrorOf(() => buildPlan([apply('softmax', [X], [2])], [X], neither)).message).toMatch(/the test backend does not lower 'max' \(on tensor\[2×3×4\], giving matrix\[2×3\]\)/);
  });
});

describe('constant folding', () => {
  const P = apply('pack', [1, 2, 3, 4, 5, 6].map(constantNode), [2, 3]);
  const Q = apply('pack', [1, 0, -1, 2, 0.5, 1].map(constantNode), [3, 2]);

  it('computes every variable-free subgraph once, at plan time', () => {
    const product = op('matmul', P, Q); // [[0.5, 7], [2, 16]]
    const folded = op('exp', apply('softmax', [product], [0]));
    const plan = buildPlan([op('mul', A, apply('sum', [folded])), op('add', op('matmul', P, B), x)], [A, B, x], jsTarget);
    expect(storageOf(plan, product)).toEqual({ kind: 'constant', data: Float64Array.of(0.5, 7, 2, 16) });
    expect(storageOf(plan, folded).kind).toBe('constant');
    const computed = plan.steps.map((s) => plan.values[s.value]!.node.op);
    expect(computed).not.toContain('softmax');
    expect(computed).toContain('matmul'); // P·B depends on B
  });

  it('a program of constants only is all constants', () => {
    const plan = buildPlan([op('matmul', P, Q), apply('get', [P], [1, 2])], [], jsTarget);
    expect(plan.steps).toEqual([]);
    expect(plan.outputs.map((id) => plan.values[id]!.storage.kind)).toEqual(['constant', 'constant']);
  });
});

describe('chunking', () => {
  it('on long random programs (thirty joined, several chunks), point and batch: every output equals the reference', () => {
    fc.assert(
      fc.property(fc.array(programArbitrary(), { minLength: 30, maxLength: 30 }), pointArbitrary, fc.boolean(), (programs, point, batch) => {
        const loss = programs.reduce((total, p) => op('add', total, p.loss), constantNode(0));
        const roots = [...new Set([loss, ...programs.flatMap((p) => p.outputs), ...reverseGradient(loss, DIFFERENTIABLE_VARIABLES)])];
        const inputs = variablesOf(roots);
        const plan = buildPlan(roots, inputs, jsTarget, { batch });
        fc.pre(plan.chunks.length > 1);
        const expected = evaluateAll(topologicalOrder(roots), point);
        if (batch) {
          // One point: a column of one value per scalar input, the flat values of a tensor input.
          const out = roots.map((r) => new Float64Array(r.shape.reduce((n, d) => n * d, 1)));
          renderJs(plan).executable.runBatch(1, inputs.map((v) => point.get(v.name)!), out);
          roots.forEach((r, k) => expectClose(out[k]!, expected.get(r)!, `batch root ${k}`));
        } else run(plan, inputs, point).forEach((got, k) => expectClose(got, expected.get(roots[k]!)!, `root ${k}`));
      }),
      { numRuns: 10 },
    );
  });

  it('splits a long program into chunks of about CHUNK_STATEMENTS statements, with slots for the scalars that cross them', () => {
    let total: Node = apply('sum', [v]);
    const early = op('sin', x);
    for (let i = 0; i < 3 * CHUNK_STATEMENTS; i++) total = op('add', op('mul', total, constantNode(0.999)), op('mul', early, apply('get', [v], [i % 3])));
    const roots = [total, ...reverseGradient(total, [v, x]), early];
    const plan = buildPlan(roots, [v, x], jsTarget);
    expect(plan.chunks.length).toBeGreaterThanOrEqual(3);
    // The chunks cover the steps in order, each once.
    plan.chunks.forEach((chunk, c) => expect(chunk.start).toBe(c === 0 ? 0 : plan.chunks[c - 1]!.end));
    expect(plan.chunks[plan.chunks.length - 1]!.end).toBe(plan.steps.length);
    for (const chunk of plan.chunks.slice(0, -1)) expect(chunk.end - chunk.start).toBeLessThanOrEqual(CHUNK_STATEMENTS);
    // `early` is computed in the first chunk and read by every other: it has a slot, as the scalar results do.
    expect(plan.slots.has(valueOf(plan, early).id)).toBe(true);
    expect(plan.slots.has(valueOf(plan, total).id)).toBe(true);
    const point: Point = new Map([['v', Float64Array.of(0.3, -0.2, 0.9)], ['x', Float64Array.of(0.7)]]);
    const expected = evaluateAll(topologicalOrder(roots), point);
    run(plan, [v, x], point).forEach((got, k) => expect(Array.from(got)).toEqual(Array.from(expected.get(roots[k]!)!)));
  });
});
