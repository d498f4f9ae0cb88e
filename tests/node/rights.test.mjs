// The shopper's rights through the built package on a fake IndexedDB: export and import
// (docs/formats.md#export), forgetting one item, removing and restoring interests, each
// persisted. notes/privacy.md items 9 and 12.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {cartOf, DAY, dump, fakeClock, ns, open, PACK, purchaseOf, rawWrite, until, viewOf} from './idb.mjs';

async function shopper(label, now = fakeClock()) {
  const namespace = ns(label);
  const v = await open(namespace, {now, pack: PACK});
  await v.consent.set({history: true, personalization: true});
  v.track(viewOf('1', 'A'));
  now.advance(1000);
  v.track(viewOf('2', 'B'));
  now.advance(1000);
  v.track(viewOf('9', 'C'));
  v.track(cartOf('306', 'C'));
  v.track({event: 'search', search_term: 'rain jacket'});
  now.advance(DAY);
  v.track(purchaseOf('306', 'C'));
  await v.privacy.removeInterest('B');
  await v.flush();
  return {v, namespace, now};
}

const comparable = ({exportedAt, namespace, consent, ...rest}) =>
    ({...rest, consent: {purposes: consent.purposes, policyVersion: consent.policyVersion}});

test('export: the documented shape, with everything the device holds', async () => {
  const {v, namespace, now} = await shopper('export');
  const doc = await v.privacy.export();
  assert.deepEqual(Object.keys(doc), [
    'format', 'version', 'exportedAt', 'namespace', 'consent', 'history', 'profile', 'savedDetails',
    'sent'
  ]);
  assert.equal(doc.format, 'vitrine.export');
  assert.equal(doc.version, 1);
  assert.equal(doc.exportedAt, new Date(now()).toISOString());
  assert.equal(doc.namespace, namespace);
  assert.deepEqual(
      doc.consent.purposes,
      {history: true, personalization: true, measurement: false, autofill: false});
  assert.equal(doc.consent.policyVersion, '1');
  assert.deepEqual(doc.consent.log, v.consent.log());
  assert.equal(doc.consent.log.length, 4);
  assert.deepEqual(
      doc.history.items.map((i) => [i.id, i.category]),
      [['1', 'A'], ['2', 'B'], ['9', 'C'], ['306', 'C']]);
  assert.deepEqual(doc.history.items[0], {id: '1', name: 'name-1', category: 'A', price: 10});
  assert.deepEqual(doc.history.events.map((e) => [e.event, e.itemId]), [
    ['view_item', '1'], ['view_item', '2'], ['view_item', '9'], ['add_to_cart', '306'],
    ['purchase', '306']
  ]);
  assert.deepEqual(doc.history.searches.map((s) => s.term), ['rain jacket']);
  const categories = doc.profile.interests.map((i) => i.category);
  assert.ok(categories.includes('A') && categories.includes('C') && !categories.includes('B'));
  assert.deepEqual(doc.profile.removedInterests, ['B']);
  // Saved details and sent reports come from their stores, which hold nothing here.
  const stores = (await dump(namespace)).stores;
  assert.equal(stores.autofill.size, 0);
  assert.equal(stores.sent.size, 0);
  assert.deepEqual(doc.savedDetails, []);
  assert.deepEqual(doc.sent, []);
  // JSON as it is: no typed arrays, no undefined, round-trips through text.
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
  // A report recorded as sent is listed, in the export and by privacy.sent().
  const report = {type: 'segment.lifecycle', value: 2, epsilon: 0.5, day: '2026-01-02'};
  await rawWrite(namespace, [['sent', 'r-1', report]]);
  assert.deepEqual((await v.privacy.export()).sent, [report]);
  assert.deepEqual(await v.privacy.sent(), [report]);
  await v.close();
});

test(
    'import(export(db)) into a fresh namespace gives the same export, and it is kept', async () => {
      const {v, now} = await shopper('roundtrip');
      const doc = await v.privacy.export();
      await v.close();

      const target = ns('imported');
      const w = await open(target, {now, pack: PACK});
      await w.consent.set({history: true, personalization: true});
      await w.privacy.import(JSON.stringify(doc));
      assert.deepEqual(comparable(await w.privacy.export()), comparable(doc));
      assert.deepEqual(w.privacy.removedInterests(), ['B']);
      await w.close();
      const x = await open(target, {now, pack: PACK});
      assert.deepEqual(
          comparable(await x.privacy.export()), comparable(doc), 'survives a new page');
      assert.deepEqual(x.errors, []);
      await x.close();
    });

