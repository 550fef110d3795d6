/**
 * The playground: an expression in x and y, parsed into a typegrad Fun; its partial derivatives
 * by forward symbolic differentiation (`d`), printed (`String`) and typeset (`toLatex`, KaTeX);
 * their values at a point from one compiled program; f and ∂f/∂x along x plotted from one
 * compiled batch program.
 */
import katex from 'katex';
import { Var, compile, d, size, toLatex } from 'typegrad';
import { drawChart } from './chart.js';
import { parseExpression, ParseError, type Expression } from './parse.js';
import type { PlaygroundState } from './state.js';

const x = Var('x'), y = Var('y');
const POINTS = 401;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function typeset(target: HTMLElement, prefix: string, fun: Expression): void {
  katex.render(`${prefix} ${toLatex(fun)}`, target, { throwOnError: false, displayMode: true });
}

const format = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(12).replace(/\.?0+(?=e|$)/, ''));

/** Wires the playground's form; `onUpdate` receives each new state. */
export function setUpPlayground(onUpdate: (state: PlaygroundState) => void): void {
  const input = element<HTMLInputElement>('expression');
  const pointX = element<HTMLInputElement>('point-x');
  const pointY = element<HTMLInputElement>('point-y');
  const from = element<HTMLInputElement>('plot-from');
  const to = element<HTMLInputElement>('plot-to');
  const error = element('expression-error');
  const results = element('playground-results');

  const update = () => {
    const text = input.value;
    let f: Expression;
    try {
      f = parseExpression(text);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      error.textContent = e.message;
      results.classList.add('stale');
      onUpdate({ expression: text, error: e.message });
      return;
    }
    error.textContent = '';
    results.classList.remove('stale');
    const dfdx = d(f, x), dfdy = d(f, y);
    element('f-text').textContent = String(f);
    element('dfdx-text').textContent = String(dfdx);
    element('dfdy-text').textContent = String(dfdy);
    typeset(element('f-tex'), 'f(x, y) =', f);
    typeset(element('dfdx-tex'), '\\frac{\\partial f}{\\partial x} =', dfdx);
    typeset(element('dfdy-tex'), '\\frac{\\partial f}{\\partial y} =', dfdy);

    // One program for the value and both partials: their common work is done once.
    const at = { x: Number(pointX.value), y: Number(pointY.value) };
    const [value, gx, gy] = compile([f, dfdx, dfdy], { args: [x, y] })(at.x, at.y) as number[];
    for (const [id, v] of [['value', value], ['gradient-x', gx], ['gradient-y', gy]] as const) {
      const out = element(id);
      out.textContent = format(v!);
      out.dataset.value = String(v);
    }
    element('point-label').textContent = `(${format(at.x)}, ${format(at.y)})`;

    // f and ∂f/∂x along x at the chosen y: every point in one fused batch loop.
    const lo = Number(from.value), hi = Number(to.value);
    const xs = Float64Array.from({ length: POINTS }, (_, i) => lo + ((hi - lo) * i) / (POINTS - 1));
    const ys = new Float64Array(POINTS).fill(at.y);
    const [fs, dfs] = compile([f, dfdx], { args: [x, y], batch: true })(xs, ys) as Float64Array[];
    drawChart(element<HTMLCanvasElement>('plot'), {
      xLabel: `x (y = ${format(at.y)})`,
      xRange: [lo, hi],
      marker: at.x,
      series: [
        { name: 'f', color: '#1f6feb', x: xs, y: fs! },
        { name: '∂f/∂x', color: '#d9480f', x: xs, y: dfs!, dash: [6, 4] },
      ],
    });
    onUpdate({
      expression: text, f: String(f), dfdx: String(dfdx), dfdy: String(dfdy), at, value: value!, gradient: [gx!, gy!], nodes: size([f, dfdx, dfdy]),
    });
  };

  let pending = 0;
  const schedule = () => {
    clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  };
  for (const field of [input, pointX, pointY, from, to]) field.addEventListener('input', schedule);
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-example]')) {
    button.addEventListener('click', () => {
      input.value = button.dataset.example!;
      update();
    });
  }
  update();
}
