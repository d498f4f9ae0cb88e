// Consent from outside the shop's own banner, in a real page: Google Consent Mode v2
// commands in the dataLayer (privacy note 7) and Global Privacy Control (note 8).
import assert from 'node:assert/strict';
import {after, before, beforeEach, test} from 'node:test';

import {chooseConsent, deviceStorage, launchBrowser, newShopper, NOTHING_STORED, open, openPrivacy, rowIds, settle, startShop, storeRecords} from './lib.mjs';

let shop;
let browser;
before(async () => {
  shop = await startShop({testPages: true});
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await shop?.close();
});
beforeEach(() => newShopper(browser, shop));

const consentOf = (page) => page.evaluate(() => window.vitrine.consent.get());

test('Consent Mode v2: update granted stores the data, update denied erases it', async () => {
  const page = await browser.newPage();
  // /test/gcm: the home page with gtag('consent', 'default', {... denied}) run before the
  // package, which has data-consent="gcm".
  await open(page, `${shop.url}/test/gcm`);
  assert.equal(await page.evaluate(async () => (await window.vitrine.ready).consent.source), 'gcm');
  assert.deepEqual(
      await consentOf(page),
      {history: false, personalization: false, measurement: false, autofill: false});
  assert.equal(
      await page.getByTestId('consent-banner').isHidden(), true,
      'the CMP asks, not the shop\'s banner');

  const quickView = page.locator('[data-quick-view]').first();
  const viewed = await quickView.getAttribute('data-quick-view');
  await quickView.click();
  await page.keyboard.press('Escape');
  assert.deepEqual(await rowIds(page, 'recently-viewed'), [viewed], 'in memory for the page');
  await settle(page);
  assert.deepEqual(await deviceStorage(page), NOTHING_STORED, 'denied by default: nothing stored');

  await page.evaluate(
      () => window.gtag(
          'consent', 'update', {personalization_storage: 'granted', analytics_storage: 'granted'}));
  await page.waitForFunction(() => window.vitrine.consent.get().history);
  assert.deepEqual(await consentOf(page), {
    history: true,
    personalization: true,
    measurement: true,
    autofill: false,  // a CMP never grants autofill: the shopper opts in on the page
  });
  await settle(page);
  assert.equal((await storeRecords(page, 'history')).length, 1, 'the history is stored now');
  assert.equal((await storeRecords(page, 'consent')).length, 1);
  // The log: the default (all denied, in full), then the changes the update made.
  assert.deepEqual(
      await page.evaluate(
          () => window.vitrine.consent.log().map((e) => [e.purpose, e.value, e.source])),
      [
        ['history', false, 'gcm'], ['personalization', false, 'gcm'], ['measurement', false, 'gcm'],
        ['autofill', false, 'gcm'], ['history', true, 'gcm'], ['personalization', true, 'gcm'],
        ['measurement', true, 'gcm']
      ]);
  assert.deepEqual(await rowIds(page, 'recently-viewed'), [viewed]);

  await page.evaluate(
      () => window.gtag(
          'consent', 'update', {personalization_storage: 'denied', analytics_storage: 'denied'}));
  await page.waitForFunction(() => !window.vitrine.consent.get().history);
  await settle(page);
  assert.deepEqual(await deviceStorage(page), NOTHING_STORED, 'everything withdrawn: erased');
  await page.locator('[data-testid="recently-viewed"][data-count="0"]').waitFor({
    state: 'attached'
  });
  assert.deepEqual(await rowIds(page, 'recently-viewed'), [], 'forgotten in the page too');

  // The package only read the dataLayer: the three consent commands are the page's own.
  const commands = await page.evaluate(
      () => window.dataLayer.filter((e) => e?.[0] === 'consent').map((e) => e[1]));
  assert.deepEqual(commands, ['default', 'update', 'update']);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test(
    'Global Privacy Control: "Accept all" leaves measurement off, and the page says why',
    async () => {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {
          configurable: true,
          get: () => true,
        });
      });
      await open(page, `${shop.url}/`);
      assert.equal(await page.evaluate(() => navigator.globalPrivacyControl), true);
      await chooseConsent(page, 'Accept all');
      const purposes = await consentOf(page);
      assert.equal(purposes.measurement, false);
      assert.deepEqual(
          purposes, {history: true, personalization: true, measurement: false, autofill: false});

      await openPrivacy(page, shop.url);
      assert.equal(
          await page.getByTestId('consent-state-measurement').textContent(), 'Not allowed');
      const measurement = page.getByTestId('switch-measurement');
      assert.equal(await measurement.getAttribute('aria-checked'), 'false');
      assert.equal(await measurement.isDisabled(), true, 'a switch that cannot turn on is off');
      const why = page.getByTestId('purpose-why-measurement');
      assert.equal(await why.isVisible(), true);
      assert.match(await why.textContent(), /Global Privacy Control/);
      // Autofill is asked at the checkout, never in "Accept all" (issue 7).
      assert.equal(await page.getByTestId('switch-autofill').getAttribute('aria-checked'), 'false');
      for (const name of ['history', 'personalization']) {
        assert.equal(await page.getByTestId(`switch-${name}`).getAttribute('aria-checked'), 'true');
        assert.equal(await page.getByTestId(`purpose-why-${name}`).isHidden(), true);
      }
      // The log shows what is in force: measurement was not granted.
      assert.match(
          await page.getByTestId('privacy-consent-log').textContent(), /Measurement\s*Not granted/);
      await page.close();
      assert.deepEqual(browser.problems, []);
    });
