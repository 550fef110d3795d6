/**
 * Type-level utilities: compile-time arithmetic and comparisons on dimension literals, and the
 * shape rules of tensor operations on tuples of them. Types only; nothing here exists at run time.
 */
export type { Add, Sub, Mul, Div } from './arithmetic.js';
export type { Eq, Compare, Lt, Lte, Gt, Gte, Max, Min } from './comparison.js';
export type { IsLiteral, IsNatural } from './literal.js';
export type {
  Shape, ShapeFault, KnownRank, Mutable, ElementCount, BroadcastDimension, Broadcast, NormalizeAxis, NormalizeAxes, AxesUpTo, ReducedShape,
  WithDimension, TakeAxes, DropAxes, InsertAxis, Permute, NormalizePermutation, ReshapeTarget, SumAlong, JoinFault, MatmulShape,
} from './shape.js';
export type { EinsumShape, EinsumLetter } from './einsum.js';
export type { FloorDiv, CeilDiv, WindowExtent, WindowPositions, AxisPadding, PaddedSize, PaddingOfAxes, PairOf, WindowOutput, Conv2dShape, Pool2dShape } from './window.js';
