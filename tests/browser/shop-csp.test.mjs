// Every page works under the shop's Content-Security-Policy (no 'unsafe-inline', no
// 'unsafe-eval'; privacy note 26): zero securitypolicyviolation events, no console errors.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, launchBrowser, open, settle, startShop} from './lib.mjs';

let shop;
let browser;
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

// Nothing inline that the CSP would block, even if a browser did not enforce it.
async function assertNoInlineCode(page) {
  const inline = await page.evaluate(
      () => ({
        scripts: document.querySelectorAll('script:not([src])').length,
        styles: document.querySelectorAll('style, [style]').length,
        handlers: [...document.querySelectorAll('*')]
                      .filter((el) => [...el.attributes].some((a) => a.name.startsWith('on')))
                      .length,
      }));
  assert.deepEqual(inline, {scripts: 0, styles: 0, handlers: 0}, page.url());
}

test('every page and interaction runs without a CSP violation or console error', async () => {
  const page = await browser.newPage();
  const visit = async (path) => {
    await open(page, `${shop.url}${path}`);
    await assertNoInlineCode(page);
  };
  await visit('/');
  await page.getByTestId('consent-banner').getByRole('button', {name: 'Choose…'}).click();
  await page.getByTestId('consent-banner').getByRole('checkbox', {name: /^History/}).check();
  await page.getByRole('button', {name: 'Save choices'}).click();
  await page.getByTestId('consent-banner').waitFor({state: 'hidden'});
  await visit('/c/jackets');
  await visit('/c/jackets?sort=price-desc');
  await page.locator('[data-quick-view]').nth(2).click();
  await page.getByTestId('quick-view').waitFor({state: 'visible'});
  await page.keyboard.press('Escape');
  await visit('/p/1003');
  await page.getByRole('button', {name: 'Add to cart'}).click();
  await visit('/p/1233');
  await visit('/cart');
  await page.locator('[data-remove]').first().click();
  await visit('/privacy');
  assert.equal(await page.getByTestId('consent-state-history').textContent(), 'Allowed');
  assert.equal(await page.getByTestId('consent-state-measurement').textContent(), 'Not allowed');
  await page.getByTestId('privacy-choices').click();
  await chooseConsent(page, 'Accept all');
  await page.getByTestId('consent-state-measurement').filter({hasText: /^Allowed$/}).waitFor();
  const notFound = await page.goto(`${shop.url}/no/such/page`);
  assert.equal(notFound.status(), 404);
  await page.waitForSelector('body[data-shop-ready]', {state: 'attached'});
  await settle(page);
  // Chromium logs the 404 status of the document itself; that one is expected.
  const problems = browser.problems.filter(
      (p) => !(
          p.kind === 'console' && p.url.endsWith('/no/such/page') && /status of 404/.test(p.text)));
  assert.deepEqual(problems, []);
  browser.problems.length = 0;
});

// The control: the listener does catch a violation, so "zero" above means something.
test('an inline script is blocked and reported', async () => {
  const page = await browser.newPage();
  await open(page, `${shop.url}/`);
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.body.append(script);
    return window.__inlineRan === true;
  });
  assert.equal(ran, false);
  await expectViolation();
  browser.problems.length = 0;
});

async function expectViolation() {
  for (let i = 0; i < 50 && !browser.problems.some((p) => p.kind === 'csp'); ++i) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const csp = browser.problems.filter((p) => p.kind === 'csp');
  assert.equal(csp.length, 1, JSON.stringify(browser.problems));
  assert.match(csp[0].directive, /^script-src/);
}
