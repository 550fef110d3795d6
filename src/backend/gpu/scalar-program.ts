/**
 * A program of scalars on the gpu backend: one thread per point. A program of up to
 * KERNEL_STATEMENTS statements reading up to KERNEL_TEXTURES arrays (input columns, earlier
 * kernels' results) is one kernel; a longer one is split into kernels within both bounds, run
 * one after the other over the same points, each writing the values that later kernels read
 * (and the roots it computes) as layers of one texture that stays on the GPU (`this.thread.z`
 * picks the layer). Only the layers holding roots are read back.
 *
 * A batch larger than one kernel's output can hold (2^24 points, or fewer when a kernel writes
 * many layers: the texture must fit the GPU's largest) runs in passes of that many points.
 */
import type { PrimitiveName } from '../../ad/primitives/index.js';
import type { Plan, ValueId } from '../../program/plan.js';
import type { Executable, FloatArray } from '../types.js';
import { gpuLiteral, gpuLowering, type GpuDecomposed } from './elementwise-lowering.js';
import { KERNEL_STATEMENTS, KERNEL_TEXTURES, KernelCache, readLayers, release, type GpuInstance, type GpuKernel, type KernelResult } from './kernels.js';
import { GRID_WIDTH, gridOf } from './tensor.js';

/** One kernel of a program of scalars: the steps it computes and the values it writes as layers. */
interface ScalarKernel {
  readonly source: string;
  /** The program inputs it reads (by input position). */
  readonly inputs: readonly number[];
  /** The earlier kernels whose layers it reads, in parameter order. */
  readonly imports: readonly number[];
  /** The values it writes, layer by layer. */
  readonly exports: readonly ValueId[];
}

/** The program split into kernels of at most `limit` statements (one kernel when it is that short). */
export function scalarKernels(plan: Plan, limit = KERNEL_STATEMENTS, textures = KERNEL_TEXTURES): ScalarKernel[] {
  const steps = plan.steps;
  const inputIndex = new Map(plan.inputs.map((id, j) => [id, j]));
  // Pieces of consecutive steps, each of at most `limit` statements reading at most `textures`
  // arrays: input columns, and the layers of each earlier piece it imports.
  const pieces: number[][] = [];
  const pieceOf = new Map<ValueId, number>();
  let start = 0;
  let read = new Set<string>();
  const arraysOf = (s: number, piece: number) => plan.values[steps[s]!.value]!.args.flatMap((a) => {
    if (inputIndex.has(a)) return [`input ${inputIndex.get(a)!}`];
    const from = pieceOf.get(a);
    return from !== undefined && from !== piece ? [`piece ${from}`] : [];
  });
  for (let s = 0; s < steps.length; s++) {
    const added = arraysOf(s, pieces.length).filter((r) => !read.has(r));
    if (s > start && (s - start >= limit || read.size + new Set(added).size > textures)) {
      pieces.push([start, s]);
      start = s;
      read = new Set();
    }
    for (const r of arraysOf(s, pieces.length)) read.add(r);
    pieceOf.set(steps[s]!.value, pieces.length);
  }
  if (steps.length > 0) pieces.push([start, steps.length]);
  const exported = pieces.map(() => new Set<ValueId>());
  for (const id of plan.outputs) if (pieceOf.has(id)) exported[pieceOf.get(id)!]!.add(id);
  pieces.forEach(([start, end], p) => {
    for (let s = start!; s < end!; s++) {
      for (const a of plan.values[steps[s]!.value]!.args) {
        const from = pieceOf.get(a);
        if (from !== undefined && from !== p) exported[from]!.add(a);
      }
    }
  });
  const kernels: ScalarKernel[] = [];
  pieces.forEach(([start, end], p) => {
    const exports = [...exported[p]!].sort((a, b) => a - b);
    const name = new Map<ValueId, string>();
    const inputs: number[] = [];
    const imports: number[] = [];
    const reads: string[] = [];
    const body: string[] = [];
    const nameOf = (id: ValueId): string => {
      const known = name.get(id);
      if (known !== undefined) return known;
      const value = plan.values[id]!;
      let local: string;
      if (value.storage.kind === 'constant') local = gpuLiteral(value.storage.data[0]!);
      else if (inputIndex.has(id)) {
        const j = inputIndex.get(id)!;
        inputs.push(j);
        local = `x${j}`;
        reads.push(`const ${local} = c${j}[k];`);
      } else {
        const from = pieceOf.get(id)!;
        if (!imports.includes(from)) imports.push(from);
        local = `i${reads.length}`;
        const layer = kernels[from]!.exports.indexOf(id);
        reads.push(`const ${local} = s${imports.indexOf(from)}[${layer}][this.thread.y][this.thread.x];`);
      }
      name.set(id, local);
      return local;
    };
    let next = 0;
    for (let s = start!; s < end!; s++) {
      const value = plan.values[steps[s]!.value]!;
      const local = `t${next++}`;
      body.push(`const ${local} = ${gpuLowering[value.node.op as Exclude<PrimitiveName, GpuDecomposed>](value.args.map(nameOf), value.node)};`);
      name.set(value.id, local);
    }
    // gpu.js needs a float result even where a value is a plain input or constant.
    const results = exports.map((id) => `${name.get(id)!} + 0.0`);
    const returns = results.slice(0, -1).map((r, e) => `if (this.thread.z === ${e}) { return ${r}; }`);
    returns.push(`return ${results[results.length - 1]};`);
    const lines = ['const k = this.thread.y * w + this.thread.x;', 'if (k >= n) { return 0.0; }', ...reads, ...body, ...returns];
    const parameters = ['w', 'n', ...inputs.map((j) => `c${j}`), ...imports.map((_, i) => `s${i}`)];
    kernels.push({ source: `function (${parameters.join(', ')}) {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`, inputs, imports, exports });
  });
  return kernels;
}

