/**
 * Evaluation beyond float64: `evalDecimal`/`compileDecimal` in arbitrary-precision decimals
 * (decimal.js, an optional peer loaded by `initDecimal`) with a chosen number of significant
 * digits, and `evalExact`/`compileExact` in exact rationals where every operation is rational.
 * Both cover every primitive, scalars and tensors of any rank (`src/ad/precise`); results say
 * their precision.
 */
import type { Decimal } from 'decimal.js';
import { TypegradError } from '../ad/errors.js';
import type { Rational } from '../ad/algebra/rational.js';
import { decimalSystem, type DecimalConstructor } from '../ad/precise/decimal-rules.js';
import { preciseProgram, type PreciseProgram } from '../ad/precise/evaluate.js';
import { importPeer } from '../backend/peer.js';
import type { NumberSystem } from '../ad/precise/number-system.js';
import { rationalSystem } from '../ad/precise/rational-rules.js';
import type { Node } from '../ad/node.js';
import { outputsOf, programInputs, type AnyRankFun, type Funs, type FunsVars, type FunVars, type Program } from './compile.js';
import { Fun } from './fun.js';
import { describeValue, recordOf } from './record.js';
import type { OnlyKeysOf, SFun } from './scalar.js';
import { unknownVariable } from './scalar.js';
import {
  decimalOfInput, fractionOf, preciseResult, rationalOfInput, readBinding,
  type DecimalPrecision, type ElementFormat, type ExactPrecision, type Fraction, type PreciseInput, type PreciseNumber, type PreciseTensor, type ReadScalar,
} from './precise-values.js';

export type { DecimalPrecision, ExactPrecision, Fraction, FractionInput, PreciseInput, PreciseNumber, PreciseScalarInput, PreciseTensor, PreciseTensorInput } from './precise-values.js';

/** Values for exactly the variables `V`, each any `PreciseInput`. */
export type PreciseBindings<V extends string> = { readonly [K in V]: PreciseInput };

/** The result for one Fun `T`: a `PreciseNumber` for a scalar, a `PreciseTensor` otherwise. */
export type PreciseResultOf<T, E, P> = T extends SFun<string> ? PreciseNumber<E, P> : PreciseTensor<E, P>;

/** The results for the Funs `F`: one result, or an array or record of them in the shape of `F`. */
export type PreciseResults<F, E, P> = F extends Fun<string> ? PreciseResultOf<F, E, P> : { -readonly [K in keyof F]: PreciseResultOf<F[K], E, P> };

/** A decimal result for `F`. */
export type DecimalResults<F> = PreciseResults<F, Decimal, DecimalPrecision>;

/** An exact result for `F`. */
export type ExactResults<F> = PreciseResults<F, Fraction, ExactPrecision>;

/** Options of `evalDecimal`. */
export interface DecimalEvalOptions {
  /** Significant digits of the results, 1 to 480; default 50. */
  readonly digits?: number;
}

/** Options of `compileDecimal`. */
export interface DecimalOptions extends DecimalEvalOptions {
  /** Positional parameters: the compiled function takes one value per variable, in this order. */
  readonly args?: readonly AnyRankFun[];
}

/** Options of `compileExact`. */
export interface ExactOptions {
  /** Positional parameters: the compiled function takes one value per variable, in this order. */
  readonly args?: readonly AnyRankFun[];
}

/** The function `compileDecimal` or `compileExact` returns: bindings (or positional values with `args`) in, results `R` out. */
export type PreciseCompiled<F, O, R> = O extends { readonly args: infer A extends readonly unknown[] }
  ? (...values: { [K in keyof A]: PreciseInput }) => R
  : (bindings: PreciseBindings<FunsVars<F>>) => R;

const DEFAULT_DIGITS = 50;
/** Guard digits carried beyond the digits asked for. */
const GUARD_DIGITS = 10;
/**
 * decimal.js takes π from a stored constant of 1025 digits, and its sin, cos and tan work at the
 * working precision plus the argument's significant digits (or its exponent) plus 7: an
 * argument computed at w digits needs π to 2w + 7 digits, so w stops at 509.
 */
const MAX_WORKING_DIGITS = 509;
/** The most digits one can ask for: room for the guard digits and a check run below the working limit. */
const MAX_DIGITS = 480;

