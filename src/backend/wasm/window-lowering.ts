/**
 * The WebAssembly lowerings of the convolution and pooling primitives. Every geometry is a
 * constant of the program, so the bounds checks of a window are resolved when the module is
 * generated: the output rows are grouped into runs whose windows have the same taps inside the
 * input (the rows of the top padding, the interior, the bottom padding), and likewise the
 * columns; each pair of runs is one loop nest (`loopNest`) over constant strides with no
 * condition inside. Operands are read in place through their strides.
 *
 * - The convolution family is one statement over the loops (image n, output row i, column j,
 *   tap a, tap b, input channel c, output channel o): conv2d adds x·k into y, the input's
 *   gradient dy·k into the input's shape, the kernel's gradient x·dy into the kernel's shape
 *   (each output element summed over its taps in the reference's order for conv2d).
 * - Pooling walks each window's taps inside the loop over windows: max pooling keeps the first
 *   strictly larger element (the reference's arg-max, ties to the first), its derivatives read
 *   or add at that position; average pooling sums and divides by the run's count of taps.
 */
import type { Node } from '../../ad/node.js';
import { backpropFilterShapes, backpropInputShapes, convolutionGeometry } from '../../ad/primitives/convolution.js';
import { poolingGeometry, unpooledGeometry } from '../../ad/primitives/pooling.js';
import type { WindowGeometry } from '../../ad/primitives/windows.js';
import { elementCount, stridesOf } from '../../ad/shape.js';
import type { Emitter } from './emitter.js';
import { loopNest, offsetAddress, type Access, type Address } from './loops.js';
import type { Output, Ref, TensorContext, WasmTensorLowering } from './tensor-lowering.js';

type ArrayRef = Extract<Ref, { kind: 'array' }>;

function arrayOf(ref: Ref | undefined, operation: string): ArrayRef {
  if (ref === undefined || ref.kind !== 'array') throw new Error(`internal: ${operation} of a scalar on wasm`);
  return ref;
}

/** A run of output positions along one axis whose windows have the same taps inside the input. */
interface Run {
  readonly start: number;
  readonly count: number;
  readonly firstTap: number;
  readonly taps: number;
}

/** The runs of `outputs` positions: position p's taps t are those with p·stride − before + t·dilation in [0, size). */
function runsOf(outputs: number, size: number, window: number, stride: number, before: number, dilation: number): Run[] {
  const runs: Run[] = [];
  for (let p = 0; p < outputs; p++) {
    let first = -1, last = -1;
    for (let t = 0; t < window; t++) {
      const r = p * stride - before + t * dilation;
      if (r >= 0 && r < size) {
        if (first < 0) first = t;
        last = t;
      }
    }
    if (first < 0) continue;
    const previous = runs.at(-1);
    if (previous !== undefined && previous.start + previous.count === p && previous.firstTap === first && previous.taps === last - first + 1) {
      runs[runs.length - 1] = { ...previous, count: previous.count + 1 };
    } else runs.push({ start: p, count: 1, firstTap: first, taps: last - first + 1 });
  }
  return runs;
}

/** Each pair of a row run and a column run of the geometry. */
function regions(g: WindowGeometry): { rows: Run; columns: Run }[] {
  const rows = runsOf(g.outHeight, g.height, g.kernelHeight, g.strideHeight, g.padTop, g.dilationHeight);
  const columns = runsOf(g.outWidth, g.width, g.kernelWidth, g.strideWidth, g.padLeft, g.dilationWidth);
  return rows.flatMap((r) => columns.map((c) => ({ rows: r, columns: c })));
}

/** Element strides of an NHWC image operand (`strides`) along the loops [n, i, j, a, b]. */
function imageStrides(g: WindowGeometry, strides: readonly number[]): number[] {
  const [sn, sh, sw] = strides as [number, number, number, number];
  return [sn, g.strideHeight * sh, g.strideWidth * sw, g.dilationHeight * sh, g.dilationWidth * sw];
}

