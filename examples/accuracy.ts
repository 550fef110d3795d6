/**
 * How accurate is a derivative? For a few functions (Kotlin∇'s among them), the absolute error
 * over an interval of four ways to compute f′ in float64:
 * - SD: typegrad's symbolic derivative `d(f, x)`, compiled;
 * - AD: forward-mode dual numbers (value and derivative carried through the same formula);
 * - central and forward finite differences, each with its textbook step (∛ε and √ε, scaled);
 * each against a 50-digit reference: the symbolic derivative evaluated by `compileDecimal`,
 * itself checked against a 50-digit central difference (an independent route to f′).
 * Writes one chart per function (log axis) and prints a markdown table.
 * Run it with `npm run example:accuracy`.
 */
import { Decimal } from 'decimal.js';
import { atan, compile, compileDecimal, cos, d, exp, initDecimal, ln, sin, softplus, sqrt, tanh, Var, type SFun } from 'typegrad';
import { lineChart } from 'typegrad/viz';
import { writeOutput } from './output.js';

/** The arithmetic the test functions are written in, once, for symbols and for dual numbers. */
interface Ops<T> {
  add(a: T, b: T | number): T;
  sub(a: T, b: T | number): T;
  mul(a: T, b: T | number): T;
  div(a: T, b: T | number): T;
  sin(a: T): T;
  cos(a: T): T;
  exp(a: T): T;
  ln(a: T): T;
  sqrt(a: T): T;
  atan(a: T): T;
  tanh(a: T): T;
  softplus(a: T): T;
}

type Sym = SFun<'x'>;

const symbols: Ops<Sym> = {
  add: (a, b) => a.add(b), sub: (a, b) => a.sub(b), mul: (a, b) => a.mul(b), div: (a, b) => a.div(b),
  sin, cos, exp, ln, sqrt, atan, tanh, softplus,
};

/** A dual number v + d·ε with ε² = 0: forward-mode automatic differentiation. */
class Dual {
  constructor(readonly v: number, readonly d: number) {}
}
const lift = (a: Dual | number) => (typeof a === 'number' ? new Dual(a, 0) : a);
/** g(a) with g′(a) = slope: the chain rule on a dual number. */
const chain = (a: Dual, value: number, slope: number) => new Dual(value, slope * a.d);
const duals: Ops<Dual> = {
  add: (a, b) => new Dual(a.v + lift(b).v, a.d + lift(b).d),
  sub: (a, b) => new Dual(a.v - lift(b).v, a.d - lift(b).d),
  mul: (a, b) => new Dual(a.v * lift(b).v, a.d * lift(b).v + a.v * lift(b).d),
  div: (a, b) => {
    const c = lift(b);
    return new Dual(a.v / c.v, (a.d * c.v - a.v * c.d) / (c.v * c.v));
  },
  sin: (a) => chain(a, Math.sin(a.v), Math.cos(a.v)),
  cos: (a) => chain(a, Math.cos(a.v), -Math.sin(a.v)),
  exp: (a) => chain(a, Math.exp(a.v), Math.exp(a.v)),
  ln: (a) => chain(a, Math.log(a.v), 1 / a.v),
  sqrt: (a) => chain(a, Math.sqrt(a.v), 0.5 / Math.sqrt(a.v)),
  atan: (a) => chain(a, Math.atan(a.v), 1 / (1 + a.v * a.v)),
  tanh: (a) => chain(a, Math.tanh(a.v), 1 - Math.tanh(a.v) ** 2),
  softplus: (a) => chain(a, Math.max(a.v, 0) + Math.log1p(Math.exp(-Math.abs(a.v))), 1 / (1 + Math.exp(-a.v))),
};

interface TestFunction {
  readonly name: string;
  readonly formula: string;
  readonly f: <T>(m: Ops<T>, x: T) => T;
  readonly interval: readonly [number, number];
}

const functions: readonly TestFunction[] = [
  {
    name: 'nested',
    formula: 'sin(x·cos(x·sin(x·cos x)))',
    f: (m, x) => m.sin(m.mul(x, m.cos(m.mul(x, m.sin(m.mul(x, m.cos(x))))))),
    interval: [-3, 3],
  },
  {
    name: 'kotlingrad',
    formula: 'sin(sin(sin x))/x + x·sin x + cos x + x',
    f: (m, x) => m.add(m.add(m.add(m.div(m.sin(m.sin(m.sin(x))), x), m.mul(x, m.sin(x))), m.cos(x)), x),
    interval: [-3, 3],
  },
  {
    name: 'softplus',
    formula: 'softplus(3x) − x·tanh x',
    f: (m, x) => m.sub(m.softplus(m.mul(x, 3)), m.mul(x, m.tanh(x))),
    interval: [-3, 3],
  },
  {
    name: 'hypot-atan',
    formula: '√(1 + x²)·atan x · e^(−x/4)',
    f: (m, x) => m.mul(m.mul(m.sqrt(m.add(m.mul(x, x), 1)), m.atan(x)), m.exp(m.div(x, -4))),
    interval: [-3, 3],
  },
];

