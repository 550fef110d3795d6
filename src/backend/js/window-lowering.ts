/**
 * The JavaScript lowering of the convolution and pooling primitives: direct loops over the
 * NHWC data with every size, stride and padding a literal, operands read in place through their
 * strides. Each output element is summed in the reference's order (so results are the
 * reference's to the last bit), but the loops are arranged so that a block of results is held
 * in local accumulators, unrolled: a few neighbours along the width times a group of channels
 * (see `blocking`), each element loaded serving several products:
 * - conv2d: neighbouring output pixels × output channels; the taps and input channels are the
 *   reduction, a kernel row shared by the pixels;
 * - conv2dBackpropFilter: neighbouring kernel taps × output channels, the reduction running over
 *   the batch and the output pixels, a seed row shared by the taps;
 * - conv2dBackpropInput: neighbouring input pixels × input channels (the gather form of the
 *   transposed convolution: each element is written once, no scatter);
 * - pooling: windows unrolled when small.
 *
 * Measured on LeNet's convolutions (batch 64, 5×5×1×6 on 28×28 and 5×5×6×16 on 12×12, one
 * generated loop each, on the 2-core benchmark machine): im2col into the blocked matmul took
 * 18.5 and 36.3 ms, direct loops with one pixel's channels in accumulators 9.7 and 15.9 ms, and
 * with blocks of 12 to 16 accumulators 5.1 and 6.5 ms: the im2col copy and the short inner
 * products (6 and 16 columns) cost more than they save, and blocks halve the loads per product.
 */
import type { Node } from '../../ad/node.js';
import { convolutionGeometry } from '../../ad/primitives/convolution.js';
import { poolingGeometry } from '../../ad/primitives/pooling.js';
import type { WindowGeometry } from '../../ad/primitives/windows.js';
import { stridesOf } from '../../ad/shape.js';
import { offsetExpression } from './loops.js';
import type { JsTensorLowering, Ref } from './tensor-lowering.js';

/** Windows of up to this many taps are unrolled in pooling loops. */
const UNROLLED_TAPS = 16;

type ArrayRef = Extract<Ref, { kind: 'array' }>;

/** The operand as an array ref (a scalar operand cannot reach a rank-4 operation). */
function arrayRef(ref: Ref | undefined, operation: string): ArrayRef {
  if (ref === undefined || ref.kind !== 'array') throw new Error(`internal: ${operation} of a scalar`);
  return ref;
}

/** `a + b + ...` of offset terms, dropping zeros. */
function sum(...terms: string[]): string {
  const kept = terms.filter((t) => t !== '0' && t !== '');
  return kept.length === 0 ? '0' : kept.join(' + ');
}

/** `index * stride` as a term ('' for a zero stride). */
function term(index: string, stride: number): string {
  return offsetExpression('0', /^[\w.]+$/.test(index) ? index : `(${index})`, stride);
}

/** The input position `index·stride − before + tap·dilation` as source. */
function position(index: string, stride: number, before: number, tap: string, dilation: number): string {
  const parts = [stride === 0 ? '' : stride === 1 ? index : `${index} * ${stride}`, dilation === 1 ? tap : `${tap} * ${dilation}`].filter((p) => p !== '' && p !== '0');
  const text = parts.length === 0 ? '0' : parts.join(' + ');
  return before === 0 ? text : `${text} - ${before}`;
}

/** Whether the window can reach outside the input along rows or columns (so taps need bounds checks). */
function padded(g: WindowGeometry): { rows: boolean; columns: boolean } {
  const lastRow = (g.outHeight - 1) * g.strideHeight - g.padTop + (g.kernelHeight - 1) * g.dilationHeight;
  const lastColumn = (g.outWidth - 1) * g.strideWidth - g.padLeft + (g.kernelWidth - 1) * g.dilationWidth;
  return { rows: g.padTop > 0 || lastRow >= g.height, columns: g.padLeft > 0 || lastColumn >= g.width };
}