/** The byte address of an image operand's element at [0, the run's first row and column, 0]. */
function imageStart(e: Emitter, address: Address, strides: readonly number[], g: WindowGeometry, rows: Run, columns: Run): Address {
  const row = rows.start * g.strideHeight - g.padTop + rows.firstTap * g.dilationHeight;
  const column = columns.start * g.strideWidth - g.padLeft + columns.firstTap * g.dilationWidth;
  return offsetAddress(address, (row * strides[1]! + column * strides[2]!) * e.bytes);
}

/** The byte address of a pooled-shape operand's element [0, run's first row, first column, 0]. */
function windowStart(e: Emitter, address: Address, strides: readonly number[], rows: Run, columns: Run): Address {
  return offsetAddress(address, (rows.start * strides[1]! + columns.start * strides[2]!) * e.bytes);
}

const zeroFill = (e: Emitter, out: Output) => e.f.i32(out.address).i32(0).i32(elementCount(out.shape) * e.bytes).memoryFill();

/**
 * The convolution family: out += left · right over the loops [n, i, j, a, b, c, o], each
 * operand given by its strides along those loops and its address at the region's start.
 */
function convolution(c: TensorContext, out: Output, g: WindowGeometry, channels: number, outChannels: number, accesses: (rows: Run, columns: Run) => [Access, Access, Access]): void {
  const e = c.e;
  zeroFill(e, out);
  for (const { rows, columns } of regions(g)) {
    const sizes = [g.batch, rows.count, columns.count, rows.taps, columns.taps, channels, outChannels];
    loopNest(e, sizes, accesses(rows, columns), ([to, left, right]) => {
      e.f.get(to!).get(to!);
      e.scalar('load');
      e.f.get(left!);
      e.scalar('load');
      e.f.get(right!);
      e.scalar('load').scalar('mul').scalar('add').scalar('store');
    });
  }
}

/** A kernel operand's strides [KH, KW, C, O]. */
const kernelStrides = (k: ArrayRef) => k.strides as [number, number, number, number];

const conv2d: WasmTensorLowering = (c, out, [xRef, kRef], node) => {
  const x = arrayOf(xRef, 'conv2d'), k = arrayOf(kRef, 'conv2d');
  const g = convolutionGeometry('conv2d', x.shape, k.shape, node.attrs);
  const [C, O] = [x.shape[3]!, k.shape[3]!];
  const ys = stridesOf(out.shape), [ka, kb, kc, ko] = kernelStrides(k), xs = imageStrides(g, x.strides);
  convolution(c, out, g, C, O, (rows, columns) => [
    { address: windowStart(c.e, { constant: out.address }, ys, rows, columns), strides: [ys[0]!, ys[1]!, ys[2]!, 0, 0, 0, ys[3]!] },
    { address: imageStart(c.e, x.address, x.strides, g, rows, columns), strides: [...xs, x.strides[3]!, 0] },
    { address: offsetAddress(k.address, (rows.firstTap * ka + columns.firstTap * kb) * c.e.bytes), strides: [0, 0, 0, ka, kb, kc, ko] },
  ]);
};

const conv2dBackpropInput: WasmTensorLowering = (c, out, [dyRef, kRef], node) => {
  const dy = arrayOf(dyRef, 'conv2dBackpropInput'), k = arrayOf(kRef, 'conv2dBackpropInput');
  const { g } = backpropInputShapes(dy.shape, k.shape, node.attrs);
  const [C, O] = [k.shape[2]!, k.shape[3]!];
  const xs = stridesOf(out.shape), image = imageStrides(g, xs), [ka, kb, kc, ko] = kernelStrides(k);
  convolution(c, out, g, C, O, (rows, columns) => [
    { address: imageStart(c.e, { constant: out.address }, xs, g, rows, columns), strides: [...image, xs[3]!, 0] },
    { address: windowStart(c.e, dy.address, dy.strides, rows, columns), strides: [dy.strides[0]!, dy.strides[1]!, dy.strides[2]!, 0, 0, 0, dy.strides[3]!] },
    { address: offsetAddress(k.address, (rows.firstTap * ka + columns.firstTap * kb) * c.e.bytes), strides: [0, 0, 0, ka, kb, kc, ko] },
  ]);
};

