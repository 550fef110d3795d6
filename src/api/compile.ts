/**
 * `compile`: one Fun, or an array or record of Funs compiled together as ONE program (shared
 * nodes computed once), to a function of a point or of a batch of points, on a chosen backend.
 * Funs may be scalars, vectors or matrices, and variables of any rank (a tensor program, see
 * `compile` for its inputs and outputs).
 */
import { TypegradError } from '../ad/errors.js';
import { variableNode, type Node } from '../ad/node.js';
import { describeShape, elementCount } from '../ad/shape.js';
import { freeVariables } from '../ad/variables.js';
import { renderJs } from '../backend/js/index.js';
import { jsBackend } from '../backend/js/index.js';
import { backendFor, configureBackend, initBackend, type AsyncExecutable, type Backend, type BackendName, type EngineOptions, type Executable, type FloatArray } from '../backend/registry.js';
import { buildPlan } from '../program/planner.js';
import { ProgramLifetime, type CompiledProgram } from './disposal.js';
import { currentContext } from './transform/context.js';
import { Fun, variableOf } from './fun.js';
import type { MFun } from './matrix.js';
import type { TFun } from './tensor.js';
import { describeValue, recordOf } from './record.js';
import { SFun, unknownVariable, type Bindings } from './scalar.js';
import { toFlat, type TensorValue } from './values.js';
import type { VFun } from './vector.js';

export { backendInfo, initBackend } from '../backend/registry.js';
export type { CompiledProgram } from './disposal.js';
export type { BackendInfo, BackendName, EngineOptions, Precision } from '../backend/registry.js';

/** A column of values, one per point (for a tensor input: its values point after point). */
export type Column = ArrayLike<number>;

/** A column a batch program writes into. */
export type OutputColumn = FloatArray;

/** A Fun of any rank. */
export type AnyRankFun = SFun<string> | VFun<number, string> | MFun<number, number, string> | TFun<readonly number[], string>;

/** What `compile` accepts: a Fun, an array of Funs, or a record of Funs (of any ranks). */
export type Funs = AnyRankFun | readonly AnyRankFun[] | { readonly [key: string]: AnyRankFun };

/** The variables of one Fun of any rank. */
export type FunVars<T> = T extends SFun<infer V>
  ? V
  : T extends VFun<number, infer V>
    ? V
    : T extends MFun<number, number, infer V>
      ? V
      : T extends TFun<readonly number[], infer V>
        ? V
        : never;

/** The variables of all the Funs of `F`. */
export type FunsVars<F> = F extends Fun<string> ? FunVars<F> : { [K in keyof F]: FunVars<F[K]> }[keyof F & (F extends readonly unknown[] ? number : string)];

/** The result for `F`: `T` for a Fun, an array or record of `T` in the shape of `F` otherwise. */
export type Values<F, T> = F extends Fun<string> ? T : { -readonly [K in keyof F]: T };

/** Whether options `O` name a float32 engine: tfjs, gpu, onnx, or wasm with `precision: 'float32'`. */
export type Float32Engine<O> = O extends { readonly backend: 'tfjs' | 'gpu' | 'onnx' } ? true : O extends { readonly backend: 'wasm'; readonly precision: 'float32' } ? true : false;

/** What one compiled Fun returns at a point: a number for a scalar, flat row-major data for a vector or matrix. */
export type PointValue<T, O> = T extends SFun<string> ? number : Float32Engine<O> extends true ? Float32Array : Float64Array;

/** The point results for `F`: in the shape of `F`, each Fun's `PointValue`. */
export type PointValues<F, O> = F extends Fun<string> ? PointValue<F, O> : { -readonly [K in keyof F]: PointValue<F[K], O> };

/** Options of `compile` (`precision` and `threads`: see `EngineOptions`). */
export interface CompileOptions extends EngineOptions {
  /** Positional parameters: the compiled function takes one value per variable, in this order. */
  readonly args?: readonly AnyRankFun[];
  /**
   * Evaluate many points per call: every input is a column (one value per point; for a vector
   * or matrix variable, its flat values point after point), and so is every result.
   */
  readonly batch?: boolean;
  /**
   * Where to evaluate: `js` (default, float64), `tfjs`, `gpu` or `onnx` (float32), `wasm`
   * (float64, or float32 with `precision: 'float32'`); initialise them first. On `onnx` the
   * compiled function returns Promises (see `AsyncCompiled`).
   */
  readonly backend?: BackendName;
  /**
   * Tensor programs: return the same output arrays at every call, overwritten by the next call,
   * instead of fresh copies (no allocation per call; copy what you keep). Default false.
   */
  readonly reuseOutputs?: boolean;
}

