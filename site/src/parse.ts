/**
 * The playground's expression parser: text in x and y to a typegrad `SFun<'x' | 'y'>`, built
 * with typegrad's own operations (the library has no parser). Nothing is evaluated as code:
 * names are looked up in a fixed table, so `constructor`, `__proto__` or `alert(1)` are unknown
 * names, never calls.
 *
 * Grammar: numbers (`2`, `0.5`, `1e-3`), `x`, `y`, `pi`, `e`; `+ - * / ^` (also `**`) with the
 * usual precedence, `^` right-associative and binding tighter than a leading minus
 * (`-x^2` is −(x²)); implicit multiplication (`2x`, `3 sin(x)`, `(x+1)(x-1)`); function calls
 * from the table below. The parser is shunting-yard, iterative, so a deeply nested input cannot
 * overflow the stack.
 */
import {
  Const, Var, abs, acos, asin, atan, atan2, cbrt, ceil, cos, cosh, erf, erfc, exp, expm1, floor, heaviside, hypot, ln, log,
  log1p, maximum, minimum, pi, relu, round, sigmoid, sign, sin, sinh, softplus, sqrt, tan, tanh, type SFun,
} from 'typegrad';

/** A function of the playground's two variables. */
export type Expression = SFun<'x' | 'y'>;

/** Inputs longer than this are refused (a page, not a computer algebra system). */
export const MAX_INPUT_LENGTH = 1000;

type Unary = (a: Expression) => Expression;
type Binary = (a: Expression, b: Expression) => Expression;

const as = <F>(f: unknown) => f as F;

/** The functions a user may call, by name: one argument, or two. */
const UNARY: Readonly<Record<string, Unary>> = {
  sin: as(sin), cos: as(cos), tan: as(tan), asin: as(asin), acos: as(acos), atan: as(atan),
  sinh: as(sinh), cosh: as(cosh), tanh: as(tanh), exp: as(exp), ln: as(ln), log: as(ln), sqrt: as(sqrt), cbrt: as(cbrt),
  abs: as(abs), sigmoid: as(sigmoid), relu: as(relu), softplus: as(softplus), sign: as(sign), heaviside: as(heaviside),
  floor: as(floor), ceil: as(ceil), round: as(round), expm1: as(expm1), log1p: as(log1p), erf: as(erf), erfc: as(erfc),
};
const BINARY: Readonly<Record<string, Binary>> = {
  atan2: as(atan2), hypot: as(hypot), max: as(maximum), min: as(minimum),
  pow: (a, b) => a.pow(b), log: (a, b) => as<Binary>(log)(a, b),
};

const x = Var('x'), y = Var('y');
/** Names that are values: the variables and two constants. */
const NAMES: Readonly<Record<string, () => Expression>> = {
  x: () => x as Expression,
  y: () => y as Expression,
  pi: () => pi as unknown as Expression,
  e: () => exp(Const(1)) as unknown as Expression,
};

/** Binary operators: precedence and associativity. */
const OPERATORS: Readonly<Record<string, { readonly precedence: number; readonly right: boolean; readonly apply: Binary }>> = {
  '+': { precedence: 1, right: false, apply: (a, b) => a.add(b) },
  '-': { precedence: 1, right: false, apply: (a, b) => a.sub(b) },
  '*': { precedence: 2, right: false, apply: (a, b) => a.mul(b) },
  '/': { precedence: 2, right: false, apply: (a, b) => a.div(b) },
  '^': { precedence: 4, right: true, apply: (a, b) => a.pow(b) },
};
/** A leading minus binds tighter than `*` and looser than `^`. */
const NEGATION_PRECEDENCE = 3;

type Token =
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'name'; readonly name: string; readonly at: number }
  | { readonly kind: 'symbol'; readonly symbol: string; readonly at: number };

/** Where a parse failed: the message names the position (0-based) and what was found. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  /** 0-based position in the input. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at position ${position + 1})`);
    this.position = position;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (match === null) throw new ParseError(`'${c}' does not start a number`, i);
      tokens.push({ kind: 'number', value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = /^[A-Za-z_][A-Za-z_0-9]*/.exec(text.slice(i))![0];
      tokens.push({ kind: 'name', name, at: i });
      i += name.length;
    } else if (text.startsWith('**', i)) {
      tokens.push({ kind: 'symbol', symbol: '^', at: i });
      i += 2;
    } else if ('+-*/^(),'.includes(c)) {
      tokens.push({ kind: 'symbol', symbol: c, at: i });
      i++;
    } else {
      throw new ParseError(`unexpected character '${c}'`, i);
    }
  }
  return tokens;
}

type Pending =
  | { readonly kind: 'binary'; readonly symbol: string; readonly at: number }
  | { readonly kind: 'negate'; readonly at: number }
  | { readonly kind: 'paren'; readonly at: number }
  | { kind: 'call'; readonly name: string; readonly at: number; args: number };

/**
 * Parses an expression in x and y into a typegrad Fun.
 * @example String(parseExpression('x^2 sin(y)')) // 'x ^ 2 * sin(y)'
 */
