/**
 * The gpu.js kernels of the convolution and pooling primitives: one thread per element of the
 * result, looping over the taps that reach it (literal bounds, bounds checks as conditions, float
 * index arithmetic as in tensor.ts). A thread of a transposed operation (conv2dBackpropInput,
 * maxPool2dScatter, avgPool2dBackprop) finds the output positions that read its element:
 * r = i·stride − before + tap·dilation, so i = (r + before − tap·dilation) / stride when that
 * is a whole number in range; maxPool2dScatter then finds each such window's first maximum
 * again (a gather in place of a scatter: threads do not write each other's elements).
 */
import type { Node } from '../../ad/node.js';
import { convolutionGeometry } from '../../ad/primitives/convolution.js';
import { poolingGeometry } from '../../ad/primitives/pooling.js';
import type { WindowGeometry } from '../../ad/primitives/windows.js';
import { kernelSource, offsetOf, type GpuOperand, type KernelSource, type Names } from './tensor.js';

type ArrayOperand = Extract<GpuOperand, { kind: 'array' }>;

/** A float literal of an integer. */
const int = (n: number) => `${n}.0`;

function arrayOperand(x: GpuOperand | undefined, operation: string): ArrayOperand {
  if (x === undefined || x.kind !== 'array') throw new Error(`internal: ${operation} of a scalar`);
  return x;
}

/** `for (let v = 0.0; v < n; v += 1.0) { ... }` */
function loop(variable: string, n: number, body: string[]): string[] {
  return [`for (let ${variable} = 0.0; ${variable} < ${int(n)}; ${variable} += 1.0) {`, ...body.map((l) => `  ${l}`), '}'];
}

/** The element of operand `x` at [n, row, column, channel]. */
function at(x: ArrayOperand, index: readonly string[]): string {
  return `${x.param}[${offsetOf(x.offset, index, x.strides)}]`;
}

/** `index·stride − before + tap·dilation` as float source. */
function position(index: string, stride: number, before: number, tap: string, dilation: number): string {
  return `(${index} * ${int(stride)} - ${int(before)} + ${tap} * ${int(dilation)})`;
}

/**
 * Statements defining `name` as the output position reading input position `r` through `tap`
 * along one axis, and the condition that it exists: (r + before − tap·dilation) / stride whole
 * and in [0, positions).
 */
function source(name: string, r: string, tap: string, stride: number, before: number, dilation: number, positions: number): { lines: string[]; valid: string } {
  const shifted = `${name}t`;
  return {
    lines: [`const ${shifted} = ${r} + ${int(before)} - ${tap} * ${int(dilation)};`, `const ${name} = Math.floor((${shifted} + 0.5) / ${int(stride)});`],
    valid: `${shifted} >= 0.0 && ${shifted} - ${name} * ${int(stride)} === 0.0 && ${name} < ${int(positions)}`,
  };
}

const inside = (value: string, size: number) => `${value} >= 0.0 && ${value} < ${int(size)}`;

function conv2d([x0, k0]: readonly GpuOperand[], node: Node): KernelSource {
  const x = arrayOperand(x0, 'conv2d'), k = arrayOperand(k0, 'conv2d');
  const g = convolutionGeometry('conv2d', node.args[0]!.shape, node.args[1]!.shape, node.attrs);
  const C = node.args[1]!.shape[2]!;
  return kernelSource([x.param, k.param], node.shape, ([n, i, j, o], names, lines) => {
    const [a, b, c, row, column] = ['a', 'b', 'c', 'r', 'w'].map((s) => names.fresh(s)) as [string, string, string, string, string];
    lines.push(
      'let total = 0.0;',
      ...loop(a, g.kernelHeight, [
        `const ${row} = ${position(i!, g.strideHeight, g.padTop, a, g.dilationHeight)};`,
        ...loop(b, g.kernelWidth, [
          `const ${column} = ${position(j!, g.strideWidth, g.padLeft, b, g.dilationWidth)};`,
          `if (${inside(row, g.height)} && ${inside(column, g.width)}) {`,
          ...loop(c, C, [`total += ${at(x, [n!, row, column, c])} * ${at(k, [a, b, c, o!])};`]).map((l) => `  ${l}`),
          '}',
        ]),
      ]),
    );
    return 'total';
  });
}

