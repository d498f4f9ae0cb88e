// Storage the browser takes away: a small quota (privacy note 19: QuotaExceededError prunes
// the oldest history and never escapes as an error) and a database deleted under an open
// page (note 18: start clean, consent asked again, no error, nothing recreated).
import assert from 'node:assert/strict';
import {after, before, beforeEach, test} from 'node:test';

import {chooseConsent, clearOrigin, deviceStorage, fetchCatalog, launchBrowser, newShopper, NOTHING_STORED, open, PURPOSES, rowIds, settle, startShop, storeRecords, watchEngineErrors} from './lib.mjs';

let shop;
let browser;
let products;  // the catalog's products, in catalog order
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  products = (await fetchCatalog(shop.url)).products;
});
after(async () => {
  await browser?.close();
  await shop?.close();
});
beforeEach(() => newShopper(browser, shop));

const QUOTA = 40_000;  // bytes for the whole origin
const NONE = Object.fromEntries(PURPOSES.map((p) => [p, false]));
// The codes the package documents for storage trouble (docs/api.md, "Events out").
const STORAGE_CODES = ['storage_full', 'storage_unavailable', 'storage_lost'];

// Views products the way the shop reports them (its own analytics module pushes view_item
// to the dataLayer), as fast as a shopper flicking through quick views.
function viewQuickly(page, items) {
  return page.evaluate(async (items) => {
    const {gaItem, pushEcommerce} = await import('/assets/analytics.js');
    for (const item of items) {
      pushEcommerce('view_item', {value: item.price, items: [gaItem(item)]});
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }, items);
}

function assertNoUncaughtErrors() {
  assert.deepEqual(
      browser.problems.filter((p) => p.kind === 'pageerror' || p.kind === 'console'), [],
      'no uncaught error, no console error');
}

test('a small quota: the shop keeps working, the history shrinks and fits', async (t) => {
  const page = await browser.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {origin: shop.url, quotaSize: QUOTA});
  let second = null;
  try {
    await open(page, `${shop.url}/`);
    const engineErrors = await watchEngineErrors(page);
    await chooseConsent(page, 'Accept all');
    const viewed = products.filter((p) => p.available).slice(0, 120);
    await viewQuickly(page, viewed);
    await settle(page);
    // The shopper browses on, on a full device: one view at a time, each written.
    for (const item of viewed.slice(0, 20)) {
      await viewQuickly(page, [item]);
      await settle(page);
    }

    const errors = await engineErrors();
    for (const {code} of errors) {
      assert.ok(
          STORAGE_CODES.includes(code),
          `error code ${JSON.stringify(code)} is one of ${STORAGE_CODES} (all: ${
              JSON.stringify([...new Set(errors.map((e) => e.code))])})`);
    }
    const stats = await page.evaluate(() => window.vitrine.stats());
    const usage = (await page.evaluate(() => navigator.storage.estimate())).usage;
    for (const e of errors) t.diagnostic(`${e.code}: ${e.message}`);
    t.diagnostic(`${errors.filter((e) => e.code === 'storage_full').length} storage_full, ${
        stats.historyEntries} of ${viewed.length} entries kept, ${usage} bytes used`);
    // The quota was reached (else this test proves nothing), and the history shrank.
    assert.ok(errors.some((e) => e.code === 'storage_full'), 'storage_full reported');
    assert.ok(
        stats.historyEntries < viewed.length,
        `the oldest entries went (${stats.historyEntries} of ${viewed.length + 20} kept)`);
    // Recently viewed keeps working: the last product viewed comes first.
    await page.locator('[data-testid="recently-viewed"] a.card').first().waitFor();
    const row = await rowIds(page, 'recently-viewed');
    assert.equal(row[0], viewed[19].id);

    // What is stored fits, reads back without damage, and a new page shows it.
    const history = await storeRecords(page, 'history');
    assert.deepEqual(history.map((r) => r.key), ['snapshot'], 'one record: the snapshot');
    assert.equal((await page.evaluate(() => window.vitrine.privacy.storedCounts())).quarantine, 0);
    second = await browser.newPage();
    await open(second, `${shop.url}/`);
    const restored = await rowIds(second, 'recently-viewed');
    assert.ok(restored.length > 0, 'a new page restores the stored history');
    // The stored copy is the last write that fitted: never more than the page kept.
    const storedEntries = (await second.evaluate(() => window.vitrine.stats())).historyEntries;
    assert.ok(storedEntries <= stats.historyEntries, `${storedEntries} stored`);
    const ids = new Set(viewed.map((p) => p.id));
    assert.ok(restored.every((id) => ids.has(id)));
    assert.deepEqual(
        await second.evaluate(() => window.vitrine.consent.get()),
        {history: true, personalization: true, measurement: true, autofill: false});
    // And the shop goes on: a product page with its rows, one more view kept in the page.
    await open(second, `${shop.url}/p/${viewed[0].id}`);
    await second.locator('[data-testid="similar"] a.card').first().waitFor();
    await settle(second);
    assertNoUncaughtErrors();
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', {origin: shop.url});  // back to the default
    await cdp.detach();
    // The pages go with their open databases before the next test clears the site's data
    // (left open, Chromium's clear-site-data once left the next page's indexedDB unanswered).
    await second?.close();
    await page.close();
  }
});

