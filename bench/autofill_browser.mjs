// Autofill in Chromium: detect() and fill() on a 20-field checkout (bench/pages/autofill.html),
// and the Vitrine bytes (gzip -9) that the demo shop's home, product and checkout pages load.
// Prints one JSON object.
//
//   node bench/autofill_browser.mjs [--dist DIR] [--runs 300]
//
// fill: from a reset form to every field filled, with the country already the shopper's (no
// re-layout to wait for); fillCountryChange: the same when the country must change first,
// which includes the wait for a re-layout (js/src/autofill/fill.js settle(): 400 ms without
// a mutation). Weights: every /vitrine/* response the page received, gzipped here; the
// checkout is measured with the autofill purpose granted and the fill offer used, and the
// product page again once measurement is granted (the reporting chunk it adds).
import {gzipSync} from 'node:zlib';

import {startDemoShop} from '../demo-shop/server.mjs';

import {chromiumRun, launchChromium} from './lib/chromium.mjs';
import {DIST, distHashes} from './lib/dist.mjs';
import {percentile} from './lib/stats.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dist = arg('--dist', DIST);
const runs = Number(arg('--runs', 300));
const BUDGET_FILL_P50_MS = 10;

const PROFILE = {
  givenName: 'Jane',
  familyName: 'Doe',
  email: 'jane.doe@example.com',
  tel: '(415) 555-0132',
  shipping: {
    line1: '1600 Amphitheatre Pkwy',
    line2: 'Suite 5',
    city: 'Mountain View',
    region: 'CA',
    postalCode: '94043',
    country: 'US'
  },
};

const summary = (ms) => ({
  p50: +percentile(ms, 50).toFixed(3),
  p90: +percentile(ms, 90).toFixed(3),
  p99: +percentile(ms, 99).toFixed(3),
  n: ms.length,
});

async function timings() {
  return chromiumRun(async ({page, url}) => {
    await page.goto(`${url}/autofill.html`);
    return page.evaluate(async ({profile, runs}) => {
      const v = await window.vitrine.ready;
      await v.consent.set({autofill: true});
      await v.autofill.save(profile);
      await v.autofill.load();
      const form = document.getElementById('checkout');
      const detect = [];
      const fill = [];
      let filled = 0;
      for (let i = 0; i < runs + 20; ++i) {
        form.reset();
        const t0 = performance.now();
        const fields = v.autofill.detect(form);
        const t1 = performance.now();
        const r = await v.autofill.fill(form);
        const t2 = performance.now();
        if (i >= 20) {  // warm-up
          detect.push(t1 - t0);
          fill.push(t2 - t1);
        }
        if (fields.length !== 20) throw new Error(`detected ${fields.length} fields`);
        filled = r.filled.length;
      }
      // With a country change (and so the re-layout wait): a few runs are enough.
      const change = [];
      // The page's default country becomes Germany: the fill must change it to the US.
      for (const name of ['s_country', 'b_country']) {
        for (const o of form.elements[name].options) o.defaultSelected = o.value === 'DE';
      }
      for (let i = 0; i < 10; ++i) {
        form.reset();
        const t0 = performance.now();
        await v.autofill.fill(form);
        change.push(performance.now() - t0);
      }
      return {detect, fill, change, filled};
    }, {profile: PROFILE, runs});
  }, {'/vitrine/': dist});
}

async function pageWeights() {
  const shop = await startDemoShop({port: 0, quiet: true});
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    let got = new Map();
    page.on('response', async (response) => {
      const path = new URL(response.url()).pathname;
      if (!path.startsWith('/vitrine/') || path.endsWith('.vpk')) return;
      const into = got;  // the page load it belongs to, even if its body comes later
      try {
        into.set(path, gzipSync(await response.body(), {level: 9}).length);
      } catch {
        // a response without a body (redirect): nothing loaded
      }
    });
    const weigh = async (path, after = async () => {}) => {
      got = new Map();
      await page.goto(`${shop.url}${path}`);
      await page.evaluate(() => window.vitrine.ready);
      await after();
      await page.waitForTimeout(300);
      return {files: Object.fromEntries(got), gzip: [...got.values()].reduce((a, b) => a + b, 0)};
    };
    const catalog = await (await fetch(`${shop.url}/catalog.json`)).json();
    await page.goto(`${shop.url}/`);
    await page.evaluate(async (profile) => {
      const v = await window.vitrine.ready;
      await v.consent.set({history: true, personalization: true, autofill: true});
      await v.autofill.save(profile);
    }, PROFILE);
    return {
      home: await weigh('/'),
      product: await weigh(`/p/${catalog.products[0].id}`),
      checkout: await weigh(
          '/checkout',
          async () => {
            await page.getByTestId('autofill-fill').click();
            await page.waitForFunction(
                () => document.querySelector('[name="shipping-city"]')?.value === 'Mountain View');
          }),
      purposes: 'history, personalization and autofill granted; a profile saved',
      // The reporting code (vitrine-measurement.mjs and .wasm) loads only with measurement.
      productWithMeasurement: await weigh(
          `/p/${catalog.products[0].id}`,
          async () => {
            await page.evaluate(
                async () => (await window.vitrine.ready).consent.set({measurement: true}));
            await page.evaluate(async () => (await window.vitrine.ready).privacy.ledger());
          }),
    };
  } finally {
    await browser.close();
    await shop.close();
  }
}

const t = await timings();
const result = {
  benchmark: 'autofill_browser',
  dist: distHashes(dist),
  form: {fields: 20, filled: t.filled},
  detectMs: summary(t.detect),
  fillMs: summary(t.fill),
  fillCountryChangeMs: summary(t.change),
  pageWeightsGzip: await pageWeights(),
};
result.budgets = {
  fillP50MsMax: BUDGET_FILL_P50_MS,
  measured: {fillP50Ms: result.fillMs.p50},
  met: result.fillMs.p50 <= BUDGET_FILL_P50_MS,
};
console.log(JSON.stringify(result, null, 2));
