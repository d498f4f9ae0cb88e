// Privacy note 13: a card number or security code that reaches the page's dataLayer (a
// search box, a careless theme's add_payment_info) is never stored, logged or sent. The
// engine refuses text that holds a Luhn-valid 13-19 digit run and never echoes it; it reads
// no card field at all. Scanned: every IndexedDB record (raw), localStorage, cookies, the
// decrypted export, the console and every request the pages made.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, deviceText, fetchCatalog, launchBrowser, open, settle, startShop} from './lib.mjs';

let shop;
let browser;
let product;
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  product = (await fetchCatalog(shop.url)).products.find((p) => p.available);
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

const CARD = '4242424242424242';
const CARD_SPACED = '4242 4242 4242 4242';
const CODE = '123';
const FOUND = [CARD, CARD_SPACED, '4242-4242-4242-4242'];


// Every string in a JSON document.
function strings(value, out = []) {
  if (typeof value === 'string') out.push(value);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

test(
    'a card number or security code pushed by the page is never stored, logged or sent',
    async () => {
      const page = await browser.newPage();
      const consoleText = [];
      page.on('console', (message) => consoleText.push(message.text()));
      const bodies = [];
      page.on('request', (request) => bodies.push(`${request.url()}\n${request.postData() ?? ''}`));

      await open(page, `${shop.url}/`);
      await chooseConsent(page, 'Accept all');
      await open(page, `${shop.url}/p/${product.id}`);
      await page.getByRole('button', {name: 'Add to cart'}).click();
      const results = await page.evaluate(async ({id, CARD, CARD_SPACED, CODE}) => {
        const v = await window.vitrine.ready;
        const item = {item_id: id, quantity: 1};
        return [
          // What a theme's search box or payment step could push.
          v.track({event: 'search', search_term: CARD_SPACED}),
          v.track({
            event: 'add_payment_info',
            payment_type: 'Credit Card',
            card_number: CARD,
            cvc: CODE,
            ecommerce: {items: [item]},
          }),
          v.track({event: 'view_item', items: [{...item, item_variant: `card ${CARD}`}]}),
          v.track({event: `pay ${CARD}`}),
          // And through the dataLayer, as GA4 tags push it.
          window.dataLayer.push({event: 'search', search_term: CARD}),
          window.dataLayer.push({
            event: 'add_payment_info',
            ecommerce: {payment_type: CARD, security_code: CODE, items: [item]}
          }),
        ];
      }, {id: product.id, CARD, CARD_SPACED, CODE});
      // The engine refused each event with a card number, and said why without repeating it.
      for (const status of results.slice(0, 4)) {
        assert.equal(status.ok, status === results[1], JSON.stringify(status));
        if (!status.ok) {
          assert.equal(status.code, 'invalid_argument');
          assert.match(status.error, /payment card number/);
        }
      }
      await settle(page);
      await open(page, `${shop.url}/cart`);
      await page.getByRole('button', {name: 'Go to checkout'}).click();
      await page.getByRole('button', {name: 'Place order'}).click();
      await page.getByTestId('order-confirmation').waitFor({state: 'visible'});
      await settle(page);

      const exported =
          await page.evaluate(async () => (await window.vitrine.ready).privacy.export());
      assert.ok(exported.history.events.length >= 2, 'the history was kept');
      assert.ok(
          exported.history.events.some((e) => e.event === 'add_payment_info') ||
          exported.history.events.some((e) => e.event === 'purchase'));
      const texts = strings(exported);
      const stored = await deviceText(page);
      for (const needle of FOUND) {
        assert.ok(!texts.some((s) => s.includes(needle)), `${needle} in the export`);
        assert.ok(!stored.includes(needle), `${needle} in storage`);
        assert.ok(!consoleText.some((s) => s.includes(needle)), `${needle} in the console`);
        assert.ok(!bodies.some((s) => s.includes(needle)), `${needle} in a request`);
      }
      // The security code alone is not recognizable in text; what matters is that no field
      // holding it is read: no exported string is the code, and no key names a card field.
      assert.ok(!texts.includes(CODE), 'the security code in the export');
      for (const key of ['cvc', 'security_code', 'card_number', 'payment_type']) {
        assert.ok(!texts.includes(key), `${key} in the export`);
      }
      assert.ok(stored.length > 0 && stored.includes('history'), 'the scan saw the stores');
      await page.close();
    });
