/**
 * The WebAssembly lowering of each tensor primitive: loops over the program's memory with every
 * shape, stride and offset a constant (batch inputs add the point's offset, a local). Operands
 * are read in place through their strides (a transposed, sliced or broadcast operand is never
 * copied); the output is a contiguous row-major buffer the lowering writes whole (buffers are
 * reused between values). One entry per primitive, nothing else.
 *
 * The matrix product is the kernel that matters (`matmul`): 128-bit SIMD, register-blocked and
 * packed. Reductions run in the reference's order for each output element (a SIMD lane per
 * output element where the kept axis is contiguous), so float64 results are the reference's to
 * the last bit.
 */
import type { Node } from '../../ad/node.js';
import type { TensorPrimitiveName } from '../../ad/primitives/index.js';
import { productLayout } from '../../ad/primitives/linear-algebra.js';
import { elementCount, stridesAlong, stridesOf, type Shape } from '../../ad/shape.js';
import { viewStrides } from '../../program/planner.js';
import { INDEX_ERROR_IMPORT, type Emitter, type Operand } from './emitter.js';
import { op } from './encoder.js';
import { wasmWindowLowering } from './window-lowering.js';
import { coalesce, countedLoop, loopNest, offsetAddress, pointerTo, pushAddress, type Access, type Address } from './loops.js';

/** How generated code reads a value: a scalar pushed by a thunk, or strided elements in memory. */
export type Ref =
  | { readonly kind: 'scalar'; readonly push: Operand }
  | { readonly kind: 'array'; readonly address: Address; readonly strides: readonly number[]; readonly shape: Shape };

/** The output: a contiguous buffer at a constant byte address. */
export interface Output {
  readonly address: number;
  readonly shape: Shape;
}

/** What a tensor lowering works with besides its operands. */
export interface TensorContext {
  readonly e: Emitter;
  /**
   * In a step split across threads: i32 locals holding this part's number and the number of
   * parts; the lowering computes its share (each output element by exactly one part).
   */
  readonly split?: { readonly part: number; readonly parts: number };
  /** An i32 local holding the byte address of this part's packing scratch (`scratchBytes`). */
  readonly scratch: () => number;
}

/** Writes the node's value into `out` from its operands. */
export type WasmTensorLowering = (c: TensorContext, out: Output, args: readonly Ref[], node: Node) => void;

/** Operation codes of the index error import. */
export const INDEX_OPERATIONS = ['gather', 'scatterAdd'] as const;

/** The strides with which `ref` is read along each axis of `shape` (by broadcasting; a scalar has 0s). */
export function refStrides(ref: Ref, shape: Shape): number[] {
  return ref.kind === 'scalar' ? shape.map(() => 0) : stridesAlong(ref.shape, ref.strides, shape);
}

/** Pushes the element of an array ref at a pointer (plus `offset` bytes), or the scalar. */
function element(e: Emitter, ref: Ref, pointer: number | undefined, offset = 0): void {
  if (ref.kind === 'scalar') ref.push();
  else {
    e.f.get(pointer!);
    e.scalar('load', offset);
  }
}

/** The single element of a rank-0 ref. */
function scalarOf(e: Emitter, ref: Ref): void {
  if (ref.kind === 'scalar') ref.push();
  else {
    pushAddress(e, ref.address);
    e.scalar('load');
  }
}

/**
 * A strided copy of `x` (its elements along `shape`, read with `strides` from `offset` elements)
 * into `out` from byte address `target` with `outStrides` (row-major by default).
 */
function copy(c: TensorContext, target: number, x: Ref, shape: Shape, offset: number, strides: readonly number[], outStrides: readonly number[] = stridesOf(shape)): void {
  const e = c.e;
  if (x.kind === 'scalar') {
    e.f.i32(target);
    x.push();
    e.scalar('store');
    return;
  }
  const merged = coalesce(shape, [
    { address: offsetAddress(x.address, offset * e.bytes), strides },
    { address: { constant: target }, strides: outStrides },
  ]);
  loopNest(e, merged.sizes, merged.accesses, ([from, to]) => {
    e.f.get(to!).get(from!);
    e.scalar('load').scalar('store');
  });
}

