/**
 * The README's examples run as printed: every ```ts block that imports from 'typegrad' (or one
 * of its entries, 'typegrad/nn', 'typegrad/viz', 'typegrad/node') is run,
 * and each `console.log(...); // → text` line must print exactly `text`, in order.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /from 'typegrad(\/(nn|viz|node))?'/.test(b));
// Inside the package (out/ is git-ignored) and outside node_modules, so that 'typegrad' resolves to this package (its built dist/).
mkdirSync(join(root, 'out'), { recursive: true });
const scratch = mkdtempSync(join(root, 'out', 'readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README examples', () => {
  it('exist', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });
  it.each(blocks.map((b, i) => [i + 1, b] as const))('block %i runs and prints what it says', (i, block) => {
    const file = join(scratch, `block-${i}.ts`);
    writeFileSync(file, block);
    const expected = [...block.matchAll(/console\.log\(.*\);?\s*\/\/ → (.*)$/gm)].map((m) => m[1]!.trim());
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const out = execFileSync(process.execPath, [tsx, file], { cwd: root, encoding: 'utf8' });
    expect(out.trim().split('\n').map((l) => l.trim())).toEqual(expected);
  });
});
