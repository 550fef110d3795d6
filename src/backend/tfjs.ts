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
import { tfjsTensorLowering } from './tfjs-tensor-lowering.js';
import { evaluateTensors } from '../ad/evaluate.js';
import { primitiveOf, type TensorPrimitiveName } from '../ad/primitives/index.js';
import { dependsOn } from '../ad/traverse.js';
import type { TensorExecutable } from './registry.js';

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

/**
 * A tensor program on tfjs: each call runs the whole DAG inside one `tf.tidy` (inputs as tensors
 * of their shapes, every node one tf op in topological order), reads the roots back as
 * Float32Arrays and disposes them, so no tensor outlives the call. Nodes that depend on no
 * variable are evaluated once at compile time (float64 reference) and enter as constants; a
 * transpose used only by matrix products becomes tf.matMul's transposeA / transposeB.
 */
function compileTfjsTensorProgram(tf: Tf, roots: readonly Node[], inputs: readonly Node[]): TensorExecutable {
  const order = topologicalOrder(roots);
  const variable = dependsOn(order, new Set(inputs));
  const isRoot = new Set(roots);
  const folded = order.filter((n) => !variable.has(n) && n.op !== 'const');
  const constants = new Map<Node, Float32Array>();
  evaluateTensors(folded, new Map()).forEach((v, k) => constants.set(folded[k]!, Float32Array.from(v)));
  const users = new Map<Node, Node[]>();
  for (const n of order) for (const a of n.args) (users.get(a) ?? users.set(a, []).get(a)!).push(n);
  const transposeView = (n: Node) => n.op === 'transpose' && variable.has(n) && !isRoot.has(n) && users.get(n)!.every((u) => u.op === 'matmul');
  let results: (number | Float32Array)[] = [];
  return {
    run(values) {
      const tensors = tf.tidy(() => {
        const value = new Map<Node, Tensor>();
        inputs.forEach((v, j) => {
          const x = values[j]!;
          value.set(v, typeof x === 'number' ? tf.scalar(x) : tf.tensor(Float32Array.from(x), v.shape as number[], 'float32'));
        });
        for (const node of order) {
          if (value.has(node) || transposeView(node)) continue;
          const constant = constants.get(node);
          if (constant !== undefined) value.set(node, tf.tensor(constant, node.shape as number[], 'float32'));
          else if (node.op === 'const') value.set(node, tf.scalar(node.value));
          else if (node.op === 'var') throw new Error(`internal: variable node ${node.id} has no input`);
          else if (primitiveOf(node.op).kind === 'elementwise') value.set(node, tfjsLowering[node.op as PrimitiveName](tf, node.args.map((a) => value.get(a)!), node));
          else {
            const transposed = node.args.map(transposeView);
            const args = node.args.map((a, i) => value.get(transposed[i] ? a.args[0]! : a)!);
            value.set(node, tfjsTensorLowering[node.op as TensorPrimitiveName](tf, args, node, transposed));
          }
        }
        return roots.map((r) => value.get(r)!);
      });
      try {
        results = tensors.map((t, k) => (roots[k]!.shape.length === 0 ? (t.dataSync() as Float32Array)[0]! : (t.dataSync() as Float32Array)));
      } finally {
        tf.dispose(tensors);
      }
    },
    result: (k) => results[k]!,
  };
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
    compileTensor: (roots, inputs) => compileTfjsTensorProgram(tf, roots, inputs),
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
