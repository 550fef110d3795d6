/**
 * Tensor programs on gpu.js: one kernel per vector or matrix operation node, created once at
 * compile time and run in topological order, each reading its operands as flat row-major
 * Float32Arrays (host arrays between kernels). A matrix [R, C] is a 2-D kernel with
 * `output: [C, R]` (`this.thread.y` the row, `this.thread.x` the column), a vector a 1-D kernel.
 * Scalar nodes, `pack` and whole-tensor `sum` are a few flops each and run on the host in float32.
 *
 * Lowered: every elementwise primitive (a scalar operand is repeated everywhere, a vector [C]
 * in every row of [R, C]), matmul (all four cases), transpose, broadcast, sum (no axis or an
 * axis) and pack. Anything else that depends on a variable is refused at compile time; nodes
 * that depend on no variable are evaluated once at compile time (float64 reference), as in tfjs.
 *
 * Security: parameters are `c0, c1, ...`, locals `x<j>`; shapes enter the source as integer
 * literals and constants through `gpuLiteral`; no user string reaches a kernel.
 */
import { evaluateTensors } from '../ad/evaluate.js';
import { TypegradError } from '../ad/errors.js';
import type { Node } from '../ad/node.js';
import { primitiveOf, type PrimitiveName, type TensorPrimitiveName } from '../ad/primitives/index.js';
import type { ElementwisePrimitive } from '../ad/primitives/types.js';
import { describeShape, type Shape } from '../ad/shape.js';
import { dependsOn, topologicalOrder } from '../ad/traverse.js';
import { gpuLiteral, gpuLowering } from './gpu-lowering.js';
import type { TensorExecutable } from './registry.js';

/** The part of a gpu.js kernel this module uses. */
export interface GpuTensorKernel {
  (...args: Float32Array[]): Float32Array | Float32Array[];
}
/** The part of a gpu.js instance this module uses. */
export interface GpuKernelFactory {
  createKernel(source: string, settings: Record<string, unknown>): unknown;
}

/**
 * How one node runs: a kernel (its source over the parameters `c0, c1, ...`, one per operand
 * in `node.args` order, and its gpu.js output size) or a host step on the operand values.
 */
export type GpuTensorStep =
  | { readonly kind: 'kernel'; readonly source: string; readonly output: readonly number[] }
  | { readonly kind: 'host'; readonly run: (args: readonly Float32Array[]) => Float32Array };

export type GpuTensorLowering = (node: Node) => GpuTensorStep;

/** The flat index of the current thread in a result of `shape`. */
function threadIndex(shape: Shape): string {
  return shape.length === 2 ? `(this.thread.y * ${shape[1]} + this.thread.x)` : 'this.thread.x';
}

/** gpu.js's output size for a result of `shape` (columns first); a scalar is one thread. */
function outputOf(shape: Shape): number[] {
  return shape.length === 2 ? [shape[1]!, shape[0]!] : [shape[0] ?? 1];
}

function kernel(params: number, body: readonly string[], shape: Shape): GpuTensorStep {
  const names = Array.from({ length: params }, (_, j) => `c${j}`);
  return { kind: 'kernel', source: `function (${names.join(', ')}) {\n${body.map((l) => `  ${l}`).join('\n')}\n}`, output: outputOf(shape) };
}

/**
 * Element `k` of operand `name` of `shape` in a result of `resultShape`, by the broadcasting
 * rule (operand element k mod its size): a scalar is element 0, a vector in a matrix the column.
 */
function operandElement(name: string, shape: Shape, resultShape: Shape): string {
  if (shape.length === 0) return `${name}[0]`;
  if (shape.length < resultShape.length) return `${name}[this.thread.x]`;
  return `${name}[${threadIndex(resultShape)}]`;
}

/** An elementwise primitive on tensors: each operand element read once into a local. */
export function elementwiseStep(node: Node): GpuTensorStep {
  if (node.shape.length === 0) {
    const evaluate = (primitiveOf(node.op) as ElementwisePrimitive).evaluate;
    return { kind: 'host', run: (args) => Float32Array.of(evaluate(...args.map((a) => a[0]!))) };
  }
  const lines = node.args.map((a, j) => `const x${j} = ${operandElement(`c${j}`, a.shape, node.shape)};`);
  const expression = gpuLowering[node.op as PrimitiveName](node.args.map((_, j) => `x${j}`), node);
  return kernel(node.args.length, [...lines, `return ${expression} + 0.0;`], node.shape);
}

/** `sum` of every element: on the host, accumulated in float64. */
function sumAll(args: readonly Float32Array[]): Float32Array {
  let total = 0;
  for (const v of args[0]!) total += v;
  return Float32Array.of(total);
}

