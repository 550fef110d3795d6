/** `compile`: a Fun to a fast JavaScript function, through the staged JS backend. */
import { TypegradError } from '../ad/errors.js';
import { variableNode, type Node } from '../ad/node.js';
import { freeVariables } from '../ad/variables.js';
import { compileJs, jsSource } from '../backend/js.js';
import { bindNumbers, SFun, unknownVariable, variableNodeOf, type Bindings } from './scalar.js';
import { describeValue } from './record.js';

/** Options of `compile`. */
export interface CompileOptions<A extends readonly SFun<string>[]> {
  /** Positional parameters: the compiled function takes one number per variable, in this order. */
  readonly args: A;
}

interface Program {
  readonly inputs: Node[];
  readonly names: string[];
}

function programInputs(f: SFun<string>, args: readonly SFun<string>[] | undefined): Program {
  if (!(f instanceof SFun)) throw new TypegradError(`compile: expected a scalar Fun, got ${describeValue(f)}`);
  const free = freeVariables([f.node]);
  const declared = SFun.declaredVariables(f);
  if (args === undefined) {
    const names = f.variables.slice();
    return { names, inputs: names.map((n) => free.get(n) ?? variableNode(n)) };
  }
  if (!Array.isArray(args)) throw new TypegradError(`compile: options.args must be an array of variables, got ${describeValue(args)}`);
  const inputs = args.map((a) => variableNodeOf(a, 'compile'));
  const names = inputs.map((v) => v.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new TypegradError(`compile: variable '${duplicate}' is listed twice in args`);
  const missing = [...declared].filter((n) => !names.includes(n));
  if (missing.length > 0) throw new TypegradError(`compile: args must list every variable of the function; missing ${missing.map((n) => `'${n}'`).join(', ')}`);
  for (const v of inputs) {
    const other = free.get(v.name);
    if (other !== undefined && other !== v) throw new TypegradError(`compile: variable '${v.name}' in args has another shape than in the function`);
  }
  return { names, inputs };
}

/**
 * Compiles a scalar Fun to a JavaScript function specialised to it (see `toSource`).
 * Called with one object of bindings, or, with `{ args: [x, y] }`, with positional numbers.
 * @example compile(z)({ x: 1, y: 2 }); compile(z, { args: [x, y] })(1, 2)
 */
export function compile<V extends string>(f: SFun<V>): (bindings: Bindings<V>) => number;
export function compile<V extends string, const A extends readonly SFun<string>[]>(
  f: SFun<V>,
  options: CompileOptions<A>,
): (...values: { [K in keyof A]: number }) => number;
export function compile(f: SFun<string>, options?: CompileOptions<readonly SFun<string>[]>): (...values: never[]) => number {
  const { inputs, names } = programInputs(f, options?.args);
  const program = compileJs([f.node], inputs) as (...values: number[]) => number;
  if (options?.args !== undefined) {
    return (...values: unknown[]) => {
      if (values.length !== names.length) {
        throw new TypegradError(`compiled function takes ${names.length} argument(s) (${names.join(', ')}), got ${values.length}`);
      }
      for (let i = 0; i < values.length; i++) {
        if (typeof values[i] !== 'number') {
          throw new TypegradError(`compiled function: argument ${i + 1} ('${names[i]}') must be a number, got ${describeValue(values[i])}`);
        }
      }
      return program(...(values as number[]));
    };
  }
  const declared = SFun.declaredVariables(f);
  return (bindings: unknown) => {
    if (bindings === null || typeof bindings !== 'object') bindNumbers(f, bindings, 'compiled function');
    const record = bindings as Record<string, unknown>;
    const values: number[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const value = Object.hasOwn(record, names[i]!) ? record[names[i]!] : undefined;
      if (typeof value !== 'number') return program(...bindNumbersOrder(f, bindings, names));
      values[i] = value;
    }
    for (const key in record) if (!declared.has(key)) throw unknownVariable('compiled function', key, declared);
    return program(...values);
  };
}

/** The slow path of a bad call: `bindNumbers` throws the precise error. */
function bindNumbersOrder(f: SFun<string>, bindings: unknown, names: readonly string[]): number[] {
  const environment = bindNumbers(f, bindings, 'compiled function');
  return names.map((n) => environment.get(n)!);
}

/**
 * The JavaScript source `compile` generates for a Fun: one `const` per operation in topological
 * order, parameters `x0, x1, ...` in the order of `f.variables` (or of `options.args`).
 */
export function toSource(f: SFun<string>, options?: CompileOptions<readonly SFun<string>[]>): string {
  const { inputs } = programInputs(f, options?.args);
  return jsSource([f.node], inputs);
}
