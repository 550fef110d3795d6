/**
 * The gpu.js backend: renders a plan as gpu.js kernels, created when the program is rendered.
 * gpu.js compiles them to GLSL shaders (mode `headlessgl` where the optional `gl` package loads,
 * under a display such as `xvfb-run`; a browser's WebGL) or else to WebAssembly (`webasm`) or
 * plain JS (`cpu`). Every mode computes in float32.
 *
 * - A program of scalars is one kernel over the points (`this.thread` picks the point and, with
 *   several roots, the root); a call at one point is a batch of one.
 * - A tensor program runs its plan's steps in order: an elementwise group (the plan fuses
 *   chains) is one kernel, each tensor operation one kernel from `tensor.ts`, scalars and
 *   `pack`/`get` a few flops on the host in float32. Operands are read in place through their
 *   strides; every result comes back to the host (gpu.js's non-pipeline mode).
 *
 * Security: as in the JS backend, parameters are `c0, c1, ...` and locals generated names; no
 * user string reaches the kernel source.
 */
import { createRequire } from 'node:module';
import { TypegradError } from '../../ad/errors.js';
import { primitiveOf, type PrimitiveName, type TensorPrimitiveName } from '../../ad/primitives/index.js';
import type { ElementwisePrimitive } from '../../ad/primitives/types.js';
import { elementCount, stridesOf } from '../../ad/shape.js';
import type { Plan, PlanValue, ValueId } from '../../program/plan.js';
import type { Backend, BackendInfo, Executable, FloatArray } from '../types.js';
import { GPU_DECOMPOSED, gpuLiteral, gpuLowering, type GpuDecomposed } from './elementwise-lowering.js';
import { elementAt, gpuTensorLowering, gridOf, kernelSource, params, type GpuOperand, type KernelSource } from './tensor.js';

interface GpuKernel {
  (...args: unknown[]): Float32Array | Float32Array[] | Float32Array[][];
  setOutput(output: number[]): void;
  destroy?(removeCanvasReferences?: boolean): void;
}
interface GpuInstance {
  /** The kernel class gpu.js chose: its name tells the mode (`mode` itself says only 'gpu'). */
  readonly Kernel: { readonly name: string };
  createKernel(source: string, settings: Record<string, unknown>): GpuKernel;
}

/** gpu.js's kernel classes by the mode names of its documentation. */
const kernelModes: Record<string, string> = {
  HeadlessGLKernel: 'headlessgl',
  WebGL2Kernel: 'webgl2',
  WebGLKernel: 'webgl',
  WebGPUKernel: 'webgpu',
  WebAssemblyKernel: 'webasm',
  CPUKernel: 'cpu',
};

const SETTINGS = { precision: 'single', tactic: 'precision' } as const;

const decomposed: ReadonlySet<string> = new Set(GPU_DECOMPOSED);

/** A gpu.js result (rows of a 2-D grid, or a flat array) as its first `count` values, flat. */
function flatten(result: Float32Array | Float32Array[], count: number): Float32Array {
  if (result instanceof Float32Array) return result.length === count ? result : result.slice(0, count);
  const out = new Float32Array(count);
  let offset = 0;
  for (const row of result) {
    if (offset >= count) break;
    const take = Math.min(row.length, count - offset);
    out.set(take === row.length ? row : row.subarray(0, take), offset);
    offset += take;
  }
  return out;
}

const float32 = (column: ArrayLike<number>) => (column instanceof Float32Array ? column : Float32Array.from(column));

/* A program of scalars: one kernel over the points. */

/** The kernel of a program of scalars: one thread per point and root. */
export function scalarKernelSource(plan: Plan): string {
  const name = new Map<ValueId, string>();
  const lines = ['const k = this.thread.y * w + this.thread.x;', 'if (k >= n) { return 0.0; }'];
  plan.inputs.forEach((id, j) => {
    lines.push(`const x${j} = c${j}[k];`);
    name.set(id, `x${j}`);
  });
  for (const v of plan.values) if (v.storage.kind === 'constant') name.set(v.id, gpuLiteral(v.storage.data[0]!));
  let next = 0;
  for (const step of plan.steps) {
    const value = plan.values[step.value]!;
    const local = `t${next++}`;
    lines.push(`const ${local} = ${gpuLowering[value.node.op as Exclude<PrimitiveName, GpuDecomposed>](value.args.map((a) => name.get(a)!), value.node)};`);
    name.set(value.id, local);
  }
  // gpu.js needs a float result even where a root is a plain input or constant.
  const results = plan.outputs.map((id) => `${name.get(id)!} + 0.0`);
  results.slice(0, -1).forEach((r, k) => lines.push(`if (this.thread.z === ${k}) { return ${r}; }`));
  lines.push(`return ${results[results.length - 1]};`);
  const parameters = ['w', 'n', ...plan.inputs.map((_, j) => `c${j}`)];
  return `function (${parameters.join(', ')}) {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`;
}

