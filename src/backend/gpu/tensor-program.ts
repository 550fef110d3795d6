/**
 * A tensor program on the gpu backend, as a pipeline of gpu.js kernels whose results stay on the
 * GPU (textures, gpu.js pipeline mode) from the kernel that computes them to the kernels that
 * read them; only the roots are read back.
 *
 * - Each elementwise group of the plan (a fused chain, or a run of scalar statements that reads
 *   a kernel's result) is one kernel, split into kernels of at most KERNEL_STATEMENTS statements
 *   and KERNEL_TEXTURES arrays read when it is larger; each tensor operation is one kernel from
 *   `tensor.ts` (convolution and pooling from `window-lowering.ts`), but a pack or concat of more
 *   arrays than a kernel reads, which is made in steps.
 * - Scalar statements over inputs and constants, and `pack`/`get` of such scalars, are a few
 *   flops on the host in float32; inputs and constants are uploaded by the kernels that read them.
 * - Every intermediate texture is deleted after its last reader has run (gpu.js recycles it as
 *   its kernel's next output), so a call allocates nothing on the GPU once the first has run.
 *
 * Security: as in the JS backend, parameters are `c0, c1, ...` and locals generated names; no
 * user string reaches the kernel source.
 */
import { TypegradError } from '../../ad/errors.js';
import type { Node } from '../../ad/node.js';
import { primitiveOf, type PrimitiveName, type TensorPrimitiveName } from '../../ad/primitives/index.js';
import type { ElementwisePrimitive } from '../../ad/primitives/types.js';
import { elementCount, stridesOf } from '../../ad/shape.js';
import type { Plan, ValueId } from '../../program/plan.js';
import type { Executable } from '../types.js';
import { gpuLiteral, gpuLowering, type GpuDecomposed } from './elementwise-lowering.js';
import { boundedGroups, isTexture, KERNEL_STATEMENTS, KERNEL_TEXTURES, KernelCache, readBack, release, flatten, type GpuInstance, type KernelResult } from './kernels.js';
import { assembledKernel, elementAt, gpuTensorLowering, gridOf, kernelSource, params, type GpuOperand, type KernelSource } from './tensor.js';
import { gpuWindowLowering } from './window-lowering.js';

/** Each tensor primitive's kernel (`pack` and `get` run on the host or are made here, as is a `concat` of many arrays; softmax, logsumexp and custom nodes are decomposed). */
const gpuKernels = { ...gpuTensorLowering, ...gpuWindowLowering } satisfies Record<Exclude<TensorPrimitiveName, 'pack' | 'get' | 'softmax' | 'logsumexp' | 'custom'>, (operands: readonly GpuOperand[], node: Node) => KernelSource>;

/** A value at run time: a number or array on the host, or a kernel's result (a texture on WebGL). */
type RuntimeValue = number | Float32Array | KernelResult | undefined;

/** One thing a run does, in order: a host computation or a kernel, and the values it reads. */
interface Unit {
  readonly value: ValueId;
  readonly reads: readonly ValueId[];
  readonly run: (values: RuntimeValue[]) => void;
}

const float32 = (column: ArrayLike<number>) => (column instanceof Float32Array ? column : Float32Array.from(column));