/** Writes zeros over `count` elements from byte address `target`. */
function zeroFill(e: Emitter, target: number, count: number): void {
  e.f.i32(target).i32(0).i32(count * e.bytes).memoryFill();
}

/** A view operation materialised: the same strides the planner reads views with. */
function viewCopy(c: TensorContext, out: Output, [x]: readonly Ref[], node: Node): void {
  if (x!.kind === 'scalar') {
    // Every element the scalar.
    const e = c.e;
    const value = e.local();
    x!.push();
    e.f.set(value);
    loopNest(e, [elementCount(node.shape)], [{ address: { constant: out.address }, strides: [1] }], ([to]) => {
      e.f.get(to!).get(value);
      e.scalar('store');
    });
    return;
  }
  const view = viewStrides(node, x!.shape, 0, x!.strides);
  if (view !== undefined) copy(c, out.address, x!, node.shape, view.offset, view.strides);
  // A reshape of data that is not row-major: the operand's elements in row-major order.
  else copy(c, out.address, x!, x!.shape, 0, x!.strides);
}

/* ------------------------------------------------------------------------------------------ */
/* Reductions                                                                                   */
/* ------------------------------------------------------------------------------------------ */

type Reduction = 'sum' | 'max' | 'logsumexp';

/**
 * A reduction of `x` over `axes` into `out`: for each kept index, the reduced axes in row-major
 * order, as the reference. Where the innermost kept axis is contiguous in x and in the output,
 * a SIMD lane reduces each of several neighbouring outputs (sum and max).
 */
function reduce(c: TensorContext, out: Output, x: Ref, axes: readonly number[], kind: Reduction): void {
  const e = c.e;
  if (x.kind === 'scalar') {
    e.f.i32(out.address);
    x.push();
    e.scalar('store');
    return;
  }
  const keptAxes = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const reducedAxes = x.shape.map((_, d) => d).filter((d) => axes.includes(d));
  const kept = coalesce(
    keptAxes.map((d) => x.shape[d]!),
    [
      { address: x.address, strides: keptAxes.map((d) => x.strides[d]!) },
      { address: { constant: out.address }, strides: stridesOf(keptAxes.map((d) => x.shape[d]!)) },
    ],
  );
  const reduced = coalesce(
    reducedAxes.map((d) => x.shape[d]!),
    [{ address: x.address, strides: reducedAxes.map((d) => x.strides[d]!) }],
  );
  const reducedSizes = reduced.sizes;
  const reducedStrides = reduced.accesses[0]!.strides;
  const n = kept.sizes[kept.sizes.length - 1] ?? 1;
  const vectorized = kind !== 'logsumexp' && kept.sizes.length > 0 && n >= e.lanes && kept.accesses.every((a) => a.strides[a.strides.length - 1] === 1);
  const outerSizes = vectorized ? kept.sizes.slice(0, -1) : kept.sizes;
  const outer = kept.accesses.map((a) => ({ address: a.address, strides: vectorized ? a.strides.slice(0, -1) : a.strides }));
  loopNest(e, outerSizes, outer, ([xPointer, outPointer]) => {
    if (!vectorized) {
      reduceOne(c, kind, xPointer!, outPointer!, reducedSizes, reducedStrides);
      return;
    }
    const xp = e.index(), op0 = e.index();
    e.f.get(xPointer!).set(xp).get(outPointer!).set(op0);
    const acc = e.vectorLocal();
    countedLoop(
      e,
      Math.floor(n / e.lanes),
      () => {
        e.vectorNumber(kind === 'sum' ? 0 : -Infinity);
        e.f.set(acc);
        walk(e, reducedSizes, [reducedStrides], [xp], ([p]) => {
          e.f.get(acc).get(p!);
          e.loadVector().vector(kind === 'sum' ? 'add' : 'max');
          e.f.set(acc);
        });
        e.f.get(op0).get(acc);
        e.storeVector();
      },
      () => {
        e.advance(xp, e.lanes * e.bytes);
        e.advance(op0, e.lanes * e.bytes);
      },
    );
    countedLoop(
      e,
      n % e.lanes,
      () => reduceOne(c, kind, xp, op0, reducedSizes, reducedStrides),
      () => {
        e.advance(xp, e.bytes);
        e.advance(op0, e.bytes);
      },
    );
  });
}

