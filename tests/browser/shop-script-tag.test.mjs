// The script tag as a third party on a storefront (privacy notes 27 and 29): one global and
// no change to any built-in; Subresource Integrity hashes that match the files, on versioned
// immutable file names, and a browser that refuses a file whose hash differs.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {after, before, test} from 'node:test';

import {launchBrowser, startShop} from './lib.mjs';

const DIST = new URL('../../js/dist/', import.meta.url);

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

// Runs before any script of the page: the global names and, for each built-in constructor,
// its own and its prototype's property descriptors (values kept to compare by identity).
function snapshotBuiltins() {
  const names = [
    'Object',
    'Array',
    'Function',
    'String',
    'Number',
    'Boolean',
    'Symbol',
    'Promise',
    'Map',
    'Set',
    'WeakMap',
    'WeakSet',
    'Date',
    'RegExp',
    'Error',
    'TypeError',
    'ArrayBuffer',
    'Uint8Array',
    'Float32Array',
    'DataView',
    'EventTarget',
    'Node',
    'Element',
    'HTMLElement',
    'HTMLScriptElement',
    'Document',
    'Window',
    'Storage',
    'IDBFactory',
    'IDBDatabase',
    'IDBObjectStore',
    'IDBTransaction',
    'IDBRequest',
    'BroadcastChannel',
    'Response',
    'Request',
    'Headers',
    'URL',
    'TextEncoder',
    'TextDecoder',
    'Crypto',
    'SubtleCrypto',
    'Navigator',
    'LockManager',
    'MessagePort',
    'WebSocket',
    'XMLHttpRequest',
  ];
  const objects = Object.entries({
    JSON,
    Math,
    Reflect,
    WebAssembly,
    navigator,
    document,
    crypto: window.crypto,
  });
  for (const name of names) {
    if (typeof window[name] === 'function') {
      objects.push([name, window[name]], [`${name}.prototype`, window[name].prototype]);
    }
  }
  const describe = (o) => Object.getOwnPropertyNames(o)
                              .concat(Object.getOwnPropertySymbols(o))
                              .map((k) => [k, Object.getOwnPropertyDescriptor(o, k)]);
  const taken = {
    globals: Object.getOwnPropertyNames(window),
    objects: objects.map(([label, o]) => [label, o, describe(o)]),
    describe,
  };
  Object.defineProperty(window, '__builtinsBefore', {value: taken});
}

// ignore: globals the test itself set.
function compareBuiltins(ignore = []) {
  const {globals, objects, describe} = window.__builtinsBefore;
  const before = new Set([...globals, '__builtinsBefore', ...ignore]);
  const added = Object.getOwnPropertyNames(window).filter((n) => !before.has(n)).sort();
  const changed = [];
  for (const [label, object, properties] of objects) {
    const now = new Map(describe(object));
    const was = new Map(properties);
    for (const [key] of now) {
      if (!was.has(key)) changed.push(`${label}.${String(key)} added`);
    }
    for (const [key, d] of was) {
      const n = now.get(key);
      if (!n) {
        changed.push(`${label}.${String(key)} removed`);
      } else if (
          n.value !== d.value || n.get !== d.get || n.set !== d.set || n.writable !== d.writable ||
          n.enumerable !== d.enumerable) {
        // Values that change on their own (a page's title, timers) are not built-ins'.
        if (typeof d.value === 'function' || d.get || d.set) {
          changed.push(`${label}.${String(key)} replaced`);
        }
      }
    }
  }
  return {added, changed};
}

test(
    'the script tag adds one global (and the dataLayer GA4 tags use), touches no built-in',
    async () => {
      const page = await browser.newPage();
      await page.addInitScript(snapshotBuiltins);
      await page.goto(`${shop.url}/test/bare`);
      await page.evaluate(async () => {
        const v = await window.vitrine.ready;
        await v.consent.set({history: true, personalization: true});
        v.track({event: 'view_item', items: [{item_id: '1001'}]});
        v.recommend({context: 'home'});
        await v.flush();
      });
      const {added, changed} = await page.evaluate(compareBuiltins, []);
      // `dataLayer` only because this page had none: GA4's own snippet creates it the same way
      // (window.dataLayer = window.dataLayer || []), so tags pushed later still reach Vitrine.
      assert.deepEqual(added, ['dataLayer', 'vitrine']);
      assert.deepEqual(changed, []);
      // A page with its dataLayer keeps it (the same array), and gets one global.
      await page.addInitScript(() => {
        window.dataLayer = [{event: 'page_view'}];
        window.__ownLayer = window.dataLayer;
      });
      await page.goto(`${shop.url}/test/bare`);
      await page.evaluate(() => window.vitrine.ready);
      const again = await page.evaluate(compareBuiltins, ['dataLayer', '__ownLayer']);
      assert.deepEqual(again.added, ['vitrine']);
      assert.deepEqual(again.changed, []);
      assert.equal(await page.evaluate(() => window.dataLayer === window.__ownLayer), true);
      await page.close();
    });

test(
    'integrity.json matches the built files; the shop serves them versioned with integrity=',
    async () => {
      const integrity = JSON.parse(await readFile(new URL('integrity.json', DIST), 'utf8'));
      for (const file of ['vitrine.js', 'vitrine.mjs', 'vitrine.wasm']) {
        assert.ok(Object.hasOwn(integrity, file), `integrity.json lists ${file}`);
      }
      for (const [file, hash] of Object.entries(integrity)) {
        const bytes = await readFile(new URL(file, DIST));
        assert.equal(hash, `sha384-${createHash('sha384').update(bytes).digest('base64')}`, file);
      }
      const html = await (await fetch(`${shop.url}/`)).text();
      const tag =
          /<script src="(\/vitrine\/vitrine\.[0-9a-f]{16}\.js)" integrity="([^"]+)" data-wasm="(\/vitrine\/vitrine\.[0-9a-f]{16}\.wasm)" data-wasm-integrity="([^"]+)"/
              .exec(html);
      assert.ok(tag, 'the page loads the package under versioned names, with integrity');
      const [, scriptUrl, scriptHash, wasmUrl, wasmHash] = tag;
      assert.equal(scriptHash, integrity['vitrine.js']);
      assert.equal(wasmHash, integrity['vitrine.wasm']);
      for (const [url, hash] of [[scriptUrl, scriptHash], [wasmUrl, wasmHash]]) {
        const response = await fetch(`${shop.url}${url}`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        const bytes = Buffer.from(await response.arrayBuffer());
        assert.equal(`sha384-${createHash('sha384').update(bytes).digest('base64')}`, hash, url);
      }
    });

test('the browser refuses a script or a wasm whose hash differs', async () => {
  const page = await browser.newPage();
  await page.goto(`${shop.url}/test/bad-script-integrity`);
  await page.waitForLoadState('load');
  assert.equal(await page.evaluate(() => typeof window.vitrine), 'undefined');
  const problems = browser.problems.splice(0);
  assert.ok(problems.some((p) => /integrity/i.test(p.text ?? '')), JSON.stringify(problems));

  await page.goto(`${shop.url}/test/bad-wasm-integrity`);
  const outcome =
      await page.evaluate(() => window.vitrine.ready.then(() => 'ready', (e) => e.code));
  assert.equal(outcome, 'load_failed');
  browser.problems.splice(0);  // the browser's own integrity error, expected here

  await page.goto(`${shop.url}/test/bare`);
  assert.equal(await page.evaluate(() => window.vitrine.ready.then(() => 'ready')), 'ready');
  await page.close();
  assert.deepEqual(browser.problems, []);
});
