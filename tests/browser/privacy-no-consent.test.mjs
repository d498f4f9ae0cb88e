// Privacy note 1: nothing on the device and nothing sent before consent. A new shopper
// browses, buys and opens the privacy center without answering the banner: no IndexedDB
// database, localStorage, cookie, Cache Storage entry or service worker, and every request
// the pages made is a GET of a page, an asset, the package or the pack (no POST, no beacon,
// nothing to a collector). Nothing is even read: the package looks for a stored consent in
// the browser's list of databases, and opens none that is not there.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {deviceStorage, fetchCatalog, launchBrowser, NOTHING_STORED, open, openPrivacy, PURPOSES, recordRequests, settle, startShop} from './lib.mjs';

let shop;
let browser;
let tents;          // two tents in stock
const opened = [];  // every indexedDB.open / deleteDatabase a page made: [name, url]
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  await browser.context.exposeBinding(
      '__idbOpened', ({page}, call) => opened.push([call, page.url()]));
  await browser.context.addInitScript(() => {
    for (const method of ['open', 'deleteDatabase']) {
      const original = IDBFactory.prototype[method];
      IDBFactory.prototype[method] = function(name, ...rest) {
        window.__idbOpened(`${method} ${name}`);
        return original.call(this, name, ...rest);
      };
    }
  });
  const {products} = await fetchCatalog(shop.url);
  tents =
      products.filter((p) => p.category === 'Tents' && p.available).slice(0, 2).map((p) => p.id);
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

// What the shop's pages may fetch: pages, images, the catalog, the shop's assets, the
// package (with its components' chunk and stylesheet, the banner's and the rights' chunks) and the
// pack. Nothing else exists on the server, and nothing here sends data.
const ALLOWED_PATH = new RegExp(
    '^/(?:|c/[a-z0-9-]+|p/[0-9]+|cart|privacy|img/[0-9]+\\.svg|catalog\\.json|' +
    'vitrine/(?:vitrine(?:\\.[0-9a-f]{16})?\\.(?:js|wasm)|vitrine-(?:widgets|privacy-center|banner|rights)(?:-[a-zA-Z-]+)?\\.(?:mjs|css)|pack\\.vpk)|' +
    'assets/[a-z0-9-]+\\.(?:css|js|svg))$');
// Path segments a collector would use (the shop has none; the package must not invent one).
const COLLECTOR = /\/(?:g\/)?(?:collect|reports?|beacon|sync|events?|api|v[0-9]+)(?:\/|$)/i;

function assertOnlyFetches(requests) {
  assert.ok(requests.length > 0);
  for (const {method, url, type} of requests) {
    const where = new URL(url);
    assert.equal(where.origin, shop.url, `${method} ${url}: only the shop's own origin`);
    assert.equal(method, 'GET', `${url} (${type}): only GET`);
    assert.match(where.pathname, ALLOWED_PATH, `${url} (${type}) is a page, asset or pack`);
    assert.doesNotMatch(where.pathname, COLLECTOR, `${url}: nothing goes to a collector`);
  }
}

test(
    'before consent, browsing, checking out and the privacy center store and send nothing',
    async () => {
      const page = await browser.newPage();
      const requests = recordRequests(page);
      const checkNothingStored = async (where) =>
          assert.deepEqual(await deviceStorage(page), NOTHING_STORED, where);

      await open(page, `${shop.url}/`);
      await checkNothingStored('home');
      await open(page, `${shop.url}/c/tents?sort=price-asc`);
      await page.locator('[data-quick-view]').first().click();
      await page.getByTestId('quick-view').waitFor({state: 'visible'});
      await page.keyboard.press('Escape');
      for (const id of tents) {
        await open(page, `${shop.url}/p/${id}`);
        await page.getByRole('button', {name: 'Add to cart'}).click();
        await page.getByTestId('cart-status').filter({hasText: 'Added'}).waitFor();
      }
      await settle(page);
      await checkNothingStored('after viewing products and adding them to the cart');
      await open(page, `${shop.url}/cart`);
      await page.getByRole('button', {name: 'Go to checkout'}).click();
      await page.getByRole('button', {name: 'Place order'}).click();
      await page.getByTestId('order-confirmation').waitFor({state: 'visible'});
      const events =
          await page.evaluate(() => window.dataLayer.map((e) => e.event).filter(Boolean));
      assert.deepEqual(events, ['view_cart', 'begin_checkout', 'purchase']);
      const stats = await page.evaluate(async () => (await window.vitrine.ready).stats());
      assert.ok(stats.accepted >= 3, 'the engine saw the checkout, in memory');
      assert.equal(stats.rejected, 0);
      await settle(page);
      await checkNothingStored('after the order');

      // The privacy center reads everything there is to read: still nothing stored.
      await openPrivacy(page, shop.url);
      for (const name of PURPOSES) {
        assert.equal(
            await page.getByTestId(`switch-${name}`).getAttribute('aria-checked'), 'false');
        assert.equal(await page.getByTestId(`consent-state-${name}`).textContent(), 'Not allowed');
      }
      await page.getByTestId('privacy-sent-empty').waitFor({state: 'visible'});
      assert.equal(await page.getByTestId('privacy-history-empty').isVisible(), true);
      assert.equal(await page.getByTestId('privacy-consent-log-empty').isVisible(), true);
      assert.equal(
          await page.evaluate(async () => (await window.vitrine.ready).consent.required), true);
      await settle(page);
      await checkNothingStored('after the privacy center');
      assert.deepEqual(opened, [], 'no database was opened, created or deleted');

      assert.equal(await page.getByTestId('consent-banner').isVisible(), true, 'still asking');
      assertOnlyFetches(requests);
      assert.ok(
          requests.some((r) => r.url.endsWith('/vitrine/pack.vpk')),
          'the pack was fetched (a GET, like any asset)');
      await page.close();
      assert.deepEqual(browser.problems, []);
    });
