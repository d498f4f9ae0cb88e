// Runs a function against Debian's Chromium with the built package served from a
// loopback server: { page, url, context } where url serves js/dist at /vitrine/ and
// bench/pages/ at /. Extra routes ({ '/packs/': dir }) are tried before those two.
// { isolated: true } serves every response with COOP/COEP headers: the page is then
// cross-origin isolated and performance.now() ticks every 5 us instead of every 100 us.
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
  '.vpk': 'application/octet-stream',
  '.json': 'application/json'
};

export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export function serveFiles(routes, {headers = {}} = {}) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const name = url.pathname.slice(prefix.length);
      if (!/^[A-Za-z0-9_.-]+$/.test(name)) continue;
      let body;
      try {
        body = await readFile(path.join(dir, name));
      } catch {
        continue;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...headers
      });
      res.end(body);
      return;
    }
    res.writeHead(404, headers).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
];

export async function launchChromium() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(dir, {recursive: true, force: true});
    }
  };
}

export async function chromiumRun(fn, extraRoutes = {}, {isolated = false} = {}) {
  const root = new URL('../..', import.meta.url).pathname;
  // Extra routes first (and they may replace these two): '/' matches every path.
  const routes = {...extraRoutes};
  routes['/vitrine/'] ??= path.join(root, 'js/dist');
  routes['/'] ??= path.join(root, 'bench/pages');
  const server = await serveFiles(routes, {headers: isolated ? ISOLATION_HEADERS : {}});
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    return await fn(
        {page, url: `http://127.0.0.1:${server.address().port}`, context: browser.context});
  } finally {
    await browser.close();
    server.close();
  }
}