/** Rounding half to even, as IEEE; plain notation from 10⁻⁷ to 10²¹ (decimal.js's defaults), the widest exponent range. */
const DECIMAL_CONFIG = { rounding: 6, toExpNeg: -7, toExpPos: 21, minE: -9e15, maxE: 9e15 } as const;

/** A working precision's Decimal constructor and number system. */
interface DecimalSystem {
  readonly D: DecimalConstructor;
  readonly system: NumberSystem<Decimal>;
}

let library: DecimalConstructor | undefined;

/**
 * Loads decimal.js (an optional peer: `npm install decimal.js`) for `evalDecimal` and
 * `compileDecimal`, once; later calls return the same. Pass the library's `Decimal` to use a
 * copy you have imported yourself (a bundle). Resolves to the library's `Decimal` constructor.
 * @example const Decimal = await initDecimal(); evalDecimal(x.exp(), { x: new Decimal('0.5') })
 */
export async function initDecimal(decimal?: DecimalConstructor): Promise<DecimalConstructor> {
  if (decimal !== undefined) {
    if (typeof decimal !== 'function' || typeof (decimal as { clone?: unknown }).clone !== 'function') {
      throw new TypegradError(`initDecimal: expected decimal.js's Decimal constructor, got ${describeValue(decimal)}`);
    }
    library = decimal;
  }
  if (library !== undefined) return library;
  library = (await importPeer('decimal.js', 'initDecimal')).Decimal;
  return library;
}

function loadedLibrary(operation: string): DecimalConstructor {
  if (library !== undefined) return library;
  throw new TypegradError(`${operation}: decimal.js is not loaded; call \`await initDecimal()\` first (decimal.js is an optional peer: npm install decimal.js)`);
}

function checkDigits(digits: unknown, operation: string): number {
  if (digits === undefined) return DEFAULT_DIGITS;
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < 1 || digits > MAX_DIGITS) {
    throw new TypegradError(`${operation}: options.digits must be an integer from 1 to ${MAX_DIGITS}, got ${describeValue(digits)}`);
  }
  return digits;
}

/** The inputs of one call read exactly: bindings or positional values, checked against the program's variables. */
function readInputs(program: Program, call: readonly unknown[], positional: boolean, operation: string): ReadScalar[][] {
  const { names, inputs } = program;
  if (positional) {
    if (call.length !== names.length) throw new TypegradError(`${operation} takes ${names.length} argument(s) (${names.join(', ')}), got ${call.length} argument(s)`);
    return names.map((name, j) => readBinding(call[j], inputs[j]!.shape, name, operation));
  }
  const bindings = call.length === 0 ? {} : call[0];
  if (call.length > 1 && !(call.length === 2 && call[1] === undefined)) throw new TypegradError(`${operation} takes one object of bindings, got ${call.length} arguments`);
  if (bindings === null || typeof bindings !== 'object' || Array.isArray(bindings)) {
    throw new TypegradError(`${operation}: expected an object of variable bindings, got ${describeValue(bindings)}`);
  }
  const record = bindings as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!program.declared.has(key)) throw unknownVariable(operation, key, program.declared);
  return names.map((name, j) => {
    if (!Object.hasOwn(record, name)) throw new TypegradError(`${operation}: missing value for variable '${name}'`);
    return readBinding(record[name], inputs[j]!.shape, name, operation);
  });
}

/** Results in the shape of the Funs given. */
function shaped(keys: readonly string[] | null | undefined, results: readonly unknown[]): unknown {
  if (keys === undefined) return results[0];
  if (keys === null) return [...results];
  return recordOf(keys.map((k, i) => [k, results[i]!]));
}

/** How many leading significant digits of `a` and `b` agree (at most `digits`). */
function agreement(a: Decimal, b: Decimal, digits: number): number {
  if (a.isNaN() || b.isNaN()) return a.isNaN() && b.isNaN() ? digits : 0;
  if (!a.isFinite() || !b.isFinite() || a.eq(b)) return a.eq(b) ? digits : 0;
  if (b.isZero()) return 0;
  // relative = m·10^e with 1 ≤ m < 10 is below 10^(e+1): at least −e − 1 digits agree.
  const relative = a.minus(b).abs().div(b.abs());
  return Math.max(0, Math.min(digits, -relative.e - 1));
}

