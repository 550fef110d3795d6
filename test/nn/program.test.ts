/** The evaluation seam: one program for several Funs, on whichever engine can run it. */
import { describe, expect, it } from 'vitest';
import { grad, MVar, relu, VVar } from '../../src/index.js';
import { compileProgram } from '../../src/nn/index.js';

const X = MVar('X', 3, 2);
const W = MVar('W', 2, 2);
const b = VVar('b', 2);
const loss = relu(X.matmul(W).add(b)).sum();
const g = grad(loss, { W, b });
const environment = new Map([
  ['X', Float64Array.of(1, 2, -1, 0.5, 3, -2)],
  ['W', Float64Array.of(0.5, -1, 2, 0.25)],
  ['b', Float64Array.of(0.1, -0.2)],
]);
const bindings = { X: [[1, 2], [-1, 0.5], [3, -2]], W: [[0.5, -1], [2, 0.25]], b: [0.1, -0.2] };

describe('compileProgram', () => {
  it.each(['interpreter', 'compiled'] as const)('gives the values of the Funs (engine preferred: %s)', (engine) => {
    const program = compileProgram([loss, g.W, g.b], { engine });
    const [value, dW, db] = program.run(environment);
    expect(value![0]).toBeCloseTo(loss.eval(bindings), 14);
    expect(Array.from(dW!)).toEqual(g.W.eval(bindings).flat());
    expect(Array.from(db!)).toEqual(g.b.eval(bindings));
    if (engine === 'interpreter') expect(program.engine).toBe('interpreter');
  });
});
