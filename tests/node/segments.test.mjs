// v.segments() over scripted shopper histories with a fake clock: every lifecycle and
// recency case, the value segments, affinities, and nothing without `personalization`
// (docs/segments.md).
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {DAY, fakeClock, fresh} from './helpers.mjs';
import {ns, open} from './idb.mjs';

const MIN = 60 * 1000;
const item = (id, extra = {}) =>
    ({item_id: id, item_category: 'Tents', item_brand: 'Nordisk', price: 40, ...extra});
const viewOf = (id, extra) => ({event: 'view_item', items: [item(id, extra)]});
const purchaseOf = (id, extra) =>
    ({event: 'purchase', transaction_id: `T-${id}`, items: [item(id, extra)]});

async function shopper(now = fakeClock()) {
  const v = await fresh({now});
  await v.consent.set({history: true, personalization: true});
  return v;
}

test('without personalization every field is null, however rich the history', async () => {
  const now = fakeClock();
  const v = await fresh({now});
  await v.consent.set({history: true});
  v.track(viewOf('a'));
  now.advance(2 * DAY);
  v.track(purchaseOf('a'));
  const nulls = {
    lifecycle: null,
    recency: null,
    engagement: null,
    valueTier: null,
    predictedValue: null,
    affinities: {categories: null, brands: null, priceBand: null},
  };
  assert.deepEqual(v.segments(), nulls);
  await v.consent.set({personalization: true});
  assert.equal(v.segments().lifecycle, 'customer');
  await v.consent.set({personalization: false});
  assert.deepEqual(v.segments(), nulls);
  await v.close();
});

test('a first visit is new, with no recency', async () => {
  const now = fakeClock();
  const v = await shopper(now);
  assert.equal(v.segments().lifecycle, 'new');
  assert.equal(v.segments().recency, null);
  assert.equal(v.segments().engagement, null);  // nothing done yet
  v.track(viewOf('a'));
  now.advance(10 * MIN);
  v.track(viewOf('b'));
  const s = v.segments();
  assert.equal(s.lifecycle, 'new');
  assert.equal(s.recency, null);
  assert.equal(s.engagement, 'low');
  await v.close();
});

test('recency of the previous visit, in every bucket', async () => {
  const cases = [
    [3 * 3600 * 1000, 'today'], [DAY + MIN, '2d'], [5 * DAY, '7d'], [10 * DAY, '14d'],
    [20 * DAY, '30d'], [40 * DAY, 'older']
  ];
  for (const [gap, expected] of cases) {
    const now = fakeClock();
    const v = await shopper(now);
    v.track(viewOf('a'));
    now.advance(gap);
    // Back on the site, nothing viewed yet: the previous visit is the last one.
    assert.equal(v.segments().recency, expected, `after ${gap} ms`);
    assert.equal(v.segments().lifecycle, 'returning');
    v.track(viewOf('b'));  // this visit's first event: still measured from the previous one
    assert.equal(v.segments().recency, expected, `after ${gap} ms, with a view`);
    await v.close();
  }
});

test('within thirty minutes it is the same visit', async () => {
  const now = fakeClock();
  const v = await shopper(now);
  v.track(viewOf('a'));
  now.advance(29 * MIN);
  assert.equal(v.segments().lifecycle, 'new');
  now.advance(2 * MIN);
  assert.equal(v.segments().lifecycle, 'returning');
  await v.close();
});

test('customer, repeat and lapsed from the orders', async () => {
  const now = fakeClock();
  const v = await shopper(now);
  v.track(purchaseOf('a', {price: 30}));
  let s = v.segments();
  assert.equal(s.lifecycle, 'customer');
  assert.equal(s.valueTier, 'low');
  assert.ok(s.predictedValue > 0, 'a customer has a predicted value');
  const one = s.predictedValue;
  now.advance(3 * DAY);
  v.track(purchaseOf('b', {price: 190}));
  s = v.segments();
  assert.equal(s.lifecycle, 'repeat');
  assert.equal(s.valueTier, 'high');  // 220 in orders
  assert.ok(s.predictedValue > one, 'a second, larger order raises the predicted value');
  now.advance(61 * DAY);
  s = v.segments();
  assert.equal(s.lifecycle, 'lapsed');
  assert.equal(s.recency, 'older');
  await v.close();
});

