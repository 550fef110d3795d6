/**
 * The operations as functions. Each accepts numbers and Funs: on scalars it is the scalar
 * function; on vectors and matrices it applies elementwise and keeps the shape (`sin(v)`,
 * `relu(M)`), with a scalar operand broadcast to every element and a row vector to every row
 * of a matrix. The result's variables are the union of the operands'.
 */
import type { MFun } from './matrix.js';
import type { Scalar, SFun } from './scalar.js';
import type { VFun } from './vector.js';
import { applyFuns } from './wrap.js';

/** A function of one number, applied elementwise to vectors and matrices. */
export interface UnaryFunction {
  <V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>>;
  <N extends number, V extends string>(x: VFun<N, V>): VFun<N, NoInfer<V>>;
  <R extends number, C extends number, V extends string>(x: MFun<R, C, V>): MFun<R, C, NoInfer<V>>;
}

/**
 * A function of two numbers, applied elementwise with broadcasting. `NoInfer` keeps the first
 * operand's shape: `add(Vec(1, 2), Vec(1, 2, 3))` does not type-check.
 */
export interface BinaryFunction {
  <V extends string = never, W extends string = never>(a: Scalar<V>, b: Scalar<W>): SFun<NoInfer<V | W>>;
  <N extends number, V extends string, W extends string = never>(a: VFun<N, V>, b: Scalar<W> | VFun<NoInfer<N>, W>): VFun<N, NoInfer<V | W>>;
  <N extends number, W extends string, V extends string = never>(a: Scalar<V>, b: VFun<N, W>): VFun<N, NoInfer<V | W>>;
  <R extends number, C extends number, V extends string, W extends string = never>(
    a: MFun<R, C, V>,
    b: Scalar<W> | MFun<NoInfer<R>, NoInfer<C>, W> | VFun<NoInfer<C>, W>,
  ): MFun<R, C, NoInfer<V | W>>;
  <R extends number, C extends number, W extends string, V extends string = never>(a: Scalar<V> | VFun<NoInfer<C>, V>, b: MFun<R, C, W>): MFun<R, C, NoInfer<V | W>>;
}

const unary = (op: string) => ((x: unknown) => applyFuns(op, [x])) as UnaryFunction;
const binary = (op: string) => ((a: unknown, b: unknown) => applyFuns(op, [a, b])) as BinaryFunction;

/** The sine. @example sin(x) */
export const sin = unary('sin');
/** The cosine. @example cos(x) */
export const cos = unary('cos');
/** The tangent. @example tan(x) */
export const tan = unary('tan');
/** The arcsine (domain [−1, 1]). @example asin(x) */
export const asin = unary('asin');
/** The arccosine (domain [−1, 1]). @example acos(x) */
export const acos = unary('acos');
/** The arctangent. @example atan(x) */
export const atan = unary('atan');
/** The hyperbolic sine. @example sinh(x) */
export const sinh = unary('sinh');
/** The hyperbolic cosine. @example cosh(x) */
export const cosh = unary('cosh');
/** The hyperbolic tangent. @example tanh(x) */
export const tanh = unary('tanh');
/** The exponential eˣ. @example exp(x) */
export const exp = unary('exp');
/** The natural logarithm. @example ln(x) */
export const ln = unary('ln');
/** The square root. @example sqrt(x) */
export const sqrt = unary('sqrt');
/** The cube root. @example cbrt(x) */
export const cbrt = unary('cbrt');
/** The absolute value; abs′(0) = 0 (sign(0)). @example abs(x) */
export const abs = unary('abs');
/** The logistic sigmoid 1/(1 + e⁻ˣ), evaluated without overflow. @example sigmoid(x) */
export const sigmoid = unary('sigmoid');
/** The rectifier max(x, 0); relu′(0) = 0. @example relu(x) */
export const relu = unary('relu');
/** The softplus ln(1 + eˣ), evaluated without overflow; its derivative is sigmoid. @example softplus(x) */
export const softplus = unary('softplus');
/** The sign: −1, 0 or 1; its derivative is 0. @example sign(x) */
export const sign = unary('sign');
/** The Heaviside step: 1 for x > 0, else 0 (the derivative of relu); its derivative is 0. @example heaviside(x) */
export const heaviside = unary('heaviside');
/** The sum a + b. @example add(x, 1) */
export const add = binary('add');
/** The difference a − b. @example sub(x, y) */
export const sub = binary('sub');
/** The product a · b. @example mul(2, x) */
export const mul = binary('mul');
/** The quotient a / b. @example div(1, x) */
export const div = binary('div');
/** The power aᵇ, with a constant or symbolic exponent. @example pow(x, 3) */
export const pow = binary('pow');
/** Negation −x. @example neg(x) */
export const neg = unary('neg');
/** The logarithm of x to the given base, ln x / ln base (both may vary). @example log(x, 2) */
export const log = binary('log');
