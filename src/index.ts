/**
 * typegrad: type-safe symbolic differentiation for TypeScript.
 * The public API is exactly what this module exports.
 */
export { TypegradError } from './ad/errors.js';
export { SFun, Var, Const } from './api/scalar.js';
export type { Scalar, VarsOf, Bindings, EvalArgs, Substitution, OnlyKeysOf, SubstitutedVars } from './api/scalar.js';
export { VFun, Vec, VVar } from './api/vector.js';
export { MFun, Mat, MVar } from './api/matrix.js';
export type { TensorValue, Value } from './api/values.js';
export {
  sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, exp, ln, log, sqrt, cbrt, abs, sigmoid, relu, softplus, sign, heaviside,
  add, sub, mul, div, pow, neg,
} from './api/functions.js';
export type { UnaryFunction, BinaryFunction } from './api/functions.js';
export { dot, matmul, outer, transpose, sum, mean, norm, softmax, logsumexp, concat } from './api/tensor-functions.js';
export { d, grad } from './api/calculus.js';
export type { Gradient, ShapedLike, AnyVariable } from './api/calculus.js';
export { jacobian, hessian, laplacian, divergence, curl } from './api/vector-calculus.js';
export { compile, toSource } from './api/compile.js';
export type { CompileOptions } from './api/compile.js';
export { size, toLatex } from './api/inspect.js';
