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

// Views one product after another, as fast as the page lets it, with a full write of the
// history (flush() starts the one that would wait a second) and a retention run (which
// prunes and rewrites the history) every tenth view.
function browse(page, ids) {
  return page.evaluate(async (ids) => {
    const v = await window.vitrine.ready;
    for (let i = 0; i < ids.length; ++i) {
      v.track({event: 'view_item', items: [{item_id: ids[i]}]});
      if (i % 10 === 9) {
        v.privacy.enforceRetention();
        await v.flush();
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await v.flush();
  }, ids);
}

test('two tabs write and prune the history one at a time, and lose nothing', async (t) => {
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
  t.diagnostic(`${held.length} writes under the lock`);
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

// Two tabs fire a capped rule while neither can write (a third holder keeps the lock): each
// tab's write must keep the other's time (it merges what is stored, under the lock), so a
// third tab finds the cap reached. On the privacy page, where the demo loads no rule pack
// of its own to replace this one.
const CAPPED = {
  version: 1,
  rules: [{
    id: 'capped',
    trigger: 'event',
    cap: {max: 2, perHours: 24},
    action: {type: 'message', text: 'Hello again'},
  }],
};

// Loads the pack, tracks a view and counts the firings; writes may still be waiting.
function fire(page, item) {
  return page.evaluate(async ({rules, item}) => {
    const v = await window.vitrine.ready;
    let fired = 0;
    v.on('action', (a) => (fired += a.ruleId === 'capped' ? 1 : 0));
    await v.rules.load(rules);
    v.track({event: 'view_item', items: [{item_id: item}]});
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {fired, reason: (await v.rules.decisions()).at(-1)?.reason};
  }, {rules: CAPPED, item});
}
const flush = (page) => page.evaluate(async () => (await window.vitrine.ready).flush());

test('a capped rule fired in two tabs at once counts both firings', async () => {
  const [a, b, holder] =
      [await browser.newPage(), await browser.newPage(), await browser.newPage()];
  await open(a, `${shop.url}/privacy`);
  if (await a.evaluate(async () => (await window.vitrine.ready).consent.required)) {
    await chooseConsent(a, 'Accept all');
  }
  await open(b, `${shop.url}/privacy`);
  await open(holder, `${shop.url}/privacy`);
  await holder.evaluate(() => new Promise((held) => {
                          navigator.locks.request('vitrine:vitrine', () => {
                            held();
                            return new Promise((release) => (window.releaseLock = release));
                          });
                        }));
  const [inA, inB] = await Promise.all([fire(a, 'tab-a'), fire(b, 'tab-b')]);
  assert.deepEqual([inA.fired, inB.fired], [1, 1], JSON.stringify([inA, inB]));
  await holder.evaluate(() => window.releaseLock());
  await Promise.all([flush(a), flush(b)]);

  const c = await browser.newPage();
  await open(c, `${shop.url}/privacy`);
  const inC = await fire(c, 'tab-c');
  assert.equal(inC.fired, 0, 'the cap of 2 is reached');
  assert.match(inC.reason, /cap of 2/);
  for (const page of [a, b, holder, c]) await page.close();
});