/**
 * Runs a program at `digits` significant digits: at digits + 10 working digits, then again
 * with twice the guard digits (plus 10) until every result agrees with the previous run to
 * `digits` digits or the working precision reaches 2·digits + 100 (at most 509). Results are
 * rounded to `digits`; each reports the agreement of the last two runs.
 */
function runDecimal(program: PreciseProgram, inputs: readonly ReadScalar[][], digits: number, operation: string, systems: Map<number, DecimalSystem>): { values: Decimal[][]; correct: number[]; working: number } {
  const base = loadedLibrary(operation);
  const runAt = (working: number): Decimal[][] => {
    let at = systems.get(working);
    if (at === undefined) {
      const D = base.clone({ ...DECIMAL_CONFIG, precision: working });
      at = { D, system: decimalSystem(D, operation) };
      systems.set(working, at);
    }
    const { D, system } = at;
    try {
      return program.run(system, inputs.map((values) => values.map((v) => decimalOfInput(v, D))));
    } catch (error) {
      // decimal.js refuses a precision beyond its stored constants (π, ln 10) with a plain Error.
      if (error instanceof Error && error.message.startsWith('[DecimalError]')) throw new TypegradError(`${operation}: decimal.js failed at ${working} working digits: ${error.message}`);
      throw error;
    }
  };
  const limit = Math.min(MAX_WORKING_DIGITS, 2 * digits + 100);
  let working = Math.min(MAX_WORKING_DIGITS, digits + GUARD_DIGITS);
  let previous = runAt(working);
  for (;;) {
    const next = Math.min(limit, Math.max(working + 1, digits + 2 * (working - digits) + GUARD_DIGITS));
    const current = runAt(next);
    const correct = current.map((values, k) => values.reduce((least, v, i) => Math.min(least, agreement(previous[k]![i]!, v, digits)), digits));
    if (next >= limit || correct.every((c) => c >= digits)) {
      const Rounded = base.clone({ ...DECIMAL_CONFIG, precision: digits });
      return { values: current.map((values) => values.map((v) => new Rounded(v.toSignificantDigits(digits)))), correct, working: next };
    }
    previous = current;
    working = next;
  }
}

interface Prepared {
  readonly program: PreciseProgram;
  readonly inputs: Program;
  readonly funs: readonly Fun<string>[];
  readonly keys: readonly string[] | null | undefined;
}

function prepare(f: unknown, args: readonly AnyRankFun[] | undefined, operation: string): Prepared {
  const outputs = outputsOf(f, operation);
  const inputs = programInputs(outputs.funs, args);
  const roots: Node[] = outputs.funs.map((g) => g.node);
  return { program: preciseProgram(roots, inputs.inputs), inputs, funs: outputs.funs, keys: outputs.keys };
}

function decimalFunction(prepared: Prepared, digits: number, positional: boolean, operation: string): (...call: unknown[]) => unknown {
  const systems = new Map<number, DecimalSystem>();
  return (...call: unknown[]) => {
    const inputs = readInputs(prepared.inputs, call, positional, operation);
    const { values, correct, working } = runDecimal(prepared.program, inputs, digits, operation, systems);
    const results = prepared.funs.map((g, k) => {
      const precision: DecimalPrecision = Object.freeze({ kind: 'decimal', digits, correctDigits: correct[k]!, workingDigits: working });
      return preciseResult(g.node.shape, values[k]!, precision, decimalFormat(digits));
    });
    return shaped(prepared.keys, results);
  };
}

const EXACT: ExactPrecision = Object.freeze({ kind: 'exact' });
const FRACTION_FORMAT: ElementFormat<Fraction> = { text: String, number: (v) => v.toNumber() };

/** Decimals print with all `digits` significant digits (0.50, not 0.5), in plain notation from 10⁻⁷ to 10²¹. */
function decimalFormat(digits: number): ElementFormat<Decimal> {
  return {
    text: (v) => {
      if (!v.isFinite() || v.isZero()) return v.toString();
      const exponent = v.e;
      return exponent < -7 || exponent >= 21 ? v.toExponential(digits - 1) : v.toFixed(Math.max(0, digits - 1 - exponent));
    },
    number: (v) => v.toNumber(),
  };
}

