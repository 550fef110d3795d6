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
 * - No kernel holds more than KERNEL_STATEMENTS statements (`kernels.ts`): deep programs are
 *   several kernels, and pieces with the same source share one compiled shader.
 * - `dispose` destroys a program's kernels (shaders, framebuffers, textures); `compile` calls it
 *   when the compiled function is disposed or collected.
 */
import { createRequire } from 'node:module';
import { TypegradError } from '../../ad/errors.js';
import type { Backend, BackendInfo } from '../types.js';
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
