/**
 * Regenerates the README's picture of the site, docs/site.png: the site built and served, a
 * full run (3 epochs of the 2,000 digits, backend chosen as a visitor's would be), a 3 drawn on
 * the pad, the page captured at a reduced scale. Needs Debian's chromium (as the site's test).
 *
 * Run: `npx tsx site/screenshot.ts`.
 */
import puppeteer from 'puppeteer-core';
import { buildSite } from './build.js';
import { serveSite } from './serve.js';

const build = await buildSite();
const server = await serveSite(build.outdir);
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900, deviceScaleFactor: 0.6 });
  await page.goto(server.url, { waitUntil: 'load' });
  await page.click('#train');
  await page.waitForFunction(`['done', 'failed'].includes(window.typegradSite.training.status)`, { timeout: 600_000 });
  const pad = (await page.$('#pad'))!;
  await pad.scrollIntoView();
  const box = (await pad.boundingBox())!;
  const stroke = [[0.3, 0.22], [0.5, 0.15], [0.68, 0.25], [0.62, 0.42], [0.45, 0.5], [0.65, 0.58], [0.7, 0.75], [0.5, 0.87], [0.3, 0.8]] as const;
  await page.mouse.move(box.x + stroke[0][0] * box.width, box.y + stroke[0][1] * box.height);
  await page.mouse.down();
  for (const [u, v] of stroke.slice(1)) await page.mouse.move(box.x + u * box.width, box.y + v * box.height, { steps: 10 });
  await page.mouse.up();
  await page.waitForFunction('window.typegradSite.prediction !== undefined');
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: 'docs/site.png', fullPage: true });
  console.log('docs/site.png:', await page.evaluate(`JSON.stringify({ renderer: window.typegradSite.renderer, engine: window.typegradSite.training.engine,
    secondsPerEpoch: window.typegradSite.training.history.secondsPerEpoch, testAccuracy: window.typegradSite.training.history.testAccuracy, prediction: window.typegradSite.prediction.digit })`));
} finally {
  await browser.close();
  await server.close();
}
