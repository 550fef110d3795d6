/**
 * The WebAssembly renderer: a plan (see `src/program/plan.ts`) as one module, compiled once per
 * program, running in one linear memory. Nothing here decides how the program runs; it writes
 * what the plan says.
 *
 * Memory (one WebAssembly.Memory per program, sized once; shared with worker threads when the
 * program splits work across them), each region 16-byte aligned:
 *   header | scalar slots (one set per thread in batch programs) | tensor inputs (in batch
 *   programs: a block of points) | batch output columns | constants | scratch buffers (the plan's
 *   buffers, reused as it says) | packing scratch (one per thread) | 16 bytes of slack
 *
 * Functions: the plan's chunks become functions `s<i>(p, slots)` (p: the point within the block
 * in batch programs, slots: the address of this thread's scalar slots); a step split across
 * threads (a large matrix product) becomes a function `s<i>(part, parts)` of its own. `run(p,
 * slots)` calls them in order; `block(p0, p1, thread)` runs points p0 … p1 − 1 of a batch and
 * writes their results into the output columns. Scalars live in locals, and in slots when
 * another function reads them (or they are results, or scalar inputs of a point program).
 *
 * Security: no user string reaches the module; names are generated and constants are numbers.
 */
import { TypegradError } from '../../ad/errors.js';
import type { TensorPrimitiveName } from '../../ad/primitives/index.js';
import { productLayout } from '../../ad/primitives/linear-algebra.js';
import { elementCount, stridesOf } from '../../ad/shape.js';
import type { Plan, PlanValue, Step, ValueId } from '../../program/plan.js';
import type { Executable, FloatArray } from '../types.js';
import { vectorLowering, wasmLowering } from './elementwise-lowering.js';
import { BINARY_MATH, Emitter, IMPORTED_MATH, type Float, type Operand } from './emitter.js';
import { FunctionBuilder, ModuleBuilder, op } from './encoder.js';
import type { WasmApi, WasmInstance, WasmMemory, WasmModule } from './engine.js';
import { coalesce, countedLoop, loopNest, type Access } from './loops.js';
import { INDEX_OPERATIONS, productPanels, refStrides, scratchBytes, wasmTensorLowering, type Ref, type TensorContext } from './tensor-lowering.js';

/** Bytes at the start of memory that programs do not use (worker threads' flags). */
export const HEADER_BYTES = 64;

/** How a program is rendered. */
export interface RenderOptions {
  readonly type: Float;
  /** Parts a large step may be split into (1: no step is split). */
  readonly threads: number;
  /**
   * Work from which it is split across threads: multiply-adds (rows · inner · columns) of a
   * matrix product; for a block of batch points, the points times the elements the plan's
   * steps compute per point.
   */
  readonly parallelWork: number;
  /** Target size of a batch block's input and output columns, in bytes (per thread where points are split). */
  readonly blockBytes: number;
}

/** A segment of the program: consecutive steps in one function, or one step split across threads. */
export interface Segment {
  readonly parallel: boolean;
  readonly steps: readonly Step[];
}

/** Where everything lives in memory, in bytes. */
export interface Layout {
  readonly slots: number;
  readonly slotBytes: number;
  /** Slot number of each scalar value that has one. */
  readonly slot: ReadonlyMap<ValueId, number>;
  /** Address of each tensor input (point programs) or input column (batch programs), by input number. */
  readonly input: readonly number[];
  /** Address of each output column (batch programs), by output number. */
  readonly output: readonly number[];
  readonly constant: ReadonlyMap<ValueId, number>;
  readonly buffer: readonly number[];
  readonly scratch: number;
  readonly scratchBytes: number;
  /** Points per block (batch programs; 1 for point programs). */
  readonly block: number;
  /** Whether a block's points are split across threads (its work reaches `parallelWork`). */
  readonly pointsInParallel: boolean;
  readonly bytes: number;
}

/** The rendered program: its module's bytes, what it needs, and how to run it once instantiated. */
export interface RenderedProgram {
  readonly bytes: Uint8Array;
  readonly layout: Layout;
  readonly segments: readonly Segment[];
  readonly type: Float;
  /** Whether the memory must be shared (a step is split across threads, or batch points are). */
  readonly shared: boolean;
  /** Whether batch points may be split across threads (no scratch buffer is written per point). */
  readonly pointsInParallel: boolean;
  readonly pages: number;
}

