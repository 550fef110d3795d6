/**
 * Random expressions for the algebra property tests: + − · /, integer powers, sin, cos, exp and
 * ln of a positive operand, over x, y, z and small constants. Values are compared against the
 * reference interpreter at random points, only where the original is defined, with a tolerance
 * scaled by the largest intermediate value (cancellation in the original loses that much).
 */
import fc from 'fast-check';
import { Const, cos, exp, ln, sin, Var, type SFun } from '../../src/index.js';
import type { Node } from '../../src/ad/node.js';
import { primitives, type PrimitiveName } from '../../src/ad/primitives/index.js';
import { topologicalOrder } from '../../src/ad/traverse.js';

type F = SFun<'x' | 'y' | 'z'>;
const x = Var('x'), y = Var('y'), z = Var('z');
const declared = (f: SFun<string>): F => f.add(x.mul(0)).add(y.mul(0)).add(z.mul(0)) as F;

const leaf: fc.Arbitrary<SFun<string>> = fc.oneof(
  fc.constantFrom<SFun<string>>(x, y, z),
  fc.integer({ min: -3, max: 3 }).map((n) => Const(n)),
  fc.constantFrom(0.5, 1.5).map((v) => Const(v)),
);

export function algebraTree(depth: number): fc.Arbitrary<F> {
  const { tree } = fc.letrec<{ tree: SFun<string> }>((self) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      { arbitrary: leaf, weight: 3 },
      fc.tuple(self('tree'), self('tree')).map(([a, b]) => a.add(b)),
      fc.tuple(self('tree'), self('tree')).map(([a, b]) => a.sub(b)),
      { arbitrary: fc.tuple(self('tree'), self('tree')).map(([a, b]) => a.mul(b)), weight: 2 },
      fc.tuple(self('tree'), self('tree')).map(([a, b]) => a.div(b)),
      fc.tuple(self('tree'), fc.integer({ min: -2, max: 3 })).map(([a, n]) => a.pow(n)),
      fc.tuple(self('tree'), fc.constantFrom(0.5, -1)).map(([a, n]) => a.mul(a).add(1).pow(n)),
      self('tree').map((a) => sin(a)),
      self('tree').map((a) => cos(a)),
      self('tree').map((a) => exp(sin(a))),
      self('tree').map((a) => ln(a.mul(a).add(0.5))),
    ),
  }));
  return tree.map(declared);
}

/** A coordinate in [−2, 2]; tiny values become 0, since underflow (x/1.5/x at 5e-324) is not algebra. */
const coordinate = fc.double({ min: -2, max: 2, noNaN: true }).map((v) => (Math.abs(v) < 1e-6 ? 0 : v));
export const point = fc.record({ x: coordinate, y: coordinate, z: coordinate });

/** The value at a point and the largest |intermediate value| (the scale of rounding errors). */
export function valueAndScale(root: Node, env: Record<string, number>): { value: number; scale: number; finite: boolean } {
  const values = new Map<Node, number>();
  let scale = 1;
  let finite = true;
  for (const node of topologicalOrder([root])) {
    let v: number;
    if (node.op === 'const') v = node.value;
    else if (node.op === 'var') v = env[node.name]!;
    else v = primitives[node.op as PrimitiveName].evaluate(...node.args.map((a) => values.get(a)!));
    values.set(node, v);
    if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    else finite = false;
  }
  return { value: values.get(root)!, scale, finite };
}

/**
 * Whether `after` has the value of `before` at the point, when `before` is defined there: every
 * intermediate value finite (identities hold on the reals; through ±Infinity, as (1/0)^-1 = 0,
 * they need not) and not huge.
 */
export function sameValue(before: SFun<string>, after: SFun<string>, env: Record<string, number>, tolerance = 1e-9): boolean {
  // A constant folded to ±Infinity (x/0) makes 0·∞ depend on the association; not algebra either.
  if (topologicalOrder([before.node]).some((n) => n.op === 'const' && !Number.isFinite(n.value))) return true;
  const original = valueAndScale(before.node, env);
  if (!original.finite || original.scale > 1e8) return true;
  const rewritten = valueAndScale(after.node, env);
  return Math.abs(rewritten.value - original.value) <= tolerance * Math.max(original.scale, rewritten.scale);
}
