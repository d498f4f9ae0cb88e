// Without consent, and with "Only necessary", the shop and Vitrine leave nothing on the
// device (privacy note 1): no IndexedDB, localStorage, cookie, Cache Storage or service
// worker, while recently viewed still works in memory for the page.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, deviceStorage, fetchCatalog, launchBrowser, NOTHING_STORED, open, rowIds, settle, startShop} from './lib.mjs';

let shop;
let boots;  // three boots in stock
before(async () => {
  shop = await startShop();
  const {products} = await fetchCatalog(shop.url);
  boots =
      products.filter((p) => p.category === 'Boots' && p.available).slice(0, 3).map((p) => p.id);
});
after(async () => {
  await shop?.close();
});

const NONE = {
  history: false,
  personalization: false,
  measurement: false,
  autofill: false
};

// Home, a category, three products (two added to the cart), the cart, checkout, order.
async function browseAndBuy(page) {
  await open(page, `${shop.url}/`);
  await open(page, `${shop.url}/c/boots`);
  for (const id of boots) {
    await open(page, `${shop.url}/p/${id}`);
    if (id !== boots[1]) await page.getByRole('button', {name: 'Add to cart'}).click();
  }
  assert.equal(await page.getByTestId('cart-count').textContent(), '2');
  await open(page, `${shop.url}/cart`);
  assert.equal(await page.locator('.cart-line').count(), 2);
  await page.getByRole('button', {name: 'Go to checkout'}).click();
  await page.getByRole('button', {name: 'Place order'}).click();
  await page.getByTestId('order-confirmation').waitFor({state: 'visible'});
  assert.equal(await page.getByTestId('cart-count').textContent(), '0');
  const events = await page.evaluate(() => window.dataLayer.map((e) => e.event).filter(Boolean));
  assert.deepEqual(events, ['view_cart', 'begin_checkout', 'purchase']);
  // The engine did receive the events: storing nothing is not the same as seeing nothing.
  const stats = await page.evaluate(async () => (await window.vitrine.ready).stats());
  assert.ok(stats.accepted >= 3, `accepted ${stats.accepted}`);
  assert.equal(stats.rejected, 0, 'every event the shop pushed is valid GA4 ecommerce');
  await settle(page);
}

// Quick view on the home page records a view in memory: the row shows it at once, and a
// reload forgets it.
async function inMemoryOnly(page) {
  await open(page, `${shop.url}/`);
  assert.deepEqual(await rowIds(page, 'recently-viewed'), [], 'earlier pages were not kept');
  const first = page.locator('[data-quick-view]').first();
  const id = await first.getAttribute('data-quick-view');
  await first.click();
  await page.getByTestId('quick-view').waitFor({state: 'visible'});
  await page.locator('[data-testid="recently-viewed"] a.card').first().waitFor();
  assert.deepEqual(await rowIds(page, 'recently-viewed'), [id]);
  await settle(page);
  await page.reload();
  await page.waitForSelector('body[data-shop-ready]', {state: 'attached'});
  assert.deepEqual(await rowIds(page, 'recently-viewed'), [], 'gone after a reload');
}

test('no consent: browsing and checking out stores nothing on the device', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await browseAndBuy(page);
    assert.equal(
        await page.getByTestId('consent-banner').isVisible(), true,
        'the banner waits for a choice');
    assert.deepEqual(
        await page.evaluate(async () => (await window.vitrine.ready).consent.get()), NONE);
    assert.deepEqual(await deviceStorage(page), NOTHING_STORED);
    await inMemoryOnly(page);
    assert.deepEqual(await deviceStorage(page), NOTHING_STORED);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('"Only necessary" stores nothing either, and the banner asks again', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await open(page, `${shop.url}/`);
    await chooseConsent(page, 'Only necessary');
    assert.deepEqual(
        await page.evaluate(async () => (await window.vitrine.ready).consent.get()), NONE);
    await browseAndBuy(page);
    assert.deepEqual(await deviceStorage(page), NOTHING_STORED);
    await inMemoryOnly(page);
    assert.deepEqual(await deviceStorage(page), NOTHING_STORED);
    // Nothing may be stored, so nothing remembers the choice either.
    await page.getByTestId('consent-banner').waitFor({state: 'visible'});
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});