const align = (n: number) => Math.ceil(n / 16) * 16;

/** The steps split across threads: large matrix products of point programs. */
function isParallel(plan: Plan, step: Step, options: RenderOptions, bytes: number): boolean {
  if (options.threads < 2 || plan.batch || step.kind !== 'operation') return false;
  const node = plan.values[step.value]!.node;
  if (node.op !== 'matmul') return false;
  const { rows, inner, columns, batch } = productLayout(node.args[0]!.shape, node.args[1]!.shape);
  return rows * inner * columns * elementCount(batch) >= options.parallelWork && productPanels(node, bytes) >= options.threads;
}

/** The plan's chunks as segments, each parallel step in a segment of its own. */
function segmentsOf(plan: Plan, options: RenderOptions, bytes: number): Segment[] {
  const segments: Segment[] = [];
  for (const chunk of plan.chunks) {
    let run: Step[] = [];
    for (let s = chunk.start; s < chunk.end; s++) {
      const step = plan.steps[s]!;
      if (isParallel(plan, step, options, bytes)) {
        if (run.length > 0) segments.push({ parallel: false, steps: run });
        segments.push({ parallel: true, steps: [step] });
        run = [];
      } else run.push(step);
    }
    if (run.length > 0) segments.push({ parallel: false, steps: run });
  }
  return segments;
}

/** The values a step computes (the value, and a fused loop's members). */
function computed(step: Step): ValueId[] {
  return step.kind === 'fused' ? [...step.members, step.value] : [step.value];
}

/** The storage a read of `id` touches: the value itself, or a view's base. */
function owner(plan: Plan, id: ValueId): ValueId {
  const storage = plan.values[id]!.storage;
  return storage.kind === 'view' ? storage.base : id;
}

function layoutOf(plan: Plan, segments: readonly Segment[], options: RenderOptions, bytes: number, inline: boolean): Layout {
  // Scalars read in another function than the one computing them, results, and point inputs get slots.
  const home = new Map<ValueId, number>();
  segments.forEach((segment, i) => {
    for (const step of segment.steps) for (const id of computed(step)) home.set(id, i);
  });
  const slot = new Map<ValueId, number>();
  const give = (id: ValueId) => {
    if (!slot.has(id)) slot.set(id, slot.size);
  };
  if (!plan.batch) for (const id of plan.inputs) if (plan.values[id]!.shape.length === 0) give(id);
  segments.forEach((segment, i) => {
    for (const step of segment.steps) {
      for (const id of computed(step)) {
        for (const a of plan.values[id]!.args) {
          const base = owner(plan, a);
          if (plan.values[base]!.storage.kind === 'scalar' && home.get(base) !== i) give(base);
        }
      }
    }
  });
  if (!inline) for (const id of plan.outputs) if (plan.values[id]!.storage.kind === 'scalar') give(id);

  const perPoint = (id: ValueId) => elementCount(plan.values[id]!.shape) * bytes;
  let block = 1;
  let pointsInParallel = false;
  if (plan.batch) {
    const pointBytes = plan.inputs.reduce((t, id) => t + perPoint(id), 0) + plan.outputs.reduce((t, id) => t + perPoint(id), 0);
    block = Math.max(1, Math.floor(options.blockBytes / Math.max(1, pointBytes)));
    // Points split across threads (no scratch buffer is written per point) take a block per
    // thread, handed off together, and only where that work pays for the hand-off.
    if (options.threads > 1 && plan.buffers.length === 0) {
      const perPointWork = plan.steps.reduce((t, step) => t + (step.kind === 'fused' ? 1 + step.members.length : 1) * elementCount(plan.values[step.value]!.shape), 0);
      pointsInParallel = block * options.threads * Math.max(1, perPointWork) >= options.parallelWork;
      if (pointsInParallel) block *= options.threads;
    }
  }
  let at = HEADER_BYTES;
  const reserve = (n: number) => {
    const address = at;
    at = align(at + n);
    return address;
  };
  const slotBytes = align(Math.max(1, slot.size) * bytes);
  const slotSets = plan.batch ? options.threads : 1;
  const slots = reserve(slotBytes * slotSets);
  const input = plan.inputs.map((id) => (plan.batch || plan.values[id]!.shape.length > 0 ? reserve(perPoint(id) * block) : 0));
  const output = plan.batch ? plan.outputs.map((id) => reserve(perPoint(id) * block)) : [];
  const constant = new Map<ValueId, number>();
  for (const v of plan.values) if (v.storage.kind === 'constant' && v.shape.length > 0) constant.set(v.id, reserve(v.storage.data.length * bytes));
  const buffer = plan.buffers.map((size) => reserve(size * bytes));
  const partScratch = align(Math.max(0, ...plan.steps.map((s) => (s.kind === 'operation' ? scratchBytes(plan.values[s.value]!.node, bytes) : 0))));
  const scratch = reserve(partScratch * Math.max(1, options.threads));
  reserve(16); // slack: no access reaches past the end
  return { slots, slotBytes, slot, input, output, constant, buffer, scratch, scratchBytes: partScratch, block, pointsInParallel, bytes: at };
}

