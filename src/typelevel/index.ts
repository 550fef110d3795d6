/**
 * Type-level utilities: compile-time arithmetic and comparisons on dimension literals.
 * Types only; nothing here exists at run time.
 */
export type { Add, Sub, Mul, Div } from './arithmetic.js';
export type { Eq, Compare, Lt, Lte, Gt, Gte, Max, Min } from './comparison.js';
export type { IsLiteral, IsNatural } from './literal.js';