/** One output element: the reduction of the elements under `xPointer` along the reduced loops. */
function reduceOne(c: TensorContext, kind: Reduction, xPointer: number, outPointer: number, sizes: readonly number[], strides: readonly number[]): void {
  const e = c.e;
  const acc = e.local();
  const pass = (initial: number, update: (p: number) => void) => {
    e.number(initial);
    e.f.set(acc);
    walk(e, sizes, [strides], [xPointer], ([p]) => update(p!));
  };
  if (kind === 'sum') {
    pass(0, (p) => {
      e.f.get(acc).get(p);
      e.scalar('load').scalar('add');
      e.f.set(acc);
    });
  } else {
    pass(-Infinity, (p) => {
      e.f.get(acc).get(p);
      e.scalar('load').scalar('max');
      e.f.set(acc);
    });
  }
  if (kind === 'logsumexp') {
    const max = e.local();
    e.f.get(acc).set(max);
    pass(0, (p) => {
      e.f.get(acc).get(p);
      e.scalar('load');
      e.f.get(max);
      e.scalar('sub').math('exp').scalar('add');
      e.f.set(acc);
    });
    // An infinite maximum is the answer itself (and avoids ∞ − ∞): max − max = 0 only when finite.
    e.f.get(outPointer).get(max);
    e.f.get(acc);
    e.math('log').scalar('add');
    e.f.get(max);
    e.f.get(max).get(max);
    e.scalar('sub').number(0).scalar('eq');
    e.f.op(op.select);
    e.scalar('store');
    return;
  }
  e.f.get(outPointer).get(acc);
  e.scalar('store');
}

/**
 * A loop nest starting from existing pointer locals (copied, so the caller's stay put); the
 * body gets the pointers of the current element.
 */
function walk(e: Emitter, sizes: readonly number[], strides: readonly (readonly number[])[], start: readonly number[], body: (pointers: readonly number[]) => void): void {
  const pointers = start.map((p) => {
    const local = e.index();
    e.f.get(p).set(local);
    return local;
  });
  const go = (depth: number, outer: readonly number[]): void => {
    if (depth === sizes.length) {
      body(outer);
      return;
    }
    const inner = depth === 0 ? outer : outer.map((p) => {
      const local = e.index();
      e.f.get(p).set(local);
      return local;
    });
    countedLoop(e, sizes[depth]!, () => go(depth + 1, inner), () => inner.forEach((p, k) => e.advance(p, strides[k]![depth]! * e.bytes)));
  };
  go(0, pointers);
}

/** softmax along one axis: per lane, the maximum, then exp(x − max) and its sum, then the quotients. */
function softmax(c: TensorContext, out: Output, [x]: readonly Ref[], node: Node): void {
  const e = c.e;
  if (x!.kind === 'scalar') throw new Error('internal: softmax of a scalar');
  const axis = node.attrs[0]!;
  const keptAxes = x!.shape.map((_, d) => d).filter((d) => d !== axis);
  const outStrides = stridesOf(node.shape);
  const n = node.shape[axis]!;
  const sx = x!.strides[axis]! * e.bytes, so = outStrides[axis]! * e.bytes;
  const kept = coalesce(
    keptAxes.map((d) => x!.shape[d]!),
    [
      { address: x!.address, strides: keptAxes.map((d) => x!.strides[d]!) },
      { address: { constant: out.address }, strides: keptAxes.map((d) => outStrides[d]!) },
    ],
  );
  const max = e.local(), total = e.local();
  loopNest(e, kept.sizes, kept.accesses, ([xPointer, outPointer]) => {
    const along = (body: (xp: number, op0: number) => void) => {
      const xp = e.index(), op0 = e.index();
      e.f.get(xPointer!).set(xp).get(outPointer!).set(op0);
      countedLoop(e, n, () => body(xp, op0), () => {
        e.advance(xp, sx);
        e.advance(op0, so);
      });
    };
    e.number(-Infinity);
    e.f.set(max);
    along((xp) => {
      e.f.get(max).get(xp);
      e.scalar('load').scalar('max');
      e.f.set(max);
    });
    e.number(0);
    e.f.set(total);
    const t = e.local();
    along((xp, op0) => {
      e.f.get(op0).get(xp);
      e.scalar('load');
      e.f.get(max);
      e.scalar('sub').math('exp');
      e.f.tee(t);
      e.scalar('store');
      e.f.get(total).get(t);
      e.scalar('add');
      e.f.set(total);
    });
    along((_, op0) => {
      e.f.get(op0).get(op0);
      e.scalar('load');
      e.f.get(total);
      e.scalar('div').scalar('store');
    });
  });
}

