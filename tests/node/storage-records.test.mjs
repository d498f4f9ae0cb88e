// The records on the device, through the built package on a fake IndexedDB: retention on a
// fake clock, the schema 1 -> 2 migration, encryption at rest, damaged and hostile records,
// erasure (also cut short), storage that fills up or vanishes.
// notes/privacy.md items 10, 11, 15-20; docs/formats.md "Records on the device".
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {test} from 'node:test';

import createCore from '../../build-wasm/wasm/vitrine-core.mjs';

import {ALL_DENIED, containsText, DAY, dump, exists, fakeClock, nonEmpty, ns, open, patch, rawOpen, rawWrite, recordBytes, request, spyWrites, tick, until, viewOf} from './idb.mjs';

const KEY_ID = 'aes-gcm-256:1';
const HISTORY_AAD = 'vitrine:history/snapshot/v2';
const PROFILE_AAD = 'vitrine:profile/profile/v1';
const encoder = new TextEncoder();

// The wasm core on its own, to make snapshot bytes the way package 0.1.0 stored them.
const core = await createCore({
  print() {},
  printErr() {},
  wasmBinary: await readFile(new URL('../../build-wasm/wasm/vitrine-core.wasm', import.meta.url)),
});
function snapshotBytes(events) {
  const engine = core.engineNew();
  try {
    core.setConsent(engine, 1);
    for (const [event, time] of events)
      assert.equal(core.track(engine, JSON.stringify(event), time).ok, true);
    const snapshot = core.snapshot(engine);
    assert.equal(snapshot.ok, true);
    return snapshot.bytes;
  } finally {
    core.engineDelete(engine);
  }
}

// Seals or opens bytes with the database's own key, as any script on the page could.
async function keyOf(namespace) {
  return (await dump(namespace)).stores.keys.get(KEY_ID);
}
async function seal(namespace, bytes, aad) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
      {name: 'AES-GCM', iv, additionalData: encoder.encode(aad)}, await keyOf(namespace), bytes);
  return {iv, data: new Uint8Array(data)};
}
async function unseal(namespace, record, aad) {
  const plain = await crypto.subtle.decrypt(
      {name: 'AES-GCM', iv: record.iv, additionalData: encoder.encode(aad)}, await keyOf(namespace),
      record.data);
  return new Uint8Array(plain);
}
// The history bytes as stored now (decrypted), or null.
async function storedHistory(namespace) {
  const record = (await dump(namespace))?.stores.history.get('snapshot');
  return record ? unseal(namespace, record, HISTORY_AAD) : null;
}

// A database with consent given and some history, written by the package itself.
async function seeded(label, {
  now = Date.now,
  purposes =
  {
    history: true, personalization: true
  }
} = {}) {
  const namespace = ns(label);
  const v = await open(namespace, {now});
  await v.consent.set(purposes);
  v.track(viewOf('seed-1', 'Seeds'));
  if (purposes.personalization) await v.privacy.removeInterest('Removed');
  await v.flush();
  await v.close();
  return namespace;
}

// --- retention -------------------------------------------------------------------------

test(
    'retention: history older than 90 days goes on open and on enforceRetention, nothing newer',
    async () => {
      const now = fakeClock();
      const namespace = ns('retention');
      const v = await open(namespace, {now});
      await v.consent.set({history: true});
      v.track(viewOf('old-item', 'C'));  // day 0
      now.advance(60 * DAY);
      v.track(viewOf('mid-item', 'C'));  // day 60
      now.advance(29 * DAY);
      v.track(viewOf('new-item', 'C'));  // day 89
      await v.flush();
      await v.close();

      // Day 90 + 1 h: only old-item is past 90 days.
      now.advance(DAY + 3600 * 1000);
      const w = await open(namespace, {now});
      const ids = () => w.recentlyViewed({maxAgeDays: 3650}).map((r) => r.itemId);
      assert.deepEqual(ids(), ['new-item', 'mid-item']);
      await w.flush();
      let stored = await storedHistory(namespace);
      assert.equal(containsText(stored, 'old-item'), false, 'pruned on the device too');
      assert.equal(containsText(stored, 'mid-item'), true);
      assert.equal(containsText(stored, 'new-item'), true);

      // Nothing is due: enforceRetention changes nothing, not even the sealed bytes.
      const before = (await dump(namespace)).stores.history.get('snapshot');
      assert.deepEqual(
          await w.privacy.enforceRetention(), {history: 0, quarantine: 0, consentLog: 0});
      assert.deepEqual((await dump(namespace)).stores.history.get('snapshot'), before);

      // Day 151: mid-item is 91 days old, new-item 62.
      now.advance(60 * DAY);
      assert.deepEqual(
          await w.privacy.enforceRetention(), {history: 1, quarantine: 0, consentLog: 0});
      assert.deepEqual(ids(), ['new-item']);
      stored = await storedHistory(namespace);
      assert.equal(containsText(stored, 'mid-item'), false);
      assert.equal(containsText(stored, 'new-item'), true);
      // Idempotent.
      const after = (await dump(namespace)).stores.history.get('snapshot');
      assert.deepEqual(
          await w.privacy.enforceRetention(), {history: 0, quarantine: 0, consentLog: 0});
      assert.deepEqual((await dump(namespace)).stores.history.get('snapshot'), after);
      assert.deepEqual(w.errors, []);
      await w.close();
    });

