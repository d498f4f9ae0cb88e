// Privacy note 21: two tabs' history writes and pruning run one at a time under a Web Lock,
// and no tab's write loses another's. Each lock holder's time span is recorded from inside
// the page (the package's navigator.locks.request calls, wrapped before it loads).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, fetchCatalog, launchBrowser, open, settle, startShop} from './lib.mjs';

let shop;
let browser;
let products;
const spans = [];
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  products = (await fetchCatalog(shop.url)).products;
  await browser.context.exposeBinding(
      '__lockSpan', ({page}, span) => spans.push({...span, page: page.url()}));
  await browser.context.addInitScript(() => {
    if (typeof LockManager !== 'function') return;  // about:blank
    const request = LockManager.prototype.request;
    LockManager.prototype.request = function(name, ...rest) {
      const fn = rest.pop();
      const now = () => performance.timeOrigin + performance.now();
      rest.push(async (lock) => {
        const start = now();
        try {
          return await fn(lock);
        } finally {
          window.__lockSpan({name, start, end: now(), tab: window.name});
        }
      });
      return request.call(this, name, ...rest);
    };
  });
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

// Views one product after another, as fast as the page lets it, with a retention run (which
// prunes and rewrites the history) every tenth view.
function browse(page, ids) {
  return page.evaluate(async (ids) => {
    const v = await window.vitrine.ready;
    for (let i = 0; i < ids.length; ++i) {
      v.track({event: 'view_item', items: [{item_id: ids[i]}]});
      if (i % 10 === 9) v.privacy.enforceRetention();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await v.flush();
  }, ids);
}

test('two tabs write and prune the history one at a time, and lose nothing', async () => {
  const a = await browser.newPage();
  await open(a, `${shop.url}/`);
  await a.evaluate(() => (window.name = 'a'));
  await chooseConsent(a, 'Accept all');
  const b = await browser.newPage();
  await open(b, `${shop.url}/`);
  await b.evaluate(() => (window.name = 'b'));
  await settle(a);
  await settle(b);
  spans.length = 0;

  const ids = products.map((p) => p.id);
  const fromA = ids.slice(0, 30);
  const fromB = ids.slice(30, 60);
  await Promise.all([browse(a, fromA), browse(b, fromB)]);
  await settle(a);
  await settle(b);

  const held = spans.filter((s) => s.name === 'vitrine:vitrine').sort((x, y) => x.start - y.start);
  assert.ok(held.some((s) => s.tab === 'a') && held.some((s) => s.tab === 'b'), 'both tabs wrote');
  assert.ok(held.length >= 4, `${held.length} writes under the lock`);
  // One holder at a time (1 ms for the coarsened clocks of two pages).
  for (let i = 1; i < held.length; ++i) {
    assert.ok(
        held[i].start >= held[i - 1].end - 1,
        `write ${i} (${held[i].tab}) began ${held[i - 1].end - held[i].start} ms before ${
            held[i - 1].tab}'s ended`);
  }
  // And the merge under the lock kept every view of both tabs.
  const c = await browser.newPage();
  await open(c, `${shop.url}/privacy`);
  const viewed = await c.evaluate(async () => {
    const v = await window.vitrine.ready;
    return (await v.privacy.export()).history.events.map((e) => e.itemId);
  });
  const missing = [...fromA, ...fromB].filter((id) => !viewed.includes(id));
  assert.deepEqual(missing, []);
  assert.deepEqual(browser.problems, []);
});
