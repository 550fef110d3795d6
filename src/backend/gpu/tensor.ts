/**
 * The gpu.js lowering of each tensor primitive: a kernel computing one element of the result per
 * thread, reading its operands in place through their strides (a transposed, sliced or
 * broadcast operand is never copied), or a few flops on the host (`pack`, `get`). Kernel source
 * is the JavaScript subset gpu.js translates to GLSL: float arithmetic, literal loop bounds,
 * index arithmetic done in floats (exact below 2^24, and every index division rounds from
 * k + 0.5 so that a GPU's inexact division cannot land on the wrong integer).
 *
 * Security: parameters are `c0, c1, ...`, locals are generated names, shapes and strides enter
 * the source as integer literals and constants through `gpuLiteral`; no user string reaches a kernel.
 */
import { TypegradError } from '../../ad/errors.js';
import type { Node } from '../../ad/node.js';
import { productLayout } from '../../ad/primitives/linear-algebra.js';
import type { TensorPrimitiveName } from '../../ad/primitives/index.js';
import { elementCount, stridesAlong, type Shape } from '../../ad/shape.js';
import { viewStrides } from '../../program/planner.js';
import { coalesce } from '../js/loops.js';
import type { GpuWindowPrimitive } from './window-lowering.js';

/**
 * How a kernel reads an operand: kernel parameter `param` (a flat Float32Array) from `offset`
 * with `strides` along the operand's own axes, or a number (a scalar, passed as an argument or
 * inlined as a literal).
 */
export type GpuOperand =
  | { readonly kind: 'array'; readonly param: string; readonly offset: number; readonly strides: readonly number[]; readonly shape: Shape }
  | { readonly kind: 'scalar'; readonly expression: string; readonly param?: string };

/** The largest width of a kernel's output grid: results are laid out [width, height] so that no texture side exceeds it. */
export const GRID_WIDTH = 4096;

/** gpu.js's output size for `count` results: rows of at most GRID_WIDTH. */
export function gridOf(count: number): [number, number] {
  const width = Math.max(1, Math.min(count, GRID_WIDTH));
  const height = Math.ceil(count / width);
  if (height > GRID_WIDTH) throw new TypegradError(`compile: the gpu backend computes at most ${GRID_WIDTH * GRID_WIDTH} values per kernel, a result has ${count}`);
  return [width, height];
}

/** A float literal of an integer (gpu.js needs floats in float arithmetic). */
const int = (n: number) => `${n}.0`;

/** Source names, unique within one kernel. */
export class Names {
  #next = 0;
  fresh(stem: string): string {
    return `${stem}${this.#next++}`;
  }
}

/**
 * The multi-index of flat index `k` in `shape` (row-major), as locals: the index along each
 * axis (a literal 0 along size-1 axes).
 */
export function multiIndex(shape: Shape, k: string, names: Names, lines: string[]): string[] {
  const index = new Array<string>(shape.length);
  let rest = k;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const n = shape[axis]!;
    if (axis === 0) {
      index[axis] = rest;
      break;
    }
    if (n === 1) {
      index[axis] = '0.0';
      continue;
    }
    const quotient = names.fresh('q');
    const remainder = names.fresh('r');
    lines.push(`const ${quotient} = Math.floor((${rest} + 0.5) / ${int(n)});`, `const ${remainder} = ${rest} - ${quotient} * ${int(n)};`);
    index[axis] = remainder;
    rest = quotient;
  }
  return index;
}

/** `offset + Σ index_d · strides_d` as source (terms with stride 0 dropped). */
export function offsetOf(offset: number | string, index: readonly string[], strides: readonly number[]): string {
  const terms = typeof offset === 'number' ? (offset === 0 ? [] : [int(offset)]) : [offset];
  index.forEach((i, d) => {
    const s = strides[d]!;
    if (s === 0 || i === '0.0') return;
    terms.push(s === 1 ? i : `${i} * ${int(s)}`);
  });
  return terms.length === 0 ? '0.0' : terms.join(' + ');
}

/** An element of an operand at a multi-index along `shape` (its own axes aligned to the end, broadcast). */
export function elementAt(x: GpuOperand, index: readonly string[], shape: Shape): string {
  if (x.kind === 'scalar') return x.expression;
  return `${x.param}[${offsetOf(x.offset, index, stridesAlong(x.shape, x.strides, shape))}]`;
}

/** What a kernel step compiles to: its source (a function of the operand parameters) and result size. */
export interface KernelSource {
  readonly source: string;
  readonly count: number;
}

/**
 * A kernel over the `count` elements of a result of `shape`: `body` gets the multi-index of
 * the thread's element and returns the statements ending in the element's value.
 */
export function kernelSource(params: readonly string[], shape: Shape, body: (index: readonly string[], names: Names, lines: string[]) => string): KernelSource {
  const count = elementCount(shape);
  const [width] = gridOf(count);
  const names = new Names();
  const lines = [`const k = this.thread.y * ${int(width)} + this.thread.x;`, `if (k >= ${int(count)}) { return 0.0; }`];
  const index = multiIndex(shape, 'k', names, lines);
  const value = body(index, names, lines);
  lines.push(`return ${value} + 0.0;`);
  return { source: `function (${params.join(', ')}) {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`, count };
}