test('retention: quarantined records go after 30 days, younger ones stay', async () => {
  const now = fakeClock();
  const namespace = await seeded('quarantine-age', {now});
  await rawWrite(namespace, [
    ['quarantine', 'history:old', {at: now() - 31 * DAY, record: {format: 'x'}}],
    ['quarantine', 'history:young', {at: now() - 29 * DAY, record: {format: 'y'}}],
    ['quarantine', 'history:garbage', 'not a quarantine record'],
  ]);
  const v = await open(namespace, {now});
  await v.flush();
  // On open: the old and the malformed one went.
  assert.deepEqual([...(await dump(namespace)).stores.quarantine.keys()], ['history:young']);
  now.advance(DAY);
  assert.deepEqual(await v.privacy.enforceRetention(), {history: 0, quarantine: 0, consentLog: 0});
  assert.equal((await dump(namespace)).stores.quarantine.size, 1);
  now.advance(DAY + 1);
  assert.deepEqual(await v.privacy.enforceRetention(), {history: 0, quarantine: 1, consentLog: 0});
  assert.equal((await dump(namespace)).stores.quarantine.size, 0);
  assert.deepEqual(await v.privacy.enforceRetention(), {history: 0, quarantine: 0, consentLog: 0});
  // The seeded history is 32 days old: well inside its 90 days.
  assert.deepEqual(v.recentlyViewed({maxAgeDays: 3650}).map((r) => r.itemId), ['seed-1']);
  await v.close();
});

// --- migrations ------------------------------------------------------------------------

async function schema1(namespace, records) {
  const req = indexedDB.open(namespace, 1);
  req.onupgradeneeded = () => req.result.createObjectStore('state');
  const db = await request(req);
  const tx = db.transaction(['state'], 'readwrite');
  for (const [key, value] of records) tx.objectStore('state').put(value, key);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}

