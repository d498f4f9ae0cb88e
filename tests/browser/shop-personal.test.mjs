// Segments, rules, rerank and experiments in the demo shop, in Chromium with real
// IndexedDB: the exit-intent offer once per cool-down, the cart reminder on return, the
// search order for a shopper with an affinity and not for a new one, a stable experiment
// variant, nothing without `personalization` (not even the rules chunk), and withdrawal
// clearing every tab. Time is moved with Playwright's clock (Date only; timers run).
import assert from 'node:assert/strict';
import {after, before, beforeEach, test} from 'node:test';

import {chooseConsent, deviceStorage, fetchCatalog, launchBrowser, newShopper, NOTHING_STORED, open, recordRequests, settle, startShop, storeRecords} from './lib.mjs';

const T0 = Date.UTC(2026, 5, 1, 12);
const HOUR = 3600 * 1000;

let shop;
let browser;
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await shop?.close();
});
beforeEach(async () => {
  await newShopper(browser, shop);
  await browser.context.clock.setFixedTime(T0);
});

const visible = (page, testid) => page.getByTestId(testid).waitFor({state: 'visible'});
// The pointer leaving through the top of the window, toward the tab bar.
const leave = (page) => page.evaluate(
    () => document.documentElement.dispatchEvent(
        new MouseEvent('mouseout', {bubbles: true, clientX: 300, clientY: -2})));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function acceptAll(page) {
  await open(page, `${shop.url}/`);
  await chooseConsent(page, 'Accept all');
  await visible(page, 'personal-banner');  // the rule pack is loaded and ran page_view
}

test('exit intent shows the offer, once per cool-down, across reloads', async () => {
  const page = await browser.newPage();
  await acceptAll(page);
  // A visit is made of product events (docs/segments.md): this one views a product.
  await open(page, `${shop.url}/p/1005`);
  await visible(page, 'personal-banner');
  await leave(page);
  await visible(page, 'exit-offer');
  const offer = page.getByTestId('exit-offer');
  assert.equal(await offer.getAttribute('data-offer'), 'new', 'a new visitor: free shipping');
  assert.match(await offer.getAttribute('title'), /^Why: exit_intent/);
  await offer.getByRole('button', {name: 'No thanks'}).click();
  await leave(page);
  await pause(300);
  assert.equal(await offer.isHidden(), true, 'not again within the cool-down');
  await settle(page);

  await open(page, `${shop.url}/`);
  await visible(page, 'personal-banner');
  await leave(page);
  await pause(300);
  assert.equal(await page.getByTestId('exit-offer').isHidden(), true, 'not after a reload either');

  await browser.context.clock.setFixedTime(T0 + 25 * HOUR);
  await open(page, `${shop.url}/`);
  await visible(page, 'personal-banner');
  await leave(page);
  await visible(page, 'exit-offer');
  assert.equal(
      await page.getByTestId('exit-offer').getAttribute('data-offer'), 'returning',
      'a day later, as a returning visitor: 10%');
  assert.deepEqual(browser.problems, []);
});

test('a cart left in an earlier visit is recalled on return', async () => {
  const page = await browser.newPage();
  await acceptAll(page);
  // An item below the €75 free-shipping threshold.
  const cheap = (await fetchCatalog(shop.url)).products.find((p) => p.available && p.price < 60);
  await open(page, `${shop.url}/p/${cheap.id}`);
  await page.locator(`[data-add-to-cart="${cheap.id}"]`).click();
  await page.getByTestId('free-shipping-nudge').waitFor({state: 'visible'});
  assert.match(
      await page.getByTestId('free-shipping-nudge').textContent(),
      /^Add €\d+\.\d\d more for free shipping\.$/);
  assert.equal(await page.getByTestId('cart-reminder').isHidden(), true, 'not in the same visit');
  await settle(page);
  await page.close();

  await browser.context.clock.setFixedTime(T0 + 26 * HOUR);
  const back = await browser.newPage();
  await open(back, `${shop.url}/`);
  await visible(back, 'cart-reminder');
  assert.match(await back.getByTestId('cart-reminder').textContent(), /You left €\d+\.\d\d of /);
  assert.deepEqual(browser.problems, []);
});

