// What leaves the device over a month, in Chromium against the demo shop (its collector
// mounted at /vitrine/collect, real IndexedDB, Playwright's clock moving the days): with
// measurement granted, each finished day becomes at most three privatized reports and
// nothing else; marker strings seeded into the history, the profile and the saved details
// appear in no request; with measurement off, or with Global Privacy Control on, no report
// request at all and the measurement chunk is never fetched.
import assert from 'node:assert/strict';
import {after, before, beforeEach, test} from 'node:test';

import {chooseConsent, deviceStorage, fetchCatalog, launchBrowser, newShopper, open, settle, startShop} from './lib.mjs';

const T0 = Date.UTC(2026, 2, 2, 9);
const DAY = 24 * 3600 * 1000;
const VISITS = [0, 1, 2, 4, 7, 8, 12, 15, 16, 20, 23, 27, 29];  // days with a visit
const MARKERS = {
  item: 'zqmarker-item-5521',
  name: 'zqmarker-name-8830',
  category: 'zqmarker-category-1904',
  search: 'zqmarker-search-7716',
  givenName: 'Zqmarkergiven',
  street: 'Zqmarker Street 4417',
};

let shop, browser, products;
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  products = (await fetchCatalog(shop.url)).products.filter((p) => p.available);
  // The collector opens its database (PGlite) on the first request that needs it, which
  // holds the shop's server for seconds: done here, not under a page's navigation.
  assert.equal((await fetch(`${shop.url}/vitrine/estimates?type=recency&version=1`)).status, 200);
});
after(async () => {
  await browser?.close();
  await shop?.close();
});
beforeEach(async () => {
  await newShopper(browser, shop);
  await browser.context.clock.setFixedTime(T0);
});

// Every request of the context: method, URL, headers and body.
function recordAll(context) {
  const requests = [];
  context.on('request', (r) => requests.push({
    method: r.method(),
    url: r.url(),
    headers: JSON.stringify(r.headers()),
    body: r.postData() ?? '',
  }));
  return requests;
}

const reportRequests = (requests) => requests.filter((r) => r.url.endsWith('/vitrine/collect'));

// One day of a shopper: a few product pages (the shop tracks their views), a search and an
// event carrying the markers, then a page that is left.
async function browseDay(page, d) {
  await browser.context.clock.setFixedTime(T0 + d * DAY + (d % 5) * 3600 * 1000);
  for (let k = 0; k <= d % 3; ++k) {
    await open(page, `${shop.url}/p/${products[(d * 7 + k * 3) % products.length].id}`);
    // The shop pushes its view_item once its own script has run (after the engine is ready);
    // a shopper reads the page for a moment: the view is in the day's tally.
    await page.waitForFunction(
        () => (window.dataLayer ?? []).some((e) => e?.event === 'view_item'));
    await settle(page);
  }
  await page.evaluate(async (m) => {
    const v = await window.vitrine.ready;
    v.track({event: 'search', search_term: m.search});
    v.track({
      event: 'view_item',
      items: [{item_id: m.item, item_name: m.name, item_category: m.category, price: 12}],
    });
    await v.flush();
  }, MARKERS);
}

// Leaving the page hides it: queued reports go out then (keepalive).
async function leave(page) {
  await open(page, `${shop.url}/`);
}