/** The column type a backend writes: float64 for js, float32 for tfjs, gpu and onnx; wasm's precision. */
export type OutputOf<O> = Float32Engine<O> extends true ? Float32Array : Float64Array;

/** The value a positional parameter takes: a number for a scalar variable, a vector or matrix value otherwise. */
export type ArgValue<T> = T extends SFun<string> ? number : TensorValue;

/** The function that `compile` makes for the Funs `F` and the options `O`, before its `dispose`. */
export type CompiledCall<F, O> = O extends { readonly batch: true }
  ? O extends { readonly args: infer A extends readonly unknown[] }
    ? (...columns: [...{ [K in keyof A]: Column }, out?: Values<F, OutputColumn>]) => Values<F, OutputOf<O>>
    : (columns: { readonly [K in FunsVars<F>]: Column }, out?: Values<F, OutputColumn>) => Values<F, OutputOf<O>>
  : O extends { readonly args: infer A extends readonly unknown[] }
    ? (...values: { [K in keyof A]: ArgValue<A[K]> }) => PointValues<F, O>
    : (bindings: Bindings<FunsVars<F>>) => PointValues<F, O>;

/** The compiled function for the Funs `F` and the options `O`, with `dispose()` (see `CompiledProgram`). */
export type Compiled<F, O> = CompiledCall<F, O> & CompiledProgram;

/**
 * A compiled function on the onnx backend. ONNX Runtime's Node API is asynchronous, so each call
 * returns a Promise of what the synchronous function `C` returns; `dispose()` releases the
 * program's InferenceSession (created once, by `compile`).
 * @example const f = compile(loss, { backend: 'onnx' }); await f({ x: 1 }); await f.dispose();
 */
export type AsyncCompiled<C> = C extends (...args: infer A) => infer R ? ((...args: A) => Promise<R>) & { dispose(): Promise<void> } : never;

/** The backends `O` may name ('js' when it names none). */
type BackendOf<O> = O extends { readonly backend: infer B } ? B : O extends { readonly backend?: infer B } ? (unknown extends B ? 'js' : Exclude<B, undefined> | 'js') : 'js';

/** What `compile` returns: `Compiled`, or `AsyncCompiled` on onnx (either one where the backend is not known statically). */
export type CompiledFor<F, O> = 'onnx' extends BackendOf<O>
  ? [BackendOf<O>] extends ['onnx']
    ? AsyncCompiled<Compiled<F, O>>
    : Compiled<F, O> | AsyncCompiled<Compiled<F, O>>
  : Compiled<F, O>;

/** The Funs as a list of roots, and how to give results back in their shape. */
export interface Outputs {
  readonly funs: readonly Fun<string>[];
  /** undefined: one Fun; else the keys of a record, or null for an array. */
  readonly keys: readonly string[] | null | undefined;
}

export function outputsOf(f: unknown, operation: string): Outputs {
  if (f instanceof Fun) return { funs: [f], keys: undefined };
  if (Array.isArray(f)) {
    f.forEach((g, i) => {
      if (!(g instanceof Fun)) throw new TypegradError(`${operation}: element ${i} must be a Fun, got ${describeValue(g)}`);
    });
    if (f.length === 0) throw new TypegradError(`${operation}: expected at least one Fun, got an empty array`);
    return { funs: f, keys: null };
  }
  if (f !== null && typeof f === 'object') {
    const keys = Object.keys(f);
    const funs = keys.map((k) => (f as Record<string, unknown>)[k]);
    funs.forEach((g, i) => {
      if (!(g instanceof Fun)) throw new TypegradError(`${operation}: entry '${keys[i]}' must be a Fun, got ${describeValue(g)}`);
    });
    if (keys.length === 0) throw new TypegradError(`${operation}: expected at least one Fun, got an empty record`);
    return { funs: funs as Fun<string>[], keys };
  }
  throw new TypegradError(`${operation}: expected a Fun, or an array or record of Funs, got ${describeValue(f)}`);
}