test('import replaces the history on the device, it does not add to it', async () => {
  const now = fakeClock();
  const namespace = ns('replace');
  const v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  v.track(viewOf('before-import', 'C'));
  await v.flush();
  const doc = {
    format: 'vitrine.export',
    version: 1,
    history: {
      items: [{id: 'imported', name: '', category: 'D', price: null}],
      events: [{time: now(), event: 'view_item', itemId: 'imported', quantity: 1}],
      searches: []
    },
    profile: {removedInterests: []},
  };
  await v.privacy.import(doc);
  assert.deepEqual(v.recentlyViewed().map((r) => r.itemId), ['imported']);
  await v.close();
  const w = await open(namespace, {now});
  assert.deepEqual(w.recentlyViewed().map((r) => r.itemId), ['imported']);
  await w.close();
});

test('bad import documents are refused with clear errors and change nothing', async () => {
  const {v, namespace} = await shopper('badimport');
  const good = await v.privacy.export();
  const before = comparable(good);
  const stored = await dump(namespace);
  const badEvent = structuredClone(good);
  badEvent.history.events[1].event = 'teleport';
  const unknownItem = structuredClone(good);
  unknownItem.history.events[0].itemId = 'not-listed';
  const longName = structuredClone(good);
  longName.profile.removedInterests = ['x'.repeat(300)];
  longName.history.events.pop();  // a change that must not land either
  const cases = [
    [
      'wrong format', {...good, format: 'other.export'}, 'invalid_argument',
      /not a vitrine\.export document/
    ],
    ['version 2', {...good, version: 2}, 'unsupported', /version 2 is not supported/],
    ['a bad event', badEvent, null, /./],
    ['an unlisted item', unknownItem, null, /./],
    ['9 MB', JSON.stringify({...good, pad: 'x'.repeat(9 << 20)}), 'invalid_argument', /too large/],
    ['not JSON', '{"format":', 'invalid_argument', /not JSON/],
    ['no history', {...good, history: null}, 'invalid_argument', /history/],
    [
      'interests not names', {...good, profile: {removedInterests: [3]}}, 'invalid_argument',
      /removedInterests/
    ],
    ['an interest too long', longName, null, /./],
    ['null', null, 'invalid_argument', /not a vitrine\.export/],
  ];
  for (const [label, doc, code, message] of cases) {
    let error;
    try {
      await v.privacy.import(doc);
    } catch (e) {
      error = e;
    }
    assert.ok(error, `${label}: refused`);
    assert.equal(error.name, 'VitrineError', label);
    if (code) assert.equal(error.code, code, label);
    assert.match(error.message, message, label);
    assert.deepEqual(comparable(await v.privacy.export()), before, `${label}: nothing changed`);
  }
  await v.flush();
  const after = await dump(namespace);
  assert.deepEqual(after.stores.history.get('snapshot'), stored.stores.history.get('snapshot'));
  assert.deepEqual(after.stores.profile.get('profile'), stored.stores.profile.get('profile'));
  await v.close();
});

test(
    'import needs the history purpose; removed interests come in only with personalization',
    async () => {
      const {v, now} = await shopper('importconsent');
      const doc = await v.privacy.export();
      await v.close();
      const none = await open(ns('import-none'), {now});
      await assert.rejects(none.privacy.import(doc), {code: 'permission_denied'});
      assert.deepEqual(none.recentlyViewed(), []);
      await none.close();

      const historyOnly = await open(ns('import-history'), {now, pack: PACK});
      await historyOnly.consent.set({history: true});
      await historyOnly.privacy.import(doc);
      assert.equal(historyOnly.recentlyViewed().length, 3);
      assert.deepEqual(historyOnly.privacy.removedInterests(), []);
      assert.deepEqual(historyOnly.errors, []);
      await historyOnly.close();
    });

