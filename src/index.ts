/**
 * typegrad, the core entry: type-safe symbolic differentiation for TypeScript. Funs of every
 * rank, calculus, compilation and backends, transformations, algebra and arbitrary precision.
 * It runs anywhere JavaScript does: nothing it reaches imports a Node built-in (a test bundles it
 * for the browser). Training is `typegrad/nn`, pictures `typegrad/viz`, Node conveniences
 * `typegrad/node`. The public API is exactly what the four entry modules export.
 */
export { TypegradError } from './ad/errors.js';
export { SFun, Var, Const } from './api/scalar.js';
export type { Scalar, VarsOf, Bindings, EvalArgs, Substitution, OnlyKeysOf, SubstitutedVars } from './api/scalar.js';
export { VFun, Vec, VVar } from './api/vector.js';
export { MFun, Mat, MVar } from './api/matrix.js';
export type { TensorValue, Value } from './api/values.js';
export {
  sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, exp, ln, log, sqrt, cbrt, abs, sigmoid, relu, softplus, sign, heaviside,
  add, sub, mul, div, pow, neg, equal,
  gt, ge, lt, le, ne, where, maximum, minimum, clip, floor, ceil, round, stopGradient, expm1, log1p, hypot, atan2, erf, erfc, lgamma,
  digamma, polygamma,
} from './api/functions.js';
export type { UnaryFunction, BinaryFunction, TernaryFunction } from './api/functions.js';
export { dot, matmul, outer, transpose, sum, mean, norm, softmax, logsumexp, concat } from './api/tensor-functions.js';
export { max, min, logSoftmax, reshape, slice, pad, stack, broadcastTo, gather, oneHot, einsum } from './api/tensor-functions.js';
export { conv2d, maxPool2d, avgPool2d } from './api/window-functions.js';
export type { FloorDiv, CeilDiv, Conv2dShape, Pool2dShape } from './typelevel/index.js';
export type { Conv2dOptions, Pool2dOptions, Padding, Pair, Conv2dCheck, Conv2dResult, Pool2dCheck, Pool2dResult, ShapeResult, FlattenedShape } from './api/window-types.js';
export { TFun, TVar, Tensor } from './api/tensor.js';
export type { FunOf, ShapeOf, OperandVars, UnknownRankFun, AnyRankMembers, Operand, Axes, IndexOperand, IndexShape, NestedShape, RaggedCheck } from './api/tensor.js';
export type { ReduceOptions } from './api/tensor-operations.js';
// Type-level arithmetic on dimension literals, for shape functions of your own (`half<N>`:
// `VFun<Div<N, 2>>`). Types only.
export type { Add, Sub, Mul, Div, Eq, Compare, Lt, Lte, Gt, Gte, Max, Min, IsLiteral, IsNatural } from './typelevel/index.js';
export type {
  DescribeShape, BroadcastCheck, BroadcastShape, MatmulCheck, ProductShape, AxesCheck, AxisCheck, ReductionShape, PermutationCheck, PermutedShape,
  ShapeLiteralCheck, ReshapeToCheck, ReshapedShape, SliceRangeCheck, PaddingCheck, JoinCheck, JoinListCheck, JoinedShape, StackCheck, StackedShape,
  BroadcastToCheck, GatheredShape, DepthCheck, EinsumCheck,
} from './api/shape-types.js';
export { d, grad } from './api/calculus.js';
export type { Gradient, ShapedLike, AnyVariable, VariableTree, GradientTree } from './api/calculus.js';
export { laplacian, divergence, curl } from './api/vector-calculus.js';
export { compile, compileAsync, toSource, initBackend, backendInfo } from './api/compile.js';
export type { CompileOptions, Compiled, Funs, FunsVars, FunVars, Values, PointValue, PointValues, ArgValue, AnyRankFun, SourceOptions, BackendInfo, BackendName, Column } from './api/compile.js';
export type { EngineOptions, Float32Engine } from './api/compile.js';
export { size, toLatex } from './api/inspect.js';
export { flatten, unflatten, mapTree, registerPytreeNode } from './api/pytree.js';
export type { PytreeRule, TreeDef } from './api/pytree.js';

// Algebra (issue 7): rewriting with rules, simplify/expand/factor, solving, Newton's method, optimize.
export {
  PatternVar, Segment, rule, rewrite, isConstant, isInteger, freeOf, simplificationRules, simplify, expand, factor,
  Equation, eq, solve, solveLinear, newton, Optimized, optimize,
  cancel, together, Solutions, Family, pi,
} from './api/algebra.js';
export type {
  Rule, RewriteOptions, PatternNames, PatternBindings, Template, EquationLike, NewtonStep, NewtonOptions, NewtonResult,
} from './api/algebra.js';

// Transformations (issue 7): trace a function once on symbols, then grad, valueAndGrad,
// jacobian, hessian and jit it, composably; scoped settings with withContext. `jacobian` and
// `hessian` here accept expressions too (they are the expression API's for Funs).
export { trace } from './api/transform/trace.js';
export { isTraced } from './api/transform/traced.js';
export type { TraceOptions, ShapeTree } from './api/transform/trace.js';
export { valueAndGrad, jacobian, hessian } from './api/transform/transforms.js';
export { jvp, vjp, linearize } from './api/transform/linearization.js';
export { vmap } from './api/transform/vmap.js';
export type { VmapOptions, BatchedFun, UntypedTraced } from './api/transform/vmap.js';
export { jit } from './api/transform/jit.js';
export type { JitOptions } from './api/transform/jit.js';
export { withContext, currentContext } from './api/transform/context.js';
export { customJvp, customVjp } from './api/transform/custom.js';
export type { CustomOptions, CustomArguments } from './api/transform/custom.js';
export type { ContextSettings, Context } from './api/transform/context.js';
export type {
  Traced, ArgumentOf, ArgumentsOf, ColumnsOf, ValueOf, ColumnOf, DynamicParameters, Wrt, TransformOptions, ShapeOfSymbol, DerivativeBy,
  GradientOf, ReplaceLeaves, GradOptions, AuxOptions, HoldsFun,
} from './api/transform/types.js';

// ONNX: export any program (training steps and models: typegrad/nn), and run programs in ONNX Runtime
// (compile with backend 'onnx').
export { exportOnnx } from './api/onnx/export.js';
export type { OnnxExportOptions } from './api/onnx/export.js';
export type { AsyncCompiled, CompiledFor } from './api/compile.js';
export type { CompiledCall, CompiledProgram } from './api/compile.js';
export type { Precision } from './backend/onnx/graph.js';

// Arbitrary precision: decimals of any number of digits (decimal.js, an optional peer) and
// exact rationals, for every primitive.
export { initDecimal, evalDecimal, compileDecimal, evalExact, compileExact } from './api/precision.js';
export type {
  DecimalEvalOptions, DecimalOptions, ExactOptions, DecimalPrecision, ExactPrecision, Fraction, FractionInput, PreciseInput, PreciseScalarInput, PreciseTensorInput, PreciseNumber, PreciseTensor,
  PreciseBindings, PreciseResultOf, PreciseResults, DecimalResults, ExactResults, PreciseCompiled,
} from './api/precision.js';