const DIGITS = 50;
/** Points per interval; the grid is dyadic (every point a double exactly), and misses 0. */
const POINTS = Number(process.env['TYPEGRAD_ACCURACY_POINTS'] ?? 256);
/** The reference is checked by a 50-digit central difference at every CHECK_EVERY-th point (it costs two evaluations). */
const CHECK_EVERY = 4;
const EPSILON = 2 ** -52;
/** Errors of exactly 0 (a correctly rounded result) are drawn at this floor of the log axis. */
const FLOOR = 1e-19;

const Exact = (await initDecimal()).clone({ precision: 60 });
/** A double's exact value (to 60 digits, far below any error measured): its 53-bit integer significand times a power of two. */
function exactly(value: number): Decimal {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, value);
  const raw = bits.getBigUint64(0);
  const exponent = Number((raw >> 52n) & 0x7ffn);
  const fraction = raw & ((1n << 52n) - 1n);
  const significand = exponent === 0 ? fraction : fraction | (1n << 52n);
  const power = new Exact(2).pow((exponent === 0 ? 1 : exponent) - 1075);
  return new Exact(significand.toString()).times(power).times(raw >> 63n === 1n ? -1 : 1);
}

const x = Var('x');
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const format = (e: number) => (e === 0 ? '0' : e.toExponential(1).replace('e', '×10^').replace('^-', '^−'));
const table: string[] = [
  '| function | interval | SD (symbolic) | AD (dual numbers) | central difference | forward difference |',
  '|---|---|---|---|---|---|',
];

for (const fn of functions) {
  const symbolic = fn.f(symbols, x);
  const derivative = d(symbolic, x);
  const value64 = compile(symbolic, { args: [x] });
  const derivative64 = compile(derivative, { args: [x] });
  const reference = compileDecimal(derivative, { digits: DIGITS, args: [x] });
  const f50 = compileDecimal(symbolic, { digits: DIGITS, args: [x] });

  const [a, b] = fn.interval;
  const step = (b - a) / POINTS;
  const xs = Array.from({ length: POINTS }, (_, k) => a + (k + 0.5) * step);
  const errors = { SD: [] as number[], AD: [] as number[], central: [] as number[], forward: [] as number[] };
  let worstCheck = 0, identical = 0;
  xs.forEach((point, k) => {
    const truth = reference(point).value;
    if (k % CHECK_EVERY === 0) {
      // An independent check of the reference: a central difference in 50 digits (h = 10⁻²⁰,
      // error about h²·f‴ ≈ 10⁻⁴⁰, plus 10⁻³⁰ from the 20 digits the difference cancels).
      const h = new Exact('1e-20');
      const check = f50(exactly(point).plus(h)).value.minus(f50(exactly(point).minus(h)).value).div(h.times(2));
      worstCheck = Math.max(worstCheck, check.minus(truth).abs().toNumber());
    }
    const error = (estimate: number) => exactly(estimate).minus(truth).abs().toNumber();
    const [symbolicValue, dualValue] = [derivative64(point), fn.f(duals, new Dual(point, 1)).d];
    if (symbolicValue === dualValue) identical++;
    errors.SD.push(error(symbolicValue));
    errors.AD.push(error(dualValue));
    const scale = Math.max(1, Math.abs(point));
    const hc = (point + Math.cbrt(EPSILON) * scale) - point; // a step the double arithmetic represents exactly
    errors.central.push(error((value64(point + hc) - value64(point - hc)) / (2 * hc)));
    const hf = (point + Math.sqrt(EPSILON) * scale) - point;
    errors.forward.push(error((value64(point + hf) - value64(point)) / hf));
  });
  if (worstCheck > 1e-25) throw new Error(`${fn.name}: the 50-digit reference and a 50-digit central difference differ by ${worstCheck}`);

  const floor = (values: readonly number[]) => values.map((e) => Math.max(e, FLOOR));
  const svg = lineChart({
    title: `Absolute error of f′ for f(x) = ${fn.formula}, against a ${DIGITS}-digit reference`,
    x: { label: 'x' },
    y: { label: '|error| (an error of 0 drawn at 10⁻¹⁹)', scale: 'log' },
    legend: 'outside',
    width: 900,
    height: 460,
    series: [
      // AD drawn as a line and SD as dots on it: the two mostly coincide to the last bit.
      { name: 'AD: dual numbers', x: xs, y: floor(errors.AD) },
      { name: 'SD: symbolic d(f, x)', x: xs, y: floor(errors.SD), points: true, line: false },
      { name: 'central difference', x: xs, y: floor(errors.central) },
      { name: 'forward difference', x: xs, y: floor(errors.forward) },
    ],
  });
  writeOutput(`accuracy-${fn.name}.svg`, svg);
  const cell = (values: readonly number[]) => `${format(median(values))} (max ${format(Math.max(...values))})`;
  table.push(`| ${fn.formula} | [${a}, ${b}] | ${cell(errors.SD)} | ${cell(errors.AD)} | ${cell(errors.central)} | ${cell(errors.forward)} |`);
  console.log(`${fn.name}: reference checked against a ${DIGITS}-digit central difference to ${format(worstCheck)}; SD and AD identical at ${identical} of ${POINTS} points`);
}

console.log(`\nmedian (max) absolute error of f′ at ${POINTS} points per interval:\n`);
console.log(table.join('\n'));