// Consent and two viewed products; the home page shows them.
// (Not measurement: with its database open, Chromium's "clear site data" after the quota
// test left indexedDB.databases() unanswered in the page; issue 8's closing note.)
async function shopperWithData(page) {
  await open(page, `${shop.url}/`);
  await page.evaluate(
      async () => (await window.vitrine.ready).consent.set({history: true, personalization: true}));
  await page.getByTestId('consent-banner').waitFor({state: 'hidden'});
  const ids =
      products.filter((p) => p.category === 'Gloves' && p.available).slice(0, 2).map((p) => p.id);
  for (const id of ids) {
    await open(page, `${shop.url}/p/${id}`);
    await settle(page);
  }
  await open(page, `${shop.url}/`);
  assert.deepEqual(await rowIds(page, 'recently-viewed'), [...ids].reverse());
  assert.equal((await storeRecords(page, 'history')).length, 1);
}

// After the data vanished: the open page goes on as for a new shopper, stores nothing until
// asked again, and stores again once the shopper says yes.
// lost: whether the engine must report 'storage_lost' (the browser closed the database
// under it). A deletion by another page may also be taken as an erase, without an error.
async function startsOverWithoutStoring(page, engineErrors, {lost}) {
  await page.bringToFront();
  await page.waitForFunction(
      () => !Object.values(window.vitrine.consent.get()).some(Boolean), null, {timeout: 5000});
  assert.deepEqual(await page.evaluate(() => window.vitrine.consent.get()), NONE);
  assert.equal(await page.evaluate(() => window.vitrine.consent.required), true);
  await page.getByTestId('consent-banner').waitFor({state: 'visible'});
  await page.locator('[data-testid="recently-viewed"][data-count="0"]').waitFor({
    state: 'attached'
  });
  const codes = (await engineErrors()).map((e) => e.code);
  if (lost) assert.ok(codes.includes('storage_lost'), `storage_lost reported: ${codes}`);
  assert.deepEqual(codes.filter((code) => code !== 'storage_lost'), [], 'no other error');

  // Browsing on: in memory only, nothing recreated.
  const quickView = page.locator('[data-quick-view]').first();
  await quickView.click();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="recently-viewed"] a.card').first().waitFor();
  await settle(page);
  assert.deepEqual(await deviceStorage(page), NOTHING_STORED, 'nothing recreated');
  await page.reload();
  await page.waitForSelector('body[data-shop-ready]', {state: 'attached'});
  assert.deepEqual(await rowIds(page, 'recently-viewed'), []);
  assert.deepEqual(await deviceStorage(page), NOTHING_STORED, 'nothing recreated by a reload');

  // Until consent is given again.
  await chooseConsent(page, 'Accept all');
  await page.locator('[data-quick-view]').nth(1).click();
  await page.keyboard.press('Escape');
  await settle(page);
  assert.equal((await storeRecords(page, 'history')).length, 1);
  assertNoUncaughtErrors();
}

test('site data cleared under an open page: no error, consent asked again', async () => {
  const page = await browser.newPage();
  await shopperWithData(page);
  const engineErrors = await watchEngineErrors(page);
  // What "Clear site data" in the browser's settings does, while the page stays open.
  await clearOrigin(browser.context, shop.url);
  // Read from another page: in the page whose database was closed under it, Chromium has
  // left indexedDB.databases() unanswered (fresh-clone runs, deviceStorage's deadline).
  const other = await browser.newPage();
  await other.goto(`${shop.url}/catalog.json`);
  assert.deepEqual((await deviceStorage(other)).databases, []);
  await other.close();
  const favicon = (p) => p.url === `${shop.url}/catalog.json` && /404/.test(p.text);
  browser.problems.splice(0, Infinity, ...browser.problems.filter((p) => !favicon(p)));
  await startsOverWithoutStoring(page, engineErrors, {lost: true});
});

test('the database deleted by another page: no error, consent asked again', async () => {
  const page = await browser.newPage();
  await shopperWithData(page);
  const engineErrors = await watchEngineErrors(page);
  // Another page of the origin (here a plain JSON document, without the package).
  const other = await browser.newPage();
  await other.goto(`${shop.url}/catalog.json`);
  await other.evaluate(() => new Promise((resolve, reject) => {
                         const request = indexedDB.deleteDatabase('vitrine');
                         request.onsuccess = () => resolve();
                         request.onerror = () => reject(request.error);
                       }));
  assert.deepEqual((await deviceStorage(other)).databases, []);
  await other.close();
  // (Chromium asks a JSON document's origin for /favicon.ico, a 404 here: not the shop's.)
  const favicon = (p) => p.url === `${shop.url}/catalog.json` && /404/.test(p.text);
  browser.problems.splice(0, Infinity, ...browser.problems.filter((p) => !favicon(p)));
  await startsOverWithoutStoring(page, engineErrors, {lost: false});
});