/**
 * A loop over the elements of `sizes` (the reduced axes of an operand, read with `strides` from
 * `base`), coalesced, running `statement(element)` for each.
 */
function overElements(x: Extract<GpuOperand, { kind: 'array' }>, base: string, sizes: readonly number[], strides: readonly number[], names: Names, statement: (element: string) => string): string[] {
  const merged = coalesce(sizes, [{ array: x.param, base, strides }]);
  const total = merged.sizes.reduce((p, n) => p * n, 1);
  const r = names.fresh('e');
  const lines: string[] = [];
  const index = multiIndex(merged.sizes, r, names, lines);
  const element = `${x.param}[${offsetOf(base, index, merged.accesses[0]!.strides)}]`;
  return [`for (let ${r} = 0.0; ${r} < ${int(total)}; ${r} += 1.0) {`, ...lines.map((l) => `  ${l}`), `  ${statement(element)}`, '}'];
}

/** A reduction's kernel: per result element, `start`, one pass per entry of `passes` over the reduced elements, then the value. */
function reduction(x: GpuOperand, node: Node, start: string[], passes: ((element: string) => string)[], value: string): KernelSource {
  if (x.kind === 'scalar') throw new Error(`internal: ${node.op} of a scalar`);
  const axes = node.attrs;
  const kept = (d: number) => !axes.includes(d);
  return kernelSource([x.param], node.shape, (index, names, lines) => {
    let i = 0;
    const fullIndex = x.shape.map((_, d) => (kept(d) ? index[i++]! : '0.0'));
    const base = names.fresh('base');
    lines.push(`const ${base} = ${offsetOf(x.offset, fullIndex, x.strides)};`, ...start);
    const sizes = x.shape.filter((_, d) => !kept(d));
    const strides = x.strides.filter((_, d) => !kept(d));
    for (const pass of passes) lines.push(...overElements(x, base, sizes, strides, names, pass));
    return value;
  });
}

/** A strided copy: element `index` of the result is element `index` of x read from `offset` with `strides`. */
function stridedCopy(x: GpuOperand, shape: Shape, offset: number, strides: readonly number[]): KernelSource {
  if (x.kind === 'scalar') return kernelSource(params([x]), shape, () => x.expression);
  return kernelSource([x.param], shape, (index) => `${x.param}[${offsetOf(offset, index, strides)}]`);
}

/** Copies of view operations (when the plan materialises one): the strides the planner uses. */
function viewCopy([x]: readonly GpuOperand[], node: Node): KernelSource {
  if (x!.kind === 'scalar') return stridedCopy(x!, node.shape, 0, []);
  const view = viewStrides(node, x!.shape, x!.offset, x!.strides);
  if (view !== undefined) return stridedCopy(x!, node.shape, view.offset, view.strides);
  // A reshape of data that is not row-major: result element k is the operand's k-th in row-major order.
  return kernelSource([x!.param], node.shape, (_index, names, lines) => {
    const own = multiIndex(x!.shape, 'k', names, lines);
    return `${x!.param}[${offsetOf(x!.offset, own, x!.strides)}]`;
  });
}

/** The kernel parameters of operands: arrays, and scalars computed at run time (constants are literals). */
export const params = (operands: readonly GpuOperand[]) => operands.flatMap((o) => (o.kind === 'array' ? [o.param] : o.param !== undefined ? [o.param] : []));

/**
 * The kernel of a pack or concat `node` that writes the elements of its operands `first`,
 * `first + 1`, … (given as `operands`) where they go in the result, and elsewhere the element of
 * `previous` (a result of the same shape, its parameter first), or 0 without one: the whole
 * operation in one kernel, or one step of it where it reads too many arrays for one.
 */
export function assembledKernel(node: Node, operands: readonly GpuOperand[], first = 0, previous?: GpuOperand): KernelSource {
  const axis = node.op === 'concat' ? node.attrs[0]! : 0;
  const starts: number[] = [];
  let start = 0;
  for (const arg of node.args) {
    starts.push(start);
    start += node.op === 'concat' ? arg.shape[axis]! : 1;
  }
  return kernelSource([...(previous === undefined ? [] : params([previous])), ...params(operands)], node.shape, (index, names, lines) => {
    const result = names.fresh('v');
    lines.push(`let ${result} = ${previous === undefined ? '0.0' : elementAt(previous, index, node.shape)};`);
    operands.forEach((o, j) => {
      const i = first + j;
      if (node.op === 'pack') {
        lines.push(`if (k === ${int(starts[i]!)}) { ${result} = ${elementAt(o, [], [])}; }`);
      } else {
        const arg = node.args[i]!;
        const local = index.map((x, d) => (d === axis ? `(${x} - ${int(starts[i]!)})` : x));
        lines.push(`if (${index[axis]} >= ${int(starts[i]!)} && ${index[axis]} < ${int(starts[i]! + arg.shape[axis]!)}) { ${result} = ${elementAt(o, local, arg.shape)}; }`);
      }
    });
    return result;
  });
}

