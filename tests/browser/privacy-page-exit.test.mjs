// No write lost at page exit: a view or an add to cart followed at once by a navigation is
// in the history on the next page. IndexedDB aborts what is not committed when a page is
// left, and what still waits behind another transaction on its store
// (`node bench/idb_page_exit.mjs`); each event's own small record (js/src/local-state.js,
// journal) goes to a store nothing else holds, and the next page folds it into the history.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, fetchCatalog, launchBrowser, open, startShop} from './lib.mjs';

let shop;
let browser;
let products;
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  products = (await fetchCatalog(shop.url)).products.filter((p) => p.available);
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

const REPETITIONS = 50;

test(`${REPETITIONS} events each followed at once by a navigation: none is lost`, async (t) => {
  const page = await browser.newPage();
  await open(page, `${shop.url}/`);
  await chooseConsent(page, 'Accept all');
  const expected = [];
  for (let i = 0; i < REPETITIONS; ++i) {
    const product = products[i];
    const next = `${shop.url}/p/${products[i + 1].id}`;
    if (i % 2 === 0) {
      // A view: the product page reports it on arrival; the shopper leaves as soon as the
      // engine has it (same task as the event reaching the engine, so nothing else runs).
      await page.goto(`${shop.url}/p/${product.id}`);
      // The shop pushes its view_item once its catalog is in, which may be after the engine
      // is ready: a page left before that never had the view.
      await page.waitForFunction(
          () => (window.dataLayer ?? []).some((e) => e?.event === 'view_item'));
      await page.evaluate((next) => {
        window.vitrine.ready.then(() => {
          location.href = next;
        });
      }, next);
      expected.push(['view_item', product.id]);
    } else {
      // An add to cart pushed by the theme once the engine runs (a push before that waits in
      // the dataLayer for it, and a page left before it ever ran cannot keep anything), and
      // the navigation in the same task.
      await page.evaluate(() => window.vitrine.ready.then(() => {}));
      await page.evaluate(({id, price, next}) => {
        window.dataLayer.push({
          event: 'add_to_cart',
          ecommerce: {items: [{item_id: id, price, quantity: 1}]},
        });
        location.href = next;
      }, {id: product.id, price: product.price, next});
      expected.push(['add_to_cart', product.id]);
    }
    await page.waitForURL(next);
  }
  await open(page, `${shop.url}/privacy`);
  const events = await page.evaluate(async () => {
    const v = await window.vitrine.ready;
    await v.flush();
    return (await v.privacy.export()).history.events.map((e) => [e.event, e.itemId]);
  });
  const kept = new Set(events.map((e) => e.join(' ')));
  const lost = expected.filter((e) => !kept.has(e.join(' ')));
  t.diagnostic(`${expected.length - lost.length} of ${expected.length} kept`);
  assert.deepEqual(lost, [], 'every event survives the navigation that followed it');
  // Folded into the snapshot: no journal record is left once the page has settled.
  const keys = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('vitrine');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const stores = ['history', 'journal-0', 'journal-1', 'journal-2', 'journal-3'];
    const tx = db.transaction(stores);
    const all = await Promise.all(stores.map(
        (store) => new Promise((resolve) => {
          tx.objectStore(store).getAllKeys().onsuccess = (e) => resolve([store, e.target.result]);
        })));
    db.close();
    return Object.fromEntries(all);
  });
  assert.deepEqual(keys, {
    history: ['snapshot'],
    'journal-0': [],
    'journal-1': [],
    'journal-2': [],
    'journal-3': [],
  });
  assert.deepEqual(browser.problems, []);
});

// The case behind the rare losses above: another transaction (a full write of this tab or of
// another one) holds the history store when the shopper leaves. Chromium then aborts what is
// queued behind it; the event's record goes to a journal store that nothing holds.
test('an add to cart is kept when the page is left while the history store is held', async (t) => {
  const page = await browser.newPage();
  const expected = [];
  for (let i = 0; i < 4; ++i) {
    const product = products[i];
    const next = `${shop.url}/p/${products[i + 1].id}`;
    await page.goto(`${shop.url}/p/${product.id}`);
    if (await page.evaluate(async () => (await window.vitrine.ready).consent.required)) {
      await chooseConsent(page, 'Accept all');
    }
    await page.evaluate(({id, price, next}) => {
      const req = indexedDB.open('vitrine');
      req.onsuccess = () => {
        // Held for half a second by a chain of reads, as a slow full write would.
        const tx = req.result.transaction(['history'], 'readonly');
        const until = performance.now() + 500;
        const read = () => {
          if (performance.now() < until) tx.objectStore('history').get('x').onsuccess = read;
        };
        read();
        window.dataLayer.push({
          event: 'add_to_cart',
          ecommerce: {items: [{item_id: id, price, quantity: 1}]},
        });
        location.href = next;
      };
    }, {id: product.id, price: product.price, next});
    expected.push(product.id);
    await page.waitForURL(next);
  }
  await open(page, `${shop.url}/privacy`);
  const carted = await page.evaluate(async () => {
    const v = await window.vitrine.ready;
    await v.flush();
    return (await v.privacy.export())
        .history.events.filter((e) => e.event === 'add_to_cart')
        .map((e) => e.itemId);
  });
  t.diagnostic(`${expected.filter((id) => carted.includes(id)).length} of 4 kept`);
  assert.deepEqual(expected.filter((id) => !carted.includes(id)), []);
  await page.close();
});
