/**
 * A tiny static file server for the built site (`npm run site:serve`, after `npm run site`):
 * GET and HEAD of files under site/dist/, nothing outside it, no dependency.
 *
 * Run alone: `npx tsx site/serve.ts [port]` (default 8080). The site's test imports `serveSite`.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_DIST } from './build.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A running server: its address, and how to stop it. */
export interface SiteServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `root` on `port` (0: any free port) at 127.0.0.1. */
export async function serveSite(root = SITE_DIST, port = 0): Promise<SiteServer> {
  const base = resolve(root);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = resolve(base, `.${normalize(path.endsWith('/') ? `${path}index.html` : path)}`);
    const inside = file === base || file.startsWith(base + sep);
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !inside) {
      response.writeHead(inside ? 405 : 403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}\n`);
    }
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = await serveSite(SITE_DIST, Number(process.argv[2] ?? 8080));
  console.log(`typegrad site at ${server.url} (from ${join('site', 'dist')}; Ctrl-C stops)`);
}
