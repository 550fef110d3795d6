/**
 * The variables a Fun declares: every variable it was built from, by name, with its node (so its
 * shape is known even where simplification removed it from the expression: x − x is 0 and still
 * takes x). A set is the variables of an expression (`ofNode`, found by walking it when first
 * read), given variables, or a union of sets built in constant time per operation; each is
 * flattened once, when first read. A Fun holds sets, never its operands, so a Fun keeps no other
 * Fun alive.
 */
import { TypegradError } from '../ad/errors.js';
import type { Node } from '../ad/node.js';
import { forEachVariable } from '../ad/variables.js';
import { describeShape, sameShape } from '../ad/shape.js';

export class VarSet {
  /** The set without variables (of a constant). */
  static readonly empty = new VarSet(new Map(), undefined);

  #flat: Map<string, Node> | undefined;
  #parts: readonly VarSet[] | undefined;
  /** The expression whose variables this set is (until flattened), and its variable nodes when known. */
  #node: Node | undefined;
  #variables: readonly Node[] | undefined;
  #names: ReadonlySet<string> | undefined;

  private constructor(flat: Map<string, Node> | undefined, parts: readonly VarSet[] | undefined, node?: Node) {
    this.#flat = flat;
    this.#parts = parts;
    this.#node = node;
  }

  /**
   * The variables of the expression `node`: found by walking it when first read, or `variables`,
   * its variable nodes, when the caller has them already (from a traversal it made).
   */
  static ofNode(node: Node, variables?: readonly Node[]): VarSet {
    const set = new VarSet(undefined, undefined, node);
    set.#variables = variables;
    return set;
  }

  /** The set of these variable nodes. */
  static of(...variables: readonly Node[]): VarSet {
    return variables.length === 0 ? VarSet.empty : new VarSet(new Map(variables.map((v) => [v.name, v])), undefined);
  }

  /** The union of several sets, in constant time (an empty or repeated set is left out). */
  static union(sets: readonly VarSet[]): VarSet {
    let only: VarSet | undefined;
    let many: VarSet[] | undefined;
    for (const set of sets) {
      if (set.#flat !== undefined && set.#flat.size === 0) continue;
      if (only === undefined) only = set;
      else if (set !== only && !(many ?? []).includes(set)) (many ??= [only]).push(set);
    }
    if (many !== undefined) return new VarSet(undefined, many);
    return only ?? VarSet.empty;
  }

  /**
   * The variables by name (flattened on first use, iteratively; the parts are then let go). One
   * name with two shapes is a TypegradError naming both.
   */
  get map(): ReadonlyMap<string, Node> {
    if (this.#flat !== undefined) return this.#flat;
    const flat = new Map<string, Node>();
    const seen = new Set<VarSet>();
    const stack: VarSet[] = [this];
    while (stack.length > 0) {
      const set = stack.pop()!;
      if (seen.has(set)) continue;
      seen.add(set);
      if (set.#flat !== undefined) for (const node of set.#flat.values()) addVariable(flat, node);
      else if (set.#variables !== undefined) for (const node of set.#variables) addVariable(flat, node);
      else if (set.#node !== undefined) forEachVariable([set.#node], (node) => addVariable(flat, node));
      else for (let i = set.#parts!.length - 1; i >= 0; i--) stack.push(set.#parts![i]!); // left to right
    }
    this.#flat = flat;
    this.#parts = undefined;
    this.#node = undefined;
    this.#variables = undefined;
    return flat;
  }

  /** The names of the variables. */
  get names(): ReadonlySet<string> {
    return (this.#names ??= new Set(this.map.keys()));
  }

  /** The same set without the given names. */
  without(names: Iterable<string>): VarSet {
    const map = new Map(this.map);
    for (const name of names) map.delete(name);
    return map.size === this.map.size ? this : new VarSet(map, undefined);
  }

  /**
   * Every variable node of the set, without flattening it (for the node table's sweep): the
   * sets reachable through unions, each visited once per call through `seen`.
   */
  static collect(set: VarSet, seen: Set<VarSet>, into: Node[]): void {
    const stack: VarSet[] = [set];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (s.#flat !== undefined) for (const node of s.#flat.values()) into.push(node);
      else if (s.#node !== undefined) into.push(s.#node);
      else stack.push(...s.#parts!);
    }
  }
}

/** Adds a variable node to a set by name; one name with two shapes is a TypegradError naming both. */
function addVariable(flat: Map<string, Node>, node: Node): void {
  const other = flat.get(node.name);
  if (other !== undefined && other !== node && !sameShape(other.shape, node.shape)) {
    throw new TypegradError(`variable '${node.name}' is used with two shapes in one expression: ${describeShape(other.shape)} and ${describeShape(node.shape)}`);
  }
  flat.set(node.name, node);
}