/** Renders the plan as a module. */
export function renderWasm(plan: Plan, options: RenderOptions): RenderedProgram {
  const type = options.type;
  const bytes = type === 'f32' ? 4 : 8;
  const segments = segmentsOf(plan, options, bytes);
  // A batch program of scalars in one function: its statements inline in the loop over the points.
  const inline = plan.batch && segments.length === 1 && plan.values.every((v) => v.shape.length === 0);
  const layout = layoutOf(plan, segments, options, bytes, inline);
  const pointsInParallel = layout.pointsInParallel;
  const shared = segments.some((s) => s.parallel) || pointsInParallel;
  const pages = Math.ceil(layout.bytes / 65536);

  const module = new ModuleBuilder();
  for (const name of IMPORTED_MATH) module.importFunction({ module: 'math', name, params: BINARY_MATH.has(name) ? ['f64', 'f64'] : ['f64'], results: ['f64'] });
  module.importFunction({ module: 'env', name: 'indexError', params: ['i32', 'f64', 'i32'], results: [] });
  module.importMemory({ module: 'env', name: 'memory', initial: pages, ...(shared ? { maximum: pages, shared: true } : {}) });

  const home = new Map<ValueId, number>();
  segments.forEach((segment, i) => {
    for (const step of segment.steps) for (const id of computed(step)) home.set(id, i);
  });
  if (inline) {
    module.exportFunction('block', module.addFunction(inlineBlock(plan, layout, type, home)));
    return { bytes: module.encode(), layout, segments, type, shared, pointsInParallel, pages };
  }
  const indices = segments.map((segment, i) => {
    const f = new FunctionBuilder(['i32', 'i32']);
    const writer = new FunctionWriter(plan, layout, new Emitter(f, type), i, home, segment.parallel ? 'parallel' : { point: 0, slots: 1 });
    for (const step of segment.steps) writer.step(step);
    const index = module.addFunction(f);
    module.exportFunction(`s${i}`, index);
    return index;
  });

  // run(p, slots): every segment in order (a split step as its only part).
  const run = new FunctionBuilder(['i32', 'i32']);
  segments.forEach((segment, i) => {
    if (segment.parallel) run.i32(0).i32(1);
    else run.get(0).get(1);
    run.call(indices[i]!);
  });
  const runIndex = module.addFunction(run);
  module.exportFunction('run', runIndex);
  if (plan.batch) module.exportFunction('block', module.addFunction(blockFunction(plan, layout, type, runIndex)));
  return { bytes: module.encode(), layout, segments, type, shared, pointsInParallel, pages };
}

/**
 * block(p0, p1, thread): for each point p in [p0, p1), run(p, this thread's slots), then copy
 * each result into its output column at p.
 */
