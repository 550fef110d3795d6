/** No user string reaches generated source: hostile variable names are ordinary names. */
import { describe, expect, it } from 'vitest';
import { compile, grad, initBackend, sin, toSource, Var } from '../../src/index.js';
import { scalarKernelSource } from '../../src/backend/gpu/index.js';
import { buildPlan } from '../../src/program/planner.js';

const hostile = ['x); process.exit(1); (', '__proto__', 'constructor', '*/ throw 1; /*', '\u2028', '`${process.exit(2)}`'] as const;

describe('hostile variable names', () => {
  for (const name of hostile) {
    it(`${JSON.stringify(name)} works as an ordinary name`, async () => {
      const v = Var(name);
      const w = Var('w');
      const f = sin(v).mul(w).add(v);
      expect(toSource(f)).not.toContain(name);
      expect(toSource(f, { batch: true })).not.toContain(name);
      expect(scalarKernelSource(buildPlan([f.node], [v.node, w.node], { name: 'gpu', lowers: () => true }, { batch: true }))).not.toContain(name);
      const bindings = Object.defineProperty({ w: 2 }, name, { value: 3, enumerable: true });
      expect(compile(f)(bindings as never)).toBe(f.eval(bindings as never));
      const columns = Object.defineProperty({ w: [2] }, name, { value: [3], enumerable: true });
      expect(compile(f, { batch: true })(columns as never)[0]).toBe(f.eval(bindings as never));
      const g = grad(f) as Record<string, unknown>;
      expect(Object.hasOwn(compile(g as never)(bindings as never) as object, name)).toBe(true);
      await initBackend('tfjs');
      expect(compile(f, { batch: true, backend: 'tfjs' })(columns as never)[0]).toBeCloseTo(f.eval(bindings as never), 5);
    });
  }
});
