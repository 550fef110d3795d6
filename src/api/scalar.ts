/**
 * `SFun<V>`: a scalar function whose free variables are the string-literal union `V`.
 * A thin typed handle on a DAG node; all the work happens in `src/ad`.
 */
import { toPrimitive } from './coercion.js';
import type { VarSet } from './declared.js';
import { apply } from '../ad/build.js';
import { TypegradError } from '../ad/errors.js';
import { forwardDerivative } from '../ad/forward.js';
import { evaluateNodes } from '../ad/evaluate.js';
import { constantNode, variableNode, type Node } from '../ad/node.js';
import { toInfix } from '../ad/print.js';
import { freeVariables } from '../ad/variables.js';
import { evaluateFun, Fun, substituteBindings, unknownVariable } from './fun.js';
import { describeValue, ownEntries } from './record.js';
import type { Value } from './values.js';

export { unknownVariable } from './fun.js';

declare const scalarRank: unique symbol;

/** What is accepted wherever a scalar is: a scalar Fun or a plain number. */
export type Scalar<V extends string = never> = SFun<V> | number;

/** The variables of a scalar operand (`never` for a number). */
export type VarsOf<T> = T extends SFun<infer W> ? W : never;

/**
 * Values for exactly the variables `V`: a number for a scalar variable, a vector or matrix
 * value (`number[]`, `number[][]`, flat `Float64Array`) for a tensor variable (shapes are checked at run time).
 */
export type Bindings<V extends string> = { readonly [K in V]: Value };

/**
 * The argument lists `eval` accepts, for wrappers of it: none once every variable is bound (or
 * an empty object), else the bindings `B`, one number per variable and no other name.
 * @example
 * type Args = EvalArgs<'x' | 'y'>; // [bindings: Bindings<'x' | 'y'>]
 * type None = EvalArgs<never>;     // [bindings?: {}]
 */
export type EvalArgs<V extends string, B = Bindings<V>> = [V] extends [never]
  ? [bindings?: B & OnlyKeysOf<B, V>]
  : [bindings: B & OnlyKeysOf<B, V>];

/** A substitution for some of the variables `V`: values or Funs of the variable's shape. */
export type Substitution<V extends string> = { readonly [K in V]?: Value | Fun<string> };

/**
 * Rejects the keys of `B` that are not variables in `V`: intersected with `B`, it gives each of
 * them the type `NotAVariable<key>`, which no number has, so the error names the key; `unknown`
 * when there is none. (A mapped type, not a message string as a parameter type: a conditional
 * whose message depends on `V` would stop `SFun<V>` being assignable to `SFun<string>`.)
 * @example
 * type Ok = OnlyKeysOf<{ x: 1 }, 'x' | 'y'>;        // unknown
 * type Bad = OnlyKeysOf<{ x: 1; w: 1 }, 'x' | 'y'>; // { readonly w: NotAVariable<'w'> }
 */
export type OnlyKeysOf<B, V extends string> = [Exclude<keyof B, V>] extends [never]
  ? unknown
  : { readonly [K in Exclude<keyof B, V>]: NotAVariable<K> };

/**
 * The type of a binding for `K`, a name that is not a variable of the function: an object with
 * one property that spells out the problem, so no number fits and the compile error reads
 * `Type 'number' is not assignable to type 'NotAVariable<"w">'`.
 * @example
 * type W = NotAVariable<'w'>; // { readonly 'w is not a variable of this function': never }
 */
export type NotAVariable<K> = { readonly [M in `${K & (string | number)} is not a variable of this function`]: never };

/** The variables brought in by the Funs of a substitution. */
// `Fun<never>` is tested first: its phantom member is only `undefined`, from which TypeScript 5.9
// cannot infer `W` and falls back to `string`.
export type SubstitutedVars<B> = { [K in keyof B]-?: B[K] extends Fun<never> ? never : B[K] extends Fun<infer W> ? W : never }[keyof B];

