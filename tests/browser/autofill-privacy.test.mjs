// Autofill and the shopper's privacy on the demo shop: the card-data scan (privacy.md #13),
// nothing saved or offered without the autofill purpose, the details committed before the
// page navigates, withdrawal erasing them in every tab, editing them in the privacy center,
// the export, and the autofill chunk never fetched by pages that do not use it.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, deviceStorage, deviceText, fetchCatalog, launchBrowser, newShopper, NOTHING_STORED, open, openPrivacy, recordRequests, startShop, storeRecords} from './lib.mjs';

const CARD = '4242424242424242';
const CVC = '123';

let shop;
let browser;
let productId;
before(async () => {
  shop = await startShop({testPages: true});  // the data-autofill fixture
  browser = await launchBrowser();
  productId = (await fetchCatalog(shop.url)).products[0].id;
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; ++i) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

// Luhn-valid runs of 13 to 19 digits (spaces or dashes between groups allowed). Epoch
// milliseconds (13 digits, 2001-2033) are left out: every stored record carries some.
function cardNumbers(text) {
  const found = [];
  for (const m of text.matchAll(/\d(?:[ -]?\d){12,18}/g)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length === 13 && Number(digits) > 1e12 && Number(digits) < 2e12) continue;
    if (luhn(digits)) found.push(digits);
  }
  return found;
}
const hasCode = (text) => new RegExp(`(^|\\D)${CVC}(\\D|$)`).test(text);


// A shopper in Germany types the checkout, card included.
async function typeCheckout(page, {remember}) {
  await page.fill('[name="email"]', 'max@example.de');
  await page.fill('[name="tel"]', '030 901820');
  await page.fill('[name="shipping-given-name"]', 'Max');
  await page.fill('[name="shipping-family-name"]', 'Mustermann');
  await page.selectOption('[name="shipping-country"]', 'DE');
  await page.waitForSelector('[name="shipping-line1"]');
  await page.fill('[name="shipping-line1"]', 'Unter den Linden 77');
  await page.fill('[name="shipping-postalCode"]', '10117');
  await page.fill('[name="shipping-city"]', 'Berlin');
  await page.fill('[data-testid="cc-number"]', CARD);
  await page.fill('[data-testid="cc-exp"]', '12/34');
  await page.fill('[data-testid="cc-csc"]', CVC);
  if (remember) await page.check('[data-testid="autofill-remember"]');
}

test(
    'card scan: a full checkout with 4242… / 123 leaves neither in storage, console or requests',
    async () => {
      await newShopper(browser, shop);
      const page = await browser.newPage();
      const console = [];
      page.on('console', (m) => console.push(m.text()));
      const requests = [];
      page.on('request', (r) => requests.push(`${r.url()}\n${r.postData() ?? ''}`));
      await open(page, `${shop.url}/`);
      await chooseConsent(page, 'Accept all');
      await open(page, `${shop.url}/checkout`);
      await typeCheckout(page, {remember: true});
      await Promise.all(
          [page.waitForURL(/\/checkout\/done$/), page.click('[data-testid="checkout-submit"]')]);
      await open(page, `${shop.url}/privacy`);
      const exported = await page.evaluate(
          async () => JSON.stringify(await (await window.vitrine.ready).privacy.export()));
      assert.match(exported, /Unter den Linden 77/, 'the export holds the saved details');
      const everything =
          [await deviceText(page), exported, console.join('\n'), requests.join('\n')];
      for (const text of everything) {
        assert.deepEqual(cardNumbers(text), []);
        assert.equal(text.includes(CARD), false);
        assert.equal(hasCode(text), false);
      }
      // The scan can see: the card number typed into a page is found by it.
      assert.deepEqual(cardNumbers(`x ${CARD} y`), [CARD]);
      assert.equal(hasCode(`cvc=${CVC}`), true);
      await page.close();
    });

test(
    'submit then navigate at once: the details are committed, encrypted, and fill the next checkout',
    async () => {
      await newShopper(browser, shop);
      const page = await browser.newPage();
      await open(page, `${shop.url}/checkout`);
      await typeCheckout(page, {remember: true});
      await Promise.all(
          [page.waitForURL(/\/checkout\/done$/), page.click('[data-testid="checkout-submit"]')]);
      const records = await storeRecords(page, 'autofill');
      assert.equal(records.length, 1);
      assert.equal(records[0].format, 'vitrine.autofill');
      assert.ok(records[0].bytes > 0);
      assert.equal(
          (await deviceText(page)).includes('Unter den Linden'), false, 'stored encrypted');
      // A new page: the consent and the details are there.
      const next = await browser.newPage();
      await open(next, `${shop.url}/checkout`);
      const saved = await next.evaluate(async () => (await window.vitrine.ready).autofill.get());
      assert.deepEqual(saved, {
        givenName: 'Max',
        familyName: 'Mustermann',
        email: 'max@example.de',
        tel: '+4930901820',
        shipping:
            {line1: 'Unter den Linden 77', city: 'Berlin', postalCode: '10117', country: 'DE'},
      });
      await next.getByTestId('autofill-fill').click();
      await next.waitForFunction(
          () => document.querySelector('[name="shipping-city"]')?.value === 'Berlin');
      assert.equal(await next.inputValue('[name="shipping-country"]'), 'DE');
      assert.equal(await next.inputValue('[name="tel"]'), '030 901820');
      assert.equal(await next.inputValue('[data-testid="cc-number"]'), '');
      await page.close();
      await next.close();
    });

