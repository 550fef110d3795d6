/**
 * Where the examples write their files: `out/` at the package root (git-ignored), or the folder
 * named by TYPEGRAD_OUT, which the smoke tests set so that runs do not share a folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');

/** Writes `contents` to `name` in the output folder and prints where it went. */
export function writeOutput(name: string, contents: string): string {
  const folder = process.env['TYPEGRAD_OUT'] ?? join(root, 'out');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, contents);
  const shown = relative(process.cwd(), path);
  console.log(`wrote ${shown.startsWith('..') ? path : shown}`);
  return path;
}