/**
 * A scalar function of the variables `V`. Build one from `Var`, numbers and the operations;
 * evaluate it with `eval`, bind some variables with `at`, differentiate it with `d` or `grad`.
 *
 * @example
 * const x = Var('x'), y = Var('y');
 * const z = y.mul(sin(x.mul(y)).sub(x)); // SFun<'x' | 'y'>
 * z.eval({ x: 1, y: 2 });                // 2·(sin 2 − 1)
 */
export class SFun<V extends string = string> extends Fun<V> {
  /**
   * Type-level only: a scalar has rank 0. VFun and MFun have every other member of SFun, so
   * without this TypeScript proves "a matrix is not a scalar" by comparing method after method
   * (about 600,000 instantiations for `relu(M)` or `grad(loss, { W })`); a missing property ends it at once.
   */
  declare readonly [scalarRank]: 0;

  /** @internal Use `Var`, `Const` and the operations instead. */
  constructor(node: Node, sources: readonly Fun<string>[], declared?: VarSet | ReadonlySet<string>) {
    if (node.shape.length !== 0) throw new TypegradError(`internal: a scalar Fun needs a scalar node`);
    super(node, sources, declared);
  }
  /**
   * What JavaScript gets when it converts this Fun: the printed expression for a string
   * (`String(f)`, template literals); for a number (`<`, `Number(f)`, `+ ''`) its value at the
   * point a traced function is being called at, else a TypegradError pointing to `where`.
   */
  [Symbol.toPrimitive](hint: string): string | number {
    return toPrimitive(this, hint);
  }


  /** this + other */
  add<W extends string = never>(other: Scalar<W>): SFun<V | NoInfer<W>> {
    return binary('add', this, other);
  }
  /** this − other */
  sub<W extends string = never>(other: Scalar<W>): SFun<V | NoInfer<W>> {
    return binary('sub', this, other);
  }
  /** this · other */
  mul<W extends string = never>(other: Scalar<W>): SFun<V | NoInfer<W>> {
    return binary('mul', this, other);
  }
  /** this / other */
  div<W extends string = never>(other: Scalar<W>): SFun<V | NoInfer<W>> {
    return binary('div', this, other);
  }
  /** this ^ exponent; the exponent may be a number or a Fun. */
  pow<W extends string = never>(exponent: Scalar<W>): SFun<V | NoInfer<W>> {
    return binary('pow', this, exponent);
  }
  /** −this */
  neg(): SFun<V> {
    return new SFun(apply('neg', [this.node]), [this]);
  }

  /** The derivative by each variable in turn: `f.d(x, y)` is ∂/∂y (∂f/∂x). See `d`. */
  d(...variables: readonly [SFun<string>, ...SFun<string>[]]): SFun<V> {
    let node = this.node;
    for (const v of variables) node = forwardDerivative(node, variableNodeOf(v, 'd'));
    return new SFun(node, [this]);
  }

  // Two overloads rather than one rest parameter of type EvalArgs<V, B>: a conditional on V in
  // the parameters of a generic method stops SFun<V> being assignable to SFun<string> (tsc 5.9).
  /**
   * The value at a point: every variable bound to a number (a tensor variable to its value), and no other name (a compile error
   * for any bindings object, literal or not, since `eval` throws for it at run time). With no
   * argument once no variable is left.
   * @example Var('x').mul(2).eval({ x: 3 }) // 6
   */
  eval(this: SFun<never>): number;
  eval<B extends Bindings<V>>(bindings: B & OnlyKeysOf<B, V>): number;
  eval(...args: [bindings?: unknown]): number {
    return evaluateFun(this, args.length === 0 ? {} : args[0], 'eval')[0]!;
  }

