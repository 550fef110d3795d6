/**
 * What the gpu renderers share: the gpu.js types they use, a program's kernels (created once per
 * distinct source and operand kinds, destroyed together), results that stay on the GPU
 * (textures) and their read-back, and the bound on the statements of one kernel.
 */
import type { ValueId } from '../../program/plan.js';

/** A gpu.js texture: a kernel result that stays on the GPU (pipeline mode in a WebGL mode). */
export interface GpuTexture {
  toArray(): Float32Array | Float32Array[] | Float32Array[][];
  delete(): void;
}

/** What a kernel returns: a texture in pipeline mode on WebGL, arrays (rows, layers) in the fallback modes. */
export type KernelResult = GpuTexture | Float32Array | Float32Array[] | Float32Array[][];

export interface GpuKernel {
  (...args: unknown[]): KernelResult;
  setOutput(output: number[]): void;
  destroy?(removeCanvasReferences?: boolean): void;
}

export interface GpuInstance {
  /** The kernel class gpu.js chose: its name tells the mode (`mode` itself says only 'gpu'). */
  readonly Kernel: { readonly name: string; readonly features?: { readonly maxTextureSize?: number } };
  createKernel(source: string, settings: Record<string, unknown>): GpuKernel;
}

/**
 * Every kernel computes in float32 at highp. gpu.js's integer-division fix (on by default for
 * some drivers, Mesa's among them) wraps every `/` in a check that takes `a mod 0` when the
 * divisor is 0, so `log(x, 1)` gave garbage; index arithmetic here never relies on it.
 */
export const KERNEL_SETTINGS = { precision: 'single', tactic: 'precision', fixIntegerDivisionAccuracy: false } as const;

/**
 * The most statements one kernel holds; longer programs and fused chains are split into
 * several kernels, their intermediate results kept in textures. Mesa's shader compiler (the
 * software renderer of headless-gl here) is superlinear in a shader's length: a chain of `sin`
 * compiled in 0.9 s at 100 statements, 1.7 s at 200, 3.7 s at 400, 12 s at 800, over 100 s at
 * 3,200, and a 100,000-deep chain crashed the process; about 0.25 s of each compile is fixed
 * (measured with its shader cache off, bench machine under load). 256 keeps every kernel in the
 * linear range at a few per cent of fixed cost.
 */
export const KERNEL_STATEMENTS = 256;

/**
 * The most arrays (textures on WebGL) one kernel reads. gpu.js binds a kernel's array arguments
 * to texture units 0, 1, 2, … in order, the output texture to the next one, and uses unit 15 for
 * its own texture copies; WebGL 2 guarantees 16 units (SwiftShader gives 16, Mesa 32). Past what
 * the device has, the shader does not link and gpu.js returns the previous results without an
 * error; past 15 arguments, its copies overwrite an argument. (A gradient of polygamma, whose
 * fused group read 35 arrays, came back as other values that way.) Kernels that would read more
 * are split (`boundedGroups`, the scalar program's pieces, pack and concat in steps).
 */
export const KERNEL_TEXTURES = 12;

/** Whether a kernel result is a texture (WebGL modes) rather than host arrays. */
export function isTexture(result: unknown): result is GpuTexture {
  return typeof result === 'object' && result !== null && typeof (result as GpuTexture).delete === 'function' && typeof (result as GpuTexture).toArray === 'function';
}