/** Results in the shape of the compiled Funs. */
function shaped<T>(outputs: Outputs, values: readonly T[]): unknown {
  if (outputs.keys === undefined) return values[0];
  if (outputs.keys === null) return values;
  return recordOf(outputs.keys.map((k, i) => [k, values[i]!]));
}

export interface Program {
  readonly inputs: Node[];
  /** Declared variables that simplification removed from the Funs: any well-formed value binds them. */
  readonly absent: ReadonlySet<string>;
  readonly names: string[];
  readonly declared: ReadonlySet<string>;
}

export function programInputs(funs: readonly Fun<string>[], args: readonly Fun<string>[] | undefined): Program {
  const free = freeVariables(funs.map((f) => f.node));
  // Each distinct declared set once (the partials of one gradient share theirs).
  const declared = new Set<string>();
  const sets = new Set(funs.map((f) => Fun.declaredSet(f)));
  for (const set of sets) for (const n of set.names) declared.add(n);
  if (args === undefined) {
    const names = [...declared].sort();
    // A declared variable that simplification removed is still an input, of its declared shape.
    const declaredNode = (n: string) => funs.map((f) => Fun.declaredSet(f).map.get(n)).find((v) => v !== undefined) ?? variableNode(n);
    return { names, declared, absent: new Set(names.filter((n) => !free.has(n))), inputs: names.map((n) => free.get(n) ?? declaredNode(n)) };
  }
  if (!Array.isArray(args)) throw new TypegradError(`compile: options.args must be an array of variables, got ${describeValue(args)}`);
  const inputs = args.map((a) => variableOf(a, 'compile'));
  const names = inputs.map((v) => v.name);
  const listed = new Set(names);
  if (listed.size < names.length) {
    const duplicate = names.find((n, i) => names.indexOf(n) !== i)!;
    throw new TypegradError(`compile: variable '${duplicate}' is listed twice in args`);
  }
  const missing = [...declared].filter((n) => !listed.has(n));
  if (missing.length > 0) throw new TypegradError(`compile: args must list every variable of the function; missing ${missing.map((n) => `'${n}'`).join(', ')}`);
  for (const v of inputs) {
    const other = free.get(v.name);
    if (other !== undefined && other !== v) throw new TypegradError(`compile: variable '${v.name}' in args has another shape than in the function`);
  }
  return { names, declared: listed, absent: new Set(names.filter((n) => !free.has(n))), inputs };
}

/**
 * Compiles a Fun, or an array or record of Funs (as one program: shared nodes computed once),
 * to a function specialised to it (see `toSource`). Every compile builds one plan (the program
 * layer, `src/program`) that the chosen backend renders.
 *
 * - `compile(z)({ x: 1, y: 2 })`: bindings in, a number out (an array or record for several Funs).
 * - `compile(z, { args: [x, y] })(1, 2)`: positional values.
 * - `compile(z, { batch: true })({ x: xs, y: ys }, out?)`: columns (`Float64Array`, `Float32Array`
 *   or arrays of numbers, all one length) in, one loop over the points, a column per Fun out;
 *   pass `out` (same shape as the Funs) to write into your own columns instead of new ones. A
 *   vector or matrix variable's column holds its flat values point after point, and so does a
 *   vector or matrix Fun's result column.
 * - `{ backend: 'tfjs' | 'gpu' }`: evaluate on that backend in float32, after
 *   `await initBackend(name)` (or use `compileAsync`).
 * - `{ backend: 'wasm', precision?: 'float32' | 'float64', threads?: n }`: one WebAssembly module
 *   with SIMD kernels (float64 unless asked), its large matrix products split across worker
 *   threads, after `await initBackend('wasm')`; in a browser's main thread use `compileAsync`.
 * - `{ backend: 'onnx' }`: the program as an ONNX model run by ONNX Runtime (float32), after
 *   `await initBackend('onnx')`; its API is asynchronous, so the compiled function returns a
 *   Promise of the results and has `dispose()` (see `AsyncCompiled`).
 * - every compiled function has `dispose()`: it releases what the engine holds for the program
 *   (gpu kernels and textures, tfjs constant tensors, the ONNX Runtime session; nothing on js),
 *   and a later call is a TypegradError. One never disposed is released once it is collected.
 *
 * Vectors, matrices and tensors of any rank:
 * - inputs: a scalar variable takes a number; a tensor variable a nested array (`number[]`,
 *   `number[][]`, ...) or its flat row-major `Float64Array` (the fast path: taken as is, never
 *   copied). Shapes are checked: a wrong one is a TypegradError naming the variable and both shapes.
 * - outputs: a number per scalar Fun; a flat row-major `Float64Array` per tensor Fun
 *   (`Float32Array` on tfjs and gpu). By default each call returns fresh arrays the caller owns;
 *   with `{ reuseOutputs: true }` it returns the same arrays at every call, overwritten by the
 *   next call, and allocates nothing.
 * - on js, every intermediate tensor is preallocated once at compile time and reused by every
 *   call; on tfjs the program runs inside one `tf.tidy`.
 *
 * @example compile([f, g.x, g.y], { batch: true })({ x: xs, y: ys }) // [f(xs, ys), ∂f/∂x, ∂f/∂y]
 */
