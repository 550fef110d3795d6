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
 * Funs in groups of FUN_PAGE, for the node table's sweep (`src/ad/node.ts`), which keeps the
 * nodes of every live Fun. A page is two objects: a token that its Funs hold, and a record of
 * what they keep in use (their nodes and declared sets, never the Funs themselves), which a
 * FinalizationRegistry holds until the collector has freed the token, that is every Fun of the
 * page; the sweep's roots are the records of the pages not yet finalised. So a Fun costs one
 * field and two pushes, one registration is made per FUN_PAGE Funs, and nothing keeps a dead
 * Fun alive: a Fun made and dropped within one computation (every intermediate of `a.add(b).mul(c)`)
 * is freed by the young-generation collector like any temporary. (The previous design reached
 * the Funs through a WeakRef per page; V8 keeps a WeakRef's target alive to the end of the
 * current job, so every Fun made during a computation survived it: building and differentiating
 * Rosenbrock in 10,000 variables kept 110,000 Funs and their sets alive through every
 * young-generation collection; building f took about a fifth less time without that.)
 */
const FUN_PAGE = 64;

interface PageRecord {
  /** The node of each Fun of the page (a Fun's node may be the same as another's: repeats are harmless). */
  readonly nodes: Node[];
  /** The declared sets of the Funs that have one beyond their node's variables. */
  readonly sets: VarSet[];
}

/** What a Fun holds of its page (the registry watches it). */
type PageToken = object;

/** The records of pages whose token is alive (or not yet finalised). */
const liveRecords = new Set<PageRecord>();

/**
 * A page that dies means Funs died: their nodes may be swept. Once a quarter of the pages the
 * last sweep saw have died, a sweep is worth its cost whatever was made since (a sweep that ran
 * before the collector did found everything still alive).
 */
let deathsSinceSweep = 0;
let pagesAtSweep = 0;
const pageDeaths = new FinalizationRegistry<PageRecord>((record) => {
  liveRecords.delete(record);
  deathsSinceSweep++;
  requestSweep(deathsSinceSweep >= Math.max(16, pagesAtSweep / 4));
});

let currentToken: PageToken = {};
let currentRecord: PageRecord = { nodes: [], sets: [] };
let currentCount = 0;
liveRecords.add(currentRecord);
pageDeaths.register(currentToken, currentRecord);

/** The page a new Fun joins (a fresh one every FUN_PAGE Funs), with its node and declared set recorded. */
function joinPage(node: Node, declared: VarSet | undefined): PageToken {
  if (currentCount === FUN_PAGE) {
    currentToken = {};
    currentRecord = { nodes: [], sets: [] };
    currentCount = 0;
    liveRecords.add(currentRecord);
    pageDeaths.register(currentToken, currentRecord);
  }
  currentCount++;
  currentRecord.nodes.push(node);
  if (declared !== undefined) currentRecord.sets.push(declared);
  return currentToken;
}

/** The roots of the node table: the nodes, and the declared variables, of every live Fun. */
registerRoots(() => {
  const roots: Node[] = [];
  const sets = new Set<VarSet>();
  for (const record of liveRecords) {
    for (const node of record.nodes) roots.push(node);
    for (const set of record.sets) VarSet.collect(set, sets, roots);
  }
  pagesAtSweep = liveRecords.size;
  deathsSinceSweep = 0;
  return roots;
});

/** `sameVariables` for many sources (a stack of thousands of Funs), through sets. */
function sameVariablesOfMany(node: Node, sources: readonly Fun<string>[]): boolean {
  const nodes = new Set<Node>();
  for (const source of sources) if (source.node.op !== 'const') nodes.add(source.node);
  if (nodes.size === 1 && nodes.has(node)) return true;
  const args = new Set<Node>();
  for (const a of node.args) {
    if (a.op === 'const') continue;
    if (!nodes.has(a)) return false;
    args.add(a);
  }
  for (const n of nodes) if (!args.has(n)) return false;
  return true;
}

/**
 * Whether the variables of `node` are exactly those of the sources' nodes, so that a Fun of it
 * needs no set of its own: `node` is one source's node (x + 0 → x) and the other sources are
 * constants, or its operands are the sources' nodes and constants and each source's node is one
 * of them (what an operation builds when no simplification rewrote it). Anything else (x − x → 0,
 * a derivative) keeps the union of the sources' sets.
 */
function sameVariables(node: Node, sources: readonly Fun<string>[]): boolean {
  if (sources.length > 16) return sameVariablesOfMany(node, sources);
  let isSource = false;
  for (let i = 0; i < sources.length; i++) {
    const n = sources[i]!.node;
    if (n === node) isSource = true;
    else if (n.op !== 'const' && !node.args.includes(n)) return false;
  }
  if (isSource) return true;
  const args = node.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.op === 'const') continue;
    let found = false;
    for (let j = 0; j < sources.length && !found; j++) found = sources[j]!.node === a;
    if (!found) return false;
  }
  return true;
}

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
  // not from the type. They are the variables of the node together with #declared when
  // #withNode is true (most Funs: an operation that simplification did not rewrite has exactly
  // its operands' variables, and needs no set: see `sameVariables`), else #declared alone.
  #declared: VarSet | undefined;
  #withNode: boolean;
  // The page that keeps this Fun's nodes in the node table while it lives (see FUN_PAGE).
  readonly #page: PageToken;

  /**
   * `declared`: the declared variables when they are not the operands' (a variable, a
   * substitution), as a VarSet, or as names (each taken from the node's variables, a scalar
   * where the node lacks it).
   */
  constructor(node: Node, sources: readonly Fun<string>[], declared?: VarSet | ReadonlySet<string>) {
    this.node = node;
    if (declared instanceof VarSet) {
      this.#declared = declared;
      this.#withNode = false;
    } else if (declared !== undefined) {
      this.#declared = namedSet(node, declared);
      this.#withNode = false;
    } else if (sameVariables(node, sources)) {
      // The node's variables, and any the sources declare beyond their nodes' (usually none, or one shared set).
      this.#withNode = true;
      this.#declared = undefined;
      let many: VarSet[] | undefined;
      for (let i = 0; i < sources.length; i++) {
        const set = sources[i]!.#declared;
        if (set === undefined || set === VarSet.empty || set === this.#declared) continue;
        if (this.#declared === undefined) this.#declared = set;
        else if (!(many ??= [this.#declared]).includes(set)) many.push(set);
      }
      if (many !== undefined) this.#declared = VarSet.union(many);
    } else {
      this.#declared = VarSet.union(sources.map((f) => Fun.declaredSet(f)));
      this.#withNode = false;
    }
    this.#page = joinPage(node, this.#declared);
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
    return Fun.declaredSet(f).names;
  }

  /**
   * @internal The declared variables with their nodes (made into one set on first use, and
   * kept). `walk`: a traversal of f's expression that the caller wants anyway, giving every
   * node; when f's variables are those of its node, they are read from it instead of found by a
   * walk of their own (the caller's walk is then the last one made, its positions current).
   */
  static declaredSet(f: Fun<string>, walk?: () => readonly Node[]): VarSet {
    if (f.#withNode) {
      f.#declared?.map; // flattened first: it may walk other expressions
      const own = VarSet.ofNode(f.node, walk?.().filter((n) => n.op === 'var'));
      f.#declared = f.#declared === undefined ? own : VarSet.union([own, f.#declared]);
      f.#withNode = false;
    }
    return f.#declared ?? VarSet.empty;
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
