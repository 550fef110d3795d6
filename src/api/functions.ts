/**
 * The scalar operations as functions. Each accepts numbers and scalar Funs, and the result's
 * variables are the union of the operands'.
 */
import { applyScalar, type Scalar, type SFun } from './scalar.js';

/** The sine. @example sin(x) */
export function sin<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('sin', [x]) as SFun<V>;
}

/** The cosine. @example cos(x) */
export function cos<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('cos', [x]) as SFun<V>;
}

/** The tangent. @example tan(x) */
export function tan<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('tan', [x]) as SFun<V>;
}

/** The arcsine (domain [−1, 1]). @example asin(x) */
export function asin<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('asin', [x]) as SFun<V>;
}

/** The arccosine (domain [−1, 1]). @example acos(x) */
export function acos<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('acos', [x]) as SFun<V>;
}

/** The arctangent. @example atan(x) */
export function atan<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('atan', [x]) as SFun<V>;
}

/** The hyperbolic sine. @example sinh(x) */
export function sinh<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('sinh', [x]) as SFun<V>;
}

/** The hyperbolic cosine. @example cosh(x) */
export function cosh<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('cosh', [x]) as SFun<V>;
}

/** The hyperbolic tangent. @example tanh(x) */
export function tanh<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('tanh', [x]) as SFun<V>;
}

/** The exponential eˣ. @example exp(x) */
export function exp<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('exp', [x]) as SFun<V>;
}

/** The natural logarithm. @example ln(x) */
export function ln<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('ln', [x]) as SFun<V>;
}

/** The square root. @example sqrt(x) */
export function sqrt<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('sqrt', [x]) as SFun<V>;
}

/** The cube root. @example cbrt(x) */
export function cbrt<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('cbrt', [x]) as SFun<V>;
}

/** The absolute value; abs′(0) = 0 (sign(0)). @example abs(x) */
export function abs<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('abs', [x]) as SFun<V>;
}

/** The logistic sigmoid 1/(1 + e⁻ˣ), evaluated without overflow. @example sigmoid(x) */
export function sigmoid<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('sigmoid', [x]) as SFun<V>;
}

/** The rectifier max(x, 0); relu′(0) = 0. @example relu(x) */
export function relu<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('relu', [x]) as SFun<V>;
}

/** The softplus ln(1 + eˣ), evaluated without overflow; its derivative is sigmoid. @example softplus(x) */
export function softplus<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('softplus', [x]) as SFun<V>;
}

/** The sign: −1, 0 or 1; its derivative is 0. @example sign(x) */
export function sign<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('sign', [x]) as SFun<V>;
}

/** The Heaviside step: 1 for x > 0, else 0 (the derivative of relu); its derivative is 0. @example heaviside(x) */
export function heaviside<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('heaviside', [x]) as SFun<V>;
}

/** The sum a + b. @example add(x, 1) */
export function add<V extends string = never, W extends string = never>(a: Scalar<V>, b: Scalar<W>): SFun<NoInfer<V | W>> {
  return applyScalar('add', [a, b]) as SFun<V | W>;
}

/** The difference a − b. @example sub(x, y) */
export function sub<V extends string = never, W extends string = never>(a: Scalar<V>, b: Scalar<W>): SFun<NoInfer<V | W>> {
  return applyScalar('sub', [a, b]) as SFun<V | W>;
}

/** The product a · b. @example mul(2, x) */
export function mul<V extends string = never, W extends string = never>(a: Scalar<V>, b: Scalar<W>): SFun<NoInfer<V | W>> {
  return applyScalar('mul', [a, b]) as SFun<V | W>;
}

/** The quotient a / b. @example div(1, x) */
export function div<V extends string = never, W extends string = never>(a: Scalar<V>, b: Scalar<W>): SFun<NoInfer<V | W>> {
  return applyScalar('div', [a, b]) as SFun<V | W>;
}

/** The power aᵇ, with a constant or symbolic exponent. @example pow(x, 3) */
export function pow<V extends string = never, W extends string = never>(a: Scalar<V>, b: Scalar<W>): SFun<NoInfer<V | W>> {
  return applyScalar('pow', [a, b]) as SFun<V | W>;
}

/** Negation −x. @example neg(x) */
export function neg<V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>> {
  return applyScalar('neg', [x]) as SFun<V>;
}

/** The logarithm of x to the given base, ln x / ln base (both may vary). @example log(x, 2) */
export function log<V extends string = never, W extends string = never>(x: Scalar<V>, base: Scalar<W>): SFun<NoInfer<V | W>> {
  return applyScalar('log', [x, base]) as SFun<V | W>;
}
