// The page sets that the size check weighs (bench/lib/page-sets.mjs, `make test-size`) are
// the package files Chromium really loads for those demo shop pages: a page that starts
// loading one more chunk fails here, so the size check can never weigh less than the page.
import assert from 'node:assert/strict';
import {after, before, beforeEach, test} from 'node:test';

import {PAGES} from '../../bench/lib/page-sets.mjs';

import {fetchCatalog, launchBrowser, newShopper, open, recordRequests, settle, startShop} from './lib.mjs';

let shop;
let browser;
let product;
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  product = (await fetchCatalog(shop.url)).products[0];
});
after(async () => {
  await browser?.close();
  await shop?.close();
});
beforeEach(() => newShopper(browser, shop));

// The js/dist name of a requested file: the shop serves vitrine.js and vitrine.wasm under
// versioned names. Data (the pack, the rule pack, the collector endpoint) is not package code.
function distName(url) {
  const {pathname} = new URL(url);
  if (!pathname.startsWith('/vitrine/')) return null;
  const name = pathname.slice('/vitrine/'.length).replace(/^vitrine\.[0-9a-f]{16}\./, 'vitrine.');
  return /\.(js|mjs|wasm|css)$/.test(name) ? name : null;
}

for (const [name, spec] of Object.entries(PAGES)) {
  test(`${name}: the page loads exactly the files the size check weighs`, async () => {
    const page = await browser.newPage();
    if (Object.keys(spec.grant).length) {
      await open(page, `${shop.url}/`);
      await page.evaluate(
          async (grant) => (await window.vitrine.ready).consent.set(grant), spec.grant);
      await settle(page);
    }
    const requests = recordRequests(page);
    await open(page, `${shop.url}${spec.path.replace('{id}', product.id)}`);
    // Chunks load after ready (components, rules, measurement): wait for the network to rest.
    await page.waitForLoadState('networkidle');
    await settle(page);
    const loaded = [...new Set(requests.map((r) => distName(r.url)).filter(Boolean))].sort();
    assert.deepEqual(loaded, [...spec.files].sort());
    assert.deepEqual(browser.problems, []);
  });
}
