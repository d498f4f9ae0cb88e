// Privacy note 4: withdrawal is as easy as giving, immediate, and in every tab. Three tabs
// of one shopper; withdrawing History with one click on the privacy center of one tab
// empties "Recently viewed" in the two others within a second, and no history record is
// left in IndexedDB. The other tabs then stop storing.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, fetchCatalog, launchBrowser, open, openPrivacy, rowIds, settle, startShop, storeRecords} from './lib.mjs';

let shop;
let browser;
let viewed;  // three jackets in stock
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  const {products} = await fetchCatalog(shop.url);
  viewed =
      products.filter((p) => p.category === 'Jackets' && p.available).slice(0, 3).map((p) => p.id);
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

const noCards = () => document.querySelector('[data-testid="recently-viewed"]')
                          .shadowRoot.querySelectorAll('a.card')
                          .length === 0;

test('withdrawing History in one tab empties the other tabs within 1 s', async (t) => {
  const [privacy, home, product] =
      [await browser.newPage(), await browser.newPage(), await browser.newPage()];
  await open(home, `${shop.url}/`);
  await chooseConsent(home, 'Accept all');
  for (const id of viewed) {
    await open(product, `${shop.url}/p/${id}`);
    await settle(product);
  }
  await open(home, `${shop.url}/`);
  await open(product, `${shop.url}/p/${viewed[2]}`);  // the newest again: the order stays
  await settle(product);
  await openPrivacy(privacy, shop.url);
  const newestFirst = [...viewed].reverse();
  assert.deepEqual(await rowIds(home, 'recently-viewed'), newestFirst);
  assert.deepEqual(await rowIds(product, 'recently-viewed'), newestFirst.slice(1));
  assert.equal(await privacy.locator('[data-testid="privacy-history"] li').count(), 3);
  assert.equal((await storeRecords(privacy, 'history')).length, 1, 'the history is stored');

  // One click. The clock runs from before the click until both other tabs show no card.
  await privacy.bringToFront();
  const historySwitch = privacy.getByTestId('switch-history');
  assert.equal(await historySwitch.getAttribute('aria-checked'), 'true');
  const start = Date.now();
  await historySwitch.click();
  await Promise.all([home, product].map(
      (page) => page.waitForFunction(noCards, null, {polling: 10, timeout: 5000})));
  const elapsed = Date.now() - start;
  assert.ok(elapsed < 1000, `the other tabs emptied in ${elapsed} ms`);
  t.diagnostic(`the other tabs emptied ${elapsed} ms after the click`);

  assert.deepEqual(await storeRecords(home, 'history'), [], 'no history record remains');
  for (const page of [privacy, home, product]) {
    const purposes = await page.evaluate(async () => (await window.vitrine.ready).consent.get());
    assert.deepEqual(
        purposes, {history: false, personalization: true, measurement: true, autofill: false},
        page.url());
  }
  await privacy.getByTestId('privacy-history-empty').waitFor({state: 'visible'});
  assert.equal(await historySwitch.getAttribute('aria-checked'), 'false');
  assert.equal(await privacy.getByTestId('consent-state-history').textContent(), 'Not allowed');
  assert.match(
      await privacy.locator('[data-testid="privacy-consent-log"] tbody tr').first().textContent(),
      /History\s*Withdrawn/);

  // The other tabs stop: a view still shows on the page, and nothing is written.
  await home.bringToFront();
  await home.locator('[data-quick-view]').first().click();
  await home.locator('[data-testid="recently-viewed"] a.card').first().waitFor();
  await settle(home);
  await open(product, `${shop.url}/p/${viewed[1]}`);
  await settle(product);
  assert.deepEqual(await storeRecords(product, 'history'), [], 'still no history record');
  await product.bringToFront();
  await product.reload();
  await product.waitForSelector('body[data-shop-ready]', {state: 'attached'});
  assert.deepEqual(await rowIds(product, 'recently-viewed'), [], 'nothing came back');

  // Granting it again is one click too, and storing starts again.
  await privacy.bringToFront();
  await privacy.getByTestId('switch-history').click();
  await privacy.getByTestId('consent-state-history').filter({hasText: /^Allowed$/}).waitFor();
  await open(product, `${shop.url}/p/${viewed[2]}`);
  await settle(product);
  assert.equal((await storeRecords(product, 'history')).length, 1);
  for (const page of [privacy, home, product]) await page.close();
  assert.deepEqual(browser.problems, []);
});