test(
    'migration from schema 1: records move to their stores, the history is sealed on the next write',
    async () => {
      const now = fakeClock();
      const namespace = ns('schema1');
      const bytes = snapshotBytes([
        [viewOf('LEGACY-ITEM', 'LEGACY-CAT'), now() - DAY],
        [viewOf('LEGACY-TWO', 'LEGACY-CAT'), now() - 3600 * 1000],
      ]);
      await schema1(namespace, [
        [
          'consent', {
            bits: 3,
            purposes: {history: true, personalization: true},
            updatedAt: now() - DAY,
            source: 'manual'
          }
        ],
        ['history', {format: 'vitrine.history', version: 1, bytes}],
        ['quarantine:123', {at: now() - DAY, record: {format: 'broken'}}],
      ]);
      // Another tab still runs 0.1.0 with the database open: it steps aside on versionchange.
      const oldTab = await rawOpen(namespace, 1);
      let told = false;
      oldTab.onversionchange = () => {
        told = true;
        oldTab.close();
      };

      const v = await open(namespace, {now});
      assert.ok(told, 'the old tab was asked to close');
      assert.deepEqual(v.consent.get(), {...ALL_DENIED, history: true, personalization: true});
      assert.equal(v.consent.required, false, 'consent given under policy 1 stands');
      assert.deepEqual(v.recentlyViewed().map((r) => r.itemId), ['LEGACY-TWO', 'LEGACY-ITEM']);
      await v.flush();
      let d = await dump(namespace);
      assert.equal(d.version, 3);
      assert.deepEqual([...Object.keys(d.stores)].sort(), [
        'autofill', 'consent', 'history', 'journal-0', 'journal-1', 'journal-2', 'journal-3',
        'keys', 'meta', 'profile', 'quarantine', 'sent'
      ]);
      assert.equal(d.stores.consent.get('state').bits, 3);
      assert.deepEqual([...d.stores.quarantine.keys()], ['123']);
      assert.equal(d.stores.history.get('snapshot').version, 1, 'not rewritten until needed');

      v.track(viewOf('NEW-ITEM', 'C'));
      await v.flush();
      d = await dump(namespace);
      const sealed = d.stores.history.get('snapshot');
      assert.equal(sealed.format, 'vitrine.history');
      assert.equal(sealed.version, 2);
      assert.equal(sealed.bytes, undefined);
      assert.ok(sealed.iv instanceof Uint8Array && sealed.iv.length === 12);
      for (const text of ['LEGACY-ITEM', 'LEGACY-TWO', 'LEGACY-CAT', 'NEW-ITEM']) {
        assert.equal(containsText(recordBytes(sealed), text), false, text);
        assert.equal(containsText(await storedHistory(namespace), text), true, text);
      }
      // The consent change after a migration keeps going in the log.
      await v.consent.set({measurement: true});
      assert.deepEqual(v.consent.log().map((e) => [e.purpose, e.value]), [['measurement', true]]);
      assert.deepEqual(v.errors, []);
      await v.close();

      const w = await open(namespace, {now});
      assert.deepEqual(
          w.recentlyViewed().map((r) => r.itemId), ['NEW-ITEM', 'LEGACY-TWO', 'LEGACY-ITEM']);
      await w.close();
    });

test(
    'migration from schema 1 without consent, or with a damaged record: nothing survives unchecked',
    async () => {
      const now = fakeClock();
      // Withdrawn in 0.1.0 (bits 0): the data must not come back.
      const a = ns('schema1-none');
      await schema1(a, [
        ['consent', {bits: 0, purposes: {}, updatedAt: 1, source: 'manual'}],
        [
          'history',
          {format: 'vitrine.history', version: 1, bytes: snapshotBytes([[viewOf('X', 'C'), now()]])}
        ],
      ]);
      const v = await open(a, {now});
      assert.deepEqual(v.recentlyViewed(), []);
      assert.equal(v.consent.required, true);
      assert.equal(await exists(a), false);
      await v.close();

      // Truncated legacy bytes: quarantined, the engine starts with an empty history.
      const b = ns('schema1-bad');
      const bytes = snapshotBytes([[viewOf('X', 'C'), now()]]);
      await schema1(b, [
        ['consent', {bits: 1, purposes: {history: true}, updatedAt: 1, source: 'manual'}],
        [
          'history',
          {format: 'vitrine.history', version: 1, bytes: bytes.slice(0, bytes.length - 3)}
        ],
      ]);
      const w = await open(b, {now});
      assert.deepEqual(w.recentlyViewed(), []);
      assert.deepEqual(w.errors.map((e) => e.code), ['data_loss']);
      await w.flush();
      const d = await dump(b);
      assert.equal(d.stores.history.size, 0);
      assert.equal(d.stores.quarantine.size, 1);
      assert.equal(w.track(viewOf('Y', 'C')).ok, true);
      await w.flush();
      assert.equal((await dump(b)).stores.history.get('snapshot').version, 2);
      await w.close();
    });

// --- encryption at rest ----------------------------------------------------------------