test(
    'a month with measurement: one report of each type per finished day, no marker anywhere',
    async () => {
      const requests = recordAll(browser.context);
      const page = await browser.newPage();
      await open(page, `${shop.url}/`);
      await chooseConsent(page, 'Accept all');
      await page.evaluate(async (m) => {
        const v = await window.vitrine.ready;
        await v.consent.set({autofill: true});
        await v.autofill.save({
          givenName: m.givenName,
          familyName: 'Silva',
          shipping: {line1: m.street, city: 'Lisboa', postalCode: '1100-148', country: 'PT'},
        });
      }, MARKERS);
      for (const d of VISITS) {
        await browseDay(page, d);
        // Reports about the day before are queued when the first page of a day starts.
        const ledger =
            await page.evaluate(async () => (await window.vitrine.ready).privacy.ledger());
        assert.equal(ledger.day, Math.floor((T0 + d * DAY) / DAY));
        assert.equal(ledger.spent, d === 0 ? 0 : 1, `day ${d}: the budget spent on reports`);
        await leave(page);
      }
      // The last reports leave when the page is hidden; the list is read once they have.
      const readSent = () => page.evaluate(async () => (await window.vitrine.ready).privacy.sent());
      let sent = await readSent();
      // Sent when each page is left (keepalive requests of a page being unloaded are not all
      // seen by Playwright), or by the jitter timer (5-60 s) of the page that stays open.
      for (let i = 0; i < 150 && sent.length < 3 * (VISITS.length - 1); ++i) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        sent = await readSent();
      }
      // Made (and listed) on the next day with a visit, each about the visit before.
      const finished = VISITS.slice(1).map((d) => Math.floor((T0 + d * DAY) / DAY));
      for (const type of ['top_category', 'recency', 'views_per_day']) {
        assert.deepEqual(
            sent.filter((s) => s.type === type).map((s) => s.day).sort((a, b) => a - b), finished,
            `${type}: one report each day after a day with a visit (sent: ${
                JSON.stringify(sent.map((r) => [r.type, r.day]))}; posted: ${
                JSON.stringify(reportRequests(requests).map((r) => r.body.slice(0, 60)))})`);
      }
      assert.equal(sent.length, finished.length * 3);

      // On the wire: only arrays of {t, v, id, y}; every id once; each answered 2xx.
      const posted = reportRequests(requests);
      assert.ok(posted.length >= 1);
      const ids = new Set();
      for (const r of posted) {
        assert.equal(r.method, 'POST');
        for (const report of JSON.parse(r.body)) {
          assert.deepEqual(Object.keys(report), ['t', 'v', 'id', 'y']);
          assert.match(report.id, /^[0-9a-f]{32}$/);
          ids.add(report.id);
        }
      }
      assert.equal(ids.size, sent.length, 'every report sent, each once');
      assert.deepEqual(
          requests.filter((r) => r.method !== 'GET' && !r.url.endsWith('/vitrine/collect')), [],
          'no other request sends anything');
      const everything = JSON.stringify(requests);
      for (const marker of Object.values(MARKERS)) {
        assert.ok(!everything.includes(marker), `${marker} never leaves the device`);
      }
      // And the shopper sees the list and the budget in the privacy center.
      await open(page, `${shop.url}/privacy`);
      await page.getByTestId('privacy-ledger').waitFor({state: 'visible'});
      assert.match(
          await page.getByTestId('privacy-ledger').textContent(),
          /ε 0 of 1 spent|ε 1 of 1 spent/);
      assert.equal(await page.getByTestId('sent-report').count(), sent.length);
    });

for (const [name, setUp, choice] of [
         ['measurement off', async () => {}, 'necessary-and-personal'],
         [
           'Global Privacy Control on',
           (page) => page.addInitScript(
               () => Object.defineProperty(
                   Navigator.prototype, 'globalPrivacyControl',
                   {get: () => true, configurable: true})),
           'Accept all'
         ],
]) {
  test(`${name}: no report request and no measurement chunk in a week`, async () => {
    const requests = recordAll(browser.context);
    const page = await browser.newPage();
    await setUp(page);
    await open(page, `${shop.url}/`);
    if (choice === 'Accept all') {
      await chooseConsent(page, 'Accept all');
    } else {
      await page.evaluate(
          async () =>
              (await window.vitrine.ready).consent.set({history: true, personalization: true}));
    }
    const granted = await page.evaluate(async () => (await window.vitrine.ready).consent.get());
    assert.equal(granted.measurement, false);
    assert.equal(granted.history, true);
    for (const d of [0, 1, 2, 4, 6]) {
      await browseDay(page, d);
      assert.equal(
          await page.evaluate(async () => (await window.vitrine.ready).privacy.ledger()), null);
      await leave(page);
    }
    assert.deepEqual(reportRequests(requests), []);
    assert.deepEqual(requests.filter((r) => /measurement/.test(r.url)), []);
    assert.ok(!(await deviceStorage(page)).databases.includes('vitrine-measurement'));
  });
}

test('withdrawing measurement deletes its database and stops the reports', async () => {
  const requests = recordAll(browser.context);
  const page = await browser.newPage();
  await open(page, `${shop.url}/`);
  await chooseConsent(page, 'Accept all');
  await browseDay(page, 0);
  await browseDay(page, 1);  // reports about day 0 are queued
  assert.ok((await deviceStorage(page)).databases.includes('vitrine-measurement'));
  await page.evaluate(async () => (await window.vitrine.ready).consent.set({measurement: false}));
  assert.ok(!(await deviceStorage(page)).databases.includes('vitrine-measurement'));
  const before = reportRequests(requests).length;
  await browseDay(page, 2);
  await leave(page);
  assert.equal(reportRequests(requests).length, before, 'nothing sent after the withdrawal');
  assert.equal(
      await page.evaluate(async () => (await window.vitrine.ready).privacy.ledger()), null);
});
