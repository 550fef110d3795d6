/**
 * The core, typegrad/nn and typegrad/viz run in a browser: each is bundled by esbuild for the
 * browser platform, where a Node built-in (`node:fs`, `module`, ...) does not resolve and fails
 * the build, and where a use of Node's globals (`process`, `Buffer`, `__dirname`, ...) is
 * replaced by a marker the test looks for. The optional peers stay outside the bundle: they are
 * the user's to install, and each is imported only when its feature is used.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
const NODE_GLOBALS = ['process', 'Buffer', '__dirname', '__filename', 'global', 'require', 'setImmediate'];
mkdirSync(join(root, 'out'), { recursive: true });
const scratch = mkdtempSync(join(root, 'out', 'browser-safe-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Bundles `entry` for browsers: the Node-only things it reaches, and its modules. */
async function browserBundle(entry: string): Promise<{ problems: string[]; modules: string[] }> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: Object.keys(manifest.peerDependencies),
    define: Object.fromEntries(NODE_GLOBALS.map((name) => [name, `__node_global_${name}__`])),
  }).catch((error: esbuild.BuildFailure) => error);
  if (result instanceof Error) {
    return { problems: result.errors.map((e) => `${e.location?.file ?? '?'}: ${e.text}`), modules: [] };
  }
  const text = result.outputFiles[0]!.text;
  const problems = NODE_GLOBALS.filter((name) => text.includes(`__node_global_${name}__`)).map((name) => `uses Node's global ${name}`);
  return { problems, modules: Object.keys(result.metafile.inputs) };
}

describe('browser-safe entries', () => {
  it.each(['src/index.ts', 'src/nn/index.ts', 'src/viz/index.ts'])('%s bundles for the browser with no Node built-in and no Node global', async (entry) => {
    const { problems, modules } = await browserBundle(join(root, entry));
    expect(problems).toEqual([]);
    expect(modules.length).toBeGreaterThan(10);
  });

  it('the core reaches no module of nn, viz or node', async () => {
    const { modules } = await browserBundle(join(root, 'src/index.ts'));
    expect(modules.filter((m) => /^src\/(nn|viz|node)\//.test(m))).toEqual([]);
  });

  it('catches a Node built-in and a use of process (typegrad/node has both)', async () => {
    const { problems } = await browserBundle(join(root, 'src/node/index.ts'));
    expect(problems.join('\n')).toMatch(/node:fs/);
    const touchesProcess = join(scratch, 'touches-process.ts');
    writeFileSync(touchesProcess, `export { sin } from '${relative(scratch, join(root, 'src/index.js'))}';\nexport const home = process.env.HOME;\n`);
    expect((await browserBundle(touchesProcess)).problems).toEqual(["uses Node's global process"]);
  });
});