  /**
   * Binds some variables to values or substitutes Funs for them; the result is a function of
   * the remaining variables and of the substituted Funs' variables. Once no variable is left in
   * the expression it is evaluated to a number (bound numbers are values, so `sin(x).at({ x: 1 })`
   * is the number sin 1, while `sin(Const(1))` stays the exact `sin(1)`).
   * @example z.at({ x: 1 }).at({ y: 2 }).eval()
   */
  at<const B extends Substitution<V>>(bindings: B & OnlyKeysOf<B, V>): SFun<Exclude<V, keyof B> | SubstitutedVars<B>> {
    const { node, remaining } = substituteBindings(this, bindings, 'at');
    const folded = node.shape.length === 0 && freeVariables([node]).size === 0 ? constantNode(evaluateNodes([node], new Map())[0]!) : node;
    return new SFun(folded, [], remaining);
  }
}

/** The variable node behind a Fun that must be a variable (for `d` and `grad`). */
export function variableNodeOf(f: unknown, operation: string): Node {
  if (!(f instanceof SFun)) throw new TypegradError(`${operation}: expected a variable made by Var, got ${describeValue(f)}`);
  if (f.node.op !== 'var') throw new TypegradError(`${operation}: expected a variable made by Var, got the expression ${toInfix(f.node)}`);
  return f.node;
}

/**
 * Checks a bindings object against the function's variables (from untyped callers too) and
 * returns it as a map: every variable bound, no unknown name, every value a number.
 */
export function bindNumbers(f: SFun<string>, bindings: unknown, operation: string): Map<string, number> {
  const declared = Fun.declaredVariables(f);
  const environment = new Map<string, number>();
  for (const [name, value] of ownEntries(bindings, operation)) {
    if (!declared.has(name)) throw unknownVariable(operation, name, declared);
    if (typeof value !== 'number') {
      throw new TypegradError(`${operation}: variable '${name}' must be bound to a number, got ${describeValue(value)}`);
    }
    environment.set(name, value);
  }
  for (const name of [...declared].sort()) {
    if (!environment.has(name)) throw new TypegradError(`${operation}: missing value for variable '${name}'`);
  }
  freeVariables([f.node]); // rejects one name used with two shapes
  return environment;
}

/** A number or scalar Fun operand as a Fun; anything else is a clear error. */
export function toSFun(value: unknown, operation: string): SFun<string> {
  if (value instanceof SFun) return value;
  if (typeof value === 'number') return new SFun(constantNode(value), [], EMPTY);
  throw new TypegradError(`${operation}: expected a number or a scalar Fun, got ${describeValue(value)}`);
}

const EMPTY: ReadonlySet<string> = new Set();

/** A number operand is a constant node (without a Fun of its own: it adds no variables). */
function binary<V extends string, W extends string>(op: string, a: Scalar<V>, b: Scalar<W>): SFun<V | W> {
  const left = toSFun(a, op);
  if (typeof b === 'number') return new SFun(apply(op, [left.node, constantNode(b)]), [left]);
  const right = toSFun(b, op);
  return new SFun(apply(op, [left.node, right.node]), [left, right]);
}

/** An operation on scalars, lifted to Funs and numbers. */
export function applyScalar(op: string, operands: readonly unknown[]): SFun<string> {
  const funs = operands.map((o) => toSFun(o, op));
  return new SFun(apply(op, funs.map((f) => f.node)), funs);
}

/**
 * A scalar variable: `Var('x')` is an `SFun<'x'>`.
 * @example const x = Var('x'); x.mul(x).eval({ x: 3 }) // 9
 */
export function Var<const N extends string>(name: N): SFun<N> {
  const node = variableNode(name);
  return new SFun(node, []);
}

/**
 * A constant as a Fun with no variables (numbers are accepted wherever a Fun is, so this is
 * needed only to call methods on a constant).
 * @example Const(2).pow(Var('x'))
 */
export function Const(value: number): SFun<never> {
  if (typeof value !== 'number') throw new TypegradError(`Const: expected a number, got ${describeValue(value)}`);
  return new SFun(constantNode(value), [], EMPTY);
}
