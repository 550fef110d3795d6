/**
 * The TensorFlow.js backend: renders a plan as tfjs operations, one per value in schedule order,
 * inside one `tf.tidy` per call so that every intermediate tensor is freed. Constants (the
 * values the plan folded) are uploaded once, when the program is rendered, and released by
 * `dispose`. A transpose of the last two axes read only by matrix products is never computed:
 * tf.matMul reads it through transposeA / transposeB.
 *
 * Engine detection, best first: `@tensorflow/tfjs-node` (native TensorFlow) when it is installed,
 * else `@tensorflow/tfjs-backend-wasm`, else `@tensorflow/tfjs-backend-cpu`. All of them compute
 * in float32.
 */
import { TypegradError } from '../../ad/errors.js';
import type { PrimitiveName, TensorPrimitiveName } from '../../ad/primitives/index.js';
import { primitiveOf } from '../../ad/primitives/index.js';
import type { Plan, PlanValue } from '../../program/plan.js';
import { importFailure as reason, importPeer } from '../peer.js';
import type { Backend, BackendInfo, Executable } from '../types.js';
import { TFJS_DECOMPOSED, tfjsLowering, type Tensor, type Tf, type TfjsDecomposed } from './elementwise-lowering.js';
import { tfjsTensorLowering } from './tensor-lowering.js';

const decomposed: ReadonlySet<string> = new Set(TFJS_DECOMPOSED);

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Undoes the process handlers an engine registers while it loads. The wasm engine (Emscripten)
 * adds `uncaughtException` and `unhandledRejection` listeners that rethrow, so the application's
 * own handlers no longer keep the process alive; a library must not decide that for it.
 */
function keepProcessHandlers(): () => void {
  const host = (globalThis as { process?: { listeners?: (event: string) => unknown[]; removeListener?: (event: string, listener: unknown) => void } }).process;
  if (typeof host?.listeners !== 'function' || typeof host.removeListener !== 'function') return () => undefined;
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(host.listeners!(event))]));
  return () => {
    for (const event of PROCESS_EVENTS) {
      for (const listener of host.listeners!(event)) if (!before.get(event)!.has(listener)) host.removeListener!(event, listener);
    }
  };
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
    const restore = keepProcessHandlers();
    try {
      await importPeer('@tensorflow/tfjs-backend-wasm', "initBackend('tfjs')");
      if (await tf.setBackend('wasm')) return { engine: 'wasm', notes };
    } finally {
      restore();
    }
    notes.push('@tensorflow/tfjs-backend-wasm loaded but did not initialise');
  } catch (error) {
    notes.push(`@tensorflow/tfjs-backend-wasm is not available (${reason(error)})`);
  }
  try {
    await importPeer('@tensorflow/tfjs-backend-cpu', "initBackend('tfjs')");
    if (await tf.setBackend('cpu')) return { engine: 'cpu', notes };
  } catch (error) {
    notes.push(`@tensorflow/tfjs-backend-cpu is not available (${reason(error)})`);
  }
  throw new TypegradError(`initBackend('tfjs'): no TensorFlow.js engine could be initialised: ${notes.join('; ')}`);
}

/** A transpose that swaps the last two axes (and keeps the others): what tf.matMul can read transposed. */
function swapsLastAxes(value: PlanValue): boolean {
  const perm = value.node.attrs;
  const rank = perm.length;
  return value.node.op === 'transpose' && rank >= 2 && perm.every((p, i) => (i < rank - 2 ? p === i : i === rank - 2 ? p === rank - 1 : p === rank - 2));
}

/**
 * The values a run computes, and the transposes matmul reads through: walking the plan
 * backwards, a value is needed when an output or a needed user reads it; a transpose of the last
 * two axes whose every needed user is a matmul is read through transposeA / transposeB instead.
 */
