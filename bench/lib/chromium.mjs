// Runs a function against Debian's Chromium with the built package served from a
// loopback server: { page, url } where url serves js/dist at /vitrine/ and bench/pages/.
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

export function serveFiles(routes) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const name = url.pathname.slice(prefix.length);
      if (!/^[A-Za-z0-9_.-]+$/.test(name)) break;
      try {
        const body = await readFile(path.join(dir, name));
        res.writeHead(200, {
          'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
          'cache-control': 'no-store'
        });
        res.end(body);
      } catch {
        break;
      }
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function launchChromium() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(dir, {recursive: true, force: true});
    }
  };
}

export async function chromiumRun(fn, extraRoutes = {}) {
  const root = new URL('../..', import.meta.url).pathname;
  const server = await serveFiles({
    '/vitrine/': path.join(root, 'js/dist'),
    '/': path.join(root, 'bench/pages'),
    ...extraRoutes,
  });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    return await fn({page, url: `http://127.0.0.1:${server.address().port}`});
  } finally {
    await browser.close();
    server.close();
  }
}
