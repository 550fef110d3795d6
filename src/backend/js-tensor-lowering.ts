/**
 * The JavaScript lowering of each tensor primitive: plain loops over flat row-major
 * Float64Arrays, with every shape and offset a literal. Each lowering writes the whole of its
 * output buffer `out` (preallocated once and reused across calls, so it must not rely on it
 * being zero, except `pad`, see there). One entry per primitive, nothing else.
 */
import type { Node } from '../ad/node.js';
import type { TensorPrimitiveName } from '../ad/primitives/index.js';
import { elementCount, type Shape } from '../ad/shape.js';

/** A value as generated code reads it. */
export interface Operand {
  /** The name of a flat row-major Float64Array, or for a scalar an expression (name or literal). */
  readonly ref: string;
  /** The value's logical shape. */
  readonly shape: Shape;
  readonly scalar: boolean;
  /**
   * A transpose left unmaterialised: `ref` holds the [shape[1], shape[0]] matrix it transposes.
   * Only `matmul` is given such operands, so that AᵀB and ABᵀ read A and B in place.
   */
  readonly transposed: boolean;
}

/** Statements writing the node's value into the buffer `out`, from its operands. */
export type JsTensorLowering = (out: string, args: readonly Operand[], node: Node) => string[];

/** Element `index` of an operand (a scalar is its own every element). */
export function element(x: Operand, index: string): string {
  return x.scalar ? x.ref : `${x.ref}[${index}]`;
}

/** The [rows, columns] view of a shape: a vector is one row. */
function rowsOf(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]!];
  return [shape[0]!, shape[1]!];
}

/**
 * How a reduction groups the operand's elements: `groups` results, result g reducing `count`
 * elements at flat indices g·groupStride + e·stride.
 */
function reductionGroups(shape: Shape, attrs: readonly number[]): { groups: number; groupStride: number; count: number; stride: number } {
  const [rows, columns] = rowsOf(shape);
  if (attrs.length === 0 || shape.length < 2) return { groups: 1, groupStride: 0, count: elementCount(shape), stride: 1 };
  if (attrs[0] === 0) return { groups: columns, groupStride: 1, count: rows, stride: columns };
  return { groups: rows, groupStride: columns, count: columns, stride: 1 };
}

/** The loop over one reduction group: `index` is the flat index of element e of group g. */
function overGroup(g: { count: number; stride: number }, body: string): string {
  const index = g.stride === 1 ? 'base + e' : `base + e * ${g.stride}`;
  return `for (let e = 0; e < ${g.count}; e++) { const k = ${index}; ${body} }`;
}

function sum(out: string, [x]: readonly Operand[], node: Node): string[] {
  const g = reductionGroups(node.args[0]!.shape, node.attrs);
  return [
    `for (let g = 0; g < ${g.groups}; g++) {`,
    `  const base = g * ${g.groupStride};`,
    '  let total = 0;',
    `  ${overGroup(g, `total += ${element(x!, 'k')};`)}`,
    `  ${out}[g] = total;`,
    '}',
  ];
}

// The maximum is shifted out; Math.max (not a comparison) so that NaN propagates as in the reference.
function logsumexp(out: string, [x]: readonly Operand[], node: Node): string[] {
  const g = reductionGroups(node.args[0]!.shape, node.attrs);
  return [
    `for (let g = 0; g < ${g.groups}; g++) {`,
    `  const base = g * ${g.groupStride};`,
    '  let max = -Infinity;',
    `  ${overGroup(g, `max = Math.max(max, ${element(x!, 'k')});`)}`,
    '  let total = 0;',
    `  ${overGroup(g, `total += Math.exp(${element(x!, 'k')} - max);`)}`,
    `  ${out}[g] = Number.isFinite(max) ? max + Math.log(total) : max;`,
    '}',
  ];
}

function softmax(out: string, [x]: readonly Operand[], node: Node): string[] {
  const [rows, columns] = rowsOf(node.shape);
  return [
    `for (let i = 0; i < ${rows}; i++) {`,
    `  const base = i * ${columns};`,
    '  let max = -Infinity;',
    `  for (let j = 0; j < ${columns}; j++) max = Math.max(max, ${element(x!, 'base + j')});`,
    '  let total = 0;',
    `  for (let j = 0; j < ${columns}; j++) total += ${out}[base + j] = Math.exp(${element(x!, 'base + j')} - max);`,
    `  for (let j = 0; j < ${columns}; j++) ${out}[base + j] /= total;`,
    '}',
  ];
}