test('encryption at rest: no plaintext ids or categories, a non-extractable key', async () => {
  const namespace = ns('sealed');
  const v = await open(namespace);
  await v.consent.set({history: true, personalization: true});
  v.track({
    event: 'view_item',
    items: [
      {item_id: 'MARKER-ITEM-7f3a', item_name: 'MARKER-NAME-c0de', item_category: 'MARKER-CAT-91c2'}
    ]
  });
  v.track({event: 'search', search_term: 'MARKER-SEARCH-aa11'});
  await v.privacy.removeInterest('MARKER-REMOVED-5e5e');
  await v.flush();
  const d = await dump(namespace);
  const history = d.stores.history.get('snapshot');
  const profile = d.stores.profile.get('profile');
  assert.equal(history.format, 'vitrine.history');
  assert.equal(profile.format, 'vitrine.profile');
  for (const record of [history, profile]) {
    assert.ok(record.iv instanceof Uint8Array && record.iv.length === 12);
    assert.ok(record.data instanceof Uint8Array && record.data.length > 16);
  }
  // IVs never repeat across rewrites: storage-lifecycle.test.mjs.
  for (const marker
           of ['MARKER', 'MARKER-ITEM-7f3a', 'MARKER-NAME-c0de', 'MARKER-CAT-91c2',
               'MARKER-SEARCH-aa11', 'MARKER-REMOVED-5e5e']) {
    for (const [store, values] of Object.entries(d.stores)) {
      for (const value of values.values()) {
        if (store === 'keys') continue;
        assert.equal(containsText(recordBytes(value), marker), false, `${marker} in ${store}`);
      }
    }
  }
  // The key: a CryptoKey that cannot be exported, for AES-GCM 256 only.
  assert.deepEqual([...d.stores.keys.keys()], [KEY_ID]);
  const key = d.stores.keys.get(KEY_ID);
  assert.ok(key instanceof CryptoKey);
  assert.equal(key.extractable, false);
  assert.deepEqual(key.algorithm, {name: 'AES-GCM', length: 256});
  assert.deepEqual([...key.usages].sort(), ['decrypt', 'encrypt']);
  await assert.rejects(crypto.subtle.exportKey('raw', key));
  // And the data really is in there, under the documented additional data.
  assert.equal(
      containsText(await unseal(namespace, history, HISTORY_AAD), 'MARKER-ITEM-7f3a'), true);
  assert.deepEqual(
      JSON.parse(new TextDecoder().decode(await unseal(namespace, profile, PROFILE_AAD))),
      {removedInterests: ['MARKER-REMOVED-5e5e']});
  await v.close();
});

test(
    'a sealed record that is moved, re-keyed or flipped is quarantined; the engine goes on',
    async () => {
      const namespace = await seeded('tamper');
      const d = await dump(namespace);
      const history = d.stores.history.get('snapshot');
      const profile = d.stores.profile.get('profile');
      const flipped = {...history, data: history.data.slice()};
      flipped.data[5] ^= 1;
      const other = await seeded('tamper-other');
      const foreign = (await dump(other)).stores.history.get('snapshot');
      const cases = [
        ['flipped byte', [['history', 'snapshot', flipped]]],
        [
          'flipped IV',
          [['history', 'snapshot', {...history, iv: history.iv.map((b, i) => (i ? b : b ^ 1))}]]
        ],
        [
          'profile moved to history',
          [['history', 'snapshot', {...profile, format: 'vitrine.history', version: 2}]]
        ],
        [
          'history moved to profile',
          [['profile', 'profile', {...history, format: 'vitrine.profile', version: 1}]]
        ],
        ['sealed with another database\'s key', [['history', 'snapshot', foreign]]],
      ];
      for (const [label, records] of cases) {
        await rawWrite(
            namespace,
            [['history', 'snapshot', history], ['profile', 'profile', profile], ...records]);
        const v = await open(namespace);
        assert.deepEqual(v.errors.map((e) => e.code), ['data_loss'], label);
        assert.match(v.errors[0].message, /quarantined|does not decrypt/, label);
        const store = records[0][0];
        // The other part is intact.
        if (store === 'history') {
          assert.deepEqual(v.recentlyViewed(), [], label);
          assert.deepEqual(v.privacy.removedInterests(), ['Removed'], label);
        } else {
          assert.deepEqual(v.recentlyViewed().map((r) => r.itemId), ['seed-1'], label);
          assert.deepEqual(v.privacy.removedInterests(), [], label);
        }
        await v.flush();
        const after = await dump(namespace);
        assert.equal(after.stores[store].size, 0, `${label}: taken out`);
        const quarantined = [...after.stores.quarantine.values()];
        assert.equal(quarantined.length, 1, label);
        assert.deepEqual(quarantined[0].record, records[0][2], label);
        // The engine keeps working and writes a fresh record.
        assert.equal(v.track(viewOf('after', 'C')).ok, true);
        await v.flush();
        assert.equal((await dump(namespace)).stores.history.get('snapshot').version, 2);
        await v.close();
        await rawWrite(
            namespace,
            [...after.stores.quarantine.keys()].map((k) => ['quarantine', k, undefined]));
      }
    });

// --- damaged and hostile records -------------------------------------------------------