export function compile<const F extends Funs, const O extends CompileOptions = {}>(f: F, options?: O): CompiledFor<F, O>;
export function compile(f: unknown, options?: CompileOptions): unknown {
  const prepared = prepare(f, options);
  const executable = prepared.backend.render(prepared.plan);
  return finish(prepared, executable, options);
}

/** The plan of a compile and what its compiled function needs. */
function prepare(f: unknown, options: CompileOptions | undefined) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypegradError(`compile: options must be an object, got ${describeValue(options)}`);
  }
  const outputs = outputsOf(f, 'compile');
  const program = programInputs(outputs.funs, options?.args);
  const backend = configureBackend(backendFor(options?.backend ?? currentContext().backend, 'compile'), options, 'compile');
  const roots = outputs.funs.map((g) => g.node);
  const plan = buildPlan(roots, program.inputs, { name: backend.info.backend, lowers: (op) => backend.lowers(op) }, { batch: options?.batch === true });
  return { outputs, program, backend, plan };
}

function finish(prepared: ReturnType<typeof prepare>, executable: Executable | AsyncExecutable, options: CompileOptions | undefined): unknown {
  return compiledFunction(prepared.backend, executable, prepared.program, prepared.outputs, options?.args !== undefined, options?.batch === true, options?.reuseOutputs === true);
}

/**
 * `compile` after `initBackend(options.backend)`: the way to compile for tfjs, gpu or wasm in one
 * step. On wasm the module is compiled asynchronously (what a browser's main thread requires).
 */
export async function compileAsync<const F extends Funs, const O extends CompileOptions = {}>(f: F, options?: O): Promise<CompiledFor<F, O>> {
  await initBackend(options?.backend ?? currentContext().backend);
  const prepared = prepare(f, options);
  const backend = prepared.backend;
  const executable = backend.renderAsync !== undefined ? await backend.renderAsync(prepared.plan) : backend.render(prepared.plan);
  return finish(prepared, executable, options) as CompiledFor<F, O>;
}

const OPERATION = 'compiled function';

function bindingsRecord(bindings: unknown, operation: string): Record<string, unknown> {
  if (bindings === null || typeof bindings !== 'object' || Array.isArray(bindings)) {
    throw new TypegradError(`${operation}: expected an object of variable bindings, got ${describeValue(bindings)}`);
  }
  return bindings as Record<string, unknown>;
}

function checkNoUnknown(record: Record<string, unknown>, program: Program, operation: string): void {
  for (const key of Object.keys(record)) if (!program.declared.has(key)) throw unknownVariable(operation, key, program.declared);
}

function isColumn(value: unknown): value is Column {
  return value instanceof Float64Array || value instanceof Float32Array || Array.isArray(value);
}

/** Checks one input column: a float typed array, or an array whose elements are all numbers. */
function checkColumn(value: unknown, name: string): Column {
  if (!isColumn(value)) {
    throw new TypegradError(`${OPERATION} (batch): variable '${name}' must be bound to a Float64Array, a Float32Array or an array of numbers, got ${describeValue(value)}`);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] !== 'number') {
        throw new TypegradError(`${OPERATION} (batch): variable '${name}' must hold numbers, got ${i in value ? describeValue(value[i]) : 'a hole (a sparse array)'} at index ${i}`);
      }
    }
  }
  return value;
}