/**
 * The matrix product with A viewed as [R, K] and B as [K, C] (a vector is one row of A or one
 * column of B). A transposed A (stored [K, R]) is read in place.
 * - B's rows contiguous: i-k-j order, so the inner loop runs along a row of B and rows of the
 *   output, with hoisted offsets; two output rows and four k at a time, so each element of B
 *   read serves two rows and each output element is loaded and stored once per four k (about
 *   3× faster than the plain i-k-j loop for 64×784·784×128, measured).
 * - B transposed (stored [C, K]) or a column: dot products of contiguous rows.
 * Every output element is summed over k from 0 upwards, one product at a time, as the reference
 * does, so the results are the reference's to the last bit.
 */
function matmul(out: string, [a, b]: readonly Operand[]): string[] {
  const [rows, inner] = a!.shape.length === 2 ? [a!.shape[0]!, a!.shape[1]!] : [1, a!.shape[0]!];
  const columns = b!.shape.length === 2 ? b!.shape[1]! : 1;
  // Element (row i + di, column k + dk) of A, given row offset `ra<di>` when A is not transposed.
  const A = (di: number, k: string) => (a!.transposed ? `${a!.ref}[(${k}) * ${rows} + i + ${di}]` : `${a!.ref}[ra${di} + ${k}]`);
  const rowOffsets = (count: number) => (a!.transposed ? [] : Array.from({ length: count }, (_, di) => `const ra${di} = (i + ${di}) * ${inner};`));
  if (b!.transposed || columns === 1) {
    const B = b!.transposed ? `${b!.ref}[rb + k]` : `${b!.ref}[k]`;
    return [
      `for (let i = 0; i < ${rows}; i++) {`,
      ...rowOffsets(1).map((l) => `  ${l}`),
      `  for (let j = 0; j < ${columns}; j++) {`,
      `    const rb = j * ${inner};`,
      '    let total = 0;',
      `    for (let k = 0; k < ${inner}; k++) total += ${A(0, 'k')} * ${B};`,
      `    ${out}[i * ${columns} + j] = total;`,
      '  }',
      '}',
    ];
  }
  const ROWS = 2;
  const STEP = 4;
  /** The loop over output rows i, i + 1, ..., i + count − 1 (count ≤ ROWS). */
  const rowBlock = (count: number): string[] => {
    const ds = Array.from({ length: count }, (_, di) => di);
    const ks = Array.from({ length: STEP }, (_, dk) => dk);
    return [
      ...rowOffsets(count),
      ...ds.map((di) => `const ro${di} = (i + ${di}) * ${columns};`),
      `for (let j = 0; j < ${columns}; j++) { ${ds.map((di) => `${out}[ro${di} + j] = 0;`).join(' ')} }`,
      'let k = 0;',
      `for (; k + ${STEP - 1} < ${inner}; k += ${STEP}) {`,
      ...ds.flatMap((di) => ks.map((dk) => `  const a${di}${dk} = ${A(di, `k + ${dk}`)};`)),
      `  const rb0 = k * ${columns}${ks.slice(1).map((dk) => `, rb${dk} = rb${dk - 1} + ${columns}`).join('')};`,
      `  for (let j = 0; j < ${columns}; j++) {`,
      `    const ${ks.map((dk) => `q${dk} = ${b!.ref}[rb${dk} + j]`).join(', ')};`,
      ...ds.map((di) => `    let o${di} = ${out}[ro${di} + j]; ${ks.map((dk) => `o${di} += a${di}${dk} * q${dk};`).join(' ')} ${out}[ro${di} + j] = o${di};`),
      '  }',
      '}',
      `for (; k < ${inner}; k++) {`,
      ...ds.map((di) => `  const a${di} = ${A(di, 'k')};`),
      `  const rb = k * ${columns};`,
      `  for (let j = 0; j < ${columns}; j++) { const v = ${b!.ref}[rb + j]; ${ds.map((di) => `${out}[ro${di} + j] += a${di} * v;`).join(' ')} }`,
      '}',
    ];
  };
  const blocked = rows - (rows % ROWS);
  const lines: string[] = [];
  if (blocked > 0) lines.push(`for (let i = 0; i < ${blocked}; i += ${ROWS}) {`, ...rowBlock(ROWS).map((l) => `  ${l}`), '}');
  if (blocked < rows) lines.push(`for (let i = ${blocked}; i < ${rows}; i++) {`, ...rowBlock(rows - blocked).map((l) => `  ${l}`), '}');
  return lines;
}

