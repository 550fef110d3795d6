/**
 * Hostile names never reach generated source or LaTeX as code: toSource of scalar, batch and
 * tensor programs holds no name (comments included), every name works as an ordinary name in
 * eval and compile, toLatex sets any name that is not a plain identifier as escaped \text that
 * KaTeX parses, and error messages stay short whatever the name's length.
 */
import fc from 'fast-check';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { compile, sin, sum, toLatex, toSource, TypegradError, Var, VVar } from '../../src/index.js';
import { hostileName, KNOWN_HOSTILE_NAMES } from './generators.js';

describe('hostile names', () => {
  it('never appear in generated JavaScript (scalar, batch and tensor programs, comments included)', () => {
    for (const name of KNOWN_HOSTILE_NAMES.filter((n) => n.length > 3)) {
      const v = VVar(name, 3), w = Var(name === 'w' ? 'w2' : 'w');
      const tensor = sum(sin(v).mul(w));
      for (const source of [toSource(tensor), toSource(tensor, { batch: true }), toSource(sin(Var(name)).mul(w)), toSource(sin(Var(name)).mul(w), { batch: true })]) {
        expect(source).not.toContain(name);
        expect(source).not.toMatch(/process\.exit|\u2028|\u2029/);
      }
    }
  });
  it('work as ordinary names in eval and compile (point, batch, tensor)', () => {
    fc.assert(
      fc.property(hostileName(), (name) => {
        const other = name === 'w' ? 'w2' : 'w';
        const v = VVar(name, 2), w = Var(other);
        const f = sum(sin(v).mul(w));
        const bindings = Object.defineProperty({ [other]: 2 } as Record<string, unknown>, name, { value: [1, -3], enumerable: true });
        const expected = 2 * (Math.sin(1) + Math.sin(-3));
        expect(f.eval(bindings as never)).toBeCloseTo(expected, 12);
        expect(compile(f)(bindings as never)).toBeCloseTo(expected, 12);
        const x = Var(name);
        const point = Object.defineProperty({ [other]: 2 } as Record<string, unknown>, name, { value: 0.5, enumerable: true });
        expect(compile(sin(x).mul(w))(point as never)).toBe(sin(x).mul(w).eval(point as never));
      }),
      { numRuns: 60 },
    );
  });
  it('toLatex: \\input, %, \\href and line terminators are escaped text (that KaTeX parses, for ASCII names)', () => {
    expect(toLatex(Var('\\input{/etc/passwd}%').mul(Var('y')))).toBe('\\text{\\textbackslash{}input\\{/etc/passwd\\}\\%} \\cdot y');
    expect(toLatex(Var('x_1').add(Var('W2')))).toBe('x_{1} + W2');
    fc.assert(
      fc.property(hostileName({ maxLength: 40 }), (name) => {
        const latex = toLatex(sin(Var(name)));
        const text = /\\text\{(.*)\}/s.exec(latex)?.[1];
        if (text !== undefined) {
          // Nothing but escaped specials: no command, brace, comment or math shift of the name's own.
          const stripped = text.replace(/\\(textbackslash|textasciicircum|textasciitilde)\{\}|\\[{}$&#%_]/g, '');
          expect(stripped).not.toMatch(/[\\{}$&#%^~_\n\r\u2028\u2029]/);
        }
        // KaTeX sets only some scripts in \text (not Vietnamese letters, say): parsed where the name is ASCII.
        if (/^[\x00-\x7f]*$/.test(name)) katex.renderToString(latex, { throwOnError: true, strict: 'ignore' });
      }),
      { numRuns: 150 },
    );
  });
  it('an error about a 10 MB name quotes part of it', () => {
    const name = 'x'.repeat(10_000_000);
    try {
      Var(name).eval({} as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TypegradError);
      expect((error as Error).message.length).toBeLessThan(2_100);
      expect((error as Error).message).toMatch(/characters omitted/);
    }
  });
});