/**
 * The number of points of a batch: every column holds one value per point (a tensor variable's
 * column, its `size` values per point); an error names two variables whose counts differ.
 */
function pointCount(columns: readonly Column[], program: Program): number {
  let n: number | undefined;
  let first = 0;
  const described = (j: number, count: number) => {
    const size = elementCount(program.inputs[j]!.shape);
    return `length ${columns[j]!.length}${size > 1 ? ` (${count} point(s) of ${describeShape(program.inputs[j]!.shape)})` : ''}`;
  };
  for (let j = 0; j < columns.length; j++) {
    const size = elementCount(program.inputs[j]!.shape);
    const name = program.names[j]!;
    const length = columns[j]!.length;
    if (length % size !== 0) {
      throw new TypegradError(`${OPERATION} (batch): column '${name}' has length ${length}, which is not a whole number of points of ${describeShape(program.inputs[j]!.shape)} (${size} values each)`);
    }
    const count = length / size;
    if (n === undefined) {
      n = count;
      first = j;
    } else if (count !== n) {
      throw new TypegradError(`${OPERATION} (batch): column '${name}' has ${described(j, count)}, but column '${program.names[first]}' has ${described(first, n)}; every column needs one value per point`);
    }
  }
  return n ?? 1;
}

/** The caller's output columns in root order, checked against `n`, or new ones. */
function outputColumns(out: unknown, outputs: Outputs, n: number, backend: Backend): OutputColumn[] {
  const count = outputs.funs.length;
  const lengths = outputs.funs.map((f) => n * elementCount(f.node.shape));
  if (out === undefined) {
    const fresh: OutputColumn[] = new Array(count);
    for (let k = 0; k < count; k++) fresh[k] = backend.allocate(lengths[k]!);
    return fresh;
  }
  let columns: unknown[];
  let labels: string[];
  if (outputs.keys === undefined) {
    columns = [out];
    labels = ['out'];
  } else if (outputs.keys === null) {
    if (!Array.isArray(out) || out.length !== count) throw new TypegradError(`${OPERATION} (batch): out must be an array of ${count} columns, got ${describeValue(out)}`);
    columns = out;
    labels = columns.map((_, k) => `out[${k}]`);
  } else {
    if (out === null || typeof out !== 'object') throw new TypegradError(`${OPERATION} (batch): out must be a record of columns, got ${describeValue(out)}`);
    labels = outputs.keys.map((k) => `out.${k}`);
    columns = outputs.keys.map((k) => (Object.hasOwn(out, k) ? (out as Record<string, unknown>)[k] : undefined));
  }
  columns.forEach((c, k) => {
    if (!(c instanceof Float64Array || c instanceof Float32Array)) {
      throw new TypegradError(`${OPERATION} (batch): ${labels[k]} must be a Float64Array or a Float32Array, got ${describeValue(c)}`);
    }
    if (c.length !== lengths[k]) {
      const shape = outputs.funs[k]!.node.shape;
      const expected = shape.length === 0 ? `the input columns have length ${n}` : `it needs ${n} point(s) of ${describeShape(shape)} (${lengths[k]} values)`;
      throw new TypegradError(`${OPERATION} (batch): ${labels[k]} has length ${c.length}, but ${expected}`);
    }
  });
  return columns as OutputColumn[];
}

/**
 * The compiled function around an executable, for every mode: it takes bindings or positional
 * values, checks each against its variable (a precise TypegradError otherwise), runs the
 * program, and gives the results back in the shape of the compiled Funs.
 */