test('without autofill: nothing saved, nothing offered, the chunk never fetched', async () => {
  await newShopper(browser, shop);
  const page = await browser.newPage();
  const requests = recordRequests(page);
  await open(page, `${shop.url}/checkout`);
  assert.equal(await page.getByTestId('autofill-offer').isHidden(), true);
  const api = await page.evaluate(async () => {
    const v = await window.vitrine.ready;
    const save = await v.autofill.save({givenName: 'A'}).then(() => 'saved', (e) => e.code);
    return {save, get: await v.autofill.get(), fill: await v.autofill.fill(document)};
  });
  assert.deepEqual(api, {save: 'permission_denied', get: null, fill: {filled: [], skipped: []}});
  await typeCheckout(page, {remember: false});
  await Promise.all(
      [page.waitForURL(/\/checkout\/done$/), page.click('[data-testid="checkout-submit"]')]);
  assert.deepEqual(await deviceStorage(page), NOTHING_STORED);
  assert.deepEqual(requests.filter((r) => /vitrine-autofill/.test(r.url)), []);
  await page.close();
});

test(
    'home and product pages never fetch the autofill chunk, even with the purpose granted',
    async () => {
      await newShopper(browser, shop);
      const page = await browser.newPage();
      const requests = recordRequests(page);
      await open(page, `${shop.url}/`);
      await chooseConsent(page, 'Accept all');
      await page.evaluate(async () => (await window.vitrine.ready).consent.set({autofill: true}));
      await open(page, `${shop.url}/`);
      await open(page, `${shop.url}/p/${productId}`);
      await page.waitForTimeout(200);
      assert.deepEqual(requests.filter((r) => /vitrine-autofill/.test(r.url)), []);
      // The checkout does fetch it (the test can see such a request).
      await open(page, `${shop.url}/checkout`);
      await page.evaluate(async () => (await window.vitrine.ready).autofill.load());
      assert.equal(requests.filter((r) => /vitrine-autofill\.(mjs|wasm)$/.test(r.url)).length, 2);
      await page.close();
    });

test(
    'withdrawing autofill in one tab erases the details in every tab within a second',
    async (t) => {
      await newShopper(browser, shop);
      const tabs = [];
      for (let i = 0; i < 3; ++i) {
        const page = await browser.newPage();
        await open(page, `${shop.url}/checkout`);
        tabs.push(page);
      }
      await tabs[0].evaluate(async () => {
        const v = await window.vitrine.ready;
        await v.consent.set({autofill: true});
        await v.autofill.save({
          givenName: 'Ana',
          familyName: 'Silva',
          shipping: {
            line1: 'Rua Augusta 100',
            city: 'São Paulo',
            region: 'SP',
            postalCode: '01304-000',
            country: 'BR'
          },
        });
      });
      for (const page of tabs) {
        await page.waitForFunction(async () => (await window.vitrine.ready).consent.get().autofill);
        assert.equal(
            await page.evaluate(
                async () => (await (await window.vitrine.ready).autofill.get()).shipping.region),
            'BR-SP');
      }
      const start = Date.now();
      await tabs[0].evaluate(
          async () => (await window.vitrine.ready).consent.set({autofill: false}));
      await Promise.all(tabs.slice(1).map((page) => page.waitForFunction(async () => {
        const v = await window.vitrine.ready;
        return !v.consent.get().autofill && (await v.autofill.get()) === null;
      }, null, {polling: 10, timeout: 5000})));
      const elapsed = Date.now() - start;
      t.diagnostic(`the other tabs stopped ${elapsed} ms after the withdrawal`);
      assert.ok(elapsed < 1000);
      // Nothing else was granted: the whole database went (null), else the store is empty.
      assert.equal((await storeRecords(tabs[2], 'autofill'))?.length ?? 0, 0);
      for (const page of tabs) await page.close();
    });

