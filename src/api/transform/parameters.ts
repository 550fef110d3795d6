/**
 * The parameter names of a JavaScript function, read from its source (`fn.toString()`): arrow
 * functions, function expressions and declarations, generators and methods. Only plain
 * identifiers are accepted; a destructured, defaulted or rest parameter is an error asking for
 * explicit names, since it has no single name to give a variable.
 */
import { TypegradError } from '../../ad/errors.js';

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;
const IDENTIFIER_PREFIX = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*/u;

/** `source` from `i` on, after whitespace and comments. */
function skipBlank(source: string, i: number): number {
  for (;;) {
    while (i < source.length && /\s/u.test(source[i]!)) i++;
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i + 2);
      i = end < 0 ? source.length : end + 1;
    } else return i;
  }
}

/** The index just after the keyword `word` at `i` (followed by a non-identifier character), or -1. */
function keywordAt(source: string, i: number, word: string): number {
  if (!source.startsWith(word, i)) return -1;
  const next = source[i + word.length];
  return next !== undefined && /[\p{ID_Continue}$]/u.test(next) ? -1 : i + word.length;
}

/** The text between the brackets opening at `open` (comments removed), and the index after the closing one. */
function parenthesised(source: string, open: number): { text: string; end: number } {
  let text = '';
  let depth = 0;
  for (let i = open; i < source.length; ) {
    const j = skipBlank(source, i);
    if (j !== i) {
      text += ' ';
      i = j;
      continue;
    }
    const c = source[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return { text: text.slice(1), end: i + 1 };
    }
    text += c;
    i++;
  }
  throw new TypegradError('trace: could not read the parameter list of the function; pass options.names');
}

/** Where the parameter list starts: the index of its `(`, or the single unparenthesised arrow parameter. */
function parameterList(source: string): { open: number } | { single: string } {
  let i = skipBlank(source, 0);
  const afterAsync = keywordAt(source, i, 'async');
  if (afterAsync >= 0 && /^\s*(?:[\p{ID_Start}$_(*[]|function\b)/u.test(source.slice(afterAsync))) {
    throw new TypegradError('trace: the function is async; trace runs it once on symbols and needs its result now, so pass a synchronous function');
  }
  if (keywordAt(source, i, 'class') >= 0) throw new TypegradError('trace: expected a function, got a class');
  const afterFunction = keywordAt(source, i, 'function');
  if (afterFunction >= 0) i = afterFunction;
  i = skipBlank(source, i);
  if (source[i] === '*') i = skipBlank(source, i + 1);
  if (source[i] === '(') return { open: i };
  if (source[i] === '[') {
    // A method with a computed name: skip the name.
    i = skipBlank(source, parenthesised(source, i).end);
  } else {
    const name = IDENTIFIER_PREFIX.exec(source.slice(i))?.[0];
    if (name === undefined) throw new TypegradError('trace: could not read the parameter list of the function; pass options.names');
    const after = skipBlank(source, i + name.length);
    if (afterFunction < 0 && source.startsWith('=>', after)) return { single: name };
    i = after;
  }
  if (source[i] !== '(') throw new TypegradError('trace: could not read the parameter list of the function; pass options.names');
  return { open: i };
}

/** Wrappers that take the parameters of another function (`customJvp`'s), and that function. */
const wrapped = new WeakMap<Function, Function>();

/** Declares that `wrapper` takes the parameters of `original`: its parameter names are read from there. */
export function sameParameters(wrapper: Function, original: Function): void {
  wrapped.set(wrapper, original);
}

/**
 * The names of `fn`'s parameters, each a plain identifier.
 * @example parameterNames((x, y) => x.mul(y)) // ['x', 'y']
 */
export function parameterNames(fn: Function): string[] {
  const original = wrapped.get(fn);
  if (original !== undefined) return parameterNames(original);
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/u.test(source)) {
    throw new TypegradError('trace: the function is native or bound, so its parameter names cannot be read; pass options.names');
  }
  const list = parameterList(source);
  if ('single' in list) return [list.single];
  const text = parenthesised(source, list.open).text.trim();
  if (text === '') return [];
  const parts = text.split(',').map((p) => p.trim());
  if (parts[parts.length - 1] === '') parts.pop(); // a trailing comma
  for (const part of parts) {
    if (!IDENTIFIER.test(part)) {
      const kind = part.startsWith('...') ? 'a rest parameter' : part.startsWith('{') || part.startsWith('[') ? 'a destructured parameter' : part.includes('=') ? 'a parameter with a default value' : 'a parameter that is not a plain identifier';
      throw new TypegradError(`trace: cannot name a variable after ${kind} (${part}); pass the names explicitly: trace(fn, { names: [...] })`);
    }
  }
  return parts;
}
