/**
 * Printing as readable infix and as LaTeX, with minimal parentheses, driven by each primitive's
 * `notation`. Iterative, like every pass. A DAG whose shared subexpressions would expand to an
 * enormous tree (repeated squaring doubles the text at every step) prints in a `where` form that
 * names each shared subexpression once instead.
 */
import type { Node } from './node.js';
import { primitiveOf, type Notation } from './primitives/index.js';
import type { Shape } from './shape.js';
import { indexedOrder, positionIn } from './traverse.js';

const ATOM = 10;
const PREFIX = 3;
/** Beyond this many characters the tree form gives way to the `where` form. */
const TREE_LIMIT = 4_000_000;

interface Printed {
  readonly text: string;
  readonly precedence: number;
}

interface Style {
  constant(value: number): string;
  variable(name: string): string;
  parenthesize(text: string): string;
  infix(notation: Extract<Notation, { kind: 'infix' }>, left: string, right: string): string;
  prefix(symbol: string, operand: string): string;
  call(notation: Extract<Notation, { kind: 'call' }>, args: readonly string[], attrs: readonly number[], shapes: readonly Shape[]): string;
  binding(name: string): string;
  where(root: string, bindings: readonly [string, string][]): string;
}

const plain: Style = {
  constant: (v) => String(v),
  variable: (name) => name,
  parenthesize: (t) => `(${t})`,
  infix: (n, l, r) => `${l} ${n.symbol} ${r}`,
  prefix: (s, o) => `${s}${o}`,
  call: (n, args, attrs, shapes) => (n.plain !== undefined ? n.plain(args, attrs, shapes) : `${n.name}(${args.join(', ')})`),
  binding: (name) => name,
  where: (root, bindings) => [root, 'where', ...bindings.map(([n, t]) => `  ${n} = ${t}`)].join('\n'),
};

function latexConstant(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (v === Infinity) return '\\infty';
  if (v === -Infinity) return '-\\infty';
  const text = String(v);
  const e = text.indexOf('e');
  return e < 0 ? text : `${text.slice(0, e)} \\times 10^{${Number(text.slice(e + 1))}}`;
}

/** Characters with a meaning in LaTeX text, and what stands for each. */
const LATEX_TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
};

/**
 * A variable name as LaTeX. A plain identifier (`x`, `W1`, `x_1`) is math as usual; any other
 * name is set as `\text{…}` with every special character escaped, and line terminators, control,
 * format, private-use and unassigned characters and lone surrogates replaced by U+FFFD: a name can
 * never inject a command (`\input`, `\href`), end the math or open a comment.
 */
