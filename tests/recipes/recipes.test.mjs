// The recipes of examples/: the package packed into a tarball (npm pack), unpacked into each
// recipe's node_modules as npm would install it, each recipe built once, served with the
// demo shop's pack and catalog, and opened in Debian's Chromium: after consent and three
// product views, its "Recommended for you" row shows products of the catalog.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {cpSync, mkdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';

import {launchChromium} from '../../bench/lib/chromium.mjs';
import {startDemoShop} from '../../demo-shop/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = path.join(root, 'build', 'recipes');

let tarball;
let catalogJson;
let pack;
let browser;
before(async () => {
  rmSync(work, {recursive: true, force: true});
  mkdirSync(work, {recursive: true});
  const [packed] = JSON.parse(execFileSync(
      'npm', ['pack', path.join(root, 'js'), '--json', '--pack-destination', work],
      {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']}));
  tarball = path.join(work, packed.filename);
  // The shop's data: its catalog and its model pack, as the demo shop serves them.
  const shop = await startDemoShop({port: 0, quiet: true});
  try {
    catalogJson = await (await fetch(`${shop.url}/catalog.json`)).text();
    pack = Buffer.from(await (await fetch(`${shop.url}/vitrine/pack.vpk`)).arrayBuffer());
  } finally {
    await shop.close();
  }
  // The recipes' build tools (examples/package.json, installed by make test-recipes) and
  // their shared helper, where each recipe finds them: one folder up.
  symlinkSync(path.join(root, 'examples', 'node_modules'), path.join(work, 'node_modules'));
  cpSync(
      path.join(root, 'examples', 'copy-package-files.mjs'),
      path.join(work, 'copy-package-files.mjs'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

// A copy of examples/<name> with the tarball unpacked into node_modules/vitrine.
function recipeDir(name) {
  const dir = path.join(work, name);
  cpSync(path.join(root, 'examples', name), dir, {recursive: true});
  const modules = path.join(dir, 'node_modules', 'vitrine');
  mkdirSync(modules, {recursive: true});
  execFileSync('tar', ['-xzf', tarball, '-C', modules, '--strip-components=1']);
  return dir;
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

// Serves a built recipe, with /pack.vpk and /catalog.json beside it.
async function serve(dir) {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    let body;
    let type;
    if (pathname === '/favicon.ico') return res.writeHead(204).end();
    if (pathname === '/pack.vpk') {
      [body, type] = [pack, 'application/octet-stream'];
    } else if (pathname === '/catalog.json') {
      [body, type] = [catalogJson, 'application/json'];
    } else {
      const file = path.join(dir, pathname === '/' ? 'index.html' : pathname);
      if (!file.startsWith(dir)) return res.writeHead(403).end();
      try {
        body = readFileSync(file);
      } catch {
        return res.writeHead(404).end();
      }
      type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    }
    res.writeHead(200, {'content-type': type}).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {url: `http://127.0.0.1:${server.address().port}`, close: () => server.close()};
}

// Opens the recipe's page, accepts, views three products, and returns the recommended cards.
async function showsRecommendations(url) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await page.goto(url);
    const banner = page.locator('vitrine-consent-banner');
    await banner.getByRole('button', {name: 'Accept all'}).click({timeout: 20_000});
    await banner.waitFor({state: 'hidden'});
    const products = JSON.parse(catalogJson).products.filter((p) => p.available);
    for (const p of products.slice(0, 3)) {
      await page.evaluate((p) => {
        window.dataLayer = window.dataLayer || [];
        window.dataLayer.push({
          event: 'view_item',
          ecommerce: {items: [{item_id: p.id, item_name: p.name, price: p.price}]}
        });
      }, p);
    }
    const row = page.locator('vitrine-recommendations[data-state="ready"]');
    await page.waitForFunction(
        () => Number(document.querySelector('vitrine-recommendations')?.dataset.count) > 0);
    const names = await row.locator('.name').allTextContents();
    const known = new Set(products.map((p) => p.name));
    assert.ok(names.length > 0);
    for (const name of names) assert.ok(known.has(name), `${name} is in the catalog`);
    const recent = await page.locator('vitrine-recently-viewed .name').allTextContents();
    assert.deepEqual(new Set(recent), new Set(products.slice(0, 3).map((p) => p.name)));
    // A privacy center (webpack's page) comes from a chunk the components' chunk loads.
    if (await page.locator('vitrine-privacy-center').count()) {
      const center = page.locator('vitrine-privacy-center[data-state="ready"]');
      await center.getByTestId('privacy-history').locator('li').nth(2).waitFor();
    }
    assert.deepEqual(errors, []);
    return names;
  } finally {
    await page.close();
  }
}

test(
    'script tag: a server-rendered theme page with the package\'s files at /vitrine/', async () => {
      const dir = recipeDir('script-tag');
      cpSync(
          path.join(dir, 'node_modules', 'vitrine', 'dist'), path.join(dir, 'vitrine'),
          {recursive: true});
      const server = await serve(dir);
      try {
        await showsRecommendations(`${server.url}/`);
      } finally {
        server.close();
      }
    });

test('esbuild: bundle, with the wasm and chunks copied beside it', async () => {
  const dir = recipeDir('esbuild');
  execFileSync(process.execPath, ['build.mjs', 'out'], {cwd: dir, stdio: 'inherit'});
  const server = await serve(path.join(dir, 'out'));
  try {
    await showsRecommendations(`${server.url}/`);
  } finally {
    server.close();
  }
});

for (const [name, what] of [
         ['vite-react', 'Vite + React: the wasm emitted by Vite, the chunks copied to /vitrine/'],
         ['vue', 'Vue (Vite): vitrine-* as custom elements'],
         ['webpack', 'webpack 5, no configuration: the wasm and the chunks emitted by webpack'],
]) {
  test(what, async () => {
    const dir = recipeDir(name);
    execFileSync(process.execPath, ['build.mjs', 'out'], {cwd: dir, stdio: 'inherit'});
    const server = await serve(path.join(dir, 'out'));
    try {
      await showsRecommendations(`${server.url}/`);
    } finally {
      server.close();
    }
  });
}
