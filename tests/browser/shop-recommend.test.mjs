// Recommendation rows in the shop: "For you" on the home page, "Similar" on product pages,
// "Goes well with" in the cart, each card with its reason in words. These fail (not skip)
// when the package has no recommend().
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, fetchCatalog, launchBrowser, open, rowIds, rowState, settle, startShop} from './lib.mjs';

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

const REASON =
    /^(Because you viewed .+|You viewed this before|Often bought with .+|Popular in .+|Popular right now)$/;

const inCategory =
    (name) => [...catalog.values()].filter((p) => p.category === name && p.available);

// Ids and titles of a row's cards, after checking the row rendered and the API exists.
async function row(page, testid) {
  assert.equal(
      await page.evaluate(async () => typeof (await window.vitrine.ready).recommend), 'function',
      'the package has recommend()');
  const ids = await rowIds(page, testid);
  assert.equal(await rowState(page, testid), 'ready', `${testid} rendered`);
  const titles = await page.locator(`[data-testid="${testid}"] a.card`)
                     .evaluateAll((cards) => cards.map((a) => a.title));
  return {ids, titles};
}

function assertReasons({ids, titles}) {
  assert.equal(new Set(ids).size, ids.length, 'no duplicates');
  for (const id of ids) assert.ok(catalog.has(id), `${id} is in the catalog`);
  for (const title of titles) assert.match(title, REASON);
}

test('"For you" follows the category viewed, with a reason on every card', async () => {
  const page = await browser.newPage();
  await open(page, `${shop.url}/`);
  await chooseConsent(page, 'Accept all');
  const tents = inCategory('Tents').slice(0, 4).map((p) => p.id);
  for (const id of tents) {
    await open(page, `${shop.url}/p/${id}`);
    await settle(page);
  }
  await open(page, `${shop.url}/`);
  const forYou = await row(page, 'for-you');
  assert.ok(forYou.ids.length >= 4 && forYou.ids.length <= 8, `${forYou.ids.length} cards`);
  assertReasons(forYou);
  // What the recently viewed row already shows is not repeated (filter.excludeItems).
  const viewed = await row(page, 'recently-viewed');
  assert.deepEqual(viewed.ids.sort(), [...tents].sort());
  assert.deepEqual(forYou.ids.filter((id) => viewed.ids.includes(id)), []);
  const related = new Set(['Tents', 'Sleeping bags', 'Lamps']);
  const near = forYou.ids.filter((id) => related.has(catalog.get(id).category));
  assert.ok(
      near.length >= forYou.ids.length / 2,
      `mostly tents and what goes with them: ${forYou.ids.map((id) => catalog.get(id).category)}`);
  assert.ok(
      forYou.titles.some((t) => /^Because you viewed|^Often bought with/.test(t)),
      `some reason names a viewed item: ${forYou.titles}`);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('"Similar" on a product page never shows the product itself', async () => {
  const page = await browser.newPage();
  const picks =
      ['Jackets', 'Hats', 'Boots', 'Sleeping bags', 'Lamps'].map((c) => inCategory(c)[3].id);
  const outOfStock = [...catalog.values()].find((p) => !p.available);
  for (const id of [...picks, outOfStock.id]) {
    await open(page, `${shop.url}/p/${id}`);
    const similar = await row(page, 'similar');
    assert.ok(similar.ids.length > 0, `similar to ${id}`);
    assert.ok(!similar.ids.includes(id), `${id} is not similar to itself`);
    assertReasons(similar);
    for (const other of similar.ids)
      assert.ok(catalog.get(other).available, `${other} is in stock`);
  }
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('"Goes well with" in the cart shows items not in the cart', async () => {
  const page = await browser.newPage();
  const cart = [inCategory('Jackets')[1].id, inCategory('Tents')[2].id];
  for (const id of cart) {
    await open(page, `${shop.url}/p/${id}`);
    await page.getByRole('button', {name: 'Add to cart'}).click();
  }
  await open(page, `${shop.url}/cart`);
  let goes = await row(page, 'goes-well-with');
  assert.ok(goes.ids.length > 0 && goes.ids.length <= 6, `${goes.ids.length} cards`);
  for (const id of cart) assert.ok(!goes.ids.includes(id), `${id} is in the cart already`);
  assertReasons(goes);

  // Removing a line re-renders the row for the cart that is left.
  await page.locator(`[data-remove="${cart[0]}"]`).click();
  await page.locator(`.cart-line[data-item-id="${cart[0]}"]`).waitFor({state: 'detached'});
  goes = await row(page, 'goes-well-with');
  assert.ok(goes.ids.length > 0);
  assert.ok(!goes.ids.includes(cart[1]));
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('"For you" uses the history only with consent', async () => {
  const fresh = await launchBrowser();
  try {
    const page = await fresh.newPage();
    await open(page, `${shop.url}/`);
    // A quick view on this page: the engine has it in memory (recently viewed shows it) ...
    const tent = page.locator('ul[data-list-items] [data-quick-view]').nth(7);
    const tentId = await tent.getAttribute('data-quick-view');
    assert.equal(catalog.get(tentId).category, 'Tents');
    await tent.click();
    await page.locator(`[data-testid="recently-viewed"] a.card[data-item-id="${tentId}"]`)
        .waitFor();
    // ... but without the personalization purpose, "For you" is popularity only.
    let forYou = await row(page, 'for-you');
    assertReasons(forYou);
    assert.ok(forYou.ids.length > 0);
    for (const title of forYou.titles) assert.match(title, /^Popular/);

    // Granting it re-renders the row from the same in-memory history.
    await chooseConsent(page, 'Accept all');
    await page.waitForFunction(
        () => [...document.querySelector('[data-testid="for-you"]')
                   .shadowRoot.querySelectorAll('a.card')]
                  .some((a) => !a.title.startsWith('Popular')));
    forYou = await row(page, 'for-you');
    assertReasons(forYou);
    assert.ok(forYou.titles.some((t) => t.startsWith('Because you viewed')), String(forYou.titles));
    assert.deepEqual(fresh.problems, []);
  } finally {
    await fresh.close();
  }
});
