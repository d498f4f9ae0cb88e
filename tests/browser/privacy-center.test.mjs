// The privacy center does what it says (privacy notes 4, 5, 12): each purpose is granted
// with one click and withdrawn with one click, every change lands in the consent log,
// removing a product takes it out of "Recently viewed", and removing an interest takes its
// category out of "For you" (restoring brings it back). A home page open in another tab
// follows every change without a reload.
import assert from 'node:assert/strict';
import {after, before, beforeEach, test} from 'node:test';

import {fetchCatalog, launchBrowser, newShopper, open, openPrivacy, privacyRendered, PURPOSES, recordRequests, rowIds, settle, startShop, storeRecords} from './lib.mjs';

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

const inCategory = (name, n) => [...catalog.values()]
                                    .filter((p) => p.category === name && p.available)
                                    .slice(0, n)
                                    .map((p) => p.id);

// Waits until a row of a (background) page satisfies check(ids), re-rendered by the page
// itself on the engine's 'change' events; returns the ids.
async function rowBecomes(page, testid, check, what) {
  const ids = () => rowIds(page, testid);
  const deadline = Date.now() + 3000;
  let last;
  while (Date.now() < deadline) {
    last = await ids();
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`${testid}: ${what} (still ${JSON.stringify(last)})`);
}

const categoriesOf = (ids) => ids.map((id) => catalog.get(id).category);
const logRows = (page) => page.locator('[data-testid="privacy-consent-log"] tbody tr');