test('engagement grows with visits in the last 30 days', async () => {
  const now = fakeClock();
  const v = await shopper(now);
  v.track(viewOf('a'));
  now.advance(DAY);
  v.track(viewOf('b'));
  assert.equal(v.segments().engagement, 'medium');
  for (let i = 0; i < 2; ++i) {
    now.advance(DAY);
    v.track(viewOf(`c${i}`));
  }
  assert.equal(v.segments().engagement, 'high');
  now.advance(45 * DAY);
  assert.equal(v.segments().engagement, 'low');
  await v.close();
});

test('affinities: categories, brands and price band; a removed interest leaves them', async () => {
  const now = fakeClock();
  const v = await shopper(now);
  for (let i = 0; i < 3; ++i) v.track(viewOf(`t${i}`, {price: 150}));
  v.track(viewOf('s', {item_category: 'Stoves', item_brand: 'Primus', price: 150}));
  let s = v.segments();
  assert.deepEqual(s.affinities.categories, ['Tents', 'Stoves']);
  assert.deepEqual(s.affinities.brands, ['Nordisk', 'Primus']);
  assert.equal(s.affinities.priceBand, 'high');
  await v.privacy.removeInterest('Tents');
  s = v.segments();
  assert.deepEqual(s.affinities.categories, ['Stoves']);
  assert.deepEqual(s.affinities.brands, ['Primus']);
  await v.close();
});

test('the privacy center gets the evidence behind each segment', async () => {
  const now = fakeClock();
  const v = await shopper(now);
  v.track(purchaseOf('a', {price: 30}));
  now.advance(2 * DAY);
  const {segments, evidence} = v.privacy.segments();
  assert.equal(segments.lifecycle, 'customer');
  assert.equal(evidence.orders, 1);
  assert.equal(evidence.orderValue, 30);
  assert.equal(evidence.visits, 1);
  assert.equal(evidence.previousVisit, now() - 2 * DAY);
  await v.close();
});

test('segments come back from the stored history after a reload', async () => {
  const now = fakeClock();
  const namespace = ns('segments');
  let v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  v.track(purchaseOf('a'));
  now.advance(DAY);
  v.track(purchaseOf('b'));
  await v.flush();
  await v.close();
  now.advance(3 * DAY);
  v = await open(namespace, {now});
  const s = v.segments();
  assert.equal(s.lifecycle, 'repeat');
  assert.equal(s.recency, '7d');
  assert.deepEqual(s.affinities.brands, ['Nordisk']);
  await v.close();
});

test('bestsellers for the shopper\'s own segment, from a pack without price bands', async () => {
  const {PACK} = await import('./idb.mjs');
  const now = fakeClock();
  const v = await fresh({now, pack: PACK});
  const everyone = v.bestsellers({limit: 3});
  assert.deepEqual(everyone.segment, {kind: 'all', value: null});
  assert.equal(everyone.items.length, 3);
  await v.consent.set({history: true, personalization: true});
  v.track({event: 'view_item', items: [{item_id: '1', item_category: 'A'}]});
  v.track({event: 'view_item', items: [{item_id: '2', item_category: 'A'}]});
  const own = v.bestsellers({limit: 8});
  assert.deepEqual(own.segment, {kind: 'category', value: 'A'});
  const inA = new Set(v.recommend({filter: {category: 'A'}, limit: 50}).map((r) => r.itemId));
  assert.ok(own.items.length > 0 && own.items.every((id) => inA.has(id)), 'only items of A');
  assert.notDeepEqual(own.items, everyone.items);
  await v.consent.set({personalization: false});
  assert.deepEqual(v.bestsellers({limit: 3}), everyone);
  assert.throws(() => v.bestsellers({limit: 0}), {code: 'invalid_argument'});
  await v.close();
  const none = await fresh();
  assert.deepEqual(none.bestsellers(), {segment: {kind: 'all', value: null}, items: []});
  await none.close();
});