test('hostile or damaged history records are quarantined and never crash the engine', async () => {
  const namespace = await seeded('hostile');
  const good = await dump(namespace);
  const valid = snapshotBytes([[viewOf('ok', 'C'), Date.UTC(2026, 0, 1)]]);
  const garbageSealed =
      await seal(namespace, encoder.encode('VTSN not really a snapshot'), HISTORY_AAD);
  const truncatedSealed = await seal(namespace, valid.slice(0, 20), HISTORY_AAD);
  const cases = [
    ['a string', 'garbage'],
    ['a number', 42],
    ['null', null],
    ['an array', [1, 2, 3]],
    [
      'wrong format', {format: 'nope', version: 2, iv: new Uint8Array(12), data: new Uint8Array(32)}
    ],
    [
      'unknown version',
      {format: 'vitrine.history', version: 99, iv: new Uint8Array(12), data: new Uint8Array(32)}
    ],
    ['garbage types', {format: 'vitrine.history', version: 2, iv: 'abc', data: {length: 5}}],
    [
      'short IV',
      {format: 'vitrine.history', version: 2, iv: new Uint8Array(4), data: new Uint8Array(32)}
    ],
    [
      'truncated data',
      {format: 'vitrine.history', version: 2, iv: new Uint8Array(12), data: new Uint8Array(3)}
    ],
    ['legacy, bytes as a list', {format: 'vitrine.history', version: 1, bytes: [...valid]}],
    [
      'legacy, garbage bytes',
      {format: 'vitrine.history', version: 1, bytes: new Uint8Array(64).fill(0xff)}
    ],
    ['sealed garbage', {format: 'vitrine.history', version: 2, ...garbageSealed}],
    ['sealed truncated snapshot', {format: 'vitrine.history', version: 2, ...truncatedSealed}],
  ];
  for (const [label, record] of cases) {
    await rawWrite(namespace, [['history', 'snapshot', record]]);
    const v = await open(namespace);
    // data_loss, or unsupported from the engine's decoder (a snapshot version it does not know).
    assert.equal(v.errors.length, 1, label);
    assert.match(v.errors[0].code, /^(data_loss|unsupported)$/, label);
    assert.deepEqual(v.recentlyViewed(), [], label);
    assert.deepEqual(v.privacy.removedInterests(), ['Removed'], `${label}: the profile is kept`);
    assert.deepEqual(v.consent.get(), {...ALL_DENIED, history: true, personalization: true}, label);
    await v.flush();
    const d = await dump(namespace);
    assert.equal(d.stores.history.size, 0, label);
    assert.deepEqual([...d.stores.quarantine.values()].map((q) => q.record), [record], label);
    assert.equal(v.track(viewOf('fresh', 'C')).ok, true);
    await v.flush();
    assert.deepEqual(v.recentlyViewed().map((r) => r.itemId), ['fresh'], label);
    await v.close();
    await rawWrite(
        namespace, [...d.stores.quarantine.keys()].map((k) => ['quarantine', k, undefined]));
  }
  assert.equal(good.stores.consent.size, 1);
});

test('hostile profile records are quarantined, even sealed with the right key', async () => {
  const namespace = await seeded('hostile-profile');
  const sealedJson = async (text) => ({
    format: 'vitrine.profile',
    version: 1,
    ...(await seal(namespace, encoder.encode(text), PROFILE_AAD))
  });
  const cases = [
    ['not JSON', await sealedJson('{removedInterests:')],
    ['not a list', await sealedJson('{"removedInterests": "A"}')],
    ['numbers', await sealedJson('{"removedInterests": [1, 2]}')],
    [
      'a name too long for the engine',
      await sealedJson(JSON.stringify({removedInterests: ['x'.repeat(300)]}))
    ],
    [
      'too many names',
      await sealedJson(
          JSON.stringify({removedInterests: Array.from({length: 201}, (_, i) => `c${i}`)}))
    ],
    ['JSON null', await sealedJson('null')],
    ['unsealed', {format: 'vitrine.profile', version: 1, removedInterests: ['A']}],
  ];
  for (const [label, record] of cases) {
    await rawWrite(namespace, [['profile', 'profile', record]]);
    const v = await open(namespace);
    assert.deepEqual(v.errors.map((e) => e.code), ['data_loss'], label);
    assert.deepEqual(v.privacy.removedInterests(), [], label);
    assert.deepEqual(v.recentlyViewed().map((r) => r.itemId), ['seed-1'], `${label}: history kept`);
    await v.flush();
    const d = await dump(namespace);
    assert.equal(d.stores.profile.size, 0, `${label}: taken out`);
    assert.equal(d.stores.quarantine.size, 1, label);
    await v.privacy.removeInterest('Again');
    await v.close();
    await rawWrite(
        namespace, [...d.stores.quarantine.keys()].map((k) => ['quarantine', k, undefined]));
  }
});

