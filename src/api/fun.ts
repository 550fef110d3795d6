/**
 * What every Fun (scalar `SFun`, vector `VFun`, matrix `MFun`) shares: its DAG node and its
 * declared variables, plus binding values (`eval`) and substituting (`at`) for any rank.
 */
import { TypegradError } from '../ad/errors.js';
import { evaluateTensors } from '../ad/evaluate.js';
import { apply } from '../ad/build.js';
import { constantNode, registerRoots, requestSweep, variableNode, type Node } from '../ad/node.js';
import { toInfix, toLatexString } from '../ad/print.js';
import { describeShape, sameShape } from '../ad/shape.js';
import { substitute } from '../ad/substitute.js';
import { freeVariables } from '../ad/variables.js';
import { VarSet } from './declared.js';
import { describeValue, ownEntries } from './record.js';
import { shapeOfValue, toFlat } from './values.js';

declare const variablesOf: unique symbol;

/**
 * Funs in groups of FUN_PAGE: the node table's sweep (`src/ad/node.ts`) keeps the nodes of every
 * live Fun, and finds them through one WeakRef per page instead of one per Fun (a WeakRef costs
 * about a microsecond in V8). A Fun holds its page and a page its Funs, so a page lives while any
 * of its Funs does; Funs hold no other Fun, so one live Fun keeps at most FUN_PAGE − 1 others,
 * made just before or after it.
 */
const FUN_PAGE = 64;

interface FunPage {
  readonly funs: Fun<string>[];
}

/**
 * A page that dies means Funs died: their nodes may be swept. Once a quarter of the pages the
 * last sweep saw have died, a sweep is worth its cost whatever was made since (a sweep that ran
 * before the collector did found everything still alive).
 */
let deathsSinceSweep = 0;
let pagesAtSweep = 0;
const pageDeaths = new FinalizationRegistry<undefined>(() => {
  deathsSinceSweep++;
  requestSweep(deathsSinceSweep >= Math.max(16, pagesAtSweep / 4));
});

function newPage(): FunPage {
  const page: FunPage = { funs: [] };
  pageDeaths.register(page, undefined);
  return page;
}

let currentPage = newPage();
let pages: WeakRef<FunPage>[] = [new WeakRef(currentPage)];

/** The roots of the node table: the nodes, and the declared variables, of every live Fun. */
registerRoots(() => {
  const roots: Node[] = [];
  const sets = new Set<VarSet>();
  const alive: WeakRef<FunPage>[] = [];
  for (const ref of pages) {
    const page = ref.deref();
    if (page === undefined) continue;
    alive.push(ref);
    for (const f of page.funs) {
      roots.push(f.node);
      VarSet.collect(Fun.declaredSet(f), sets, roots);
    }
  }
  pages = alive;
  pagesAtSweep = alive.length;
  deathsSinceSweep = 0;
  return roots;
});

/** The variable node behind a Fun of any rank that must be a variable (`Var`, `VVar`, `MVar`). */
export function variableOf(f: unknown, operation: string): Node {
  if (!(f instanceof Fun)) throw new TypegradError(`${operation}: expected a variable made by Var, VVar or MVar, got ${describeValue(f)}`);
  if (f.node.op !== 'var') throw new TypegradError(`${operation}: expected a variable made by Var, VVar or MVar, got the expression ${toInfix(f.node)}`);
  return f.node;
}

export abstract class Fun<V extends string = string> {
  /** Type-level only: the free variables. */
  declare readonly [variablesOf]?: V;

  /** The DAG node (internal: read it through the functions of `typegrad`). */
  readonly node: Node;
  // The declared variables: simplification may remove a variable from the node (x − x = 0) but
  // not from the type, so they are the union of the operands' (or given, for a variable).
  readonly #declared: VarSet;
  // The page that keeps this Fun's nodes in the node table while it lives (see FUN_PAGE).
  readonly #page: FunPage;

  /**
   * `declared`: the declared variables when they are not the operands' (a variable, a
   * substitution), as a VarSet, or as names (each taken from the node's variables, a scalar
   * where the node lacks it).
   */
  constructor(node: Node, sources: readonly Fun<string>[], declared?: VarSet | ReadonlySet<string>) {
    this.node = node;
    if (declared instanceof VarSet) this.#declared = declared;
    else if (declared !== undefined) this.#declared = namedSet(node, declared);
    else this.#declared = sources.length === 1 ? sources[0]!.#declared : VarSet.union(sources.map((f) => f.#declared));
    if (currentPage.funs.length === FUN_PAGE) {
      currentPage = newPage();
      pages.push(new WeakRef(currentPage));
    }
    currentPage.funs.push(this);
    this.#page = currentPage;
  }

  /** The names of the variables of this function, sorted. */
  get variables(): readonly string[] {
    return [...Fun.declaredVariables(this)].sort();
  }

  /** Readable infix with minimal parentheses, e.g. `y * (sin(x * y) - x)`. */
  toString(): string {
    return toInfix(this.node);
  }

  /** The printed form, so that `JSON.stringify` gives the expression rather than a walk of the DAG. */
  toJSON(): string {
    return this.toString();
  }

  /** What `console.log` and `util.inspect` show in Node: the expression (the symbol is Node's, looked up without importing it). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** LaTeX source, e.g. `y \cdot \left(\sin\left(x \cdot y\right) - x\right)`. */
  toLatex(): string {
    return toLatexString(this.node);
  }

  /** @internal The declared variable names (a set). */
  static declaredVariables(f: Fun<string>): ReadonlySet<string> {
    return f.#declared.names;
  }

  /** @internal The declared variables with their nodes. */
  static declaredSet(f: Fun<string>): VarSet {
    return f.#declared;
  }

  /** @internal Keeps the page referenced (for the type checker: it is read by nothing else). */
  static pageOf(f: Fun<string>): unknown {
    return f.#page;
  }
}

/** The declared variables given by name: each its node in `node`, or a scalar variable. */
function namedSet(node: Node, names: ReadonlySet<string>): VarSet {
  if (names.size === 0) return VarSet.empty;
  const free = freeVariables([node]);
  return VarSet.of(...[...names].map((name) => free.get(name) ?? variableNode(name)));
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
  const nodes = Fun.declaredSet(f).map; // the variables' shapes (flattening rejects one name with two shapes)
  const environment = new Map<string, Float64Array>();
  for (const [name, value] of ownEntries(bindings, operation)) {
    if (!declared.has(name)) throw unknownVariable(operation, name, declared);
    environment.set(name, toFlat(value, nodes.get(name)?.shape, name, operation));
  }
  if (environment.size < declared.size) {
    const missing = [...declared].filter((name) => !environment.has(name)).sort();
    throw new TypegradError(`${operation}: missing value for variable '${missing[0]}'`);
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
export function substituteBindings(f: Fun<string>, bindings: unknown, operation: string): { node: Node; remaining: VarSet } {
  const declared = Fun.declaredVariables(f);
  const free = freeVariables([f.node]);
  const replacements = new Map<Node, Node>();
  const bound: string[] = [];
  const brought: Fun<string>[] = [];
  for (const [name, value] of ownEntries(bindings, operation)) {
    if (!declared.has(name)) throw unknownVariable(operation, name, declared);
    bound.push(name);
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
  const remaining = VarSet.union([Fun.declaredSet(f).without(bound), ...brought.map((g) => Fun.declaredSet(g))]);
  return { node: substitute(f.node, replacements), remaining };
}
