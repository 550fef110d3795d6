/**
 * Property tests: random tensor expressions (random operations on random shapes) differentiated
 * symbolically, in reverse (`reverseGradient`) and forward (`forwardDerivative`) mode, against
 * central finite differences of the reference interpreter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { TypegradError } from '../../src/ad/errors.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { forwardDerivative } from '../../src/ad/forward.js';
import { constantNode, variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { elementCount } from '../../src/ad/shape.js';
import { TENSOR_OPERATIONS } from '../support/tensor-operations.js';

const variables = [variableNode('s'), variableNode('u', [2]), variableNode('v', [3]), variableNode('M', [2, 3]), variableNode('N', [3, 2])];

/** Smooth operations only, so finite differences are meaningful everywhere. */
const operations: readonly (readonly [string, number, (k: number) => number[]])[] = [
  ['add', 2, () => []], ['sub', 2, () => []], ['mul', 2, () => []],
  ['sin', 1, () => []], ['tanh', 1, () => []], ['sigmoid', 1, () => []], ['softplus', 1, () => []],
  // max is left out: its kink where two elements are within H of each other misleads finite differences.
  ...TENSOR_OPERATIONS.filter(([name]) => name !== 'max'),
];

type Instruction = [number, number, number, number];

/** Interprets instructions over a growing pool of nodes; an instruction whose shapes do not fit is skipped. */
function buildExpression(instructions: readonly Instruction[]): Node {
  const pool: Node[] = [...variables];
  for (const [op, i, j, k] of instructions) {
    const [name, arity, attrs] = operations[op % operations.length]!;
    const args = arity === 1 ? [pool[i % pool.length]!] : [pool[i % pool.length]!, pool[j % pool.length]!];
    try {
      pool.push(apply(name, args, attrs(k)));
    } catch (e) {
      if (!(e instanceof TypegradError)) throw e;
    }
  }
  // Combine the last few nodes so the result depends on more than one operation.
  return pool.slice(-3).reduce((total, n) => apply('add', [total, apply('sum', [n])]), constantNode(0));
}

const instructionsArbitrary = fc.array(fc.tuple(fc.nat(200), fc.nat(50), fc.nat(50), fc.nat(50)), { minLength: 1, maxLength: 10 });
const pointArbitrary = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 18, maxLength: 18 });

function environmentAt(point: readonly number[]): Map<string, Float64Array> {
  const env = new Map<string, Float64Array>();
  let offset = 0;
  for (const v of variables) {
    const n = elementCount(v.shape);
    env.set(v.name, Float64Array.from(point.slice(offset, offset + n)));
    offset += n;
  }
  return env;
}

const H = 1e-5;

/** Central differences of every output element of `root` by element `k` of `name`. */
function finiteDifference(root: Node, env: Map<string, Float64Array>, name: string, k: number): Float64Array {
  const shifted = (delta: number) => {
    const copy = new Map(env);
    const value = Float64Array.from(env.get(name)!);
    value[k]! += delta;
    copy.set(name, value);
    return evaluateTensors([root], copy)[0]!;
  };
  const plus = shifted(H), minus = shifted(-H);
  return plus.map((p, i) => (p - minus[i]!) / (2 * H));
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(expected));
}

describe('tensor gradients against finite differences', () => {
  it('reverse mode: one backward pass gives every variable’s gradient in its shape', () => {
    fc.assert(
      fc.property(instructionsArbitrary, pointArbitrary, (instructions, point) => {
        const root = buildExpression(instructions);
        const env = environmentAt(point);
        const gradients = reverseGradient(root, variables);
        const values = evaluateTensors(gradients, env);
        variables.forEach((v, i) => {
          expect(gradients[i]!.shape).toEqual(v.shape);
          for (let k = 0; k < elementCount(v.shape); k++) expectClose(values[i]![k]!, finiteDifference(root, env, v.name, k)[0]!);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('forward mode: d of a tensor expression by a scalar variable, elementwise', () => {
    fc.assert(
      fc.property(instructionsArbitrary, pointArbitrary, fc.nat(), (instructions, point, pick) => {
        const scalarRoot = buildExpression(instructions);
        // Differentiate a tensor node of the expression, not only the scalar root.
        const candidates = [scalarRoot, ...scalarRoot.args.flatMap((a) => a.args)];
        const root = candidates[pick % candidates.length]!;
        const s = variables[0]!;
        const env = environmentAt(point);
        const tangent = forwardDerivative(root, s);
        expect(tangent.shape).toEqual(root.shape);
        const value = evaluateTensors([tangent], env)[0]!;
        const expected = finiteDifference(root, env, 's', 0);
        expected.forEach((e, i) => expectClose(value[i % value.length]!, e));
      }),
      { numRuns: 150 },
    );
  });

  it('second order: forward over reverse agrees with finite differences of the gradient', () => {
    fc.assert(
      fc.property(instructionsArbitrary, pointArbitrary, (instructions, point) => {
        const root = buildExpression(instructions);
        const env = environmentAt(point);
        const s = variables[0]!;
        const [gradientM] = reverseGradient(root, [variables[3]!]);
        const mixed = forwardDerivative(gradientM!, s); // ∂²f/∂M∂s
        const value = evaluateTensors([mixed], env)[0]!;
        const expected = finiteDifference(gradientM!, env, 's', 0);
        expected.forEach((e, i) => expect(Math.abs(value[i]! - e)).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(e)));
      }),
      { numRuns: 60 },
    );
  });
});
