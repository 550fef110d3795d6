/**
 * tsd tests of the variable rules (issue 3), checked by TypeScript 5.9 (tsd's bundled compiler)
 * via `npm run test:tsd`; ../variables.test-d.ts checks the same rules with TypeScript 7 and
 * ../fixtures/fail/variables-*.ts pins the messages. Each rule both ways: `expectType` for
 * what it accepts, `expectError` for what it rejects.
 */
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { add, compile, Const, d, grad, pow, sin, Var, type Bindings, type CompiledProgram, type SFun } from '../../src/index.js';

const x = Var('x');
const y = Var('y');
const z = y.mul(sin(x.mul(y)).sub(x));

// Building: the variables are the union of the operands'; numbers bring none.
expectType<SFun<'x'>>(x);
expectType<SFun<'x' | 'y'>>(Var('x').add(Var('y')));
expectType<SFun<'x' | 'y'>>(z);
expectType<SFun<'x'>>(x.mul(2));
expectType<SFun<'x'>>(pow(2, x));
expectType<SFun<never>>(sin(1));
expectType<SFun<never>>(add(1, 2));
expectType<SFun<never>>(Const(1));
expectError(x.add('1'));
expectAssignable<SFun<'x' | 'y'>>(x);
expectNotAssignable<SFun<'x'>>(z);

// eval: exactly the free variables.
expectType<number>(z.eval({ x: 1, y: 2 }));
expectError(z.eval({ x: 1 }));
expectError(z.eval({}));
expectError(z.eval());
expectError(z.eval({ x: 1, y: 2, w: 3 }));
const point = { x: 1, y: 2, w: 3 };
expectError(z.eval(point));
expectError(z.eval({ x: '1', y: 2 }));
expectType<number>(Const(1).eval());
expectType<number>(sin(1).eval({}));
expectError(Const(1).eval({ x: 1 }));
const evaluate = <V extends string>(f: SFun<V>, at: Bindings<V>) => f.eval(at);
expectType<number>(evaluate(z, { x: 1, y: 2 }));
const widen = <V extends string>(f: SFun<V>): SFun<string> => f;
expectType<SFun<string>>(widen(z));

// at: free variables only; binding all leaves none; a Fun brings its variables.
expectType<SFun<'y'>>(z.at({ x: 1 }));
expectType<SFun<never>>(z.at({ x: 1 }).at({ y: 2 }));
expectType<number>(z.at({ x: 1 }).at({ y: 2 }).eval());
expectType<SFun<'y'>>(z.at({ x: y.mul(2) }));
expectType<SFun<'y' | 't'>>(z.at({ x: Var('t') }));
expectType<SFun<'y'>>(z.at({ x: sin(1) }));
expectError(z.at({ w: 1 }));
expectError(z.at({ x: 1, w: 1 }));
expectError(z.at({ x: 1 }).at({ x: 2 }));
expectError(z.at({ x: 1 }).at({ y: 2 }).eval({ x: 1 }));

// Differentiation keeps the variables; grad is keyed by exactly them.
expectType<SFun<'x' | 'y'>>(d(z, x));
expectType<SFun<'x' | 'y'>>(d(z, x, y));
expectError(d(z));
expectType<{ readonly x: SFun<'x' | 'y'>; readonly y: SFun<'x' | 'y'> }>(grad(z));
expectError(grad(z).w);
expectType<{ readonly x: SFun<'x' | 'y'> }>(grad(z, [x]));
expectError(grad(z, [x]).y);
expectError(grad(z, [Var('w')]));

// compile: exactly the free variables.
expectType<((bindings: Bindings<'x' | 'y'>) => number) & CompiledProgram>(compile(z));
expectError(compile(z)({ x: 1 }));
expectError(compile(z)({ x: 1, y: 2, w: 3 }));
expectType<number>(compile(z, { args: [x, y] })(1, 2));
expectError(compile(z, { args: [x, y] })(1));