function compiledFunction(backend: Backend, executable: Executable | AsyncExecutable, program: Program, outputs: Outputs, positional: boolean, batch: boolean, reuse: boolean): unknown {
  const { names, inputs } = program;
  const operation = batch ? `${OPERATION} (batch)` : OPERATION;
  const values: (number | ArrayLike<number>)[] = new Array(inputs.length);
  const bind = (value: unknown, j: number, label: string) => {
    if (batch) {
      values[j] = checkColumn(value, names[j]!);
      return;
    }
    const variable = inputs[j]!;
    if (program.absent.has(names[j]!)) {
      toFlat(value, undefined, names[j]!, OPERATION); // checked, then unused
      values[j] = 0;
    } else if (variable.shape.length === 0) {
      if (typeof value !== 'number') throw new TypegradError(`${OPERATION}: ${label} must be ${positional ? 'a number' : 'bound to a number'}, got ${describeValue(value)}`);
      values[j] = value;
    } else {
      values[j] = toFlat(value, variable.shape, names[j]!, OPERATION);
    }
  };
  const owned: (OutputColumn | undefined)[] = outputs.funs.map(() => undefined);
  const results: unknown[] = new Array(outputs.funs.length);
  const evaluate = (out: unknown): unknown => {
    if (batch) {
      const columns = values as Column[];
      const n = pointCount(columns, program);
      const target = outputColumns(out, outputs, n, backend);
      const done = executable.runBatch(n, columns, target);
      const result = out ?? shaped(outputs, target);
      return done === undefined ? result : done.then(() => result);
    }
    if ('asynchronous' in executable) return executable.run(values).then((r) => collect((k) => r[k]!));
    executable.run(values);
    return collect((k) => executable.result(k));
  };
  /** The point results in the shape of the Funs, from each root's result. */
  const collect = (read: (k: number) => number | FloatArray): unknown => {
    for (let k = 0; k < results.length; k++) {
      const r = read(k);
      if (typeof r === 'number') results[k] = r;
      else if (!reuse) results[k] = r.slice();
      else {
        const target = (owned[k] ??= r instanceof Float32Array ? new Float32Array(r.length) : new Float64Array(r.length));
        target.set(r);
        results[k] = target;
      }
    }
    return outputs.keys === null ? results.slice() : shaped(outputs, results);
  };
  const lifetime = new ProgramLifetime(executable);
  /** A call of a disposed program: a TypegradError (a rejected Promise on an asynchronous engine). */
  const refused = (): unknown => {
    const error = lifetime.refusal(operation);
    if (error === undefined) return undefined;
    if ('asynchronous' in executable) return Promise.reject(error);
    throw error;
  };
  if (positional) {
    return lifetime.attach((...args: unknown[]) => {
      const refusal = refused();
      if (refusal !== undefined) return refusal;
      const withOut = batch && args.length === names.length + 1;
      if (args.length !== names.length && !withOut) {
        const what = batch ? `${names.length} column(s) (${names.join(', ')}) and an optional out` : `${names.length} argument(s) (${names.join(', ')})`;
        throw new TypegradError(`${operation} takes ${what}, got ${args.length} argument(s)`);
      }
      for (let j = 0; j < names.length; j++) bind(args[j], j, `argument ${j + 1} ('${names[j]}')`);
      return evaluate(withOut ? args[names.length] : undefined);
    });
  }
  return lifetime.attach((bindings: unknown, out?: unknown) => {
    const refusal = refused();
    if (refusal !== undefined) return refusal;
    const record = bindingsRecord(bindings, operation);
    for (let j = 0; j < names.length; j++) {
      const name = names[j]!;
      if (!Object.hasOwn(record, name)) {
        const shape = inputs[j]!.shape;
        const what = batch ? 'column' : 'value';
        throw new TypegradError(`${operation}: missing ${what} for variable '${name}'${shape.length > 0 ? ` (a ${describeShape(shape)}, ${elementCount(shape)} values${batch ? ' per point' : ''})` : ''}`);
      }
      bind(record[name], j, `variable '${name}'`);
    }
    checkNoUnknown(record, program, operation);
    return evaluate(out);
  });
}

/** Options of `toSource`. */
export interface SourceOptions {
  readonly args?: readonly AnyRankFun[];
  /** The batch program (one loop over the points) instead of the point one. */
  readonly batch?: boolean;
}

/**
 * The JavaScript source `compile` generates for a Fun (or an array or record of Funs): one
 * `const` per operation in topological order, parameters `x0, x1, ...` in the order of the
 * sorted variable names (or of `options.args`). For a tensor program: the arrays (inputs,
 * constants, scratch) and results, then its chunk functions, one commented loop nest per step.
 */
export function toSource(f: Funs, options?: SourceOptions): string {
  const outputs = outputsOf(f, 'toSource');
  const { inputs } = programInputs(outputs.funs, options?.args);
  const roots = outputs.funs.map((g) => g.node);
  const plan = buildPlan(roots, inputs, { name: 'js', lowers: (op) => jsBackend.lowers(op) }, { batch: options?.batch === true });
  return renderJs(plan).source;
}
