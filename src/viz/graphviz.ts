/**
 * Dataflow pictures: the expression DAG as Graphviz DOT, and DOT rendered to SVG in-process by
 * a WebAssembly build of Graphviz (`@viz-js/viz`), so no system binary is needed.
 *
 * Data flows from operands to users: variables and constants at the top, results at the
 * bottom. A shared subexpression is one node with several outgoing edges, which is exactly what
 * hash-consing buys, so the picture shows it. Edges into a binary operation are coloured by
 * operand (left blue, right red), because `a − b` and `b − a` would otherwise look alike.
 */
import { TypegradError } from '../ad/errors.js';
import type { Node } from '../ad/node.js';
import { primitives, type PrimitiveName } from '../ad/primitives/index.js';
import { topologicalOrder } from '../ad/traverse.js';
import { describeValue } from '../api/record.js';
import { importPeer } from '../backend/peer.js';

/** Anything with a DAG node: a scalar Fun today, vector and matrix Funs later. */
export interface Graphable {
  readonly node: Node;
}

/** One Fun, several, or several by name (the names label the outputs). */
export type GraphRoots = Graphable | readonly Graphable[] | Readonly<Record<string, Graphable>>;

/** Options of `toDot`. */
export interface DotOptions {
  /** A caption above the graph. */
  readonly title?: string;
  /** Layout direction; default top to bottom (`TB`). */
  readonly direction?: 'TB' | 'LR' | 'BT' | 'RL';
}

/** Options of `toSvg`. */
export interface GraphSvgOptions extends DotOptions {
  /** Refuse graphs larger than this many nodes, whose layout would take long and read badly; default 1000. */
  readonly maxNodes?: number;
}

/** The edge colours: operand 1, operand 2, and the operand of a unary operation. */
export const EDGE_COLORS = { left: '#1f77b4', right: '#d62728', unary: '#000000' } as const;

/**
 * The DAG of one or more Funs as Graphviz DOT: one node per distinct subexpression, labelled
 * with its operation, variable name or constant, and edges from operands to users.
 * @example toDot({ f, "f'": d(f, x) })
 */
export function toDot(roots: GraphRoots, options: DotOptions = {}): string {
  const outputs = namedRoots(roots);
  const order = topologicalOrder(outputs.map(([, node]) => node));
  const direction = options.direction ?? 'TB';
  if (!['TB', 'LR', 'BT', 'RL'].includes(direction)) throw new TypegradError(`toDot: direction must be TB, LR, BT or RL, got ${describeValue(direction)}`);
  const lines = ['digraph dataflow {'];
  const caption = options.title === undefined ? '' : `, label=${quote(options.title)}, labelloc=t, fontsize=16`;
  lines.push(`  graph [rankdir=${direction}, fontname="Helvetica", nodesep=0.3, ranksep=0.4${caption}];`);
  lines.push('  node [fontname="Helvetica", fontsize=12, height=0.35];');
  lines.push('  edge [arrowsize=0.6, penwidth=1.2];');
  // Node names are generated from ids; user strings only ever appear inside quoted labels.
  for (const node of order) lines.push(`  n${node.id} [${nodeAttributes(node)}];`);
  for (const node of order) {
    node.args.forEach((arg, i) => {
      const role = node.args.length === 1 ? 'unary' : i === 0 ? 'left' : i === 1 ? 'right' : `operand-${i + 1}`;
      const color = role === 'unary' ? EDGE_COLORS.unary : role === 'left' ? EDGE_COLORS.left : role === 'right' ? EDGE_COLORS.right : '#555555';
      lines.push(`  n${arg.id} -> n${node.id} [color="${color}", class="${role}"];`);
    });
  }
  outputs.forEach(([name, node], i) => {
    if (name === undefined) return;
    lines.push(`  out${i} [label=${quote(name)}, shape=plaintext, fontsize=13, class="output"];`);
    lines.push(`  n${node.id} -> out${i} [style=dashed, color="#777777", class="output"];`);
  });
  lines.push('}', '');
  return lines.join('\n');
}

function nodeAttributes(node: Node): string {
  const shape = node.shape.length === 0 ? '' : `\n${node.shape.join('×')}`;
  switch (node.op) {
    case 'var':
      return `label=${quote(node.name + shape)}, shape=ellipse, style=filled, fillcolor="#dbe9f6", class="var"`;
    case 'const':
      return `label=${quote(constantText(node.value) + shape)}, shape=box, style="rounded,filled", fillcolor="#eeeeee", class="const"`;
    default: {
      const attrs = node.attrs.length === 0 ? '' : `\n(${node.attrs.join(', ')})`;
      const label = operationLabel(node.op as PrimitiveName) + shape + attrs;
      const form = label.length <= 2 ? 'shape=circle, width=0.4, fixedsize=true' : 'shape=box, style=rounded';
      return `label=${quote(label)}, ${form}, class="op ${node.op}"`;
    }
  }
}

