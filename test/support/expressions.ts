/**
 * Random expression trees for property tests: a plain description (independent of typegrad)
 * that can be built with the typegrad API and evaluated with hyper-dual numbers. Operands are
 * kept inside each primitive's domain by construction (ln of a positive, asin of a value in
 * (−1, 1), ...), so values and derivatives stay finite for inputs in [−1.5, 1.5].
 */
import fc from 'fast-check';
import * as tg from '../../src/index.js';
import { applyBinary, applyUnary, HyperDual } from './hyperdual.js';

export type Tree =
  | { readonly kind: 'var'; readonly name: 'x' | 'y' | 'z' }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'op'; readonly op: string; readonly args: readonly Tree[] };

export const VARIABLES = ['x', 'y', 'z'] as const;

const op = (name: string, ...args: Tree[]): Tree => ({ kind: 'op', op: name, args });
const constant = (value: number): Tree => ({ kind: 'const', value });
/** a² + 0.5: positive, for ln, sqrt, log, division and the base of a symbolic power. */
const positive = (a: Tree): Tree => op('add', op('mul', a, a), constant(0.5));
/** 0.9·sin(a) ∈ (−1, 1), for asin and acos. */
const unitInterval = (a: Tree): Tree => op('mul', constant(0.9), op('sin', a));

/** Unary primitives and how their operand is kept in the domain. */
const UNARY: Record<string, (a: Tree) => Tree> = {
  sin: (a) => op('sin', a),
  cos: (a) => op('cos', a),
  tan: (a) => op('tan', op('sin', a)),
  asin: (a) => op('asin', unitInterval(a)),
  acos: (a) => op('acos', unitInterval(a)),
  atan: (a) => op('atan', a),
  sinh: (a) => op('sinh', op('sin', a)),
  cosh: (a) => op('cosh', op('sin', a)),
  tanh: (a) => op('tanh', a),
  exp: (a) => op('exp', op('sin', a)),
  ln: (a) => op('ln', positive(a)),
  sqrt: (a) => op('sqrt', positive(a)),
  cbrt: (a) => op('cbrt', positive(a)),
  abs: (a) => op('abs', a),
  sigmoid: (a) => op('sigmoid', a),
  softplus: (a) => op('softplus', a),
  relu: (a) => op('relu', a),
  neg: (a) => op('neg', a),
};

const BINARY: Record<string, (a: Tree, b: Tree) => Tree> = {
  add: (a, b) => op('add', a, b),
  sub: (a, b) => op('sub', a, b),
  mul: (a, b) => op('mul', a, b),
  div: (a, b) => op('div', a, positive(b)),
  powConstant: (a, b) => op('pow', a, constant(b.kind === 'const' ? Math.abs(Math.round(b.value)) + 1 : 2)),
  powSymbolic: (a, b) => op('pow', positive(a), op('sin', b)),
  log: (a, b) => op('log', positive(a), op('add', positive(b), constant(1))),
};

const leaf: fc.Arbitrary<Tree> = fc.oneof(
  fc.constantFrom(...VARIABLES).map((name): Tree => ({ kind: 'var', name })),
  fc.double({ min: -2, max: 2, noNaN: true }).map((v) => constant(Math.round(v * 4) / 4 + 0)) // + 0 turns −0 into 0,
);

/** Random trees up to `depth` operations deep over every scalar primitive. */
export function treeArbitrary(depth: number): fc.Arbitrary<Tree> {
  const { tree } = fc.letrec<{ tree: Tree }>((self) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      { arbitrary: leaf, weight: 2 },
      { arbitrary: fc.tuple(fc.constantFrom(...Object.keys(UNARY)), self('tree')).map(([name, a]) => UNARY[name]!(a)), weight: 3 },
      {
        arbitrary: fc.tuple(fc.constantFrom(...Object.keys(BINARY)), self('tree'), self('tree')).map(([name, a, b]) => BINARY[name]!(a, b)),
        weight: 3,
      },
    ),
  }));
  return tree;
}

export const pointArbitrary = fc.record({
  x: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
  y: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
  z: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
});
export type Point = { x: number; y: number; z: number };

const x = tg.Var('x'), y = tg.Var('y'), z = tg.Var('z');
export const variables = { x, y, z };

/**
 * Builds the tree with typegrad's API (iteratively: trees may be deep). Adding 0·x + 0·y + 0·z
 * declares all three variables without changing the node (both simplify away).
 */
export function buildFun(tree: Tree): tg.SFun<'x' | 'y' | 'z'> {
  const built = fold<tg.SFun<string>>(tree, {
    variable: (name) => variables[name],
    constant: (value) => tg.Const(value),
    operation: (name, args) => {
      const fn = (tg as unknown as Record<string, (...a: unknown[]) => tg.SFun<string>>)[name]!;
      return fn(...args);
    },
  });
  const declared = built.add(x.mul(0)).add(y.mul(0)).add(z.mul(0));
  // The one legitimate change: a constant −0 plus 0 is 0 (IEEE).
  const zeroSign = built.node.op === 'const' && built.node.value === 0;
  if (declared.node !== built.node && !zeroSign) throw new Error('adding 0·v must not change the node');
  return declared as tg.SFun<'x' | 'y' | 'z'>;
}

/** Evaluates the tree with hyper-dual numbers, seeding ε₁ on `first` and ε₂ on `second`. */
export function evaluateDual(tree: Tree, point: Point, first?: string, second?: string): HyperDual {
  return fold<HyperDual>(tree, {
    variable: (name) => new HyperDual(point[name], name === first ? 1 : 0, name === second ? 1 : 0, 0),
    constant: (value) => new HyperDual(value),
    operation: (name, args) => (args.length === 1 ? applyUnary(name, args[0]!) : applyBinary(name, args[0]!, args[1]!)),
  });
}

/** The smallest |operand| of a kink (abs, relu) at the point: finite differences need it away from 0. */
export function kinkDistance(tree: Tree, point: Point): number {
  let smallest = Infinity;
  fold<HyperDual>(tree, {
    variable: (name) => new HyperDual(point[name]),
    constant: (value) => new HyperDual(value),
    operation: (name, args) => {
      if (name === 'abs' || name === 'relu') smallest = Math.min(smallest, Math.abs(args[0]!.v));
      return args.length === 1 ? applyUnary(name, args[0]!) : applyBinary(name, args[0]!, args[1]!);
    },
  });
  return smallest;
}

interface Algebra<T> {
  variable(name: 'x' | 'y' | 'z'): T;
  constant(value: number): T;
  operation(name: string, args: T[]): T;
}

function fold<T>(root: Tree, algebra: Algebra<T>): T {
  const done = new Map<Tree, T>();
  const stack: Tree[] = [root];
  while (stack.length > 0) {
    const t = stack[stack.length - 1]!;
    if (done.has(t)) {
      stack.pop();
      continue;
    }
    if (t.kind === 'var') done.set(t, algebra.variable(t.name));
    else if (t.kind === 'const') done.set(t, algebra.constant(t.value));
    else {
      const pending = t.args.filter((a) => !done.has(a));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      done.set(t, algebra.operation(t.op, t.args.map((a) => done.get(a)!)));
    }
    stack.pop();
  }
  return done.get(root)!;
}

/** |a − b| ≤ tol · max(1, |a|, |b|) */
export function close(a: number, b: number, tol: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}
