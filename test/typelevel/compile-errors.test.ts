/**
 * Compile-error harness: checks that code which must not compile fails with the right error,
 * something `@ts-expect-error` cannot do (it accepts any error).
 *
 * Fixtures:
 * - `test-d/fixtures/pass/*.ts` must compile without any error.
 * - `test-d/fixtures/fail/*.ts` must fail exactly as declared by directive comments:
 *
 *       // expect-error: TS2345 "dimension mismatch: 2 vs 3" "more words"
 *       requireEqual(2, 3);
 *
 *   A directive names one error code and zero or more double-quoted phrases (write `\"` for a
 *   double quote inside a phrase, as in `"NotAVariable<\"w\">"`). It applies to
 *   the next line that is not itself a directive (stack several directives to expect several
 *   errors on one line). It is met by an error with that code, reported on that line, whose
 *   full message (including the indented elaboration lines) contains every phrase. Every
 *   directive must be met, and every error in the file must meet a directive: a fail fixture
 *   with an unexpected extra error fails too. A fail fixture needs at least one directive.
 *
 * To add a case, drop a file into pass/ or fail/; nothing here needs to change. Fail fixtures
 * are excluded from tsconfig.json; helpers shared by fixtures live in `test-d/fixtures/*.ts`.
 *
 * All fixtures are checked by ONE run of the project's `tsc` (TypeScript 7), with a temporary
 * tsconfig that extends tsconfig.json and lists the fixtures as its `files`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';

const projectRoot = resolve(import.meta.dirname, '../..');
const fixturesDirectory = join(projectRoot, 'test-d/fixtures');
const tscBinary = join(projectRoot, 'node_modules/.bin/tsc');

interface Diagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

interface ExpectedError {
  line: number;
  code: string;
  phrases: string[];
  directiveLine: number;
}

function fixtureFiles(kind: 'pass' | 'fail'): string[] {
  const directory = join(fixturesDirectory, kind);
  return readdirSync(directory)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => join(directory, name));
}

// A phrase is "...", where \" stands for a double quote (type names print string literals in them).
const phrasePattern = /"((?:[^"\\]|\\.)*)"/g;
const directivePattern = /^\s*\/\/\s*expect-error:\s*(TS\d+)((?:\s+"(?:[^"\\]|\\.)*")*)\s*$/;

/** The directives of a fixture, each resolved to the line (1-based) it applies to. */
function parseExpectedErrors(source: string): ExpectedError[] {
  const lines = source.split(/\r?\n/);
  const expected: ExpectedError[] = [];
  lines.forEach((text, index) => {
    const directive = directivePattern.exec(text);
    if (!directive) return;
    let target = index + 1;
    while (target < lines.length && directivePattern.test(lines[target]!)) target++;
    const phrases = [...(directive[2] ?? '').matchAll(phrasePattern)].map((match) => match[1]!.replace(/\\(.)/g, '$1'));
    expected.push({ line: target + 1, code: directive[1]!, phrases, directiveLine: index + 1 });
  });
  return expected;
}

/** tsc's `--pretty false` output: `file(line,col): error TSxxxx: message`, elaborations indented below. */
function parseTscOutput(output: string, cwd: string): { located: Diagnostic[]; global: string[] } {
  const located: Diagnostic[] = [];
  const global: string[] = [];
  let last: { message: string } | undefined;
  for (const text of output.split(/\r?\n/)) {
    const locatedMatch = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(text);
    if (locatedMatch) {
      const diagnostic = { file: resolve(cwd, locatedMatch[1]!), line: Number(locatedMatch[2]), code: locatedMatch[4]!, message: locatedMatch[5]! };
      located.push(diagnostic);
      last = diagnostic;
    } else if (/^\s+\S/.test(text) && last) {
      last.message += `\n${text.trim()}`;
    } else if (/error TS\d+/.test(text)) {
      global.push(text);
      last = undefined;
    }
  }
  return { located, global };
}