/**
 * How many results a convolution loop computes at once: `width` neighbours along the width (of
 * the output for conv2d, of the kernel for conv2dBackpropFilter) times a `group` of channels,
 * about ACCUMULATORS locals in all. Neighbours share the kernel's (or the seed's) loads, so
 * each element loaded serves several products; more locals than registers spill.
 */
function blocking(channels: number, neighbours: number, blocked: boolean): { group: number; width: number } {
  const group = Math.min(channels, GROUP);
  return { group, width: blocked ? Math.max(1, Math.min(neighbours, Math.floor(ACCUMULATORS / group))) : 1 };
}

/** Results computed at once by a convolution loop (measured on LeNet's convolutions: 12 to 16 is fastest). */
const ACCUMULATORS = 16;
/** The most channels of a result held in locals at once. */
const GROUP = 8;

/** `[start, end)` ranges of channels in groups of `group`. */
function groups(channels: number, group: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < channels; start += group) ranges.push([start, Math.min(channels, start + group)]);
  return ranges;
}

/**
 * The loop over `count` positions in blocks of `width` (then one block of the rest): `body(p,
 * width)` gives the statements for positions p … p + width − 1, p the loop variable.
 */
function blocks(variable: string, count: number, width: number, body: (width: number) => string[]): string[] {
  const whole = count - (count % width);
  const lines: string[] = [];
  if (whole > 0) lines.push(`for (let ${variable} = 0; ${variable} < ${whole}; ${variable} += ${width}) {`, ...body(width), '}');
  if (whole < count) lines.push(`{`, `const ${variable} = ${whole};`, ...body(count - whole), '}');
  return lines;
}

/**
 * conv2d: for each output pixel (n, i, j), the sum over taps (a, b) and input channels c of
 * x[n, row, column, c] times the kernel row k[a, b, c, :]. Neighbouring pixels along the width
 * (when no tap reads the column padding) and a group of output channels are accumulated at once.
 */
const conv2d: JsTensorLowering = (out, args, node, fresh) => {
  const x = arrayRef(args[0], 'conv2d'), k = arrayRef(args[1], 'conv2d');
  const g = convolutionGeometry('conv2d', node.args[0]!.shape, node.args[1]!.shape, node.attrs);
  const C = node.args[1]!.shape[2]!, O = node.args[1]!.shape[3]!;
  const [sxn, sxh, sxw, sxc] = x.strides as [number, number, number, number];
  const [ska, skb, skc, sko] = k.strides as [number, number, number, number];
  const p = fresh();
  const check = padded(g);
  const { group, width } = blocking(O, g.outWidth, !check.columns);
  const pixel = (d: number) => `${p}s${d}_`;
  const block = (pixels: number): string[] =>
    groups(O, group).flatMap(([first, last]) => {
      const channels = Array.from({ length: last - first }, (_, q) => first + q);
      const neighbours = Array.from({ length: pixels }, (_, d) => d);
      const o = `((${p}n * ${g.outHeight} + ${p}i) * ${g.outWidth} + ${p}j) * ${O}`;
      return [
        '{',
        `let ${neighbours.flatMap((d) => channels.map((q) => `${pixel(d)}${q} = 0`)).join(', ')};`,
        `for (let ${p}a = 0; ${p}a < ${g.kernelHeight}; ${p}a++) {`,
        `const ${p}r = ${position(`${p}i`, g.strideHeight, g.padTop, `${p}a`, g.dilationHeight)};`,
        ...(check.rows ? [`if (${p}r < 0 || ${p}r >= ${g.height}) continue;`] : []),
        `for (let ${p}b = 0; ${p}b < ${g.kernelWidth}; ${p}b++) {`,
        `const ${p}w = ${position(`${p}j`, g.strideWidth, g.padLeft, `${p}b`, g.dilationWidth)};`,
        ...(check.columns ? [`if (${p}w < 0 || ${p}w >= ${g.width}) continue;`] : []),
        `const ${p}x = ${sum(x.base, term(`${p}n`, sxn), term(`${p}r`, sxh), term(`${p}w`, sxw))};`,
        `const ${p}k = ${sum(k.base, term(`${p}a`, ska), term(`${p}b`, skb))};`,
        `for (let ${p}c = 0; ${p}c < ${C}; ${p}c++) {`,
        `const ${p}xc = ${sum(`${p}x`, term(`${p}c`, sxc))}, ${p}kc = ${sum(`${p}k`, term(`${p}c`, skc))};`,
        ...neighbours.map((d) => `const ${p}v${d} = ${x.array}[${sum(`${p}xc`, String(d * g.strideWidth * sxw))}];`),
        ...channels.map((q) => `{ const ${p}u = ${k.array}[${sum(`${p}kc`, String(q * sko))}]; ${neighbours.map((d) => `${pixel(d)}${q} += ${p}v${d} * ${p}u;`).join(' ')} }`),
        '}',
        '}',
        '}',
        `const ${p}o = ${o};`,
        ...neighbours.flatMap((d) => channels.map((q) => `${out.array}[${sum(`${p}o`, String(d * O + q))}] = ${pixel(d)}${q};`)),
        '}',
      ];
    });
  return [
    `for (let ${p}n = 0; ${p}n < ${g.batch}; ${p}n++) {`,
    `for (let ${p}i = 0; ${p}i < ${g.outHeight}; ${p}i++) {`,
    ...blocks(`${p}j`, g.outWidth, width, block),
    '}',
    '}',
  ];
};