export const gpuTensorLowering: Partial<Record<TensorPrimitiveName, GpuTensorLowering>> = {
  broadcast: (node) => kernel(1, [`return ${operandElement('c0', node.args[0]!.shape, node.shape)} + 0.0;`], node.shape),
  sum: (node) => {
    const shape = node.args[0]!.shape;
    if (node.attrs.length === 0 || shape.length < 2) return { kind: 'host', run: sumAll };
    const [rows, columns] = shape as [number, number];
    // Axis 0 adds up the rows (one thread per column), axis 1 the columns (one per row).
    const [count, element] = node.attrs[0] === 0 ? [rows, `c0[i * ${columns} + this.thread.x]`] : [columns, `c0[this.thread.x * ${columns} + i]`];
    return kernel(1, ['let s = 0.0;', `for (let i = 0; i < ${count}; i++) { s += ${element}; }`, 'return s;'], node.shape);
  },
  // A vector on the left is one row and on the right one column; [K]·[K] is one thread.
  matmul: (node) => {
    const [a, b] = node.args.map((x) => x.shape) as [Shape, Shape];
    const inner = b[0]!;
    const row = a.length === 2 ? (b.length === 2 ? 'this.thread.y' : 'this.thread.x') : '0';
    const left = a.length === 2 ? `c0[${row} * ${inner} + k]` : 'c0[k]';
    const right = b.length === 2 ? `c1[k * ${b[1]} + this.thread.x]` : 'c1[k]';
    return kernel(2, ['let s = 0.0;', `for (let k = 0; k < ${inner}; k++) { s += ${left} * ${right}; }`, 'return s;'], node.shape);
  },
  transpose: (node) => kernel(1, [`return c0[this.thread.x * ${node.args[0]!.shape[1]} + this.thread.y] + 0.0;`], node.shape),
  pack: () => ({ kind: 'host', run: (args) => Float32Array.from(args, (a) => a[0]!) }),
};

/** The lowering of a node, or the compile-time error naming its operation and shape. */
function stepOf(node: Node): GpuTensorStep {
  if (primitiveOf(node.op).kind === 'elementwise') return elementwiseStep(node);
  const lowering = gpuTensorLowering[node.op as TensorPrimitiveName];
  if (lowering !== undefined) return lowering(node);
  const shapes = node.args.map((a) => describeShape(a.shape)).join(' and ');
  const lowered = Object.keys(gpuTensorLowering).join(', ');
  throw new TypegradError(
    `compile: the gpu backend does not lower '${node.op}' (on ${shapes}, giving ${describeShape(node.shape)}); on tensors it lowers elementwise primitives, ${lowered}. Use the js or tfjs backend for this program`,
  );
}

/** A gpu.js result as flat row-major data (a 2-D kernel returns one array per row). */
function flatten(result: Float32Array | Float32Array[], size: number): Float32Array {
  if (result instanceof Float32Array) return result.length === size ? result : result.slice(0, size);
  const out = new Float32Array(size);
  let offset = 0;
  for (const row of result) {
    out.set(row, offset);
    offset += row.length;
  }
  return out;
}

/** Compiles a tensor program: validates and creates every kernel now; `run` only calls them. */
export function compileGpuTensorProgram(gpu: GpuKernelFactory, roots: readonly Node[], inputs: readonly Node[]): TensorExecutable {
  const order = topologicalOrder(roots);
  const variable = dependsOn(order, new Set(inputs));
  const constants = new Map<Node, Float32Array>();
  const folded = order.filter((n) => !variable.has(n) && n.op !== 'const');
  evaluateTensors(folded, new Map()).forEach((v, k) => constants.set(folded[k]!, Float32Array.from(v)));
  for (const n of order) if (n.op === 'const') constants.set(n, Float32Array.of(n.value));

  const steps: { node: Node; run: (args: readonly Float32Array[]) => Float32Array }[] = [];
  for (const node of order) {
    if (!variable.has(node) || inputs.includes(node)) continue;
    const step = stepOf(node);
    if (step.kind === 'host') {
      steps.push({ node, run: step.run });
      continue;
    }
    const compiled = gpu.createKernel(step.source, { output: step.output, precision: 'single', tactic: 'precision' }) as GpuTensorKernel;
    const size = step.output.reduce((p, n) => p * n, 1);
    steps.push({ node, run: (args) => flatten(compiled(...args), size) });
  }

  let results: (number | Float32Array)[] = [];
  return {
    run(values) {
      const value = new Map<Node, Float32Array>(constants);
      inputs.forEach((v, j) => {
        const x = values[j]!;
        value.set(v, typeof x === 'number' ? Float32Array.of(x) : Float32Array.from(x));
      });
      for (const { node, run } of steps) value.set(node, run(node.args.map((a) => value.get(a)!)));
      results = roots.map((r) => (r.shape.length === 0 ? value.get(r)![0]! : value.get(r)!));
    },
    result: (k) => results[k]!,
  };
}
