/**
 * A whole training step as Funs, and as one ONNX model: the loss, its gradient by the
 * parameters (typegrad's symbolic reverse pass) and an optimizer's update, with the optimizer's
 * state as inputs and outputs. Called in a loop (each output fed back to its input) it trains,
 * in any ONNX runtime: the backward pass and the update are ordinary standard operators.
 *
 * The update rules are those of `src/nn/optimizers.ts` written symbolically, with the same
 * options, defaults and formulas (t counts steps from 0):
 * - sgd:      p ← p − lr·g
 * - momentum: v ← β·v + g, p ← p − lr·v
 * - adam:     t ← t + 1, m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)
 */
import { apply } from '../../ad/build.js';
import { TypegradError } from '../../ad/errors.js';
import { constantNode, variableNode, type Node } from '../../ad/node.js';
import { reverseGradient } from '../../ad/reverse.js';
import { describeShape, type Shape } from '../../ad/shape.js';
import { freeVariables } from '../../ad/variables.js';
import type { Precision } from '../../backend/onnx/graph.js';
import { loadOnnxSchema } from '../../backend/onnx/schema.js';
import type { AnyRankFun } from '../../api/compile.js';
import { Fun, variableOf } from '../../api/fun.js';
import { adam, momentum, sgd, type AdamOptions, type MomentumOptions, type Optimizer, type SgdOptions } from '../optimizers.js';
import { describeValue, recordOf } from '../../api/record.js';
import { SFun } from '../../api/scalar.js';
import { wrap } from '../../api/wrap.js';
import { encodeParts, modelParts } from '../../api/onnx/export.js';

/**
 * An optimizer for an exported training step: `sgd`, `momentum` or `adam` with the options of
 * the numeric optimizers of the same names (and their defaults).
 * @example { kind: 'adam', lr: 1e-3 }
 */
export type UpdateRule = ({ readonly kind: 'sgd' } & SgdOptions) | ({ readonly kind: 'momentum' } & MomentumOptions) | ({ readonly kind: 'adam' } & AdamOptions);