async function searchOrder(page) {
  await open(page, `${shop.url}/search?q=blue`);
  await page.locator('[data-testid="search-results"][data-state="ready"]').waitFor({
    state: 'attached'
  });
  return page.locator('[data-testid="search-results"] li.card-cell')
      .evaluateAll((cells) => cells.map((li) => ({
                                          id: li.dataset.itemId,
                                          category: li.dataset.category,
                                          shift: Number(li.dataset.shift)
                                        })));
}

test('search order follows a clear affinity, and not for a new shopper', async () => {
  const page = await browser.newPage();
  await acceptAll(page);
  const first = await searchOrder(page);
  assert.ok(first.length >= 10);
  assert.ok(first.every((r) => r.shift === 0), 'a new shopper keeps the shop\'s order');
  // A category that starts late in the shop's order, viewed three times.
  const late =
      first.slice(6).find((r) => !first.slice(0, 6).some((f) => f.category === r.category));
  assert.ok(late, 'the search has a category that starts after the sixth result');
  const own = first.filter((r) => r.category === late.category).slice(0, 3);
  for (const {id} of own) {
    await open(page, `${shop.url}/p/${id}`);
    await settle(page);
  }
  const second = await searchOrder(page);
  assert.deepEqual(second.map((r) => r.id).sort(), first.map((r) => r.id).sort(), 'same results');
  assert.notDeepEqual(second.map((r) => r.id), first.map((r) => r.id), 'a different order');
  const index = (list, id) => list.findIndex((r) => r.id === id);
  assert.ok(index(second, late.id) < index(first, late.id), 'the affinity category moved up');
  for (const r of second) {
    assert.ok(Math.abs(index(second, r.id) - index(first, r.id)) <= 3, `${r.id} moved at most 3`);
  }
});

test('the experiment variant is stable across reloads and its exposure logged', async () => {
  const page = await browser.newPage();
  await acceptAll(page);
  await visible(page, 'experiment');
  const variant = await page.getByTestId('experiment').getAttribute('data-variant');
  assert.ok(['plain', 'arrow'].includes(variant));
  for (let i = 0; i < 3; ++i) {
    await open(page, `${shop.url}/`);
    await visible(page, 'experiment');
    assert.equal(await page.getByTestId('experiment').getAttribute('data-variant'), variant);
  }
  const log = await page.evaluate(async () => (await window.vitrine.ready).privacy.experiments());
  assert.equal(log['cta-copy'].variant, variant);
  assert.ok(log['cta-copy'].count >= 4);
});

test(
    'without personalization nothing runs and nothing is stored; no rules chunk is fetched',
    async () => {
      const page = await browser.newPage();
      const requests = recordRequests(page);
      await open(page, `${shop.url}/`);
      await chooseConsent(page, 'Only necessary');
      await leave(page);
      const order = await searchOrder(page);
      assert.ok(order.every((r) => r.shift === 0));
      await pause(300);
      for (const testid of ['personal-banner', 'exit-offer', 'cart-reminder', 'experiment']) {
        assert.equal(await page.getByTestId(testid).isHidden(), true, testid);
      }
      assert.deepEqual(
          await page.evaluate(async () => (await window.vitrine.ready).segments().lifecycle), null);
      assert.deepEqual(requests.filter((r) => /vitrine-rules|rules\.json/.test(r.url)), []);
      assert.deepEqual(await deviceStorage(page), NOTHING_STORED);

      // History without personalization: the history is kept, nothing of this feature.
      await page.evaluate(async () => (await window.vitrine.ready).consent.set({history: true}));
      await open(page, `${shop.url}/p/1005`);
      await leave(page);
      await settle(page);
      assert.deepEqual(await storeRecords(page, 'profile'), []);
      assert.deepEqual(requests.filter((r) => /vitrine-rules|rules\.json/.test(r.url)), []);
    });

test('withdrawing personalization clears segments, caps and exposures in every tab', async () => {
  const one = await browser.newPage();
  await acceptAll(one);
  await leave(one);
  await visible(one, 'exit-offer');
  await settle(one);
  const two = await browser.newPage();
  await open(two, `${shop.url}/`);
  await visible(two, 'experiment');
  await settle(two);
  const keys = (await storeRecords(two, 'profile')).map((r) => r.key).sort();
  assert.deepEqual(keys, ['experiments', 'rules']);

  await two.evaluate(
      async () => (await window.vitrine.ready).consent.set({personalization: false}));
  await settle(two);
  assert.deepEqual(await storeRecords(two, 'profile'), []);
  await one.bringToFront();
  await one.waitForFunction(async () => {
    const v = await window.vitrine.ready;
    return v.segments().lifecycle === null && Object.keys(v.privacy.experiments()).length === 0;
  });
  await one.getByTestId('personal-banner').waitFor({state: 'hidden'});
  await settle(one);
  assert.deepEqual(await storeRecords(one, 'profile'), []);
});

