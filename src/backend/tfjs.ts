/**
 * The TensorFlow.js backend: lowers the DAG to tfjs ops on whole columns, one op per operation
 * node in topological order, inside one `tf.tidy` so that every intermediate tensor is freed.
 *
 * Engine detection, best first: `@tensorflow/tfjs-node` (native TensorFlow) when it is installed,
 * else `@tensorflow/tfjs-backend-wasm`, else `@tensorflow/tfjs-backend-cpu`. All of them compute
 * in float32.
 */
import { TypegradError } from '../ad/errors.js';
import type { Node } from '../ad/node.js';
import type { PrimitiveName } from '../ad/primitives/index.js';
import { topologicalOrder } from '../ad/traverse.js';
import type { Column } from './js.js';
import type { Backend, BackendInfo, BatchProgram } from './registry.js';
import { tfjsLowering, type Tensor, type Tf } from './tfjs-lowering.js';

/** Why an import failed, in one line. */
function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** Picks and initialises the best tfjs engine that loads here. */
async function chooseEngine(tf: Tf): Promise<{ engine: string; notes: string[] }> {
  const notes: string[] = [];
  try {
    const nodeBinding = '@tensorflow/tfjs-node';
    await import(nodeBinding); // an optional peer: a variable name keeps bundlers and tsc from requiring it
    if (await tf.setBackend('tensorflow')) return { engine: 'tensorflow', notes };
    notes.push('@tensorflow/tfjs-node loaded but its backend did not initialise');
  } catch (error) {
    notes.push(`@tensorflow/tfjs-node is not available (${reason(error)})`);
  }
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) return { engine: 'wasm', notes };
    notes.push('@tensorflow/tfjs-backend-wasm loaded but did not initialise');
  } catch (error) {
    notes.push(`@tensorflow/tfjs-backend-wasm is not available (${reason(error)})`);
  }
  try {
    await import('@tensorflow/tfjs-backend-cpu');
    if (await tf.setBackend('cpu')) return { engine: 'cpu', notes };
  } catch (error) {
    notes.push(`@tensorflow/tfjs-backend-cpu is not available (${reason(error)})`);
  }
  throw new TypegradError(`initBackend('tfjs'): no TensorFlow.js engine could be initialised: ${notes.join('; ')}`);
}

/** The tensors of `roots`, computed from the input columns; call inside `tf.tidy`. */
export function lowerToTfjs(tf: Tf, roots: readonly Node[], inputs: readonly Node[], columns: readonly Tensor[], n: number): Tensor[] {
  const value = new Map<Node, Tensor>(inputs.map((v, j) => [v, columns[j]!]));
  for (const node of topologicalOrder(roots)) {
    if (value.has(node)) continue;
    if (node.op === 'const') value.set(node, tf.scalar(node.value));
    else if (node.op === 'var') throw new Error(`internal: variable node ${node.id} has no input`);
    else value.set(node, tfjsLowering[node.op as PrimitiveName](tf, node.args.map((a) => value.get(a)!), node));
  }
  // A constant root is a scalar tensor; every output is a column of n values.
  return roots.map((r) => (value.get(r)!.rank === 0 ? tf.fill([n], value.get(r)!.dataSync()[0]!) : value.get(r)!));
}

function float32(column: Column): Float32Array {
  return column instanceof Float32Array ? column : Float32Array.from(column);
}

export async function loadTfjsBackend(): Promise<Backend> {
  let tf: Tf;
  try {
    tf = await import('@tensorflow/tfjs-core');
  } catch (error) {
    throw new TypegradError(`initBackend('tfjs') needs the package @tensorflow/tfjs-core (npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm): ${reason(error)}`);
  }
  const { engine, notes } = await chooseEngine(tf);
  const info: BackendInfo = { backend: 'tfjs', engine, precision: 'float32', notes };
  return {
    info,
    allocate: (n) => new Float32Array(n),
    compileBatch(roots, inputs): BatchProgram {
      return (n, columns, outputs) => {
        const results = tf.tidy(() => lowerToTfjs(tf, roots, inputs, columns.map((c) => tf.tensor1d(float32(c), 'float32')), n));
        try {
          results.forEach((t, k) => outputs[k]!.set(t.dataSync() as Float32Array));
        } finally {
          tf.dispose(results);
        }
      };
    },
  };
}