function conv2dBackpropInput([dy0, k0]: readonly GpuOperand[], node: Node): KernelSource {
  const dy = arrayOperand(dy0, 'conv2dBackpropInput'), k = arrayOperand(k0, 'conv2dBackpropInput');
  const [H, W] = node.attrs as [number, number];
  const g = convolutionGeometry('conv2dBackpropInput', [node.shape[0]!, H, W, node.args[1]!.shape[2]!], node.args[1]!.shape, node.attrs.slice(2));
  const O = node.args[1]!.shape[3]!;
  return kernelSource([dy.param, k.param], node.shape, ([n, r, s, c], names, lines) => {
    const [a, b, o, i, j] = ['a', 'b', 'o', 'i', 'j'].map((p) => names.fresh(p)) as [string, string, string, string, string];
    const rows = source(i, r!, a, g.strideHeight, g.padTop, g.dilationHeight, g.outHeight);
    const columns = source(j, s!, b, g.strideWidth, g.padLeft, g.dilationWidth, g.outWidth);
    lines.push(
      'let total = 0.0;',
      ...loop(a, g.kernelHeight, [
        ...rows.lines,
        ...loop(b, g.kernelWidth, [
          ...columns.lines,
          `if (${rows.valid} && ${columns.valid}) {`,
          ...loop(o, O, [`total += ${at(dy, [n!, i, j, o])} * ${at(k, [a, b, c!, o])};`]).map((l) => `  ${l}`),
          '}',
        ]),
      ]),
    );
    return 'total';
  });
}

function conv2dBackpropFilter([x0, dy0]: readonly GpuOperand[], node: Node): KernelSource {
  const x = arrayOperand(x0, 'conv2dBackpropFilter'), dy = arrayOperand(dy0, 'conv2dBackpropFilter');
  const g = convolutionGeometry('conv2dBackpropFilter', node.args[0]!.shape, node.shape, node.attrs.slice(2));
  return kernelSource([x.param, dy.param], node.shape, ([a, b, c, o], names, lines) => {
    const [n, i, j, row, column] = ['n', 'i', 'j', 'r', 'w'].map((p) => names.fresh(p)) as [string, string, string, string, string];
    lines.push(
      'let total = 0.0;',
      ...loop(n, g.batch, [
        ...loop(i, g.outHeight, [
          `const ${row} = ${position(i, g.strideHeight, g.padTop, a!, g.dilationHeight)};`,
          ...loop(j, g.outWidth, [
            `const ${column} = ${position(j, g.strideWidth, g.padLeft, b!, g.dilationWidth)};`,
            `if (${inside(row, g.height)} && ${inside(column, g.width)}) { total += ${at(x, [n, row, column, c!])} * ${at(dy, [n, i, j, o!])}; }`,
          ]),
        ]),
      ]),
    );
    return 'total';
  });
}

/**
 * Statements finding the first maximum of x over window (i, j) of channel c of example n: the
 * locals `${best}` (its value) and `${row}`/`${column}` (its position); taps that are padding are skipped.
 */
function firstMaximum(x: ArrayOperand, g: WindowGeometry, n: string, i: string, j: string, c: string, names: Names): { lines: string[]; row: string; column: string; best: string } {
  const [a, b, r, w, v, best, found, row, column] = ['a', 'b', 'r', 'w', 'v', 'best', 'found', 'mr', 'mw'].map((p) => names.fresh(p)) as [string, string, string, string, string, string, string, string, string];
  return {
    lines: [
      `let ${best} = 0.0;`,
      `let ${found} = 0.0;`,
      `let ${row} = 0.0;`,
      `let ${column} = 0.0;`,
      ...loop(a, g.kernelHeight, [
        `const ${r} = ${position(i, g.strideHeight, g.padTop, a, 1)};`,
        ...loop(b, g.kernelWidth, [
          `const ${w} = ${position(j, g.strideWidth, g.padLeft, b, 1)};`,
          `if (${inside(r, g.height)} && ${inside(w, g.width)}) {`,
          `  const ${v} = ${at(x, [n, r, w, c])};`,
          `  if (${found} === 0.0 || ${v} > ${best}) { ${best} = ${v}; ${row} = ${r}; ${column} = ${w}; ${found} = 1.0; }`,
          '}',
        ]),
      ]),
    ],
    row,
    column,
    best,
  };
}

function maxPool2d([x0]: readonly GpuOperand[], node: Node): KernelSource {
  const x = arrayOperand(x0, 'maxPool2d');
  const g = poolingGeometry('maxPool2d', node.args[0]!.shape, node.attrs);
  return kernelSource([x.param], node.shape, ([n, i, j, c], names, lines) => {
    const maximum = firstMaximum(x, g, n!, i!, j!, c!, names);
    lines.push(...maximum.lines);
    return maximum.best;
  });
}

function maxPool2dGather([x0, t0]: readonly GpuOperand[], node: Node): KernelSource {
  const x = arrayOperand(x0, 'maxPool2dGather'), t = arrayOperand(t0, 'maxPool2dGather');
  const g = poolingGeometry('maxPool2dGather', node.args[0]!.shape, node.attrs);
  return kernelSource([x.param, t.param], node.shape, ([n, i, j, c], names, lines) => {
    const maximum = firstMaximum(x, g, n!, i!, j!, c!, names);
    lines.push(...maximum.lines);
    return at(t, [n!, maximum.row, maximum.column, c!]);
  });
}