/** Mathematical symbols where the printer uses ASCII, so the picture reads like the formula. */
const SYMBOLS: Readonly<Record<string, string>> = { '*': '×', '-': '−', '/': '÷' };

function operationLabel(op: PrimitiveName): string {
  const primitive = primitives[op] as (typeof primitives)[PrimitiveName] | undefined;
  if (primitive === undefined) return op; // an operation from a newer table prints by name
  const notation = primitive.notation;
  if (notation.kind === 'infix' || notation.kind === 'prefix') return SYMBOLS[notation.symbol] ?? notation.symbol;
  if (notation.kind === 'call') return notation.name;
  return op;
}

function constantText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** A DOT double-quoted string. Backslashes are doubled so Graphviz's escapes (\N, \G, \l) never fire. */
function quote(text: string): string {
  const clean = String(text).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
  return `"${clean.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function isNode(value: unknown): value is Node {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<Node>;
  return typeof v.id === 'number' && typeof v.op === 'string' && Array.isArray(v.args);
}

function isGraphable(value: unknown): value is Graphable {
  return value !== null && typeof value === 'object' && isNode((value as { node?: unknown }).node);
}

/** The roots as [output name or undefined, node]; one unnamed root gets no output marker. */
function namedRoots(roots: unknown): [string | undefined, Node][] {
  if (isGraphable(roots)) return [[undefined, roots.node]];
  if (Array.isArray(roots)) {
    if (roots.length === 0) throw new TypegradError('toDot: expected at least one Fun, got an empty array');
    return roots.map((r, i) => {
      if (!isGraphable(r)) throw new TypegradError(`toDot: element ${i + 1} is not a Fun, got ${describeValue(r)}`);
      return [roots.length === 1 ? undefined : `output ${i + 1}`, r.node];
    });
  }
  if (roots !== null && typeof roots === 'object') {
    const entries = Object.keys(roots).map((k) => [k, (roots as Record<string, unknown>)[k]] as const);
    if (entries.length === 0) throw new TypegradError('toDot: expected at least one Fun, got an empty object');
    return entries.map(([name, r]) => {
      if (!isGraphable(r)) throw new TypegradError(`toDot: '${name}' is not a Fun, got ${describeValue(r)}`);
      return [name, r.node];
    });
  }
  throw new TypegradError(`toDot: expected a Fun, an array of Funs or a record of Funs, got ${describeValue(roots)}`);
}

interface Viz {
  render(input: string, options: { format: string }): { status: string; output?: string; errors: { message: string; level?: string }[] };
}

let vizInstance: Promise<Viz> | undefined;

/** The Graphviz WebAssembly instance, loaded on first use (it is a few megabytes). */
async function graphviz(): Promise<Viz> {
  vizInstance ??= importPeer('@viz-js/viz', 'renderDot').then(
    (module) => module.instance() as Promise<Viz>,
    (error: unknown) => {
      vizInstance = undefined;
      throw error;
    },
  );
  return vizInstance;
}

/**
 * Renders DOT source to an SVG document in-process (WebAssembly Graphviz, `dot` layout).
 * @example await renderDot('digraph { a -> b }')
 */
export async function renderDot(dot: string): Promise<string> {
  if (typeof dot !== 'string') throw new TypegradError(`renderDot: expected DOT source as a string, got ${describeValue(dot)}`);
  const result = (await graphviz()).render(dot, { format: 'svg' });
  if (result.status !== 'success' || result.output === undefined) {
    const messages = result.errors.filter((e) => e.level !== 'warning').map((e) => e.message.trim());
    throw new TypegradError(`renderDot: Graphviz could not render the graph: ${messages.join('; ') || 'unknown error'}`);
  }
  return result.output;
}

/**
 * The dataflow graph of one or more Funs as SVG (`toDot`, then `renderDot`).
 * @example await toSvg({ f, "f'": d(f, x) }, { title: 'f and its derivative' })
 */
export async function toSvg(roots: GraphRoots, options: GraphSvgOptions = {}): Promise<string> {
  const maxNodes = options.maxNodes ?? 1000;
  const count = topologicalOrder(namedRoots(roots).map(([, node]) => node)).length;
  if (count > maxNodes) {
    throw new TypegradError(`toSvg: the graph has ${count} nodes, more than maxNodes (${maxNodes}); pass a larger maxNodes to draw it anyway`);
  }
  return renderDot(toDot(roots, options));
}