function describeDiagnostic(diagnostic: Diagnostic): string {
  return `line ${diagnostic.line} ${diagnostic.code}: ${diagnostic.message}`;
}

async function compileFixtures(files: string[]): Promise<{ located: Diagnostic[]; global: string[] }> {
  // Inside the project, so that tsconfig's `types` resolve from its node_modules/@types.
  const configDirectory = join(projectRoot, 'node_modules/.cache/typegrad-compile-errors');
  const configPath = join(configDirectory, `tsconfig.${process.pid}.json`);
  mkdirSync(configDirectory, { recursive: true });
  writeFileSync(configPath, JSON.stringify({ extends: join(projectRoot, 'tsconfig.json'), include: [], files }, null, 2));
  try {
    const { stdout, stderr } = await promisify(execFile)(tscBinary, ['-p', configPath, '--noEmit', '--pretty', 'false'], { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 }).catch(
      // tsc exits non-zero when there are errors; that is the expected case here.
      (error: { stdout?: string; stderr?: string; code?: unknown }) => {
        if (typeof error.stdout !== 'string') throw error;
        return { stdout: error.stdout, stderr: error.stderr ?? '' };
      },
    );
    return parseTscOutput(`${stdout}\n${stderr}`, projectRoot);
  } finally {
    rmSync(configPath, { force: true });
  }
}

const passFixtures = fixtureFiles('pass');
const failFixtures = fixtureFiles('fail');
let compiled: { located: Diagnostic[]; global: string[] };

// One tsc run over the whole project's options; on a loaded 2-core machine it can take a while.
beforeAll(async () => {
  compiled = await compileFixtures([...passFixtures, ...failFixtures]);
}, 180_000);

function diagnosticsOf(file: string): Diagnostic[] {
  return compiled.located.filter((diagnostic) => diagnostic.file === file);
}

const relative = (file: string) => file.slice(projectRoot.length + 1);

describe('compile-error fixtures', () => {
  test('tsc reports no error outside the fixtures and no configuration error', () => {
    const fixtures = new Set([...passFixtures, ...failFixtures]);
    const elsewhere = compiled.located.filter((diagnostic) => !fixtures.has(diagnostic.file));
    expect(elsewhere.map((diagnostic) => `${relative(diagnostic.file)} ${describeDiagnostic(diagnostic)}`)).toEqual([]);
    expect(compiled.global).toEqual([]);
  });

  test.each(passFixtures.map((file) => [relative(file), file]))('%s compiles cleanly', (_name, file) => {
    expect(diagnosticsOf(file).map(describeDiagnostic)).toEqual([]);
  });

  test.each(failFixtures.map((file) => [relative(file), file]))('%s fails with the declared errors', (_name, file) => {
    const expected = parseExpectedErrors(readFileSync(file, 'utf8'));
    expect(expected, 'a fail fixture needs at least one `// expect-error: TSxxxx "words"` directive').not.toEqual([]);

    const unclaimed = [...diagnosticsOf(file)];
    const unmet: string[] = [];
    for (const expectation of expected) {
      const index = unclaimed.findIndex(
        (diagnostic) =>
          diagnostic.line === expectation.line &&
          diagnostic.code === expectation.code &&
          expectation.phrases.every((phrase) => diagnostic.message.includes(phrase)),
      );
      if (index === -1) {
        const onLine = diagnosticsOf(file).filter((diagnostic) => diagnostic.line === expectation.line);
        unmet.push(
          `directive on line ${expectation.directiveLine} expects ${expectation.code} ${expectation.phrases.map((phrase) => `"${phrase}"`).join(' ')} on line ${expectation.line}; ` +
            (onLine.length === 0 ? 'that line has no error' : `that line has: ${onLine.map(describeDiagnostic).join(' | ')}`),
        );
      } else {
        unclaimed.splice(index, 1);
      }
    }
    expect(unmet, 'unmet expect-error directives').toEqual([]);
    expect(unclaimed.map(describeDiagnostic), 'errors without an expect-error directive').toEqual([]);
  });
});
