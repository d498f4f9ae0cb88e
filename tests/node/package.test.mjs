// The built package in node: ingest, validation, recently viewed, snapshot round trip,
// corrupt snapshots, consent gating of storage.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {test} from 'node:test';

import {createVitrine, DAY, fakeClock, fresh, view} from './helpers.mjs';

test('loads and tracks a GA4 dataLayer-shaped event', async () => {
  const v = await fresh();
  const status = v.track({
    event: 'view_item',
    ecommerce: {
      currency: 'EUR',
      value: 19.5,
      items: [{item_id: 'SKU-1', item_name: 'Wool hat', item_category: 'Hats', price: 19.5}]
    },
  });
  assert.deepEqual(status, {ok: true});
  const [row] = v.recentlyViewed();
  assert.equal(row.itemId, 'SKU-1');
  assert.equal(row.name, 'Wool hat');
  assert.equal(row.category, 'Hats');
  assert.equal(row.price, 19.5);
  assert.equal(row.views, 1);
  await v.close();
});

test('validation errors are clear, counted, and store nothing', async () => {
  const v = await fresh();
  const cases = [
    [{event: 'page_view'}, /unknown event "page_view"/],
    [{event: 'view_item'}, /needs at least one item/],
    [{event: 'view_item', items: [{item_name: 'x'}]}, /item_id is missing/],
    [{event: 'view_item', items: [{item_id: 'a', price: -3}]}, /price/],
    [{event: 'view_item', items: [{item_id: 'a', price: NaN}]}, /price must be a finite number/],
    [{event: 'view_item', items: [{item_id: 'a', price: Infinity}]}, /finite/],
    [{event: 'view_item', ecommerce: {value: -Infinity, items: [{item_id: 'a'}]}}, /value must/],
    [{event: 'view_item', items: [{item_id: 'a', tags: [1, NaN]}]}, /1 must be a finite number/],
    [{event: 'view_item', items: [{item_id: 'a', at: {toJSON: () => NaN}}]}, /at must be/],
    // Past a toJSON the check goes on (a replacer does it then).
    [{event: 'view_item', items: [{item_id: 'a', at: new Date(0), price: NaN}]}, /price must/],
    [{event: 'view_item', items: [{item_id: 'x'.repeat(500)}]}, /longer than 128/],
    [null, /must be an object/],
    ['view_item', /must be an object/],
  ];
  for (const [event, message] of cases) {
    const status = v.track(event);
    assert.equal(status.ok, false, JSON.stringify(event));
    assert.equal(status.code, 'invalid_argument');
    assert.match(status.error, message);
  }
  const cyclic = {event: 'view_item', items: []};
  cyclic.self = cyclic;
  assert.equal(v.track(cyclic).ok, false);
  // Two ways back into itself: the finiteness walk stops at the first cycle, not at 2^32 paths.
  const twice = {event: 'view_item', items: [{item_id: 'a'}]};
  twice.x = twice;
  twice.y = twice;
  assert.match(v.track(twice).error, /circular/);
  assert.deepEqual(v.recentlyViewed(), []);
  assert.equal(v.stats().rejected, cases.length + 2);
  // A toJSON runs once per event: one with side effects sees a single call.
  let calls = 0;
  const counted = {item_id: 'a', toJSON: () => (++calls, {item_id: 'a'})};
  assert.equal(v.track({event: 'view_item', items: [counted]}).ok, true);
  assert.equal(calls, 1);
  assert.equal(v.stats().accepted, 1);
  await v.close();
});

test('recently viewed: most recent first, counts, cap, exclusions, age limit', async () => {
  const now = fakeClock();
  const v = await fresh({now});
  for (const id of ['a', 'b', 'a', 'c']) {
    v.track(view(id));
    now.advance(1000);
  }
  assert.deepEqual(
      v.recentlyViewed().map((r) => [r.itemId, r.views]), [['c', 1], ['a', 2], ['b', 1]]);
  assert.deepEqual(v.recentlyViewed({limit: 2}).map((r) => r.itemId), ['c', 'a']);
  assert.deepEqual(v.recentlyViewed({excludeItem: 'c'}).map((r) => r.itemId), ['a', 'b']);
  v.track({event: 'purchase', ecommerce: {transaction_id: 'T1', items: [{item_id: 'a'}]}});
  assert.deepEqual(v.recentlyViewed({excludePurchased: true}).map((r) => r.itemId), ['c', 'b']);
  now.advance(31 * DAY);
  v.track(view('fresh'));
  assert.deepEqual(v.recentlyViewed().map((r) => r.itemId), ['fresh']);
  assert.equal(v.recentlyViewed({maxAgeDays: 60}).length, 4);
  for (let i = 0; i < 70; ++i) v.track(view(`many-${i}`));
  assert.equal(v.recentlyViewed().length, 50);
  assert.throws(() => v.recentlyViewed({limit: 0}), /limit must be a whole number from 1 to 50/);
  assert.throws(() => v.recentlyViewed({limit: 51}), /from 1 to 50/);
  assert.throws(() => v.recentlyViewed({maxAgeDays: -1}), /maxAgeDays/);
  await v.close();
});

test('before consent nothing is stored; after it, history survives a restart', async () => {
  const namespace = `persist-${process.pid}`;
  const first = await createVitrine({storage: 'memory', namespace});
  first.track(view('before-consent'));
  await first.flush();
  await first.close();

  const second = await createVitrine({storage: 'memory', namespace});
  assert.deepEqual(second.recentlyViewed(), [], 'nothing was kept without consent');
  assert.deepEqual(
      second.consent.get(),
      {history: false, personalization: false, measurement: false, autofill: false});
  second.track(view('a'));
  await second.consent.set({history: true});
  second.track(view('b'));
  await second.flush();
  await second.close();

  const third = await createVitrine({storage: 'memory', namespace});
  assert.equal(third.consent.get().history, true);
  assert.deepEqual(third.recentlyViewed().map((r) => r.itemId), ['b', 'a']);
  // Withdrawing erases: the next start finds nothing.
  await third.consent.set({history: false});
  assert.deepEqual(third.recentlyViewed(), []);
  await third.close();
  const fourth = await createVitrine({storage: 'memory', namespace});
  assert.deepEqual(fourth.recentlyViewed(), []);
  assert.equal(fourth.consent.get().history, false);
  await fourth.close();
});

test('consent.set refuses unknown purposes and non-boolean values', async () => {
  const v = await fresh();
  assert.throws(() => v.consent.set({histroy: true}), /unknown consent purpose "histroy"/);
  assert.throws(() => v.consent.set({history: 'yes'}), /must be true or false/);
  assert.throws(() => v.consent.set(null), /takes an object/);
  assert.equal(v.consent.get().history, false);
  await v.close();
});

test('createVitrine validates its options', async () => {
  await assert.rejects(createVitrine({storage: 'cookies'}), /storage must be/);
  await assert.rejects(createVitrine({namespace: '../x'}), /namespace/);
  await assert.rejects(createVitrine({now: 5}), /now must be a function/);
  await assert.rejects(
      createVitrine({wasmUrl: 'file:///nonexistent/vitrine.wasm'}),
      (e) => e.code === 'load_failed');
});

test('the wasm can be given as bytes', async () => {
  const bytes = await readFile(new URL('../../js/dist/vitrine.wasm', import.meta.url));
  const v = await createVitrine({storage: 'memory', namespace: 'bytes', wasmBinary: bytes});
  assert.equal(v.track(view('x')).ok, true);
  await v.close();
  assert.throws(() => v.track(view('y')), /closed/);
});
