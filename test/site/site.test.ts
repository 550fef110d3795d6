/**
 * The site in a real browser: Debian's Chromium driven by puppeteer-core (no browser download),
 * WebGL from SwiftShader (a software renderer: the gpu backend's kernels run as WebGL shaders on
 * the CPU). The test builds the site, serves it, and checks each part of the page: a derivative
 * computed in the page against the same one computed here, one epoch of training on a small
 * subset (which backend trained and on which renderer is printed and asserted), and a digit drawn
 * with pointer events, classified with probabilities that sum to 1. Screenshots go to
 * out/site-test/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Var, compile, d, exp, sin } from '../../src/index.js';
import { buildSite, type SiteBuild } from '../../site/build.js';
import { serveSite, type SiteServer } from '../../site/serve.js';
import type { SiteState } from '../../site/src/state.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join('out', 'site-test');
const chromium = existsSync(CHROMIUM);
if (!chromium) console.warn(`test/site/site.test.ts skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run installs it)`);

/*
 * Code run in the page is written as strings: this project type-checks its tests without the
 * DOM's types (the library must not depend on them).
 */

describe.skipIf(!chromium)('the site in Chromium', () => {
  let build: SiteBuild;
  let server: SiteServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const site = () => page.evaluate('JSON.parse(JSON.stringify(window.typegradSite))') as Promise<SiteState>;
  const inPage = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
  const until = (condition: string, timeout = 10_000) => page.waitForFunction(condition, { timeout });
  const screenshot = (name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    build = await buildSite(join(OUT, 'dist'));
    server = await serveSite(build.outdir);
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless=new', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    // A small run: 320 training digits (5 batches of 64), 100 test digits, one epoch.
    await page.goto(`${server.url}?train=320&test=100&epochs=1`, { waitUntil: 'load' });
    await until('window.typegradSite?.playground?.gradient !== undefined', 30_000);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('differentiates a typed expression in the page as typegrad does in Node', async () => {
    await page.click('#expression', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.type('#expression', 'x^3 y + exp(x) sin(y)');
    for (const [field, value] of [['#point-x', '0.5'], ['#point-y', '-1.25']] as const) {
      await page.click(field, { count: 3 });
      await page.type(field, value);
    }
    await until(`window.typegradSite.playground?.at?.y === -1.25 && window.typegradSite.playground.expression === 'x^3 y + exp(x) sin(y)'`);
    const state = (await site()).playground!;

    const x = Var('x'), y = Var('y');
    const f = x.pow(3).mul(y).add(exp(x).mul(sin(y)));
    const [value, gx, gy] = compile([f, d(f, x), d(f, y)], { args: [x, y] })(0.5, -1.25) as number[];
    expect(state.f).toBe(String(f));
    expect(state.dfdx).toBe(String(d(f, x)));
    expect(state.dfdy).toBe(String(d(f, y)));
    expect(state.value).toBeCloseTo(value!, 12);
    expect(state.gradient![0]).toBeCloseTo(gx!, 12);
    expect(state.gradient![1]).toBeCloseTo(gy!, 12);
    // What the page shows is the value it computed.
    expect(Number(await inPage<string>(`document.getElementById('gradient-x').dataset.value`))).toBe(state.gradient![0]);
    expect(await inPage<number>(`document.querySelectorAll('#f-tex .katex').length`)).toBe(1);
    await screenshot('1-playground');

    await page.type('#expression', ' +');
    await until('window.typegradSite.playground?.error !== undefined');
    expect(await inPage<string>(`document.getElementById('expression-error').textContent`)).toMatch(/ends too early/);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await until('window.typegradSite.playground?.error === undefined');
  });

  it('trains the MNIST network for an epoch on the gpu backend where the page has WebGL', async () => {
    await page.click('#train');
    await until(`['done', 'failed'].includes(window.typegradSite.training.status)`, 100_000);
    const { renderer, training } = await site();
    console.log(`site: WebGL renderer ${renderer}; trained on ${training.backend} (${training.engine}) ${training.note ?? ''}; ` +
      `test accuracy ${training.history?.testAccuracy.join(', ')} after ${training.history?.secondsPerEpoch.map((s) => s.toFixed(1)).join(', ')} s`);
    expect(training.error).toBeUndefined();
    expect(training.status).toBe('done');
    expect(renderer.length).toBeGreaterThan(0);
    expect(training.engine!.length).toBeGreaterThan(0);
    // Where the page has WebGL, training runs on it: the gpu backend, gpu.js in a WebGL mode.
    if (!renderer.startsWith('none')) {
      expect(training.backend).toBe('gpu');
      expect(training.engine).toMatch(/webgl/);
    }
    const history = training.history!;
    expect(training.digits).toEqual({ train: 320, test: 100 });
    expect(history.stepLoss).toHaveLength(5);
    for (const loss of history.stepLoss) expect(loss).toBeGreaterThan(0);
    // Ten classes from a Glorot-initialised layer: the first loss is near ln 10 ≈ 2.3.
    expect(history.stepLoss[0]).toBeGreaterThan(1.5);
    expect(history.stepLoss[0]).toBeLessThan(3.5);
    expect(history.testAccuracy).toHaveLength(1);
    expect(history.testAccuracy[0]).toBeGreaterThanOrEqual(0);
    expect(history.testAccuracy[0]).toBeLessThanOrEqual(1);
    await screenshot('2-trained');
  }, 120_000);

  it('classifies a digit drawn on the pad with pointer events', async () => {
    const pad = (await page.$('#pad'))!;
    await pad.scrollIntoView();
    const box = (await pad.boundingBox())!;
    // A 7: the top bar, then the diagonal down to the bottom left.
    const stroke = [[0.25, 0.2], [0.75, 0.2], [0.7, 0.35], [0.58, 0.55], [0.48, 0.8]] as const;
    await page.mouse.move(box.x + stroke[0][0] * box.width, box.y + stroke[0][1] * box.height);
    await page.mouse.down();
    for (const [u, v] of stroke.slice(1)) await page.mouse.move(box.x + u * box.width, box.y + v * box.height, { steps: 8 });
    await page.mouse.up();
    await until('window.typegradSite.prediction !== undefined');
    const { prediction } = await site();
    console.log(`site: the drawn 7 classified as ${prediction!.digit}, probabilities ${prediction!.probabilities.map((p) => p.toFixed(3)).join(' ')}`);
    expect(Number.isInteger(prediction!.digit)).toBe(true);
    expect(prediction!.digit).toBeGreaterThanOrEqual(0);
    expect(prediction!.digit).toBeLessThanOrEqual(9);
    expect(prediction!.probabilities).toHaveLength(10);
    for (const p of prediction!.probabilities) expect(p).toBeGreaterThanOrEqual(0);
    expect(prediction!.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(prediction!.probabilities.indexOf(Math.max(...prediction!.probabilities))).toBe(prediction!.digit);
    expect(await inPage<string>(`document.getElementById('prediction').textContent`)).toBe(String(prediction!.digit));
    // The 28×28 image the network saw has ink.
    const ink = await inPage<number>(`(() => {
      const data = document.getElementById('digit-28').getContext('2d').getImageData(0, 0, 28, 28).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += data[i];
      return sum / 255;
    })()`);
    expect(ink).toBeGreaterThan(20);
    await screenshot('3-drawn');
  });

  it('loaded and ran without errors', () => {
    console.log(`site: main.js ${(build.script.bytes / 1024).toFixed(0)} KB, ${(build.script.gzipped / 1024).toFixed(0)} KB gzipped`);
    expect(pageErrors).toEqual([]);
  });
});
