/**
 * Batching (`batchNodes`, the core of vmap) against its definition: a random tensor program over
 * every primitive (test/support/random-tensor-programs.ts), some of its variables given a batch of
 * three values, evaluated once batched equals the program evaluated at each example's point. So
 * every batching rule (and the example-by-example fallback) is checked at ranks 0 to 4, with
 * batched and unbatched operands mixed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchNodes } from '../../src/ad/batching.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { count, DIFFERENTIABLE_VARIABLES, INDEX_VARIABLES, pointArbitrary, programArbitrary, variablesOf, type Point } from '../support/random-tensor-programs.js';

const SIZE = 3;

describe('batching a program', () => {
  it('gives, for each example, the program at that example (every primitive, ranks 0 to 4)', () => {
    fc.assert(
      fc.property(programArbitrary(), fc.array(pointArbitrary, { minLength: SIZE, maxLength: SIZE }), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), (program, points, choice) => {
        const roots = [program.loss, ...program.outputs, ...reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES)];
        const read = variablesOf(roots);
        const all = [...DIFFERENTIABLE_VARIABLES, ...INDEX_VARIABLES];
        const batchedVariables = read.filter((v) => choice[all.indexOf(v)]);
        fc.pre(batchedVariables.length > 0);
        const inputs = new Map(batchedVariables.map((v) => [v, variableNode(`${v.name} batch`, [SIZE, ...v.shape])]));
        const images = batchNodes(roots, inputs, SIZE);
        // The batched values: example k of each batched variable from point k; the others from point 0.
        const environment = new Map<string, Float64Array>(points[0]!);
        for (const [v, b] of inputs) {
          const data = new Float64Array(SIZE * count(v.shape));
          points.forEach((p, k) => data.set(p.get(v.name)!, k * count(v.shape)));
          environment.set(b.name, data);
        }
        const batched = evaluateTensors(images.map((i) => i.node), environment);
        for (let k = 0; k < SIZE; k++) {
          const example: Point = new Map([...points[0]!, ...batchedVariables.map((v) => [v.name, points[k]!.get(v.name)!] as const)]);
          const expected = evaluateTensors(roots, example);
          roots.forEach((root, r) => {
            const size = count(root.shape);
            const got = images[r]!.batched ? batched[r]!.subarray(k * size, (k + 1) * size) : batched[r]!;
            expected[r]!.forEach((e, i) => {
              const g = got[i]!;
              if (!(Object.is(g, e) || Math.abs(g - e) <= 1e-12 * Math.max(1, Math.abs(e)))) {
                throw new Error(`root ${r} [${root.shape.join('×')}], example ${k}, element ${i}: batched ${g}, per example ${e}`);
              }
            });
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves what does not depend on a batched input unbatched, as the same node', () => {
    const x = variableNode('bx', [2]), y = variableNode('by', [2]);
    const [image] = batchNodes([y], new Map([[x, variableNode('bx batch', [SIZE, 2])]]), SIZE) as [{ node: Node; batched: boolean }];
    expect(image.node).toBe(y);
    expect(image.batched).toBe(false);
  });
});
