// The life of the local database over time and next to other pages, through the built
// package on a fake IndexedDB: AES-GCM never reuses an IV when a record is rewritten;
// retention runs from its own hourly timer (fake timers and a fake clock) and also trims
// the consent log past 3 years; an old page that keeps the database open and ignores
// `versionchange` makes an open or an erase fail clearly after a timeout, not hang.
// notes/privacy.md items 11, 15, 17.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {DAY, dump, exists, fakeClock, ns, open, request, viewOf} from './idb.mjs';

const YEAR = 365 * DAY;

test('rewriting the same record never reuses its IV (AES-GCM nonce)', async () => {
  const namespace = ns('iv');
  const v = await open(namespace);
  await v.consent.set({history: true, personalization: true});
  const ivs = new Map();  // hex IV -> where it was seen
  for (let i = 0; i < 40; ++i) {
    v.track(viewOf(`iv-${i}`, 'C'));
    if (i % 4 === 0) await v.privacy.removeInterest(`Removed-${i}`);
    await v.flush();
    const {stores} = await dump(namespace);
    for (const [store, key] of [['history', 'snapshot'], ['profile', 'profile']]) {
      const record = stores[store].get(key);
      if (!record) continue;
      const hex = Buffer.from(record.iv).toString('hex');
      const seen = ivs.get(hex);
      // The same record read again before its next rewrite has the same IV; any other
      // write with that IV is a reuse.
      if (seen && seen.data !== Buffer.from(record.data).toString('hex')) {
        assert.fail(`IV ${hex} of ${store}/${key} was used for two different ciphertexts`);
      }
      ivs.set(hex, {data: Buffer.from(record.data).toString('hex')});
    }
  }
  // 40 history rewrites and 10 profile rewrites: 50 distinct IVs.
  assert.equal(ivs.size, 50);
  await v.close();
});

test('retention runs every hour by itself: history past 90 days goes, nothing newer', async (t) => {
  t.mock.timers.enable({apis: ['setInterval']});
  const now = fakeClock();
  const namespace = ns('hourly');
  const v = await open(namespace, {now});
  await v.consent.set({history: true});
  const kept = async (w) => (await w.privacy.export()).history.events.map((e) => e.itemId);
  v.track(viewOf('old', 'C'));
  now.advance(60 * DAY);
  v.track(viewOf('newer', 'C'));
  await v.flush();
  now.advance(31 * DAY);  // 'old' is 91 days old, 'newer' 31
  assert.deepEqual(await kept(v), ['old', 'newer']);
  t.mock.timers.tick(59 * 60 * 1000);
  await v.flush();
  assert.deepEqual(await kept(v), ['old', 'newer'], 'not before the hour');
  t.mock.timers.tick(60 * 1000);
  await v.flush();
  assert.deepEqual(await kept(v), ['newer']);
  await v.close();
  // And the stored copy: a page opened without running retention reads the same.
  const {stores} = await dump(namespace);
  assert.equal(stores.history.size, 1);
  const w = await open(namespace, {now: () => now() - 31 * DAY});
  assert.deepEqual(await kept(w), ['newer']);
  await w.close();
});

test('the consent log keeps 3 years, and always the record of the consent in force', async (t) => {
  t.mock.timers.enable({apis: ['setInterval']});
  const now = fakeClock();
  const namespace = ns('log');
  const v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});  // 4 entries (first decision)
  now.advance(YEAR);
  await v.consent.set({measurement: true});
  now.advance(YEAR);
  await v.consent.set({measurement: false});
  assert.equal(v.consent.log().length, 6);
  now.advance(YEAR + 2 * DAY);  // the first decision is now past 3 years, the others not
  t.mock.timers.tick(3600 * 1000);
  await v.flush();
  // history, personalization and autofill were last decided at the start: those entries
  // stay (the consent in force); measurement's first entry goes.
  const log = v.consent.log();
  assert.deepEqual(log.map((e) => [e.purpose, e.value]), [
    ['history', true], ['personalization', true], ['autofill', false], ['measurement', true],
    ['measurement', false]
  ]);
  const stored = (await dump(namespace)).stores.consent.get('state');
  assert.deepEqual(stored.log, log);
  now.advance(YEAR);
  t.mock.timers.tick(3600 * 1000);
  await v.flush();
  assert.equal(v.consent.log().length, 4, 'the newest entry of each purpose, however old');
  await v.close();
});

// A connection from a page that ignores versionchange (an old version of the shop's code).
async function stubbornConnection(name, version) {
  const db = await request(indexedDB.open(name, version));
  db.onversionchange = null;
  return db;
}

test(
    'an old page that never lets go: the upgrade gives up with storage_blocked, the shop runs in memory',
    async () => {
      const namespace = ns('blocked-open');
      const old = await stubbornConnection(namespace, 1);  // schema 1 (0.1.0), held open
      const started = Date.now();
      const v = await open(namespace, {blockedTimeout: 200});
      const waited = Date.now() - started;
      assert.ok(waited >= 150 && waited < 5000, `gave up after ${waited} ms`);
      assert.deepEqual(v.errors.map((e) => e.code), ['storage_blocked']);
      assert.match(v.errors[0].message, /another page/);
      // The page works, in memory.
      await v.consent.set({history: true});
      v.track(viewOf('1', 'C'));
      assert.equal(v.recentlyViewed().length, 1);
      await v.close();
      old.close();
    });

test(
    'an erase blocked by such a page fails clearly, and completes once that page lets go',
    async () => {
      const namespace = ns('blocked-erase');
      const v = await open(namespace, {blockedTimeout: 200});
      await v.consent.set({history: true});
      v.track(viewOf('1', 'C'));
      await v.flush();
      const old = await stubbornConnection(namespace);
      await assert.rejects(v.privacy.erase(), (error) => error.code === 'storage_blocked');
      assert.deepEqual(v.recentlyViewed(), [], 'this page forgot it at once');
      old.close();
      // The browser deletes it as soon as the other page lets go.
      for (let i = 0; i < 100 && (await exists(namespace)); ++i) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(await exists(namespace), false);
      await v.close();
    });
