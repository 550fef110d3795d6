/**
 * `sequential`: models applied one after the other. Each model's inputs must be the previous
 * one's outputs: a mismatch is a compile error on the offending argument.
 */
import { TypegradError } from '../ad/errors.js';
import type { MFun } from '../api/matrix.js';
import type { Random } from './random.js';
import { describeValue, recordOf } from '../api/record.js';
import type { AnyModel, InputCheck, Model, ParameterValues, ParameterVariable } from './model.js';

/**
 * The models in order, as one model.
 * @example sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10)) // Model<784, 10, …>
 */
export function sequential<I extends number, O extends number, P1 extends string>(a: Model<I, O, P1>): Model<I, O, P1>;
export function sequential<I extends number, H extends number, O extends number, P1 extends string, P2 extends string>(
  a: Model<I, H, P1>,
  b: Model<NoInfer<H>, O, P2>,
): Model<I, O, P1 | P2>;
export function sequential<I extends number, H1 extends number, H2 extends number, O extends number, P1 extends string, P2 extends string, P3 extends string>(
  a: Model<I, H1, P1>,
  b: Model<NoInfer<H1>, H2, P2>,
  c: Model<NoInfer<H2>, O, P3>,
): Model<I, O, P1 | P2 | P3>;
export function sequential<
  I extends number, H1 extends number, H2 extends number, H3 extends number, O extends number,
  P1 extends string, P2 extends string, P3 extends string, P4 extends string,
>(a: Model<I, H1, P1>, b: Model<NoInfer<H1>, H2, P2>, c: Model<NoInfer<H2>, H3, P3>, d: Model<NoInfer<H3>, O, P4>): Model<I, O, P1 | P2 | P3 | P4>;
export function sequential(...models: AnyModel[]): AnyModel {
  if (models.length === 0) throw new TypegradError('sequential: expected at least one model');
  models.forEach((m, i) => {
    if (m === null || typeof m !== 'object' || typeof m.apply !== 'function' || typeof m.init !== 'function') {
      throw new TypegradError(`sequential: argument ${i + 1} must be a model (dense, sequential), got ${describeValue(m)}`);
    }
    if (i > 0 && m.inputs !== models[i - 1]!.outputs) {
      throw new TypegradError(`sequential: model ${i + 1} takes ${m.inputs} inputs, but model ${i} gives ${models[i - 1]!.outputs} outputs`);
    }
  });
  const entries: [string, ParameterVariable<string>][] = [];
  for (const m of models) {
    for (const [name, variable] of Object.entries(m.parameters as Record<string, ParameterVariable<string>>)) {
      if (entries.some(([other]) => other === name)) throw new TypegradError(`sequential: two models have a parameter named '${name}'; give the layers different names`);
      entries.push([name, variable]);
    }
  }
  return {
    inputs: models[0]!.inputs,
    outputs: models.at(-1)!.outputs,
    parameters: recordOf(entries),
    apply<B extends number, C extends number, V extends string>(x: MFun<B, C, V> & InputCheck<number, B, C>) {
      let y = x as unknown as MFun<number, number, string>;
      for (const m of models) y = m.apply(y as never);
      return y as unknown as MFun<B, number, string>;
    },
    init(random: Random): ParameterValues<string> {
      return recordOf(models.flatMap((m) => Object.entries(m.init(random) as Record<string, Float64Array>)));
    },
  };
}
