// A product named <img src=x onerror=alert(1)> renders as text everywhere: server-rendered
// listings and product page, and client-rendered rows, quick view, cart and the privacy
// center's history (privacy note 28).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, fetchCatalog, HOSTILE_NAME, launchBrowser, open, rowIds, settle, startShop} from './lib.mjs';

let shop;
let browser;
let hostile;        // the product
const probes = [];  // requests the markup would make if it were parsed (src=x)
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  browser.context.on('request', (request) => {
    if (/\/x$/.test(new URL(request.url()).pathname)) probes.push(request.url());
  });
  const {products} = await fetchCatalog(shop.url);
  hostile = products.find((p) => p.name === HOSTILE_NAME);
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

// The card shows the literal name, has only its product image, and no stray <img src=x>.
async function assertCardIsText(page, card) {
  await card.waitFor({state: 'attached'});
  assert.equal(await card.locator('.card-name').textContent(), HOSTILE_NAME);
  assert.equal(await card.locator('.card-name > *').count(), 0);
  const images =
      // The path: server-rendered cards have it relative, the components' cards absolute.
      await card.locator('img').evaluateAll((list) => list.map((i) => new URL(i.src).pathname));
  assert.deepEqual(images, [`/img/${hostile.id}.svg`]);
}

async function assertNoInjectedImage(page) {
  assert.equal(await page.locator('img[src="x"]').count(), 0);
}

test('the hostile product name renders as text on every page', async () => {
  assert.ok(hostile, 'the catalog has the hostile product');
  const page = await browser.newPage();
  await open(page, `${shop.url}/`);
  await chooseConsent(page, 'Accept all');

  // Server-rendered: the category listing and the product page.
  await open(page, `${shop.url}/c/${hostile.categorySlug}`);
  await assertCardIsText(
      page, page.locator(`ul[data-list-items] a.card[data-item-id="${hostile.id}"]`));
  await assertNoInjectedImage(page);

  // Client-rendered: the quick view panel.
  await page.locator(`[data-quick-view="${hostile.id}"]`).click();
  const panel = page.getByTestId('quick-view');
  await panel.waitFor({state: 'visible'});
  assert.equal(await page.getByTestId('quick-view-name').textContent(), HOSTILE_NAME);
  assert.equal(await panel.locator('img').count(), 1);

  await open(page, `${shop.url}/p/${hostile.id}`);
  assert.equal(await page.getByTestId('product-name').textContent(), HOSTILE_NAME);
  assert.equal(await page.title(), `${HOSTILE_NAME} · Vitrine Outfitters`);
  assert.equal(await page.locator('.product-info img').count(), 0);
  await page.getByRole('button', {name: 'Add to cart'}).click();
  await assertNoInjectedImage(page);
  await settle(page);

  // Client-rendered: the recently viewed row on another product page, then the cart.
  await open(page, `${shop.url}/p/1001`);
  assert.ok((await rowIds(page, 'recently-viewed')).includes(hostile.id));
  await assertCardIsText(
      page, page.locator(`[data-testid="recently-viewed"] a.card[data-item-id="${hostile.id}"]`));
  await open(page, `${shop.url}/cart`);
  const line = page.locator(`.cart-line[data-item-id="${hostile.id}"]`);
  assert.equal(await line.locator('.cart-line-name').textContent(), HOSTILE_NAME);
  assert.equal(await line.locator('img').count(), 1);
  await assertNoInjectedImage(page);

  // A reason that names it ("Often bought with <img ...>") is the card's title attribute,
  // with the name as literal text. Which cards name it: the engine's own reasons.
  await rowIds(page, 'goes-well-with');
  const naming = await page.evaluate(
      (id) =>
          window.vitrine
              .recommend(
                  {context: 'cart', itemIds: [id], limit: 6, filter: {excludeUnavailable: true}})
              .filter((r) => r.reason.itemId === id)
              .map((r) => r.itemId),
      hostile.id);
  assert.ok(naming.length > 0, 'a recommendation on the cart page names the hostile product');
  for (const itemId of naming) {
    const card = page.locator(`[data-testid="goes-well-with"] a.card[data-item-id="${itemId}"]`);
    const title = await card.getAttribute('title');
    assert.ok(
        title === `Often bought with ${HOSTILE_NAME}` ||
            title === `Because you viewed ${HOSTILE_NAME}`,
        title);
    assert.equal(await card.locator('img').count(), 1, 'only the product image');
  }

  // Client-rendered: the privacy center's history.
  await open(page, `${shop.url}/privacy`);
  const entry = page.locator(`[data-testid="privacy-history"] li[data-item-id="${hostile.id}"]`);
  await entry.waitFor();
  assert.equal(await entry.locator('[part~="item-name"]').textContent(), HOSTILE_NAME);
  assert.equal(await entry.locator('[part~="item-name"] > *').count(), 0);
  assert.equal(await entry.locator('img').count(), 0);
  await assertNoInjectedImage(page);

  assert.deepEqual(probes, [], 'no request for src=x');
  assert.deepEqual(browser.problems.filter((p) => p.kind === 'dialog'), [], 'no alert');
  assert.deepEqual(browser.problems, []);
});
