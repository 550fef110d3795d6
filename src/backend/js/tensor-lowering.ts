/**
 * The JavaScript lowering of each tensor primitive: loops over flat Float64Arrays with every
 * shape, stride and offset a literal (offsets of batch inputs are expressions of the point `p`).
 * Operands are read in place through their strides (a transposed, sliced or broadcast operand
 * is never copied); the output is a contiguous row-major buffer that the lowering writes whole
 * (buffers are reused between values, so nothing may rely on their previous contents).
 * One entry per primitive, nothing else.
 */
import type { Node } from '../../ad/node.js';
import type { TensorPrimitiveName } from '../../ad/primitives/index.js';
import { productLayout } from '../../ad/primitives/linear-algebra.js';
import { stridesAlong, stridesOf, type Shape } from '../../ad/shape.js';
import { viewStrides } from '../../program/planner.js';
import { coalescedLoop, loopNest, offsetExpression, type Access } from './loops.js';
import { jsWindowLowering } from './window-lowering.js';

/** How generated code reads a value: a number expression, or strided elements of an array. */
export type Ref =
  | { readonly kind: 'scalar'; readonly expression: string }
  | { readonly kind: 'array'; readonly array: string; readonly base: string; readonly strides: readonly number[]; readonly shape: Shape };

/** The output: a contiguous buffer. */
export interface Output {
  readonly array: string;
  readonly shape: Shape;
}

/**
 * Statements writing the node's value into `out` from its operands. `fresh` makes a unique
 * local-name prefix (lowerings nest loops and must not shadow each other).
 */
export type JsTensorLowering = (out: Output, args: readonly Ref[], node: Node, fresh: () => string) => string[];

/** Element `index` (an offset expression) of a ref. */
export function read(ref: Ref, index: string): string {
  return ref.kind === 'scalar' ? ref.expression : `${ref.array}[${index}]`;
}

/** The single element of a rank-0 ref. */
export function scalarOf(ref: Ref): string {
  return read(ref, ref.kind === 'array' ? ref.base : '');
}

/** The strides with which `ref` is read along each axis of `shape` (by broadcasting; a scalar has 0s). */
export function refStrides(ref: Ref, shape: Shape): number[] {
  return ref.kind === 'scalar' ? shape.map(() => 0) : stridesAlong(ref.shape, ref.strides, shape);
}

/** An access to ref along `shape`; a scalar ref has none (its expression is used as is). */
function access(ref: Ref, shape: Shape): Access {
  return ref.kind === 'scalar' ? { array: '', base: '0', strides: shape.map(() => 0) } : { array: ref.array, base: ref.base, strides: refStrides(ref, shape) };
}

function outputAccess(out: Output, base = '0'): Access {
  return { array: out.array, base, strides: stridesOf(out.shape) };
}

/** `base + n` as short source. */
function plus(base: string, n: number): string {
  return n === 0 ? base : base === '0' ? String(n) : `${base} + ${n}`;
}

/**
 * A strided copy of `x` (its elements along `shape`, read with `strides` from `offset`) into
 * `out` (from `outBase` with `outStrides`, row-major by default). A scalar x (rank 0) has one element.
 */
function copy(out: Output, x: Ref, shape: Shape, offset: number, strides: readonly number[], fresh: () => string, outBase = '0', outStrides: readonly number[] = stridesOf(shape)): string[] {
  if (x.kind === 'scalar') return [`${out.array}[${outBase}] = ${x.expression};`];
  const source: Access = { array: x.array, base: plus(x.base, offset), strides };
  const target: Access = { array: out.array, base: outBase, strides: outStrides };
  return coalescedLoop(shape, [source, target], fresh(), ([from, to]) => [`${out.array}[${to}] = ${x.array}[${from}];`]);
}

/** A view operation materialised: the same strides the planner reads views with. */
function viewCopy(out: Output, [x]: readonly Ref[], node: Node, fresh: () => string): string[] {
  if (x!.kind === 'scalar') return [`${out.array}.fill(${x!.expression});`];
  const view = viewStrides(node, x!.shape, 0, x!.strides);
  if (view !== undefined) return copy(out, x!, node.shape, view.offset, view.strides, fresh);
  // A reshape of data that is not row-major: the operand's elements in row-major order.
  return copy(out, x!, x!.shape, 0, x!.strides, fresh);
}