/** The kernel source of a program of scalars (its kernels' sources, one after the other, when it has several). */
export function scalarKernelSource(plan: Plan): string {
  return scalarKernels(plan).map((k) => k.source).join('\n');
}

const float32 = (column: ArrayLike<number>) => (column instanceof Float32Array ? column : Float32Array.from(column));

/** The most points one pass computes: 2^24 (exact float indices), fewer where a kernel writes many layers. */
function pointsPerPass(layers: number, maxTextureSize: number): number {
  // gpu.js lays a kernel's w·h·layers values out in a near-square texture: a quarter of the
  // largest texture leaves room for its rounding.
  const fit = Math.floor((maxTextureSize * maxTextureSize) / 4 / Math.max(1, layers));
  return Math.max(GRID_WIDTH, Math.min(GRID_WIDTH * GRID_WIDTH, Math.floor(fit / GRID_WIDTH) * GRID_WIDTH));
}

export function renderScalarProgram(gpu: GpuInstance, plan: Plan): Executable {
  const kernels = scalarKernels(plan);
  const cache = new KernelCache(gpu, { pipeline: true, immutable: true, dynamicOutput: true, dynamicArguments: true });
  const compiled: GpuKernel[] = kernels.map((k) => cache.kernel(k.source, '', [1, 1, k.exports.length]));
  const outputShape = new Map<GpuKernel, string>();
  // After which kernel each kernel's result is no longer read (roots are read back at the end).
  const lastReader = kernels.map((_, p) => p);
  kernels.forEach((k, p) => k.imports.forEach((from) => (lastReader[from] = Math.max(lastReader[from]!, p))));
  const holdsRoot = kernels.map((k) => k.exports.some((id) => plan.outputs.includes(id)));
  const maxLayers = Math.max(1, ...kernels.map((k) => k.exports.length));
  const passPoints = pointsPerPass(maxLayers, gpu.Kernel.features?.maxTextureSize ?? Infinity);
  const inputIndex = new Map(plan.inputs.map((id, j) => [id, j]));

  const runPass = (n: number, columns: readonly Float32Array[], outputs: readonly FloatArray[], offset: number) => {
    const [width, height] = gridOf(n);
    const results: (KernelResult | undefined)[] = new Array(kernels.length);
    try {
      kernels.forEach((k, p) => {
        const kernel = compiled[p]!;
        const output = [width, height, k.exports.length];
        if (outputShape.get(kernel) !== output.join()) {
          kernel.setOutput(output);
          outputShape.set(kernel, output.join());
        }
        results[p] = kernel(width, n, ...k.inputs.map((j) => columns[j]!), ...k.imports.map((from) => results[from]));
        for (const from of [p, ...k.imports]) {
          if (lastReader[from] === p && !holdsRoot[from]) {
            release(results[from]);
            results[from] = undefined;
          }
        }
      });
      plan.outputs.forEach((id, r) => {
        const out = outputs[r]!;
        const j = inputIndex.get(id);
        const value = plan.values[id]!;
        if (j !== undefined) out.set(columns[j]!.subarray(0, n), offset);
        else if (value.storage.kind === 'constant') out.fill(value.storage.data[0]!, offset, offset + n);
      });
      kernels.forEach((k, p) => {
        if (!holdsRoot[p]) return;
        const layers = readLayers(results[p]!);
        k.exports.forEach((id, layer) => {
          plan.outputs.forEach((root, r) => {
            if (root !== id) return;
            let at = offset;
            for (const row of layers[layer]!) {
              const take = Math.min(row.length, offset + n - at);
              if (take <= 0) break;
              outputs[r]!.set(take === row.length ? row : row.subarray(0, take), at);
              at += take;
            }
          });
        });
      });
    } finally {
      results.forEach(release);
    }
  };

  const runBatch = (n: number, inputs: readonly ArrayLike<number>[], outputs: readonly FloatArray[]) => {
    if (n === 0) return;
    const columns = inputs.map(float32);
    for (let start = 0; start < n; start += passPoints) {
      const count = Math.min(passPoints, n - start);
      runPass(count, start === 0 && count === n ? columns : columns.map((c) => c.subarray(start, start + count)), outputs, start);
    }
  };
  const point = plan.outputs.map(() => new Float32Array(1));
  return {
    run: (inputs) => runBatch(1, inputs.map((x) => [x as number]), point),
    result: (k) => point[k]![0]!,
    runBatch,
    dispose: () => cache.destroy(),
  };
}
