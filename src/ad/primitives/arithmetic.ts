import { isConstant, type Node } from '../node.js';
import type { Builder, ElementwisePrimitive } from './types.js';

/** A constant, or a tensor filled with it (`broadcast` of a constant): 0 and 1 simplify on tensors too. */
const isFilledWith = (n: Node, value: number) =>
  isConstant(n, value) || (n.op === 'broadcast' && isConstant(n.args[0]!, value));
const isZero = (n: Node) => isFilledWith(n, 0);
const isOne = (n: Node) => isFilledWith(n, 1);
const constantOf = (n: Node): number | undefined => (n.op === 'const' ? n.value : undefined);

/** `c · rest` when `n` is a product with a constant factor (operands are sorted constant-first). */
function splitCoefficient(n: Node): [number, Node] | undefined {
  if (n.op === 'mul' && n.args[0]!.op === 'const') return [n.args[0]!.value, n.args[1]!];
  return undefined;
}

/**
 * `n` as `−m` when it visibly carries a minus sign (a negative constant, a negation, a negative
 * coefficient), so that sums print as `a - m` rather than `a + -m`.
 */
function negated(n: Node, b: Builder): Node | undefined {
  if (n.op === 'const' && n.value < 0) return b.constant(-n.value);
  if (n.op === 'neg') return n.args[0];
  const split = splitCoefficient(n);
  if (split && split[0] < 0) return b.mul(b.constant(-split[0]), split[1]);
  return undefined;
}

/**
 * `a ± c` with a constant and a sum that holds a constant ((k + e) − k′, k + (e − k′)) as one
 * constant and the rest: (1 + ln c) − 1 is ln c. Exact on the reals (it only re-associates),
 * and cheap: it looks one level down.
 */
function gatherConstants(a: Node, c: Node, sign: 1 | -1, b: Builder): Node | undefined {
  const k = constantOf(a), m = constantOf(c);
  if ((k === undefined) === (m === undefined)) return undefined;
  // The result is constant + sumSign·sum, and the sum is inner + restSign·rest.
  const [constant, sum, sumSign] = k !== undefined ? [k, c, sign] : [sign * m!, a, 1];
  let inner: number | undefined, rest: Node, restSign: number;
  if (sum.op === 'add' || sum.op === 'sub') {
    inner = constantOf(sum.args[0]!);
    [rest, restSign] = [sum.args[1]!, sum.op === 'add' ? 1 : -1];
    if (inner === undefined && sum.op === 'sub' && constantOf(sum.args[1]!) !== undefined) {
      inner = -constantOf(sum.args[1]!)!;
      [rest, restSign] = [sum.args[0]!, 1];
    }
  }
  if (inner === undefined) return undefined;
  const total = b.constant(constant + sumSign * inner);
  return sumSign * restSign! > 0 ? b.add(total, rest!) : b.sub(total, rest!);
}

export const add: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'add',
  arity: 2,
  commutative: true,
  notation: { kind: 'infix', symbol: '+', precedence: 1, associative: true, latex: { symbol: '+' } },
  evaluate: (a, b) => a + b,
  partials: (_args, _self, b) => [b.constant(1), b.constant(1)],
  simplify: ([a, c], b) => {
    if (isZero(a!)) return c;
    if (isZero(c!)) return a;
    if (a === c) return b.mul(b.constant(2), a!);
    const gathered = gatherConstants(a!, c!, 1, b);
    if (gathered !== undefined) return gathered;
    const minusC = negated(c!, b);
    if (minusC !== undefined) return b.sub(a!, minusC);
    const minusA = negated(a!, b);
    if (minusA !== undefined) return b.sub(c!, minusA);
    return undefined;
  },
};

export const sub: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'sub',
  arity: 2,
  notation: { kind: 'infix', symbol: '-', precedence: 1, associative: false, latex: { symbol: '-' } },
  evaluate: (a, b) => a - b,
  partials: (_args, _self, b) => [b.constant(1), b.constant(-1)],
  simplify: ([a, c], b) => {
    if (a === c) return b.constant(0);
    if (isZero(c!)) return a;
    if (isZero(a!)) return b.neg(c!);
    const gathered = gatherConstants(a!, c!, -1, b);
    if (gathered !== undefined) return gathered;
    const minusC = negated(c!, b);
    if (minusC !== undefined) return b.add(a!, minusC);
    return undefined;
  },
};

