/**
 * The package as users get it: `import ... from 'typegrad'` resolves to the built `dist/`
 * (npm test builds first), with declarations, and every export is documented.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');

describe('the typegrad package', () => {
  it('is built with declarations', () => {
    expect(existsSync(join(dist, 'index.js'))).toBe(true);
    expect(existsSync(join(dist, 'index.d.ts'))).toBe(true);
  });

  it("imports as 'typegrad' from plain Node", () => {
    const script = "import { Var, d, sin } from 'typegrad'; const x = Var('x'); console.log(d(sin(x), x).eval({ x: 0 }));";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe('1');
  });

  it('exports the same runtime names from dist as from src', async () => {
    const built = (await import(join(dist, 'index.js'))) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(Object.keys(api).sort());
  });

  it('documents every exported function, class and constant', () => {
    // Each public name is looked up in the module that dist/index.d.ts re-exports it from.
    const index = readFileSync(join(dist, 'index.d.ts'), 'utf8');
    const origin = new Map<string, string>();
    for (const [, names, from] of index.matchAll(/export \{([^}]*)\} from '([^']+)'/g)) {
      for (const name of names!.split(',').map((n) => n.trim()).filter((n) => n !== '' && !n.startsWith('type '))) {
        origin.set(name, join(dist, from!.replace(/\.js$/, '.d.ts')));
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