export function renderTensorProgram(gpu: GpuInstance, plan: Plan): Executable {
  if (plan.batch) throw new TypegradError('compile: the gpu backend evaluates a program with vectors, matrices or tensors one point per call; batch: true needs the js backend for it');
  const cache = new KernelCache(gpu, { pipeline: true, immutable: true });
  const values = plan.values;
  const owner = (id: ValueId): ValueId => {
    const storage = values[id]!.storage;
    return storage.kind === 'view' ? storage.base : id;
  };
  const isOutput = new Set(plan.outputs);

  // Where each value lives: on the GPU when a kernel computes it (or reads it inlined).
  const onDevice: boolean[] = values.map(() => false);
  for (const v of values) {
    const storage = v.storage;
    const readsDevice = () => v.args.some((a) => onDevice[owner(a)]);
    if (storage.kind === 'view') onDevice[v.id] = onDevice[storage.base]!;
    else if (storage.kind === 'fused') onDevice[v.id] = true;
    else if (storage.kind === 'scalar') onDevice[v.id] = readsDevice();
    else if (storage.kind === 'buffer') onDevice[v.id] = v.node.op === 'pack' || v.node.op === 'get' ? readsDevice() : true;
  }

  // A device scalar read once, by a device scalar statement, is inlined into that statement's kernel.
  const readers = new Map<ValueId, number>();
  for (const step of plan.steps) {
    const ids = step.kind === 'fused' ? [step.value, ...step.members] : [step.value];
    for (const id of ids) for (const a of values[id]!.args) readers.set(owner(a), (readers.get(owner(a)) ?? 0) + 1);
  }
  const isDeviceScalar = (id: ValueId) => values[id]!.storage.kind === 'scalar' && onDevice[id]!;
  const inlined = new Set<ValueId>();
  for (const step of plan.steps) {
    if (step.kind !== 'scalar' || !isDeviceScalar(step.value)) continue;
    for (const a of values[step.value]!.args) if (isDeviceScalar(a) && !isOutput.has(a) && readers.get(a) === 1) inlined.add(a);
  }

  /** Values computed by a kernel of their own, whatever their plan storage (a group's pieces). */
  const materialised = new Set<ValueId>();
  /** A rank-0 value that is a number on the host (a kernel gets it as a number). */
  const isNumber = (id: ValueId) => {
    const v = values[id]!;
    return v.shape.length === 0 && !onDevice[id] && (v.storage.kind === 'input' || v.storage.kind === 'scalar' || v.storage.kind === 'constant');
  };

  /** The operand a kernel parameter reads for value `id`, and the value whose data it is passed. */
  const operand = (id: ValueId, param: string): { operand: GpuOperand; source: ValueId | undefined } => {
    const value = values[id]!;
    const storage = value.storage;
    if (storage.kind === 'constant' && value.shape.length === 0) return { operand: { kind: 'scalar', expression: gpuLiteral(storage.data[0]!) }, source: undefined };
    if (storage.kind === 'view' && !materialised.has(id)) {
      if (isNumber(storage.base)) return operand(storage.base, param);
      return { operand: { kind: 'array', param, offset: storage.offset, strides: storage.strides, shape: value.shape }, source: storage.base };
    }
    if (isNumber(id)) return { operand: { kind: 'scalar', expression: param, param }, source: id };
    return { operand: { kind: 'array', param, offset: 0, strides: stridesOf(value.shape), shape: value.shape }, source: id };
  };

  /** How a kernel's operand data is passed, for its cache key: sizes are compiled into a shader. */
  const kindOf = (id: ValueId) => (onDevice[id] ? `t${elementCount(values[id]!.shape)}` : isNumber(id) ? 'n' : `a${elementCount(values[id]!.shape)}`);

  const units: Unit[] = [];
  const addKernel = (id: ValueId, kernel: KernelSource, operands: readonly { operand: GpuOperand; source: ValueId | undefined }[]) => {
    const sources = operands.filter((o) => o.operand.kind === 'array' || o.operand.param !== undefined).map((o) => o.source!);
    const compiled = cache.kernel(kernel.source, sources.map(kindOf).join(), gridOf(kernel.count));
    const count = kernel.count;
    units.push({
      value: id,
      reads: sources,
      run: (runtime) => {
        const result = compiled(...sources.map((s) => runtime[s]));
        // Off WebGL a result is host rows: kernels read their operands flat.
        runtime[id] = isTexture(result) ? result : flatten(result as Float32Array | Float32Array[], count);
      },
    });
  };

  /** An elementwise group (a root and the values it inlines) as kernels of bounded length. */
  const addElementwise = (root: ValueId, members: readonly ValueId[]) => {
    const isArray = (id: ValueId) => operand(id, 'c').operand.kind === 'array';
    for (const group of boundedGroups(root, members, (id) => values[id]!.args, KERNEL_STATEMENTS, KERNEL_TEXTURES, isArray)) {
      materialised.add(group.root);
      const inGroup = new Set(group.members);
      const leaves: ValueId[] = [];
      for (const id of [...group.members, group.root]) for (const a of values[id]!.args) if (!inGroup.has(a) && !leaves.includes(a)) leaves.push(a);
      const resolved = leaves.map((id, i) => operand(id, `c${i}`));
      const shape = values[group.root]!.shape;
      const kernel = kernelSource(params(resolved.map((r) => r.operand)), shape, (index, _names, lines) => {
        const element = new Map<ValueId, string>();
        leaves.forEach((id, i) => {
          lines.push(`const x${i} = ${elementAt(resolved[i]!.operand, index, shape)};`);
          element.set(id, `x${i}`);
        });
        let next = 0;
        for (const id of [...group.members, group.root]) {
          const member = values[id]!;
          const local = `e${next++}`;
          lines.push(`const ${local} = ${gpuLowering[member.node.op as Exclude<PrimitiveName, GpuDecomposed>](member.args.map((a) => element.get(a)!), member.node)};`);
          element.set(id, local);
        }
        return element.get(group.root)!;
      });
      addKernel(group.root, kernel, resolved);
    }
  };

  /**
   * A pack or concat: one kernel writing each operand's elements where they go (zeros
   * elsewhere), or, with more arrays than a kernel reads (KERNEL_TEXTURES), steps: each kernel
   * writes the elements of the next operands that fit, and copies the others from the previous
   * step's result. One unit, whose intermediate results are deleted as it goes.
   */
  const addAssembled = (id: ValueId, resolved: readonly { operand: GpuOperand; source: ValueId | undefined }[]) => {
    const value = values[id]!;
    const shape = value.shape;
    const ranges: [number, number][] = [];
    let from = 0, arrays = 0;
    resolved.forEach((r, i) => {
      if (r.operand.kind !== 'array') return;
      if (arrays === KERNEL_TEXTURES - 1) {
        ranges.push([from, i]);
        from = i;
        arrays = 0;
      }
      arrays++;
    });
    ranges.push([from, resolved.length]);
    if (ranges.length === 1) {
      addKernel(id, assembledKernel(value.node, resolved.map((r) => r.operand)), resolved);
      return;
    }
    const previous: GpuOperand = { kind: 'array', param: 'p', offset: 0, strides: stridesOf(shape), shape };
    const steps = ranges.map(([a, b], c) => {
      const part = resolved.slice(a, b);
      const kernel = assembledKernel(value.node, part.map((r) => r.operand), a, c === 0 ? undefined : previous);
      const sources = part.filter((o) => o.operand.kind === 'array' || o.operand.param !== undefined).map((o) => o.source!);
      const kinds = [...(c === 0 ? [] : [`t${elementCount(shape)}`]), ...sources.map(kindOf)].join();
      return { compiled: cache.kernel(kernel.source, kinds, gridOf(kernel.count)), sources };
    });
    const count = elementCount(shape);
    units.push({
      value: id,
      reads: steps.flatMap((step) => step.sources),
      run: (runtime) => {
        let result: RuntimeValue;
        for (const step of steps) {
          const args = step.sources.map((s) => runtime[s]);
          const out = result === undefined ? step.compiled(...args) : step.compiled(result, ...args);
          release(result);
          result = isTexture(out) ? out : flatten(out as Float32Array | Float32Array[], count);
        }
        runtime[id] = result;
      },
    });
  };

  /** Members of a device scalar statement's kernel: the scalars it inlines, recursively. */
  const inlinedMembers = (root: ValueId): ValueId[] => {
    const members = new Set<ValueId>();
    const stack = [...values[root]!.args];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (!inlined.has(id) || members.has(id)) continue;
      members.add(id);
      for (const a of values[id]!.args) stack.push(a);
    }
    return [...members].sort((a, b) => a - b);
  };

  for (const step of plan.steps) {
    const value = values[step.value]!;
    if (step.kind === 'fused') {
      addElementwise(value.id, step.members);
      continue;
    }
    if (step.kind === 'scalar') {
      if (inlined.has(value.id)) continue;
      if (onDevice[value.id]) {
        addElementwise(value.id, inlinedMembers(value.id));
        continue;
      }
      const evaluate = (primitiveOf(value.node.op) as ElementwisePrimitive).evaluate;
      const args = value.args.map((a) => hostReader(plan, a));
      units.push({ value: value.id, reads: [], run: (runtime) => (runtime[value.id] = Math.fround(evaluate(...args.map((read) => read(runtime))))) });
      continue;
    }
    const op = value.node.op as TensorPrimitiveName;
    if ((op === 'pack' || op === 'get') && !onDevice[value.id]) {
      const args = value.args.map((a) => hostReader(plan, a, op === 'get' ? value.node.attrs : undefined));
      units.push({ value: value.id, reads: [], run: (runtime) => (runtime[value.id] = Float32Array.from(args, (read) => read(runtime))) });
      continue;
    }
    const resolved = value.args.map((id, i) => operand(id, `c${i}`));
    const operands = resolved.map((r) => r.operand);
    if (op === 'pack' || op === 'concat') {
      addAssembled(value.id, resolved);
      continue;
    }
    let kernel: KernelSource;
    if (op === 'get') {
      const x = operands[0]!;
      if (x.kind !== 'array') throw new Error('internal: get of a number on the gpu');
      // One literal position: gpu.js cannot type a product of literals as an index.
      const position = value.node.attrs.reduce((p, i, d) => p + i * x.strides[d]!, x.offset);
      kernel = kernelSource(params(operands), value.shape, () => `${x.param}[${position}.0]`);
    } else {
      const lowering = gpuKernels[op as keyof typeof gpuKernels];
      if (lowering === undefined) throw new Error(`internal: '${op}' reached the gpu renderer, which decomposes it`);
      kernel = lowering(operands, value.node);
    }
    addKernel(value.id, kernel, resolved);
  }

  // After which unit each device value is no longer read (roots are read back at the end).
  const lastRead = new Map<ValueId, number>();
  units.forEach((unit, u) => {
    lastRead.set(unit.value, Math.max(lastRead.get(unit.value) ?? u, u));
    for (const id of unit.reads) lastRead.set(id, u);
  });
  const releaseAfter = units.map(() => [] as ValueId[]);
  for (const [id, u] of lastRead) if (onDevice[id] && !isOutput.has(id)) releaseAfter[u]!.push(id);

  const runtime: RuntimeValue[] = new Array(values.length);
  for (const v of values) {
    if (v.storage.kind === 'constant') runtime[v.id] = v.shape.length === 0 ? v.storage.data[0]! : Float32Array.from(v.storage.data);
  }
  const indexChecks = indexChecksOf(plan, onDevice);
  const results: (number | Float32Array)[] = new Array(plan.outputs.length);
  const clear = () => {
    for (let id = 0; id < runtime.length; id++) {
      if (onDevice[id] && runtime[id] !== undefined) {
        release(runtime[id]);
        runtime[id] = undefined;
      }
    }
  };
  return {
    run(inputs) {
      plan.inputs.forEach((id, j) => {
        const x = inputs[j]!;
        runtime[id] = typeof x === 'number' ? x : float32(x);
      });
      try {
        units.forEach((unit, u) => {
          indexChecks.get(unit.value)?.(runtime);
          unit.run(runtime);
          for (const id of releaseAfter[u]!) {
            release(runtime[id]);
            runtime[id] = undefined;
          }
        });
        const read = new Map<ValueId, number | Float32Array>();
        plan.outputs.forEach((id, k) => {
          const value = values[id]!;
          let result = read.get(id);
          if (result === undefined) {
            const v = runtime[id]!;
            result = onDevice[id] ? readBack(v as KernelResult, elementCount(value.shape)) : (v as number | Float32Array);
            if (value.shape.length === 0 && typeof result !== 'number') result = result[0]!;
            read.set(id, result);
          }
          results[k] = result;
        });
      } finally {
        clear();
      }
    },
    result: (k) => results[k]!,
    runBatch: () => {
      throw new Error('internal: a point program was run as a batch');
    },
    dispose: () => {
      clear();
      cache.destroy();
    },
  };
}

