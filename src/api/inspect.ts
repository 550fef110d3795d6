/** Inspecting expressions: size and LaTeX. */
import { TypegradError } from '../ad/errors.js';
import { toLatexString } from '../ad/print.js';
import { countNodes } from '../ad/traverse.js';
import { describeValue } from './record.js';
import { Fun } from './fun.js';

function nodesOf(f: unknown, operation: string) {
  if (f instanceof Fun) return f.node;
  throw new TypegradError(`${operation}: expected a Fun, got ${describeValue(f)}`);
}

/**
 * The number of distinct DAG nodes (operations, variables and constants) of one Fun (of any rank) or of
 * several together, shared nodes counted once.
 * @example size([x.mul(y), y.mul(x)]) === size(x.mul(y)) // true: one node
 */
export function size(f: Fun<string> | readonly Fun<string>[]): number {
  const roots = Array.isArray(f) ? f.map((g: unknown) => nodesOf(g, 'size')) : [nodesOf(f, 'size')];
  return countNodes(roots);
}

/** LaTeX source of a Fun. @example toLatex(sin(x).div(2)) // \frac{\sin\left(x\right)}{2} */
export function toLatex(f: Fun<string>): string {
  return toLatexString(nodesOf(f, 'toLatex'));
}