/**
 * conv2dBackpropFilter: for each tap (a, b) and input channel c, the sum over the batch and the
 * output pixels of x[n, row, column, c] times the seed row dy[n, i, j, :]. Neighbouring taps
 * along the kernel's width (when none reads the column padding) and a group of output channels
 * are accumulated at once, sharing the seed's loads.
 */
const conv2dBackpropFilter: JsTensorLowering = (out, args, node, fresh) => {
  const x = arrayRef(args[0], 'conv2dBackpropFilter'), dy = arrayRef(args[1], 'conv2dBackpropFilter');
  const [KH, KW] = node.attrs as [number, number];
  const C = node.args[0]!.shape[3]!, O = node.args[1]!.shape[3]!;
  const g = convolutionGeometry('conv2dBackpropFilter', node.args[0]!.shape, [KH, KW, C, O], node.attrs.slice(2));
  const [sxn, sxh, sxw, sxc] = x.strides as [number, number, number, number];
  const [sdn, sdh, sdw, sdo] = dy.strides as [number, number, number, number];
  const p = fresh();
  const check = padded(g);
  const { group, width } = blocking(O, KW, !check.columns);
  const tap = (d: number) => `${p}s${d}_`;
  const block = (taps: number): string[] =>
    groups(O, group).flatMap(([first, last]) => {
      const channels = Array.from({ length: last - first }, (_, q) => first + q);
      const neighbours = Array.from({ length: taps }, (_, d) => d);
      return [
        '{',
        `let ${neighbours.flatMap((d) => channels.map((q) => `${tap(d)}${q} = 0`)).join(', ')};`,
        `for (let ${p}n = 0; ${p}n < ${g.batch}; ${p}n++) {`,
        `for (let ${p}i = 0; ${p}i < ${g.outHeight}; ${p}i++) {`,
        `const ${p}r = ${position(`${p}i`, g.strideHeight, g.padTop, `${p}a`, g.dilationHeight)};`,
        ...(check.rows ? [`if (${p}r < 0 || ${p}r >= ${g.height}) continue;`] : []),
        `const ${p}xr = ${sum(x.base, term(`${p}n`, sxn), term(`${p}r`, sxh), term(`${p}c`, sxc))};`,
        `const ${p}dr = ${sum(dy.base, term(`${p}n`, sdn), term(`${p}i`, sdh))};`,
        `for (let ${p}j = 0; ${p}j < ${g.outWidth}; ${p}j++) {`,
        `const ${p}w = ${position(`${p}j`, g.strideWidth, g.padLeft, `${p}b`, g.dilationWidth)};`,
        ...(check.columns ? [`if (${p}w < 0 || ${p}w >= ${g.width}) continue;`] : []),
        `const ${p}xw = ${sum(`${p}xr`, term(`${p}w`, sxw))}, ${p}d = ${sum(`${p}dr`, term(`${p}j`, sdw))};`,
        ...neighbours.map((d) => `const ${p}v${d} = ${x.array}[${sum(`${p}xw`, String(d * g.dilationWidth * sxw))}];`),
        ...channels.map((q) => `{ const ${p}u = ${dy.array}[${sum(`${p}d`, String(q * sdo))}]; ${neighbours.map((d) => `${tap(d)}${q} += ${p}v${d} * ${p}u;`).join(' ')} }`),
        '}',
        '}',
        '}',
        `const ${p}o = ((${p}a * ${KW} + ${p}b) * ${C} + ${p}c) * ${O};`,
        ...neighbours.flatMap((d) => channels.map((q) => `${out.array}[${sum(`${p}o`, String(d * C * O + q))}] = ${tap(d)}${q};`)),
        '}',
      ];
    });
  return [
    `for (let ${p}a = 0; ${p}a < ${KH}; ${p}a++) {`,
    `for (let ${p}c = 0; ${p}c < ${C}; ${p}c++) {`,
    ...blocks(`${p}b`, KW, width, block),
    '}',
    '}',
  ];
};