/* ------------------------------------------------------------------------------------------ */
/* Matrix product                                                                               */
/* ------------------------------------------------------------------------------------------ */

/** Rows of a register block. */
const BLOCK_ROWS = 4;
/** v128 columns of a register block: 4 × 2 accumulators, 2 vectors of B and one of A in registers. */
const BLOCK_VECTORS = 2;

/** The shapes of a product as the kernel sees them. */
interface ProductShape {
  readonly batch: Shape;
  readonly rows: number;
  readonly inner: number;
  readonly columns: number;
}

function productShape(node: Node): ProductShape & { leftBatch: Shape; rightBatch: Shape } {
  return productLayout(node.args[0]!.shape, node.args[1]!.shape);
}

/** Whether a product runs the SIMD kernel: at least one vector of output columns. */
function simdProduct(shape: ProductShape, lanes: number): boolean {
  return shape.columns >= lanes;
}

/** The packing scratch one part of this product needs, in bytes (0 when it packs nothing). */
export function scratchBytes(node: Node, bytes: number): number {
  if (node.op !== 'matmul') return 0;
  const shape = productShape(node);
  const lanes = 16 / bytes;
  if (!simdProduct(shape, lanes)) return 0;
  return shape.inner * BLOCK_VECTORS * 16;
}

/** The number of independent pieces (column panels) a product splits into across threads. */
export function productPanels(node: Node, bytes: number): number {
  const shape = productShape(node);
  const lanes = 16 / bytes;
  return simdProduct(shape, lanes) ? Math.ceil(shape.columns / (BLOCK_VECTORS * lanes)) : 1;
}

/**
 * O = A·B for every batch index, with A(i, k) at a + (i·sai + k·sak)·bytes and B(k, j) at
 * b + (k·sbk + j·sbj)·bytes, O row-major.
 *
 * SIMD kernel (at least one vector of columns): the columns are cut into panels of
 * BLOCK_VECTORS vectors; each panel of B (K × panel, any strides) is packed contiguous into the
 * part's scratch, then every block of BLOCK_ROWS rows is computed in registers: per k, the
 * panel's vectors loaded once and each row's A(i, k) splat into all lanes, multiplied and added
 * into its accumulators. A row block never leaves registers until k = K, and each output element
 * is one lane summing over k from 0 upwards, one product at a time, as the reference does: the
 * float64 results are the reference's to the last bit, and a split across threads (by panels)
 * changes nothing.
 *
 * Fewer columns than a vector (a matrix-vector product): dot products along k.
 */
function matmul(c: TensorContext, out: Output, [a, b]: readonly Ref[], node: Node): void {
  const e = c.e;
  if (a!.kind === 'scalar' || b!.kind === 'scalar') throw new Error('internal: matmul of a scalar');
  const [sa, sb] = [node.args[0]!.shape, node.args[1]!.shape];
  const shape = productShape(node);
  const { batch, rows, inner, columns } = shape;
  const [sai, sak] = sa.length === 1 ? [0, a!.strides[0]!] : [a!.strides[sa.length - 2]!, a!.strides[sa.length - 1]!];
  const [sbk, sbj] = sb.length === 1 ? [b!.strides[0]!, 0] : [b!.strides[sb.length - 2]!, b!.strides[sb.length - 1]!];
  const strides = { sai, sak, sbk, sbj };
  const accesses: Access[] = [
    { address: a!.address, strides: stridesAlong(shape.leftBatch, a!.strides, batch) },
    { address: b!.address, strides: stridesAlong(shape.rightBatch, b!.strides, batch) },
    { address: { constant: out.address }, strides: stridesOf(batch).map((s) => s * rows * columns) },
  ];
  const kernel = ([ap, bp, op0]: readonly number[]) =>
    simdProduct(shape, e.lanes) ? blockedProduct(c, shape, strides, ap!, bp!, op0!) : dotProducts(e, shape, strides, ap!, bp!, op0!);
  loopNest(e, batch, accesses, kernel);
}

