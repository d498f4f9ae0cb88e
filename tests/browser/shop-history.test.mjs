// Recently viewed, with consent, survives a reload and a new page in the same profile.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {chooseConsent, deviceStorage, launchBrowser, open, recordRequests, rowIds, settle, startShop} from './lib.mjs';

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

// "Accept all" grants every purpose but autofill, which the checkout asks for (issue 7).
const ALL = {
  history: true,
  personalization: true,
  measurement: true,
  autofill: false
};

test('recently viewed survives a reload and a new page after "Accept all"', async () => {
  const page = await browser.newPage();
  await open(page, `${shop.url}/`);
  assert.deepEqual(await rowIds(page, 'recently-viewed'), [], 'a new profile has no history');
  await chooseConsent(page, 'Accept all');
  assert.deepEqual(
      await page.evaluate(async () => (await window.vitrine.ready).consent.get()), ALL);

  const viewed = ['1005', '1042', '1213'];  // a jacket, a hat, a tent
  for (const id of viewed) {
    await open(page, `${shop.url}/p/${id}`);
    await settle(page);
  }
  const newestFirst = [...viewed].reverse();
  // The control for the no-consent tests: with consent, the same probe does see a database.
  assert.notDeepEqual((await deviceStorage(page)).databases, []);

  await open(page, `${shop.url}/`);
  assert.deepEqual(await rowIds(page, 'recently-viewed'), newestFirst);
  await page.reload();
  await page.waitForSelector('body[data-shop-ready]', {state: 'attached'});
  assert.deepEqual(await rowIds(page, 'recently-viewed'), newestFirst, 'after a reload');
  assert.equal(
      await page.getByTestId('consent-banner').isHidden(), true,
      'the banner stays hidden once something is granted');

  // The product page leaves the product itself out of the row.
  await open(page, `${shop.url}/p/1042`);
  assert.deepEqual(await rowIds(page, 'recently-viewed'), ['1213', '1005']);
  await settle(page);
  await page.close();

  const second = await browser.newPage();
  await open(second, `${shop.url}/`);
  assert.deepEqual(
      await rowIds(second, 'recently-viewed'), ['1042', '1213', '1005'],
      'a new page in the same profile, with the last view moved to the front');
  assert.equal(await second.getByTestId('consent-banner').isHidden(), true);
  await second.close();
  assert.deepEqual(browser.problems, []);
});

// The banner's code is a chunk of its own (vitrine-banner.mjs): a shopper who has decided
// does not load it, until "Privacy choices" reopens the banner with the choices shown.
test(
    'once decided, pages load no banner code; "Privacy choices" fetches it and reopens',
    async () => {
      const fresh = await launchBrowser();  // a profile of its own: nothing decided yet
      try {
        const page = await fresh.newPage();
        const requests = recordRequests(page);
        const bannerChunks = () =>
            requests.filter((r) => new URL(r.url).pathname === '/vitrine/vitrine-banner.mjs')
                .length;
        await open(page, `${shop.url}/`);
        await chooseConsent(page, 'Accept all');
        assert.equal(bannerChunks(), 1, 'the first visit asks, so it fetches the banner');
        await open(page, `${shop.url}/p/1042`);
        await settle(page);
        assert.equal(await page.getByTestId('consent-banner').isHidden(), true);
        assert.equal(bannerChunks(), 1, 'a page after the choice fetches no banner code');

        const link = page.getByTestId('privacy-choices');
        await link.focus();
        await link.click();
        const banner = page.getByTestId('consent-banner');
        await banner.waitFor({state: 'visible'});
        assert.equal(bannerChunks(), 2, 'reopening fetched it');
        assert.equal(new URL(page.url()).pathname, '/p/1042', 'the link did not navigate');
        const measurement = banner.getByRole('checkbox', {name: /^Measurement/});
        await measurement.waitFor({state: 'visible'});
        assert.equal(await measurement.isChecked(), true, 'the choices show the current state');
        await measurement.uncheck();
        await banner.getByRole('button', {name: 'Save choices', exact: true}).click();
        await banner.waitFor({state: 'hidden'});
        assert.deepEqual(
            await page.evaluate(async () => (await window.vitrine.ready).consent.get()),
            {...ALL, measurement: false});
        await page.waitForFunction(
            () => document.activeElement?.getAttribute('data-testid') === 'privacy-choices', null,
            {timeout: 5000});
        assert.deepEqual(fresh.problems, []);
      } finally {
        await fresh.close();
      }
    });
