/**
 * A fast-check generator of random TENSOR programs over every primitive (as
 * `test/ad/tensor-gradients.test.ts` builds them: instructions over a growing pool of nodes of
 * random shapes, an instruction whose shapes do not fit skipped), with elementwise operands kept
 * in their primitive's domain, and the reference values a backend is compared with.
 */
import fc from 'fast-check';
import { apply } from '../../src/ad/build.js';
import { TypegradError } from '../../src/ad/errors.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { constantNode, variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { elementCount } from '../../src/ad/shape.js';
import { topologicalOrder } from '../../src/ad/traverse.js';
import { wrap } from '../../src/api/wrap.js';
import type { AnyRankFun } from '../../src/api/compile.js';
import { TENSOR_OPERATIONS } from '../support/tensor-operations.js';

export const tensorVariables = [variableNode('s'), variableNode('u', [2]), variableNode('v', [3]), variableNode('M', [2, 3]), variableNode('N', [3, 2])];
const names = new Set(tensorVariables.map((v) => v.name));

const c = (value: number) => constantNode(value);
const positive = (a: Node) => apply('add', [c(0.25), apply('mul', [a, a])]);
const unit = (a: Node, k: number) => apply('mul', [c(k), apply('tanh', [a])]);
const op = (name: string, ...args: Node[]) => apply(name, args);

/** Each elementwise primitive on operands kept in its domain. */
const elementwise: readonly [string, number, (args: Node[]) => Node][] = [
  ['add', 2, ([a, b]) => op('add', a!, b!)], ['sub', 2, ([a, b]) => op('sub', a!, b!)], ['mul', 2, ([a, b]) => op('mul', a!, b!)],
  ['div', 2, ([a, b]) => op('div', a!, positive(b!))], ['pow', 2, ([a, b]) => op('pow', positive(a!), unit(b!, 2))],
  ['pow', 1, ([a]) => op('pow', a!, c(3))], ['log', 2, ([a, b]) => op('log', positive(a!), op('add', c(2), op('mul', b!, b!)))],
  ['neg', 1, ([a]) => op('neg', a!)], ['exp', 1, ([a]) => op('exp', unit(a!, 2))], ['ln', 1, ([a]) => op('ln', positive(a!))],
  ['sqrt', 1, ([a]) => op('sqrt', positive(a!))], ['cbrt', 1, ([a]) => op('cbrt', op('sub', a!, c(0.5)))],
  ['sin', 1, ([a]) => op('sin', a!)], ['cos', 1, ([a]) => op('cos', a!)], ['tan', 1, ([a]) => op('tan', unit(a!, 1))],
  ['asin', 1, ([a]) => op('asin', unit(a!, 0.9))], ['acos', 1, ([a]) => op('acos', unit(a!, 0.9))], ['atan', 1, ([a]) => op('atan', a!)],
  ['sinh', 1, ([a]) => op('sinh', unit(a!, 2))], ['cosh', 1, ([a]) => op('cosh', unit(a!, 2))], ['tanh', 1, ([a]) => op('tanh', a!)],
  ['sigmoid', 1, ([a]) => op('sigmoid', a!)], ['softplus', 1, ([a]) => op('softplus', a!)], ['relu', 1, ([a]) => op('relu', a!)],
  ['abs', 1, ([a]) => op('abs', a!)], ['sign', 1, ([a]) => op('sign', a!)], ['heaviside', 1, ([a]) => op('heaviside', a!)],
  ['equal', 2, ([a, b]) => op('equal', a!, b!)],
  // The integer-indexed operations, with constant indices (0 is within every axis).
  ['gather', 1, ([a]) => apply('gather', [a!, apply('pack', [c(0), c(0)], [2])], [0])],
  ['scatterAdd', 1, ([a]) => apply('scatterAdd', [a!, c(0)], [0, 2])],
  ['oneHot', 1, ([a]) => apply('oneHot', [a!], [3])],
];

/** Each tensor primitive, with attrs chosen from a random number. */
const tensor = TENSOR_OPERATIONS;