/**
 * The kernel of a transposed pooling (maxPool2dScatter, avgPool2dBackprop): per input element
 * (n, r, s, c), the sum over the windows (i, j) that contain it of `share(i, j)`, given the
 * statements before it.
 */
function overWindows(g: WindowGeometry, shape: readonly number[], params: readonly string[], share: (n: string, i: string, j: string, c: string, r: string, s: string, names: Names) => { lines: string[]; value: string }): KernelSource {
  return kernelSource(params, shape, ([n, r, s, c], names, lines) => {
    const [a, b, i, j] = ['a', 'b', 'i', 'j'].map((p) => names.fresh(p)) as [string, string, string, string];
    const rows = source(i, r!, a, g.strideHeight, g.padTop, 1, g.outHeight);
    const columns = source(j, s!, b, g.strideWidth, g.padLeft, 1, g.outWidth);
    const part = share(n!, i, j, c!, r!, s!, names);
    lines.push(
      'let total = 0.0;',
      ...loop(a, g.kernelHeight, [
        ...rows.lines,
        ...loop(b, g.kernelWidth, [...columns.lines, `if (${rows.valid} && ${columns.valid}) {`, ...part.lines.map((l) => `  ${l}`), `  total += ${part.value};`, '}']),
      ]),
    );
    return 'total';
  });
}

function maxPool2dScatter([x0, g0]: readonly GpuOperand[], node: Node): KernelSource {
  const x = arrayOperand(x0, 'maxPool2dScatter'), seed = arrayOperand(g0, 'maxPool2dScatter');
  const g = poolingGeometry('maxPool2dScatter', node.args[0]!.shape, node.attrs);
  return overWindows(g, node.shape, [x.param, seed.param], (n, i, j, c, r, s, names) => {
    const maximum = firstMaximum(x, g, n, i, j, c, names);
    return { lines: maximum.lines, value: `(${maximum.row} === ${r} && ${maximum.column} === ${s} ? ${at(seed, [n, i, j, c])} : 0.0)` };
  });
}

/** The count of elements that are not padding in window (i, j), as float source. */
function windowCount(g: WindowGeometry, i: string, j: string): string {
  const extent = (index: string, stride: number, before: number, size: number, length: number) =>
    `(Math.min(${index} * ${int(stride)} - ${int(before)} + ${int(size)}, ${int(length)}) - Math.max(${index} * ${int(stride)} - ${int(before)}, 0.0))`;
  return `${extent(i, g.strideHeight, g.padTop, g.kernelHeight, g.height)} * ${extent(j, g.strideWidth, g.padLeft, g.kernelWidth, g.width)}`;
}

function avgPool2d([x0]: readonly GpuOperand[], node: Node): KernelSource {
  const x = arrayOperand(x0, 'avgPool2d');
  const g = poolingGeometry('avgPool2d', node.args[0]!.shape, node.attrs);
  return kernelSource([x.param], node.shape, ([n, i, j, c], names, lines) => {
    const [a, b, r, w] = ['a', 'b', 'r', 'w'].map((p) => names.fresh(p)) as [string, string, string, string];
    lines.push(
      'let total = 0.0;',
      ...loop(a, g.kernelHeight, [
        `const ${r} = ${position(i!, g.strideHeight, g.padTop, a, 1)};`,
        ...loop(b, g.kernelWidth, [`const ${w} = ${position(j!, g.strideWidth, g.padLeft, b, 1)};`, `if (${inside(r, g.height)} && ${inside(w, g.width)}) { total += ${at(x, [n!, r, w, c!])}; }`]),
      ]),
    );
    return `total / (${windowCount(g, i!, j!)})`;
  });
}

function avgPool2dBackprop([g0]: readonly GpuOperand[], node: Node): KernelSource {
  const seed = arrayOperand(g0, 'avgPool2dBackprop');
  const g = poolingGeometry('avgPool2dBackprop', node.shape, node.attrs.slice(2));
  return overWindows(g, node.shape, [seed.param], (n, i, j, c) => ({ lines: [], value: `${at(seed, [n, i, j, c])} / (${windowCount(g, i, j)})` }));
}

/** The kernels of the window primitives, by primitive (spread into the gpu tensor lowering table). */
export const gpuWindowLowering = {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  maxPool2d,
  maxPool2dGather,
  maxPool2dScatter,
  avgPool2d,
  avgPool2dBackprop,
} satisfies Record<string, (operands: readonly GpuOperand[], node: Node) => KernelSource>;

/** The primitives whose kernels are here (the renderer joins this table to tensor.ts's). */
export type GpuWindowPrimitive = keyof typeof gpuWindowLowering;
