/**
 * The operations as functions. Each accepts numbers and Funs of any rank: on scalars it is the
 * scalar function; on tensors it applies elementwise and keeps the shape (`sin(v)`, `relu(M)`,
 * `exp(T)`), and two operands broadcast by the numpy rule (aligned at the last axis, size-1 and
 * missing leading axes repeat: a scalar to every element, a row vector to every row of a
 * matrix). The result's variables are the union of the operands', its class that of its rank.
 */
import type { MatrixOperand, MFun } from './matrix.js';
import type { Scalar, SFun } from './scalar.js';
import type { BroadcastCheck, BroadcastShape, RowFirstMismatch, SameDimension, VectorMismatch } from './shape-types.js';
import type { FunOf, OperandVars, Operand, ShapeOf, TFun } from './tensor.js';
import { elementwise, type ElementwiseOperation } from './tensor-operations.js';
import type { VFun } from './vector.js';
import { applyFuns, type AnyFun } from './wrap.js';

/** A function of one number, applied elementwise to tensors of any rank. */
export interface UnaryFunction {
  <V extends string = never>(x: Scalar<V>): SFun<NoInfer<V>>;
  <N extends number, V extends string>(x: VFun<N, V>): VFun<N, NoInfer<V>>;
  <R extends number, C extends number, V extends string>(x: MFun<R, C, V>): MFun<R, C, NoInfer<V>>;
  <S extends readonly number[], V extends string>(x: TFun<S, V>): TFun<S, NoInfer<V>>;
  /** A Fun whose rank is known only at run time (`UnknownRankFun`): the same class comes back. */
  <T extends AnyFun>(x: T): T;
}

/**
 * A function of two numbers, applied elementwise with numpy broadcasting; `Op` is the verb its
 * shape errors use (`add(Vec(1, 2), Vec(1, 2, 3))`: "shape mismatch: cannot add vector[2] and
 * vector[3]"). As in the methods, the second operand's dimensions are inferred on their own and
 * checked against the first's, so a dimension known only at run time (`number`) mixes with a literal.
 * The overloads for scalars, vectors and matrices come first and give their exact classes
 * cheaply; the last takes any rank (`FunOf` of the broadcast shape), and since TypeScript reports
 * the last overload's error when none matches, its check is the one that names the shapes.
 */
export interface BinaryFunction<Op extends string = 'combine'> {
  <V extends string = never, W extends string = never>(a: Scalar<V>, b: Scalar<W>): SFun<NoInfer<V | W>>;
  <N extends number, V extends string, M extends number = N, W extends string = never>(
    a: VFun<N, V>,
    b: Scalar<W> | (VFun<M, W> & SameDimension<N, M, VectorMismatch<Op, N, M>>),
  ): VFun<N, NoInfer<V | W>>;
  <N extends number, W extends string, V extends string = never>(a: Scalar<V>, b: VFun<N, W>): VFun<N, NoInfer<V | W>>;
  <R extends number, C extends number, V extends string, R2 extends number = R, C2 extends number = C, M extends number = C, W extends string = never>(
    a: MFun<R, C, V>,
    b: MatrixOperand<Op, R, C, R2, C2, M, W>,
  ): MFun<R, C, NoInfer<V | W>>;
  <R extends number, C extends number, W extends string, M extends number = C, V extends string = never>(
    a: Scalar<V> | (VFun<M, V> & SameDimension<C, M, RowFirstMismatch<Op, M, R, C>>),
    b: MFun<R, C, W>,
  ): MFun<R, C, NoInfer<V | W>>;
  /** Any ranks: numpy broadcasting, the result of the broadcast shape's class. */
  <A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<Op, ShapeOf<A>, ShapeOf<B>>): FunOf<BroadcastShape<ShapeOf<A>, ShapeOf<B>>, OperandVars<A> | OperandVars<B>>;
}

/**
 * A function of three numbers, applied elementwise with numpy broadcasting of all three
 * (`where(cond, a, b)`, `clip(x, lo, hi)`): scalars give a scalar; otherwise the result has the
 * broadcast shape, and a pair that does not broadcast is a compile error naming both shapes.
 */
export interface TernaryFunction<Op extends string = 'combine'> {
  <V extends string = never, W extends string = never, U extends string = never>(a: Scalar<V>, b: Scalar<W>, c: Scalar<U>): SFun<NoInfer<V | W | U>>;
  <A extends Operand, B extends Operand, C extends Operand>(
    a: A,
    b: B & BroadcastCheck<Op, ShapeOf<A>, ShapeOf<B>>,
    c: C & BroadcastCheck<Op, BroadcastShape<ShapeOf<A>, ShapeOf<B>>, ShapeOf<C>>,
  ): FunOf<BroadcastShape<BroadcastShape<ShapeOf<A>, ShapeOf<B>>, ShapeOf<C>>, OperandVars<A> | OperandVars<B> | OperandVars<C>>;
}

