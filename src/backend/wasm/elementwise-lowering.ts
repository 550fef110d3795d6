/**
 * The WebAssembly lowering of each elementwise primitive, in scalar form and, where the
 * operation has SIMD instructions, in vector form (a lane per element). Operands are pushed by
 * thunks (a local, a load, a number), so a rule may read an operand twice. Each rule computes
 * what the primitive's reference `evaluate` computes, with the same comparisons and branches
 * (relu and sign keep NaN, sign keeps −0), so float64 programs agree with the reference
 * interpreter to the last bit except where noted (pow by a small integer is a product).
 * One entry per primitive, nothing else.
 */
import type { Node } from '../../ad/node.js';
import type { PrimitiveName } from '../../ad/primitives/index.js';
import type { Emitter, MathFunction, Operand } from './emitter.js';
import { op, simd } from './encoder.js';

/** Lowers one operation: pushes its result from the operands' values. `node` is there for pow's constant exponent. */
export type WasmElementwise = (e: Emitter, args: readonly Operand[], node: Node) => void;

/** A primitive's lowerings: scalar always; vector where SIMD has the operation (else the loop stays scalar). */
export interface WasmElementwiseLowering {
  readonly scalar: WasmElementwise;
  readonly vector?: WasmElementwise;
}

/** Integer exponents up to this size become multiplications (as in the js backend). */
const LARGEST_EXPANDED_EXPONENT = 4;

/** The exponent of pow when it is a small nonzero integer constant. */
function smallExponent(node: Node): number | undefined {
  const exponent = node.args[1]!;
  if (exponent.op !== 'const' || !Number.isInteger(exponent.value)) return undefined;
  const n = Math.abs(exponent.value);
  return n >= 1 && n <= LARGEST_EXPANDED_EXPONENT ? exponent.value : undefined;
}

/** a^n (n = 1 … 4) as products, in the js backend's order: a·a·a = (a·a)·a, a⁴ = (a·a)·(a·a). */
function product(e: Emitter, a: Operand, n: number, vector: boolean): void {
  const mul = () => (vector ? e.vector('mul') : e.scalar('mul'));
  const local = vector ? e.vectorLocal() : e.local();
  a();
  if (n === 1) return;
  e.f.tee(local).get(local);
  mul();
  if (n === 3) {
    e.f.get(local);
    mul();
  } else if (n === 4) {
    e.f.tee(local).get(local);
    mul();
  }
}

function power(vector: boolean): WasmElementwise {
  return (e, [a, b], node) => {
    const n = smallExponent(node);
    if (n === undefined) {
      a!();
      b!();
      e.math('pow');
      return;
    }
    if (n < 0) vector ? e.vectorNumber(1) : e.number(1);
    product(e, a!, Math.abs(n), vector);
    if (n < 0) vector ? e.vector('div') : e.scalar('div');
  };
}

/** A `Math` function of one operand. */
const math = (name: MathFunction): WasmElementwiseLowering => ({
  scalar: (e, [a]) => {
    a!();
    e.math(name);
  },
});

/**
 * A binary operation with both forms. `max` and `min` are those of `Math.max` and `Math.min`: NaN
 * if an operand is NaN, and +0 above −0 (WebAssembly's min and max, scalar and SIMD, are IEEE
 * 754-2019's).
 */
const binary = (name: 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min'): WasmElementwiseLowering => ({
  scalar: (e, [a, b]) => {
    a!();
    b!();
    e.scalar(name);
  },
  vector: (e, [a, b]) => {
    a!();
    b!();
    e.vector(name);
  },
});

/** A unary operation with both forms. */
const unary = (name: 'neg' | 'abs' | 'sqrt'): WasmElementwiseLowering => ({
  scalar: (e, [a]) => {
    a!();
    e.scalar(name);
  },
  vector: (e, [a]) => {
    a!();
    e.vector(name);
  },
});

