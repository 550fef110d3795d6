/**
 * `jit`: compiles a traced function (or a function, traced first, or an expression) for a
 * backend once, and keeps the compiled program: calls run it with numbers or columns.
 */
import { TypegradError } from '../../ad/errors.js';
import { variableNode } from '../../ad/node.js';
import { freeVariables } from '../../ad/variables.js';
import { requireSynchronous, type BackendName } from '../../backend/registry.js';
import { Fun } from '../fun.js';
import { flatten } from '../pytree.js';
import { describeValue } from '../record.js';
import type { SFun } from '../scalar.js';
import { wrap } from '../wrap.js';
import { currentContext } from './context.js';
import { kernel, makeState, makeTraced, stagedOf, tracedState, transformTraced } from './traced.js';
import { tracedOf } from './transforms.js';
import type { Traced } from './types.js';

/** Options of `jit`. */
export interface JitOptions {
  /** The backend to compile for (default: the `withContext` backend, else `js`); tfjs and gpu need `initBackend` first. */
  readonly backend?: BackendName;
  /** For an expression: its inputs in order (default: its variables, sorted by name). */
  readonly args?: readonly Fun<string>[];
}

/**
 * Compiles now and keeps the program (a `vmap`, at its first call for each batch size). A
 * function whose control flow reads its inputs' values cannot be compiled once (the branches
 * differ by point): that is the ConcretizationError pointing to `where`. `jit(traced)` (or `jit(fn)`, traced first) is the same
 * traced function compiled for `options.backend`, still transformable (`grad(jit(f))`);
 * `jit(expr)` of a Fun, or an array or record of Funs, is a traced function of the expression's
 * variables in sorted order (or `options.args`), so it can be called positionally or by name.
 * @example
 * const f = jit(grad(grad(trace((x) => x.pow(4))))); // 12x², compiled once
 * f(2);                                               // 48
 * jit(x.mul(y))(2, 3);                                // 6
 * jit(x.mul(y))({ x: 2, y: 3 });                      // 6
 */
export function jit<A extends readonly unknown[], R>(f: Traced<A, R>, options?: Omit<JitOptions, 'args'>): Traced<A, R>;
export function jit<const A extends readonly SFun<string>[], R>(f: (...args: A) => R, options?: Omit<JitOptions, 'args'>): Traced<A, R>;
export function jit<const E>(expr: E, options?: JitOptions): Traced<readonly SFun<string>[], E>;
export function jit(f: unknown, options: JitOptions = {}): unknown {
  if (options === null || typeof options !== 'object') throw new TypegradError(`jit: options must be an object, got ${describeValue(options)}`);
  const backend = options.backend ?? currentContext().backend;
  requireSynchronous(backend, 'jit');
  if (typeof f === 'function') {
    if (options.args !== undefined) throw new TypegradError('jit: options.args is for expressions; a traced function already has its inputs');
    const traced = tracedOf(f, 'jit');
    // Compiled code cannot branch on values it has not got: a function whose control flow reads
    // its inputs' values has no single program (as JAX's jit refuses it); use where.
    const dependence = stagedOf(traced)?.valueDependence;
    if (dependence !== undefined) throw dependence;
    const jitted = transformTraced(traced, (state) => makeState(state.symbols, state.names, state.expr, backend, 'jit', state.trees));
    // Compiled now when there is one program; a vmap compiles for each batch size it meets.
    const state = tracedState(jitted);
    if (state !== undefined) kernel(state, false);
    return jitted;
  }
  const inputs = expressionInputs(f, options.args);
  const jitted = makeTraced(inputs, inputs.map((s) => s.node.name), f, backend, 'jit');
  kernel(tracedState(jitted)!, false);
  return jitted;
}

/** The inputs of an expression: `args` (variables), or its variables sorted by name. */
function expressionInputs(expr: unknown, args: readonly Fun<string>[] | undefined): Fun<string>[] {
  const { leaves } = flatten(expr);
  leaves.forEach((leaf, i) => {
    if (!(leaf instanceof Fun) && typeof leaf !== 'number') {
      throw new TypegradError(`jit: expected a function, a Fun, or an array or record of Funs; leaf ${i} is ${describeValue(leaf)}`);
    }
  });
  if (args !== undefined) {
    if (!Array.isArray(args)) throw new TypegradError(`jit: options.args must be an array of variables, got ${describeValue(args)}`);
    args.forEach((a, i) => {
      if (!(a instanceof Fun) || a.node.op !== 'var') throw new TypegradError(`jit: options.args[${i}] must be a variable made by Var, VVar or MVar, got ${describeValue(a)}`);
    });
    return [...args];
  }
  const funs = leaves.filter((l): l is Fun<string> => l instanceof Fun);
  const free = freeVariables(funs.map((l) => l.node));
  const declared = new Set<string>();
  for (const l of funs) for (const name of Fun.declaredVariables(l)) declared.add(name);
  return [...declared].sort().map((name) => {
    const node = free.get(name);
    // A declared variable that simplification removed from the node is a scalar input nothing reads.
    return wrap(node ?? variableNode(name), [], new Set([name]));
  });
}