function latexVariable(name: string): string {
  const identifier = /^([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z0-9]+))?$/.exec(name);
  if (identifier !== null) return identifier[2] === undefined ? name : `${identifier[1]}_{${identifier[2]}}`;
  const text = name
    .replace(/[\p{C}\p{Zl}\p{Zp}]/gu, '\uFFFD')
    .replace(/[\\{}$&#%_^~]/g, (c) => LATEX_TEXT_ESCAPES[c]!);
  return `\\text{${text}}`;
}

const latex: Style = {
  constant: latexConstant,
  variable: latexVariable,
  parenthesize: (t) => `\\left(${t}\\right)`,
  infix: (n, l, r) => {
    if ('form' in n.latex) return n.latex.form === 'frac' ? `\\frac{${l}}{${r}}` : `${l}^{${r}}`;
    return `${l} ${n.latex.symbol} ${r}`;
  },
  prefix: (s, o) => `${s}${o}`,
  call: (n, args, attrs, shapes) => n.latex(args, attrs, shapes),
  binding: (name) => name.replace(/^t(\d+)$/, 't_{$1}'),
  where: (root, bindings) =>
    `\\begin{aligned}&${root}\\\\&\\text{where}\\\\${bindings.map(([n, t]) => `&${n} = ${t}`).join('\\\\')}\\end{aligned}`,
};

function notationOf(node: Node): Notation {
  if (node.op === 'const' || node.op === 'var') return { kind: 'leaf' };
  return primitiveOf(node.op).notation;
}

function needsParentheses(parent: Extract<Notation, { kind: 'infix' }>, parentOp: string, child: Printed, childOp: string, side: 'left' | 'right', style: Style): boolean {
  // LaTeX fractions and exponents are delimited by their layout.
  if (style === latex && 'form' in parent.latex && (parent.latex.form === 'frac' || side === 'right')) return false;
  if (child.precedence < parent.precedence) return true;
  if (side === 'right' && child.precedence === PREFIX) return true; // x * (-y), x^(-1)
  if (child.precedence > parent.precedence) return false;
  if (side === 'left') return parent.rightAssociative === true;
  return !(parent.associative && childOp === parentOp) && parent.rightAssociative !== true;
}

/** acos(−1) is how π is built (an exact constant of the primitives that evaluates anywhere); it prints as π. */
function isPi(node: Node): boolean {
  return node.op === 'acos' && node.args[0]!.op === 'const' && node.args[0]!.value === -1;
}

function render(node: Node, args: readonly Printed[], argOps: readonly string[], style: Style): Printed {
  if (isPi(node)) return { text: style === latex ? '\\pi' : 'pi', precedence: ATOM };
  const notation = notationOf(node);
  switch (notation.kind) {
    case 'leaf':
      if (node.op === 'var') return { text: style.variable(node.name), precedence: ATOM };
      return { text: style.constant(node.value), precedence: node.value < 0 || Object.is(node.value, -0) ? PREFIX : ATOM };
    case 'prefix': {
      const operand = args[0]!.precedence < notation.precedence ? style.parenthesize(args[0]!.text) : args[0]!.text;
      return { text: style.prefix(notation.symbol, operand), precedence: notation.precedence };
    }
    case 'infix': {
      const [l, r] = args as [Printed, Printed];
      const left = needsParentheses(notation, node.op, l, argOps[0]!, 'left', style) ? style.parenthesize(l.text) : l.text;
      const right = needsParentheses(notation, node.op, r, argOps[1]!, 'right', style) ? style.parenthesize(r.text) : r.text;
      return { text: style.infix(notation, left, right), precedence: notation.precedence };
    }
    case 'call':
      return { text: style.call(notation, args.map((a) => a.text), node.attrs, node.args.map((a) => a.shape)), precedence: ATOM };
    default: {
      const unreachable: never = notation;
      return unreachable;
    }
  }
}

/** Length of the fully expanded tree form, counted without building it (by position in `order`). */
function expandedLength(order: readonly Node[], traversal: number): number {
  const length = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const node = order[k]!;
    let total = node.op === 'var' ? node.name.length : node.op === 'const' ? 8 : 12;
    for (const a of node.args) total += length[positionIn(a, traversal)]!;
    length[k] = Math.min(total, Number.MAX_SAFE_INTEGER);
  }
  return length[order.length - 1] ?? 0;
}

function printWith(root: Node, style: Style): string {
  const { order, traversal } = indexedOrder([root]);
  const shared = new Uint8Array(order.length);
  if (expandedLength(order, traversal) > TREE_LIMIT) {
    const uses = new Uint32Array(order.length);
    for (const node of order) for (const a of node.args) uses[positionIn(a, traversal)]++;
    for (let k = 0; k < order.length; k++) if (order[k]!.args.length > 0 && uses[k]! > 1) shared[k] = 1;
  }
  // Each node's printed form, by position.
  const printed = new Array<Printed>(order.length);
  const bindings: [string, string][] = [];
  for (let k = 0; k < order.length; k++) {
    const node = order[k]!;
    const result = render(node, node.args.map((a) => printed[positionIn(a, traversal)]!), node.args.map((a) => a.op), style);
    if (shared[k] === 1) {
      const name = style.binding(`t${bindings.length + 1}`);
      bindings.push([name, result.text]);
      printed[k] = { text: name, precedence: ATOM };
    } else printed[k] = result;
  }
  const text = printed[order.length - 1]!.text;
  return bindings.length === 0 ? text : style.where(text, bindings);
}

/** Readable infix: `y * (sin(x * y) - x)`. */
export function toInfix(root: Node): string {
  return printWith(root, plain);
}

/** LaTeX: `y \cdot \left(\sin\left(x \cdot y\right) - x\right)`. */
export function toLatexString(root: Node): string {
  return printWith(root, latex);
}