export const mul: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'mul',
  arity: 2,
  commutative: true,
  notation: { kind: 'infix', symbol: '*', precedence: 2, associative: true, latex: { symbol: '\\cdot' } },
  evaluate: (a, b) => a * b,
  partials: ([a, c]) => [c, a],
  simplify: ([a, c], b) => {
    // Operands are sorted constant-first, so a constant factor is always `a`.
    // a·0 → 0 follows algebra, not IEEE: it also drops an Infinity or NaN that `a` would produce.
    if (isZero(a!) || isZero(c!)) return b.constant(0);
    if (isOne(a!)) return c;
    if (isOne(c!)) return a;
    if (isConstant(a!, -1)) return b.neg(c!);
    if (a === c) return b.pow(a!, b.constant(2));
    // a·(q/a) = q wherever the left side is defined (a ≠ 0); so c·(1/c) from d(c·ln c) is 1.
    if (c!.op === 'div' && c!.args[1] === a) return c!.args[0];
    if (a!.op === 'div' && a!.args[1] === c) return a!.args[0];
    const k = constantOf(a!);
    if (k !== undefined) {
      const inner = splitCoefficient(c!);
      if (inner) return b.mul(b.constant(k * inner[0]), inner[1]);
      if (c!.op === 'neg') return b.mul(b.constant(-k), c!.args[0]!);
      return undefined;
    }
    // Signs and constant factors move to the front: x·(−y) → −(x·y), (2x)·y → 2·(x·y).
    if (c!.op === 'neg') return b.neg(b.mul(a!, c!.args[0]!));
    if (a!.op === 'neg') return b.neg(b.mul(a!.args[0]!, c!));
    const left = splitCoefficient(a!);
    if (left) return b.mul(b.constant(left[0]), b.mul(left[1], c!));
    const right = splitCoefficient(c!);
    if (right) return b.mul(b.constant(right[0]), b.mul(a!, right[1]));
    return undefined;
  },
};

export const div: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'div',
  arity: 2,
  notation: { kind: 'infix', symbol: '/', precedence: 2, associative: false, latex: { form: 'frac' } },
  evaluate: (a, b) => a / b,
  // ∂(a/b)/∂b = −a/b² = −(a/b)/b, which reuses the node itself. Only the partials asked for
  // are built: the pool keeps every node, so an unused one would stay for good.
  partials: ([, c], self, b, needed) => [
    needed[0] ? b.div(b.constant(1), c!) : undefined,
    needed[1] ? b.neg(b.div(self, c!)) : undefined,
  ],
  // Only rules exact in IEEE arithmetic: 0/a → 0 and a/a → 1 would hide the NaN of 0/0, ∞/∞
  // and NaN/NaN (algebra's `simplify` cancels them on request).
  simplify: ([a, c], b) => {
    if (isOne(c!)) return a;
    if (isConstant(c!, -1)) return b.neg(a!);
    return undefined;
  },
};

export const neg: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'neg',
  arity: 1,
  notation: { kind: 'prefix', symbol: '-', precedence: 3 },
  evaluate: (a) => -a,
  partials: (_args, _self, b) => [b.constant(-1)],
  simplify: ([a], b) => {
    if (a!.op === 'neg') return a!.args[0];
    if (a!.op === 'sub') return b.sub(a!.args[1]!, a!.args[0]!);
    const inner = splitCoefficient(a!);
    if (inner) return b.mul(b.constant(-inner[0]), inner[1]);
    return undefined;
  },
};

export const pow: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'pow',
  arity: 2,
  notation: { kind: 'infix', symbol: '^', precedence: 4, associative: false, rightAssociative: true, latex: { form: 'power' } },
  evaluate: (a, b) => Math.pow(a, b),
  // d(a^c) = c·a^(c−1)·da + a^c·ln(a)·dc; the second term is built only when c varies.
  partials: ([a, c], self, b, needed) => [
    needed[0] ? b.mul(c!, b.pow(a!, b.sub(c!, b.constant(1)))) : undefined,
    // 0^c is 0 wherever c > 0, so its derivative there is 0 (self·ln 0 would be 0·(−∞) = NaN).
    needed[1] ? (isZero(a!) ? b.constant(0) : b.mul(self, b.apply('ln', [a!]))) : undefined,
  ],
  // A constant exponent c: c·a^(c−1) as [c, a^(c−1)] (a^(c−1) has no constant factor: it is a
  // power, a itself, or the constant 1 for c = 1, which its coefficient form takes apart).
  scaledPartials: ([a, c], _self, b, needed) => {
    const k = constantOf(c!);
    if (k === undefined || needed[1] || k === 1 || k === 0) return undefined;
    const power = b.pow(a!, b.constant(k - 1));
    if (power.op === 'const' || power.op === 'neg' || (power.op === 'mul' && power.args[0]!.op === 'const')) return undefined;
    return [[k, power], undefined];
  },
  simplify: ([a, c], b) => {
    // a^0 = 1 for every a, NaN included (Math.pow). 1^a is not folded: Math.pow(1, ±∞) and
    // Math.pow(1, NaN) are NaN.
    if (isZero(c!)) return b.constant(1);
    if (isOne(c!)) return a;
    // (a^p)^q = a^(p·q) for integers p and q wherever the left side is defined; for a fractional
    // p it is not ((√a)² at a = −4 is NaN, a is −4), so it is left alone.
    const q = constantOf(c!);
    const p = a!.op === 'pow' ? constantOf(a!.args[1]!) : undefined;
    if (q !== undefined && p !== undefined && Number.isInteger(q) && Number.isInteger(p)) {
      return b.pow(a!.args[0]!, b.constant(a!.args[1]!.value * q));
    }
    return undefined;
  },
};