const conv2dBackpropFilter: WasmTensorLowering = (c, out, [xRef, dyRef], node) => {
  const x = arrayOf(xRef, 'conv2dBackpropFilter'), dy = arrayOf(dyRef, 'conv2dBackpropFilter');
  const { g } = backpropFilterShapes(x.shape, dy.shape, node.attrs);
  const [C, O] = [x.shape[3]!, dy.shape[3]!];
  const [ka, kb, kc, ko] = stridesOf(out.shape) as [number, number, number, number], xs = imageStrides(g, x.strides);
  convolution(c, out, g, C, O, (rows, columns) => [
    { address: { constant: out.address + (rows.firstTap * ka + columns.firstTap * kb) * c.e.bytes }, strides: [0, 0, 0, ka, kb, kc, ko] },
    { address: imageStart(c.e, x.address, x.strides, g, rows, columns), strides: [...xs, x.strides[3]!, 0] },
    { address: windowStart(c.e, dy.address, dy.strides, rows, columns), strides: [dy.strides[0]!, dy.strides[1]!, dy.strides[2]!, 0, 0, 0, dy.strides[3]!] },
  ]);
};

/**
 * The loop over the windows of one region ([n, i, j, channel]) with the pointers of `windowed`
 * (operands walked over each window's taps, at the window's first tap) and of `pooled` (operands
 * of the pooled shape); `body` gets both.
 */
function forEachWindow(
  e: Emitter,
  g: WindowGeometry,
  channels: number,
  windowed: readonly { address: Address; strides: readonly number[] }[],
  pooled: readonly { address: Address; strides: readonly number[] }[],
  body: (rows: Run, columns: Run, windowed: readonly number[], pooled: readonly number[]) => void,
): void {
  for (const { rows, columns } of regions(g)) {
    const accesses: Access[] = [
      ...windowed.map((w) => ({ address: imageStart(e, w.address, w.strides, g, rows, columns), strides: [...imageStrides(g, w.strides).slice(0, 3), w.strides[3]!] })),
      ...pooled.map((p) => ({ address: windowStart(e, p.address, p.strides, rows, columns), strides: p.strides })),
    ];
    loopNest(e, [g.batch, rows.count, columns.count, channels], accesses, (pointers) => body(rows, columns, pointers.slice(0, windowed.length), pointers.slice(windowed.length)));
  }
}

/** The taps of a window from pointers at its first tap: `body` gets a pointer per operand. */
function forEachTap(e: Emitter, g: WindowGeometry, rows: Run, columns: Run, operands: readonly { pointer: number; strides: readonly number[] }[], body: (pointers: readonly number[]) => void): void {
  const accesses = operands.map((o) => ({ address: { constant: 0, dynamic: o.pointer }, strides: imageStrides(g, o.strides).slice(3) }));
  loopNest(e, [rows.taps, columns.taps], accesses, body);
}

/**
 * Each window's arg-max over x (the first strictly larger element): `best` holds its value and
 * `chosen` (if given) runs for each new maximum with the pointers of the other operands.
 */
function windowMaximum(e: Emitter, g: WindowGeometry, rows: Run, columns: Run, operands: readonly { pointer: number; strides: readonly number[] }[], chosen: (pointers: readonly number[]) => void): number {
  const best = e.local();
  e.f.get(operands[0]!.pointer);
  e.scalar('load');
  e.f.set(best);
  forEachTap(e, g, rows, columns, operands, (pointers) => {
    e.f.get(pointers[0]!);
    e.scalar('load');
    e.f.get(best);
    e.scalar('gt').f.open('if');
    e.f.get(pointers[0]!);
    e.scalar('load');
    e.f.set(best);
    chosen(pointers);
    e.f.end();
  });
  return best;
}

const imageOf = (ref: ArrayRef) => ({ address: ref.address, strides: ref.strides });
const outputOf = (out: Output) => ({ address: { constant: out.address }, strides: stridesOf(out.shape) });

const maxPool2d: WasmTensorLowering = (c, out, [xRef], node) => {
  const e = c.e, x = arrayOf(xRef, 'maxPool2d');
  const g = poolingGeometry('maxPool2d', x.shape, node.attrs);
  forEachWindow(e, g, x.shape[3]!, [imageOf(x)], [outputOf(out)], (rows, columns, [px], [po]) => {
    const best = windowMaximum(e, g, rows, columns, [{ pointer: px!, strides: x.strides }], () => {});
    e.f.get(po!).get(best);
    e.scalar('store');
  });
};

