/**
 * The gpu.js lowering of each primitive: source in the JavaScript subset gpu.js translates to
 * GLSL (and to WebAssembly): float literals with a decimal point, no `NaN`/`Infinity` names, no
 * `Math.max` or `Math.log1p` (not every gpu.js mode has them). One entry per primitive.
 */
import type { Node } from '../../ad/node.js';
import type { PrimitiveName } from '../../ad/primitives/index.js';
import { jsLowering } from '../js/scalar-lowering.js';

export type GpuLowering = (args: readonly string[], node: Node) => string;

/** A number as a gpu.js float literal (`2.0`, `1.5e-7`; NaN and infinities as quotients). */
export function gpuLiteral(value: number): string {
  if (Number.isNaN(value)) return '(0.0 / 0.0)';
  if (value === Infinity) return '(1.0 / 0.0)';
  if (value === -Infinity) return '(-1.0 / 0.0)';
  let text = String(Math.abs(value));
  if (!text.includes('.')) text = text.includes('e') ? text.replace('e', '.0e') : `${text}.0`;
  return value < 0 || Object.is(value, -0) ? `(-${text})` : text;
}

/**
 * `a^n`. GLSL's pow is undefined for a negative base, so a constant integer exponent is
 * computed from |a|, with the sign restored for odd n; 1 ≤ |n| ≤ 4 as products. A non-integer
 * or symbolic exponent of a negative base is NaN, as in JavaScript, where GLSL leaves it undefined.
 */
function power([a, b]: readonly string[], node: Node): string {
  const exponent = node.args[1]!;
  if (exponent.op !== 'const' || !Number.isInteger(exponent.value)) return `Math.pow(${a}, ${b})`;
  const n = exponent.value;
  if (Math.abs(n) >= 1 && Math.abs(n) <= 4) {
    const product = Array.from({ length: Math.abs(n) }, () => a).join(' * ');
    return n > 0 ? `(${product})` : `(1.0 / (${product}))`;
  }
  const magnitude = `Math.pow(Math.abs(${a}), ${b})`;
  return n % 2 === 0 ? magnitude : `((${a} < 0.0 ? -1.0 : 1.0) * ${magnitude})`;
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
  // GLSL has no cube root and its pow is undefined for a negative base.
  cbrt: ([a]) => `((${a} > 0.0 ? 1.0 : (${a} < 0.0 ? -1.0 : 0.0)) * Math.pow(Math.abs(${a}), 1.0 / 3.0))`,
  // Mesa's GLSL asin and acos are off by up to 4e-4; through atan, by 3e-6 (measured over (−1, 1)
  // in headlessgl). |a| > 1 gives the square root of a negative: NaN, as in JavaScript.
  asin: ([a]) => `Math.atan(${a} / Math.sqrt(1.0 - ${a} * ${a}))`,
  acos: ([a]) => `(1.5707963267948966 - Math.atan(${a} / Math.sqrt(1.0 - ${a} * ${a})))`,
  // exp(−|a|) never overflows; both branches of the JS lowering in one expression.
  sigmoid: ([a]) => `(${a} >= 0.0 ? 1.0 / (1.0 + Math.exp(-${a})) : Math.exp(${a}) / (1.0 + Math.exp(${a})))`,
  softplus: ([a]) => `((${a} > 0.0 ? ${a} : 0.0) + Math.log(1.0 + Math.exp(-Math.abs(${a}))))`,
  relu: ([a]) => `(${a} > 0.0 ? ${a} : 0.0)`,
  sign: ([a]) => `(${a} > 0.0 ? 1.0 : (${a} < 0.0 ? -1.0 : 0.0))`,
  heaviside: ([a]) => `(${a} > 0.0 ? 1.0 : 0.0)`,
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