/** A kernel result (rows of a 2-D grid, or a flat array) as its first `count` values, flat. */
export function flatten(result: Float32Array | Float32Array[], count: number): Float32Array {
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

/** The first `count` values of a 2-D result, read back from the GPU where it is a texture. */
export function readBack(result: KernelResult, count: number): Float32Array {
  return flatten((isTexture(result) ? result.toArray() : result) as Float32Array | Float32Array[], count);
}

/** The layers of a 3-D result ([layer][row][column]), read back from the GPU where it is a texture. */
export function readLayers(result: KernelResult): Float32Array[][] {
  return (isTexture(result) ? result.toArray() : result) as Float32Array[][];
}

/**
 * A program's kernels. Kernels of the same source reading operands of the same kinds (a deep
 * chain split into equal pieces) share one gpu.js kernel, so its shader is compiled once; such a
 * kernel returns a new texture per call (gpu.js `immutable`), which the program deletes after
 * its last reader. `destroy` releases every kernel: shaders, programs, framebuffers, textures.
 */
export class KernelCache {
  readonly #gpu: GpuInstance;
  readonly #settings: Record<string, unknown>;
  readonly #kernels = new Map<string, GpuKernel>();

  constructor(gpu: GpuInstance, settings: Record<string, unknown>) {
    this.#gpu = gpu;
    this.#settings = settings;
  }

  /** The kernel of `source` for operands described by `kinds` (their types and sizes), created on first use. */
  kernel(source: string, kinds: string, output: number[]): GpuKernel {
    const key = `${kinds}\n${source}`;
    let kernel = this.#kernels.get(key);
    if (kernel === undefined) {
      kernel = this.#gpu.createKernel(source, { ...KERNEL_SETTINGS, ...this.#settings, output });
      this.#kernels.set(key, kernel);
    }
    return kernel;
  }

  /** How many distinct kernels the program has (its shaders). */
  get size(): number {
    return this.#kernels.size;
  }

  destroy(): void {
    for (const kernel of this.#kernels.values()) kernel.destroy?.(true);
    this.#kernels.clear();
  }
}

/** Deletes a result that lives on the GPU (host arrays are left to the collector). */
export function release(result: unknown): void {
  if (isTexture(result)) result.delete();
}

/**
 * Splits an elementwise group (a root and the members it inlines, each member used once inside
 * the group, so the group is a tree) into groups of at most `limit` statements that read at most
 * `textures` arrays (`isArray`: whether a value outside the group is read as one, rather than as
 * a number): walking the members in schedule order, a value whose inlined subtree grows past
 * either bound cuts its operand subtrees off, the largest first (the one reading the most arrays,
 * when that is the bound passed); each cut value is computed by a kernel of its own and read as
 * an array. Returns the groups in schedule order (each root after the groups it reads).
 */
export function boundedGroups(
  root: ValueId,
  members: readonly ValueId[],
  argsOf: (id: ValueId) => readonly ValueId[],
  limit: number,
  textures = Infinity,
  isArray: (id: ValueId) => boolean = () => true,
): { root: ValueId; members: ValueId[] }[] {
  const inGroup = new Set(members);
  const size = new Map<ValueId, number>();
  /** The arrays each member's kernel subtree reads (cut operands included: they are arrays then). */
  const reads = new Map<ValueId, ReadonlySet<ValueId>>();
  const cut = new Set<ValueId>();
  for (const id of [...members, root]) {
    const args = argsOf(id);
    const inlined = [...new Set(args.filter((a) => inGroup.has(a)))];
    const own = args.filter((a) => !inGroup.has(a) && isArray(a));
    const arraysRead = () => {
      const all = new Set(own);
      for (const a of inlined) {
        if (cut.has(a)) all.add(a);
        else for (const r of reads.get(a)!) all.add(r);
      }
      return all;
    };
    const statements = () => 1 + inlined.reduce((s, a) => s + (cut.has(a) ? 0 : size.get(a)!), 0);
    let arrays = arraysRead();
    while (statements() > limit || arrays.size > textures) {
      const candidates = inlined.filter((a) => !cut.has(a));
      if (candidates.length === 0) break;
      const byArrays = arrays.size > textures;
      const weight = (a: ValueId) => (byArrays ? reads.get(a)!.size : size.get(a)!);
      cut.add(candidates.reduce((best, a) => (weight(a) > weight(best) ? a : best)));
      arrays = arraysRead();
    }
    size.set(id, statements());
    reads.set(id, arrays);
  }
  const owner = new Map<ValueId, ValueId>([[root, root]]);
  const ordered = [...members, root];
  for (let i = ordered.length - 1; i >= 0; i--) {
    const id = ordered[i]!;
    for (const a of argsOf(id)) if (inGroup.has(a) && !owner.has(a)) owner.set(a, cut.has(a) ? a : owner.get(id)!);
  }
  const groups = new Map<ValueId, ValueId[]>();
  for (const id of ordered) if (id === root || cut.has(id)) groups.set(id, []);
  for (const id of members) if (!cut.has(id)) groups.get(owner.get(id)!)!.push(id);
  return [...groups].map(([r, m]) => ({ root: r, members: m }));
}