/**
 * Each tensor primitive's kernel; `pack` and `get` run on the host, softmax and logsumexp are
 * decomposed by the planner (see `lowers` in index.ts).
 */
export const gpuTensorLowering: Record<Exclude<TensorPrimitiveName, 'pack' | 'get' | 'softmax' | 'logsumexp' | GpuWindowPrimitive | 'custom'>, (operands: readonly GpuOperand[], node: Node) => KernelSource> = {
  broadcast: viewCopy,
  transpose: viewCopy,
  slice: viewCopy,
  reshape: viewCopy,
  sum: ([x], node) => reduction(x!, node, ['let total = 0.0;'], [(e) => `total += ${e};`], 'total'),
  // A comparison rather than Math.max, which not every gpu.js mode has.
  max: ([x], node) => reduction(x!, node, ['let best = -1.0 / 0.0;'], [(e) => `const v = ${e}; if (v > best) { best = v; }`], 'best'),
  matmul: ([a, b], node) => {
    if (a!.kind === 'scalar' || b!.kind === 'scalar') throw new Error('internal: matmul of a scalar');
    const [sa, sb] = [node.args[0]!.shape, node.args[1]!.shape];
    const { batch, rows, inner, columns, leftBatch, rightBatch } = productLayout(sa, sb);
    const [sai, sak] = sa.length === 1 ? [0, a!.strides[0]!] : [a!.strides[sa.length - 2]!, a!.strides[sa.length - 1]!];
    const [sbk, sbj] = sb.length === 1 ? [b!.strides[0]!, 0] : [b!.strides[sb.length - 2]!, b!.strides[sb.length - 1]!];
    return kernelSource([a!.param, b!.param], [...batch, rows, columns], (index, _names, lines) => {
      const batchIndex = index.slice(0, batch.length);
      const [i, j] = [index[batch.length]!, index[batch.length + 1]!];
      const left = offsetOf(a!.offset, [...batchIndex, i], [...stridesAlong(leftBatch, a!.strides, batch), sai]);
      const right = offsetOf(b!.offset, [...batchIndex, j], [...stridesAlong(rightBatch, b!.strides, batch), sbj]);
      lines.push('let total = 0.0;', `for (let e = 0.0; e < ${int(inner)}; e += 1.0) { total += ${a!.param}[${left} + e * ${int(sak)}] * ${b!.param}[${right} + e * ${int(sbk)}]; }`);
      return 'total';
    });
  },
  pad: ([x], node) => {
    const [axis, before] = node.attrs as [number, number];
    const length = node.args[0]!.shape[axis]!;
    return kernelSource(params([x!]), node.shape, (index, names, lines) => {
      const inside = names.fresh('i');
      lines.push(`const ${inside} = ${index[axis]} - ${int(before)};`);
      const read = elementAt(x!, index.map((i, d) => (d === axis ? inside : i)), node.args[0]!.shape);
      return `(${inside} >= 0.0 && ${inside} < ${int(length)} ? ${read} : 0.0)`;
    });
  },
  concat: (operands, node) => assembledKernel(node, operands),
  gather: ([x, indices], node) => {
    const axis = node.attrs[0]!;
    const shape = node.args[0]!.shape, indexShape = node.args[1]!.shape;
    return kernelSource(params([x!, indices!]), node.shape, (index, names, lines) => {
      const position = names.fresh('p');
      lines.push(`const ${position} = ${elementAt(indices!, index.slice(axis, axis + indexShape.length), indexShape)};`);
      const own = [...index.slice(0, axis), position, ...index.slice(axis + indexShape.length)];
      return elementAt(x!, own, shape);
    });
  },
  scatterAdd: ([values, indices], node) => {
    const [axis] = node.attrs as [number, number];
    const indexShape = node.args[1]!.shape, valueShape = node.args[0]!.shape;
    const count = elementCount(indexShape);
    return kernelSource(params([values!, indices!]), node.shape, (index, names, lines) => {
      const t = names.fresh('t');
      const inner: string[] = [];
      const tIndex = multiIndex(indexShape, t, names, inner);
      const own = [...index.slice(0, axis), ...tIndex, ...index.slice(axis + 1)];
      lines.push('let total = 0.0;', `for (let ${t} = 0.0; ${t} < ${int(count)}; ${t} += 1.0) {`, ...inner.map((l) => `  ${l}`),
        `  if (${elementAt(indices!, tIndex, indexShape)} === ${index[axis]}) { total += ${elementAt(values!, own, valueShape)}; }`, '}');
      return 'total';
    });
  },
  oneHot: ([indices], node) => {
    const indexShape = node.args[0]!.shape;
    return kernelSource(params([indices!]), node.shape, (index) => `(${elementAt(indices!, index.slice(0, indexShape.length), indexShape)} === ${index[indexShape.length]} ? 1.0 : 0.0)`);
  },
};

