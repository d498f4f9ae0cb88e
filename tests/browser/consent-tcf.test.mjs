// The TCF adapter against IAB Tech Lab's own implementation, in Debian's Chromium:
// @iabtechlabtcf/cmpapi provides a real window.__tcfapi and @iabtechlabtcf/core encodes
// real TC strings. The page script is bundled with esbuild and served from loopback;
// nothing else is fetched.
import * as esbuild from 'esbuild';
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';

import {launchChromium} from '../../bench/lib/chromium.mjs';

const FIXTURES = fileURLToPath(new URL('./fixtures/consent/', import.meta.url));
const NONE = {
  history: false,
  personalization: false,
  measurement: false,
  autofill: false
};
const ALL = {
  history: true,
  personalization: true,
  measurement: true,
  autofill: false
};
const HISTORY_ONLY = {
  ...NONE,
  history: true
};

let server;
let origin;
let context;
let closeBrowser;

async function bundlePage() {
  const result = await esbuild.build({
    entryPoints: [path.join(FIXTURES, 'tcf-page.mjs')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

function serve(files) {
  const httpServer = http.createServer((req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, {'content-type': file.type, 'cache-control': 'no-store'});
    return res.end(file.body);
  });
  return new Promise((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve(httpServer)));
}

before(async () => {
  const [bundle, html] =
      await Promise.all([bundlePage(), readFile(path.join(FIXTURES, 'tcf.html'))]);
  server = await serve({
    '/tcf.html': {type: 'text/html', body: html},
    '/tcf-page.js': {type: 'text/javascript', body: bundle},
  });
  origin = `http://127.0.0.1:${server.address().port}`;
  ({context, close: closeBrowser} = await launchChromium());
});

after(async () => {
  await closeBrowser?.();
  server?.close();
});

// A fresh page (fresh CmpApi singleton), with every request recorded.
async function openPage({initScript} = {}) {
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(`${origin}/tcf.html`);
  // h('update', [1, 5], false) runs window.harness.update([1, 5], false) in the page.
  const h = (name, ...args) => page.evaluate(([n, a]) => window.harness[n](...a), [name, args]);
  const reports = () => page.evaluate(() => window.harness.reports());
  const done = async () => {
    assert.deepEqual(errors, [], 'no page errors');
    assert.ok(
        requests.every((url) => url.startsWith(`${origin}/`)),
        `only loopback requests: ${requests.join(' ')}`);
    await page.close();
  };
  return {page, h, reports, done};
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test(
    'real CmpApi through the standard stub: tcloaded, cmpuishown ignored, revocation, stop',
    {timeout: 60000}, async () => {
      const {h, reports, done} = await openPage();
      await h('installStub');
      await h('attach');
      await h('createCmp');  // takes over the stub's queue; answers nothing before update()
      assert.deepEqual(await reports(), []);
      const granted = await h('update', [1, 5, 6, 8], false);  // returning visitor
      let got = await reports();
      assert.equal(got.length, 1);
      assert.deepEqual(got[0].purposes, ALL);
      assert.equal(got[0].source, 'tcf');
      assert.equal(got[0].detail.eventStatus, 'tcloaded');
      assert.equal(got[0].detail.tcString, granted);
      assert.equal(got[0].detail.gdprApplies, true);
      assert.equal(got[0].detail.cmpId, 10);

      await h('update', [1, 5, 6, 8], true);  // banner re-opened: cmpuishown
      assert.equal((await reports()).length, 1, 'cmpuishown is not an answer');
      await h('update', [1], false);  // the user withdraws 5, 6 and 8
      got = await reports();
      assert.equal(got.length, 2);
      assert.deepEqual(got[1].purposes, HISTORY_ONLY);
      assert.equal(got[1].detail.eventStatus, 'useractioncomplete');
      await h('update', [1, 5, 6, 9], true);
      await h('update', [], false);  // and then everything
      got = await reports();
      assert.deepEqual(got.map((r) => r.purposes), [ALL, HISTORY_ONLY, NONE]);

      assert.equal(await h('listeners'), 1);
      await h('stop');
      assert.equal(await h('listeners'), 0, 'removeEventListener reached the CmpApi');
      await h('update', [1, 5, 6, 8], false);
      assert.equal((await reports()).length, 3, 'nothing after stop');
      await done();
    });

test(
    'real CmpApi arriving late (polling), new visitor: cmpuishown then useractioncomplete',
    {timeout: 60000}, async () => {
      const {h, reports, done} = await openPage();
      await h('attach');  // no __tcfapi on the page yet
      assert.equal(await h('hasTcfapi'), false);
      await wait(150);
      await h('createCmp');
      await wait(150);  // the adapter's poll (50 ms) finds it and calls addEventListener
      await h('update', '', true);  // new visitor: banner shown, no TC string yet
      assert.equal(await h('listeners'), 1, 'queued call answered on the first update');
      assert.deepEqual(await reports(), []);
      await h('update', [1, 5, 6, 9], false);
      let got = await reports();
      assert.deepEqual(got.map((r) => r.purposes), [ALL]);
      assert.equal(got[0].detail.eventStatus, 'useractioncomplete');
      // Revocation mid-session: the banner is opened again and measurement withdrawn.
      await h('update', [1, 5, 6, 9], true);
      await h('update', [1, 5, 6], false);
      got = await reports();
      assert.deepEqual(got.map((r) => r.purposes), [ALL, {...ALL, measurement: false}]);
      await done();
    });

test(
    'real CmpApi: gdprApplies false (update(null)) is reported as denied', {timeout: 60000},
    async () => {
      const {h, reports, done} = await openPage();
      await h('createCmp');
      await h('attach');
      await h('update', [1, 5, 6, 8], false);
      // CmpApi's TCData for update(null) has gdprApplies false and no purpose object at all.
      await h('update', null, false);
      const got = await reports();
      assert.deepEqual(got.map((r) => r.purposes), [ALL, NONE]);
      assert.equal(got[1].detail.gdprApplies, false);
      await done();
    });

test('real CmpApi disabled: success false denies', {timeout: 60000}, async () => {
  const {h, reports, done} = await openPage();
  await h('createCmp');
  await h('update', [1, 5, 6, 8], false);
  await h('attach', 'before');
  await h('disable');
  await h('attach', 'after');  // the disabled CmpApi answers (Disabled, false)
  const got = await reports();
  assert.deepEqual(got.map((r) => [r.tag, r.purposes]), [['before', ALL], ['after', NONE]]);
  assert.equal(got[1].detail.reason, 'cmp_error');
  await done();
});

test(
    'stopped while still queued in the stub: the listener is removed once the CMP answers',
    {timeout: 60000}, async () => {
      const {h, reports, done} = await openPage();
      await h('installStub');
      await h('attach');
      await h('stop');
      await h('createCmp');
      await h('update', [1, 5, 6, 8], false);
      assert.equal(await h('listeners'), 0);
      assert.deepEqual(await reports(), []);
      await done();
    });

test('Global Privacy Control in the browser turns measurement off', {timeout: 60000}, async () => {
  const {h, reports, done} = await openPage({
    initScript: () => Object.defineProperty(
        Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true}),
  });
  await h('createCmp');
  await h('attach');
  await h('update', [1, 5, 6, 8, 9], false);
  const got = await reports();
  assert.deepEqual(got.map((r) => r.purposes), [{...ALL, measurement: false}]);
  assert.deepEqual(got[0].detail.overriddenBy, ['gpc']);
  await done();
});

test(
    'what the real __tcfapi hands a listener (shape the adapter relies on)', {timeout: 60000},
    async () => {
      const {h, done} = await openPage();
      await h('createCmp');
      await h('update', [1, 5, 6, 9], false);
      const {success, tcData} = await h('peek');
      assert.equal(success, true);
      assert.equal(tcData.listenerId, 0, 'CmpApi numbers listeners from 0');
      assert.equal(tcData.eventStatus, 'tcloaded');
      assert.equal(tcData.gdprApplies, true);
      assert.equal(tcData.tcfPolicyVersion, 5);
      // Keys are strings; the vector stops at the highest id set, so 10 and 11 are absent.
      assert.deepEqual(
          tcData.purpose.consents,
          {1: true, 2: false, 3: false, 4: false, 5: true, 6: true, 7: false, 8: false, 9: true});
      await done();
    });
