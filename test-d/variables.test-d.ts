/**
 * The variable rules in the types (issue 3), run by `vitest run` in typecheck mode (tsc 7):
 * each rule is checked both ways, what it accepts with `expectTypeOf` and what it rejects with
 * `@ts-expect-error`. The exact messages users read are pinned in fixtures/fail/variables-*.ts.
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  add, compile, Const, d, grad, log, mul, pow, sin, Var,
  type Bindings, type CompiledProgram, type EvalArgs, type OnlyKeysOf, type SFun,
} from '../src/index.js';
import type { NotAVariable } from '../src/api/scalar.js';

const x = Var('x');
const y = Var('y');
const z = y.mul(sin(x.mul(y)).sub(x));

describe('building: the variables of a Fun are the union of its operands', () => {
  test('Var and the operations', () => {
    expectTypeOf(x).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(Var('x').add(Var('y'))).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(z).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(add(x, y)).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(x.neg()).toEqualTypeOf<SFun<'x'>>();
  });
  test('numbers are accepted wherever a Fun is and bring no variable', () => {
    expectTypeOf(x.add(1)).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(x.pow(2)).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(pow(2, x)).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(mul(2, x)).toEqualTypeOf<SFun<'x'>>();
    expectTypeOf(log(x, 2)).toEqualTypeOf<SFun<'x'>>();
  });
  test('functions of numbers only have no variable', () => {
    expectTypeOf(sin(1)).toEqualTypeOf<SFun<never>>();
    expectTypeOf(add(1, 2)).toEqualTypeOf<SFun<never>>();
    expectTypeOf(Const(2)).toEqualTypeOf<SFun<never>>();
    expectTypeOf(Const(2).mul(3)).toEqualTypeOf<SFun<never>>();
  });
  test('anything else is rejected as an operand', () => {
    // @ts-expect-error a string is not a scalar
    x.add('1');
    // @ts-expect-error nor is a missing operand
    sin();
  });
  test('a Fun is a Fun of more variables, and of `string` even when V is generic', () => {
    expectTypeOf(x).toExtend<SFun<'x' | 'y'>>();
    expectTypeOf(z).not.toExtend<SFun<'x'>>();
    const widen = <V extends string>(f: SFun<V>): SFun<string> => f;
    expectTypeOf(widen(z)).toEqualTypeOf<SFun<string>>();
  });
});

describe('eval takes exactly the free variables', () => {
  test('one number per variable', () => {
    expectTypeOf(z.eval({ x: 1, y: 2 })).toEqualTypeOf<number>();
    const point = { x: 1, y: 2 };
    expectTypeOf(z.eval(point)).toEqualTypeOf<number>();
  });
  test('a missing variable is rejected', () => {
    // @ts-expect-error y is missing
    z.eval({ x: 1 });
    // @ts-expect-error both are missing
    z.eval({});
    // @ts-expect-error the bindings are required while there are variables
    z.eval();
  });
  test('an extra name is rejected, from an object literal or not', () => {
    // @ts-expect-error w is not a variable of z
    z.eval({ x: 1, y: 2, w: 3 });
    const point = { x: 1, y: 2, w: 3 };
    // @ts-expect-error w is not a variable of z (eval would throw)
    z.eval(point);
  });
  test('a value must be a number', () => {
    // @ts-expect-error a string is not a number
    z.eval({ x: '1', y: 2 });
  });
  test('with no variable, eval takes no argument (or an empty object)', () => {
    expectTypeOf(Const(1).eval()).toEqualTypeOf<number>();
    expectTypeOf(sin(1).eval({})).toEqualTypeOf<number>();
    // @ts-expect-error x is not a variable of a constant
    Const(1).eval({ x: 1 });
  });
  test('generic code can evaluate with Bindings<V>', () => {
    const evaluate = <V extends string>(f: SFun<V>, at: Bindings<V>) => f.eval(at);
    expectTypeOf(evaluate(z, { x: 1, y: 2 })).toEqualTypeOf<number>();
  });
});

describe('at binds free variables only', () => {
  test('binding a number removes the variable', () => {
    expectTypeOf(z.at({ x: 1 })).toEqualTypeOf<SFun<'y'>>();
    expectTypeOf(z.at({ x: 1, y: 2 })).toEqualTypeOf<SFun<never>>();
    expectTypeOf(z.at({ x: 1 }).at({ y: 2 })).toEqualTypeOf<SFun<never>>();
    expectTypeOf(z.at({ x: 1 }).at({ y: 2 }).eval()).toEqualTypeOf<number>();
    expectTypeOf(z.at({ x: 1 }).eval({ y: 2 })).toEqualTypeOf<number>();
  });
  test('substituting a Fun brings its variables in', () => {
    expectTypeOf(z.at({ x: y.mul(2) })).toEqualTypeOf<SFun<'y'>>();
    expectTypeOf(z.at({ x: Var('t') })).toEqualTypeOf<SFun<'y' | 't'>>();
    expectTypeOf(z.at({ x: Var('t'), y: Var('u').add(1) })).toEqualTypeOf<SFun<'t' | 'u'>>();
    expectTypeOf(x.sub(y).at({ x: y, y: x })).toEqualTypeOf<SFun<'x' | 'y'>>();
  });
  test('a name that is not free is rejected', () => {
    // @ts-expect-error w is not a variable of z
    z.at({ w: 1 });
    // @ts-expect-error w is not a variable of z, even beside x
    z.at({ x: 1, w: 1 });
    // @ts-expect-error x is no longer free once bound
    z.at({ x: 1 }).at({ x: 2 });
    // @ts-expect-error nor can it be evaluated
    z.at({ x: 1 }).eval({ x: 1, y: 2 });
    // @ts-expect-error a string is neither a number nor a Fun
    z.at({ x: '1' });
  });
});

describe('differentiation keeps the variables', () => {
  test('d(f, ...) has the variables of f', () => {
    expectTypeOf(d(z, x)).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(d(z, x, y)).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(z.d(x, x)).toEqualTypeOf<SFun<'x' | 'y'>>();
    expectTypeOf(d(x.mul(x), x)).toEqualTypeOf<SFun<'x'>>();
    // @ts-expect-error d needs a variable to differentiate by
    d(z);
  });
  test('grad(f) is keyed by exactly the variables of f', () => {
    expectTypeOf(grad(z)).toEqualTypeOf<{ readonly x: SFun<'x' | 'y'>; readonly y: SFun<'x' | 'y'> }>();
    expectTypeOf(grad(x.mul(2))).toEqualTypeOf<{ readonly x: SFun<'x'> }>();
    expectTypeOf(grad(Const(2))).toEqualTypeOf<{}>();
    // @ts-expect-error w is not a variable of z, so not a key of its gradient
    void grad(z).w;
  });
  test('grad(f, [some]) is keyed by the listed variables, which must be variables of f', () => {
    expectTypeOf(grad(z, [x])).toEqualTypeOf<{ readonly x: SFun<'x' | 'y'> }>();
    expectTypeOf(grad(z, [x, y])).toEqualTypeOf<{ readonly x: SFun<'x' | 'y'>; readonly y: SFun<'x' | 'y'> }>();
    // @ts-expect-error w is not a variable of z
    grad(z, [Var('w')]);
    // @ts-expect-error nor beside x
    grad(z, [x, Var('w')]);
  });
});

describe('compile takes exactly the free variables', () => {
  test('bindings', () => {
    expectTypeOf(compile(z)).parameter(0).toEqualTypeOf<Bindings<'x' | 'y'>>();
    expectTypeOf(compile(z)({ x: 1, y: 2 })).toEqualTypeOf<number>();
    // @ts-expect-error y is missing
    compile(z)({ x: 1 });
    // @ts-expect-error w is not a variable of z
    compile(z)({ x: 1, y: 2, w: 3 });
  });
  test('positional arguments', () => {
    expectTypeOf(compile(z, { args: [x, y] })).toEqualTypeOf<((x: number, y: number) => number) & CompiledProgram>();
  });
});

describe('the helper types', () => {
  test('OnlyKeysOf: unknown for variables only, else each other key gets NotAVariable', () => {
    expectTypeOf<OnlyKeysOf<{ x: 1 }, 'x' | 'y'>>().toEqualTypeOf<unknown>();
    expectTypeOf<OnlyKeysOf<{}, never>>().toEqualTypeOf<unknown>();
    expectTypeOf<OnlyKeysOf<{ x: 1; w: 1 }, 'x' | 'y'>>().toEqualTypeOf<{ readonly w: NotAVariable<'w'> }>();
    expectTypeOf<OnlyKeysOf<{ x: 1 }, never>>().toEqualTypeOf<{ readonly x: NotAVariable<'x'> }>();
  });
  test('NotAVariable: no number fits it', () => {
    expectTypeOf<NotAVariable<'w'>>().toEqualTypeOf<{ readonly 'w is not a variable of this function': never }>();
    expectTypeOf<number>().not.toExtend<NotAVariable<'w'>>();
  });
  test('EvalArgs: one bindings object, optional only when there is no variable', () => {
    expectTypeOf<EvalArgs<'x' | 'y'>>().toEqualTypeOf<[bindings: Bindings<'x' | 'y'>]>();
    expectTypeOf<EvalArgs<never>>().toEqualTypeOf<[bindings?: {}]>();
    expectTypeOf<EvalArgs<'x', { x: number; w: number }>>().toEqualTypeOf<[bindings: { x: number; w: number } & { readonly w: NotAVariable<'w'> }]>();
  });
});