const unary = (op: string) => ((x: unknown) => applyFuns(op, [x])) as UnaryFunction;
// `Op` is only the verb of the shape errors, given as a type argument: `binary<'subtract'>('sub')`.
const binary = <Op extends string>(op: ElementwiseOperation) => ((a: unknown, b: unknown) => elementwise(op, a, b)) as BinaryFunction<Op>;
const ternary = <Op extends string>(op: string) => ((a: unknown, b: unknown, c: unknown) => applyFuns(op, [a, b, c])) as TernaryFunction<Op>;

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
export const add = binary<'add'>('add');
/** The difference a − b. @example sub(x, y) */
export const sub = binary<'subtract'>('sub');
/** The product a · b. @example mul(2, x) */
export const mul = binary<'multiply'>('mul');
/** The quotient a / b. @example div(1, x) */
export const div = binary<'divide'>('div');
/** The power aᵇ, with a constant or symbolic exponent. @example pow(x, 3) */
export const pow = binary<'take powers of'>('pow');
/** Negation −x. @example neg(x) */
export const neg = unary('neg');
/** The logarithm of x to the given base, ln x / ln base (both may vary). @example log(x, 2) */
export const log = binary<'take the logarithm of'>('log');
/** 1 where a equals b, else 0 (a mask; NaN equals nothing); its derivative is 0. @example equal(x, 0) */
export const equal = binary<'compare'>('equal');

/** 1 where a > b, else 0 (a mask; NaN compares false); its derivative is 0. @example where(gt(x, 0), x, neg(x)) */
export const gt = binary<'compare'>('gt');
/** 1 where a ≥ b, else 0 (a mask); its derivative is 0. @example ge(x, 0) */
export const ge = binary<'compare'>('ge');
/** 1 where a < b, else 0 (a mask); its derivative is 0. @example lt(x, y) */
export const lt = binary<'compare'>('lt');
/** 1 where a ≤ b, else 0 (a mask); its derivative is 0. @example le(x, 1) */
export const le = binary<'compare'>('le');
/** 1 where a ≠ b (NaN is unequal to everything), else 0; its derivative is 0. @example ne(x, 0) */
export const ne = binary<'compare'>('ne');
/**
 * `a` where `cond` is nonzero, else `b`, elementwise with numpy broadcasting of the three; the
 * derivative is the chosen branch's. How a function branches on its values symbolically.
 * @example where(gt(x, 0), x, neg(x)) // |x|, with derivative sign(x) off 0
 */
export const where = ternary<'select between'>('where');
/** The elementwise maximum (NaN if either is NaN); at a tie each operand gets half the derivative (JAX). @example maximum(x, 0) */
export const maximum = binary<'take the maximum of'>('maximum');
/** The elementwise minimum (NaN if either is NaN); at a tie each operand gets half the derivative (JAX). @example minimum(x, 1) */
export const minimum = binary<'take the minimum of'>('minimum');
/**
 * min(max(x, lo), hi), elementwise; its derivative by x is 1 where lo ≤ x ≤ hi, the bounds
 * included (TensorFlow's clip_by_value), else 0. @example clip(g, -1, 1)
 */
export const clip = ternary<'clip'>('clip');
/** The largest integer ≤ x; its derivative is 0. @example floor(x) */
export const floor = unary('floor');
/** The smallest integer ≥ x; its derivative is 0. @example ceil(x) */
export const ceil = unary('ceil');
/** The nearest integer, halves towards +∞ (Math.round, not numpy's halves to even); its derivative is 0. @example round(x) */
export const round = unary('round');
/** The value of x with derivative 0 (JAX's stop_gradient): x is a constant to differentiation. @example x.mul(stopGradient(x)) */
export const stopGradient = unary('stopGradient');
/** eˣ − 1, accurate near 0. @example expm1(x) */
export const expm1 = unary('expm1');
/** ln(1 + x), accurate near 0. @example log1p(x) */
export const log1p = unary('log1p');
/** √(a² + b²) without overflow; its derivative is taken as 0 at the origin. @example hypot(x, y) */
export const hypot = binary<'take hypot of'>('hypot');
/** The angle of the point (x, y) in (−π, π]: atan2(y, x), as Math.atan2. @example atan2(y, x) */
export const atan2 = binary<'take atan2 of'>('atan2');
/** The error function. @example erf(x) */
export const erf = unary('erf');
/** The complementary error function 1 − erf(x), accurate in the tail. @example erfc(x) */
export const erfc = unary('erfc');
/** ln|Γ(x)|, the log-gamma function; its derivative is digamma. @example lgamma(x) */
export const lgamma = unary('lgamma');
/** ψ(x) = Γ′(x)/Γ(x), the digamma function. @example digamma(x) */
export const digamma = unary('digamma');
/** ψ⁽ⁿ⁾(x), the n-th derivative of digamma, for an integer order n ≥ 0 (a number on backends other than js). @example polygamma(1, x) */
export const polygamma = binary<'take polygamma of'>('polygamma');
