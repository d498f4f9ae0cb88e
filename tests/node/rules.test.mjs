// Rule packs through the built package (the rules chunk loads on demand): packs refused
// with the JSON path, rules firing and not, offer tiers, caps and cool-downs kept on the
// device across reloads, nothing without `personalization`. docs/rules.md.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {DAY, fakeClock, fresh} from './helpers.mjs';
import {dump, ns, open, tick} from './idb.mjs';

const HOUR = 3600 * 1000;
const item = (id, extra = {}) => ({item_id: id, item_category: 'Tents', price: 40, ...extra});
const viewOf = (id, extra) => ({event: 'view_item', items: [item(id, extra)]});
const cartOf = (id, extra) => ({event: 'add_to_cart', items: [item(id, extra)]});
const purchaseOf = (id, extra) => ({event: 'purchase', items: [item(id, extra)]});

const OFFER = {
  id: 'exit-offer',
  trigger: 'event',
  action: {
    type: 'offer',
    text: '{firstName|Hello}, before you go: {offer}',
    tiers: [
      {
        when: {'segment.predictedValue': {gte: 100}},
        offer: {id: 'vip', text: '15% off', percent: 15}
      },
      {
        when: {'segment.lifecycle': {in : ['returning', 'customer', 'repeat', 'lapsed']}},
        offer: {id: 'back', text: '10% off', percent: 10}
      },
      {offer: {id: 'ship', text: 'free shipping', freeShipping: true}},
    ],
  },
};
const pack = (...rules) => ({version: 1, rules});

// Collects 'action' events; wait() lets the asynchronous evaluation finish.
function actions(v) {
  const seen = [];
  v.on('action', (a) => seen.push(a));
  return seen;
}
const wait = () => tick(30);

async function shopper(now = fakeClock(), options = {}) {
  const v = await fresh({now, ...options});
  await v.consent.set({history: true, personalization: true});
  return v;
}

test(
    'bad packs are refused with the JSON path of the bad field; the pack in use stays',
    async () => {
      const v = await shopper();
      const seen = actions(v);
      assert.deepEqual(
          await v.rules.load(pack(OFFER)), {rules: ['exit-offer'], triggers: ['event']});
      const bad = [
        [[], /\$ must be a JSON object/],
        [{version: 2, rules: []}, /\$\.version must be 1/],
        [pack({...OFFER, trigger: 'sometimes'}), /\$\.rules\[0\]\.trigger must be one of/],
        [
          pack({...OFFER, when: {'cart.value': {lt: 'ten'}}}),
          /\$\.rules\[0\]\.when\.cart\.value\.lt must be a number/
        ],
        [
          pack({...OFFER, when: {'cart.colour': {eq: 'red'}}}),
          /\$\.rules\[0\]\.when\.cart\.colour is not a known fact/
        ],
        [pack(OFFER, {...OFFER}), /\$\.rules\[1\]\.id repeats/],
        [
          pack({
            ...OFFER,
            action: {...OFFER.action, tiers: [{offer: {id: 'x', text: 'x', percent: 120}}]}
          }),
          /\$\.rules\[0\]\.action\.tiers\[0\]\.offer\.percent must be a number from 0 to 100/
        ],
        [
          pack({...OFFER, action: {type: 'message', text: 'Hi {email}'}}),
          /\$\.rules\[0\]\.action\.text uses an unknown placeholder \{email\}/
        ],
        [
          pack({...OFFER, trigger: 'cart_below_threshold'}),
          /\$\.rules\[0\]\.params\.threshold is required/
        ],
        [
          pack({...OFFER, cap: {max: 1.5, perHours: 1}}),
          /\$\.rules\[0\]\.cap\.max must be a whole number/
        ],
        [pack({...OFFER, when: {any: []}}), /\$\.rules\[0\]\.when\.any must be a non-empty list/],
      ];
      for (const [json, message] of bad) {
        await assert.rejects(
            v.rules.load(json), (e) => e.code === 'invalid_argument' && message.test(e.message),
            JSON.stringify(json).slice(0, 80));
      }
      v.track(viewOf('a'));
      await wait();
      assert.equal(seen.length, 1, 'the first pack still runs');
      assert.equal(seen[0].ruleId, 'exit-offer');
      await v.close();
    });

