/**
 * typegrad: type-safe symbolic differentiation for TypeScript.
 * The public API is exactly what this module exports.
 */
export { TypegradError } from './ad/errors.js';
export { SFun, Var, Const } from './api/scalar.js';
export type { Scalar, VarsOf, Bindings, EvalArgs, Substitution, OnlyKeysOf, SubstitutedVars } from './api/scalar.js';
export {
  sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, exp, ln, log, sqrt, cbrt, abs, sigmoid, relu, softplus, sign, heaviside,
  add, sub, mul, div, pow, neg,
} from './api/functions.js';
export { d, grad } from './api/calculus.js';
export type { Gradient } from './api/calculus.js';
export { compile, toSource } from './api/compile.js';
export type { CompileOptions } from './api/compile.js';
export { size, toLatex } from './api/inspect.js';

// Algebra (issue 7): rewriting with rules, simplify/expand/factor, solving, Newton's method, optimize.
export {
  PatternVar, Segment, rule, rewrite, isConstant, isInteger, freeOf, simplificationRules, simplify, expand, factor,
  Equation, eq, solve, solveLinear, newton, Optimized, optimize,
} from './api/algebra.js';
export type {
  Rule, RewriteOptions, PatternNames, PatternBindings, Template, EquationLike, NewtonStep, NewtonOptions, NewtonResult,
} from './api/algebra.js';