function renderScalarProgram(gpu: GpuInstance, plan: Plan): Executable {
  const roots = plan.outputs.length;
  const kernel = gpu.createKernel(scalarKernelSource(plan), { ...SETTINGS, output: [1, 1, roots], dynamicOutput: true, dynamicArguments: true });
  const runBatch = (n: number, inputs: readonly ArrayLike<number>[], outputs: readonly FloatArray[]) => {
    if (n === 0) return;
    const [width, height] = gridOf(n);
    kernel.setOutput([width, height, roots]);
    const result = kernel(width, n, ...inputs.map(float32)) as Float32Array[][];
    outputs.forEach((o, k) => o.set(flatten(result[k]!, n)));
  };
  const point = plan.outputs.map(() => new Float32Array(1));
  return {
    run: (inputs) => runBatch(1, inputs.map((x) => [x as number]), point),
    result: (k) => point[k]![0]!,
    runBatch,
    dispose: () => kernel.destroy?.(),
  };
}

/* A tensor program: one kernel per step. */

/** What a step does at run time, given the host values of the plan. */
type Runner = (values: (number | Float32Array | undefined)[]) => void;

function renderTensorProgram(gpu: GpuInstance, plan: Plan): Executable {
  if (plan.batch) throw new TypegradError('compile: the gpu backend evaluates a program with vectors, matrices or tensors one point per call; batch: true needs the js backend for it');
  const kernels: GpuKernel[] = [];
  const runners: Runner[] = [];

  /** The operand a kernel parameter reads for value `id`, and where its host data comes from. */
  const operand = (id: ValueId, param: string): { operand: GpuOperand; source: ValueId | undefined } => {
    const value = plan.values[id]!;
    const storage = value.storage;
    if (storage.kind === 'constant' && value.shape.length === 0) return { operand: { kind: 'scalar', expression: gpuLiteral(storage.data[0]!) }, source: undefined };
    if (value.shape.length === 0 && (storage.kind === 'scalar' || storage.kind === 'input')) return { operand: { kind: 'scalar', expression: param, param }, source: id };
    if (storage.kind === 'view') {
      const base = plan.values[storage.base]!;
      if (base.shape.length === 0 && base.storage.kind !== 'buffer') return operand(storage.base, param);
      return { operand: { kind: 'array', param, offset: storage.offset, strides: storage.strides, shape: value.shape }, source: storage.base };
    }
    return { operand: { kind: 'array', param, offset: 0, strides: stridesOf(value.shape), shape: value.shape }, source: id };
  };

  const addKernel = (value: PlanValue, kernel: KernelSource, sources: readonly (ValueId | undefined)[]) => {
    const [width, height] = gridOf(kernel.count);
    const compiled = gpu.createKernel(kernel.source, { ...SETTINGS, output: [width, height] });
    kernels.push(compiled);
    const reads = sources.filter((s): s is ValueId => s !== undefined);
    runners.push((values) => {
      const result = compiled(...reads.map((s) => values[s]));
      values[value.id] = flatten(result as Float32Array | Float32Array[], kernel.count);
    });
  };

  for (const step of plan.steps) {
    const value = plan.values[step.value]!;
    if (step.kind === 'scalar') {
      const evaluate = (primitiveOf(value.node.op) as ElementwisePrimitive).evaluate;
      const args = value.args.map((a) => scalarReader(plan, a));
      runners.push((values) => {
        values[value.id] = Math.fround(evaluate(...args.map((read) => read(values))));
      });
      continue;
    }
    if (step.kind === 'fused') {
      const members = [...step.members, value.id];
      const leaves: ValueId[] = [];
      for (const id of members) for (const a of plan.values[id]!.args) if (plan.values[a]!.storage.kind !== 'fused' && !leaves.includes(a)) leaves.push(a);
      const resolved = leaves.map((id, i) => operand(id, `c${i}`));
      const kernel = kernelSource(params(resolved.map((r) => r.operand)), value.shape, (index, _names, lines) => {
        const element = new Map<ValueId, string>();
        leaves.forEach((id, i) => {
          lines.push(`const x${i} = ${elementAt(resolved[i]!.operand, index, value.shape)};`);
          element.set(id, `x${i}`);
        });
        for (const id of members) {
          const member = plan.values[id]!;
          lines.push(`const e${id} = ${gpuLowering[member.node.op as Exclude<PrimitiveName, GpuDecomposed>](member.args.map((a) => element.get(a)!), member.node)};`);
          element.set(id, `e${id}`);
        }
        return `e${value.id}`;
      });
      addKernel(value, kernel, resolved.map((r) => (r.operand.kind === 'array' || r.operand.param !== undefined ? r.source : undefined)));
      continue;
    }
    const op = value.node.op as TensorPrimitiveName;
    if (op === 'pack' || op === 'get') {
      const args = value.args.map((a) => scalarReader(plan, a, op === 'get' ? value.node.attrs : undefined));
      runners.push((values) => {
        values[value.id] = Float32Array.from(args, (read) => read(values));
      });
      continue;
    }
    const lowering = gpuTensorLowering[op as keyof typeof gpuTensorLowering];
    if (lowering === undefined) throw new Error(`internal: '${op}' reached the gpu renderer, which decomposes it`);
    const resolved = value.args.map((id, i) => operand(id, `c${i}`));
    const kernel = lowering(resolved.map((r) => r.operand), value.node);
    addKernel(value, kernel, resolved.map((r) => (r.operand.kind === 'array' || r.operand.param !== undefined ? r.source : undefined)));
  }

  const values: (number | Float32Array | undefined)[] = new Array(plan.values.length);
  for (const v of plan.values) {
    if (v.storage.kind === 'constant') values[v.id] = v.shape.length === 0 ? v.storage.data[0]! : Float32Array.from(v.storage.data);
  }
  const indexChecks = indexChecksOf(plan);
  return {
    run(inputs) {
      plan.inputs.forEach((id, j) => {
        const x = inputs[j]!;
        values[id] = typeof x === 'number' ? x : float32(x);
      });
      for (let s = 0; s < runners.length; s++) {
        indexChecks.get(s)?.(values);
        runners[s]!(values);
      }
    },
    result: (k) => {
      const id = plan.outputs[k]!;
      const v = values[id]!;
      if (plan.values[id]!.shape.length === 0) return typeof v === 'number' ? v : v[0]!;
      return v as Float32Array;
    },
    runBatch: () => {
      throw new Error('internal: a point program was run as a batch');
    },
    dispose: () => {
      for (const kernel of kernels) kernel.destroy?.();
    },
  };
}