function outer(out: string, [a, b]: readonly Operand[]): string[] {
  const [rows, columns] = [a!.shape[0]!, b!.shape[0]!];
  return [
    `for (let i = 0; i < ${rows}; i++) {`,
    `  const v = ${a!.ref}[i], ro = i * ${columns};`,
    `  for (let j = 0; j < ${columns}; j++) ${out}[ro + j] = v * ${b!.ref}[j];`,
    '}',
  ];
}

function transpose(out: string, [a]: readonly Operand[]): string[] {
  const [rows, columns] = rowsOf(a!.shape);
  return [
    `for (let i = 0; i < ${rows}; i++) {`,
    `  const ra = i * ${columns};`,
    `  for (let j = 0; j < ${columns}; j++) ${out}[j * ${rows} + i] = ${a!.ref}[ra + j];`,
    '}',
  ];
}

function broadcast(out: string, [x]: readonly Operand[], node: Node): string[] {
  if (x!.scalar) return [`${out}.fill(${x!.ref});`];
  const length = elementCount(x!.shape);
  const copies = elementCount(node.shape) / length;
  return [`for (let i = 0; i < ${copies}; i++) ${out}.set(${x!.ref}, i * ${length});`];
}

/** Copies a [rows, columns] block of `source` (width sourceColumns) at (r0, c0) to `target` (width targetColumns) at (t0, u0). */
function copyBlock(
  source: Operand, sourceColumns: number, r0: number, c0: number,
  target: string, targetColumns: number, t0: number, u0: number,
  rows: number, columns: number,
): string[] {
  if (source.scalar) return [`${target}[${t0 * targetColumns + u0}] = ${source.ref};`];
  const from = `(${r0} + i) * ${sourceColumns} + ${c0}`;
  const to = `(${t0} + i) * ${targetColumns} + ${u0}`;
  return [`for (let i = 0; i < ${rows}; i++) { const rs = ${from}, rt = ${to}; for (let j = 0; j < ${columns}; j++) ${target}[rt + j] = ${source.ref}[rs + j]; }`];
}

/** Whether `axis` of `shape` is the rows of the [rows, columns] view (a vector's axis 0 is its columns). */
const byRows = (shape: Shape, axis: number) => shape.length === 2 && axis === 0;

export const jsTensorLowering: Record<TensorPrimitiveName, JsTensorLowering> = {
  broadcast,
  sum,
  logsumexp,
  softmax,
  matmul,
  outer,
  transpose,
  pack: (out, args) => args.map((a, k) => `${out}[${k}] = ${a.ref};`),
  get: (out, [x], node) => {
    const shape = node.args[0]!.shape;
    const k = shape.length === 1 ? node.attrs[0]! : node.attrs[0]! * shape[1]! + node.attrs[1]!;
    return [`${out}[0] = ${element(x!, String(k))};`];
  },
  slice: (out, [x], node) => {
    const columns = rowsOf(x!.shape)[1];
    const [rows, outColumns] = rowsOf(node.shape);
    const start = node.attrs[1]!;
    const rowwise = byRows(x!.shape, node.attrs[0]!);
    return copyBlock(x!, columns, rowwise ? start : 0, rowwise ? 0 : start, out, outColumns, 0, 0, rows, outColumns);
  },
  // Only the interior is written: the padding is zero from allocation, and no other node writes this buffer.
  pad: (out, [x], node) => {
    const [rows, columns] = rowsOf(x!.shape);
    const outColumns = rowsOf(node.shape)[1];
    const before = node.attrs[1]!;
    const rowwise = byRows(x!.shape, node.attrs[0]!);
    return copyBlock(x!, columns, 0, 0, out, outColumns, rowwise ? before : 0, rowwise ? 0 : before, rows, columns);
  },
  concat: (out, args, node) => {
    const outColumns = rowsOf(node.shape)[1];
    const rowwise = byRows(node.shape, node.attrs[0]!);
    let offset = 0;
    return args.flatMap((arg) => {
      const [rows, columns] = rowsOf(arg.shape);
      const lines = copyBlock(arg, columns, 0, 0, out, outColumns, rowwise ? offset : 0, rowwise ? 0 : offset, rows, columns);
      offset += rowwise ? rows : columns;
      return lines;
    });
  },
  reshape: (out, [x]) => [x!.scalar ? `${out}[0] = ${x!.ref};` : `${out}.set(${x!.ref});`],
};