const maxPool2dGather: WasmTensorLowering = (c, out, [xRef, tRef], node) => {
  const e = c.e, x = arrayOf(xRef, 'maxPool2dGather'), t = arrayOf(tRef, 'maxPool2dGather');
  const g = poolingGeometry('maxPool2dGather', x.shape, node.attrs);
  forEachWindow(e, g, x.shape[3]!, [imageOf(x), imageOf(t)], [outputOf(out)], (rows, columns, [px, pt], [po]) => {
    const picked = e.local();
    e.f.get(pt!);
    e.scalar('load');
    e.f.set(picked);
    windowMaximum(e, g, rows, columns, [{ pointer: px!, strides: x.strides }, { pointer: pt!, strides: t.strides }], ([, at]) => {
      e.f.get(at!);
      e.scalar('load');
      e.f.set(picked);
    });
    e.f.get(po!).get(picked);
    e.scalar('store');
  });
};

const maxPool2dScatter: WasmTensorLowering = (c, out, [xRef, seedRef], node) => {
  const e = c.e, x = arrayOf(xRef, 'maxPool2dScatter'), seed = arrayOf(seedRef, 'maxPool2dScatter');
  const g = poolingGeometry('maxPool2dScatter', x.shape, node.attrs);
  zeroFill(e, out);
  const target = outputOf(out);
  forEachWindow(e, g, x.shape[3]!, [imageOf(x), target], [imageOf(seed)], (rows, columns, [px, pout], [ps]) => {
    const at = e.index();
    e.f.get(pout!).set(at);
    windowMaximum(e, g, rows, columns, [{ pointer: px!, strides: x.strides }, { pointer: pout!, strides: target.strides }], ([, p]) => {
      e.f.get(p!).set(at);
    });
    e.f.get(at).get(at);
    e.scalar('load');
    e.f.get(ps!);
    e.scalar('load').scalar('add').scalar('store');
  });
};

const avgPool2d: WasmTensorLowering = (c, out, [xRef], node) => {
  const e = c.e, x = arrayOf(xRef, 'avgPool2d');
  const g = poolingGeometry('avgPool2d', x.shape, node.attrs);
  forEachWindow(e, g, x.shape[3]!, [imageOf(x)], [outputOf(out)], (rows, columns, [px], [po]) => {
    const total = e.local();
    e.number(0);
    e.f.set(total);
    forEachTap(e, g, rows, columns, [{ pointer: px!, strides: x.strides }], ([p]) => {
      e.f.get(total).get(p!);
      e.scalar('load').scalar('add');
      e.f.set(total);
    });
    e.f.get(po!).get(total);
    e.number(rows.taps * columns.taps).scalar('div').scalar('store');
  });
};

const avgPool2dBackprop: WasmTensorLowering = (c, out, [seedRef], node) => {
  const e = c.e, seed = arrayOf(seedRef, 'avgPool2dBackprop');
  const g = unpooledGeometry(seed.shape, node.attrs);
  zeroFill(e, out);
  const target = outputOf(out);
  forEachWindow(e, g, seed.shape[3]!, [target], [imageOf(seed)], (rows, columns, [pout], [ps]) => {
    const share = e.local();
    e.f.get(ps!);
    e.scalar('load');
    e.number(rows.taps * columns.taps).scalar('div');
    e.f.set(share);
    forEachTap(e, g, rows, columns, [{ pointer: pout!, strides: target.strides }], ([p]) => {
      e.f.get(p!).get(p!);
      e.scalar('load');
      e.f.get(share);
      e.scalar('add').scalar('store');
    });
  });
};

/** The window primitives' lowerings, keyed by primitive. */
export const wasmWindowLowering = {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  maxPool2d,
  maxPool2dGather,
  maxPool2dScatter,
  avgPool2d,
  avgPool2dBackprop,
} satisfies Record<string, WasmTensorLowering>;

/** The primitives `wasmWindowLowering` lowers. */
export type WasmWindowPrimitive = keyof typeof wasmWindowLowering;