/**
 * The output position reading input position `r` through tap `a` along one axis, as a guarded
 * local: i = (r + before − a·dilation) / stride when whole and in [0, positions), else `continue`.
 */
function sourcePosition(name: string, r: string, a: string, stride: number, before: number, dilation: number, positions: number): string[] {
  const shifted = `${r}${before === 0 ? '' : ` + ${before}`} - ${dilation === 1 ? a : `${a} * ${dilation}`}`;
  if (stride === 1) return [`const ${name} = ${shifted};`, `if (${name} < 0 || ${name} >= ${positions}) continue;`];
  return [`const ${name}t = ${shifted};`, `if (${name}t < 0 || ${name}t % ${stride} !== 0) continue;`, `const ${name} = ${name}t / ${stride};`, `if (${name} >= ${positions}) continue;`];
}

/**
 * conv2dBackpropInput: for each input pixel (n, r, s), the sum over the taps that read it and
 * the output channels o of dy[n, i, j, o] times the kernel column k[a, b, :, o], a group of
 * input channels at once. With unit strides along the width, neighbouring pixels (s, s + 1, ...)
 * read neighbouring seed columns (j, j + 1, ...) through each tap and are accumulated at once,
 * each reading 0 where its column falls outside the seed.
 */
const conv2dBackpropInput: JsTensorLowering = (out, args, node, fresh) => {
  const dy = arrayRef(args[0], 'conv2dBackpropInput'), k = arrayRef(args[1], 'conv2dBackpropInput');
  const [H, W] = node.attrs as [number, number];
  const C = node.args[1]!.shape[2]!, O = node.args[1]!.shape[3]!;
  const g = convolutionGeometry('conv2dBackpropInput', [node.shape[0]!, H, W, C], node.args[1]!.shape, node.attrs.slice(2));
  const [sdn, sdh, sdw, sdo] = dy.strides as [number, number, number, number];
  const [ska, skb, skc, sko] = k.strides as [number, number, number, number];
  const p = fresh();
  const { group, width } = blocking(C, W, g.strideWidth === 1);
  const pixel = (d: number) => `${p}s${d}_`;
  const block = (pixels: number): string[] =>
    groups(C, group).flatMap(([first, last]) => {
      const channels = Array.from({ length: last - first }, (_, q) => first + q);
      const neighbours = Array.from({ length: pixels }, (_, d) => d);
      // One pixel: the column source with its checks; several (unit strides): each pixel's column j + d, checked on read.
      const columns = pixels === 1
        ? sourcePosition(`${p}j`, `${p}w`, `${p}b`, g.strideWidth, g.padLeft, g.dilationWidth, g.outWidth)
        : [
          `const ${p}j = ${p}w${g.padLeft === 0 ? '' : ` + ${g.padLeft}`} - ${g.dilationWidth === 1 ? `${p}b` : `${p}b * ${g.dilationWidth}`};`,
          `if (${p}j + ${pixels - 1} < 0 || ${p}j >= ${g.outWidth}) continue;`,
        ];
      const read = (d: number) => {
        const element = `${dy.array}[${sum(`${p}dc`, String(d * sdw))}]`;
        return pixels === 1 ? element : `(${p}j + ${d} >= 0 && ${p}j + ${d} < ${g.outWidth} ? ${element} : 0)`;
      };
      return [
        '{',
        `let ${neighbours.flatMap((d) => channels.map((q) => `${pixel(d)}${q} = 0`)).join(', ')};`,
        `for (let ${p}a = 0; ${p}a < ${g.kernelHeight}; ${p}a++) {`,
        ...sourcePosition(`${p}i`, `${p}r`, `${p}a`, g.strideHeight, g.padTop, g.dilationHeight, g.outHeight),
        `for (let ${p}b = 0; ${p}b < ${g.kernelWidth}; ${p}b++) {`,
        ...columns,
        `const ${p}d = ${sum(dy.base, term(`${p}n`, sdn), term(`${p}i`, sdh), term(`${p}j`, sdw))};`,
        `const ${p}k = ${sum(k.base, term(`${p}a`, ska), term(`${p}b`, skb))};`,
        `for (let ${p}o = 0; ${p}o < ${O}; ${p}o++) {`,
        `const ${p}dc = ${sum(`${p}d`, term(`${p}o`, sdo))}, ${p}kc = ${sum(`${p}k`, term(`${p}o`, sko))};`,
        ...neighbours.map((d) => `const ${p}v${d} = ${read(d)};`),
        ...channels.map((q) => `{ const ${p}u = ${k.array}[${sum(`${p}kc`, String(q * skc))}]; ${neighbours.map((d) => `${pixel(d)}${q} += ${p}v${d} * ${p}u;`).join(' ')} }`),
        '}',
        '}',
        '}',
        `const ${p}t = ((${p}n * ${H} + ${p}r) * ${W} + ${p}w) * ${C};`,
        ...neighbours.flatMap((d) => channels.map((q) => `${out.array}[${sum(`${p}t`, String(d * C + q))}] = ${pixel(d)}${q};`)),
        '}',
      ];
    });
  return [
    `for (let ${p}n = 0; ${p}n < ${g.batch}; ${p}n++) {`,
    `for (let ${p}r = 0; ${p}r < ${H}; ${p}r++) {`,
    ...blocks(`${p}w`, W, width, block),
    '}',
    '}',
  ];
};

