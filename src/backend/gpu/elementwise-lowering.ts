/**
 * The gpu.js lowering of each primitive: source in the JavaScript subset gpu.js translates to
 * GLSL (and to WebAssembly): float literals with a decimal point, no `NaN`/`Infinity` names, no
 * `Math.max` or `Math.log1p` (not every gpu.js mode has them). One entry per primitive.
 */
import type { Node } from '../../ad/node.js';
import type { PrimitiveName } from '../../ad/primitives/index.js';
import { jsLowering } from '../js/scalar-lowering.js';

export type GpuLowering = (args: readonly string[], node: Node) => string;

/**
 * A number as a gpu.js float literal (`2.0`, `1.5e-7`). GLSL has no literal for NaN or ±∞, and
 * a constant expression that gives one is folded by the shader translator (ANGLE, under
 * headless-gl and most browsers) to ±3.4e38 or 0 (`1.0 / 0.0` read back as 3.4e38, `0.0 / 0.0`
 * too, measured); a quotient by zero computed at run time (`this.thread.x * 0.0`, never folded
 * there) gives the IEEE value.
 */
export function gpuLiteral(value: number): string {
  if (Number.isNaN(value)) return '(0.0 / (this.thread.x * 0.0))';
  if (value === Infinity) return '(1.0 / (this.thread.x * 0.0))';
  if (value === -Infinity) return '(-1.0 / (this.thread.x * 0.0))';
  let text = String(Math.abs(value));
  if (!text.includes('.')) text = text.includes('e') ? text.replace('e', '.0e') : `${text}.0`;
  return value < 0 || Object.is(value, -0) ? `(-${text})` : text;
}

const INFINITY = gpuLiteral(Infinity);
const NAN = gpuLiteral(NaN);

/**
 * JavaScript's `Math.pow(a, b)` for any operands, from GLSL's pow, which is undefined for a
 * negative base and for a zero base with b ≤ 0 (Mesa gives 0 for 0^−0.5, so d(√x) at 0 was 0):
 * b = 0 gives 1 (a NaN base included); a zero base 0, ∞ or NaN by b's sign; a negative base with
 * an integer b the power of |a| signed by b's parity, with a fractional b NaN (±∞ for a = −∞, as
 * in JavaScript). `a` and `b` are names or literals, so repeating them costs nothing.
 */
function generalPower(a: string, b: string): string {
  const isInteger = `Math.floor(${b}) === ${b}`;
  const isEven = `Math.floor(${b} * 0.5) * 2.0 === ${b}`;
  const negativeBase = `(${isInteger} ? (${isEven} ? 1.0 : -1.0) * Math.pow(-${a}, ${b}) : (${a} < -3.4e38 ? (${b} > 0.0 ? ${INFINITY} : 0.0) : ${NAN}))`;
  const zeroBase = `(${b} > 0.0 ? 0.0 : (${b} < 0.0 ? ${INFINITY} : ${b}))`;
  return `(${b} === 0.0 ? 1.0 : (${a} === 0.0 ? ${zeroBase} : (${a} < 0.0 ? ${negativeBase} : Math.pow(${a}, ${b}))))`;
}

/**
 * `a^b`. A constant integer exponent 1 ≤ |n| ≤ 4 is a product (exact, and IEEE at 0, ∞ and NaN
 * like JavaScript); a larger constant integer one is computed from |a| with the sign restored
 * for odd n; anything else goes through `generalPower`.
 */
function power([a, b]: readonly string[], node: Node): string {
  const exponent = node.args[1]!;
  if (exponent.op !== 'const' || !Number.isInteger(exponent.value)) return generalPower(a!, b!);
  const n = exponent.value;
  if (Math.abs(n) >= 1 && Math.abs(n) <= 4) {
    const product = Array.from({ length: Math.abs(n) }, () => a).join(' * ');
    return n > 0 ? `(${product})` : `(1.0 / (${product}))`;
  }
  if (n === 0) return '1.0';
  const magnitude = `Math.pow(Math.abs(${a}), ${b})`;
  const signed = n % 2 === 0 ? magnitude : `(${a} < 0.0 ? -1.0 : 1.0) * ${magnitude}`;
  return `(${a} === 0.0 ? ${n > 0 ? '0.0' : INFINITY} : ${signed})`;
}

/**
 * gpu.js translates a subset of JavaScript, so most primitives lower exactly as in the js
 * backend; the entries here are those where GLSL differs (its pow, asin and acos, and literals
 * that must be floats).
 */
/**
 * Primitives the gpu backend lowers by their records' decompositions: the special functions (as
 * on every backend) and expm1, log1p and hypot, which GLSL lacks (gpu.js's own expm1 is the
 * inaccurate exp(x) − 1).
 */
export const GPU_DECOMPOSED = ['erf', 'erfc', 'lgamma', 'digamma', 'polygamma', 'hypot', 'expm1', 'log1p'] as const;
export type GpuDecomposed = (typeof GPU_DECOMPOSED)[number];