/** Reads a host value as a number (a scalar, or one element of an array: `index` or the only one). */
function hostReader(plan: Plan, id: ValueId, index?: readonly number[]): (values: readonly RuntimeValue[]) => number {
  const value = plan.values[id]!;
  const storage = value.storage;
  let source = id, offset = 0, strides = stridesOf(value.shape);
  if (storage.kind === 'view') {
    source = storage.base;
    offset = storage.offset;
    strides = [...storage.strides];
  }
  if (index !== undefined) index.forEach((i, d) => (offset += i * strides[d]!));
  return (values) => {
    const v = values[source] as number | Float32Array;
    return typeof v === 'number' ? v : v[offset]!;
  };
}

/**
 * The host check of every index a gather or scatterAdd reads, before its kernel runs (a kernel
 * cannot raise an error): an index that is not an integer in range is a TypegradError, as on js.
 * Indices computed on the GPU are read back for it.
 */
function indexChecksOf(plan: Plan, onDevice: readonly boolean[]): Map<ValueId, (values: readonly RuntimeValue[]) => void> {
  const checks = new Map<ValueId, (values: readonly RuntimeValue[]) => void>();
  for (const value of plan.values) {
    if ((value.node.op !== 'gather' && value.node.op !== 'scatterAdd') || value.storage.kind !== 'buffer') continue;
    const operation = value.node.op;
    const n = operation === 'gather' ? value.node.args[0]!.shape[value.node.attrs[0]!]! : value.node.attrs[1]!;
    const indices = plan.values[value.args[1]!]!;
    const count = elementCount(indices.shape);
    const shape = indices.shape;
    const storage = indices.storage;
    const [source, offset, strides] = storage.kind === 'view' ? [storage.base, storage.offset, storage.strides] : [indices.id, 0, stridesOf(shape)];
    const size = elementCount(plan.values[source]!.shape);
    checks.set(value.id, (values) => {
      const stored = values[source]!;
      const data = onDevice[source] ? readBack(stored as KernelResult, size) : (stored as number | Float32Array);
      for (let t = 0; t < count; t++) {
        let k = offset, rest = t;
        for (let d = shape.length - 1; d >= 0; d--) {
          k += (rest % shape[d]!) * strides[d]!;
          rest = Math.floor(rest / shape[d]!);
        }
        const x = typeof data === 'number' ? data : data[k]!;
        if (!(x >= 0 && x < n && Math.floor(x) === x)) throw new TypegradError(`${operation}: index ${x} is not an integer in [0, ${n})`);
      }
    });
  }
  return checks;
}
