/**
 * Long programs are split into chunks (src/backend/js/render.ts): values read by later chunks
 * and the results go through slots; batch programs run chunk by chunk over blocks of points.
 * Checked against the reference interpreter, with roots that are constants, inputs, and values
 * from every chunk.
 */
import { describe, expect, it } from 'vitest';
import { evaluateNodes } from '../../src/ad/evaluate.js';
import { CHUNK_STATEMENTS } from '../../src/program/planner.js';
import { compile, Const, cos, grad, sin, toSource, Var, type SFun } from '../../src/index.js';

const x = Var('x'), y = Var('y'), z = Var('z');

/** A program of several thousand statements whose late nodes read early ones. */
function longProgram(): SFun<'x' | 'y' | 'z'>[] {
  const early = sin(x.mul(y)).add(z);
  let f: SFun<'x' | 'y' | 'z'> = early;
  const checkpoints: SFun<'x' | 'y' | 'z'>[] = [];
  for (let i = 0; i < 6 * CHUNK_STATEMENTS; i++) {
    f = i % 3 === 0 ? cos(f).mul(early) : f.mul(0.999).add(i % 7 === 0 ? x : y);
    if (i % CHUNK_STATEMENTS === 17) checkpoints.push(f);
  }
  return [f, ...checkpoints, early, grad(f).z];
}

describe('programs longer than one chunk', () => {
  const roots = [...longProgram(), Const(2.5) as SFun<never>, y];
  const point = { x: 0.3, y: -0.7, z: 1.1 };
  const reference = evaluateNodes(roots.map((r) => r.node), new Map(Object.entries(point)));

  it('is split into chunks', () => {
    expect(toSource(roots)).toMatch(/function chunk\d+\(s\)/);
  });
  it('computes every root, in scalar mode, exactly as the reference interpreter', () => {
    expect(compile(roots)(point)).toEqual(reference);
  });
  it('and in batch mode at every point', () => {
    const batch = compile(roots, { batch: true })({ x: [0.3, 0.3, 0.3], y: [-0.7, -0.7, -0.7], z: [1.1, 1.1, 1.1] });
    for (let k = 0; k < roots.length; k++) expect([...batch[k]!]).toEqual([reference[k], reference[k], reference[k]]);
  });
  it('in batch mode, block after block (column-blocked), equals the point program at every point', () => {
    expect(toSource(roots, { batch: true })).toMatch(/function chunk\d+\(C, O, s, b, m\)/);
    const atPoint = compile(roots);
    const run = compile(roots, { batch: true });
    for (const n of [0, 1, 255, 256, 257, 600]) {
      const columns = { x: Float64Array.from({ length: n }, (_, i) => Math.sin(i)), y: Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i)), z: Float64Array.from({ length: n }, (_, i) => i / 100) };
      const batch = run(columns);
      // The first and last points of every block, and some between.
      for (let i = 0; i < n; i += i % 256 === 0 || i % 256 === 255 ? 1 : 37) {
        const expected = atPoint({ x: columns.x[i]!, y: columns.y[i]!, z: columns.z[i]! });
        for (let k = 0; k < roots.length; k++) expect(batch[k]![i]).toBe(expected[k]);
      }
      for (const column of batch) expect(column.length).toBe(n);
    }
  });
});