function exactFunction(prepared: Prepared, positional: boolean, operation: string): (...call: unknown[]) => unknown {
  const system = rationalSystem(operation);
  return (...call: unknown[]) => {
    const read = readInputs(prepared.inputs, call, positional, operation);
    const inputs = read.map((values, j) => values.map((v) => rationalOfInput(v, prepared.inputs.names[j]!, operation)));
    const values: Rational[][] = prepared.program.run(system, inputs);
    const results = prepared.funs.map((g, k) => preciseResult(g.node.shape, values[k]!.map(fractionOf), EXACT, FRACTION_FORMAT));
    return shaped(prepared.keys, results);
  };
}

function optionsRecord<O>(options: O | undefined, operation: string): O | undefined {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypegradError(`${operation}: options must be an object, got ${describeValue(options)}`);
  return options;
}

/**
 * The value of a Fun (any rank) at a point in decimals of `digits` significant digits (default
 * 50), after `await initDecimal()`. Every operation runs at more working digits than asked
 * (guard digits, raised until a second run agrees), so the result is right to the digits it
 * reports in `precision.correctDigits`, normally all of them. Constants of the expression and
 * numbers bound to variables are read as the fractions they stand for (0.1 is one tenth, 1/3 one
 * third); bind a string (`'0.1'`, `'1/3'`) or a Decimal for any other exact value.
 * @example evalDecimal(Var('x').exp(), { x: 1 }, { digits: 30 }).toString() // '2.71828182845904523536028747135'
 */
export function evalDecimal<F extends AnyRankFun, const B extends PreciseBindings<FunVars<F>>>(f: F, bindings: B & OnlyKeysOf<B, FunVars<F>>, options?: DecimalEvalOptions): DecimalResults<F>;
export function evalDecimal(f: unknown, bindings: unknown, options?: DecimalEvalOptions): unknown {
  const operation = 'evalDecimal';
  const digits = checkDigits(optionsRecord(options, operation)?.digits, operation);
  if (!(f instanceof Fun)) throw new TypegradError(`${operation}: expected a Fun, got ${describeValue(f)}`);
  return decimalFunction(prepare(f, undefined, operation), digits, false, operation)(bindings);
}

/**
 * A Fun, or an array or record of Funs, compiled once for decimal evaluation at `digits`
 * significant digits (see `evalDecimal`): the function takes bindings (or positional values
 * with `args`) and returns a result per Fun, in their shape.
 * @example const f = compileDecimal([y, d(y, x)], { digits: 50, args: [x] }); f('0.5')[1].toString()
 */
export function compileDecimal<const F extends Funs, const O extends DecimalOptions = {}>(f: F, options?: O): PreciseCompiled<F, O, DecimalResults<F>>;
export function compileDecimal(f: unknown, options?: DecimalOptions): unknown {
  const operation = 'compileDecimal';
  const checked = optionsRecord(options, operation);
  const digits = checkDigits(checked?.digits, operation);
  return decimalFunction(prepare(f, checked?.args, operation), digits, checked?.args !== undefined, 'decimal function');
}

/**
 * The exact value of a Fun (any rank) at a point, in rationals: arithmetic, integer powers and
 * comparisons are exact, and an elementary function where its value is rational (exp 0, √(9/4),
 * log(8, 2)); anywhere else a TypegradError says why the value is irrational. Bound numbers
 * are read as the fractions they stand for (0.1 is one tenth).
 * @example evalExact(x.pow(3).sub(x.div(3)), { x: '2/3' }).toString() // '2/27'
 */
export function evalExact<F extends AnyRankFun, const B extends PreciseBindings<FunVars<F>>>(f: F, bindings: B & OnlyKeysOf<B, FunVars<F>>): ExactResults<F>;
export function evalExact(f: unknown, bindings: unknown): unknown {
  const operation = 'evalExact';
  if (!(f instanceof Fun)) throw new TypegradError(`${operation}: expected a Fun, got ${describeValue(f)}`);
  return exactFunction(prepare(f, undefined, operation), false, operation)(bindings);
}

/**
 * A Fun, or an array or record of Funs, compiled once for exact evaluation (see `evalExact`).
 * @example compileExact(x.mul(x), { args: [x] })('3/2').toString() // '9/4'
 */
export function compileExact<const F extends Funs, const O extends ExactOptions = {}>(f: F, options?: O): PreciseCompiled<F, O, ExactResults<F>>;
export function compileExact(f: unknown, options?: ExactOptions): unknown {
  const checked = optionsRecord(options, 'compileExact');
  return exactFunction(prepare(f, checked?.args, 'compileExact'), checked?.args !== undefined, 'exact function');
}

