// Autofill on checkout forms built like the ones shops use (tests/browser/fixtures/autofill):
// field-level accuracy against what each field should hold (data-expect), measured and
// printed; no hidden or honeypot field and no card field touched (common.js records them).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {PROFILES} from './autofill-profiles.mjs';
import {launchBrowser, newShopper, startShop} from './lib.mjs';

const FIXTURES = [
  'shopify',
  'woocommerce',
  'magento',
  'react',
  'de',
  'fr',
  'es',
  'ja',
  'zh',
  'relayout',
  'multistep',
  'honeypot',
  'shipping-billing',
  'split',
  'br',
  'ru',
  'it',
];
const BUDGET = 0.97;

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

// Saves the fixture's shopper with the autofill purpose, fills, follows "Continue" buttons
// (multi-step) filling again, and reads every field back.
async function fillFixture(name) {
  await newShopper(browser, shop);
  const page = await browser.newPage();
  // Fixtures are not shop pages (no data-shop-ready): wait for the engine only.
  await page.goto(`${shop.url}/test/autofill/${name}`);
  await page.evaluate(() => window.vitrine.ready);
  const key = await page.getAttribute('meta[name="profile"]', 'content');
  await page.evaluate(async (profile) => {
    const v = await window.vitrine.ready;
    await v.consent.set({autofill: true});
    await v.autofill.save(profile);
  }, PROFILES[key]);
  const runs = [];
  for (let step = 0; step < 4; ++step) {
    runs.push(await page.evaluate(async () => {
      const v = await window.vitrine.ready;
      const r = await v.autofill.fill(document);
      return {filled: r.filled.length, skipped: r.skipped.map((s) => `${s.field}:${s.why}`)};
    }));
    const next = page.locator('[data-next]:visible');
    if ((await next.count()) === 0) break;
    await next.first().click();
  }
  await page.waitForTimeout(20);  // a controlled form re-renders in a microtask
  const fields = await page.evaluate(() => {
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && s.visibility === 'visible' && Number(s.opacity) > 0 &&
          r.right > 0 && !el.closest('[hidden]');
    };
    return {
      expected: Array.from(document.querySelectorAll('[data-expect]'), (el) => ({
                                                                         name: el.name || el.id,
                                                                         expect: el.dataset.expect,
                                                                         got: el.value,
                                                                         visible: shown(el),
                                                                       })),
      cards: Array.from(document.querySelectorAll('[data-card]'), (el) => el.value),
      hiddenTouches: window.__hiddenTouches,
      cardTouches: window.__cardTouches,
      reactState: window.reactState ?? null,
    };
  });
  await page.close();
  return {...fields, runs};
}

test('checkout fixtures: field-level accuracy, hidden and card fields untouched', async () => {
  let correct = 0;
  let total = 0;
  const lines = [];
  const wrong = [];
  for (const name of FIXTURES) {
    const r = await fillFixture(name);
    const visible = r.expected.filter((f) => f.visible);
    const ok = visible.filter((f) => f.got === f.expect);
    correct += ok.length;
    total += visible.length;
    for (const f of visible) {
      if (f.got !== f.expect)
        wrong.push(
            `${name}.${f.name}: want ${JSON.stringify(f.expect)} got ${JSON.stringify(f.got)}`);
    }
    lines.push(`${name.padEnd(17)} ${ok.length}/${visible.length}`);
    // Hidden, zero-size, off-screen and honeypot fields: never filled.
    for (const f of r.expected.filter((x) => !x.visible)) {
      assert.equal(f.got, '', `${name}: hidden field ${f.name} was filled`);
    }
    assert.deepEqual(r.hiddenTouches, [], `${name}: hidden fields touched`);
    // Card fields: never written, never even focused.
    assert.ok(r.cards.every((v) => v === ''), `${name}: a card field was written`);
    assert.deepEqual(r.cardTouches, [], `${name}: card fields touched`);
    if (r.reactState) {
      // The controlled form's own state saw every value (not only the DOM).
      for (const f of visible)
        assert.ok(Object.values(r.reactState).includes(f.got) || f.got === '');
    }
  }
  const accuracy = correct / total;
  console.log(`autofill accuracy: ${correct}/${total} fields = ${
      (100 * accuracy).toFixed(1)}% over ${FIXTURES.length} forms\n  ${lines.join('\n  ')}${
      wrong.length ? `\n  wrong:\n    ${wrong.join('\n    ')}` : ''}`);
  assert.ok(FIXTURES.length >= 12);
  assert.ok(accuracy >= BUDGET, `accuracy ${accuracy} below ${BUDGET}`);
});