test(
    'the privacy center shows each segment with why, and none without personalization',
    async () => {
      const page = await browser.newPage();
      await acceptAll(page);
      for (const id of ['1005', '1042']) await open(page, `${shop.url}/p/${id}`);
      await settle(page);
      const requests = recordRequests(page);
      await open(page, `${shop.url}/privacy`);
      const lifecycle = page.locator('[data-testid="privacy-segments"] [data-segment="lifecycle"]');
      await lifecycle.waitFor({state: 'visible'});
      assert.equal(await lifecycle.locator('[part~="item-name"]').textContent(), 'Lifecycle: new');
      assert.match(
          await lifecycle.locator('[part~="item-meta"]').textContent(),
          /no earlier visit and no order/);
      const engagement =
          page.locator('[data-testid="privacy-segments"] [data-segment="engagement"]');
      assert.match(await engagement.textContent(), /1 visit and 2 product events in 30 days/);
      // This page never loads a rule pack: the rules chunk is not fetched, consent or not.
      assert.deepEqual(requests.filter((r) => /vitrine-rules/.test(r.url)), []);
      assert.ok(
          requests.some((r) => /\/vitrine\/vitrine(\.[0-9a-f]{16})?\.js$/.test(r.url)),
          'requests recorded');
      await page.evaluate(
          async () => (await window.vitrine.ready).consent.set({personalization: false}));
      await page.getByTestId('privacy-segments-empty').waitFor({state: 'visible'});
      assert.equal(await page.getByTestId('privacy-segments').isHidden(), true);
    });

test('the home page shows the bestsellers of the shopper\'s own segment', async () => {
  const catalog = await fetchCatalog(shop.url);
  const page = await browser.newPage();
  await acceptAll(page);
  const row = page.getByTestId('bestsellers');
  await row.and(page.locator('[data-state="ready"]')).waitFor({state: 'attached'});
  assert.equal(await row.getAttribute('data-segment'), 'all');
  const boots = catalog.products.filter((p) => p.category === 'Boots' && p.available).slice(0, 3);
  for (const p of boots) await open(page, `${shop.url}/p/${p.id}`);
  await settle(page);
  await open(page, `${shop.url}/`);
  await row.and(page.locator('[data-state="ready"]')).waitFor({state: 'attached'});
  assert.equal(await row.getAttribute('data-segment'), 'category:Boots');
  assert.equal(await row.locator('h2').textContent(), 'Bestsellers in Boots');
  const ids =
      await row.locator('a.card').evaluateAll((cards) => cards.map((a) => a.dataset.itemId));
  const category = new Map(catalog.products.map((p) => [p.id, p.category]));
  assert.ok(ids.length > 0 && ids.every((id) => category.get(id) === 'Boots'), ids.join(' '));
});

test('inactivity fires after the quiet time, and activity postpones it', async () => {
  const page = await browser.newPage();
  await acceptAll(page);
  const fired = await page.evaluate(async () => {
    const v = await window.vitrine.ready;
    const seen = [];
    v.on('action', ({ruleId}) => seen.push({ruleId, at: performance.now()}));
    const start = performance.now();
    await v.rules.load({
      version: 1,
      rules: [{
        id: 'idle',
        trigger: 'inactivity',
        params: {seconds: 1},
        action: {type: 'message', text: 'Need help?'}
      }],
    });
    // Activity at 0.6 s pushes the deadline to about 1.6 s.
    await new Promise((resolve) => setTimeout(resolve, 600));
    document.dispatchEvent(new KeyboardEvent('keydown', {key: 'a'}));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const early = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 900));
    return {early, seen: seen.map((s) => ({ruleId: s.ruleId, after: s.at - start}))};
  });
  assert.equal(fired.early, 0, 'not while the shopper was active');
  assert.equal(fired.seen.length, 1);
  assert.equal(fired.seen[0].ruleId, 'idle');
  assert.ok(fired.seen[0].after >= 1500, `${fired.seen[0].after} ms`);
});