/** The operand's dimensions split into those kept (outer loops) and those reduced (inner loops). */
function reductionLoops(x: Ref, axes: readonly number[]) {
  const shape = x.kind === 'array' ? x.shape : [];
  const strides = x.kind === 'array' ? x.strides : [];
  const keptSizes = shape.filter((_, d) => !axes.includes(d));
  const keptStrides = strides.filter((_, d) => !axes.includes(d));
  const reducedSizes = shape.filter((_, d) => axes.includes(d));
  const reducedStrides = strides.filter((_, d) => axes.includes(d));
  return { keptSizes, keptStrides, reducedSizes, reducedStrides };
}

/**
 * A reduction: for each kept index (outer loops) a pass over the reduced axes (inner loops).
 * `passes` are the inner loop bodies in order (each given the element read), `start` and `end`
 * the statements before the first and after the last (given the output element).
 */
function reduce(out: Output, x: Ref, axes: readonly number[], fresh: () => string, start: string[], passes: ((element: string) => string)[], end: (target: string) => string[]): string[] {
  if (x.kind === 'scalar') return [...start, ...passes.map((p) => p(x.expression)), ...end(`${out.array}[0]`)];
  const loops = reductionLoops(x, axes);
  const outer = fresh();
  return coalescedLoop(loops.keptSizes, [{ array: x.array, base: x.base, strides: loops.keptStrides }, outputAccess({ array: out.array, shape: loops.keptSizes })], outer, ([group, target]) => [
    ...start,
    ...passes.flatMap((pass) => coalescedLoop(loops.reducedSizes, [{ array: x.array, base: group!, strides: loops.reducedStrides }], fresh(), ([k]) => [pass(`${x.array}[${k}]`)])),
    ...end(`${out.array}[${target}]`),
  ]);
}

function matmul(out: Output, [a, c]: readonly Ref[], node: Node, fresh: () => string): string[] {
  const [sa, sc] = [node.args[0]!.shape, node.args[1]!.shape];
  const { batch, rows, inner, columns, leftBatch, rightBatch } = productLayout(sa, sc);
  if (a!.kind === 'scalar' || c!.kind === 'scalar') throw new Error('internal: matmul of a scalar');
  // Promote vectors (a row on the left, a column on the right): [row stride, inner stride] and [inner stride, column stride].
  const [sai, sak] = sa.length === 1 ? [0, a!.strides[0]!] : [a!.strides[sa.length - 2]!, a!.strides[sa.length - 1]!];
  const [sbk, sbj] = sc.length === 1 ? [c!.strides[0]!, 0] : [c!.strides[sc.length - 2]!, c!.strides[sc.length - 1]!];
  const accesses: Access[] = [
    { array: a!.array, base: a!.base, strides: stridesAlong(leftBatch, a!.strides, batch) },
    { array: c!.array, base: c!.base, strides: stridesAlong(rightBatch, c!.strides, batch) },
    { array: out.array, base: '0', strides: stridesOf(batch).map((s) => s * rows * columns) },
  ];
  const kernel = (bases: readonly string[]) => matrixProduct(out.array, bases[2]!, a!.array, bases[0]!, sai, sak, c!.array, bases[1]!, sbk, sbj, rows, inner, columns, fresh());
  if (batch.length === 0) return kernel([a!.base, c!.base, '0']);
  return loopNest(batch, accesses, fresh(), kernel);
}

/**
 * One matrix product O = A·B with A(i, k) at a[aBase + i·sai + k·sak], B(k, j) at
 * b[bBase + k·sbk + j·sbj] and O row-major from oBase.
 * - B's rows contiguous (sbj = 1): i-k-j order, so the inner loop runs along a row of B and a
 *   row of O; two output rows and four k at a time, so each element of B read serves two rows
 *   and each output element is loaded and stored once per four k (about 3× faster than the
 *   plain i-k-j loop for 64×784·784×128, measured).
 * - otherwise (B transposed, a column): dot products along k.
 * Every output element is summed over k from 0 upwards, one product at a time, as the reference
 * does, so the results are the reference's to the last bit.
 */