/** The primitives the generator can produce. */
export const tensorCoveredPrimitives = new Set([...elementwise.map(([name]) => name), ...tensor.map(([name]) => name)]);

type Instruction = [number, number, number, number];

/** A program: a scalar root over the last few nodes, and the last tensor node built (if any). */
function buildProgram(instructions: readonly Instruction[]): { scalar: Node; tensor: Node | undefined } {
  const pool: Node[] = [...tensorVariables, apply('pack', [c(0.5), c(-1)], [2])];
  const table = [...elementwise.map(([name, arity, build]) => ({ name, arity, build })), ...tensor.map(([name, arity, attrs]) => ({ name, arity, attrs }))];
  for (const [choice, i, j, k] of instructions) {
    const entry = table[choice % table.length]!;
    const args = entry.arity === 1 ? [pool[i % pool.length]!] : [pool[i % pool.length]!, pool[j % pool.length]!];
    try {
      pool.push('build' in entry ? entry.build(args) : apply(entry.name, args, entry.attrs(k)));
    } catch (e) {
      if (!(e instanceof TypegradError)) throw e;
    }
  }
  const scalar = pool.slice(-3).reduce((total, n) => apply('add', [total, apply('sum', [n])]), c(0));
  const tensorNode = [...pool].reverse().find((n) => n.shape.length > 0 && n.op !== 'var');
  return { scalar, tensor: tensorNode };
}

export const instructionsArbitrary = fc.array(fc.tuple(fc.nat(400), fc.nat(50), fc.nat(50), fc.nat(50)), { minLength: 1, maxLength: 12 });

/** Values for every variable (18 numbers in [−2, 2]), magnitudes below 1e−30 as 0 (see `pointsArbitrary`). */
export const valuesArbitrary = fc
  .array(fc.double({ min: -2, max: 2, noNaN: true }).map((v) => (Math.abs(v) < 1e-30 ? 0 : v)), { minLength: 18, maxLength: 18 })
  .map((point) => {
    let offset = 0;
    return tensorVariables.map((v) => {
      const n = elementCount(v.shape);
      const value = Float64Array.from(point.slice(offset, offset + n));
      offset += n;
      return value;
    });
  });

/** The program as Funs: the scalar root, its gradient by every variable, and the tensor node. */
export function programFuns(instructions: readonly Instruction[]): { funs: AnyRankFun[]; nodes: Node[] } {
  const { scalar, tensor: tensorNode } = buildProgram(instructions);
  const nodes = [scalar, ...reverseGradient(scalar, tensorVariables), ...(tensorNode === undefined ? [] : [tensorNode])];
  return { nodes, funs: nodes.map((n) => wrap(n, [], names) as AnyRankFun) };
}

/** Bindings for the compiled function: a number for `s`, flat arrays for the rest. */
export function bindingsOf(values: readonly Float64Array[]): Record<string, number | Float64Array> {
  return Object.fromEntries(tensorVariables.map((v, j) => [v.name, v.shape.length === 0 ? values[j]![0]! : values[j]!]));
}

/**
 * The reference values of the nodes, the scale (largest finite magnitude of any intermediate
 * element, against which float32 error is measured) and the distance to the nearest jump
 * (smallest |argument| of a sign, heaviside, relu or abs, and of the operands of a max).
 */
export function tensorReference(nodes: readonly Node[], values: readonly Float64Array[]): { values: Float64Array[]; scale: number; jump: number } {
  const environment = new Map(tensorVariables.map((v, j) => [v.name, values[j]!]));
  const order = topologicalOrder(nodes);
  const all = evaluateTensors(order, environment);
  const valueOf = new Map(order.map((n, k) => [n, all[k]!]));
  let scale = 1;
  for (const v of all) for (const x of v) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  let jump = Infinity;
  for (const n of order) {
    if (n.op === 'sign' || n.op === 'heaviside' || n.op === 'relu' || n.op === 'abs') for (const x of valueOf.get(n.args[0]!)!) jump = Math.min(jump, Math.abs(x));
  }
  return { values: nodes.map((n) => valueOf.get(n)!), scale, jump };
}
