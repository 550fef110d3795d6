/**
 * The package as users get it: `import ... from 'typegrad'` (and 'typegrad/nn', 'typegrad/viz',
 * 'typegrad/node') resolves to the built `dist/` (npm test builds first), with declarations, and
 * every export is documented.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import * as nn from '../../src/nn/index.js';
import * as node from '../../src/node/index.js';
import * as viz from '../../src/viz/index.js';

const root = join(import.meta.dirname, '..', '..');
const dist = join(root, 'dist');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };

/** Each entry: its subpath, its module in dist, and what src exports. */
const entries = [
  { subpath: '.', module: 'index', api: core },
  { subpath: './nn', module: 'nn/index', api: nn },
  { subpath: './viz', module: 'viz/index', api: viz },
  { subpath: './node', module: 'node/index', api: node },
] as const;

describe('the typegrad package', () => {
  it.each(entries)("exports $subpath as dist/$module.js with declarations", ({ subpath, module }) => {
    expect(manifest.exports[subpath]).toEqual({ types: `./dist/${module}.d.ts`, default: `./dist/${module}.js` });
    expect(existsSync(join(dist, `${module}.js`))).toBe(true);
    expect(existsSync(join(dist, `${module}.d.ts`))).toBe(true);
  });

  it("imports as 'typegrad' and its entries from plain Node", () => {
    const script = [
      "import { Var, d, sin } from 'typegrad';",
      "import { Random } from 'typegrad/nn';",
      "import { niceTicks } from 'typegrad/viz';",
      "import { barLine } from 'typegrad/node';",
      'const x = Var("x");',
      'console.log(d(sin(x), x).eval({ x: 0 }), typeof Random, typeof niceTicks, typeof barLine);',
    ].join(' ');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe('1 function function function');
  });

  it('ships source maps that carry their sources (src/ is not shipped), and the LICENSE', () => {
    const maps = (readdirSync(dist, { recursive: true }) as string[]).filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(100);
    const withoutSources = maps.filter((file) => {
      const map = JSON.parse(readFileSync(join(dist, file), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((text) => typeof text !== 'string' || text === '');
    });
    expect(withoutSources).toEqual([]);
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] }).files).toContain('LICENSE');
  });

  it('is ES modules, which CommonJS can require where Node loads ES modules with require (20.19 and later)', () => {
    const script = "const { Var, d, sin } = require('typegrad'); const { Random } = require('typegrad/nn'); console.log(d(sin(Var('x')), Var('x')).eval({ x: 0 }), typeof Random);";
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    if (major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19)) {
      const out = execFileSync(process.execPath, ['--no-warnings', '-e', script], { cwd: root, encoding: 'utf8' });
      expect(out.trim()).toBe('1 function');
    }
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { type: string }).type).toBe('module');
  });

  it('exports no name from two entries', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { subpath, api } of entries) {
      for (const name of Object.keys(api)) {
        if (seen.has(name)) twice.push(`${name} (${seen.get(name)} and ${subpath})`);
        seen.set(name, subpath);
      }
    }
    expect(twice).toEqual([]);
  });

  it.each(entries)('exports the same runtime names from dist as from src ($subpath)', async ({ module, api }) => {
    const built = (await import(join(dist, `${module}.js`))) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(Object.keys(api).sort());
  });

  it.each(entries)('documents every exported function, class and constant ($subpath)', ({ module, api }) => {
    // Each public name is looked up in the module that the entry's declarations re-export it from.
    const entry = join(dist, `${module}.d.ts`);
    const index = readFileSync(entry, 'utf8');
    const origin = new Map<string, string>();
    for (const [, names, from] of index.matchAll(/export \{([^}]*)\} from '([^']+)'/g)) {
      for (const name of names!.split(',').map((n) => n.trim()).filter((n) => n !== '' && !n.startsWith('type '))) {
        origin.set(name, join(dirname(entry), from!.replace(/\.js$/, '.d.ts')));
      }
    }
    expect([...origin.keys()].sort()).toEqual(Object.keys(api).sort());
    /** Whether `name` is declared with a doc comment in `file`, following `export { name } from` chains. */
    const documented = (name: string, file: string): boolean => {
      for (let hops = 0; hops < 10; hops++) {
        const text = readFileSync(file, 'utf8');
        const match = new RegExp(`(\\*/\\s*)?export declare (?:function|class|const) ${name}\\b`).exec(text);
        if (match !== null) return match[1] !== undefined;
        const reexport = new RegExp(`export \\{[^}]*\\b${name}\\b[^}]*\\} from '([^']+)'`).exec(text);
        if (reexport === null) return false;
        file = join(dirname(file), reexport[1]!.replace(/\.js$/, '.d.ts'));
      }
      return false;
    };
    const undocumented = [...origin].filter(([name, file]) => !documented(name, file));
    expect(undocumented.map(([name]) => name)).toEqual([]);
  });
});