/** A `Math` function of two operands. */
const binaryMath = (name: 'atan2' | 'hypot'): WasmElementwiseLowering => ({
  scalar: (e, [a, b]) => {
    a!();
    b!();
    e.math(name);
  },
});

/** An operation with an instruction in both forms. */
const instruction = (name: 'floor' | 'ceil'): WasmElementwiseLowering => ({
  scalar: (e, [a]) => {
    a!();
    e.scalar(name);
  },
  vector: (e, [a]) => {
    a!();
    e.vector(name);
  },
});

/** A comparison as a mask of 1 and 0 (NaN compares as in JavaScript: only `ne` holds). */
const comparison = (name: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'): WasmElementwiseLowering => ({
  scalar: (e, [a, b]) => {
    e.number(1).number(0);
    a!();
    b!();
    e.scalar(name);
    e.f.op(op.select);
  },
  vector: (e, [a, b]) => {
    e.vectorNumber(1).vectorNumber(0);
    a!();
    b!();
    e.vector(name).bitselect();
  },
});

/**
 * Primitives the wasm backend lowers by their records' decompositions (the special functions,
 * as on js: a rational approximation or a series of elementary operations, which the reference
 * computes the same way).
 */
export const WASM_DECOMPOSED = ['erf', 'erfc', 'lgamma', 'digamma', 'polygamma'] as const;
export type WasmDecomposed = (typeof WASM_DECOMPOSED)[number];

