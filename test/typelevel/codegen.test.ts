/** The committed files in src/typelevel/generated/ must be exactly what the generator writes. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { writeTypelevelFiles } from '../../codegen/generate-typelevel.js';

const committedDirectory = resolve(import.meta.dirname, '../../src/typelevel/generated');
const freshDirectory = mkdtempSync(join(tmpdir(), 'typegrad-codegen-'));
afterAll(() => rmSync(freshDirectory, { recursive: true, force: true }));

test('src/typelevel/generated/ is up to date with codegen/generate-typelevel.ts', () => {
  writeTypelevelFiles(freshDirectory);
  const stale = 'src/typelevel/generated/ is stale: run `npm run codegen` and commit the result';

  expect(readdirSync(committedDirectory).sort(), stale).toEqual(readdirSync(freshDirectory).sort());
  for (const fileName of readdirSync(freshDirectory)) {
    const fresh = readFileSync(join(freshDirectory, fileName));
    const committed = readFileSync(join(committedDirectory, fileName));
    expect(committed.equals(fresh), `${stale} (${fileName} differs)`).toBe(true);
  }
});