test('removeItem forgets one product everywhere, on the device too', async () => {
  const {v, namespace, now} = await shopper('removeitem');
  const mentions = (rows) => rows.some((r) => r.itemId === '9' || r.reason.itemId === '9');
  assert.ok(mentions(v.recommend({limit: 10})), 'item 9 steers recommendations');
  assert.equal(await v.privacy.removeItem('9'), 1);
  assert.ok(!v.recentlyViewed().some((r) => r.itemId === '9'));
  assert.ok(!mentions(v.recommend({limit: 10})));
  assert.ok(!(await v.privacy.export()).history.items.some((i) => i.id === '9'));
  assert.equal(await v.privacy.removeItem('9'), 0);
  assert.throws(() => v.privacy.removeItem(''), {code: 'invalid_argument'});
  assert.throws(() => v.privacy.removeItem(9), {code: 'invalid_argument'});
  await v.close();
  const w = await open(namespace, {now, pack: PACK});
  assert.deepEqual(w.recentlyViewed().map((r) => r.itemId), ['2', '1']);
  assert.ok(!mentions(w.recommend({limit: 10})));
  await w.close();
});

test(
    'removing and restoring interests changes interests and recommendations, and is kept',
    async () => {
      const {v, namespace, now} = await shopper('interests');
      const inA = (rows) =>
          rows.some((r) => ['1', '3'].includes(r.itemId) || r.reason.itemId === '1');
      const categories = () => v.privacy.interests().map((i) => i.category);
      assert.ok(categories().includes('A'));
      assert.ok(inA(v.recommend({limit: 10})), JSON.stringify(v.recommend({limit: 10})));
      await v.privacy.removeInterest('A');
      assert.ok(!categories().includes('A'));
      assert.deepEqual(v.privacy.removedInterests(), ['A', 'B']);
      assert.ok(!inA(v.recommend({limit: 10})));
      // Even asked for by category, a removed interest's items stay out.
      assert.ok(!inA(v.recommend({limit: 10, filter: {category: 'A'}})));
      await v.close();

      const w = await open(namespace, {now, pack: PACK});
      assert.deepEqual(w.privacy.removedInterests(), ['A', 'B']);
      assert.ok(!inA(w.recommend({limit: 10})));
      await w.privacy.restoreInterest('A');
      await w.privacy.restoreInterest('B');
      assert.ok(inA(w.recommend({limit: 10})));
      assert.ok(w.privacy.interests().some((i) => i.category === 'B'));
      await w.close();
      const x = await open(namespace, {now, pack: PACK});
      assert.deepEqual(x.privacy.removedInterests(), []);
      assert.ok(x.privacy.interests().some((i) => i.category === 'A'));
      assert.throws(() => x.privacy.removeInterest(''), {code: 'invalid_argument'});
      assert.throws(() => x.privacy.removeInterest(7), {code: 'invalid_argument'});
      await x.close();
    });

test('removeItem in one tab: the other drops it too and does not write it back', async () => {
  const namespace = ns('removetabs');
  const a = await open(namespace);
  await a.consent.set({history: true});
  a.track(viewOf('keep', 'C'));
  a.track(viewOf('forget', 'C'));
  await a.flush();
  const b = await open(namespace);
  assert.equal(b.recentlyViewed().length, 2);
  assert.equal(await a.privacy.removeItem('forget'), 1);
  await until(() => b.recentlyViewed().length === 1, 1000, 'tab b to forget');
  b.track(viewOf('new', 'C'));
  await b.flush();
  await a.close();
  await b.close();
  const c = await open(namespace);
  assert.deepEqual(c.recentlyViewed().map((r) => r.itemId), ['new', 'keep']);
  await c.close();
});

test('an import in one tab replaces the history in the other tabs too', async () => {
  const namespace = ns('importtabs');
  const a = await open(namespace);
  const b = await open(namespace);
  await a.consent.set({history: true});
  await until(() => b.consent.get().history, 1000, 'consent in tab b');
  a.track(viewOf('old', 'C'));
  await a.flush();
  await until(() => b.recentlyViewed().length === 1, 1000, 'tab b to merge');
  const doc = await a.privacy.export();
  doc.history = {
    items: [{id: 'new', name: '', category: 'C', price: null}],
    events: [{time: doc.history.events[0].time, event: 'view_item', itemId: 'new', quantity: 1}],
    searches: []
  };
  await a.privacy.import(doc);
  await until(
      () => b.recentlyViewed().map((r) => r.itemId).join() === 'new', 1000, 'tab b to replace');
  // b's next write must not bring the old item back.
  b.track(viewOf('later', 'C'));
  await b.flush();
  await until(() => a.recentlyViewed().length === 2, 1000, 'tab a to merge');
  assert.deepEqual(a.recentlyViewed().map((r) => r.itemId).sort(), ['later', 'new']);
  await a.close();
  await b.close();
});