function blockFunction(plan: Plan, layout: Layout, type: Float, run: number): FunctionBuilder {
  return pointLoop(layout, type, (f, e, p, slots) => {
    f.get(p).get(slots).call(run);
    plan.outputs.forEach((id, k) => {
      const value = plan.values[id]!;
      const size = elementCount(value.shape) * e.bytes;
      const target = () => f.get(p).i32(size).op(op.i32Mul).i32(layout.output[k]!).op(op.i32Add);
      const storage = value.storage;
      if (storage.kind === 'scalar') {
        target();
        f.get(slots);
        e.scalar('load', layout.slot.get(id)! * e.bytes).scalar('store');
      } else if (storage.kind === 'constant' && value.shape.length === 0) {
        target();
        e.number(storage.data[0]!).scalar('store');
      } else {
        target();
        if (storage.kind === 'input') f.get(p).i32(size).op(op.i32Mul).i32(layout.input[storage.input]!).op(op.i32Add);
        else if (storage.kind === 'constant') f.i32(layout.constant.get(id)!);
        else if (storage.kind === 'buffer') f.i32(layout.buffer[storage.buffer]!);
        else throw new Error(`internal: output ${id} is a ${storage.kind}`);
        f.i32(size).memoryCopy();
      }
    });
  });
}

/**
 * A function block(p0, p1, thread) looping p over [p0, p1) with `body` (given the point's and
 * this thread's slots' locals); nothing when p0 ≥ p1.
 */
function pointLoop(layout: Layout, type: Float, body: (f: FunctionBuilder, e: Emitter, p: number, slots: number) => void): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32']);
  const e = new Emitter(f, type);
  const [p0, p1, thread] = [0, 1, 2];
  const slots = e.index(), p = e.index();
  f.get(thread).i32(layout.slotBytes).op(op.i32Mul).i32(layout.slots).op(op.i32Add).set(slots);
  f.get(p0).set(p);
  f.open('block');
  f.get(p).get(p1).op(op.i32GeU).brIf(0);
  f.open('loop');
  body(f, e, p, slots);
  f.get(p).i32(1).op(op.i32Add).tee(p).get(p1).op(op.i32LtU).brIf(0);
  f.end();
  f.end();
  return f;
}

/**
 * block(p0, p1, thread) of a batch program of scalars in one function: per point, the
 * statements (values in locals, inputs read from their columns) and the results stored into
 * the output columns, without calls or slots.
 */
function inlineBlock(plan: Plan, layout: Layout, type: Float, home: ReadonlyMap<ValueId, number>): FunctionBuilder {
  return pointLoop(layout, type, (f, e, p, slots) => {
    const writer = new FunctionWriter(plan, layout, e, 0, home, { point: p, slots });
    for (const step of plan.steps) writer.step(step);
    plan.outputs.forEach((id, k) => {
      f.get(p).i32(e.bytes).op(op.i32Mul);
      const value = plan.values[id]!;
      const storage = value.storage;
      if (storage.kind === 'scalar') f.get(writer.local(id));
      else if (storage.kind === 'constant') e.number(storage.data[0]!);
      else {
        const ref = writer.ref(id);
        if (ref.kind !== 'scalar') throw new Error(`internal: output ${id} of a scalar program is an array`);
        ref.push();
      }
      e.scalar('store', layout.output[k]!);
    });
  });
}

/** Writes the steps of one function: resolves how each value is read there. */
class FunctionWriter {
  readonly #plan: Plan;
  readonly #layout: Layout;
  readonly #e: Emitter;
  readonly #segment: number;
  readonly #home: ReadonlyMap<ValueId, number>;
  readonly #local = new Map<ValueId, number>();
  /** i32 locals: this function's slots address, the point's byte offset per input (batch). */
  readonly #slots: number;
  readonly #pointOffset: readonly (number | undefined)[] = [];
  readonly #split: TensorContext['split'];
  #scratch: number | undefined;

