// Privacy notes 9 and 10 in the privacy center: "Erase everything" writes a tombstone
// first, so an erase cut short finishes on the next load; "Download my data" gives a file
// that, imported after an erase, restores the same state.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {after, before, beforeEach, test} from 'node:test';

import {chooseConsent, fetchCatalog, launchBrowser, newShopper, open, openPrivacy, privacyRendered, recordRequests, settle, startShop, storeRecords} from './lib.mjs';

let shop;
let browser;
let catalog;  // id -> product
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  catalog = new Map((await fetchCatalog(shop.url)).products.map((p) => [p.id, p]));
});
after(async () => {
  await browser?.close();
  await shop?.close();
});
beforeEach(() => newShopper(browser, shop));

const NONE = {
  history: false,
  personalization: false,
  measurement: false,
  autofill: false
};

const inCategory = (name, n) => [...catalog.values()]
                                    .filter((p) => p.category === name && p.available)
                                    .slice(0, n)
                                    .map((p) => p.id);

async function consentAndBrowse(page, ids) {
  await open(page, `${shop.url}/`);
  await chooseConsent(page, 'Accept all');
  for (const id of ids) {
    await open(page, `${shop.url}/p/${id}`);
    await settle(page);
  }
}

async function databases(page) {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
}

async function clickErase(page) {
  await page.getByTestId('privacy-erase').click();
  await page.getByTestId('privacy-erase-confirm').waitFor({state: 'visible'});
  await page.getByTestId('privacy-erase-yes').click();
}

// Clicks "Download my data" and returns the file's name and parsed content, checking that
// the file was made in the page: no request left it while downloading.
async function download(page) {
  const requests = recordRequests(page);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('privacy-export').click(),
  ]);
  const text = await readFile(await file.path(), 'utf8');
  assert.deepEqual(
      requests.filter((r) => /^https?:/.test(r.url)), [], 'no server round trip for the download');
  return {name: file.suggestedFilename(), path: await file.path(), data: JSON.parse(text)};
}

// An export without what legitimately differs between two exports of the same data: when
// it was made and the consent log (given again, so at other times). Interest weights are
// recomputed at each export (normalized decay from the event times): compared to 1e-9.
function comparable(doc) {
  const copy = structuredClone(doc);
  delete copy.exportedAt;
  delete copy.consent.log;
  for (const interest of copy.profile.interests) interest.weight = interest.weight.toFixed(9);
  return copy;
}

test('an erase cut short after its tombstone finishes on the next load', async () => {
  const page = await browser.newPage();
  const viewed = inCategory('Boots', 3);
  await consentAndBrowse(page, viewed);
  await openPrivacy(page, shop.url);
  assert.equal(await page.locator('[data-testid="privacy-history"] li').count(), 3);
  // "Accept all" grants measurement: its own database (the demo shop has an endpoint).
  assert.deepEqual(await databases(page), ['vitrine', 'vitrine-measurement']);

  // The browser "crashes" between the tombstone and the deletion of the database.
  await page.evaluate(() => {
    indexedDB.deleteDatabase = () => {
      throw new DOMException('stubbed: the erase stops here', 'UnknownError');
    };
  });
  await clickErase(page);
  const status = page.getByTestId('privacy-status');
  await status.and(page.locator('[data-state="error"]')).waitFor();
  assert.match(await status.textContent(), /Erasing did not finish/);
  assert.deepEqual(
      await databases(page), ['vitrine', 'vitrine-measurement'], 'the databases are still there');
  assert.deepEqual(
      (await storeRecords(page, 'meta')).map((r) => r.key), ['tombstone'],
      'the tombstone was written first');

  // The next load (without the stub) finishes the erase before anything else.
  await page.reload();
  await page.waitForSelector('body[data-shop-ready]', {state: 'attached'});
  await page.evaluate(() => window.vitrine.ready);
  assert.deepEqual(await databases(page), [], 'both databases are gone');
  assert.deepEqual(await page.evaluate(() => window.vitrine.consent.get()), NONE);
  assert.equal(await page.evaluate(() => window.vitrine.consent.required), true);
  await page.getByTestId('consent-banner').waitFor({state: 'visible'});
  await page.getByTestId('privacy-history-empty').waitFor({state: 'visible'});
  await open(page, `${shop.url}/`);
  assert.equal(await page.locator('[data-testid="recently-viewed"] a.card').count(), 0);
  await page.getByTestId('consent-banner').waitFor({state: 'visible'});
  assert.deepEqual(await databases(page), []);
  // The only problem reported is the stubbed failure itself.
  assert.deepEqual(
      browser.problems.filter((p) => !(p.kind === 'console' && /stubbed/.test(p.text))), []);
});

test('download, erase, consent again, import: the same state as before', async () => {
  const page = await browser.newPage();
  const viewed = [...inCategory('Tents', 3), ...inCategory('Hats', 2), ...inCategory('Lamps', 1)];
  await consentAndBrowse(page, viewed);
  await openPrivacy(page, shop.url);
  const interests = page.getByTestId('privacy-interests');
  await interests.locator('[data-category="Hats"]').waitFor();
  await interests.locator('[data-remove-interest="Hats"]').click();
  await page.getByTestId('privacy-removed-interests').locator('[data-category="Hats"]').waitFor();
  assert.equal(await interests.locator('[data-category="Hats"]').count(), 0);

  const first = await download(page);
  assert.match(first.name, /^vitrine-data-[0-9]{4}-[0-9]{2}-[0-9]{2}\.json$/);
  const before = first.data;
  assert.equal(before.format, 'vitrine.export');
  assert.deepEqual(before.history.items.map((i) => i.id).sort(), [...viewed].sort());
  assert.deepEqual(before.profile.removedInterests, ['Hats']);
  assert.deepEqual(
      before.profile.interests.map((i) => i.category).sort(), ['Lamps', 'Tents'],
      'a removed interest is not inferred');
  assert.equal(before.consent.log.length, 4);
  assert.deepEqual(before.sent, [], 'the export lists the sent store, which is empty');
  assert.deepEqual(await storeRecords(page, 'sent'), []);

  await clickErase(page);
  await page.getByTestId('privacy-status').filter({hasText: 'Everything was erased'}).waitFor();
  assert.deepEqual(await databases(page), []);
  await page.getByTestId('privacy-history-empty').waitFor({state: 'visible'});
  assert.equal(await page.getByTestId('privacy-removed-section').isHidden(), true);
  assert.deepEqual(await page.evaluate(() => window.vitrine.consent.get()), NONE);

  // Consent is never imported: the shopper gives it again, on the banner that is back.
  await chooseConsent(page, 'Accept all');
  await page.getByTestId('privacy-import').setInputFiles(first.path);
  await page.getByTestId('privacy-status').filter({hasText: 'Imported'}).waitFor();
  await page.getByTestId('privacy-removed-interests').locator('[data-category="Hats"]').waitFor();
  assert.equal(
      await page.locator('[data-testid="privacy-history"] li').count(), viewed.length,
      'the history is back');

  const second = await download(page);
  assert.deepEqual(comparable(second.data), comparable(before));
  assert.equal(second.data.consent.log.length, 4, 'the new decision, logged in full');
  assert.ok(second.data.consent.log.every(
      (e) => e.time > before.consent.log.at(-1).time && e.source === 'manual'));

  // And it was stored, not only imported into this page.
  await settle(page);
  await page.reload();
  await privacyRendered(page);
  const reloaded = await page.evaluate(() => window.vitrine.privacy.export());
  assert.deepEqual(comparable(reloaded), comparable(before));
  assert.deepEqual(browser.problems, []);
});