export const wasmLowering: Record<Exclude<PrimitiveName, WasmDecomposed>, WasmElementwiseLowering> = {
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  neg: unary('neg'),
  // The vector form exists only for small integer exponents (products): see `vectorLowering`.
  pow: { scalar: power(false) },
  exp: math('exp'),
  ln: math('log'),
  log: {
    scalar: (e, [a, b]) => {
      a!();
      e.math('log');
      b!();
      e.math('log');
      e.scalar('div');
    },
  },
  sqrt: unary('sqrt'),
  cbrt: math('cbrt'),
  sin: math('sin'),
  cos: math('cos'),
  tan: math('tan'),
  asin: math('asin'),
  acos: math('acos'),
  atan: math('atan'),
  sinh: math('sinh'),
  cosh: math('cosh'),
  tanh: math('tanh'),
  // a ≥ 0 ? 1 / (1 + exp(−a)) : exp(a) / (1 + exp(a)), so that exp never overflows.
  sigmoid: {
    scalar: (e, [a]) => {
      const t = e.local();
      a!();
      e.number(0).scalar('ge').ifValue();
      e.number(1).number(1);
      a!();
      e.scalar('neg').math('exp').scalar('add').scalar('div');
      e.f.else();
      a!();
      e.math('exp');
      e.f.tee(t);
      e.number(1);
      e.f.get(t);
      e.scalar('add').scalar('div');
      e.f.end();
    },
  },
  // max(a, 0) + log1p(exp(−|a|)).
  softplus: {
    scalar: (e, [a]) => {
      a!();
      e.number(0).scalar('max');
      a!();
      e.scalar('abs').scalar('neg').math('exp').math('log1p').scalar('add');
    },
  },
  // a <= 0 ? 0 : a (NaN stays NaN, as the reference).
  relu: {
    scalar: (e, [a]) => {
      e.number(0);
      a!();
      a!();
      e.number(0).scalar('le');
      e.f.op(op.select);
    },
    vector: (e, [a]) => {
      e.vectorNumber(0);
      a!();
      a!();
      e.vectorNumber(0).vector('le').bitselect();
    },
  },
  abs: unary('abs'),
  // a > 0 ? 1 : a < 0 ? −1 : a (keeps ±0 and NaN).
  sign: {
    scalar: (e, [a]) => {
      e.number(1).number(-1);
      a!();
      a!();
      e.number(0).scalar('lt');
      e.f.op(op.select);
      a!();
      e.number(0).scalar('gt');
      e.f.op(op.select);
    },
    vector: (e, [a]) => {
      e.vectorNumber(1).vectorNumber(-1);
      a!();
      a!();
      e.vectorNumber(0).vector('lt').bitselect();
      a!();
      e.vectorNumber(0).vector('gt').bitselect();
    },
  },
  // a > 0 ? 1 : a ≤ 0 ? 0 : NaN.
  heaviside: {
    scalar: (e, [a]) => {
      e.number(1).number(0).number(NaN);
      a!();
      e.number(0).scalar('le');
      e.f.op(op.select);
      a!();
      e.number(0).scalar('gt');
      e.f.op(op.select);
    },
    vector: (e, [a]) => {
      e.vectorNumber(1).vectorNumber(0).vectorNumber(NaN);
      a!();
      e.vectorNumber(0).vector('le').bitselect();
      a!();
      e.vectorNumber(0).vector('gt').bitselect();
    },
  },
  equal: comparison('eq'),
  gt: comparison('gt'),
  ge: comparison('ge'),
  lt: comparison('lt'),
  le: comparison('le'),
  ne: comparison('ne'),
  // c !== 0 ? a : b (a NaN condition selects a, as in JavaScript).
  where: {
    scalar: (e, [c, a, b]) => {
      a!();
      b!();
      c!();
      e.number(0).scalar('ne');
      e.f.op(op.select);
    },
    vector: (e, [c, a, b]) => {
      a!();
      b!();
      c!();
      e.vectorNumber(0).vector('ne').bitselect();
    },
  },
  maximum: binary('max'),
  minimum: binary('min'),
  // Math.min(Math.max(x, lo), hi).
  clip: {
    scalar: (e, [x, lo, hi]) => {
      x!();
      lo!();
      e.scalar('max');
      hi!();
      e.scalar('min');
    },
    vector: (e, [x, lo, hi]) => {
      x!();
      lo!();
      e.vector('max');
      hi!();
      e.vector('min');
    },
  },
  floor: instruction('floor'),
  ceil: instruction('ceil'),
  // Math.round (halves toward +∞, −0 for [−0.5, −0]): floor(a) + (a − floor(a) ≥ 0.5), with a's
  // sign. a − floor(a) is exact (Sterbenz for |a| ≥ 1, a itself or a + 1 below), so the halves
  // are found exactly; WebAssembly's `nearest` rounds halves to even instead.
  round: {
    scalar: (e, [a]) => {
      const floor = e.local();
      a!();
      e.scalar('floor');
      e.f.tee(floor);
      e.number(1).number(0);
      a!();
      e.f.get(floor);
      e.scalar('sub').number(0.5).scalar('ge');
      e.f.op(op.select);
      e.scalar('add');
      a!();
      e.scalar('copysign');
    },
    vector: (e, [a]) => {
      const floor = e.vectorLocal();
      a!();
      e.vector('floor');
      e.f.tee(floor);
      a!();
      e.f.get(floor);
      e.vector('sub').vectorNumber(0.5).vector('ge').vectorNumber(1);
      e.f.simd(simd.and);
      e.vector('add');
      // The sign bit from a (−0 is the sign bit alone), the other bits from the sum.
      const sum = e.vectorLocal();
      e.f.set(sum);
      a!();
      e.f.get(sum);
      e.vectorNumber(-0).bitselect();
    },
  },
  stopGradient: {
    scalar: (e, [a]) => a!(),
    vector: (e, [a]) => a!(),
  },
  expm1: math('expm1'),
  log1p: math('log1p'),
  hypot: binaryMath('hypot'),
  atan2: binaryMath('atan2'),
};

/** The vector form of pow, for exponents that are small integers (products); undefined otherwise. */
export function powerVector(node: Node): WasmElementwise | undefined {
  return smallExponent(node) === undefined ? undefined : power(true);
}

/** The vector lowering of a node, if it has one. */
export function vectorLowering(node: Node): WasmElementwise | undefined {
  if (node.op === 'pow') return powerVector(node);
  return wasmLowering[node.op as keyof typeof wasmLowering].vector;
}