interface ProductStrides {
  readonly sai: number;
  readonly sak: number;
  readonly sbk: number;
  readonly sbj: number;
}

/** Matrix-vector products and narrower: each output element a sum over k in order. */
function dotProducts(e: Emitter, { rows, inner, columns }: ProductShape, { sai, sak, sbk, sbj }: ProductStrides, a: number, b: number, o: number): void {
  const total = e.local();
  const oi = e.index();
  e.f.get(o).set(oi);
  walk(e, [rows], [[sai]], [a], ([ai]) => {
    walk(e, [columns], [[sbj]], [b], ([bj]) => {
      e.number(0);
      e.f.set(total);
      walk(e, [inner], [[sak], [sbk]], [ai!, bj!], ([ak, bk]) => {
        e.f.get(total).get(ak!);
        e.scalar('load');
        e.f.get(bk!);
        e.scalar('load').scalar('mul').scalar('add');
        e.f.set(total);
      });
      e.f.get(oi).get(total);
      e.scalar('store');
      e.advance(oi, e.bytes);
    });
  });
}

/** The register-blocked, packed SIMD kernel (see `matmul`). */
function blockedProduct(c: TensorContext, { rows, inner, columns }: ProductShape, { sai, sak, sbk, sbj }: ProductStrides, a: number, b: number, o: number): void {
  const e = c.e;
  const L = e.lanes, eb = e.bytes;
  const panelWidth = BLOCK_VECTORS * L;
  const panels = Math.ceil(columns / panelWidth);
  const lastWidth = columns - (panels - 1) * panelWidth;
  const scratch = c.scratch();
  const panel = e.index();
  const end = e.index();
  // This part's panels: [part·panels/parts, (part+1)·panels/parts).
  if (c.split === undefined) {
    e.f.i32(0).set(panel).i32(panels).set(end);
  } else {
    const { part, parts } = c.split;
    e.f.get(part).i32(panels).op(op.i32Mul).get(parts).op(op.i32DivU).set(panel);
    e.f.get(part).i32(1).op(op.i32Add).i32(panels).op(op.i32Mul).get(parts).op(op.i32DivU).set(end);
  }
  const bp = e.index(), op0 = e.index();
  e.f.open('block');
  e.f.get(panel).get(end).op(op.i32GeU).brIf(0);
  e.f.open('loop');
  // B(0, panel·W) and O(0, panel·W).
  e.f.get(b).get(panel).i32(panelWidth * sbj * eb).op(op.i32Mul).op(op.i32Add).set(bp);
  e.f.get(o).get(panel).i32(panelWidth * eb).op(op.i32Mul).op(op.i32Add).set(op0);
  const full = (width: number) => {
    packPanel(e, inner, sbk, sbj, width, bp, scratch);
    rowBlocks(e, rows, inner, columns, sai, sak, width, a, scratch, op0);
  };
  if (lastWidth === panelWidth) full(panelWidth);
  else {
    e.f.get(panel).i32(panels - 1).op(op.i32LtU).open('if');
    full(panelWidth);
    e.f.else();
    full(lastWidth);
    e.f.end();
  }
  e.f.get(panel).i32(1).op(op.i32Add).tee(panel).get(end).op(op.i32LtU).brIf(0);
  e.f.end();
  e.f.end();
}

/**
 * Copies the panel's `width` columns of B (K rows, from `bp`) into the scratch as K rows of
 * BLOCK_VECTORS vectors; lanes past `width` are zero.
 */
