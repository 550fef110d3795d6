/**
 * Between Funs and nodes: operands in (numbers, Funs), results out as the Fun class of the
 * result's rank. Every tensor operation of the API goes through `applyFuns`.
 *
 * VFun, MFun and TFun call `wrap` in their methods, so this module does not import them (that
 * would be an import cycle): each registers itself here as its module loads (`registerFunClass`).
 */
import type { VarSet } from './declared.js';
import { apply } from '../ad/build.js';
import { TypegradError } from '../ad/errors.js';
import { constantNode, type Node } from '../ad/node.js';
import { Fun } from './fun.js';
import type { MFun } from './matrix.js';
import { describeValue } from './record.js';
import { SFun } from './scalar.js';
import type { TFun } from './tensor.js';
import type { VFun } from './vector.js';

/** A Fun of any rank. */
export type AnyFun = SFun<string> | VFun<number, string> | MFun<number, number, string> | TFun<readonly number[], string>;

const NO_VARIABLES: ReadonlySet<string> = new Set();

/** The constructor every Fun class shares. */
type FunClass<F> = new (node: Node, sources: readonly Fun<string>[], declared?: VarSet | ReadonlySet<string>) => F;

interface FunClasses {
  VFun?: FunClass<VFun<number, string>>;
  MFun?: FunClass<MFun<number, number, string>>;
  TFun?: FunClass<TFun<readonly number[], string>>;
}

const funClasses: FunClasses = {};

/** Called once by vector.ts, matrix.ts and tensor.ts with their class, as each loads. */
export function registerFunClass<K extends keyof FunClasses>(name: K, cls: NonNullable<FunClasses[K]>): void {
  funClasses[name] = cls;
}

function funClass<K extends keyof FunClasses>(name: K): NonNullable<FunClasses[K]> {
  const cls = funClasses[name];
  // Unreachable through the package's entries, which load every class.
  if (cls === undefined) throw new TypegradError(`internal: ${name} is not loaded (import it from typegrad)`);
  return cls as NonNullable<FunClasses[K]>;
}

/** A number or a Fun of any rank as a Fun; anything else is a TypegradError naming the operation. */
export function toFun(value: unknown, operation: string): Fun<string> {
  if (value instanceof Fun) return value;
  if (typeof value === 'number') return new SFun(constantNode(value), [], NO_VARIABLES);
  throw new TypegradError(`${operation}: expected a number or a Fun, got ${describeValue(value)}`);
}

/** The Fun of the node's rank over the given sources (or declared variables): SFun, VFun, MFun, or TFun from rank 3. */
export function wrap(node: Node, sources: readonly Fun<string>[], declared?: VarSet | ReadonlySet<string>): AnyFun {
  switch (node.shape.length) {
    case 0:
      return new SFun(node, sources, declared);
    case 1:
      return new (funClass('VFun'))(node, sources, declared);
    case 2:
      return new (funClass('MFun'))(node, sources, declared);
    default:
      return new (funClass('TFun'))(node, sources, declared);
  }
}

/** Applies a primitive to numbers and Funs of any rank (shapes are checked by the primitive). */
export function applyFuns(op: string, operands: readonly unknown[], attrs: readonly number[] = []): AnyFun {
  const funs = operands.map((o) => toFun(o, op));
  return wrap(apply(op, funs.map((f) => f.node), attrs), funs);
}

/** Applies a primitive to the node of one Fun. */
export function applyTo(op: string, f: Fun<string>, attrs: readonly number[] = []): AnyFun {
  return wrap(apply(op, [f.node], attrs), [f]);
}

/** The outer product of two vectors: a column [N, 1] times a row [M], by broadcasting. */
export function outerProduct(a: Fun<string>, b: Fun<string>): AnyFun {
  return applyFuns('mul', [applyTo('reshape', a, [a.node.shape[0]!, 1]), b]);
}