test('the privacy center shows, edits and forgets the saved details', async () => {
  await newShopper(browser, shop);
  const page = await browser.newPage();
  await open(page, `${shop.url}/checkout`);
  await page.evaluate(async () => {
    const v = await window.vitrine.ready;
    await v.consent.set({autofill: true});
    await v.autofill.save({
      givenName: 'Jane',
      familyName: 'Doe',
      tel: '(415) 555-0132',
      shipping: {
        line1: '1 Main St',
        city: 'Springfield',
        region: 'IL',
        postalCode: '62701',
        country: 'US'
      },
    });
  });
  await openPrivacy(page, shop.url);
  const form = page.getByTestId('saved-details-form');
  await form.waitFor({state: 'visible'});
  assert.equal(await page.inputValue('[data-testid="saved-shipping.city"]'), 'Springfield');
  assert.equal(await page.inputValue('[data-testid="saved-tel"]'), '+14155550132');
  // A bad postal code is refused with the field named, and nothing changes.
  await page.fill('[data-testid="saved-shipping.postalCode"]', '6270');
  await page.getByTestId('saved-details-save').click();
  await page.getByTestId('saved-details-error').waitFor({state: 'visible'});
  const error = page.getByTestId('saved-details-error');
  assert.equal(await error.getAttribute('data-field'), 'shipping.postalCode');
  assert.match(await error.textContent(), /^Postal code: /, 'the field named in words');
  assert.equal(
      await page.getAttribute('[data-testid="saved-shipping.postalCode"]', 'aria-invalid'), 'true');
  await page.fill('[data-testid="saved-shipping.postalCode"]', '62704');
  await page.fill('[data-testid="saved-shipping.city"]', 'Chicago');
  await page.getByTestId('saved-details-save').click();
  await page.waitForFunction(
      async () => (await (await window.vitrine.ready).autofill.get())?.shipping.city === 'Chicago');
  const exported = await page.evaluate(async () => (await window.vitrine.ready).privacy.export());
  assert.equal(exported.savedDetails.length, 1);
  assert.equal(exported.savedDetails[0].shipping.postalCode, '62704');
  await page.getByTestId('saved-details-forget').click();
  await page.getByTestId('saved-details-empty').waitFor({state: 'visible'});
  assert.equal(await page.evaluate(async () => (await window.vitrine.ready).autofill.get()), null);
  assert.deepEqual(await storeRecords(page, 'autofill'), []);
  await page.close();
});

test('"Accept all" in the banner does not grant autofill', async () => {
  await newShopper(browser, shop);
  const page = await browser.newPage();
  await open(page, `${shop.url}/`);
  await chooseConsent(page, 'Accept all');
  const purposes = await page.evaluate(async () => (await window.vitrine.ready).consent.get());
  assert.deepEqual(
      purposes, {history: true, personalization: true, measurement: true, autofill: false});
  await page.close();
});

test(
    'data-autofill="on": the script tag offers to remember, saves before submitting, then offers to fill',
    async () => {
      await newShopper(browser, shop);
      const page = await browser.newPage();
      const requests = recordRequests(page);
      await page.goto(`${shop.url}/test/autofill/thanks`);
      await page.evaluate(() => window.vitrine.ready);
      await page.waitForTimeout(200);
      assert.deepEqual(
          requests.filter((r) => /vitrine-autofill/.test(r.url)), [],
          'a page without an address form loads nothing more');

      await page.goto(`${shop.url}/test/autofill/self-offer`);
      const remember = page.locator('label.vitrine-autofill-remember input');
      await remember.waitFor();
      assert.equal(await page.locator('.vitrine-autofill-fill').count(), 0, 'nothing saved yet');
      assert.equal(await page.evaluate(() => window.vitrine.consent.get().autofill), false);
      await page.fill('[name="firstname"]', 'Jane');
      await page.fill('[name="lastname"]', 'Doe');
      await page.fill('[name="email"]', 'jane.doe@example.com');
      await page.fill('[name="street"]', '1600 Amphitheatre Pkwy');
      await page.fill('[name="city"]', 'Mountain View');
      await page.selectOption('[name="region_id"]', '12');
      await page.fill('[name="zip"]', '94043');
      await page.fill('[name="phone"]', '(415) 555-0132');
      await remember.check();
      await Promise.all([page.waitForURL(/\/thanks\?/), page.click('button[type="submit"]')]);

      await page.goto(`${shop.url}/test/autofill/self-offer`);
      const fill = page.locator('.vitrine-autofill-fill');
      await fill.waitFor();
      const saved = await page.evaluate(async () => (await window.vitrine.ready).autofill.get());
      assert.equal(saved.shipping.region, 'US-CA', 'the region id was read by its text');
      assert.equal(saved.tel, '+14155550132');
      await fill.click();
      await page.waitForFunction(() => document.querySelector('[name="zip"]').value === '94043');
      assert.equal(await page.inputValue('[name="region_id"]'), '12');
      assert.equal(await page.inputValue('[name="firstname"]'), 'Jane');
      await page.close();
    });
