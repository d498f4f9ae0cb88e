// The demo shop serving its pack sharded (a head plus relation shards, fetched by the page
// when it needs them): the same recommendations as the whole pack, only the shards a page
// uses, immutable shard responses, and a bad shard refused without losing anything.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, fetchCatalog, launchBrowser, newShopper, open, rowIds, settle, startShop} from './lib.mjs';

const SHARD = /\/vitrine\/pack\/shards\/[0-9a-f]{64}\.vpk$/;
let shop;
let browser;
let products;
before(async () => {
  shop = await startShop({shards: 16});
  browser = await launchBrowser();
  products = (await fetchCatalog(shop.url)).products;
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

function packRequests(page) {
  const seen = [];
  page.on('response', (r) => {
    if (/\.vpk$/.test(new URL(r.url()).pathname)) {
      seen.push({path: new URL(r.url()).pathname, cache: r.headers()['cache-control']});
    }
  });
  return seen;
}

test('recommendations on the sharded pack equal the whole pack\'s', async () => {
  await newShopper(browser, shop);
  const page = await browser.newPage();
  const fetched = packRequests(page);
  await open(page, `${shop.url}/`);
  await chooseConsent(page, 'Accept all');
  const viewed = [products[3], products[40], products[77], products[120]];
  for (const p of viewed) {
    await open(page, `${shop.url}/p/${p.id}`);
    await settle(page);
  }
  const paths = fetched.map((f) => f.path);
  assert.ok(paths.includes('/vitrine/pack/head.vpk'), `the head was fetched: ${paths}`);
  assert.ok(!paths.includes('/vitrine/pack.vpk'), 'never the whole pack');
  const shards = fetched.filter((f) => SHARD.test(f.path));
  assert.ok(shards.length >= 1, 'product pages fetched shards');
  for (const s of shards) assert.match(s.cache, /immutable/);
  // The "similar" row is filled from the shard once it arrived.
  await page.locator('[data-testid="similar"] a.card').first().waitFor({state: 'attached'});

  const queries = [
    {context: 'home', limit: 8},
    {context: 'home', limit: 8, filter: {maxPerCategory: 2}},
    {context: 'item', itemId: viewed[1].id, limit: 8},
    {context: 'item', itemId: products[200].id, limit: 8},
    {context: 'cart', itemIds: [viewed[0].id, products[9].id], limit: 6},
  ];
  const result = await page.evaluate(async (queries) => {
    const v = await window.vitrine.ready;
    const before = v.pack;
    const sharded = [];
    const missingBefore = [];
    for (const q of queries) {
      missingBefore.push(v.recommend(q).missingShards.length);
      const list = await v.recommendAsync(q);
      sharded.push({list: JSON.parse(JSON.stringify(list)), missing: list.missingShards});
    }
    await v.loadPack('/vitrine/pack.vpk');
    const whole = queries.map((q) => JSON.parse(JSON.stringify(v.recommend(q))));
    return {before, after: v.pack, sharded, whole, missingBefore};
  }, queries);
  assert.equal(result.before.shards, 16);
  assert.equal(result.after.shards, 0);
  assert.ok(result.before.bytes < result.after.bytes, 'the head has no relations');
  assert.ok(result.missingBefore.some((n) => n > 0), 'some query needed a shard not loaded');
  for (let k = 0; k < queries.length; ++k) {
    assert.deepEqual(result.sharded[k].missing, [], `query ${k}: nothing missing`);
    assert.ok(result.whole[k].length > 0);
    assert.deepEqual(result.sharded[k].list, result.whole[k], `query ${k}`);
  }
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('a home page fetches no shard before its first list, a bad shard is refused', async () => {
  await newShopper(browser, shop);
  const page = await browser.newPage();
  const fetched = packRequests(page);
  // A shard corrupted on the way: one byte flipped.
  await page.route(SHARD, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[body.length >> 1] ^= 0x20;
    await route.fulfill({response, body});
  });
  await open(page, `${shop.url}/`);
  assert.ok((await rowIds(page, 'bestsellers')).length > 0);
  assert.deepEqual(fetched.filter((f) => SHARD.test(f.path)), [], 'no shard for a new shopper');
  const out = await page.evaluate(async (itemId) => {
    const v = await window.vitrine.ready;
    const q = {context: 'item', itemId, limit: 8};
    const first = v.recommend(q);
    let error = null;
    try {
      await v.recommendAsync(q);
    } catch (e) {
      error = {code: e.code, message: e.message};
    }
    const again = v.recommend(q);
    return {
      first: JSON.parse(JSON.stringify(first)),
      again: JSON.parse(JSON.stringify(again)),
      missing: again.missingShards,
      error
    };
  }, products[5].id);
  assert.equal(out.error?.code, 'data_loss', JSON.stringify(out.error));
  assert.match(out.error.message, /SHA-256/);
  assert.equal(out.missing.length, 1, 'the shard is still missing');
  assert.deepEqual(out.again, out.first, 'nothing changed');
  assert.ok(out.first.length > 0, 'popular fillers while the shard is missing');
  await page.close();
  // The shop's own rows log the refused shard; nothing else went wrong.
  assert.ok(
      browser.problems.every(
          (p) => p.kind === 'console' && /pack shards|SHA-256|Failed to load/.test(p.text)),
      JSON.stringify(browser.problems));
});
