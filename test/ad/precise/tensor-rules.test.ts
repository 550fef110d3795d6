/**
 * Tensor primitives in decimals and rationals: a rule for every primitive; every primitive's
 * program and random programs of rank 0 to 4 agree with the float64 reference; programs of
 * rational operations on dyadic data (where float64 is exact too) agree with it exactly.
 */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../../src/ad/build.js';
import { reverseGradient } from '../../../src/ad/reverse.js';
import { evaluateTensors } from '../../../src/ad/evaluate.js';
import { constantNode, variableNode, type Node } from '../../../src/ad/node.js';
import { DECIMAL_REFUSED, decimalSystem } from '../../../src/ad/precise/decimal-rules.js';
import { preciseProgram } from '../../../src/ad/precise/evaluate.js';
import { rationalSystem } from '../../../src/ad/precise/rational-rules.js';
import { preciseTensorRules } from '../../../src/ad/precise/tensor-rules.js';
import { Rational } from '../../../src/ad/algebra/rational.js';
import { tensorPrimitives, type PrimitiveName } from '../../../src/ad/primitives/index.js';
import { topologicalOrder } from '../../../src/ad/traverse.js';
import { everyPrimitive, everyPrimitiveData } from '../../support/every-primitive.js';
import { DIFFERENTIABLE_VARIABLES, evaluateAll, kinkDistance, pointArbitrary, programArbitrary, scaleOf, variablesOf } from '../../support/random-tensor-programs.js';

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const decimals = decimalSystem(D, 'test');

/** The roots in decimals at a point given as flat doubles (read exactly). */
function inDecimals(roots: readonly Node[], point: ReadonlyMap<string, ArrayLike<number>>): number[][] {
  const inputs = variablesOf(roots);
  const values = preciseProgram(roots, inputs).run(decimals, inputs.map((v) => Array.from(point.get(v.name)!, (e) => new D(e))));
  return values.map((v) => v.map((e) => e.toNumber()));
}

/** Equal within float64 rounding of a computation at this scale (NaN equals NaN, infinities themselves). */
function close(got: number, expected: number, scale: number): boolean {
  if (!Number.isFinite(expected)) return Object.is(got, expected) || (Number.isNaN(got) && Number.isNaN(expected));
  return Math.abs(got - expected) <= 1e-12 * scale;
}

/** Whether decimal evaluation refuses one of the roots' operations (lgamma, digamma, polygamma). */
const usesRefused = (roots: readonly Node[]) => topologicalOrder(roots).some((n) => DECIMAL_REFUSED.has(n.op as PrimitiveName));

const flat = (value: number | readonly unknown[]): number[] => (typeof value === 'number' ? [value] : (value.flat(4) as number[]));

describe('precise tensor rules', () => {
  it('have an entry for every tensor primitive', () => {
    expect(Object.keys(preciseTensorRules).sort()).toEqual(Object.keys(tensorPrimitives).sort());
  });

  it("every primitive's program agrees with the float64 reference", () => {
    const point = new Map(Object.entries(everyPrimitiveData).map(([name, v]) => [name, Float64Array.from(flat(v))]));
    for (const [name, f] of Object.entries(everyPrimitive)) {
      if (usesRefused([f.node])) {
        expect(() => inDecimals([f.node], point), name).toThrow(/no arbitrary-precision rule/);
        continue;
      }
      const expected = evaluateTensors([f.node], point)[0]!;
      const [got] = inDecimals([f.node], point);
      expected.forEach((e, i) => expect(close(got![i]!, e, 1), `${name} element ${i}: ${got![i]} vs ${e}`).toBe(true));
    }
  });

  it('random programs of rank 0 to 4 and their gradients agree with the float64 reference', () => {
    fc.assert(
      fc.property(programArbitrary(), pointArbitrary, (program, point) => {
        const roots = [program.loss, ...reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES), ...program.outputs];
        const value = evaluateAll(topologicalOrder(roots), point);
        const scale = scaleOf(value);
        // float64 and 40 digits may take different pieces only within float64 rounding of a kink.
        fc.pre(kinkDistance(topologicalOrder(roots), value) > 1e-9 * scale);
        fc.pre(!usesRefused(roots));
        const got = inDecimals(roots, point);
        roots.forEach((root, k) => {
          value.get(root)!.forEach((e, i) => {
            if (!close(got[k]![i]!, e, scale)) throw new Error(`root ${k} [${root.shape.join('×')}] element ${i}: decimal ${got[k]![i]}, float64 ${e} (scale ${scale})`);
          });
        });
      }),
      { numRuns: 80 },
    );
  });

  it('rational programs on dyadic data agree exactly with float64, at rank 3 and 4', () => {
    const A = variableNode('A', [2, 3, 4]), B = variableNode('B', [4, 2]), J = variableNode('J', [2, 2]);
    const at = (name: string, args: Node[], attrs: number[] = []) => apply(name, args, attrs);
    const product = at('matmul', [A, B]); // [2, 3, 2]
    const picked = at('gather', [A, J], [2]); // [2, 3, 2, 2]
    const scattered = at('scatterAdd', [picked, J], [2, 4]); // [2, 3, 4]
    const joined = at('concat', [at('pad', [at('slice', [scattered], [2, 1, 3])], [2, 1, 0]), A], [2]); // [2, 3, 7]
    const roots = [
      product, scattered, joined,
      at('max', [at('transpose', [scattered], [2, 0, 1])], [0, 2]),
      at('sum', [at('mul', [at('reshape', [product], [3, 4]), at('broadcast', [constantNode(0.5)], [3, 4])])], [0]),
      at('oneHot', [J], [3]),
      at('get', [A], [1, 2, 3]),
      at('pack', [at('get', [A], [0, 0, 0]), at('get', [B], [3, 1])], [2]),
      at('logsumexp', [at('reshape', [at('get', [A], [0, 0, 0])], [1])]),
    ];
    const dyadic = (n: number, k: number) => Float64Array.from({ length: n }, (_, i) => ((i * 7 + k) % 11) / 4 - 1);
    const point = new Map<string, Float64Array>([['A', dyadic(24, 1)], ['B', dyadic(8, 3)], ['J', Float64Array.of(3, 0, 1, 3)]]);
    const inputs = [A, B, J];
    const exact = preciseProgram(roots, inputs).run(rationalSystem('test'), inputs.map((v) => Array.from(point.get(v.name)!, (e) => Rational.fromDouble(e)!)));
    const reference = evaluateTensors(roots, point);
    roots.forEach((root, k) => expect(exact[k]!.map((r) => r.toNumber()), `${root.op}`).toEqual(Array.from(reference[k]!)));
  });

  it('check index operands as the float64 rules do', () => {
    const x = variableNode('x', [3]), i = variableNode('i', [1]);
    const program = preciseProgram([apply('gather', [x, i], [0])], [x, i]);
    const run = (index: number) => program.run(decimals, [[new D(1), new D(2), new D(3)], [new D(index)]])[0]!.map(String);
    expect(run(2)).toEqual(['3']);
    expect(() => run(1.5)).toThrow(/gather: index 1.5 is not an integer in \[0, 3\)/);
    expect(() => run(3)).toThrow(/gather: index 3 is not an integer in \[0, 3\)/);
  });
});