test('a hostile consent record or key: the engine starts clean, never crashes', async () => {
  for (const [label, consent] of [
           ['bits not a number', {bits: 'x', purposes: {}, policyVersion: '1', log: []}],
           ['bits fractional', {bits: 1.5, policyVersion: '1', log: []}],
           ['log not a list', {bits: 1, policyVersion: '1', log: 'x'}],
           ['policy not a string', {bits: 1, policyVersion: 1, log: []}],
           ['a string', 'granted'],
  ]) {
    const namespace = await seeded('hostile-consent');
    await rawWrite(namespace, [['consent', 'state', consent]]);
    const v = await open(namespace);
    assert.equal(v.consent.required, true, label);
    assert.deepEqual(v.consent.get(), ALL_DENIED, label);
    assert.deepEqual(v.recentlyViewed(), [], label);
    assert.equal(await exists(namespace), false, `${label}: nothing kept without valid consent`);
    assert.equal(v.track(viewOf('x', 'C')).ok, true);
    await v.close();
  }
  // A log entry of the wrong shape is dropped, the rest stays.
  const namespace = await seeded('hostile-log');
  const record = (await dump(namespace)).stores.consent.get('state');
  await rawWrite(
      namespace, [['consent', 'state', {...record, log: [...record.log, {purpose: 'x'}, 'junk']}]]);
  const v = await open(namespace);
  assert.deepEqual(v.consent.log(), record.log);
  await v.close();

  // Something that is not a key in the key store: replaced, and writes go on.
  const broken = await seeded('hostile-key');
  await rawWrite(broken, [['keys', KEY_ID, 'not a key']]);
  const w = await open(broken);
  assert.deepEqual(w.recentlyViewed(), [], 'what the lost key sealed is gone');
  w.track(viewOf('after', 'C'));
  await w.flush();
  await w.privacy.removeInterest('B');
  assert.ok(w.errors.every((e) => e.code === 'data_loss'), JSON.stringify(w.errors));
  assert.ok((await keyOf(broken)) instanceof CryptoKey);
  await w.close();
  const x = await open(broken);
  assert.deepEqual(x.recentlyViewed().map((r) => r.itemId), ['after']);
  assert.deepEqual(x.privacy.removedInterests(), ['B']);
  assert.deepEqual(x.errors, []);
  await x.close();
});

// --- erasure ---------------------------------------------------------------------------

test(
    'erase deletes the database with its key; an erase cut short finishes on the next load',
    async () => {
      const namespace = await seeded('erase');
      const v = await open(namespace);
      const events = [];
      v.on('consent', (p) => events.push(p));
      assert.equal(v.recentlyViewed().length, 1);
      const writes = spyWrites();
      try {
        await v.privacy.erase();
      } finally {
        writes.restore();
      }
      // A durable tombstone first, then the whole database (records and key) goes.
      assert.deepEqual(
          writes.map((w) => [w.op, w.store, w.key, w.durability]),
          [['put', 'meta', 'tombstone', 'strict']]);
      assert.equal(await exists(namespace), false);
      assert.deepEqual(v.recentlyViewed(), []);
      assert.equal(v.consent.required, true);
      assert.deepEqual(v.consent.get(), ALL_DENIED);
      assert.deepEqual(v.consent.log(), []);
      assert.deepEqual(events, [ALL_DENIED]);
      const exported = await v.privacy.export();
      assert.deepEqual(exported.history, {items: [], events: [], searches: []});
      assert.deepEqual(exported.profile, {interests: [], removedInterests: []});
      // Tracking after an erase stores nothing.
      v.track(viewOf('later', 'C'));
      await v.flush();
      assert.equal(await exists(namespace), false);
      await v.close();

      // Cut short: only the tombstone made it.
      const cut = await seeded('erase-cut');
      await rawWrite(cut, [['meta', 'tombstone', {at: Date.now()}]]);
      const w = await open(cut);
      assert.equal(await exists(cut), false);
      assert.equal(w.consent.required, true);
      assert.deepEqual(w.recentlyViewed(), []);
      assert.deepEqual(w.privacy.removedInterests(), []);
      await w.close();
    });

