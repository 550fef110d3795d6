/**
 * The gpu backend takes gpu.js from a web page: a page has no `require`, and gpu.js's browser
 * bundle defines the global `GPU`. Here that global is a subclass of Node's gpu.js that counts
 * its constructions; the backend must construct it rather than require the package.
 */
import { createRequire } from 'node:module';
import { afterAll, expect, it } from 'vitest';
import { Var, compile, initBackend } from '../../src/index.js';

const { GPU } = createRequire(import.meta.url)('gpu.js') as { GPU: new (settings?: Record<string, unknown>) => object };
let constructed = 0;
const global = globalThis as { GPU?: unknown };

afterAll(() => {
  delete global.GPU;
});

it("uses the page's gpu.js (the global GPU) when there is one", async () => {
  global.GPU = class PageGpu extends GPU {
    constructor(settings?: Record<string, unknown>) {
      super(settings);
      constructed++;
    }
  };
  const info = await initBackend('gpu');
  expect(constructed).toBe(1);
  expect(info.engine.length).toBeGreaterThan(0);
  const x = Var('x');
  expect(compile(x.mul(x).add(1), { backend: 'gpu' })({ x: 3 })).toBeCloseTo(10, 5);
});
