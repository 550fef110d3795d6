/**
 * The gpu.js backend: generates one gpu.js kernel from the DAG, elementwise over the points
 * (`this.thread.x` is the point; with several roots `this.thread.y` picks the output). gpu.js
 * compiles it to a GLSL shader (mode `headlessgl`, where the optional `gl` package loads, under
 * a display such as `xvfb-run`) or else to WebAssembly (`webasm`) or plain JS (`cpu`).
 * Every mode computes in float32. Vector and matrix programs run one kernel per operation
 * (`gpu-tensor.ts`).
 *
 * Security: as in the JS backend, parameters are `c0, c1, ...` and locals `t<index>`; no user
 * string reaches the kernel source.
 */
import { createRequire } from 'node:module';
import { TypegradError } from '../ad/errors.js';
import type { Node } from '../ad/node.js';
import type { PrimitiveName } from '../ad/primitives/index.js';
import { topologicalOrder } from '../ad/traverse.js';
import type { Column } from './js.js';
import type { Backend, BackendInfo, BatchProgram } from './registry.js';
import { gpuLiteral, gpuLowering } from './gpu-lowering.js';
import { compileGpuTensorProgram } from './gpu-tensor.js';

/** Source of the gpu.js kernel `function (c0, c1, ...)` computing the roots at point `this.thread.x`. */
export function lowerToGpu(roots: readonly Node[], inputs: readonly Node[]): string {
  const name = new Map<Node, string>();
  const lines: string[] = [];
  inputs.forEach((v, j) => {
    lines.push(`const x${j} = c${j}[this.thread.x];`);
    name.set(v, `x${j}`);
  });
  let temporaries = 0;
  for (const node of topologicalOrder(roots)) {
    if (name.has(node)) continue;
    if (node.op === 'const') name.set(node, gpuLiteral(node.value));
    else if (node.op === 'var') throw new Error(`internal: variable node ${node.id} has no input`);
    else {
      const local = `t${temporaries++}`;
      lines.push(`const ${local} = ${gpuLowering[node.op as PrimitiveName](node.args.map((a) => name.get(a)!), node)};`);
      name.set(node, local);
    }
  }
  // gpu.js needs a float result even where a root is a plain input or constant.
  const results = roots.map((r) => `${name.get(r)!} + 0.0`);
  results.slice(0, -1).forEach((r, k) => lines.push(`if (this.thread.y === ${k}) { return ${r}; }`));
  lines.push(`return ${results[results.length - 1]};`);
  const params = inputs.map((_, j) => `c${j}`);
  return `function (${params.join(', ')}) {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`;
}

interface GpuKernel {
  (...args: unknown[]): Float32Array | Float32Array[];
  setOutput(output: number[]): void;
}
interface GpuInstance {
  /** The kernel class gpu.js chose: its name tells the mode (`mode` itself says only 'gpu'). */
  readonly Kernel: { readonly name: string };
  createKernel(source: string, settings: Record<string, unknown>): GpuKernel;
}

function float32(column: Column): Float32Array {
  return column instanceof Float32Array ? column : Float32Array.from(column);
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

export async function loadGpuBackend(): Promise<Backend> {
  let GPU: new (settings?: Record<string, unknown>) => GpuInstance;
  const notes: string[] = [];
  try {
    // gpu.js is CommonJS; require keeps its own optional `require('gl')` working.
    GPU = createRequire(import.meta.url)('gpu.js').GPU;
  } catch (error) {
    throw new TypegradError(`initBackend('gpu') needs the package gpu.js (npm install gpu.js): ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  }
  const gpu = new GPU();
  const mode = kernelModes[gpu.Kernel.name] ?? gpu.Kernel.name;
  if (mode !== 'headlessgl') {
    notes.push(`headlessgl is not available (it needs the optional package 'gl' built and a display, e.g. xvfb-run); gpu.js runs in its '${mode}' mode`);
  }
  const info: BackendInfo = { backend: 'gpu', engine: mode, precision: 'float32', notes };
  return {
    info,
    allocate: (n) => new Float32Array(n),
    // One kernel per vector or matrix operation, created here (see gpu-tensor.ts).
    compileTensor: (roots, inputs) => compileGpuTensorProgram(gpu, roots, inputs),
    compileBatch(roots, inputs): BatchProgram {
      const source = lowerToGpu(roots, inputs);
      const kernel = gpu.createKernel(source, {
        output: roots.length === 1 ? [1] : [1, roots.length],
        dynamicOutput: true,
        dynamicArguments: true,
        precision: 'single',
        tactic: 'precision',
      });
      return (n, columns, outputs) => {
        kernel.setOutput(roots.length === 1 ? [n] : [n, roots.length]);
        const result = kernel(...columns.map(float32));
        if (roots.length === 1) outputs[0]!.set((result as Float32Array).subarray(0, n));
        else outputs.forEach((o, k) => o.set((result as Float32Array[])[k]!.subarray(0, n)));
      };
    },
  };
}
