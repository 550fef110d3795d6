/**
 * The wasm backend in a browser (Debian's Chromium, headless, through puppeteer-core): on a
 * cross-origin isolated page (COOP/COEP headers) it runs on Web Workers over shared memory, and
 * a split matrix product equals the single-thread one bit for bit; elsewhere it falls back to
 * one thread and says why. `compile` works on the main thread (Chromium compiles modules up to
 * 8 MB synchronously there; larger ones need compileAsync).
 */
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';

interface PageResult {
  readonly error?: string;
  readonly info: { engine: string; notes: string[] };
  readonly parallelRuns: number;
  readonly same: boolean;
  readonly sameAsJs: boolean;
  readonly synchronous: boolean | string;
}

let script = '';

/** Serves the bundled page (with or without the headers that isolate it) and returns what it found. */
async function runPage(isolated: boolean): Promise<PageResult> {
  const headers: Record<string, string> = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
  const server = createServer((request, response) => {
    const isScript = request.url === '/page.js';
    response.writeHead(200, { ...headers, 'Content-Type': isScript ? 'text/javascript' : 'text/html' });
    response.end(isScript ? script : '<!doctype html><script type="module" src="/page.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction('window.result !== undefined', { timeout: 50_000 });
    return (await page.evaluate('window.result')) as PageResult;
  } finally {
    await browser.close();
    server.close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))('the wasm backend in Chromium', () => {
  beforeAll(async () => {
    // The optional peers stay outside (imported only by the backends that use them).
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { peerDependencies: Record<string, string> };
    const bundle = await build({
      entryPoints: [new URL('./wasm-browser/page.ts', import.meta.url).pathname],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'error',
      external: Object.keys(manifest.peerDependencies),
    });
    script = bundle.outputFiles[0]!.text;
  }, 60_000);

  it('cross-origin isolated: Web Workers over shared memory, a split step bit-identical to one thread and to js', async () => {
    const result = await runPage(true);
    expect(result.error).toBeUndefined();
    expect(result.info.engine).toMatch(/^wasm-simd128, [2-9]\d* threads$/);
    expect(result.parallelRuns).toBeGreaterThan(0);
    expect(result.same).toBe(true);
    expect(result.sameAsJs).toBe(true);
    expect(result.synchronous).toBe(true);
  }, 90_000);

  it('not isolated: one thread, saying why, with the same results', async () => {
    const result = await runPage(false);
    expect(result.error).toBeUndefined();
    expect(result.info.engine).toBe('wasm-simd128, 1 thread');
    expect(result.info.notes).toEqual(['one thread: SharedArrayBuffer is not available (in a browser: the page is not cross-origin isolated)']);
    expect(result.parallelRuns).toBe(0);
    expect(result.same).toBe(true);
    expect(result.sameAsJs).toBe(true);
  }, 90_000);
});