/** The defaults of `momentum` and `adam` in `src/nn/optimizers.ts` (a test checks that both agree). */
const DEFAULTS = { beta: 0.9, adamLr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** The numeric optimizer of a rule (what `train` runs); it also checks the rule's options. */
export function optimizerOf(rule: UpdateRule, operation = 'trainingStep'): Optimizer {
  if (rule === null || typeof rule !== 'object') throw new TypegradError(`${operation}: optimizer must be an update rule such as { kind: 'adam', lr: 0.001 }, got ${describeValue(rule)}`);
  switch (rule.kind) {
    case 'sgd':
      return sgd(rule) as Optimizer;
    case 'momentum':
      return momentum(rule) as Optimizer;
    case 'adam':
      return adam(rule) as Optimizer;
    default:
      throw new TypegradError(`${operation}: optimizer.kind must be 'sgd', 'momentum' or 'adam', got ${describeValue((rule as { kind: unknown }).kind)}`);
  }
}

/** An input whose next value is an output: a parameter or a part of the optimizer's state. */
export interface CarriedValue {
  readonly input: string;
  readonly output: string;
  readonly shape: Shape;
  /** Parameters start at the caller's values; the optimizer's state starts at zeros. */
  readonly role: 'parameter' | 'state';
}

/** A data input of a training step (fed afresh at every step: a batch). */
export interface DataInput {
  readonly name: string;
  readonly shape: Shape;
}

/** A training step as Funs (see `trainingStep`). */
export interface TrainingStep {
  /** The outputs by name: `loss` (before the update), then `<input>.next` for each carried input. */
  readonly outputs: Readonly<Record<string, AnyRankFun>>;
  /** The inputs in order: the parameters, the optimizer's state, then the data (sorted by name). */
  readonly inputs: readonly AnyRankFun[];
  readonly carried: readonly CarriedValue[];
  readonly data: readonly DataInput[];
}

const variable = (name: string, shape: Shape) => wrap(variableNode(name, shape), [], new Set([name])) as AnyRankFun;
const c = constantNode;
const op = (name: string, ...args: Node[]) => apply(name, args);

/** The parameter variables of `parameters` (an array or a record of variables), checked. */
function parameterNodes(parameters: unknown, operation: string): Node[] {
  const list = Array.isArray(parameters) ? parameters : parameters !== null && typeof parameters === 'object' ? Object.values(parameters) : undefined;
  if (list === undefined || list.length === 0) {
    throw new TypegradError(`${operation}: parameters must be a non-empty array or record of variables (Var, VVar, MVar), got ${describeValue(parameters)}`);
  }
  const nodes = list.map((p) => variableOf(p, operation));
  const twice = nodes.find((n, i) => nodes.findIndex((m) => m.name === n.name) !== i);
  if (twice !== undefined) throw new TypegradError(`${operation}: parameter '${twice.name}' is listed twice`);
  return nodes;
}

/**
 * The training step of `loss` by `parameters` with an optimizer's update, as Funs: compile it
 * (any backend) or export it (`exportTrainingStep`). Its inputs are the parameters, the
 * optimizer's state (momentum: `optimizer.velocity.<p>`; adam: `optimizer.m.<p>`,
 * `optimizer.v.<p>` and the step count `optimizer.t`, all starting at 0; `t` is a float, exact
 * up to 2²⁴ steps in float32) and the loss's other variables (the data); its outputs the loss
 * and the next value of every parameter and state.
 * @example
 * const step = trainingStep(loss, { W, b }, { kind: 'sgd', lr: 0.1 });
 * const run = compile(step.outputs, { args: step.inputs }); // loss, W.next, b.next
 */
export function trainingStep(loss: SFun<string>, parameters: readonly AnyRankFun[] | Readonly<Record<string, AnyRankFun>>, rule: UpdateRule): TrainingStep {
  const operation = 'trainingStep';
  const given: unknown = loss;
  if (!(given instanceof SFun)) {
    const hint = given instanceof Fun ? ` (a ${describeShape(given.node.shape)} Fun; sum or average it)` : '';
    throw new TypegradError(`${operation}: the loss must be a scalar Fun, got ${describeValue(given)}${hint}`);
  }
  optimizerOf(rule, operation);
  const params = parameterNodes(parameters, operation);
  const gradients = reverseGradient(loss.node, params);
  const state: Node[] = [];
  const stateOf = (prefix: string, p: Node) => {
    const node = variableNode(`optimizer.${prefix}.${p.name}`, p.shape);
    state.push(node);
    return node;
  };
  const next = new Map<Node, Node>();
  const step = (p: Node, lr: number, direction: Node) => next.set(p, op('sub', p, op('mul', c(lr), direction)));
  switch (rule.kind) {
    case 'sgd':
      params.forEach((p, i) => step(p, rule.lr, gradients[i]!));
      break;
    case 'momentum': {
      const beta = rule.beta ?? DEFAULTS.beta;
      params.forEach((p, i) => {
        const v = stateOf('velocity', p);
        const updated = op('add', op('mul', c(beta), v), gradients[i]!);
        next.set(v, updated);
        step(p, rule.lr, updated);
      });
      break;
    }
    case 'adam': {
      const [lr, beta1, beta2, eps] = [rule.lr ?? DEFAULTS.adamLr, rule.beta1 ?? DEFAULTS.beta1, rule.beta2 ?? DEFAULTS.beta2, rule.eps ?? DEFAULTS.eps];
      const t = variableNode('optimizer.t');
      const count = op('add', t, c(1));
      const correction1 = op('sub', c(1), op('pow', c(beta1), count));
      const correction2 = op('sub', c(1), op('pow', c(beta2), count));
      const moments = params.map((p, i) => {
        const g = gradients[i]!;
        const [m, v] = [stateOf('m', p), stateOf('v', p)];
        const mNext = op('add', op('mul', c(beta1), m), op('mul', c(1 - beta1), g));
        const vNext = op('add', op('mul', c(beta2), v), op('mul', c(1 - beta2), op('mul', g, g)));
        next.set(m, mNext).set(v, vNext);
        return [mNext, vNext] as const;
      });
      params.forEach((p, i) => {
        const [m, v] = moments[i]!;
        const direction = op('div', op('div', m, correction1), op('add', op('sqrt', op('div', v, correction2)), c(eps)));
        step(p, lr, direction);
      });
      state.push(t);
      next.set(t, count);
      break;
    }
  }

  const paramNames = new Set(params.map((p) => p.name));
  const free = freeVariables([loss.node]);
  const dataNames = [...Fun.declaredVariables(loss)].filter((n) => !paramNames.has(n)).sort();
  const data = dataNames.map((name) => ({ name, shape: free.get(name)?.shape ?? [] }));
  const carriedNodes = [...params, ...state];
  const carried = carriedNodes.map((n): CarriedValue => ({ input: n.name, output: `${n.name}.next`, shape: n.shape, role: paramNames.has(n.name) ? 'parameter' : 'state' }));
  const lossNames = Fun.declaredVariables(loss);
  for (const [name, what] of [['loss', 'the loss output'], ...state.map((n) => [n.name, 'optimizer state'] as const), ...carried.map((v) => [v.output, `the next value of '${v.input}'`] as const)]) {
    if (lossNames.has(name!)) throw new TypegradError(`${operation}: the loss has a variable named '${name}', the name the training step gives ${what}; rename that variable`);
  }
  const inputs = [...carriedNodes.map((n) => variable(n.name, n.shape)), ...data.map((d) => variable(d.name, d.shape))];
  const sources = [loss, ...inputs];
  const outputs = recordOf<AnyRankFun>([['loss', loss as AnyRankFun], ...carriedNodes.map((n, i) => [carried[i]!.output, wrap(next.get(n)!, sources) as AnyRankFun] as const)]);
  return { outputs, inputs, carried, data };
}

/** Options of `exportTrainingStep`. */
export interface TrainingStepExportOptions {
  /** The update: `{ kind: 'sgd' | 'momentum' | 'adam', ...that optimizer's options }`. */
  readonly optimizer: UpdateRule;
  /** `float32` (default) or `float64`. */
  readonly precision?: Precision;
  readonly name?: string;
  readonly description?: string;
}

/** An exported training step: the model and what its inputs and outputs are. */
export interface OnnxTrainingStep {
  /** The ONNX model (bytes of a `.onnx` file). */
  readonly model: Uint8Array;
  /** The output holding the loss of the batch (before the update). */
  readonly loss: 'loss';
  /** The parameters and optimizer state: feed each output back to its input at the next step. */
  readonly carried: readonly CarriedValue[];
  /** The inputs fed afresh at every step. */
  readonly data: readonly DataInput[];
}

/**
 * The training step of `loss` (see `trainingStep`) as ONE ONNX model of standard operators:
 * inputs the parameters, the optimizer's state and the data; outputs `loss` and `<input>.next`
 * for every parameter and state. Run it in a loop, feeding each `.next` back, and it trains.
 * @example
 * const step = await exportTrainingStep(loss, { W, b }, { optimizer: { kind: 'adam', lr: 1e-3 } });
 * writeFileSync('step.onnx', step.model);
 */
export async function exportTrainingStep(
  loss: SFun<string>,
  parameters: readonly AnyRankFun[] | Readonly<Record<string, AnyRankFun>>,
  options: TrainingStepExportOptions,
): Promise<OnnxTrainingStep> {
  const operation = 'exportTrainingStep';
  if (options === null || typeof options !== 'object') throw new TypegradError(`${operation}: options must be an object with an optimizer, got ${describeValue(options)}`);
  const { optimizer, ...rest } = options;
  if (optimizer === undefined) throw new TypegradError(`${operation}: options.optimizer is required, e.g. { kind: 'adam', lr: 0.001 }`);
  const step = trainingStep(loss, parameters, optimizer);
  const parts = modelParts(step.outputs, { ...rest, args: step.inputs }, operation);
  const model = encodeParts(await loadOnnxSchema(operation), parts);
  return { model, loss: 'loss', carried: step.carried, data: step.data };
}