function packPanel(e: Emitter, inner: number, sbk: number, sbj: number, width: number, bp: number, scratch: number): void {
  const L = e.lanes, eb = e.bytes;
  const from = e.index(), to = e.index();
  e.f.get(bp).set(from).get(scratch).set(to);
  const vectors = Math.ceil(width / L);
  countedLoop(
    e,
    inner,
    () => {
      for (let v = 0; v < BLOCK_VECTORS; v++) {
        e.f.get(to);
        if (v >= vectors) e.vectorNumber(0);
        else if (sbj === 1 && (v + 1) * L <= width) {
          e.f.get(from);
          e.loadVector(v * L * eb);
        } else {
          // Strided columns, or the lanes of a partial vector: element by element.
          e.vectorNumber(0);
          for (let lane = 0; lane < L && v * L + lane < width; lane++) {
            e.f.get(from);
            e.scalar('load', (v * L + lane) * sbj * eb);
            e.replace(lane);
          }
        }
        e.storeVector(v * 16);
      }
    },
    () => {
      e.advance(from, sbk * eb);
      e.advance(to, BLOCK_VECTORS * 16);
    },
  );
}

/** The row blocks of one packed panel: full blocks of BLOCK_ROWS in a loop, then the remaining rows. */
function rowBlocks(e: Emitter, rows: number, inner: number, columns: number, sai: number, sak: number, width: number, a: number, scratch: number, o: number): void {
  const eb = e.bytes;
  const ai = e.index(), oi = e.index();
  e.f.get(a).set(ai).get(o).set(oi);
  const blocks = Math.floor(rows / BLOCK_ROWS);
  countedLoop(
    e,
    blocks,
    () => registerBlock(e, BLOCK_ROWS, inner, columns, sai, sak, width, ai, scratch, oi),
    () => {
      e.advance(ai, BLOCK_ROWS * sai * eb);
      e.advance(oi, BLOCK_ROWS * columns * eb);
    },
  );
  if (rows % BLOCK_ROWS > 0) registerBlock(e, rows % BLOCK_ROWS, inner, columns, sai, sak, width, ai, scratch, oi);
}