  /**
   * `frame`: a split step's function `(part, parts)`, or a function of the point and the slots
   * address held in these locals (the parameters of `s<i>(p, slots)`, or a block's loop locals).
   */
  constructor(plan: Plan, layout: Layout, e: Emitter, segment: number, home: ReadonlyMap<ValueId, number>, frame: 'parallel' | { readonly point: number; readonly slots: number }) {
    this.#plan = plan;
    this.#layout = layout;
    this.#e = e;
    this.#segment = segment;
    this.#home = home;
    if (frame === 'parallel') {
      // s<i>(part, parts): point programs only; the slots are the one set.
      this.#split = { part: 0, parts: 1 };
      this.#slots = e.index();
      e.f.i32(layout.slots).set(this.#slots);
    } else {
      this.#split = undefined;
      this.#slots = frame.slots;
      if (plan.batch) {
        this.#pointOffset = plan.inputs.map((id) => {
          const local = e.index();
          e.f.get(frame.point).i32(elementCount(plan.values[id]!.shape) * e.bytes).op(op.i32Mul).set(local);
          return local;
        });
      }
    }
  }

  /** The local holding a scalar this function computed. */
  local(id: ValueId): number {
    const local = this.#local.get(id);
    if (local === undefined) throw new Error(`internal: scalar value ${id} has no local here`);
    return local;
  }

  /** This part's packing scratch: the region's start plus part · its size. */
  #scratchPointer = (): number => {
    if (this.#scratch === undefined) throw new Error('internal: packing scratch read before it was set');
    return this.#scratch;
  };

  #prepareScratch(): void {
    if (this.#scratch !== undefined) return;
    const e = this.#e;
    this.#scratch = e.index();
    if (this.#split === undefined) e.f.i32(this.#layout.scratch);
    else e.f.get(this.#split.part).i32(this.#layout.scratchBytes).op(op.i32Mul).i32(this.#layout.scratch).op(op.i32Add);
    e.f.set(this.#scratch);
  }

  /** A slot's value. */
  #slotRead(id: ValueId): Operand {
    const slot = this.#layout.slot.get(id);
    if (slot === undefined) throw new Error(`internal: scalar value ${id} is read across functions without a slot`);
    return () => {
      this.#e.f.get(this.#slots);
      this.#e.scalar('load', slot * this.#e.bytes);
    };
  }

  /** How this function reads a value. */
  ref(id: ValueId): Ref {
    const value = this.#plan.values[id]!;
    const storage = value.storage;
    const e = this.#e;
    switch (storage.kind) {
      case 'constant': {
        if (value.shape.length === 0) {
          const x = storage.data[0]!;
          return { kind: 'scalar', push: () => e.number(x) };
        }
        return { kind: 'array', address: { constant: this.#layout.constant.get(id)! }, strides: stridesOf(value.shape), shape: value.shape };
      }
      case 'input': {
        const j = storage.input;
        const address = this.#layout.input[j]!;
        if (!this.#plan.batch) {
          if (value.shape.length === 0) return { kind: 'scalar', push: this.#slotRead(id) };
          return { kind: 'array', address: { constant: address }, strides: stridesOf(value.shape), shape: value.shape };
        }
        const offset = this.#pointOffset[j]!;
        if (value.shape.length === 0) {
          return {
            kind: 'scalar',
            push: () => {
              e.f.get(offset);
              e.scalar('load', address);
            },
          };
        }
        return { kind: 'array', address: { constant: address, dynamic: offset }, strides: stridesOf(value.shape), shape: value.shape };
      }
      case 'scalar': {
        const local = this.#local.get(id);
        if (local !== undefined && this.#home.get(id) === this.#segment) return { kind: 'scalar', push: () => e.f.get(local) };
        return { kind: 'scalar', push: this.#slotRead(id) };
      }
      case 'buffer':
        return { kind: 'array', address: { constant: this.#layout.buffer[storage.buffer]! }, strides: stridesOf(value.shape), shape: value.shape };
      case 'view': {
        const base = this.ref(storage.base);
        if (base.kind === 'scalar') return base;
        return { kind: 'array', address: { ...base.address, constant: base.address.constant + storage.offset * e.bytes }, strides: storage.strides, shape: value.shape };
      }
      case 'fused':
        throw new Error(`internal: fused value ${id} read outside its loop`);
    }
  }

  step(step: Step): void {
    const value = this.#plan.values[step.value]!;
    if (step.kind === 'scalar') this.#statement(value);
    else if (step.kind === 'fused') this.#fusedLoop(value, step.members);
    else this.#operation(value);
  }

  #statement(value: PlanValue): void {
    const e = this.#e;
    const args = value.args.map((a) => this.#scalarOperand(a));
    wasmLowering[value.node.op as keyof typeof wasmLowering].scalar(e, args, value.node);
    const local = e.local();
    e.f.set(local);
    this.#local.set(value.id, local);
    const slot = this.#layout.slot.get(value.id);
    if (slot !== undefined) {
      e.f.get(this.#slots).get(local);
      e.scalar('store', slot * e.bytes);
    }
  }

  /** A value as a number (a scalar, or the one element of a rank-0 array). */
  #scalarOperand(id: ValueId): Operand {
    const ref = this.ref(id);
    if (ref.kind === 'scalar') return ref.push;
    const e = this.#e;
    return () => {
      e.f.i32(ref.address.constant);
      if (ref.address.dynamic !== undefined) e.f.get(ref.address.dynamic).op(op.i32Add);
      e.scalar('load');
    };
  }

  /**
   * One loop over the value's elements computing it and every value fused into it. Where the
   * innermost dimension is contiguous (or repeated) in every operand and every operation has a
   * SIMD form, it runs a vector of elements at a time, and the last few one by one.
   */
  #fusedLoop(value: PlanValue, members: readonly ValueId[]): void {
    const e = this.#e;
    const plan = this.#plan;
    const ids = [...members, value.id];
    const shape = value.shape;
    const leaves = new Map<ValueId, Ref>();
    for (const id of ids) for (const a of plan.values[id]!.args) if (plan.values[a]!.storage.kind !== 'fused' && !leaves.has(a)) leaves.set(a, this.ref(a));
    const arrays = [...leaves].filter(([, ref]) => ref.kind === 'array') as [ValueId, Extract<Ref, { kind: 'array' }>][];
    const accesses: Access[] = [
      { address: { constant: this.#layout.buffer[(value.storage as { buffer: number }).buffer]! }, strides: stridesOf(shape) },
      ...arrays.map(([, ref]) => ({ address: ref.address, strides: refStrides(ref, shape) })),
    ];
    const merged = coalesce(shape, accesses);
    const sizes = merged.sizes;
    const innerStrides = merged.accesses.map((a) => (sizes.length === 0 ? 0 : a.strides[sizes.length - 1]!));
    const n = sizes.length === 0 ? 1 : sizes[sizes.length - 1]!;
    const vectors = ids.map((id) => vectorLowering(plan.values[id]!.node));
    const vectorized = n >= e.lanes && innerStrides[0] === 1 && innerStrides.every((s) => s === 0 || s === 1) && vectors.every((v) => v !== undefined);

    // Scalar operands are loop invariants: read once, before the loops.
    const scalars = new Map<ValueId, { scalar: number; vector: number | undefined }>();
    for (const [id, ref] of leaves) {
      if (ref.kind !== 'scalar') continue;
      const scalar = e.local();
      ref.push();
      e.f.set(scalar);
      let vector: number | undefined;
      if (vectorized) {
        vector = e.vectorLocal();
        e.f.get(scalar);
        e.splat();
        e.f.set(vector);
      }
      scalars.set(id, { scalar, vector });
    }
    const outer = merged.accesses.map((a) => ({ address: a.address, strides: sizes.length === 0 ? [] : a.strides.slice(0, -1) }));
    loopNest(e, sizes.slice(0, -1), outer, (pointers) => {
      // Operands repeated along the innermost dimension: one element per outer iteration.
      const invariant = new Map<ValueId, { scalar: number; vector: number | undefined }>();
      arrays.forEach(([id], k) => {
        if (innerStrides[k + 1] !== 0) return;
        const scalar = e.local();
        e.f.get(pointers[k + 1]!);
        e.scalar('load');
        e.f.set(scalar);
        let vector: number | undefined;
        if (vectorized) {
          vector = e.vectorLocal();
          e.f.get(scalar);
          e.splat();
          e.f.set(vector);
        }
        invariant.set(id, { scalar, vector });
      });
      const moving = pointers.map((p, k) => {
        if (innerStrides[k] === 0) return p;
        const local = e.index();
        e.f.get(p).set(local);
        return local;
      });
      /** The element computation at the pointers plus `index` elements (vector: `lanes` elements). */
      const body = (vector: boolean, index: number) => {
        const local = new Map<ValueId, number>();
        const operand = (id: ValueId): Operand => {
          const own = local.get(id);
          if (own !== undefined) return () => e.f.get(own);
          const fixed = scalars.get(id) ?? invariant.get(id);
          if (fixed !== undefined) return () => e.f.get(vector ? fixed.vector! : fixed.scalar);
          const k = arrays.findIndex(([a]) => a === id);
          const pointer = moving[k + 1]!;
          return () => {
            e.f.get(pointer);
            if (vector) e.loadVector(index * e.bytes);
            else e.scalar('load', index * e.bytes);
          };
        };
        ids.forEach((id, m) => {
          const member = plan.values[id]!;
          const args = member.args.map(operand);
          if (vector) vectors[m]!(e, args, member.node);
          else wasmLowering[member.node.op as keyof typeof wasmLowering].scalar(e, args, member.node);
          const result = vector ? e.vectorLocal() : e.local();
          e.f.set(result);
          local.set(id, result);
        });
        e.f.get(moving[0]!).get(local.get(value.id)!);
        if (vector) e.storeVector(index * e.bytes);
        else e.scalar('store', index * e.bytes);
      };
      const advance = (elements: number) => moving.forEach((p, k) => innerStrides[k] !== 0 && e.advance(p, innerStrides[k]! * elements * e.bytes));
      if (vectorized) {
        countedLoop(e, Math.floor(n / e.lanes), () => body(true, 0), () => advance(e.lanes));
        for (let t = 0; t < n % e.lanes; t++) body(false, t);
      } else {
        countedLoop(e, n, () => body(false, 0), () => advance(1));
      }
    });
  }

  #operation(value: PlanValue): void {
    const node = value.node;
    if (node.op === 'matmul') this.#prepareScratch();
    const context: TensorContext = { e: this.#e, split: this.#split, scratch: this.#scratchPointer };
    const storage = value.storage;
    if (storage.kind !== 'buffer') throw new Error(`internal: operation ${value.id} has ${storage.kind} storage`);
    const out = { address: this.#layout.buffer[storage.buffer]!, shape: value.shape };
    wasmTensorLowering[node.op as Exclude<TensorPrimitiveName, 'custom'>](context, out, value.args.map((a) => this.ref(a)), node);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Running                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** The error gather and scatterAdd raise for an index that is not an integer in range. */
function indexError(operation: number, index: number, n: number): never {
  throw new TypegradError(`${INDEX_OPERATIONS[operation]}: index ${index} is not an integer in [0, ${n})`);
}

/** The imports of every program module. */
export function moduleImports(memory: WasmMemory): object {
  const math: Record<string, (...x: number[]) => number> = {};
  for (const name of IMPORTED_MATH) math[name] = Math[name];
  return { math, env: { memory, indexError } };
}

/** Runs a split step's parts on worker threads (see threads.ts), or undefined to run it here. */
export interface ParallelRunner {
  /** The number of parts a split step runs as. */
  readonly parts: number;
  /** Runs `s<segment>(part, parts)` for every part, this thread taking part 0; false when the workers are not ready. */
  run(segment: number, local: () => void): boolean;
  /** Runs block(p0, p1, thread) over [0, count) split across threads; false when the workers are not ready. */
  runPoints(count: number, local: (p0: number, p1: number, thread: number) => void): boolean;
  dispose(): void;
}

/** A wasm program's executable, which counts the runs that split work across threads (for tests and benchmarks). */
export interface WasmExecutable extends Executable {
  /** Steps (or blocks of batch points) run split across threads so far. */
  readonly parallelRuns: () => number;
}

/** An instantiated program as an Executable. */
export function executableOf(plan: Plan, program: RenderedProgram, memory: WasmMemory, instance: WasmInstance, runner?: ParallelRunner): WasmExecutable {
  const { layout, type } = program;
  const view: FloatArray = type === 'f32' ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
  const eb = type === 'f32' ? 4 : 8;
  for (const [id, address] of layout.constant) view.set((plan.values[id]!.storage as { data: Float64Array }).data, address / eb);
  const exports = instance.exports as Record<string, (...args: number[]) => void>;
  const run = exports['run']!;
  const segments = program.segments.map((_, i) => exports[`s${i}`]!);
  const slotIndex = (id: ValueId) => layout.slots / eb + layout.slot.get(id)!;
  let parallel = 0;
  const parallelRuns = () => parallel;

  const runPoint = () => {
    if (runner === undefined || !program.segments.some((s) => s.parallel)) {
      run(0, layout.slots);
      return;
    }
    program.segments.forEach((segment, i) => {
      if (!segment.parallel) segments[i]!(0, layout.slots);
      else if (runner.run(i, () => segments[i]!(0, runner.parts))) parallel++;
      else segments[i]!(0, 1);
    });
  };

  if (!plan.batch) {
    const inputs = plan.inputs.map((id, j) => {
      const value = plan.values[id]!;
      return value.shape.length === 0 ? { scalar: true, at: slotIndex(id) } : { scalar: false, at: layout.input[j]! / eb };
    });
    const results = plan.outputs.map((id): (() => number | FloatArray) => {
      const value = plan.values[id]!;
      const storage = value.storage;
      const size = elementCount(value.shape);
      if (storage.kind === 'constant') {
        const data = storage.data;
        return value.shape.length === 0 ? () => data[0]! : () => data as FloatArray;
      }
      if (storage.kind === 'scalar' || (storage.kind === 'input' && value.shape.length === 0)) {
        const at = slotIndex(id);
        return () => view[at]!;
      }
      const at = (storage.kind === 'input' ? layout.input[storage.input]! : layout.buffer[(storage as { buffer: number }).buffer]!) / eb;
      const data = view.subarray(at, at + size);
      return value.shape.length === 0 ? () => data[0]! : () => data;
    });
    return {
      run: (values) => {
        for (let j = 0; j < inputs.length; j++) {
          const input = inputs[j]!;
          const x = values[j]!;
          if (input.scalar) view[input.at] = x as number;
          else if (typeof x !== 'number') view.set(x, input.at); // a number here: a declared variable the program does not read
        }
        runPoint();
      },
      result: (k) => results[k]!(),
      runBatch: () => {
        throw new Error('internal: a point program was run as a batch');
      },
      dispose: () => runner?.dispose(),
      parallelRuns,
    };
  }

  const block = exports['block']!;
  const inputSizes = plan.inputs.map((id) => elementCount(plan.values[id]!.shape));
  const outputSizes = plan.outputs.map((id) => elementCount(plan.values[id]!.shape));
  const runBlock = (count: number) => {
    if (runner !== undefined && program.pointsInParallel && runner.runPoints(count, block)) parallel++;
    else block(0, count, 0);
  };
  return {
    run: () => {
      throw new Error('internal: a batch program was run at one point');
    },
    result: () => {
      throw new Error('internal: a batch program has no point result');
    },
    runBatch: (n, inputs, outputs) => {
      for (let start = 0; start < n; start += layout.block) {
        const count = Math.min(layout.block, n - start);
        for (let j = 0; j < inputs.length; j++) {
          const size = inputSizes[j]!;
          const column = inputs[j]!;
          const at = layout.input[j]! / eb;
          if (ArrayBuffer.isView(column)) view.set((column as FloatArray).subarray(start * size, (start + count) * size), at);
          else for (let i = 0; i < count * size; i++) view[at + i] = column[start * size + i]!;
        }
        runBlock(count);
        for (let k = 0; k < outputs.length; k++) {
          const at = layout.output[k]! / eb;
          outputs[k]!.set(view.subarray(at, at + count * outputSizes[k]!), start * outputSizes[k]!);
        }
      }
    },
    dispose: () => runner?.dispose(),
    parallelRuns,
  };
}

/** Compiles and instantiates a rendered program synchronously. */
export function instantiate(wasm: WasmApi, program: RenderedProgram, module?: WasmModule): { memory: WasmMemory; instance: WasmInstance; module: WasmModule } {
  const compiled = module ?? new wasm.Module(program.bytes);
  const memory = new wasm.Memory({ initial: program.pages, ...(program.shared ? { maximum: program.pages, shared: true } : {}) });
  const instance = new wasm.Instance(compiled, moduleImports(memory));
  return { memory, instance, module: compiled };
}
