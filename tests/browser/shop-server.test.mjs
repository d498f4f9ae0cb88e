// The demo shop's server over plain HTTP (no browser): routes, 404s for anything malformed,
// content types, security headers on every response; and the generators it builds from.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import http from 'node:http';
import {after, before, test} from 'node:test';

import {generateCatalog, HOSTILE_NAME} from '../../demo-shop/catalog.mjs';
import {CSP} from '../../demo-shop/server.mjs';
import {catalogCsv, csvField, simulateSessions} from '../../demo-shop/sessions.mjs';

import {startShop} from './lib.mjs';

let shop;
before(async () => {
  shop = await startShop();
});
after(async () => {
  await shop?.close();
});

// A raw request: the path goes on the wire exactly as given (fetch would normalize '..').
function get(path, method = 'GET') {
  const {hostname, port} = new URL(shop.url);
  return new Promise((resolve, reject) => {
    const req = http.request({hostname, port, path, method, agent: false}, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on(
          'end',
          () =>
              resolve({status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks)}));
    });
    req.on('error', reject);
    req.end();
  });
}

const EXPECTED_CSP =
    'default-src \'self\'; script-src \'self\' \'wasm-unsafe-eval\'; img-src \'self\'; ' +
    'style-src \'self\'; object-src \'none\'; base-uri \'none\'';

test('every response carries exactly the CSP the shop promises', async () => {
  for (const path
           of ['/', '/c/hats', '/p/1001', '/cart', '/privacy', '/nope', '/catalog.json',
               '/assets/shop.js', '/vitrine/vitrine.js', '/vitrine/pack.vpk', '/img/1001.svg']) {
    const {headers} = await get(path);
    assert.equal(headers['content-security-policy'], EXPECTED_CSP, path);
  }
  assert.equal(CSP, EXPECTED_CSP, 'and the server exports the same');
});

test('bad paths and parameters give a 404 page, never a crash', async () => {
  const bad = [
    '/p/../../etc/passwd',
    '/p/abc',
    '/c/<script>',
    '/p/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/p/9999999',
    '/p/1001/',
    '/p/-1',
    '/p/1001.5',
    '/c/hats/',
    '/c/HATS',
    '/c/nope',
    '/c/hats?sort=<script>',
    '/c/hats?sort=price-asc&sort=name',
    '/img/abc.svg',
    '/img/9999.svg',
    '/img/1001.png',
    '/assets/../server.mjs',
    '/assets/..%2fserver.mjs',
    '/assets/nope.js',
    '/vitrine/../../package.json',
    '/vitrine/vitrine.mjs',
    '/vitrine/%76itrine.js',
    '//etc/passwd',
    '/cart/x',
    '/privacy.html',
    `/p/${'1'.repeat(5000)}`,
    '/catalog.json/x',
    '/%',
    '/p/%'
  ];
  for (const path of bad) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.match(res.headers['content-type'], /^text\/html/, path);
    assert.equal(res.headers['content-security-policy'], EXPECTED_CSP, path);
    const body = res.body.toString();
    assert.match(body, /Page not found/, path);
    assert.ok(!body.includes('<script>') && !body.includes('passwd'), `${path} is not reflected`);
  }
  // A byte the HTTP parser refuses in a URL: 400, and the server carries on.
  assert.equal((await get('/\u00e9')).status, 400);
  // Still serving after all that.
  assert.equal((await get('/')).status, 200);
});