function matrixProduct(o: string, oBase: string, a: string, aBase: string, sai: number, sak: number, b: string, bBase: string, sbk: number, sbj: number, rows: number, inner: number, columns: number, p: string): string[] {
  const A = (di: number, k: string) => `${a}[${p}ra${di} + ${sak === 1 ? k : `(${k}) * ${sak}`}]`;
  const rowOffsets = (count: number) => Array.from({ length: count }, (_, di) => `const ${p}ra${di} = ${offsetExpression(aBase, `(${p}i + ${di})`, sai)};`);
  if (sbj !== 1 || columns === 1) {
    return [
      `for (let ${p}i = 0; ${p}i < ${rows}; ${p}i++) {`,
      ...rowOffsets(1).map((l) => `  ${l}`),
      `  for (let ${p}j = 0; ${p}j < ${columns}; ${p}j++) {`,
      `    const ${p}rb = ${offsetExpression(bBase, `${p}j`, sbj)};`,
      '    let total = 0;',
      `    for (let ${p}k = 0; ${p}k < ${inner}; ${p}k++) total += ${A(0, `${p}k`)} * ${b}[${offsetExpression(`${p}rb`, `${p}k`, sbk)}];`,
      `    ${o}[${offsetExpression(oBase, `${p}i`, columns)} + ${p}j] = total;`,
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
    const k = `${p}k`, j = `${p}j`;
    return [
      ...rowOffsets(count),
      ...ds.map((di) => `const ${p}ro${di} = ${offsetExpression(oBase, `(${p}i + ${di})`, columns)};`),
      `for (let ${j} = 0; ${j} < ${columns}; ${j}++) { ${ds.map((di) => `${o}[${p}ro${di} + ${j}] = 0;`).join(' ')} }`,
      `let ${k} = 0;`,
      `for (; ${k} + ${STEP - 1} < ${inner}; ${k} += ${STEP}) {`,
      ...ds.flatMap((di) => ks.map((dk) => `  const ${p}a${di}${dk} = ${A(di, `${k} + ${dk}`)};`)),
      `  const ${p}rb0 = ${offsetExpression(bBase, k, sbk)}${ks.slice(1).map((dk) => `, ${p}rb${dk} = ${p}rb${dk - 1} + ${sbk}`).join('')};`,
      `  for (let ${j} = 0; ${j} < ${columns}; ${j}++) {`,
      `    const ${ks.map((dk) => `${p}q${dk} = ${b}[${p}rb${dk} + ${j}]`).join(', ')};`,
      ...ds.map((di) => `    let ${p}o${di} = ${o}[${p}ro${di} + ${j}]; ${ks.map((dk) => `${p}o${di} += ${p}a${di}${dk} * ${p}q${dk};`).join(' ')} ${o}[${p}ro${di} + ${j}] = ${p}o${di};`),
      '  }',
      '}',
      `for (; ${k} < ${inner}; ${k}++) {`,
      ...ds.map((di) => `  const ${p}a${di} = ${A(di, k)};`),
      `  const ${p}rb = ${offsetExpression(bBase, k, sbk)};`,
      `  for (let ${j} = 0; ${j} < ${columns}; ${j}++) { const v = ${b}[${p}rb + ${j}]; ${ds.map((di) => `${o}[${p}ro${di} + ${j}] += ${p}a${di} * v;`).join(' ')} }`,
      '}',
    ];
  };
  const blocked = rows - (rows % ROWS);
  const lines: string[] = [];
  if (blocked > 0) lines.push(`for (let ${p}i = 0; ${p}i < ${blocked}; ${p}i += ${ROWS}) {`, ...rowBlock(ROWS).map((l) => `  ${l}`), '}');
  if (blocked < rows) lines.push(`for (let ${p}i = ${blocked}; ${p}i < ${rows}; ${p}i++) {`, ...rowBlock(rows - blocked).map((l) => `  ${l}`), '}');
  return lines;
}

/** The check every index read by gather, scatterAdd goes through (`E` builds the TypegradError). */
function checkedPosition(position: string, element: string, n: number, operation: string): string {
  return `const ${position} = ${element}; if (!(${position} >= 0 && ${position} < ${n} && Math.floor(${position}) === ${position})) throw E('${operation}', ${position}, ${n});`;
}

/**
 * The loops of gather and scatterAdd: over the axes before `axis` (pre), the indices' axes, and
 * the axes after (post). `inner` gets the data's and the other side's index expressions.
 */
function indexedLoops(dataShape: Shape, data: Ref, indices: Ref, axis: number, n: number, other: Access, operation: string, fresh: () => string, inner: (dataIndex: string, otherIndex: string) => string): string[] {
  if (data.kind === 'scalar') throw new Error(`internal: ${operation} of a scalar`);
  const pre = dataShape.slice(0, axis), post = dataShape.slice(axis + 1);
  const indexShape = indices.kind === 'array' ? indices.shape : [];
  const otherPre = other.strides.slice(0, axis), otherIndex = other.strides.slice(axis, axis + indexShape.length), otherPost = other.strides.slice(axis + indexShape.length);
  const position = fresh();
  return loopNest(pre, [{ array: data.array, base: data.base, strides: data.strides.slice(0, axis) }, { ...other, strides: otherPre }], fresh(), ([d0, o0]) => {
    const indexAccess: Access = indices.kind === 'array' ? { array: indices.array, base: indices.base, strides: indices.strides } : { array: '', base: '0', strides: [] };
    return loopNest(indexShape, [indexAccess, { array: other.array, base: o0!, strides: otherIndex }], fresh(), ([ti, o1]) => [
      checkedPosition(position, read(indices, ti!), n, operation),
      ...loopNest(post, [{ array: data.array, base: `${d0} + ${position} * ${data.strides[axis]}`, strides: data.strides.slice(axis + 1) }, { array: other.array, base: o1!, strides: otherPost }], fresh(), ([d, o]) => [inner(d!, o!)]),
    ]);
  });
}

/** Every tensor primitive but `custom`, which every backend decomposes into its rule's primal. */
export const jsTensorLowering: Record<Exclude<TensorPrimitiveName, 'custom'>, JsTensorLowering> = {
  broadcast: viewCopy,
  transpose: viewCopy,
  slice: viewCopy,
  reshape: viewCopy,
  sum: (out, [x], node, fresh) => reduce(out, x!, node.attrs, fresh, ['let total = 0;'], [(e) => `total += ${e};`], (t) => [`${t} = total;`]),
  // Math.max (not a comparison) so that NaN propagates as in the reference.
  max: (out, [x], node, fresh) => reduce(out, x!, node.attrs, fresh, ['let max = -Infinity;'], [(e) => `max = Math.max(max, ${e});`], (t) => [`${t} = max;`]),
  logsumexp: (out, [x], node, fresh) =>
    reduce(out, x!, node.attrs, fresh, ['let max = -Infinity;', 'let total = 0;'], [(e) => `max = Math.max(max, ${e});`, (e) => `total += Math.exp(${e} - max);`], (t) => [
      `${t} = Number.isFinite(max) ? max + Math.log(total) : max;`,
    ]),
  softmax: (out, [x], node, fresh) => {
    const axis = node.attrs[0]!;
    if (x!.kind === 'scalar') throw new Error('internal: softmax of a scalar');
    const loops = reductionLoops(x!, [axis]);
    const outStrides = stridesOf(node.shape);
    const keptOut = outStrides.filter((_, d) => d !== axis), axisOut = outStrides[axis]!;
    const n = node.shape[axis]!, sx = x!.strides[axis]!;
    const e = fresh();
    return coalescedLoop(loops.keptSizes, [{ array: x!.array, base: x!.base, strides: loops.keptStrides }, { array: out.array, base: '0', strides: keptOut }], fresh(), ([lane, target]) => [
      'let max = -Infinity;',
      `for (let ${e} = 0; ${e} < ${n}; ${e}++) max = Math.max(max, ${x!.array}[${offsetExpression(lane!, e, sx)}]);`,
      'let total = 0;',
      `for (let ${e} = 0; ${e} < ${n}; ${e}++) total += ${out.array}[${offsetExpression(target!, e, axisOut)}] = Math.exp(${x!.array}[${offsetExpression(lane!, e, sx)}] - max);`,
      `for (let ${e} = 0; ${e} < ${n}; ${e}++) ${out.array}[${offsetExpression(target!, e, axisOut)}] /= total;`,
    ]);
  },
  matmul,
  pack: (out, args) => args.map((a, k) => `${out.array}[${k}] = ${scalarOf(a)};`),
  get: (out, [x], node) => {
    if (x!.kind === 'scalar') return [`${out.array}[0] = ${x!.expression};`];
    const offset = node.attrs.reduce((total, i, axis) => total + i * x!.strides[axis]!, 0);
    return [`${out.array}[0] = ${x!.array}[${plus(x!.base, offset)}];`];
  },
  pad: (out, [x], node, fresh) => {
    const [axis, before] = node.attrs as [number, number];
    const strides = stridesOf(node.shape);
    return [`${out.array}.fill(0);`, ...copy(out, x!, node.args[0]!.shape, 0, x!.kind === 'array' ? x!.strides : [], fresh, String(before * strides[axis]!), strides)];
  },
  concat: (out, args, node, fresh) => {
    const axis = node.attrs[0]!;
    const strides = stridesOf(node.shape);
    let offset = 0;
    return node.args.flatMap((arg, i) => {
      const a = args[i]!;
      const lines = a.kind === 'scalar'
        ? [`${out.array}[${offset * strides[axis]!}] = ${a.expression};`]
        : copy(out, a, arg.shape, 0, a.strides, fresh, String(offset * strides[axis]!), strides);
      offset += arg.shape[axis]!;
      return lines;
    });
  },
  gather: (out, [x, indices], node, fresh) => {
    const axis = node.attrs[0]!;
    const shape = node.args[0]!.shape;
    return indexedLoops(shape, x!, indices!, axis, shape[axis]!, outputAccess(out), 'gather', fresh, (d, o) => `${out.array}[${o}] = ${read(x!, d)};`);
  },
  scatterAdd: (out, [values, indices], node, fresh) => {
    const [axis, n] = node.attrs as [number, number];
    // Read the values (the "other" side) and add into out (the indexed side), the reverse of gather.
    const valuesRef = values!;
    const valueAccess: Access = valuesRef.kind === 'array' ? { array: valuesRef.array, base: valuesRef.base, strides: valuesRef.strides } : { array: '', base: '0', strides: node.args[0]!.shape.map(() => 0) };
    const outRef: Ref = { kind: 'array', array: out.array, base: '0', strides: stridesOf(node.shape), shape: node.shape };
    return [
      `${out.array}.fill(0);`,
      ...indexedLoops(node.shape, outRef, indices!, axis, n, valueAccess, 'scatterAdd', fresh, (d, v) => `${out.array}[${d}] += ${read(valuesRef, v)};`),
    ];
  },
  oneHot: (out, [indices], node, fresh) => {
    const depth = node.attrs[0]!;
    const position = fresh();
    const indexShape = node.args[0]!.shape;
    const access: Access = indices!.kind === 'array' ? { array: indices!.array, base: indices!.base, strides: indices!.strides } : { array: '', base: '0', strides: [] };
    return [
      `${out.array}.fill(0);`,
      ...loopNest(indexShape, [access, { array: out.array, base: '0', strides: stridesOf(indexShape).map((s) => s * depth) }], fresh(), ([t, o]) => [
        `const ${position} = ${read(indices!, t!)};`,
        `if (${position} >= 0 && ${position} < ${depth} && Math.floor(${position}) === ${position}) ${out.array}[${o} + ${position}] = 1;`,
      ]),
    ];
  },
  ...jsWindowLowering,
};
