/**
 * A fast-check generator of random scalar expressions (programs of numbers only, which every
 * backend renders its own scalar way: one function, one loop over a batch, one gpu kernel), with
 * each operand mapped into its primitive's domain (ln of 1/4 + a², asin of 0.9·tanh a, ...), and
 * the checks that compare a backend with the reference interpreter. Tensor programs over every
 * primitive come from test/support/random-tensor-programs.ts.
 */
import fc from 'fast-check';
import { evaluateNodes } from '../../src/ad/evaluate.js';
import { topologicalOrder } from '../../src/ad/traverse.js';
import {
  abs, acos, add, asin, atan, cbrt, cos, cosh, div, exp, heaviside, ln, log, mul, neg, pow, relu, sigmoid, sign, sin, sinh,
  softplus, sqrt, sub, tan, tanh, Const, Var, type SFun, gt, ge, lt, le, ne, where, maximum, minimum, clip, floor, ceil, round,
  stopGradient, expm1, log1p, hypot, atan2, erf, erfc, lgamma, digamma, polygamma,
} from '../../src/index.js';

export const variables = [Var('x'), Var('y'), Var('z')] as const;
export const names = ['x', 'y', 'z'] as const;
type E = SFun<string>;

const positive = (a: E) => add(0.25, mul(a, a));
const unit = (a: E, k: number) => mul(k, tanh(a));

/** Each unary primitive applied to an operand kept in its domain. */
const unary: Record<string, (a: E) => E> = {
  neg, sin, cos, atan, tanh, sigmoid, softplus, relu, abs, sign, heaviside,
  exp: (a) => exp(unit(a, 2)),
  sinh: (a) => sinh(unit(a, 2)),
  cosh: (a) => cosh(unit(a, 2)),
  tan: (a) => tan(unit(a, 1)),
  asin: (a) => asin(unit(a, 0.9)),
  acos: (a) => acos(unit(a, 0.9)),
  ln: (a) => ln(positive(a)),
  sqrt: (a) => sqrt(positive(a)),
  cbrt: (a) => cbrt(positive(a)),
  cbrtNegative: (a) => cbrt(neg(positive(a))),
  powConstant2: (a) => pow(a, 2),
  powConstant3: (a) => pow(a, 3),
  powConstantMinus2: (a) => pow(positive(a), -2),
  powConstantHalf: (a) => pow(positive(a), 0.5),
  floor, ceil, round, stopGradient, erf, erfc,
  expm1: (a) => expm1(unit(a, 2)),
  log1p: (a) => log1p(unit(a, 0.9)),
  clip: (a) => clip(a, -0.5, 0.75),
  lgamma: (a) => lgamma(positive(a)),
  lgammaNegative: (a) => lgamma(add(-0.5, unit(a, 0.4))),
  digamma: (a) => digamma(positive(a)),
  digammaNegative: (a) => digamma(add(-0.5, unit(a, 0.4))),
  trigamma: (a) => polygamma(1, positive(a)),
};

/** Each binary primitive applied to operands kept in its domain. */
const binary: Record<string, (a: E, b: E) => E> = {
  add, sub, mul,
  div: (a, b) => div(a, positive(b)),
  pow: (a, b) => pow(positive(a), unit(b, 2)),
  log: (a, b) => log(positive(a), add(2, mul(b, b))),
  gt, ge, lt, le, ne, maximum, minimum, hypot,
  where: (a, b) => where(gt(a, b), a, mul(b, b)),
  atan2: (a, b) => atan2(a, positive(b)),
};

export function expressionArbitrary(maxDepth: number): fc.Arbitrary<E> {
  const { tree } = fc.letrec<{ tree: E }>((recurse) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      fc.oneof(fc.constantFrom(...variables), fc.constantFrom(...variables), fc.constantFrom(0.5, 2, -1.5, 3).map((c) => Const(c))),
      fc.tuple(fc.constantFrom(...Object.keys(unary)), recurse('tree')).map(([op, a]) => unary[op]!(a)),
      fc.tuple(fc.constantFrom(...Object.keys(binary)), recurse('tree'), recurse('tree')).map(([op, a, b]) => binary[op]!(a, b)),
    ),
  }));
  return tree;
}

/**
 * Points in [−2, 2]³, as one column per variable. Magnitudes below 1e−30 become 0: float32
 * engines (wasm SIMD, GPUs) may flush subnormals to zero, which is not what is under test.
 */
export function pointsArbitrary(maxPoints: number): fc.Arbitrary<number[][]> {
  const coordinate = fc.double({ min: -2, max: 2, noNaN: true }).map((v) => (Math.abs(v) < 1e-30 ? 0 : v));
  return fc.array(fc.tuple(coordinate, coordinate, coordinate), { minLength: 1, maxLength: maxPoints }).map((points) =>
    names.map((_, j) => points.map((p) => p[j]!)),
  );
}

/** Operations whose value or derivative changes where two operands tie. */
const TIES = new Set(['gt', 'ge', 'lt', 'le', 'ne', 'equal', 'maximum', 'minimum']);

/**
 * The reference values of `funs` at point `i`, the scale of the computation there (the largest
 * magnitude of any intermediate value, against which float32 error is measured), and how close
 * the point is to a jump: the smallest |argument| of a `sign` or `heaviside`, gap between the
 * operands of a comparison or extremum, distance of a rounding's operand to its step, or of a
 * clip's operand to its bounds. Within float32 rounding of a jump, a float32 engine cannot tell
 * which side it is on.
 */
export function reference(funs: readonly E[], columns: readonly ArrayLike<number>[], i: number): { values: number[]; scale: number; jump: number } {
  const environment = new Map(names.map((n, j) => [n, columns[j]![i]!]));
  const roots = funs.map((f) => f.node);
  const order = topologicalOrder(roots);
  const all = evaluateNodes(order, environment);
  const valueOf = new Map(order.map((node, k) => [node, all[k]!]));
  const values = roots.map((r) => valueOf.get(r)!);
  const scale = Math.max(1, ...all.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
  let jump = Infinity;
  for (const node of order) {
    const [a, b] = node.args.map((n) => valueOf.get(n)!);
    if (node.op === 'sign' || node.op === 'heaviside') jump = Math.min(jump, Math.abs(a!));
    // A tie of the operands of a comparison or extremum (their masks are in the gradients too);
    // an exact tie of two different nodes too (x and tanh x at x = −1e−30 tie in float64, not in
    // float32): only a node compared with itself ties in every precision.
    else if (TIES.has(node.op) && node.args[0] !== node.args[1]) jump = Math.min(jump, Math.abs(a! - b!));
    else if (node.op === 'floor' || node.op === 'ceil') jump = Math.min(jump, Math.abs(a! - Math.round(a!)));
    else if (node.op === 'round') jump = Math.min(jump, Math.abs(a! - Math.floor(a!) - 0.5));
    else if (node.op === 'clip') jump = Math.min(jump, Math.abs(a! + 0.5), Math.abs(a! - 0.75));
  }
  return { values, scale, jump };
}

/**
 * Whether `got` agrees with `expected`: equal (NaN and infinities included), or within
 * `tolerance` relative to |expected|, measured against the computation's scale for float32.
 */
export function agrees(got: number, expected: number, tolerance: number, scale = 1): boolean {
  if (Object.is(got, expected) || got === expected) return true;
  if (!Number.isFinite(expected) || !Number.isFinite(got)) return false;
  return Math.abs(got - expected) <= tolerance * Math.max(Math.abs(expected), scale);
}
