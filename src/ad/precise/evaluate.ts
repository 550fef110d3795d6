/**
 * The interpreter for number systems other than float64 (see `number-system.ts`): the nodes in
 * topological order, each computed by its primitive's rule in the system. A program is prepared
 * once (order, operand slots, broadcast reads) and run for any system and inputs; the constants
 * are converted once per system.
 *
 * It does not go through the planner: the planner folds constant subgraphs in float64 (π would
 * become 3.141592653589793), and its views, fusion and buffers are float64 storage decisions
 * that buy nothing where every operation allocates a number anyway.
 */
import { TypegradError } from '../errors.js';
import { decompose, type Target } from '../decompose.js';
import type { Node } from '../node.js';
import { primitiveOf, type PrimitiveName, type TensorPrimitiveName } from '../primitives/index.js';
import { stridedIndices } from '../primitives/layout.js';
import { broadcastStrides, describeShape, elementCount, sameShape } from '../shape.js';
import { topologicalOrder } from '../traverse.js';
import type { NumberSystem } from './number-system.js';
import { preciseTensorRules } from './tensor-rules.js';

type Step =
  | { readonly kind: 'input'; readonly input: number }
  | { readonly kind: 'constant'; readonly value: number }
  /** `reads[i]`: for each result element, the element of operand i (undefined: the same index). */
  | { readonly kind: 'elementwise'; readonly op: PrimitiveName; readonly args: readonly number[]; readonly reads: readonly (Int32Array | undefined)[]; readonly length: number }
  | { readonly kind: 'tensor'; readonly node: Node; readonly args: readonly number[] };

/** A program of `roots` over `inputs` (variable nodes), runnable in any number system. */
export interface PreciseProgram {
  /** The roots' values, flat row-major, from the inputs' (flat row-major, in the order of `inputs`). */
  run<T>(system: NumberSystem<T>, inputs: readonly (readonly T[])[]): T[][];
}

/** The precise interpreter has a rule for every primitive but `custom`. */
const PRECISE: Target = { name: 'precise', lowers: (op) => op !== 'custom' };

export function preciseProgram(roots: readonly Node[], inputs: readonly Node[]): PreciseProgram {
  // Custom-derivative nodes are evaluated by their primal (the function the user gave).
  const expanded = decompose(roots, PRECISE);
  const order = topologicalOrder(expanded);
  const slot = new Map<Node, number>();
  const steps: Step[] = order.map((node, index): Step => {
    slot.set(node, index);
    if (node.op === 'const') return { kind: 'constant', value: node.value };
    if (node.op === 'var') {
      const input = inputs.indexOf(node);
      if (input < 0) throw new Error(`internal: variable '${node.name}' is not an input of the program`);
      return { kind: 'input', input };
    }
    const args = node.args.map((a) => slot.get(a)!);
    if (primitiveOf(node.op).kind === 'tensor') return { kind: 'tensor', node, args };
    const reads = node.args.map((a) => (sameShape(a.shape, node.shape) ? undefined : stridedIndices(node.shape, broadcastStrides(a.shape, node.shape))));
    return { kind: 'elementwise', op: node.op as PrimitiveName, args, reads, length: elementCount(node.shape) };
  });
  const outputs = expanded.map((r) => slot.get(r)!);
  const sizes = inputs.map((v) => elementCount(v.shape));
  const constants = new WeakMap<object, unknown[]>();

  return {
    run<T>(system: NumberSystem<T>, given: readonly (readonly T[])[]): T[][] {
      given.forEach((values, j) => {
        if (values.length !== sizes[j]) {
          throw new TypegradError(`${system.name}: variable '${inputs[j]!.name}' has shape ${describeShape(inputs[j]!.shape)} (${sizes[j]} values), got ${values.length} values`);
        }
      });
      let converted = constants.get(system) as T[] | undefined;
      if (converted === undefined) {
        converted = steps.map((s) => (s.kind === 'constant' ? system.constant(s.value) : undefined!));
        constants.set(system, converted);
      }
      const values = new Array<readonly T[]>(steps.length);
      steps.forEach((step, index) => {
        switch (step.kind) {
          case 'input':
            values[index] = given[step.input]!;
            break;
          case 'constant':
            values[index] = [converted[index]!];
            break;
          case 'elementwise': {
            const rule = system.elementwise[step.op];
            const operands = step.args.map((a) => values[a]!);
            const out = new Array<T>(step.length);
            const args = new Array<T>(operands.length);
            for (let k = 0; k < step.length; k++) {
              for (let i = 0; i < operands.length; i++) args[i] = operands[i]![step.reads[i]?.[k] ?? k]!;
              out[k] = rule(args);
            }
            values[index] = out;
            break;
          }
          case 'tensor':
            values[index] = preciseTensorRules[step.node.op as TensorPrimitiveName](step.args.map((a) => values[a]!), step.node, system);
            break;
        }
      });
      return outputs.map((o) => [...values[o]!]);
    },
  };
}