/** What a pooling lowering does per window: statements before the taps, at each tap, and after. */
interface WindowBody {
  readonly before: string[];
  /** Statements for a tap at `offsets` (one per ref); `first` says whether it is the window's first tap that is not padding (a flag's name when known only at run time). */
  readonly visit: (offsets: readonly string[], first: boolean | string) => string[];
  readonly after: string[];
}

/**
 * The loops over pooling windows: for each output pixel (n, i, j) and channel c (the result's
 * flat index is the local `${p}t`), the taps of the window that are not padding, in row-major
 * order, with each ref's element offset. A small window entirely inside the input is unrolled
 * (`unrolled`: its first tap is known); otherwise the taps loop with bounds checks and a flag
 * marks the first one.
 */
function poolingLoops(g: WindowGeometry, channels: number, refs: readonly { base: string; strides: readonly number[] }[], window: (p: string, unrolled: boolean) => WindowBody, fresh: () => string): string[] {
  const p = fresh();
  const check = padded(g);
  const unrolled = g.kernelHeight * g.kernelWidth <= UNROLLED_TAPS && !check.rows && !check.columns;
  const body = window(p, unrolled);
  const rowOf = (a: string) => position(`${p}i`, g.strideHeight, g.padTop, a, 1);
  const columnOf = (b: string) => position(`${p}j`, g.strideWidth, g.padLeft, b, 1);
  const offsets = (row: string, column: string) =>
    refs.map((ref) => sum(ref.base, term(`${p}n`, ref.strides[0]!), term(row, ref.strides[1]!), term(column, ref.strides[2]!), term(`${p}c`, ref.strides[3]!)));
  const inner: string[] = [];
  if (unrolled) {
    for (let a = 0; a < g.kernelHeight; a++) {
      for (let b = 0; b < g.kernelWidth; b++) inner.push(...body.visit(offsets(rowOf(String(a)), columnOf(String(b))), a === 0 && b === 0));
    }
  } else {
    inner.push(
      `let ${p}first = true;`,
      `for (let ${p}a = 0; ${p}a < ${g.kernelHeight}; ${p}a++) {`,
      `const ${p}r = ${rowOf(`${p}a`)};`,
      ...(check.rows ? [`if (${p}r < 0 || ${p}r >= ${g.height}) continue;`] : []),
      `for (let ${p}b = 0; ${p}b < ${g.kernelWidth}; ${p}b++) {`,
      `const ${p}w = ${columnOf(`${p}b`)};`,
      ...(check.columns ? [`if (${p}w < 0 || ${p}w >= ${g.width}) continue;`] : []),
      ...body.visit(offsets(`${p}r`, `${p}w`), `${p}first`),
      `${p}first = false;`,
      '}',
      '}',
    );
  }
  return [
    `for (let ${p}n = 0; ${p}n < ${g.batch}; ${p}n++) {`,
    `for (let ${p}i = 0; ${p}i < ${g.outHeight}; ${p}i++) {`,
    `for (let ${p}j = 0; ${p}j < ${g.outWidth}; ${p}j++) {`,
    `for (let ${p}c = 0; ${p}c < ${channels}; ${p}c++) {`,
    `const ${p}t = ((${p}n * ${g.outHeight} + ${p}i) * ${g.outWidth} + ${p}j) * ${channels} + ${p}c;`,
    ...body.before,
    ...inner,
    ...body.after,
    '}',
    '}',
    '}',
    '}',
  ];
}