test('each purpose: one click to grant, one click to withdraw, each logged', async () => {
  const page = await browser.newPage();
  const requests = recordRequests(page);
  await openPrivacy(page, shop.url);
  assert.equal(await page.getByTestId('consent-banner').isVisible(), true, 'nothing decided yet');
  let rows = 0;
  for (const name of PURPOSES) {
    const toggle = page.getByTestId(`switch-${name}`);
    const state = page.getByTestId(`consent-state-${name}`);
    for (const grant of [true, false]) {
      await toggle.click();
      await state.filter({hasText: grant ? /^Allowed$/ : /^Not allowed$/}).waitFor();
      assert.equal(await toggle.getAttribute('aria-checked'), String(grant));
      assert.equal(await page.evaluate((n) => window.vitrine.consent.get()[n], name), grant);
      // The first decision is logged in full (every purpose); later ones as changes. The
      // table is newest first.
      const added = rows === 0 ? PURPOSES.length : 1;
      rows += added;
      await logRows(page).nth(rows - 1).waitFor();
      assert.equal(await logRows(page).count(), rows);
      const newest = (await logRows(page).allTextContents()).slice(0, added);
      const label = name[0].toUpperCase() + name.slice(1);
      const entry = new RegExp(`${label}${grant ? 'Granted' : 'Withdrawn'}1This shop$`);
      assert.ok(newest.some((text) => entry.test(text)), `${entry} in ${newest}`);
      if (grant) {
        assert.equal(
            await page.getByTestId('consent-banner').isHidden(), true, 'the banner follows');
      }
    }
  }
  assert.deepEqual(await page.evaluate(() => window.vitrine.consent.log().length), rows);
  // "Nothing has been sent" is what the page read from the `sent` store, and it is true:
  // that store is empty and no request but a GET left the page.
  assert.equal(await page.getByTestId('privacy-sent-empty').isVisible(), true);
  assert.match(await page.getByTestId('privacy-sent-empty').textContent(), /Nothing has been sent/);
  assert.deepEqual((await storeRecords(page, 'sent')) ?? [], []);
  assert.deepEqual(requests.filter((r) => r.method !== 'GET'), []);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('removing a product and an interest changes the rows; restoring brings it back', async () => {
  const privacy = await browser.newPage();
  await openPrivacy(privacy, shop.url);
  for (const name of PURPOSES) {
    if (await privacy.getByTestId(`switch-${name}`).getAttribute('aria-checked') !== 'true') {
      await privacy.getByTestId(`switch-${name}`).click();
      await privacy.getByTestId(`consent-state-${name}`).filter({hasText: /^Allowed$/}).waitFor();
    }
  }
  const tents = inCategory('Tents', 3);
  const jackets = inCategory('Jackets', 2);
  const home = await browser.newPage();
  for (const id of [...jackets, ...tents]) {
    await open(home, `${shop.url}/p/${id}`);
    await settle(home);
  }
  await open(home, `${shop.url}/`);
  const newestFirst = [...jackets, ...tents].reverse();
  assert.deepEqual(await rowIds(home, 'recently-viewed'), newestFirst);
  const forYou = await rowIds(home, 'for-you');
  assert.ok(categoriesOf(forYou).includes('Tents'), `tents for you: ${categoriesOf(forYou)}`);

  // Remove one product from the history.
  await privacy.bringToFront();
  const history = privacy.getByTestId('privacy-history');
  await history.locator('li').nth(newestFirst.length - 1).waitFor();
  const gone = jackets[0];
  await history.locator(`[data-remove-item="${gone}"]`).click();
  await history.locator(`li[data-item-id="${gone}"]`).waitFor({state: 'detached'});
  assert.equal(await history.locator('li').count(), newestFirst.length - 1);
  const without = newestFirst.filter((id) => id !== gone);
  await rowBecomes(
      home, 'recently-viewed', (ids) => !ids.includes(gone),
      'the other tab drops the removed product');
  assert.deepEqual(await rowIds(home, 'recently-viewed'), without);

  // Remove the interest in tents: no tent is recommended any more.
  const interests = privacy.getByTestId('privacy-interests');
  await interests.locator('[data-category="Tents"] meter').waitFor();
  await interests.locator('[data-remove-interest="Tents"]').click();
  await privacy.getByTestId('privacy-removed-interests')
      .locator('[data-restore-interest="Tents"]')
      .waitFor();
  assert.equal(await interests.locator('[data-category="Tents"]').count(), 0);
  // The focus went on to the next interest's button (or the heading), not to the page. The
  // removed-interests list shows before the focus moves (both after the removal resolves):
  // wait for the focus to land, then check where.
  await privacy
      .waitForFunction(
          () => document.activeElement?.shadowRoot?.activeElement, null, {timeout: 5000})
      .catch(() => {});
  assert.match(
      await privacy.evaluate(() => {
        const focused = document.activeElement?.shadowRoot?.activeElement;
        return focused ? `${focused.localName} ${focused.getAttribute('part')}` : 'none';
      }),
      /^(button remove|h2 heading)$/);
  assert.equal(
      await privacy.getByTestId('privacy-segments').locator('[data-category="Tents"]').count(), 0);
  const noTents = await rowBecomes(
      home, 'for-you', (ids) => ids.length > 0 && !categoriesOf(ids).includes('Tents'),
      'the other tab recommends no tent');

  // Both stay after a reload: they were stored, not only applied in the page.
  await settle(privacy);
  await open(home, `${shop.url}/`);
  assert.deepEqual(await rowIds(home, 'recently-viewed'), without, 'the product stays gone');
  const reloaded = await rowIds(home, 'for-you');
  assert.ok(!categoriesOf(reloaded).includes('Tents'), `still no tent: ${categoriesOf(reloaded)}`);
  assert.deepEqual(reloaded, noTents);

  // Restore it: tents come back.
  await privacy.bringToFront();
  await privacy.getByTestId('privacy-removed-interests')
      .locator('[data-restore-interest="Tents"]')
      .click();
  await interests.locator('[data-category="Tents"]').waitFor();
  assert.equal(await privacy.getByTestId('privacy-removed-section').isHidden(), true);
  await rowBecomes(
      home, 'for-you', (ids) => categoriesOf(ids).includes('Tents'),
      'the other tab recommends tents again');
  await settle(privacy);
  assert.deepEqual(
      (await storeRecords(privacy, 'history')).length, 1, 'the history is still stored');
  for (const page of [privacy, home]) await page.close();
  assert.deepEqual(browser.problems, []);
});

test('a floating "Privacy" button on every page leads to the privacy center', async () => {
  const page = await browser.newPage();
  const product = inCategory('Boots', 1)[0];
  for (const path of ['/', '/c/boots', `/p/${product}`, '/cart', '/no/such/page']) {
    await page.goto(`${shop.url}${path}`);
    const fab = page.getByTestId('privacy-fab');
    assert.equal(await fab.isVisible(), true, path);
    assert.equal(await fab.getAttribute('href'), '/privacy', path);
    assert.equal(await fab.textContent(), 'Privacy');
    assert.equal(await page.getByTestId('privacy-choices').isVisible(), true, `footer on ${path}`);
  }
  await open(page, `${shop.url}/p/${product}`);
  await page.getByTestId('privacy-fab').click();
  await page.waitForURL(`${shop.url}/privacy`);
  await privacyRendered(page);
  assert.equal(
      await page.getByTestId('privacy-fab').isHidden(), true, 'not on the page it leads to');
  await page.close();
  assert.deepEqual(browser.problems.filter((p) => !/404/.test(p.text ?? '')), []);
});