export function parseExpression(text: string): Expression {
  if (typeof text !== 'string') throw new ParseError('expected a string', 0);
  if (text.length > MAX_INPUT_LENGTH) throw new ParseError(`the expression is longer than ${MAX_INPUT_LENGTH} characters`, MAX_INPUT_LENGTH);
  const tokens = tokenize(text);
  const values: Expression[] = [];
  const pending: Pending[] = [];

  const precedenceOf = (p: Pending) => (p.kind === 'negate' ? NEGATION_PRECEDENCE : p.kind === 'binary' ? OPERATORS[p.symbol]!.precedence : -1);
  const apply = (p: Pending) => {
    if (p.kind === 'negate') values.push(values.pop()!.neg());
    else if (p.kind === 'binary') {
      const b = values.pop()!, a = values.pop()!;
      values.push(OPERATORS[p.symbol]!.apply(a, b));
    }
  };
  /** Applies pending operators that bind at least as tightly as an incoming one of `precedence`. */
  const reduce = (precedence: number, right: boolean) => {
    while (pending.length > 0) {
      const top = pending[pending.length - 1]!;
      const p = precedenceOf(top);
      if (p < 0 || p < precedence || (p === precedence && right)) break;
      apply(pending.pop()!);
    }
  };
  /** Applies everything down to the innermost open parenthesis or call, and returns it. */
  const reduceToOpen = (): Pending | undefined => {
    while (pending.length > 0 && precedenceOf(pending[pending.length - 1]!) >= 0) apply(pending.pop()!);
    return pending[pending.length - 1];
  };

  let expectOperand = true;
  let k = 0;
  while (k < tokens.length) {
    const token = tokens[k]!;
    if (expectOperand) {
      k++;
      if (token.kind === 'number') {
        values.push(Const(token.value) as unknown as Expression);
        expectOperand = false;
      } else if (token.kind === 'name') {
        const next = tokens[k];
        if (next?.kind === 'symbol' && next.symbol === '(') {
          if (!Object.hasOwn(UNARY, token.name) && !Object.hasOwn(BINARY, token.name)) throw new ParseError(`unknown function '${token.name}'`, token.at);
          pending.push({ kind: 'call', name: token.name, at: token.at, args: 1 });
          k++;
        } else {
          if (!Object.hasOwn(NAMES, token.name)) {
            const hint = Object.hasOwn(UNARY, token.name) || Object.hasOwn(BINARY, token.name) ? ` (a function: write ${token.name}(…))` : ' (the variables are x and y)';
            throw new ParseError(`unknown name '${token.name}'${hint}`, token.at);
          }
          values.push(NAMES[token.name]!());
          expectOperand = false;
        }
      } else if (token.symbol === '(') {
        pending.push({ kind: 'paren', at: token.at });
      } else if (token.symbol === '-') {
        pending.push({ kind: 'negate', at: token.at });
      } else if (token.symbol !== '+') {
        throw new ParseError(`expected a number, x, y, a function or '(', got '${token.symbol}'`, token.at);
      }
      continue;
    }
    // After an operand: an operator, a closing parenthesis, a comma, or an implicit product.
    if (token.kind !== 'symbol' || token.symbol === '(') {
      reduce(OPERATORS['*']!.precedence, false);
      pending.push({ kind: 'binary', symbol: '*', at: token.at });
      expectOperand = true;
      continue;
    }
    k++;
    if (Object.hasOwn(OPERATORS, token.symbol)) {
      const operator = OPERATORS[token.symbol]!;
      reduce(operator.precedence, operator.right);
      pending.push({ kind: 'binary', symbol: token.symbol, at: token.at });
      expectOperand = true;
    } else if (token.symbol === ',') {
      const open = reduceToOpen();
      if (open?.kind !== 'call') throw new ParseError(`',' outside a function's arguments`, token.at);
      open.args++;
      expectOperand = true;
    } else {
      const open = reduceToOpen();
      if (open === undefined) throw new ParseError(`')' without a matching '('`, token.at);
      pending.pop();
      if (open.kind === 'call') values.push(call(open.name, values.splice(values.length - open.args), open.at));
    }
  }
  if (expectOperand) throw new ParseError(tokens.length === 0 ? 'the expression is empty' : 'the expression ends too early', text.length);
  while (pending.length > 0) {
    const top = pending.pop()!;
    if (top.kind === 'paren' || top.kind === 'call') throw new ParseError(`'(' is never closed`, top.at);
    apply(top);
  }
  return values[0]!;
}

function call(name: string, args: Expression[], at: number): Expression {
  if (args.length === 1 && Object.hasOwn(UNARY, name)) return UNARY[name]!(args[0]!);
  if (args.length === 2 && Object.hasOwn(BINARY, name)) return BINARY[name]!(args[0]!, args[1]!);
  const arities = [Object.hasOwn(UNARY, name) ? 1 : undefined, Object.hasOwn(BINARY, name) ? 2 : undefined].filter((n) => n !== undefined);
  throw new ParseError(`${name} takes ${arities.join(' or ')} argument${arities.at(-1) === 1 ? '' : 's'}, got ${args.length}`, at);
}

/** The names the parser knows, for the page's help line. */
export const KNOWN_FUNCTIONS: readonly string[] = [...new Set([...Object.keys(UNARY), ...Object.keys(BINARY)])];