test('offers are tiered by value: new visitor, returning, high predicted value', async () => {
  const now = fakeClock();
  const v = await shopper(now);
  const seen = actions(v);
  await v.rules.load(pack(OFFER));
  v.track(viewOf('a'));
  await wait();
  assert.equal(seen.at(-1).action.offer.id, 'ship');
  assert.equal(seen.at(-1).action.text, 'Hello, before you go: free shipping');
  assert.match(seen.at(-1).reason, /^event/);
  now.advance(2 * DAY);
  v.track(viewOf('b'));
  await wait();
  assert.equal(seen.at(-1).action.offer.id, 'back');
  assert.match(seen.at(-1).reason, /segment\.lifecycle "returning" in/);
  for (let i = 0; i < 4; ++i) {
    now.advance(3 * DAY);
    v.track(purchaseOf(`p${i}`, {price: 400}));
  }
  await wait();
  assert.ok(v.segments().predictedValue >= 100, `predicted ${v.segments().predictedValue}`);
  assert.equal(seen.at(-1).action.offer.id, 'vip');
  assert.match(seen.at(-1).reason, /segment\.predictedValue .* gte 100/);
  await v.close();
});

test('conditions on cart, history and page decide whether a rule fires', async () => {
  const v = await shopper();
  const seen = actions(v);
  await v.rules.load(pack({
    id: 'big-cart',
    trigger: 'event',
    when: {
      'cart.value': {gte: 100},
      'cart.categories': {contains: 'Tents'},
      'page.type': {eq: 'cart'}
    },
    action: {type: 'message', text: 'Your {topCategory} cart: {cartValue}'},
  }));
  v.rules.setPage({type: 'cart'});
  v.track(cartOf('a', {price: 60}));
  await wait();
  assert.equal(seen.length, 0, '60 in the cart: not yet');
  v.track(cartOf('b', {price: 60}));
  await wait();
  assert.equal(seen.length, 1);
  assert.equal(seen[0].action.text, 'Your Tents cart: 120.00');
  v.rules.setPage({type: 'product'});
  v.track(cartOf('c', {price: 60}));
  await wait();
  assert.equal(seen.length, 1, 'not on a product page');
  await v.close();
});

test('free-shipping nudge while the cart is below the threshold', async () => {
  const v = await shopper();
  const seen = actions(v);
  await v.rules.load(pack({
    id: 'nudge',
    trigger: 'cart_below_threshold',
    params: {threshold: 75},
    action: {type: 'free_shipping_nudge', text: 'Add {remaining} more for free shipping'},
  }));
  v.track(viewOf('a'));
  await wait();
  assert.equal(seen.length, 0, 'empty cart: no nudge');
  v.track(cartOf('a', {price: 40}));
  await wait();
  assert.equal(seen.at(-1).action.text, 'Add 35.00 more for free shipping');
  v.track(cartOf('b', {price: 50}));
  const before = seen.length;
  await wait();
  assert.equal(seen.length, before, 'above the threshold: no nudge');
  await v.close();
});

test('caps and cool-downs hold across reloads, on the device', async () => {
  const now = fakeClock();
  const namespace = ns('rules-caps');
  const rules = pack({...OFFER, cooldownHours: 1, cap: {max: 2, perHours: 24}});
  let v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  let seen = actions(v);
  await v.rules.load(rules);
  v.track(viewOf('a'));
  await wait();
  v.track(viewOf('b'));
  await wait();
  assert.equal(seen.length, 1, 'the second event is within the cool-down');
  const decisions = await v.rules.decisions();
  assert.match(decisions.at(-1).reason, /^cool-down until/);
  await v.flush();
  await v.close();

  v = await open(namespace, {now});
  seen = actions(v);
  await v.rules.load(rules);
  now.advance(30 * 60 * 1000);
  v.track(viewOf('c'));
  await wait();
  assert.equal(seen.length, 0, 'the cool-down survived the reload');
  now.advance(31 * 60 * 1000);
  v.track(viewOf('d'));
  await wait();
  assert.equal(seen.length, 1, 'after the cool-down');
  now.advance(2 * HOUR);
  v.track(viewOf('e'));
  await wait();
  assert.equal(seen.length, 1, 'the cap of 2 a day is reached');
  assert.match((await v.rules.decisions()).at(-1).reason, /cap of 2/);
  await v.flush();
  await v.close();

  v = await open(namespace, {now});
  seen = actions(v);
  await v.rules.load(rules);
  v.track(viewOf('f'));
  await wait();
  assert.equal(seen.length, 0, 'the cap survived the reload');
  now.advance(DAY);
  v.track(viewOf('g'));
  await wait();
  assert.equal(seen.length, 1, 'a day later');
  await v.flush();
  await v.close();
});

