/**
 * Symbolic derivatives of random tensor programs (rank 0 to 4, every primitive; see
 * test/support/random-tensor-programs.ts) against central finite differences of the reference
 * interpreter: reverse mode (`reverseGradient`, every element of every variable's gradient, and
 * the vector-Jacobian product of a tensor root), forward mode (`forwardDerivative` of the program
 * with every variable moved along a direction: a Jacobian-vector product) and second order
 * (forward over reverse: Hessian-vector products of the gradients).
 *
 * stopGradient is differenced with its value frozen at the point (what it wraps is a constant to
 * differentiation, so that is the derivative it defines).
 *
 * The non-smooth primitives (relu, abs, sign, heaviside, comparisons, max and maximum, minimum,
 * where, clip, floor, ceil, round) are generated too. A case
 * is skipped (fc.pre) only when a kink lies within the finite-difference step: when one of the
 * points the difference evaluates is on another piece of a non-smooth primitive than the point
 * itself (`pieces`). There the symbolic derivative is the one-sided value the primitive's
 * convention chooses, and the difference quotient straddles two pieces, so neither is wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { forwardDerivative } from '../../src/ad/forward.js';
import { jacobianVectorProducts as multiSeedProducts } from '../../src/ad/jvp.js';
import { constantNode, pin, variableNode, type Node } from '../../src/ad/node.js';
import { primitives } from '../../src/ad/primitives/index.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { substitute } from '../../src/ad/substitute.js';
import { topologicalOrder } from '../../src/ad/traverse.js';
import {
  count, DIFFERENTIABLE_VARIABLES, directionArbitrary, evaluateAll, frozenAt, GENERATED_PRIMITIVES, pieces, pointArbitrary, programArbitrary,
  scaleOf, shifted, unitDirection, variablesOf, type Point,
} from '../support/random-tensor-programs.js';

const H = 1e-5;
const programs = programArbitrary();

/** The values of `roots` at a point, and the pieces of every non-smooth node they depend on there. */
function at(roots: readonly Node[], point: Point): { values: Float64Array[]; pieces: string; scale: number } {
  const order = topologicalOrder(roots);
  const value = evaluateAll(order, point);
  return { values: roots.map((r) => value.get(r)!), pieces: pieces(order, value), scale: scaleOf(value) };
}

/**
 * Central differences of `roots` along a direction, or undefined when a kink lies within the
 * step (a shifted point is on another piece than the point: see the file comment).
 */
function centralDifference(given: readonly Node[], point: Point, direction: Point): { slopes: Float64Array[]; scale: number } | undefined {
  const roots = frozenAt(given, point);
  const here = at(roots, point);
  const sides = [H, -H, H / 2, -H / 2].map((h) => at(roots, shifted(point, direction, h)));
  if (sides.some((side) => side.pieces !== here.pieces)) return undefined;
  const [plus, minus, halfPlus, halfMinus] = sides as [typeof here, typeof here, typeof here, typeof here];
  // Richardson's extrapolation of the quotients at H and H/2: (4·D(H/2) − D(H)) / 3 cancels the
  // H² term of the error, which is large where a third derivative is (polygamma(2, x) at
  // x = −0.24 left 4.6e−4 of 44.6 at H alone).
  const slopes = roots.map((_, r) =>
    plus.values[r]!.map((p, i) => {
      const whole = (p - minus.values[r]![i]!) / (2 * H);
      const half = (halfPlus.values[r]![i]! - halfMinus.values[r]![i]!) / H;
      return (4 * half - whole) / 3;
    }),
  );
  return { slopes, scale: Math.max(here.scale, ...sides.map((side) => side.scale)) };
}

/**
 * `actual` within `tolerance` of the difference quotient, relative to it, plus the quotient's own
 * rounding error: values of magnitude `scale` rounded at 1e−16 and divided by H (the half step's
 * quotient, weighted 4/3 in the extrapolation).
 */
function expectClose(actual: number, expected: number, tolerance: number, scale: number, what: string): void {
  const allowed = tolerance * (1 + Math.abs(expected)) + 1e-9 * scale;
  if (!(Math.abs(actual - expected) <= allowed)) throw new Error(`${what}: symbolic ${actual}, finite difference ${expected} (scale ${scale})`);
}

/** The point with the scalar variable t at 0 (t parametrises the line along a direction). */
const t = pin(variableNode('t'));
const withT = (point: Point): Point => new Map([...point, ['t', Float64Array.of(0)]]);

/** Every variable x replaced by x + t·d: differentiating by t at 0 gives the derivative along d. */
function alongDirection(direction: Point): Map<Node, Node> {
  return new Map(
    DIFFERENTIABLE_VARIABLES.map((v) => {
      const d = direction.get(v.name)!;
      const tangent = v.shape.length === 0 ? constantNode(d[0]!) : apply('pack', Array.from(d, constantNode), v.shape);
      return [v, apply('add', [v, apply('mul', [t, tangent])])];
    }),
  );
}

/** Forward mode along a direction: the tangent of each root. */
function jacobianVectorProducts(roots: readonly Node[], direction: Point): Node[] {
  const line = alongDirection(direction);
  return roots.map((r) => forwardDerivative(substitute(r, line), t));
}