// An event is kept by its journal record at once; the full write of the history waits a
// moment (js/src/index.js, PERSIST_AFTER_MS), so that it does not hold the store when the
// shopper leaves; flush() starts it at once.
test(
    'the full write waits while journal records hold the events; flush writes at once',
    async () => {
      const namespace = ns('persist-later');
      const v = await open(namespace);
      await v.consent.set({history: true});
      await v.flush();
      const journal = async () => {
        const {stores} = await dump(namespace);
        return ['history', 'journal-0', 'journal-1', 'journal-2', 'journal-3'].flatMap(
            (store) => [...stores[store].keys()].filter((key) => key.startsWith('journal:')));
      };
      const inSnapshot = async (id) => containsText(await storedHistory(namespace) ?? [], id);

      const tracked = Date.now();
      assert.equal(v.track(viewOf('first', 'C')).ok, true);
      await until(async () => (await journal()).length === 1, 1000, 'the journal record');
      // (On a machine slow enough to take a second to get here, the write may have begun.)
      assert.ok(
          !(await inSnapshot('first')) || Date.now() - tracked >= 1000, 'not in the snapshot yet');
      // Then the full write comes by itself and folds the record in.
      await until(async () => await inSnapshot('first'), 3000, 'the full write');
      assert.deepEqual(await journal(), []);

      v.track(viewOf('second', 'C'));
      await v.flush();
      assert.equal(await inSnapshot('second'), true, 'flush() wrote it');
      assert.deepEqual(await journal(), []);

      // close() does not leave it for later either.
      v.track(viewOf('third', 'C'));
      await v.close();
      assert.equal(await inSnapshot('third'), true, 'close() wrote it');
    });

// Schema 2 kept each event's journal record in 'history': after the upgrade they are still
// read, and folded into the snapshot.
test('journal records that schema 2 left in the history store are read and folded', async () => {
  const namespace = await seeded('journal-v2');
  const key = 'journal:1700000000000:legacy01';
  const bytes = snapshotBytes([[viewOf('LEGACY-JOURNAL', 'C'), Date.now()]]);
  const sealed = await seal(namespace, bytes, `vitrine:history/${key}/v2`);
  await rawWrite(namespace, [
    ['history', key, {format: 'vitrine.history', version: 2, ...sealed, updatedAt: Date.now()}]
  ]);
  const v = await open(namespace);
  assert.deepEqual(v.errors, []);
  assert.deepEqual(v.recentlyViewed().map((r) => r.itemId), ['LEGACY-JOURNAL', 'seed-1']);
  await v.flush();
  const d = await dump(namespace);
  assert.deepEqual([...d.stores.history.keys()], ['snapshot'], 'folded, then deleted');
  assert.equal(containsText(await storedHistory(namespace), 'LEGACY-JOURNAL'), true);
  await v.close();
});

// --- storage that fills up or vanishes -------------------------------------------------

async function fullHistory(label, entries = 40) {
  const now = fakeClock();
  const namespace = ns(label);
  const v = await open(namespace, {now});
  await v.consent.set({history: true});
  for (let i = 0; i < entries; ++i) {
    v.track(viewOf(`item-${i}`, 'C'));
    now.advance(1000);
  }
  await v.flush();
  return {v, namespace, now};
}

// Makes the next `times` writes of the history snapshot fail the way browsers do; while
// the device is full, each event's own journal record fails too (not counted).
function quotaOnHistory(times, how) {
  let left = times;
  return patch(IDBObjectStore.prototype, 'put', (original) => function(...args) {
    const history = this.name === 'history' || this.name.startsWith('journal-');
    if (!history || left <= 0) return original.apply(this, args);
    if (args[1] === 'snapshot') --left;
    if (how === 'throw')
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const req = original.apply(this, args);
    this.transaction._abort('QuotaExceededError');  // the transaction aborts with it
    return req;
  });
}