// The fired times are read from the device on the first event; two events in one task
// must not read them twice (the second read would drop the first event's firing, and the
// rule would fire again within its cool-down).
test('two events in one task fire a rule with a cool-down once', async () => {
  const now = fakeClock();
  const namespace = ns('rules-burst');
  const rules = pack({...OFFER, cooldownHours: 1});
  // An earlier visit: the rule fired once, and its time is on the device.
  let v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  let seen = actions(v);
  await v.rules.load(rules);
  v.track(viewOf('a'));
  await wait();
  assert.equal(seen.length, 1);
  await v.flush();
  await v.close();

  now.advance(2 * HOUR);
  v = await open(namespace, {now});
  seen = actions(v);
  await v.rules.load(rules);
  v.track(viewOf('b'));
  v.track(cartOf('b'));
  await wait();
  await v.flush();
  assert.equal(seen.length, 1, JSON.stringify(await v.rules.decisions()));
  assert.match((await v.rules.decisions()).at(-1).reason, /^cool-down until/);
  await v.close();
});

test('a cart left in an earlier visit gets its reminder on return', async () => {
  const now = fakeClock();
  const namespace = ns('rules-cart');
  const rules = pack({
    id: 'cart-back',
    trigger: 'cart_abandoned',
    action: {type: 'reminder', text: 'Still thinking? {cartValue} in your cart'},
  });
  let v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  let seen = actions(v);
  await v.rules.load(rules);
  v.track(cartOf('a', {price: 25}));
  await wait();
  assert.equal(seen.length, 0, 'not in the visit that filled the cart');
  await v.flush();
  await v.close();
  now.advance(DAY);
  v = await open(namespace, {now});
  seen = actions(v);
  await v.rules.load(rules);
  await wait();
  assert.equal(seen.length, 1);
  assert.equal(seen[0].action.text, 'Still thinking? 25.00 in your cart');
  await v.close();
  // Ordered since: no reminder.
  v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  v.track(purchaseOf('a', {price: 25}));
  await v.flush();
  await v.close();
  now.advance(DAY);
  v = await open(namespace, {now});
  seen = actions(v);
  await v.rules.load(rules);
  await wait();
  assert.equal(seen.length, 0);
  await v.close();
});

test('without personalization no rule runs and nothing is stored', async () => {
  const now = fakeClock();
  const namespace = ns('rules-none');
  const v = await open(namespace, {now});
  await v.consent.set({history: true});
  const seen = actions(v);
  await v.rules.load(pack(OFFER));
  v.track(viewOf('a'));
  await wait();
  await v.flush();
  assert.equal(seen.length, 0);
  assert.equal((await dump(namespace)).stores.profile.size, 0);
  assert.deepEqual(await v.rules.decisions(), []);
  await v.close();
});

test('withdrawing personalization forgets the caps', async () => {
  const now = fakeClock();
  const namespace = ns('rules-withdraw');
  const v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  const seen = actions(v);
  await v.rules.load(pack({...OFFER, cooldownHours: 24}));
  v.track(viewOf('a'));
  await wait();
  await v.flush();
  assert.ok((await dump(namespace)).stores.profile.has('rules'), 'the caps are stored');
  await v.consent.set({personalization: false});
  await v.flush();
  assert.equal((await dump(namespace)).stores.profile.size, 0);
  await v.consent.set({personalization: true});
  v.track(viewOf('b'));
  await wait();
  assert.equal(seen.length, 2, 'the cool-down went with the withdrawal');
  await v.close();
});

test('browse abandonment on return: products viewed last time, nothing in the cart', async () => {
  const now = fakeClock();
  const namespace = ns('rules-browse');
  const rules = pack({
    id: 'browse-back',
    trigger: 'browse_abandonment',
    params: {minViews: 2},
    action: {type: 'message', text: 'Still looking at {topCategory}?'},
  });
  let v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  v.track(viewOf('a'));
  now.advance(60 * 1000);
  v.track(viewOf('b'));
  await v.flush();
  await v.close();
  now.advance(DAY);
  v = await open(namespace, {now});
  let seen = actions(v);
  await v.rules.load(rules);
  await wait();
  assert.equal(seen.length, 1);
  assert.equal(seen[0].action.text, 'Still looking at Tents?');
  await v.close();
  // One product viewed only: below minViews.
  const other = ns('rules-browse-one');
  v = await open(other, {now});
  await v.consent.set({history: true, personalization: true});
  v.track(viewOf('a'));
  await v.flush();
  await v.close();
  now.advance(DAY);
  v = await open(other, {now});
  seen = actions(v);
  await v.rules.load(rules);
  await wait();
  assert.equal(seen.length, 0);
  await v.close();
});
