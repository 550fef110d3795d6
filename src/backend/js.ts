/**
 * The staged JavaScript backend: lowers the DAG to specialised source (one `const` per operation
 * node in topological order, constants inlined as literals, `Math.*` called directly) and
 * compiles it with `new Function`.
 *
 * Security: no user string ever reaches the source. Variables become positional parameters
 * `x0, x1, ...`; node names are `t<index>`; constants are printed from numbers.
 */
import type { Node } from '../ad/node.js';
import type { PrimitiveName } from '../ad/primitives/index.js';
import { topologicalOrder } from '../ad/traverse.js';

/** One lowering per primitive: JavaScript source for the operation on already-named operands. */
export const jsLowering: Record<PrimitiveName, (args: readonly string[]) => string> = {
  add: ([a, b]) => `${a} + ${b}`,
  sub: ([a, b]) => `${a} - ${b}`,
  mul: ([a, b]) => `${a} * ${b}`,
  div: ([a, b]) => `${a} / ${b}`,
  neg: ([a]) => `-${a}`,
  pow: ([a, b]) => `Math.pow(${a}, ${b})`,
  exp: ([a]) => `Math.exp(${a})`,
  ln: ([a]) => `Math.log(${a})`,
  log: ([a, b]) => `Math.log(${a}) / Math.log(${b})`,
  sqrt: ([a]) => `Math.sqrt(${a})`,
  cbrt: ([a]) => `Math.cbrt(${a})`,
  sin: ([a]) => `Math.sin(${a})`,
  cos: ([a]) => `Math.cos(${a})`,
  tan: ([a]) => `Math.tan(${a})`,
  asin: ([a]) => `Math.asin(${a})`,
  acos: ([a]) => `Math.acos(${a})`,
  atan: ([a]) => `Math.atan(${a})`,
  sinh: ([a]) => `Math.sinh(${a})`,
  cosh: ([a]) => `Math.cosh(${a})`,
  tanh: ([a]) => `Math.tanh(${a})`,
  sigmoid: ([a]) => `(${a} >= 0 ? 1 / (1 + Math.exp(-${a})) : Math.exp(${a}) / (1 + Math.exp(${a})))`,
  softplus: ([a]) => `Math.max(${a}, 0) + Math.log1p(Math.exp(-Math.abs(${a})))`,
  relu: ([a]) => `(${a} > 0 ? ${a} : 0)`,
  abs: ([a]) => `Math.abs(${a})`,
  sign: ([a]) => `(${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a})`,
  heaviside: ([a]) => `(${a} > 0 ? 1 : ${a} <= 0 ? 0 : NaN)`,
};

/** A number as a JavaScript literal that reads back as the same number (also -0, NaN, ±Infinity). */
export function numberLiteral(value: number): string {
  if (Object.is(value, -0)) return '(-0)';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '(-Infinity)';
  return value < 0 ? `(${String(value)})` : String(value);
}

/**
 * Source of a function `(x0, x1, ...) => result` where `xi` is the value of `inputs[i]`; the
 * result is a number for one root, an array for several. Roots share their common nodes.
 */
export function lowerToJs(roots: readonly Node[], inputs: readonly Node[]): { params: string[]; body: string } {
  const params = inputs.map((_, i) => `x${i}`);
  const name = new Map<Node, string>(inputs.map((v, i) => [v, params[i]!]));
  const lines: string[] = ['"use strict";'];
  for (const node of topologicalOrder(roots)) {
    if (name.has(node)) continue;
    if (node.op === 'const') name.set(node, numberLiteral(node.value));
    else if (node.op === 'var') throw new Error(`internal: variable node ${node.id} has no input`);
    else {
      const local = `t${lines.length}`;
      lines.push(`const ${local} = ${jsLowering[node.op as PrimitiveName](node.args.map((a) => name.get(a)!))};`);
      name.set(node, local);
    }
  }
  const results = roots.map((r) => name.get(r)!);
  lines.push(roots.length === 1 ? `return ${results[0]};` : `return [${results.join(', ')}];`);
  return { params, body: lines.join('\n') };
}

/** Readable source of the lowered program, as `function (x0, ...) { ... }`. */
export function jsSource(roots: readonly Node[], inputs: readonly Node[]): string {
  const { params, body } = lowerToJs(roots, inputs);
  return `function (${params.join(', ')}) {\n${body.split('\n').map((l) => `  ${l}`).join('\n')}\n}`;
}

/** Compiles the lowered program. */
export function compileJs(roots: readonly Node[], inputs: readonly Node[]): (...values: number[]) => number | number[] {
  const { params, body } = lowerToJs(roots, inputs);
  return new Function(...params, body) as (...values: number[]) => number | number[];
}