test('only GET and HEAD are allowed', async () => {
  const post = await get('/', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  const head = await get('/p/1001', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.ok(Number(head.headers['content-length']) > 1000);
});

test('every page is HTML with the security headers', async () => {
  for (const path
           of ['/', '/c/hats', '/c/sleeping-bags?sort=price-asc&utm_source=x', '/p/1001', '/cart',
               '/privacy', '/nope']) {
    const res = await get(path);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', path);
    assert.equal(res.headers['content-security-policy'], EXPECTED_CSP, path);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
    const body = res.body.toString();
    assert.match(
        body,
        /<script src="\/vitrine\/vitrine\.[0-9a-f]{16}\.js" integrity="sha384-[A-Za-z0-9+/=]{64}" data-wasm="\/vitrine\/vitrine\.[0-9a-f]{16}\.wasm" data-wasm-integrity="sha384-[A-Za-z0-9+/=]{64}" data-pack="\/vitrine\/pack.vpk" data-endpoint="\/vitrine\/collect" data-consent="manual" defer><\/script>/);
    assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(body), `${path}: no inline script`);
    assert.ok(!/<style|\sstyle=/.test(body), `${path}: no inline style`);
  }
});

test('the package, the pack and the assets are served with the right types', async () => {
  const wasm = await get('/vitrine/vitrine.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.deepEqual([...wasm.body.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);  // \0asm
  assert.equal(wasm.headers['x-content-type-options'], 'nosniff');
  const js = await get('/vitrine/vitrine.js');
  assert.match(js.headers['content-type'], /^text\/javascript/);
  const pack = await get('/vitrine/pack.vpk');
  assert.equal(pack.status, 200);
  assert.equal(pack.body.subarray(0, 8).toString(), 'VTRNPACK');
  assert.match((await get('/assets/shop.css')).headers['content-type'], /^text\/css/);
  assert.match((await get('/assets/shop.js')).headers['content-type'], /^text\/javascript/);
  const svg = await get('/img/1001.svg');
  assert.equal(svg.headers['content-type'], 'image/svg+xml');
  assert.match(svg.body.toString(), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.deepEqual((await get('/img/1001.svg')).body, svg.body, 'images are deterministic');
  assert.notDeepEqual((await get('/img/1100.svg')).body, svg.body);
});

test('pages escape product data', async () => {
  const {products} = JSON.parse((await get('/catalog.json')).body);
  const hostile = products.find((p) => p.name === HOSTILE_NAME);
  assert.ok(hostile);
  for (const path of [`/p/${hostile.id}`, `/c/${hostile.categorySlug}`]) {
    const body = (await get(path)).body.toString();
    assert.ok(!body.includes(HOSTILE_NAME), path);
    assert.ok(body.includes('&lt;img src=x onerror=alert(1)&gt;'), path);
  }
});

test('the catalog: ~300 products, numeric ids, deterministic', async () => {
  const served = JSON.parse((await get('/catalog.json')).body);
  assert.equal(served.products.length, 300);
  assert.equal(served.categories.length, 10);
  assert.equal(new Set(served.products.map((p) => p.id)).size, 300);
  for (const p of served.products) {
    assert.match(p.id, /^[0-9]+$/);
    assert.ok(p.price > 0 && Number.isFinite(p.price));
  }
  const out = served.products.filter((p) => !p.available).length;
  assert.ok(out >= 2 && out <= 20, `${out} out of stock`);
  assert.deepEqual(generateCatalog(), generateCatalog());
  assert.deepEqual(simulateSessions({count: 200}), simulateSessions({count: 200}));
});

test('sessions have the structure the pack should learn', () => {
  const byId = new Map(generateCatalog().map((p) => [p.id, p]));
  const sessions = simulateSessions();
  assert.ok(sessions.length >= 5000);
  let sameCategory = 0;
  let pairs = 0;
  let orders = 0;
  for (const {events} of sessions) {
    const clicks = events.filter((e) => e.type === 'clicks');
    for (let i = 1; i < clicks.length; ++i, ++pairs) {
      if (byId.get(String(clicks[i].aid)).category ===
          byId.get(String(clicks[i - 1].aid)).category) {
        ++sameCategory;
      }
    }
    if (events.some((e) => e.type === 'orders')) ++orders;
    for (let i = 1; i < events.length; ++i) assert.ok(events[i].ts > events[i - 1].ts);
  }
  assert.ok(sameCategory / pairs > 0.7, `browsing stays in a category: ${sameCategory / pairs}`);
  assert.ok(orders > 500, `${orders} sessions with orders`);
});

test('the catalog CSV quotes as RFC 4180 says', async () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  const csv = catalogCsv();
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'item_id,category,price,available,name');
  assert.equal(lines.length, 302);  // header, 300 rows, and the empty string after the last CRLF
  assert.deepEqual(
      await readFile(new URL('../../demo-shop/var/catalog.csv', import.meta.url), 'utf8'), csv);
});
