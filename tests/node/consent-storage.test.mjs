// Consent and local storage through the built package on a fake IndexedDB: nothing stored
// before consent, each purpose's data in its own store (all 16 combinations), withdrawal
// erasing at once (in the same transaction as the consent record, and in other tabs), the
// consent log and the policy version. docs/privacy.md, notes/privacy.md items 1-5, 16, 21.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {ALL_DENIED, cartOf, dump, exists, fakeClock, nonEmpty, ns, open, PACK, patch, purchaseOf, rawWrite, request, spyWrites, tick, until, viewOf} from './idb.mjs';

// Items of the test pack: '1' and '3' are in category 'A', '2' in 'B', '9' and '306' have
// none (the events give categories of their own).
function shop(v) {
  for (const event
           of [viewOf('1', 'A'), viewOf('2', 'B'), viewOf('9', 'C'), cartOf('306', 'C'),
               purchaseOf('9', 'C')]) {
    assert.deepEqual(v.track(event), {ok: true});
  }
}
const HISTORY_IDS = new Set(['1', '2', '9', '306']);
const personalReasons = (rows) => rows.filter((r) => HISTORY_IDS.has(r.reason.itemId));

test('nothing is stored before consent: no database, however much the page is used', async () => {
  const namespace = ns('before');
  const v = await open(namespace, {pack: PACK});
  shop(v);
  assert.equal(v.recommend({limit: 5}).length, 5);
  assert.equal(v.recommend({context: 'item', itemId: '9'}).length > 0, true);
  assert.equal(v.recentlyViewed().length, 3);  // views: 1, 2, 9
  assert.deepEqual(v.privacy.interests(), []);
  assert.equal(v.consent.required, true);
  await v.flush();
  assert.deepEqual(await v.privacy.storedCounts(), null);
  assert.deepEqual(await indexedDB.databases(), []);
  // Exporting and erasing look, and create nothing either.
  assert.equal((await v.privacy.export()).history.events.length, 5);
  await v.privacy.erase();
  await v.close();
  assert.deepEqual(await indexedDB.databases(), []);
  // A new page load looks for a database and must not create one by looking.
  const w = await open(namespace);
  assert.deepEqual(w.recentlyViewed(), []);
  await w.close();
  assert.equal(await exists(namespace), false);
});

// Every request the package could make from node (fetch; node 20 has no sendBeacon).
function watchNetwork(t) {
  const calls = [];
  t.mock.method(globalThis, 'fetch', (...args) => {
    calls.push(String(args[0]));
    return Promise.resolve(new Response('', {status: 204}));
  });
  return calls;
}

test(
    'all 16 purpose combinations: each purpose\'s data in its store, used for nothing else',
    async (t) => {
      const network = watchNetwork(t);
      for (let bits = 0; bits < 16; ++bits) {
        const p = {
          history: Boolean(bits & 1),
          personalization: Boolean(bits & 2),
          measurement: Boolean(bits & 4),
          autofill: Boolean(bits & 8),
        };
        const label = JSON.stringify(p);
        const namespace = ns(`combo${bits}`);
        const now = fakeClock();
        const v = await open(namespace, {pack: PACK, now});
        const anonymous = v.recommend({limit: 8});
        assert.deepEqual(await v.consent.set(p), p, label);
        assert.deepEqual(v.consent.get(), p, label);
        assert.equal(v.consent.required, false, label);
        shop(v);
        if (p.personalization) {
          await v.privacy.removeInterest('A');
        } else {
          assert.throws(() => v.privacy.removeInterest('A'), {code: 'permission_denied'}, label);
        }
        await v.flush();

        // Recommendations use the history only with personalization.
        const rows = v.recommend({limit: 8});
        if (p.personalization) {
          assert.ok(personalReasons(rows).length > 0, `${label} ${JSON.stringify(rows)}`);
          assert.ok(!rows.some((r) => ['1', '3'].includes(r.itemId)), 'removed interest A');
          assert.ok(!rows.some((r) => r.reason.itemId === '1'), 'A does not steer either');
          const interests = v.privacy.interests().map((i) => i.category);
          assert.ok(interests.includes('C') && !interests.includes('A'), label);
          assert.deepEqual(v.privacy.removedInterests(), ['A']);
        } else {
          assert.deepEqual(rows, anonymous, label);
          assert.deepEqual(v.privacy.interests(), [], label);
          assert.deepEqual(v.privacy.removedInterests(), [], label);
        }
        const exported = await v.privacy.export();
        assert.deepEqual(exported.consent.purposes, p);
        assert.equal(exported.profile.interests.length > 0, p.personalization, label);
        // Exactly the granted purposes' stores hold records (so no saved details and no
        // report: the export reads those stores), and nothing was sent.
        const d = await dump(namespace);
        assert.equal(exported.sent.length, d?.stores.sent.size ?? 0, label);
        assert.equal(exported.savedDetails.length, d?.stores.autofill.size ?? 0, label);
        assert.deepEqual(network, [], label);
        if (bits === 0) {
          assert.equal(d, null, 'no purpose, no database');
        } else {
          const expected = {consent: 1, keys: 1};
          if (p.history) expected.history = 1;
          if (p.personalization) expected.profile = 1;
          if (!p.history && !p.personalization) delete expected.keys;  // nothing to seal
          assert.deepEqual(nonEmpty(d), expected, label);
          assert.deepEqual(d.stores.consent.get('state').purposes, p, label);
          assert.equal(d.stores.consent.get('state').bits, bits, label);
        }
        await v.close();

        // A new page: each purpose's data comes back only under that purpose.
        const w = await open(namespace, {pack: PACK, now});
        assert.deepEqual(w.consent.get(), p, label);
        assert.equal(w.consent.required, bits === 0, label);
        assert.equal(w.recentlyViewed().length, p.history ? 3 : 0, label);
        assert.deepEqual(w.privacy.removedInterests(), p.personalization ? ['A'] : [], label);
        const again = w.recommend({limit: 8});
        assert.equal(
            personalReasons(again).length > 0, p.history && p.personalization,
            `${label} ${JSON.stringify(again)}`);
        assert.deepEqual(w.errors, [], label);
        await w.close();
      }
    });