/**
 * A tap taken as the window's maximum so far when it is the first or larger (the reference's
 * rule: the first maximum wins): the maximum `${p}m` and, with `at`, the tap's target offset `${p}at`.
 * The first tap of an unrolled window declares them; otherwise `before` does.
 */
function takeMaximum(p: string, value: string, first: boolean | string, at?: string): string[] {
  if (first === true) return [`let ${p}m = ${value};`, ...(at === undefined ? [] : [`let ${p}at = ${at};`])];
  const take = [`${p}m = ${p}v;`, ...(at === undefined ? [] : [`${p}at = ${at};`])].join(' ');
  const condition = first === false ? `${p}v > ${p}m` : `${first} || ${p}v > ${p}m`;
  return [`{ const ${p}v = ${value}; if (${condition}) { ${take} } }`];
}

/** The element count of each window of `g` (padding not counted), as source at output pixel (i, j). */
function windowCount(g: WindowGeometry, p: string): string {
  const check = padded(g);
  if (!check.rows && !check.columns) return String(g.kernelHeight * g.kernelWidth);
  const extent = (index: string, stride: number, before: number, size: number, length: number) =>
    `(Math.min(${index} * ${stride} - ${before} + ${size}, ${length}) - Math.max(${index} * ${stride} - ${before}, 0))`;
  return `${extent(`${p}i`, g.strideHeight, g.padTop, g.kernelHeight, g.height)} * ${extent(`${p}j`, g.strideWidth, g.padLeft, g.kernelWidth, g.width)}`;
}

/** The tap's value read from an array ref at an offset. */
const element = (ref: ArrayRef, offset: string) => `${ref.array}[${offset}]`;

