/**
 * The gpu.js backend: renders a plan as gpu.js kernels, created when the program is rendered.
 * gpu.js compiles them to GLSL shaders (mode `headlessgl` where the optional `gl` package loads,
 * under a display such as `xvfb-run`; a browser's WebGL) or else to WebAssembly (`webasm`) or
 * plain JS (`cpu`). Every mode computes in float32.
 *
 * - A program of scalars runs one thread per point (`scalar-program.ts`); a call at one point
 *   is a batch of one.
 * - A tensor program is a pipeline of kernels whose intermediate results stay on the GPU
 *   (`tensor-program.ts`); only its roots are read back.
 * - No kernel holds more than KERNEL_STATEMENTS statements or reads more than KERNEL_TEXTURES
 *   arrays (`kernels.ts`): deep or wide programs are several kernels, and pieces with the same
 *   source share one compiled shader.
 * - `dispose` destroys a program's kernels (shaders, framebuffers, textures); `compile` calls it
 *   when the compiled function is disposed or collected.
 */
import { importPeer } from '../peer.js';
import type { Backend, BackendInfo } from '../types.js';
import { TypegradError } from '../../ad/errors.js';
import { GPU_DECOMPOSED } from './elementwise-lowering.js';
import type { GpuInstance } from './kernels.js';
import { renderScalarProgram } from './scalar-program.js';
import { renderTensorProgram } from './tensor-program.js';

export { scalarKernelSource } from './scalar-program.js';

const decomposed: ReadonlySet<string> = new Set(GPU_DECOMPOSED);

/** gpu.js's kernel classes by the mode names of its documentation. */
const kernelModes: Record<string, string> = {
  HeadlessGLKernel: 'headlessgl',
  WebGL2Kernel: 'webgl2',
  WebGLKernel: 'webgl',
  WebGPUKernel: 'webgpu',
  WebAssemblyKernel: 'webasm',
  CPUKernel: 'cpu',
};

/** gpu.js's modes that run on a browser's GPU (its WebGL or WebGPU): nothing to note there. */
const browserGpuModes: ReadonlySet<string> = new Set(['webgl', 'webgl2', 'webgpu']);

/**
 * The mode of the kernel class gpu.js chose: found by identity among the classes gpu.js exports,
 * because a minifier renames classes (a bundled page's `Kernel.name` is a letter); by name otherwise.
 */
function modeOf(kernel: { readonly name: string }, exports: Record<string, unknown>): string {
  for (const [className, mode] of Object.entries(kernelModes)) if (exports[className] === kernel) return mode;
  return kernelModes[kernel.name] ?? kernel.name;
}

type GpuConstructor = new (settings?: Record<string, unknown>) => GpuInstance;

export async function loadGpuBackend(): Promise<Backend> {
  // gpu.js is CommonJS: Node gives its exports as named ones (and as the default export), a
  // browser bundle as either; its own optional `require('gl')` stays a require inside it.
  const module = (await importPeer('gpu.js', "initBackend('gpu')")) as unknown as { GPU?: GpuConstructor; default?: { GPU?: GpuConstructor } };
  const GPU = module.GPU ?? module.default?.GPU;
  if (GPU === undefined) throw new TypegradError("initBackend('gpu'): the package gpu.js has no GPU class; install gpu.js 2");
  const notes: string[] = [];
  const gpu = new GPU();
  const mode = modeOf(gpu.Kernel, (module.GPU === undefined ? module.default : module) as Record<string, unknown>);
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