describe('the random tensor programs', () => {
  it('generate every primitive of the table', () => {
    const seen = new Set<string>();
    for (const program of fc.sample(programs, { numRuns: 400, seed: 42 })) {
      for (const node of topologicalOrder([program.loss, ...program.outputs])) seen.add(node.op);
    }
    expect(Object.keys(primitives).filter((p) => !GENERATED_PRIMITIVES.includes(p))).toEqual([]);
    expect(Object.keys(primitives).filter((p) => !seen.has(p))).toEqual([]);
  });

  it('reach rank 4, and take every rank as an operand', () => {
    const ranks = new Set<number>();
    for (const program of fc.sample(programs, { numRuns: 50, seed: 7 })) for (const n of program.built) for (const a of n.args) ranks.add(a.shape.length);
    expect([...ranks].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('tensor derivatives against central differences', () => {
  it('reverse mode: each element of each variable’s gradient, in one backward pass', () => {
    fc.assert(
      fc.property(programs, pointArbitrary, (program, point) => {
        const gradients = reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES);
        const values = evaluateTensors(gradients, point);
        const read = new Set(variablesOf([program.loss]));
        DIFFERENTIABLE_VARIABLES.forEach((v, i) => {
          expect(gradients[i]!.shape).toEqual(v.shape);
          // A variable the loss does not read has a zero gradient (its difference quotients are 0).
          if (!read.has(v)) expect(Array.from(values[i]!)).toEqual(new Array(count(v.shape)).fill(0));
          else {
            for (let k = 0; k < count(v.shape); k++) {
              const difference = centralDifference([program.loss], point, unitDirection(v, k));
              fc.pre(difference !== undefined);
              expectClose(values[i]![k]!, difference.slopes[0]![0]!, 1e-5, difference.scale, `∂loss/∂${v.name}[${k}]`);
            }
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('reverse mode from a tensor root: the vector-Jacobian product with a seed', () => {
    fc.assert(
      fc.property(programs, pointArbitrary, directionArbitrary, fc.nat(), (program, point, direction, pick) => {
        const root = program.outputs[pick % program.outputs.length]!;
        const seedValues = Array.from({ length: count(root.shape) }, (_, k) => Math.cos(k + pick));
        const seed = root.shape.length === 0 ? constantNode(seedValues[0]!) : apply('pack', seedValues.map(constantNode), root.shape);
        // ⟨seedᵀJ, d⟩ = ⟨seed, J·d⟩: the adjoints against the difference quotient of the root along d.
        const adjoints = evaluateTensors(reverseGradient(root, DIFFERENTIABLE_VARIABLES, seed), point);
        const difference = centralDifference([root], point, direction);
        fc.pre(difference !== undefined);
        let actual = 0;
        DIFFERENTIABLE_VARIABLES.forEach((v, i) => adjoints[i]!.forEach((a, k) => (actual += a * direction.get(v.name)![k]!)));
        const expected = difference.slopes[0]!.reduce((total, x, k) => total + x * seedValues[k]!, 0);
        expectClose(actual, expected, 1e-5, difference.scale * count(root.shape), 'seedᵀ·J·d');
      }),
      { numRuns: 100 },
    );
  });

  it('forward mode: the Jacobian-vector product of the loss and of tensor outputs along a direction', () => {
    fc.assert(
      fc.property(programs, pointArbitrary, directionArbitrary, (program, point, direction) => {
        const roots = [program.loss, ...program.outputs];
        const tangents = jacobianVectorProducts(roots, direction);
        tangents.forEach((tangent, r) => expect(tangent.shape).toEqual(roots[r]!.shape));
        const values = evaluateTensors(tangents, withT(point));
        const difference = centralDifference(roots, point, direction);
        fc.pre(difference !== undefined);
        values.forEach((value, r) =>
          difference.slopes[r]!.forEach((e, i) => expectClose(value[i]!, e, 1e-5, difference.scale, `root ${r} [${roots[r]!.shape}] element ${i}`)),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('multi-seed forward mode (jacobianVectorProducts, behind jvp): every variable moved along its own tangent in one pass', () => {
    fc.assert(
      fc.property(programs, pointArbitrary, directionArbitrary, (program, point, direction) => {
        const roots = [program.loss, ...program.outputs];
        const seeds = new Map(DIFFERENTIABLE_VARIABLES.map((v) => {
          const d = direction.get(v.name)!;
          return [v, v.shape.length === 0 ? constantNode(d[0]!) : apply('pack', Array.from(d, constantNode), v.shape)] as const;
        }));
        const tangents = multiSeedProducts(roots, seeds);
        tangents.forEach((tangent, r) => expect(tangent.shape).toEqual(roots[r]!.shape));
        const values = evaluateTensors(tangents, point);
        const difference = centralDifference(roots, point, direction);
        fc.pre(difference !== undefined);
        values.forEach((value, r) =>
          difference.slopes[r]!.forEach((e, i) => expectClose(value[i]!, e, 1e-5, difference.scale, `root ${r} [${roots[r]!.shape}] element ${i}`)),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('second order: forward over reverse (Hessian-vector products) against differences of the gradient', () => {
    fc.assert(
      fc.property(programArbitrary(6), pointArbitrary, directionArbitrary, (program, point, direction) => {
        const gradients = reverseGradient(program.loss, DIFFERENTIABLE_VARIABLES);
        const products = jacobianVectorProducts(gradients, direction);
        const values = evaluateTensors(products, withT(point));
        const difference = centralDifference(gradients, point, direction);
        fc.pre(difference !== undefined);
        values.forEach((value, r) =>
          difference.slopes[r]!.forEach((e, i) => expectClose(value[i]!, e, 1e-4, difference.scale, `H·d for ${DIFFERENTIABLE_VARIABLES[r]!.name}[${i}]`)),
        );
      }),
      { numRuns: 80 },
    );
  });
});
