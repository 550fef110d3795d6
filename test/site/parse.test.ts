/**
 * The playground's parser (site/src/parse.ts): what it reads is what typegrad prints. Random
 * expressions over every scalar function are printed by `String` and parsed back; the parsed
 * Fun must agree with the original at random points. The parser builds with the package (the
 * page's `typegrad`), the oracle is built from the sources: two separate DAGs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, Var } from '../../src/index.js';
import { MAX_INPUT_LENGTH, ParseError, parseExpression } from '../../site/src/parse.js';
import { buildFun, pointArbitrary, treeArbitrary, variables } from '../support/expressions.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const x = Var('x'), y = Var('y');

/** The value of parsed text at a point (+ 0·x + 0·y declares both variables, as the page's `compile` args do). */
const parsedAt = (text: string, at: { x: number; y: number }) => parseExpression(`(${text}) + 0 x + 0 y`).eval(at);

describe('the playground parser', () => {
  it('reads back what typegrad prints, to the same values', () => {
    fc.assert(
      fc.property(treeArbitrary(4), pointArbitrary, (tree, point) => {
        // The page has x and y: the generator's z becomes x + y.
        const f = buildFun(tree).at({ z: variables.x.add(variables.y) });
        const expected = compile(f, { args: [x, y] })(point.x, point.y) as number;
        const actual = parsedAt(String(f), { x: point.x, y: point.y });
        if (Number.isNaN(expected)) expect(actual).toBeNaN();
        else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
      }),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['-x^2', -4], ['2^-x', 0.25], ['x^3^2', 2 ** 9], ['x ** 2', 4], ['2x', 4], ['3 x y', 18], ['(x + 1)(x - 1)', 3],
    ['x / 2 y', 3], ['1e-1x', 0.2], ['--x', 2], ['+x', 2], ['atan2(y, x)', Math.atan2(3, 2)], ['log(8, 2)', 3], ['max(x, y) - min(x, y)', 1],
    ['pi', Math.PI], ['e', Math.E], ['sin(x)^2 + cos(x)^2', 1],
  ])('%s at (2, 3) is %d', (text, value) => {
    expect(parsedAt(text, { x: 2, y: 3 })).toBeCloseTo(value, 12);
  });

  it.each([
    ['', 'the expression is empty', 0],
    ['x +', 'the expression ends too early', 3],
    ['(x', "'(' is never closed", 0],
    ['x)', "')' without a matching '('", 1],
    ['sin', "unknown name 'sin' (a function: write sin(…))", 0],
    ['z', "unknown name 'z' (the variables are x and y)", 0],
    ['foo(x)', "unknown function 'foo'", 0],
    ['max(x)', 'max takes 2 arguments, got 1', 0],
    ['sin(x, y)', 'sin takes 1 argument, got 2', 0],
    ['x, y', "',' outside a function's arguments", 1],
    ['x $ y', "unexpected character '$'", 2],
    ['x * * y', "expected a number, x, y, a function or '(', got '*'", 4],
    // Names are looked up in the parser's own tables, never on objects: no prototype, no code.
    ['constructor', "unknown name 'constructor'", 0],
    ['__proto__(x)', "unknown function '__proto__'", 0],
    ['toString(x)', "unknown function 'toString'", 0],
  ])('refuses %j: %s', (text, message, position) => {
    const error = (() => {
      try {
        parseExpression(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toContain(message);
    expect((error as ParseError).position).toBe(position);
  });

  it('parses nesting as deep as the length limit allows, and refuses longer input', () => {
    const depth = (MAX_INPUT_LENGTH - 1) / 2;
    expect(parseExpression(`${'('.repeat(depth)}x${')'.repeat(depth)}`).eval({ x: 5 } as never)).toBe(5);
    expect(parseExpression(`${'-'.repeat(MAX_INPUT_LENGTH - 2)}-x`).eval({ x: 5 } as never)).toBe(-5);
    expect(() => parseExpression(`x${'+x'.repeat(MAX_INPUT_LENGTH / 2)}`)).toThrow(/longer than 1000 characters/);
  });
});
