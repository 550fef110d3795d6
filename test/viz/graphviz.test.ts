/** Dataflow graphs: DOT with shared nodes once and coloured operand edges; SVG from WebAssembly Graphviz. */
import { describe, expect, it } from 'vitest';
import { Const, d, exp, sin, size, TypegradError, Var } from '../../src/index.js';
import { EDGE_COLORS, renderDot, toDot, toSvg } from '../../src/viz/index.js';
import { elements, parseSvg, withClass } from '../support/xml.js';

const x = Var('x'), y = Var('y');
const z = y.mul(sin(x.mul(y)).sub(x));

const statements = (dot: string, pattern: RegExp) => dot.split('\n').filter((l) => pattern.test(l));
const nodeLines = (dot: string) => statements(dot, /^ {2}n\d+ \[/);
const edgeLines = (dot: string) => statements(dot, /^ {2}n\d+ -> n\d+ /);

describe('toDot', () => {
  it('has one node per distinct subexpression, shared nodes once', () => {
    const dz = d(z, x);
    const dot = toDot([z, dz]);
    expect(nodeLines(dot)).toHaveLength(size([z, dz]));
    // x·y is used by sin in z and by cos in ∂z/∂x: one node with two users.
    const product = nodeLines(dot).filter((l) => l.includes('class="op mul"'));
    const productIds = product.map((l) => /^ {2}(n\d+)/.exec(l)![1]!);
    const users = productIds.map((id) => edgeLines(dot).filter((l) => l.startsWith(`  ${id} -> `)).length);
    expect(Math.max(...users)).toBeGreaterThanOrEqual(2);
  });

  it('labels variables, constants and operations, and colours left and right operands', () => {
    const f = Const(2).sub(x); // 2 − x: left is the constant, right the variable
    const dot = toDot(f);
    const id = (pattern: RegExp) => /^ {2}(n\d+)/.exec(nodeLines(dot).find((l) => pattern.test(l))!)![1]!;
    const two = id(/label="2".*class="const"/), variable = id(/label="x".*class="var"/), minus = id(/label="−".*class="op sub"/);
    expect(dot).toContain(`  ${two} -> ${minus} [color="${EDGE_COLORS.left}", class="left"];`);
    expect(dot).toContain(`  ${variable} -> ${minus} [color="${EDGE_COLORS.right}", class="right"];`);
    const unary = toDot(exp(x));
    expect(unary).toMatch(/n\d+ -> n\d+ \[color="#000000", class="unary"\]/);
    expect(unary).toContain('label="exp"');
  });

  it('names the outputs of a record of Funs', () => {
    const dot = toDot({ f: z, "f'": d(z, x) });
    expect(dot).toContain('label="f", shape=plaintext');
    expect(dot).toContain(`label="f'", shape=plaintext`);
    expect(toDot(z)).not.toContain('class="output"');
  });

  it('escapes user strings: a variable name cannot break out of its label', () => {
    const evil = Var('a"] ; b -> c [label="\\N\nnew line');
    const dot = toDot(evil.add(1), { title: 'say "hi" \\' });
    expect(dot).toContain(String.raw`label="a\"] ; b -> c [label=\"\\N\nnew line"`);
    expect(dot).toContain(String.raw`label="say \"hi\" \\"`);
    expect(edgeLines(dot)).toHaveLength(2); // no edge smuggled in
  });

  it('rejects what is not a Fun', () => {
    expect(() => toDot([] as never)).toThrow(/expected at least one Fun, got an empty array/);
    expect(() => toDot({ f: 3 } as never)).toThrow(/'f' is not a Fun, got number 3/);
    expect(() => toDot('x' as never)).toThrow(TypegradError);
  });
});

describe('renderDot and toSvg (WebAssembly Graphviz)', () => {
  it('renders the dataflow graph as well-formed SVG with labelled nodes and coloured edges', async () => {
    const svg = parseSvg(await toSvg({ z, 'dz/dx': d(z, x) }, { title: 'z & <dz/dx>' }));
    const nodes = withClass(svg, 'g', 'node');
    expect(nodes).toHaveLength(size([z, d(z, x)]) + 2); // plus the two output labels
    const texts = elements(svg, 'text').map((t) => t.textContent);
    for (const label of ['x', 'y', 'sin', 'cos', '×', '−', 'z', 'dz/dx', 'z & <dz/dx>']) expect(texts).toContain(label);
    const strokes = (cls: string) => withClass(svg, 'g', 'edge', cls).map((e) => elements(e, 'path')[0]!.getAttribute('stroke'));
    expect(new Set(strokes('left'))).toEqual(new Set([EDGE_COLORS.left]));
    expect(new Set(strokes('right'))).toEqual(new Set([EDGE_COLORS.right]));
    expect(new Set(strokes('unary'))).toEqual(new Set([EDGE_COLORS.unary]));
  });

  it('renders a hostile variable name as text', async () => {
    const name = '</text><script>alert(1)</script>&';
    const svg = parseSvg(await toSvg(Var(name).mul(2)));
    expect(elements(svg, 'script')).toHaveLength(0);
    expect(elements(svg, 'text').map((t) => t.textContent)).toContain(name);
  });

  it('reports Graphviz syntax errors as a TypegradError', async () => {
    await expect(renderDot('digraph { a -> }')).rejects.toThrow(/renderDot: Graphviz could not render the graph: syntax error/);
  });

  it('refuses a graph over maxNodes', async () => {
    let f = x;
    for (let i = 0; i < 30; i++) f = sin(f).add(i);
    await expect(toSvg(f, { maxNodes: 20 })).rejects.toThrow(/the graph has \d+ nodes, more than maxNodes \(20\)/);
  });
});
