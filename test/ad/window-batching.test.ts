/**
 * The batching rules of the convolution and pooling primitives (src/ad/primitives/window-batching.ts)
 * on random geometries, for every choice of batched operands: the batched node's value at each
 * example equals the operation at that example (the reference interpreter on the example's
 * operands), and where one operand is batched the rule is ONE operation of the same kind (the
 * batch folded into images or channels), not one per example.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchNodes } from '../../src/ad/batching.js';
import { apply } from '../../src/ad/build.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { variableNode, type Node } from '../../src/ad/node.js';
import { topologicalOrder } from '../../src/ad/traverse.js';

const SIZE = 3;
const count = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
const positions = (input: number, size: number, stride: number, before: number, after: number, dilation: number) =>
  Math.floor((input + before + after - ((size - 1) * dilation + 1)) / stride) + 1;

interface Geometry {
  readonly x: number[];
  readonly k: number[];
  readonly y: number[];
  readonly window: number[];
  readonly pool: number[];
  readonly pooled: number[];
}

const geometryArbitrary: fc.Arbitrary<Geometry> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 3, max: 5 }), w: fc.integer({ min: 3, max: 5 }), c: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 2 }), kw: fc.integer({ min: 1, max: 2 }), o: fc.integer({ min: 1, max: 3 }),
    strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padding: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
    dilations: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  })
  .map(({ n, h, w, c, kh, kw, o, strides: [sh, sw], padding: [pt, pb, pl, pr], dilations: [dh, dw] }) => {
    const window = [sh, sw, pt, pb, pl, pr, dh, dw];
    const y = [n, positions(h, kh, sh, pt, pb, dh), positions(w, kw, sw, pl, pr, dw), o];
    // Pooling with the kernel's window size (padding smaller than the window).
    const pool = [kh, kw, sh, sw, Math.min(pt, kh - 1), Math.min(pb, kh - 1), Math.min(pl, kw - 1), Math.min(pr, kw - 1)];
    const pooled = [n, positions(h, kh, sh, pool[4]!, pool[5]!, 1), positions(w, kw, sw, pool[6]!, pool[7]!, 1), c];
    return { x: [n, h, w, c], k: [kh, kw, c, o], y, window, pool, pooled };
  });

/** Each window primitive of the geometry: its operands' shapes and its attrs. */
function cases(g: Geometry): { op: string; shapes: number[][]; attrs: number[] }[] {
  return [
    { op: 'conv2d', shapes: [g.x, g.k], attrs: g.window },
    { op: 'conv2dBackpropInput', shapes: [g.y, g.k], attrs: [g.x[1]!, g.x[2]!, ...g.window] },
    { op: 'conv2dBackpropFilter', shapes: [g.x, g.y], attrs: [g.k[0]!, g.k[1]!, ...g.window] },
    { op: 'maxPool2d', shapes: [g.x], attrs: g.pool },
    { op: 'maxPool2dGather', shapes: [g.x, g.x], attrs: g.pool },
    { op: 'maxPool2dScatter', shapes: [g.x, g.pooled], attrs: g.pool },
    { op: 'avgPool2d', shapes: [g.x], attrs: g.pool },
    { op: 'avgPool2dBackprop', shapes: [g.pooled], attrs: [g.x[1]!, g.x[2]!, ...g.pool] },
  ];
}

/** Values from a seed: distinct enough that max pooling has no ties. */
const valuesOf = (length: number, seed: number) => Float64Array.from({ length }, (_, i) => Math.sin(seed * 7.31 + i * 1.618) * 3);

describe('batching rules of convolution and pooling', () => {
  it('equal the operation at each example, for every choice of batched operands', () => {
    fc.assert(
      fc.property(geometryArbitrary, fc.integer({ min: 1, max: 1000 }), (g, seed) => {
        for (const { op, shapes, attrs } of cases(g)) {
          const operands = shapes.map((s, i) => variableNode(`${op} ${i}`, s));
          const node = apply(op, operands, attrs);
          for (let choice = 1; choice < 1 << operands.length; choice++) {
            const batched = operands.map((_, i) => (choice & (1 << i)) !== 0);
            const inputs = new Map(operands.filter((_, i) => batched[i]).map((v) => [v, variableNode(`${v.name} batch`, [SIZE, ...v.shape])]));
            const [image] = batchNodes([node], inputs, SIZE);
            const environment = new Map<string, Float64Array>();
            operands.forEach((v, i) => {
              environment.set(v.name, valuesOf(count(v.shape), seed + i));
              environment.set(`${v.name} batch`, valuesOf(SIZE * count(v.shape), seed + 10 * i + 5));
            });
            const got = evaluateTensors([image!.node], environment)[0]!;
            const size = count(node.shape);
            for (let k = 0; k < SIZE; k++) {
              const example = new Map(operands.map((v, i) => {
                const n = count(v.shape);
                return [v.name, batched[i] ? environment.get(`${v.name} batch`)!.subarray(k * n, (k + 1) * n) : environment.get(v.name)!] as const;
              }));
              const expected = evaluateTensors([node], example)[0]!;
              expected.forEach((e, i) => {
                const value = got[k * size + i]!;
                if (Math.abs(value - e) > 1e-12 * Math.max(1, Math.abs(e))) throw new Error(`${op} batched ${batched}: example ${k} element ${i}: ${value} vs ${e}`);
              });
            }
            const operations = topologicalOrder([image!.node]).filter((n) => n.op === op).length;
            const folds = !batched.every(Boolean) || !op.startsWith('conv');
            expect(operations, `${op} batched ${batched}`).toBe(folds ? 1 : SIZE);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
