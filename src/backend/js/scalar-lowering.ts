/**
 * The JavaScript lowering of each elementwise primitive: source for the operation on operands
 * that are already names (`x0`, `t3`), element reads (`a2[k]`) or number literals. One entry
 * per primitive, nothing else.
 */
import type { Node } from '../../ad/node.js';
import type { PrimitiveName } from '../../ad/primitives/index.js';

/** Lowers one operation; `node` is there for rules that look at a constant operand (pow). */
export type JsLowering = (args: readonly string[], node: Node) => string;

/** Integer exponents up to this size become multiplications: V8 does not inline `Math.pow`. */
const LARGEST_EXPANDED_EXPONENT = 4;

/** `a^n` for a small integer `n ≥ 1` as a product, by repeated squaring in source. */
function product(a: string, n: number): string {
  if (n === 1) return a;
  if (n === 2) return `${a} * ${a}`;
  if (n === 3) return `${a} * ${a} * ${a}`;
  return `(${a} * ${a}) * (${a} * ${a})`;
}

function power([a, b]: readonly string[], node: Node): string {
  const exponent = node.args[1]!;
  if (exponent.op === 'const' && Number.isInteger(exponent.value)) {
    const n = Math.abs(exponent.value);
    if (n >= 1 && n <= LARGEST_EXPANDED_EXPONENT) {
      return exponent.value > 0 ? `(${product(a!, n)})` : `1 / (${product(a!, n)})`;
    }
  }
  return `Math.pow(${a}, ${b})`;
}

/**
 * Primitives the js backend lowers by their records' decompositions (the special functions: a
 * rational approximation or a series of elementary operations, which the reference computes the
 * same way).
 */
export const JS_DECOMPOSED = ['erf', 'erfc', 'lgamma', 'digamma', 'polygamma'] as const;
export type JsDecomposed = (typeof JS_DECOMPOSED)[number];

/** `(condition ? 1 : 0)`: a comparison as a mask. */
const mask = (condition: string) => `(${condition} ? 1 : 0)`;

export const jsLowering: Record<Exclude<PrimitiveName, JsDecomposed>, JsLowering> = {
  add: ([a, b]) => `${a} + ${b}`,
  sub: ([a, b]) => `${a} - ${b}`,
  mul: ([a, b]) => `${a} * ${b}`,
  div: ([a, b]) => `${a} / ${b}`,
  neg: ([a]) => `-${a}`,
  pow: power,
  exp: ([a]) => `Math.exp(${a})`,
  ln: ([a]) => `Math.log(${a})`,
  log: ([a, b]) => `Math.log(${a}) / Math.log(${b})`,
  sqrt: ([a]) => `Math.sqrt(${a})`,
  cbrt: ([a]) => `Math.cbrt(${a})`,
  sin: ([a]) => `Math.sin(${a})`,
  cos: ([a]) => `Math.cos(${a})`,
  tan: ([a]) => `Math.tan(${a})`,
  asin: ([a]) => `Math.asin(${a})`,
  acos: ([a]) => `Math.acos(${a})`,
  atan: ([a]) => `Math.atan(${a})`,
  sinh: ([a]) => `Math.sinh(${a})`,
  cosh: ([a]) => `Math.cosh(${a})`,
  tanh: ([a]) => `Math.tanh(${a})`,
  sigmoid: ([a]) => `(${a} >= 0 ? 1 / (1 + Math.exp(-${a})) : Math.exp(${a}) / (1 + Math.exp(${a})))`,
  softplus: ([a]) => `Math.max(${a}, 0) + Math.log1p(Math.exp(-Math.abs(${a})))`,
  relu: ([a]) => `(${a} <= 0 ? 0 : ${a})`,
  abs: ([a]) => `Math.abs(${a})`,
  sign: ([a]) => `(${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a})`,
  heaviside: ([a]) => `(${a} > 0 ? 1 : ${a} <= 0 ? 0 : NaN)`,
  equal: ([a, b]) => `(${a} === ${b} ? 1 : 0)`,
  gt: ([a, b]) => mask(`${a} > ${b}`),
  ge: ([a, b]) => mask(`${a} >= ${b}`),
  lt: ([a, b]) => mask(`${a} < ${b}`),
  le: ([a, b]) => mask(`${a} <= ${b}`),
  ne: ([a, b]) => mask(`${a} !== ${b}`),
  where: ([c, a, b]) => `(${c} !== 0 ? ${a} : ${b})`,
  maximum: ([a, b]) => `Math.max(${a}, ${b})`,
  minimum: ([a, b]) => `Math.min(${a}, ${b})`,
  clip: ([x, lo, hi]) => `Math.min(Math.max(${x}, ${lo}), ${hi})`,
  floor: ([a]) => `Math.floor(${a})`,
  ceil: ([a]) => `Math.ceil(${a})`,
  round: ([a]) => `Math.round(${a})`,
  stopGradient: ([a]) => `${a}`,
  expm1: ([a]) => `Math.expm1(${a})`,
  log1p: ([a]) => `Math.log1p(${a})`,
  hypot: ([a, b]) => `Math.hypot(${a}, ${b})`,
  atan2: ([y, x]) => `Math.atan2(${y}, ${x})`,
};

/** A number as a JavaScript literal that reads back as the same number (also -0, NaN, ±Infinity). */
export function numberLiteral(value: number): string {
  if (Object.is(value, -0)) return '(-0)';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '(-Infinity)';
  return value < 0 ? `(${String(value)})` : String(value);
}