function neededValues(plan: Plan): { needed: boolean[]; absorbed: boolean[] } {
  const needed = plan.values.map(() => false);
  const absorbed = plan.values.map(() => false);
  const onlyMatmuls = plan.values.map((v) => swapsLastAxes(v) && v.storage.kind !== 'constant' && v.storage.kind !== 'input');
  for (const id of plan.outputs) {
    needed[id] = true;
    onlyMatmuls[id] = false;
  }
  for (let id = plan.values.length - 1; id >= 0; id--) {
    const value = plan.values[id]!;
    if (!needed[id]) continue;
    for (const a of value.args) {
      needed[a] = true;
      if (value.node.op !== 'matmul' || plan.values[a]!.shape.length < 2) onlyMatmuls[a] = false;
    }
  }
  plan.values.forEach((_, id) => (absorbed[id] = needed[id]! && onlyMatmuls[id]!));
  return { needed, absorbed };
}

function renderTfjs(tf: Tf, plan: Plan): Executable {
  if (plan.batch && plan.values.some((v) => v.shape.length > 0)) {
    throw new TypegradError('compile: the tfjs backend evaluates a program with vectors, matrices or tensors one point per call; batch: true needs the js backend for it');
  }
  const constants = new Map<number, Tensor>();
  for (const v of plan.values) {
    if (v.storage.kind === 'constant') constants.set(v.id, tf.keep(tf.tensor(Float32Array.from(v.storage.data), v.shape as number[], 'float32')));
  }
  const { needed, absorbed } = neededValues(plan);
  let results: (number | Float32Array)[] = [];

  /** Every needed value as a tensor; inputs from `input(j)`. */
  const evaluate = (input: (j: number, v: PlanValue) => Tensor, points: number | undefined): Tensor[] =>
    tf.tidy(() => {
      const tensor: (Tensor | undefined)[] = new Array(plan.values.length);
      for (const value of plan.values) {
        if (!needed[value.id] || absorbed[value.id]) continue;
        const storage = value.storage;
        if (storage.kind === 'input') tensor[value.id] = input(storage.input, value);
        else if (storage.kind === 'constant') tensor[value.id] = constants.get(value.id)!;
        else if (primitiveOf(value.node.op).kind === 'elementwise') {
          tensor[value.id] = tfjsLowering[value.node.op as Exclude<PrimitiveName, TfjsDecomposed>](tf, value.args.map((a) => tensor[a]!), value.node);
        } else {
          const transposed = value.args.map((a) => absorbed[a]!);
          const args = value.args.map((a, i) => (transposed[i] ? tensor[plan.values[a]!.args[0]!]! : tensor[a]!));
          tensor[value.id] = tfjsTensorLowering[value.node.op as Exclude<TensorPrimitiveName, 'custom'>](tf, args, value.node, transposed);
        }
      }
      // In batch mode a constant or input output is one value for all points: a column of them.
      return plan.outputs.map((id) => {
        const t = tensor[id]!;
        return points !== undefined && t.rank === 0 ? tf.fill([points], t.dataSync()[0]!) : t.clone();
      });
    });

  return {
    run(inputs) {
      const tensors = evaluate((j, v) => {
        const x = inputs[j]!;
        return typeof x === 'number' ? tf.scalar(x, 'float32') : tf.tensor(Float32Array.from(x), v.shape as number[], 'float32');
      }, undefined);
      try {
        results = tensors.map((t, k) => (plan.values[plan.outputs[k]!]!.shape.length === 0 ? (t.dataSync() as Float32Array)[0]! : (t.dataSync() as Float32Array)));
      } finally {
        tf.dispose(tensors);
      }
    },
    result: (k) => results[k]!,
    runBatch(n, inputs, outputs) {
      const tensors = evaluate((j) => tf.tensor1d(Float32Array.from(inputs[j]!), 'float32'), n);
      try {
        tensors.forEach((t, k) => outputs[k]!.set(t.dataSync() as Float32Array));
      } finally {
        tf.dispose(tensors);
      }
    },
    dispose() {
      tf.dispose([...constants.values()]);
      constants.clear();
    },
  };
}

export async function loadTfjsBackend(): Promise<Backend> {
  const tf: Tf = await importPeer('@tensorflow/tfjs-core', "initBackend('tfjs')", '@tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm');
  const { engine, notes } = await chooseEngine(tf);
  const info: BackendInfo = { backend: 'tfjs', engine, precision: 'float32', notes };
  return {
    info,
    lowers: (op) => op !== 'custom' && !decomposed.has(op),
    allocate: (n) => new Float32Array(n),
    render: (plan) => renderTfjs(tf, plan),
  };
}
