// The measurement chunk in Chromium (real IndexedDB, real crypto.getRandomValues), sending to
// the collector the demo shop mounts: reports leave without cookies or Referer, are stored,
// and are listed by sent(); a page that does not use measurement never fetches the chunk.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {launchBrowser, newShopper, open, recordRequests, startShop} from './lib.mjs';

let shop, browser;
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

test('a shop page without measurement fetches no measurement chunk', async () => {
  await newShopper(browser, shop);
  const page = await browser.context.newPage();
  const requests = recordRequests(page);
  await open(page, `${shop.url}/`);
  await page.evaluate(() => window.vitrine.ready);
  assert.ok(
      requests.some((r) => /\/vitrine\/vitrine(\.[0-9a-f]{16})?\.wasm$/.test(r.url)),
      'the engine loaded');
  assert.deepEqual(requests.filter((r) => /measurement|collect/.test(r.url)), []);
});

test(
    'reports leave through the chunk without cookies or Referer and are listed as sent',
    async () => {
      await newShopper(browser, shop);
      const page = await browser.context.newPage();
      await open(page, `${shop.url}/`);
      // A cookie of the shop's origin, which a request with credentials would carry.
      await page.evaluate(() => (document.cookie = 'shop_session=marker-cookie-7f3a; path=/'));
      const posted =
          page.waitForRequest((r) => r.url().endsWith('/vitrine/collect'), {timeout: 120_000});
      const answered =
          page.waitForResponse((r) => r.url().endsWith('/vitrine/collect'), {timeout: 120_000});
      const result = await page.evaluate(async () => {
        const {startMeasurement} = await import('/vitrine/vitrine-measurement.mjs');
        const m = await startMeasurement({
          namespace: 'vitrine',
          endpoint: '/vitrine/collect',
          wasm: '/vitrine/vitrine-measurement.wasm',
          signals: {measurement: true, gpc: false, dnt: false},
          delay: [1e9, 1e9],
        });
        const queued = [
          await m.report('top_category', 3), await m.report('recency', 1),
          await m.report('views_per_day', 2), await m.report('recency', 1)
        ];
        const flushed = await m.flush();
        const sent = await m.sent();
        const ledger = await m.ledger();
        m.close();
        const dbs = (await indexedDB.databases()).map((d) => d.name);
        return {queued: queued.map(Boolean), flushed, sent, ledger, dbs};
      });
      assert.deepEqual(result.queued, [true, true, true, false], 'the fourth is past the budget');
      assert.deepEqual(result.flushed, {sent: 3, failed: 0});
      assert.equal(result.ledger.spent, 1);
      assert.ok(result.dbs.includes('vitrine-measurement'));
      assert.deepEqual(
          result.sent.map((s) => s.type).sort(), ['recency', 'top_category', 'views_per_day']);

      const request = await posted;
      // headers(), not allHeaders(): the latter waited forever for this request here; the
      // cookie cannot be read this way, credentials: 'omit' is checked in tests/node.
      const headers = request.headers();
      const body = request.postData();
      assert.ok(!headers.referer, `no Referer (got ${headers.referer})`);  // '' or absent
      assert.match(headers['content-type'], /^text\/plain/);
      const reports = JSON.parse(body);
      assert.equal(reports.length, 3);
      for (const r of reports) {
        assert.deepEqual(Object.keys(r), ['t', 'v', 'id', 'y']);
        assert.match(r.id, /^[0-9a-f]{32}$/);
      }
      assert.doesNotMatch(body, /marker-cookie|127\.0\.0\.1|http/);
      // The status only: reading the body through the protocol waited forever here, like
      // allHeaders(). flush() counted 3 sent, which it does only after a 2xx.
      assert.equal((await answered).status(), 200);
      // What sent() lists is what left.
      for (const s of result.sent) assert.equal(s.y, reports.find((r) => r.t === s.type).y);
    });