for (const how of ['throw', 'abort']) {
  test(
      `storage full (${how}): the oldest half of the history goes, the write is retried`,
      async () => {
        const rejections = [];
        const onRejection = (reason) => rejections.push(reason);
        process.on('unhandledRejection', onRejection);
        const {v, namespace} = await fullHistory(`quota-${how}`);
        const restore = quotaOnHistory(1, how);
        try {
          v.track(viewOf('item-40', 'C'));
          await v.flush();
        } finally {
          restore();
        }
        assert.deepEqual(v.errors.map((e) => e.code), ['storage_full']);
        assert.equal(v.stats().historyEntries, 20);
        const stored = await storedHistory(namespace);
        assert.equal(containsText(stored, 'item-40'), true, 'the newest stays');
        assert.equal(containsText(stored, 'item-21'), true);
        assert.equal(containsText(stored, 'item-20'), false, 'the oldest half went');
        // It keeps working.
        v.track(viewOf('item-41', 'C'));
        await v.flush();
        assert.equal(containsText(await storedHistory(namespace), 'item-41'), true);

        // Full every time: reported (a string code), nothing thrown at the page.
        const always = quotaOnHistory(100, how);
        try {
          v.track(viewOf('item-42', 'C'));
          await v.flush();
        } finally {
          always();
        }
        assert.ok(v.errors.length >= 2);
        assert.ok(
            v.errors.every((e) => e.code === 'storage_full'),
            JSON.stringify(v.errors.map((e) => e.code)));
        v.track(viewOf('item-43', 'C'));
        await v.flush();
        assert.equal(containsText(await storedHistory(namespace), 'item-43'), true);
        await tick(10);
        process.off('unhandledRejection', onRejection);
        assert.deepEqual(rejections, []);
        await v.close();
      });
}

test('storage deleted under a running page: start clean, ask again, no crash', async () => {
  const {v, namespace} = await fullHistory('vanish', 3);
  const connections = [];
  const restore = patch(IDBDatabase.prototype, 'transaction', (original) => function(...args) {
    connections.push(this);
    return original.apply(this, args);
  });
  try {
    v.track(viewOf('x', 'C'));
    await v.flush();
  } finally {
    restore();
  }
  const {forceCloseDatabase} = await import('fake-indexeddb');
  // What the browser does when site data is cleared: close the connection, drop the data.
  for (const db of new Set(connections)) forceCloseDatabase(db);
  await request(indexedDB.deleteDatabase(namespace));
  await tick(10);
  assert.equal(v.consent.required, true);
  assert.deepEqual(v.consent.get(), ALL_DENIED);
  assert.deepEqual(v.recentlyViewed(), []);
  assert.ok(v.errors.some((e) => e.code === 'storage_lost'));
  assert.equal(v.track(viewOf('y', 'C')).ok, true);
  await v.flush();
  assert.equal(await exists(namespace), false);
  await v.close();
});

test(
    'erase works with the storage full: no room for the tombstone, the data still goes',
    async () => {
      const namespace = await seeded('erase-full');
      const v = await open(namespace);
      const restore = patch(IDBObjectStore.prototype, 'put', (original) => function(...args) {
        if (this.name === 'meta')
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      });
      try {
        await v.privacy.erase();
      } finally {
        restore();
      }
      assert.equal(await exists(namespace), false);
      assert.deepEqual(v.recentlyViewed(), []);
      assert.equal(v.consent.required, true);
      assert.deepEqual(v.errors.map((e) => e.code), ['storage_full']);
      await v.close();
    });

test(
    'storage unavailable (private mode, blocked): the page runs in memory, calls still resolve',
    async () => {
      const restore = patch(IDBFactory.prototype, 'open', () => function() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      });
      try {
        const namespace = ns('unavailable');
        const v = await open(namespace);
        assert.deepEqual(
            await v.consent.set({history: true, personalization: true}),
            {...ALL_DENIED, history: true, personalization: true});
        v.track(viewOf('x', 'C'));
        await v.privacy.removeInterest('C');
        await v.flush();
        assert.deepEqual(v.recentlyViewed().map((r) => r.itemId), ['x']);
        assert.deepEqual(
            await v.privacy.storedCounts(),
            {consent: 1, history: 1, profile: 1, autofill: 0, sent: 0, quarantine: 0});
        assert.deepEqual(v.errors.map((e) => e.code), ['storage_unavailable'], 'said once');
        await v.privacy.erase();
        assert.deepEqual(v.recentlyViewed(), []);
        assert.equal(v.consent.required, true);
        await v.close();
        assert.equal(await exists(namespace), false);
      } finally {
        restore();
      }
    });