test(
    'withdrawing history clears its store in the same transaction as the consent record',
    async () => {
      const namespace = ns('withdraw');
      const v = await open(namespace, {pack: PACK});
      await v.consent.set({history: true, personalization: true, measurement: true});
      shop(v);
      await v.privacy.removeInterest('B');
      await v.flush();
      assert.deepEqual(
          nonEmpty(await dump(namespace)), {consent: 1, history: 1, profile: 1, keys: 1});
      // An event whose record is still in its journal store (the full write waits a second).
      v.track(viewOf('305', 'C'));
      await until(async () => (await dump(namespace)).stores['journal-0'].size === 1);

      const writes = spyWrites();
      try {
        await v.consent.set({history: false});
      } finally {
        writes.restore();
      }
      const consentPut = writes.find((w) => w.store === 'consent' && w.op === 'put');
      const historyClear = writes.find((w) => w.store === 'history' && w.op === 'clear');
      assert.ok(consentPut && historyClear, JSON.stringify(writes.map((w) => [w.op, w.store])));
      assert.equal(consentPut.tx, historyClear.tx, 'one transaction');
      for (const store of ['journal-0', 'journal-1', 'journal-2', 'journal-3']) {
        const clear = writes.find((w) => w.store === store && w.op === 'clear');
        assert.equal(clear?.tx, consentPut.tx, `${store} cleared in the same transaction`);
      }
      assert.equal(consentPut.durability, 'strict');
      assert.ok(!writes.some((w) => w.store === 'history' && w.op === 'put'));
      assert.deepEqual(v.recentlyViewed(), []);
      assert.equal(v.stats().historyEntries, 0);
      assert.deepEqual(nonEmpty(await dump(namespace)), {consent: 1, profile: 1, keys: 1});
      // Later events live in this page only.
      v.track(viewOf('306', 'C'));
      await v.flush();
      assert.equal((await dump(namespace)).stores.history.size, 0);

      // Personalization: the profile store goes, interests are empty at once.
      await v.consent.set({personalization: false});
      assert.deepEqual(v.privacy.removedInterests(), []);
      assert.deepEqual(v.privacy.interests(), []);
      assert.deepEqual(nonEmpty(await dump(namespace)), {consent: 1, keys: 1});

      // Everything: the database itself goes.
      await v.consent.set({measurement: false});
      assert.equal(await exists(namespace), false);
      assert.deepEqual(v.consent.get(), ALL_DENIED);
      assert.equal(v.consent.required, false, 'a decision was made: no banner again');
      assert.deepEqual(v.errors, []);
      await v.close();
    });

