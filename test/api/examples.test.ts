/**
 * The examples run (smoke tests): each is executed as `npm run example:<name>` would, into its
 * own output folder, and what it prints and writes is checked.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { elements, parseSvg, withClass } from '../support/xml.js';

const root = join(import.meta.dirname, '..', '..');
mkdirSync(join(root, 'out'), { recursive: true });
const scratch = mkdtempSync(join(root, 'out', 'examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs examples/<name>.ts with tsx (and `env` added to the environment); returns its output and its output folder. */
function run(name: string, env: Record<string, string> = {}): { out: string; folder: string } {
  const folder = join(scratch, name);
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const out = execFileSync(process.execPath, [tsx, join(root, 'examples', `${name}.ts`)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, TYPEGRAD_OUT: folder },
  });
  return { out, folder };
}

const svgIn = (folder: string, file: string) => parseSvg(readFileSync(join(folder, file), 'utf8'));
const seriesPaths = (svg: ReturnType<typeof parseSvg>) => elements(withClass(svg, 'g', 'series')[0]!, 'path');

describe('examples', () => {
  it('is wired to an npm script each', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts') && f !== 'output.ts' && f !== 'hello.ts');
    for (const file of examples) expect(scripts[`example:${file.replace(/\.ts$/, '')}`]).toBe(`tsx examples/${file}`);
  });

  it("newton: f = 4990 and f' = 1500 at x = 10, converging to the cube root of 2", () => {
    const { out } = run('newton');
    expect(out).toMatch(/step {2}1: x = 10 +f = 4990 +f' = 1500 /);
    const last = /converged to x = ([\d.]+)/.exec(out)![1]!;
    expect(Number(last)).toBe(1.2599210498948732);
    expect(Number(last)).toBe(Math.cbrt(2));
  });

  it('derivatives-plot: six series with a legend entry each', () => {
    const { out, folder } = run('derivatives-plot');
    expect(out).toContain('wrote ');
    const svg = svgIn(folder, 'derivatives.svg');
    expect(seriesPaths(svg)).toHaveLength(6);
    expect(withClass(svg, 'g', 'legend-entry')).toHaveLength(6);
    expect(withClass(svg, 'g', 'axis', 'x')).toHaveLength(1);
    expect(withClass(svg, 'g', 'axis', 'y')).toHaveLength(1);
    expect(out).toMatch(/f⁽⁵⁾ +\d+ nodes/);
  });

  it('dataflow: DOT and SVG for the function and for it with its gradient', () => {
    const { out, folder } = run('dataflow');
    expect(out).toMatch(/f = sigmoid\(b \+ w \* x\) {2}\(6 nodes\)/);
    const dot = readFileSync(join(folder, 'dataflow-gradient.dot'), 'utf8');
    expect(dot).toMatch(/^digraph dataflow \{/);
    for (const file of ['dataflow.svg', 'dataflow-gradient.svg']) {
      const svg = svgIn(folder, file);
      expect(withClass(svg, 'g', 'node').length).toBeGreaterThan(5);
      expect(withClass(svg, 'g', 'edge', 'left').length).toBeGreaterThan(0);
      expect(withClass(svg, 'g', 'edge', 'right').length).toBeGreaterThan(0);
    }
    const texts = elements(svgIn(folder, 'dataflow-gradient.svg'), 'text').map((t) => t.textContent);
    for (const label of ['w', 'x', 'b', 'sigmoid', '∂f/∂w', '∂f/∂b']) expect(texts).toContain(label);
  });

  it('polynomial-regression: the loss falls and the coefficients come close to the truth', () => {
    const { out, folder } = run('polynomial-regression');
    const losses = [...out.matchAll(/loss ([\d.e-]+)/g)].map((m) => Number(m[1]));
    expect(losses.length).toBeGreaterThan(5);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 100);
    const fitted = /fitted coefficients (.*)/.exec(out)![1]!.trim().split(/\s+/).map(Number);
    [1, -2, 0.5, 1.5].forEach((c, k) => expect(Math.abs(fitted[k]! - c)).toBeLessThan(0.2));
    expect(seriesPaths(svgIn(folder, 'polynomial-loss.svg'))).toHaveLength(1);
    const fit = svgIn(folder, 'polynomial-fit.svg');
    expect(seriesPaths(fit)).toHaveLength(2); // the data are dots
    expect(elements(withClass(fit, 'g', 'series')[0]!, 'circle')).toHaveLength(40);
  });

  it('logistic-regression: loss down, accuracy up, both on one chart with two y-axes', () => {
    const { out, folder } = run('logistic-regression');
    const rows = [...out.matchAll(/loss ([\d.]+) {2}accuracy ([\d.]+)%/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(rows.at(-1)![0]).toBeLessThan(rows[0]![0] / 2);
    expect(rows.at(-1)![1]).toBeGreaterThan(80);
    const svg = svgIn(folder, 'logistic-regression.svg');
    expect(seriesPaths(svg)).toHaveLength(2);
    expect(withClass(svg, 'g', 'axis', 'y2')).toHaveLength(1);
  });
});

describe('the surfaces sample', () => {
  it('draws ripple, pulsar, starquake and novaflux as shaded surfaces, and their gradients as heat maps with contours', () => {
    const { out, folder } = run('surfaces');
    for (const name of ['ripple', 'pulsar', 'starquake', 'novaflux']) {
      expect(out).toContain(`surface-${name}.svg`);
      const surface = svgIn(folder, `surface-${name}.svg`);
      expect(elements(withClass(surface, 'g', 'surface')[0]!, 'polygon')).toHaveLength(2 * 63 * 63);
      expect(elements(surface, 'title')[0]!.textContent).toMatch(new RegExp(`^${name}: f\\(x, y\\) = `));
      const gradient = svgIn(folder, `surface-${name}-gradient.svg`);
      expect(elements(withClass(gradient, 'g', 'cells')[0]!, 'rect')).toHaveLength(80 * 80);
      expect(withClass(gradient, 'path', 'contour').length).toBeGreaterThan(3);
      expect(withClass(gradient, 'text', 'label').map((t) => t.textContent)).toEqual(expect.arrayContaining(['x', 'y', '|∇f|']));
    }
  });
});

describe('the accuracy comparison (a short run: 24 points per interval)', () => {
  it('writes a log-scale chart per function, and symbolic and dual-number derivatives beat finite differences by orders of magnitude', () => {
    const { out, folder } = run('accuracy', { TYPEGRAD_ACCURACY_POINTS: '24' });
    const number = (text: string) => Number(text.replace('×10^', 'e').replace('−', '-'));
    const rows = [...out.matchAll(/^\| (.+?) \| \[-3, 3\] \| (\S+) \(max \S+\) \| (\S+) \(max \S+\) \| (\S+) \(max \S+\) \| (\S+) \(max \S+\) \|$/gm)];
    expect(rows.map((r) => r[1])).toEqual(['sin(x·cos(x·sin(x·cos x)))', 'sin(sin(sin x))/x + x·sin x + cos x + x', 'softplus(3x) − x·tanh x', '√(1 + x²)·atan x · e^(−x/4)']);
    for (const row of rows) {
      const [sd, ad, central, forward] = row.slice(2, 6).map((m) => number(m!));
      expect(sd!).toBeLessThan(1e-14);
      expect(ad!).toBeLessThan(1e-14);
      expect(central!).toBeGreaterThan(1000 * sd!);
      expect(forward!).toBeGreaterThan(central!);
    }
    expect(out.match(/reference checked against a 50-digit central difference/g)).toHaveLength(4);
    for (const name of ['nested', 'kotlingrad', 'softplus', 'hypot-atan']) {
      const svg = svgIn(folder, `accuracy-${name}.svg`);
      expect(seriesPaths(svg)).toHaveLength(3); // SD is dots
      expect(elements(withClass(svg, 'g', 'series')[0]!, 'circle')).toHaveLength(24);
      expect(withClass(svg, 'g', 'legend-entry')).toHaveLength(4);
      const labels = elements(withClass(svg, 'g', 'axis', 'y')[0]!, 'text').map((t) => t.textContent);
      expect(labels.some((l) => /^10⁻¹[⁵⁶⁷⁸⁹]$/.test(l ?? ''))).toBe(true); // a log axis reaching down to float64's rounding
    }
  });
});

describe('the MNIST demo (a short run: 2 epochs on 1,000 digits)', () => {
  it('trains, prints test accuracy per epoch, writes a well-formed chart and parameters that reload', () => {
    const folder = join(scratch, 'mnist');
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const out = execFileSync(process.execPath, [tsx, join(root, 'examples', 'mnist.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TYPEGRAD_OUT: folder, TYPEGRAD_MNIST_EPOCHS: '2', TYPEGRAD_MNIST_TRAIN: '1000', TYPEGRAD_MNIST_TEST: '300' },
    });
    expect(out).toContain('MNIST: 1000 training digits, 300 test digits');
    expect(out).toMatch(/gradient derived 1 time, 2 programs made, 32 steps/);
    const rows = [...out.matchAll(/^ +(\d) +([\d.]+) +([\d.]+)% +([\d.]+) +([\d.]+)% +[\d.]+$/gm)].map((m) => m.slice(1).map(Number));
    expect(rows.map((r) => r[0])).toEqual([1, 2]);
    expect(rows[1]![1]!).toBeLessThan(rows[0]![1]!); // training loss falls
    expect(rows[1]![3]!).toBeLessThan(rows[0]![3]!); // and test loss
    expect(rows[1]![4]!).toBeGreaterThan(70); // test accuracy, in percent
    const accuracy = /test accuracy after 2 epochs: ([\d.]+)%/.exec(out)![1]!;
    expect(out).toContain(`reloaded mnist-mlp.json: test accuracy ${accuracy}%`);
    const svg = svgIn(folder, 'mnist-training.svg');
    expect(seriesPaths(svg)).toHaveLength(4);
    expect(withClass(svg, 'g', 'legend-entry')).toHaveLength(4);
    for (const axis of ['x', 'y', 'y2']) expect(withClass(svg, 'g', 'axis', axis)).toHaveLength(1);
    const texts = elements(svg, 'text').map((t) => t.textContent);
    for (const label of ['epoch', 'softmax cross-entropy', 'accuracy', 'training loss', 'test loss', 'test accuracy (right axis)']) expect(texts).toContain(label);
  });

});

describe('the convolutional demo (a short run: 2 epochs on 600 digits)', () => {
  it('trains a LeNet that learns, prints test accuracy per epoch, writes its curves and parameters that reload', () => {
    const folder = join(scratch, 'cnn');
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const out = execFileSync(process.execPath, [tsx, join(root, 'examples', 'cnn.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TYPEGRAD_OUT: folder, TYPEGRAD_MNIST_EPOCHS: '2', TYPEGRAD_MNIST_TRAIN: '600', TYPEGRAD_MNIST_TEST: '200' },
    });
    expect(out).toContain('MNIST: 600 training digits, 200 test digits; LeNet-style model [28, 28, 1]');
    expect(out).toMatch(/engine: compiled; gradient derived 1 time, 2 programs made, 20 steps/);
    const rows = [...out.matchAll(/^ +(\d) +([\d.]+) +([\d.]+)% +([\d.]+) +([\d.]+)% +[\d.]+$/gm)].map((m) => m.slice(1).map(Number));
    expect(rows.map((r) => r[0])).toEqual([1, 2]);
    expect(rows[1]![1]!).toBeLessThan(rows[0]![1]!); // training loss falls
    expect(rows[1]![3]!).toBeLessThan(rows[0]![3]!); // and test loss
    expect(rows[1]![4]!).toBeGreaterThan(50); // test accuracy, in percent
    const accuracy = /test accuracy after 2 epochs: ([\d.]+)%/.exec(out)![1]!;
    expect(out).toContain(`reloaded mnist-cnn.json: test accuracy ${accuracy}%`);
    const saved = JSON.parse(readFileSync(join(folder, 'mnist-cnn.json'), 'utf8')) as { parameters: Record<string, { shape: number[] }> };
    expect(Object.fromEntries(Object.entries(saved.parameters).map(([name, p]) => [name, p.shape]))).toEqual({
      'c1.W': [5, 5, 1, 6], 'c1.b': [6], 'c2.W': [5, 5, 6, 16], 'c2.b': [16], 'd1.W': [256, 120], 'd1.b': [120], 'd2.W': [120, 10], 'd2.b': [10],
    });
    const svg = svgIn(folder, 'cnn-training.svg');
    expect(seriesPaths(svg)).toHaveLength(4);
    expect(withClass(svg, 'g', 'legend-entry')).toHaveLength(4);
  });
});