/** `(condition ? 1.0 : 0.0)`: a comparison as a float mask. */
const mask = (condition: string) => `(${condition} ? 1.0 : 0.0)`;

/** The operand that wins by `>` or `<`, a NaN operand winning (as Math.max and Math.min). */
const extremum = (a: string, b: string, wins: '>' | '<') => `((${a} !== ${a} || ${a} ${wins} ${b}) ? ${a} : ${b})`;

export const gpuLowering: Record<Exclude<PrimitiveName, GpuDecomposed>, GpuLowering> = {
  ...jsLowering,
  pow: power,
  // A constant base is a constant factor 1/ln(b): the translator folds `x / log(1.0)` to 0.
  log: ([a, b], node) => {
    const base = node.args[1]!;
    return base.op === 'const' ? `Math.log(${a}) * ${gpuLiteral(1 / Math.log(base.value))}` : `Math.log(${a}) / Math.log(${b})`;
  },
  // GLSL has no cube root and its pow is undefined for a negative base.
  cbrt: ([a]) => `((${a} > 0.0 ? 1.0 : (${a} < 0.0 ? -1.0 : 0.0)) * Math.pow(Math.abs(${a}), 1.0 / 3.0))`,
  // Mesa's GLSL asin and acos are off by up to 4e-4; through atan, by 3e-6 (measured over (−1, 1)
  // in headlessgl). |a| > 1 gives the square root of a negative: NaN, as in JavaScript.
  asin: ([a]) => `Math.atan(${a} / Math.sqrt(1.0 - ${a} * ${a}))`,
  acos: ([a]) => `(1.5707963267948966 - Math.atan(${a} / Math.sqrt(1.0 - ${a} * ${a})))`,
  // exp(−|a|) never overflows; both branches of the JS lowering in one expression.
  sigmoid: ([a]) => `(${a} >= 0.0 ? 1.0 / (1.0 + Math.exp(-${a})) : Math.exp(${a}) / (1.0 + Math.exp(${a})))`,
  softplus: ([a]) => `((${a} > 0.0 ? ${a} : 0.0) + Math.log(1.0 + Math.exp(-Math.abs(${a}))))`,
  // tanh(a) is ±1 in float32 for |a| > 9.01; GLSL's (or gpu.js's) tanh from exponentials is
  // ∞/∞ = NaN above about 45.
  tanh: ([a]) => `(Math.abs(${a}) < 9.0 ? Math.tanh(${a}) : (${a} > 0.0 ? 1.0 : (${a} < 0.0 ? -1.0 : ${a})))`,
  // A NaN operand gives NaN (IEEE, as the README promises): every comparison with it is false.
  // The shader compiler turns `a < 0 ? 0 : a` into max(a, 0), which drops a NaN, and `a <= 0`
  // after `a > 0` failed into true; `a * a` is 0 at 0 and NaN at NaN, and is not rewritten.
  relu: ([a]) => `(${a} > 0.0 ? ${a} : (${a} < 0.0 ? 0.0 : ${a} * ${a}))`,
  sign: ([a]) => `(${a} > 0.0 ? 1.0 : (${a} < 0.0 ? -1.0 : ${a}))`,
  heaviside: ([a]) => `(${a} > 0.0 ? 1.0 : (${a} < 0.0 ? 0.0 : ${a} * ${a}))`,
  equal: ([a, b]) => `(${a} === ${b} ? 1.0 : 0.0)`,
  gt: ([a, b]) => mask(`${a} > ${b}`),
  ge: ([a, b]) => mask(`${a} >= ${b}`),
  lt: ([a, b]) => mask(`${a} < ${b}`),
  le: ([a, b]) => mask(`${a} <= ${b}`),
  ne: ([a, b]) => mask(`${a} !== ${b}`),
  where: ([c, a, b]) => `(${c} !== 0.0 ? ${a} : ${b})`,
  // GLSL's max and min leave NaN undefined (and not every gpu.js mode has Math.max).
  maximum: ([a, b]) => extremum(a!, b!, '>'),
  minimum: ([a, b]) => extremum(a!, b!, '<'),
  clip: ([x, lo, hi]) => extremum(extremum(x!, lo!, '>'), hi!, '<'),
  floor: ([a]) => `Math.floor(${a})`,
  ceil: ([a]) => `Math.ceil(${a})`,
  // Math.round's halves towards +∞ (GLSL's round leaves halves to the implementation).
  round: ([a]) => `(Math.floor(${a}) + (${a} - Math.floor(${a}) >= 0.5 ? 1.0 : 0.0))`,
  stopGradient: ([a]) => `${a}`,
  // gpu.js's atan2 is GLSL's atan(y, x), with atan2(±0, ±0) = 0 (JavaScript: ±π for x = −0) and
  // NaN left undefined, so NaN is put back.
  atan2: ([y, x]) => `((${y} !== ${y} || ${x} !== ${x}) ? ${y} + ${x} : Math.atan2(${y}, ${x}))`,
};
