/**
 * What every Fun (scalar `SFun`, vector `VFun`, matrix `MFun`) shares: its DAG node and its
 * declared variables, plus binding values (`eval`) and substituting (`at`) for any rank.
 */
import { TypegradError } from '../ad/errors.js';
import { evaluateTensors } from '../ad/evaluate.js';
import { apply } from '../ad/build.js';
import { constantNode, type Node } from '../ad/node.js';
import { toInfix, toLatexString } from '../ad/print.js';
import { describeShape, sameShape } from '../ad/shape.js';
import { substitute } from '../ad/substitute.js';
import { freeVariables } from '../ad/variables.js';
import { describeValue, ownEntries } from './record.js';
import { shapeOfValue, toFlat } from './values.js';

declare const variablesOf: unique symbol;

export abstract class Fun<V extends string = string> {
  /** Type-level only: the free variables. */
  declare readonly [variablesOf]?: V;

  /** The DAG node (internal: read it through the functions of `typegrad`). */
  readonly node: Node;
  // The declared variables are the union of the operands' (`sources`), computed on first use:
  // simplification may remove a variable from the node (x − x = 0) but not from the type.
  readonly #sources: readonly Fun<string>[];
  #declared: ReadonlySet<string> | undefined;

  constructor(node: Node, sources: readonly Fun<string>[], declared?: ReadonlySet<string>) {
    this.node = node;
    this.#sources = sources;
    this.#declared = declared;
  }

  /** The names of the variables of this function, sorted. */
  get variables(): readonly string[] {
    return [...Fun.declaredVariables(this)].sort();
  }

  /** Readable infix with minimal parentheses, e.g. `y * (sin(x * y) - x)`. */
  toString(): string {
    return toInfix(this.node);
  }

  /** LaTeX source, e.g. `y \cdot \left(\sin\left(x \cdot y\right) - x\right)`. */
  toLatex(): string {
    return toLatexString(this.node);
  }

  /** @internal The declared variable names (a set). */
  static declaredVariables(f: Fun<string>): ReadonlySet<string> {
    if (f.#declared !== undefined) return f.#declared;
    const names = new Set<string>();
    const seen = new Set<Fun<string>>();
    const stack: Fun<string>[] = [f];
    while (stack.length > 0) {
      const g = stack.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      if (g.#declared !== undefined) for (const n of g.#declared) names.add(n);
      else stack.push(...g.#sources);
    }
    f.#declared = names;
    return names;
  }
}

export function unknownVariable(operation: string, name: string, declared: ReadonlySet<string>): TypegradError {
  const list = declared.size === 0 ? 'it has none' : `its variables are ${[...declared].sort().join(', ')}`;
  return new TypegradError(`${operation}: '${name}' is not a variable of this function (${list})`);
}

/**
 * Checks a bindings object against the function's variables (from untyped callers too): every
 * variable bound, no unknown name, every value of its variable's shape. Values come back flat.
 */
export function bindValues(f: Fun<string>, bindings: unknown, operation: string): Map<string, Float64Array> {
  const declared = Fun.declaredVariables(f);
  const free = freeVariables([f.node]); // also rejects one name used with two shapes
  const environment = new Map<string, Float64Array>();
  for (const [name, value] of ownEntries(bindings, operation)) {
    if (!declared.has(name)) throw unknownVariable(operation, name, declared);
    environment.set(name, toFlat(value, free.get(name)?.shape, name, operation));
  }
  for (const name of declared) {
    if (!environment.has(name)) throw new TypegradError(`${operation}: missing value for variable '${name}'`);
  }
  return environment;
}

/** The flat value of `f` at the bindings. */
export function evaluateFun(f: Fun<string>, bindings: unknown, operation: string): Float64Array {
  return evaluateTensors([f.node], bindValues(f, bindings, operation))[0]!;
}

/** A constant tensor (or scalar) node holding flat row-major data of `shape`. */
export function constantTensor(data: Float64Array, shape: readonly number[]): Node {
  if (shape.length === 0) return constantNode(data[0]!);
  return apply('pack', Array.from(data, constantNode), shape);
}

/**
 * `at`: binds some variables to values or substitutes Funs for them. Returns the new node and
 * the declared variables that remain (plus those of the substituted Funs).
 */
export function substituteBindings(f: Fun<string>, bindings: unknown, operation: string): { node: Node; remaining: Set<string> } {
  const declared = Fun.declaredVariables(f);
  const free = freeVariables([f.node]);
  const replacements = new Map<Node, Node>();
  const remaining = new Set(declared);
  const brought: Fun<string>[] = [];
  for (const [name, value] of ownEntries(bindings, operation)) {
    if (!declared.has(name)) throw unknownVariable(operation, name, declared);
    remaining.delete(name);
    const variable = free.get(name);
    let replacement: Node;
    const tensorShape = variable !== undefined ? variable.shape : shapeOfValue(value);
    if (value instanceof Fun) {
      if (variable !== undefined && !sameShape(variable.shape, value.node.shape)) {
        throw new TypegradError(`${operation}: variable '${name}' is a ${describeShape(variable.shape)}, got a Fun of shape ${describeShape(value.node.shape)}`);
      }
      replacement = value.node;
      brought.push(value);
    } else if (typeof value === 'number' && (variable === undefined || variable.shape.length === 0)) {
      replacement = constantNode(value);
    } else if (typeof tensorShape !== 'string' && tensorShape.length > 0) {
      replacement = constantTensor(toFlat(value, tensorShape, name, operation), tensorShape);
    } else {
      throw new TypegradError(`${operation}: variable '${name}' must be bound to a number or a scalar Fun, got ${describeValue(value)}`);
    }
    if (variable !== undefined) replacements.set(variable, replacement);
  }
  for (const g of brought) for (const n of Fun.declaredVariables(g)) remaining.add(n);
  return { node: substitute(f.node, replacements), remaining };
}