const maxPool2d: JsTensorLowering = (out, args, node, fresh) => {
  const x = arrayRef(args[0], 'maxPool2d');
  const g = poolingGeometry('maxPool2d', node.args[0]!.shape, node.attrs);
  return poolingLoops(g, node.shape[3]!, [x], (p, unrolled) => ({
    before: unrolled ? [] : [`let ${p}m = 0;`],
    visit: ([offset], first) => takeMaximum(p, element(x, offset!), first),
    after: [`${out.array}[${p}t] = ${p}m;`],
  }), fresh);
};

/** The lowering of maxPool2dGather (t read at x's arg-max) and maxPool2dScatter (g added there). */
function argmaxLowering(operation: 'maxPool2dGather' | 'maxPool2dScatter'): JsTensorLowering {
  return (out, args, node, fresh) => {
    const x = arrayRef(args[0], operation), other = arrayRef(args[1], operation);
    const inputShape = node.args[0]!.shape;
    const g = poolingGeometry(operation, inputShape, node.attrs);
    const gather = operation === 'maxPool2dGather';
    // The gather reads t at x's positions (t has x's shape); the scatter writes there in out (x's shape, row-major).
    const target = gather ? { base: other.base, strides: other.strides } : { base: '0', strides: stridesOf(inputShape) };
    const seedAt = (p: string) => sum(other.base, term(`${p}n`, other.strides[0]!), term(`${p}i`, other.strides[1]!), term(`${p}j`, other.strides[2]!), term(`${p}c`, other.strides[3]!));
    const loops = poolingLoops(g, inputShape[3]!, [x, target], (p, unrolled) => ({
      before: unrolled ? [] : [`let ${p}m = 0, ${p}at = 0;`],
      visit: ([offset, at], first) => takeMaximum(p, element(x, offset!), first, at),
      after: gather ? [`${out.array}[${p}t] = ${other.array}[${p}at];`] : [`${out.array}[${p}at] += ${other.array}[${seedAt(p)}];`],
    }), fresh);
    return gather ? loops : [`${out.array}.fill(0);`, ...loops];
  };
}

const avgPool2d: JsTensorLowering = (out, args, node, fresh) => {
  const x = arrayRef(args[0], 'avgPool2d');
  const g = poolingGeometry('avgPool2d', node.args[0]!.shape, node.attrs);
  return poolingLoops(g, node.shape[3]!, [x], (p) => ({
    before: [`let ${p}m = 0;`],
    visit: ([offset]) => [`${p}m += ${element(x, offset!)};`],
    after: [`${out.array}[${p}t] = ${p}m / (${windowCount(g, p)});`],
  }), fresh);
};

const avgPool2dBackprop: JsTensorLowering = (out, args, node, fresh) => {
  const seed = arrayRef(args[0], 'avgPool2dBackprop');
  const g = poolingGeometry('avgPool2dBackprop', node.shape, node.attrs.slice(2));
  const target = { base: '0', strides: stridesOf(node.shape) };
  const loops = poolingLoops(g, node.shape[3]!, [target], (p) => ({
    before: [`const ${p}g = ${seed.array}[${sum(seed.base, term(`${p}n`, seed.strides[0]!), term(`${p}i`, seed.strides[1]!), term(`${p}j`, seed.strides[2]!), term(`${p}c`, seed.strides[3]!))}] / (${windowCount(g, p)});`],
    visit: ([offset]) => [`${out.array}[${offset}] += ${p}g;`],
    after: [],
  }), fresh);
  return [`${out.array}.fill(0);`, ...loops];
};

/** The lowerings of the window primitives, by primitive (spread into the js tensor lowering table). */
export const jsWindowLowering = {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  maxPool2d,
  maxPool2dGather: argmaxLowering('maxPool2dGather'),
  maxPool2dScatter: argmaxLowering('maxPool2dScatter'),
  avgPool2d,
  avgPool2dBackprop,
} satisfies Record<string, JsTensorLowering>;