/** Reads a value as a number on the host (a scalar, or one element of an array: `index` or the only one). */
function scalarReader(plan: Plan, id: ValueId, index?: readonly number[]): (values: readonly (number | Float32Array | undefined)[]) => number {
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
    const v = values[source]!;
    return typeof v === 'number' ? v : v[offset]!;
  };
}

/**
 * The host check of every index a gather or scatterAdd reads, before its kernel runs (a kernel
 * cannot raise an error): an index that is not an integer in range is a TypegradError, as on js.
 */
function indexChecksOf(plan: Plan): Map<number, (values: readonly (number | Float32Array | undefined)[]) => void> {
  const checks = new Map<number, (values: readonly (number | Float32Array | undefined)[]) => void>();
  plan.steps.forEach((step, s) => {
    const value = plan.values[step.value]!;
    if (value.node.op !== 'gather' && value.node.op !== 'scatterAdd') return;
    const operation = value.node.op;
    const n = operation === 'gather' ? value.node.args[0]!.shape[value.node.attrs[0]!]! : value.node.attrs[1]!;
    const indices = plan.values[value.args[1]!]!;
    const count = elementCount(indices.shape);
    const shape = indices.shape;
    const storage = indices.storage;
    const [source, offset, strides] = storage.kind === 'view' ? [storage.base, storage.offset, storage.strides] : [indices.id, 0, stridesOf(shape)];
    checks.set(s, (values) => {
      const data = values[source]!;
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
  });
  return checks;
}

/** gpu.js's modes that run on a browser's GPU (its WebGL or WebGPU). */
const browserGpuModes: ReadonlySet<string> = new Set(['webgl', 'webgl2', 'webgpu']);

/**
 * gpu.js as a web page provides it: its browser bundle (`gpu.js/dist/gpu-browser.min.js`, loaded
 * by a script tag) defines the global `GPU`, and a page has no `require`. Undefined in Node,
 * where gpu.js is CommonJS and `require` keeps its own optional `require('gl')` working.
 */
function pageGpuJs(): (new (settings?: Record<string, unknown>) => GpuInstance) | undefined {
  const global = (globalThis as { GPU?: unknown }).GPU;
  return typeof global === 'function' ? (global as new (settings?: Record<string, unknown>) => GpuInstance) : undefined;
}

export async function loadGpuBackend(): Promise<Backend> {
  let GPU: new (settings?: Record<string, unknown>) => GpuInstance;
  const notes: string[] = [];
  try {
    GPU = pageGpuJs() ?? createRequire(import.meta.url)('gpu.js').GPU;
  } catch (error) {
    throw new TypegradError(`initBackend('gpu') needs the package gpu.js (npm install gpu.js): ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  }
  const gpu = new GPU();
  const mode = kernelModes[gpu.Kernel.name] ?? gpu.Kernel.name;
  if (mode !== 'headlessgl' && !browserGpuModes.has(mode)) {
    notes.push(`headlessgl is not available (it needs the optional package 'gl' built and a display, e.g. xvfb-run); gpu.js runs in its '${mode}' mode`);
  }
  const info: BackendInfo = { backend: 'gpu', engine: mode, precision: 'float32', notes };
  return {
    info,
    // Softmax and logsumexp are decomposed (a maximum, an elementwise step, a sum): linear in the
    // axis's length, where one kernel would recompute each lane's maximum and sum per element.
    lowers: (op) => op !== 'softmax' && op !== 'logsumexp' && op !== 'custom' && !decomposed.has(op),
    allocate: (n) => new Float32Array(n),
    render: (plan) => (plan.values.every((v) => v.shape.length === 0) ? renderScalarProgram(gpu, plan) : renderTensorProgram(gpu, plan)),
  };
}