/** `count` rows × one panel in registers, summed over k, then stored (lane by lane past `width`). */
function registerBlock(e: Emitter, count: number, inner: number, columns: number, sai: number, sak: number, width: number, a: number, packed: number, o: number): void {
  const L = e.lanes, eb = e.bytes;
  const vectors = Math.ceil(width / L);
  const acc = Array.from({ length: count * vectors }, () => e.vectorLocal());
  const bv = Array.from({ length: vectors }, () => e.vectorLocal());
  const av = e.vectorLocal();
  for (const v of acc) {
    e.vectorNumber(0);
    e.f.set(v);
  }
  const ak = e.index(), bk = e.index();
  e.f.get(a).set(ak).get(packed).set(bk);
  countedLoop(
    e,
    inner,
    () => {
      for (let v = 0; v < vectors; v++) {
        e.f.get(bk);
        e.loadVector(v * 16);
        e.f.set(bv[v]!);
      }
      for (let r = 0; r < count; r++) {
        e.f.get(ak);
        e.loadSplat(r * sai * eb);
        e.f.set(av);
        for (let v = 0; v < vectors; v++) {
          const target = acc[r * vectors + v]!;
          e.f.get(target).get(av).get(bv[v]!);
          e.vector('mul').vector('add');
          e.f.set(target);
        }
      }
    },
    () => {
      e.advance(ak, sak * eb);
      e.advance(bk, BLOCK_VECTORS * 16);
    },
  );
  for (let r = 0; r < count; r++) {
    for (let v = 0; v < vectors; v++) {
      const offset = (r * columns + v * L) * eb;
      const lanes = Math.min(L, width - v * L);
      if (lanes === L) {
        e.f.get(o).get(acc[r * vectors + v]!);
        e.storeVector(offset);
      } else {
        for (let lane = 0; lane < lanes; lane++) {
          e.f.get(o).get(acc[r * vectors + v]!);
          e.storeLane(lane, offset + lane * eb);
        }
      }
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Indexing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/**
 * Pushes the index held by `value` (a local of the element type) as an i32 after checking that
 * it is an integer in [0, n); otherwise calls the index error import, which throws a
 * TypegradError naming the operation and the index.
 */
function checkedIndex(e: Emitter, value: number, n: number, operation: (typeof INDEX_OPERATIONS)[number]): void {
  // !(v >= 0 && v < n && floor(v) == v)
  e.f.get(value);
  e.number(0).scalar('ge');
  e.f.get(value);
  e.number(n).scalar('lt');
  e.f.op(op.i32And);
  e.f.get(value).get(value);
  e.scalar('floor').scalar('eq');
  e.f.op(op.i32And).op(op.i32Eqz).open('if');
  e.f.i32(INDEX_OPERATIONS.indexOf(operation)).get(value);
  if (e.type === 'f32') e.f.op(op.f64PromoteF32);
  e.f.i32(n).call(INDEX_ERROR_IMPORT).op(op.unreachable);
  e.f.end();
  e.f.get(value);
  if (e.type === 'f32') e.f.op(op.f64PromoteF32);
  e.f.op(op.i32TruncF64S);
}

/**
 * The loops of gather and scatterAdd: over the axes before `axis` (pre), the indices' axes, and
 * the axes after (post). `inner` gets pointers to the data element and the other side's element.
 */
function indexedLoops(
  e: Emitter,
  dataShape: Shape,
  data: Access,
  indices: Ref,
  axis: number,
  n: number,
  other: Access,
  operation: (typeof INDEX_OPERATIONS)[number],
  inner: (dataPointer: number, otherPointer: number) => void,
): void {
  const pre = dataShape.slice(0, axis), post = dataShape.slice(axis + 1);
  const indexShape = indices.kind === 'array' ? indices.shape : [];
  const otherPre = other.strides.slice(0, axis), otherIndex = other.strides.slice(axis, axis + indexShape.length), otherPost = other.strides.slice(axis + indexShape.length);
  const position = e.index();
  const value = e.local();
  const axisStride = data.strides[axis]! * e.bytes;
  const indexAccess: Access = indices.kind === 'array' ? { address: indices.address, strides: indices.strides } : { address: { constant: 0 }, strides: [] };
  loopNest(e, pre, [{ address: data.address, strides: data.strides.slice(0, axis) }, { address: other.address, strides: otherPre }], ([d0, o0]) => {
    walkFrom(e, indexShape, [indexAccess.strides, otherIndex], [indices.kind === 'array' ? pointerTo(e, indexAccess.address) : d0!, o0!], ([t, o1]) => {
      element(e, indices, indices.kind === 'array' ? t : undefined);
      e.f.set(value);
      checkedIndex(e, value, n, operation);
      e.f.set(position);
      const d = e.index();
      e.f.get(d0!).get(position).i32(axisStride).op(op.i32Mul).op(op.i32Add).set(d);
      walkFrom(e, post, [data.strides.slice(axis + 1), otherPost], [d, o1!], ([dp, opp]) => inner(dp!, opp!));
    });
  });
}

/** `walk` over possibly empty sizes (none: the body once at the start pointers). */
function walkFrom(e: Emitter, sizes: readonly number[], strides: readonly (readonly number[])[], start: readonly number[], body: (pointers: readonly number[]) => void): void {
  if (sizes.length === 0) body(start);
  else walk(e, sizes, strides, start, body);
}

/** Every tensor primitive but `custom`, which every backend decomposes into its rule's primal. */
export const wasmTensorLowering: Record<Exclude<TensorPrimitiveName, 'custom'>, WasmTensorLowering> = {
  broadcast: viewCopy,
  transpose: viewCopy,
  slice: viewCopy,
  reshape: viewCopy,
  sum: (c, out, [x], node) => reduce(c, out, x!, node.attrs, 'sum'),
  // f.max (not a comparison), so that NaN propagates as in the reference.
  max: (c, out, [x], node) => reduce(c, out, x!, node.attrs, 'max'),
  logsumexp: (c, out, [x], node) => reduce(c, out, x!, node.attrs, 'logsumexp'),
  softmax,
  matmul,
  pack: (c, out, args) => {
    args.forEach((a, k) => {
      c.e.f.i32(out.address + k * c.e.bytes);
      scalarOf(c.e, a);
      c.e.scalar('store');
    });
  },
  get: (c, out, [x], node) => {
    const e = c.e;
    e.f.i32(out.address);
    if (x!.kind === 'scalar') x!.push();
    else {
      const offset = node.attrs.reduce((total, i, axis) => total + i * x!.strides[axis]!, 0);
      pushAddress(e, offsetAddress(x!.address, offset * e.bytes));
      e.scalar('load');
    }
    e.scalar('store');
  },
  pad: (c, out, [x], node) => {
    const [axis, before] = node.attrs as [number, number];
    const strides = stridesOf(node.shape);
    zeroFill(c.e, out.address, elementCount(node.shape));
    copy(c, out.address + before * strides[axis]! * c.e.bytes, x!, node.args[0]!.shape, 0, x!.kind === 'array' ? x!.strides : [], strides);
  },
  concat: (c, out, args, node) => {
    const axis = node.attrs[0]!;
    const strides = stridesOf(node.shape);
    let offset = 0;
    node.args.forEach((arg, i) => {
      const a = args[i]!;
      copy(c, out.address + offset * strides[axis]! * c.e.bytes, a, arg.shape, 0, a.kind === 'array' ? a.strides : [], strides);
      offset += arg.shape[axis]!;
    });
  },
  gather: (c, out, [x, indices], node) => {
    const e = c.e;
    const axis = node.attrs[0]!;
    const shape = node.args[0]!.shape;
    if (x!.kind === 'scalar') throw new Error('internal: gather of a scalar');
    indexedLoops(e, shape, { address: x!.address, strides: x!.strides }, indices!, axis, shape[axis]!, { address: { constant: out.address }, strides: stridesOf(node.shape) }, 'gather', (d, o) => {
      e.f.get(o).get(d);
      e.scalar('load').scalar('store');
    });
  },
  scatterAdd: (c, out, [values, indices], node) => {
    const e = c.e;
    const [axis, n] = node.attrs as [number, number];
    // Read the values (the "other" side) and add into out (the indexed side), the reverse of gather.
    const valueShape = node.args[0]!.shape;
    const valueAccess: Access = values!.kind === 'array' ? { address: values!.address, strides: values!.strides } : { address: { constant: 0 }, strides: valueShape.map(() => 0) };
    zeroFill(e, out.address, elementCount(node.shape));
    indexedLoops(e, node.shape, { address: { constant: out.address }, strides: stridesOf(node.shape) }, indices!, axis, n, valueAccess, 'scatterAdd', (d, v) => {
      e.f.get(d).get(d);
      e.scalar('load');
      element(e, values!, values!.kind === 'array' ? v : undefined);
      e.scalar('add').scalar('store');
    });
  },
  ...wasmWindowLowering,
  oneHot: (c, out, [indices], node) => {
    const e = c.e;
    const depth = node.attrs[0]!;
    const indexShape = node.args[0]!.shape;
    const value = e.local();
    zeroFill(e, out.address, elementCount(node.shape));
    const access: Access = indices!.kind === 'array' ? { address: indices!.address, strides: indices!.strides } : { address: { constant: 0 }, strides: [] };
    loopNest(e, indexShape, [access, { address: { constant: out.address }, strides: stridesOf(indexShape).map((s) => s * depth) }], ([t, o]) => {
      element(e, indices!, indices!.kind === 'array' ? t : undefined);
      e.f.set(value);
      // A value that is no integer in [0, depth) gives a row of zeros.
      e.f.get(value);
      e.number(0).scalar('ge');
      e.f.get(value);
      e.number(depth).scalar('lt');
      e.f.op(op.i32And);
      e.f.get(value).get(value);
      e.scalar('floor').scalar('eq');
      e.f.op(op.i32And).open('if');
      e.f.get(o!).get(value);
      if (e.type === 'f32') e.f.op(op.f64PromoteF32);
      e.f.op(op.i32TruncF64S).i32(e.bytes).op(op.i32Mul).op(op.i32Add);
      e.number(1).scalar('store');
      e.f.end();
    });
  },
};
