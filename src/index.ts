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
export { compile, compileAsync, toSource, initBackend, backendInfo } from './api/compile.js';
export type { CompileOptions, Compiled, Funs, FunsVars, Values, SourceOptions, BackendInfo, BackendName, Column } from './api/compile.js';
export { size, toLatex } from './api/inspect.js';
export { flatten, unflatten, mapTree, registerPytreeNode } from './api/pytree.js';
export type { PytreeRule, TreeDef } from './api/pytree.js';