test('a withdrawal that cannot be recorded (storage full) still removes the data', async () => {
  const namespace = ns('withdrawfull');
  const v = await open(namespace);
  await v.consent.set({history: true, personalization: true});
  v.track(viewOf('9', 'C'));
  await v.flush();
  const restore = patch(IDBObjectStore.prototype, 'put', (original) => function(...args) {
    if (this.name === 'consent') {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return original.apply(this, args);
  });
  try {
    assert.deepEqual(await v.consent.set({history: false}), {...ALL_DENIED, personalization: true});
  } finally {
    restore();
  }
  assert.deepEqual(v.errors.map((e) => e.code), ['storage_full']);
  assert.deepEqual(v.recentlyViewed(), []);
  assert.equal(await exists(namespace), false, 'no stored grant outlives the withdrawal');
  await v.close();
  const w = await open(namespace);
  assert.deepEqual(w.consent.get(), ALL_DENIED);
  assert.equal(w.consent.required, true);
  assert.deepEqual(w.recentlyViewed(), []);
  await w.close();
});

test('consent changes made without awaiting each other all apply, in order', async () => {
  const namespace = ns('burst');
  const v = await open(namespace);
  const a = v.consent.set({history: true});
  const b = v.consent.set({personalization: true});
  const c = v.consent.set({measurement: true});
  await Promise.all([a, b, c]);
  assert.deepEqual(
      v.consent.get(), {...ALL_DENIED, history: true, personalization: true, measurement: true});
  assert.deepEqual(await b, {...ALL_DENIED, history: true, personalization: true});
  assert.equal((await dump(namespace)).stores.consent.get('state').bits, 7);
  await v.close();
});

test(
    'consent log: one entry per change, policy version, source; required again on a new policy',
    async () => {
      const namespace = ns('log');
      const now = fakeClock();
      const v = await open(namespace, {now});
      assert.equal(v.consent.required, true);
      assert.deepEqual(v.consent.log(), []);
      const t0 = now();
      await v.consent.set({history: true});
      assert.equal(v.consent.required, false);
      // The first decision under a policy is logged in full.
      assert.deepEqual(v.consent.log(), [
        {purpose: 'history', value: true, time: t0, policyVersion: '1', source: 'manual'},
        {purpose: 'personalization', value: false, time: t0, policyVersion: '1', source: 'manual'},
        {purpose: 'measurement', value: false, time: t0, policyVersion: '1', source: 'manual'},
        {purpose: 'autofill', value: false, time: t0, policyVersion: '1', source: 'manual'},
      ]);
      now.advance(1000);
      await v.consent.set({personalization: true, history: true});
      now.advance(1000);
      await v.consent.set({personalization: true});  // no change, no entry
      assert.deepEqual(v.consent.log().slice(4), [
        {
          purpose: 'personalization',
          value: true,
          time: t0 + 1000,
          policyVersion: '1',
          source: 'manual'
        },
      ]);
      const log = v.consent.log();
      log.pop();
      assert.equal(v.consent.log().length, 5, 'log() hands out a copy');
      v.track(viewOf('9', 'C'));
      await v.flush();
      await v.close();

      // The log is stored with the record and comes back.
      const stored = (await dump(namespace)).stores.consent.get('state');
      assert.equal(stored.log.length, 5);
      assert.equal(stored.policyVersion, '1');
      const same = await open(namespace, {now});
      assert.equal(same.consent.required, false);
      assert.deepEqual(same.consent.log(), stored.log);
      assert.equal(same.recentlyViewed().length, 1);
      await same.close();

      // A new policy version: ask again, and nothing given under the old one stays.
      const next = await open(namespace, {now, policyVersion: '2'});
      assert.equal(next.consent.required, true);
      assert.deepEqual(next.consent.get(), ALL_DENIED);
      assert.deepEqual(next.recentlyViewed(), []);
      assert.equal(await exists(namespace), false);
      await next.consent.set({history: true});
      assert.deepEqual(next.consent.log().map((e) => [e.purpose, e.value, e.policyVersion]), [
        ['history', true, '2'], ['personalization', false, '2'], ['measurement', false, '2'],
        ['autofill', false, '2']
      ]);
      await next.close();
      // Going back to policy '1' (a rollback) asks again too.
      const back = await open(namespace, {now});
      assert.equal(back.consent.required, true);
      await back.close();
    });

test('consent log keeps the last 200 entries', async () => {
  const namespace = ns('loglimit');
  const now = fakeClock();
  const v = await open(namespace, {now});
  await v.consent.set({history: true});
  for (let i = 0; i < 220; ++i) {
    now.advance(1000);
    await v.consent.set({measurement: i % 2 === 0});
  }
  const log = v.consent.log();
  // The last 200, plus the newest entry of each purpose that fell off: the records of the
  // consent in force (history, personalization and autofill were decided once, at first).
  assert.equal(log.length, 203);
  assert.deepEqual(
      log.slice(0, 3).map((e) => e.purpose), ['history', 'personalization', 'autofill']);
  assert.equal(log[0].value, true);
  assert.deepEqual(
      log.at(-1),
      {purpose: 'measurement', value: false, time: now(), policyVersion: '1', source: 'manual'});
  assert.equal(log[3].time, now() - 199 * 1000, 'the oldest changes went first');
  assert.equal((await dump(namespace)).stores.consent.get('state').log.length, 203);
  await v.close();
});

test('another tab: withdrawal there drops this tab\'s history within 1 s', async () => {
  const namespace = ns('tabs');
  const a = await open(namespace);
  const b = await open(namespace);
  await a.consent.set({history: true, personalization: true});
  // b learns the consent from a's broadcast.
  await until(() => b.consent.get().history, 1000, 'consent in tab b');
  b.track(viewOf('9', 'C'));
  await b.flush();
  await until(async () => a.recentlyViewed().length === 1, 1000, 'history in tab a');

  const started = Date.now();
  await a.consent.set({history: false});
  await until(() => b.recentlyViewed().length === 0, 1000, 'tab b to drop its history');
  assert.ok(Date.now() - started < 1000);
  assert.equal(b.consent.get().history, false);
  // b must not write its history back after the withdrawal.
  b.track(viewOf('306', 'C'));
  await b.flush();
  await tick(20);
  assert.equal((await dump(namespace)).stores.history.size, 0);

  // Withdrawing everything in b deletes the database; a forgets too.
  await b.consent.set({personalization: false});
  await until(() => !a.consent.get().personalization, 1000, 'tab a to withdraw');
  a.track(viewOf('1', 'A'));
  await a.flush();
  await b.flush();
  assert.equal(await exists(namespace), false);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.close();
  await b.close();
});

test(
    'a tab never writes what the stored consent no longer allows (before the broadcast arrives)',
    async () => {
      const namespace = ns('race');
      const v = await open(namespace);
      await v.consent.set({history: true, personalization: true});
      v.track(viewOf('9', 'C'));
      await v.flush();
      // Another tab withdrew personalization and history; its message is not here yet.
      const record = (await dump(namespace)).stores.consent.get('state');
      await rawWrite(namespace, [
        [
          'consent', 'state', {...record, bits: 0b100, purposes: {...ALL_DENIED, measurement: true}}
        ],
        ['history', 'snapshot', undefined],
      ]);
      v.track(viewOf('1', 'A'));
      await v.privacy.removeInterest('A');
      await v.flush();
      assert.deepEqual(nonEmpty(await dump(namespace)), {consent: 1, keys: 1});

      // Another tab withdrew everything (the database is gone): this tab learns it from
      // the deletion itself, forgets the consent, and nothing re-creates the database.
      await request(indexedDB.deleteDatabase(namespace));
      assert.deepEqual(v.consent.get(), ALL_DENIED);
      v.track(viewOf('2', 'B'));
      assert.throws(() => v.privacy.restoreInterest('A'), {code: 'permission_denied'});
      await v.flush();
      assert.equal(await exists(namespace), false);
      assert.deepEqual(v.errors, []);
      await v.close();
    });

test('another tab: erase there empties this tab at once', async () => {
  const namespace = ns('taberase');
  const a = await open(namespace);
  const b = await open(namespace);
  await a.consent.set({history: true});
  a.track(viewOf('9', 'C'));
  await a.flush();
  await until(() => b.recentlyViewed().length === 1, 1000, 'tab b to merge');
  // b started before any consent: it now knows the decision (no second banner) and its log.
  assert.equal(b.consent.required, false);
  assert.deepEqual(b.consent.log(), a.consent.log());
  await a.privacy.erase();
  await until(() => b.recentlyViewed().length === 0, 1000, 'tab b to erase');
  assert.equal(b.consent.required, true);
  assert.deepEqual(b.consent.get(), ALL_DENIED);
  b.track(viewOf('1', 'A'));
  await b.flush();
  assert.equal(await exists(namespace), false);
  await a.close();
  await b.close();
});
