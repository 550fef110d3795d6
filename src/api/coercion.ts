/**
 * What a Fun is when JavaScript converts it to a primitive (`Symbol.toPrimitive`): the one place
 * where data-dependent control flow (`x > 0 ? x : -x`, `Number(x)`, `x + ''`) meets a symbolic
 * value, so that it is never silently wrong.
 *
 * - To a string (`String(f)`, `${f}`): the printed expression, as `f.toString()`. JavaScript
 *   cannot tell `String(f)` from a template literal (both ask for a string), and printing decides
 *   nothing about values, so both print.
 * - To a number (`<`, `>`, `Number(f)`, `+f`, arithmetic) or by default (`==`, `+` with a string):
 *   inside a call of a traced function at a concrete point (`grad(f)(1)`, see `atPoint`), the
 *   Fun's value there, so the branch taken is the point's and the trace is specialised to it;
 *   anywhere else (building an expression, `trace`, `toSource`, `jit` without a point) a
 *   `ConcretizationError` naming the variables and pointing to `where`.
 * - `if (f)` and `!f` ask for a boolean, which JavaScript gives for every object without asking
 *   it (always true): that cannot be detected, so compare explicitly (`if (Number(f) > 0)`).
 */
import { TypegradError } from '../ad/errors.js';
import { evaluateIncrementally } from '../ad/evaluate.js';
import type { Node } from '../ad/node.js';
import { toInfix } from '../ad/print.js';
import { describeShape } from '../ad/shape.js';
import { freeVariables } from '../ad/variables.js';
import { Fun } from './fun.js';

/**
 * A Fun used where JavaScript needs its value (a comparison, a conversion to a number) without
 * a point to take the value at: the control flow of a traced function cannot follow a symbolic
 * value. Its message names the variables and points to `where`.
 */
export class ConcretizationError extends TypegradError {}

/** A point at which a traced function is being run: its inputs' values, the values computed, and the decisions taken. */
export interface ConcretePoint {
  /** Input values by variable name, flat row-major. */
  readonly environment: ReadonlyMap<string, Float64Array>;
  /** Values of the nodes evaluated so far at this point. */
  readonly known: Map<Node, Float64Array>;
  /** Each value JavaScript asked for: the node and its value (the branches taken depend on these). */
  readonly decisions: { readonly node: Node; readonly value: number }[];
}

/**
 * The points of the traced calls under way, innermost last. Scoped state, like the settings of
 * `withContext`: only `atPoint` pushes and pops it (in a `finally`).
 */
const points: ConcretePoint[] = [];

/** Runs `body` with Funs coercing to their values at the point `environment`; returns its result and the decisions taken. */
export function atPoint<T>(environment: ReadonlyMap<string, Float64Array>, body: () => T): { result: T; decisions: ConcretePoint['decisions'] } {
  const point: ConcretePoint = { environment, known: new Map(), decisions: [] };
  points.push(point);
  try {
    return { result: body(), decisions: point.decisions };
  } finally {
    points.pop();
  }
}

/** The expression as an error message quotes it: the infix, shortened. */
function quoted(node: Node): string {
  const text = toInfix(node);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function variablesOf(node: Node): string {
  const names = [...freeVariables([node]).keys()].filter((n) => !n.startsWith('\u0000')).sort();
  return names.length === 0 ? 'no variables' : names.length === 1 ? `the variable '${names[0]}'` : `the variables ${names.map((n) => `'${n}'`).join(', ')}`;
}

/**
 * `Symbol.toPrimitive` of every Fun (SFun, VFun, MFun and TFun call it): the printed expression
 * for a string; for a number, the value at the current point, or a ConcretizationError.
 */
export function toPrimitive(f: Fun<string>, hint: string): string | number {
  if (hint === 'string') return f.toString();
  const point = points[points.length - 1];
  if (point === undefined) {
    throw new ConcretizationError(
      `the value of ${quoted(f.node)} (of ${variablesOf(f.node)}) is not known here: JavaScript's comparisons, arithmetic operators, Number() and + with a string need a number, and a Fun is symbolic. ` +
        `Select by value with where (where(gt(x, 0), x, neg(x))), or call the traced function at a point (grad(f)(1)), where comparisons use that point's values`,
    );
  }
  if (f.node.shape.length !== 0) {
    throw new TypegradError(`${quoted(f.node)} is a ${describeShape(f.node.shape)}, which has no single number to compare or convert: reduce it first (sum, max), or select elementwise with where`);
  }
  for (const name of freeVariables([f.node]).keys()) {
    if (!point.environment.has(name)) {
      throw new ConcretizationError(`the value of ${quoted(f.node)} is not known at this point: it depends on the variable '${name}', which is not an input of the traced function`);
    }
  }
  const value = evaluateIncrementally(f.node, point.environment, point.known)[0]!;
  point.decisions.push({ node: f.node, value });
  return value;
}
