/**
 * An esbuild plugin for the site's browser bundle: Node's built-in modules (`node:fs`,
 * `node:module`, ...) that library modules import resolve to a stand-in whose every export
 * throws a clear error when called, instead of failing the build. The page never calls them
 * (no parameter files, no MNIST loader, no `require` of gpu.js: the page provides gpu.js).
 *
 * Each use is recorded (module and importer), so the build can say which library modules still
 * import Node built-ins: once the core is browser-safe the list is empty and this plugin can go.
 */
import { builtinModules } from 'node:module';
import { relative } from 'node:path';
import type { Plugin } from 'esbuild';

/** One import of a Node built-in by a bundled module. */
export interface BuiltinUse {
  /** The specifier as written, e.g. `node:fs`. */
  readonly module: string;
  /** The importing file, relative to the working directory. */
  readonly importer: string;
}

const NAMESPACE = 'node-builtin-stand-in';
const bare = new Set(builtinModules);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The plugin; `uses` receives every import it stood in for. */
export function nodeBuiltinStandIns(uses: BuiltinUse[]): Plugin {
  return {
    name: 'node-builtin-stand-ins',
    setup(build) {
      build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
        if (!args.path.startsWith('node:') && !bare.has(args.path)) return undefined;
        uses.push({ module: args.path, importer: relative(process.cwd(), args.importer) });
        return { path: args.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        // The stand-in exports the real module's names, so every named import binds.
        const names = Object.keys(await import(args.path)).filter((n) => n !== 'default' && IDENTIFIER.test(n));
        const contents = [
          `const failing = (name) => () => { throw new Error(${JSON.stringify(`${args.path}: `)} + name + ' is not available in the browser (a Node built-in that the site\\'s bundle stands in for)'); };`,
          ...names.map((n) => `export const ${n} = failing(${JSON.stringify(n)});`),
          'export default new Proxy({}, { get: (_, name) => failing(String(name)) });',
        ].join('\n');
        return { contents, loader: 'js' };
      });
    },
  };
}
