// v.experiment() and v.rerank() through the built package: deterministic weighted variants
// from a per-install seed kept on the device, exposures logged; search results reordered by
// affinity within maxShift, unchanged for a new shopper or without consent.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {fakeClock, fresh} from './helpers.mjs';
import {dump, ns, open} from './idb.mjs';

const results = (...specs) => specs.map(([itemId, category]) => ({itemId, category}));

test('the variant is stable across reloads and the exposure is logged', async () => {
  const now = fakeClock();
  const namespace = ns('experiment');
  let v = await open(namespace, {now});
  await v.consent.set({history: true, personalization: true});
  const variants = {control: 1, shorter: 1, longer: 1};
  const first = {};
  for (let i = 0; i < 12; ++i) first[`cta-${i}`] = v.experiment(`cta-${i}`, {variants}).variant;
  assert.ok(new Set(Object.values(first)).size > 1, 'different experiments split differently');
  v.experiment('cta-0', {variants});
  const log = v.privacy.experiments();
  assert.equal(log['cta-0'].variant, first['cta-0']);
  assert.equal(log['cta-0'].count, 2);
  await v.flush();
  await v.close();
  v = await open(namespace, {now});
  for (let i = 0; i < 12; ++i) {
    assert.equal(v.experiment(`cta-${i}`, {variants}).variant, first[`cta-${i}`]);
  }
  assert.equal(v.privacy.experiments()['cta-0'].count, 3);
  await v.close();
});

test('weights are honoured', async () => {
  const v = await fresh();
  await v.consent.set({personalization: true});
  assert.equal(v.experiment('never-a', {variants: {a: 0, b: 1}}).variant, 'b');
  let b = 0;
  for (let i = 0; i < 400; ++i)
    b += v.experiment(`w-${i}`, {variants: {a: 1, b: 3}}).variant === 'b';
  assert.ok(b > 0.68 * 400 && b < 0.82 * 400, `${b} of 400 in b (expected about 300)`);
  await assert.rejects(
      async () => v.experiment('x', {variants: {a: -1}}), {code: 'invalid_argument'});
  await assert.rejects(
      async () => v.experiment('bad name!', {variants: {a: 1}}), {code: 'invalid_argument'});
  await v.close();
});

test(
    'without personalization no variant, nothing stored; withdrawal forgets seed and exposures',
    async () => {
      const namespace = ns('experiment-none');
      const v = await open(namespace);
      await v.consent.set({history: true});
      assert.deepEqual(v.experiment('cta', {variants: {a: 1, b: 1}}), {variant: null});
      await v.flush();
      assert.equal((await dump(namespace)).stores.profile.size, 0);
      await v.consent.set({personalization: true});
      v.experiment('cta', {variants: {a: 1, b: 1}});
      await v.flush();
      assert.ok((await dump(namespace)).stores.profile.has('experiments'));
      await v.consent.set({personalization: false});
      await v.flush();
      assert.equal((await dump(namespace)).stores.profile.size, 0);
      assert.deepEqual(v.privacy.experiments(), {});
      await v.close();
    });

test('rerank lifts the shopper\'s category by at most maxShift places, with a reason', async () => {
  const v = await fresh({now: fakeClock()});
  await v.consent.set({history: true, personalization: true});
  const list = results(
      ['1', 'Stoves'], ['2', 'Stoves'], ['3', 'Stoves'], ['4', 'Stoves'], ['5', 'Stoves'],
      ['6', 'Tents'], ['7', 'Stoves']);
  const same = v.rerank(list);
  assert.deepEqual(same.map((r) => r.itemId), ['1', '2', '3', '4', '5', '6', '7'], 'no history');
  assert.ok(same.every((r) => r.reason === null && r.shift === 0));
  for (let i = 0; i < 3; ++i) {
    v.track({event: 'view_item', items: [{item_id: `t${i}`, item_category: 'Tents'}]});
  }
  const out = v.rerank(list, {maxShift: 3});
  assert.deepEqual(out.map((r) => r.itemId), ['1', '2', '6', '3', '4', '5', '7']);
  assert.deepEqual(out[2].reason, {source: 'category', category: 'Tents'});
  assert.equal(out[2].shift, 3);
  assert.deepEqual(
      v.rerank(list, {maxShift: 0}).map((r) => r.itemId), ['1', '2', '3', '4', '5', '6', '7']);
  assert.throws(() => v.rerank(list, {maxShift: -1}), {code: 'invalid_argument'});
  assert.throws(() => v.rerank([{id: 1}]), {code: 'invalid_argument'});
  await v.consent.set({personalization: false});
  assert.deepEqual(v.rerank(list).map((r) => r.itemId), ['1', '2', '3', '4', '5', '6', '7']);
  await v.close();
});

test('the export shows segments, the experiments and the rule firings', async () => {
  const now = fakeClock();
  const v = await open(ns('export-personal'), {now});
  await v.consent.set({history: true, personalization: true});
  await v.rules.load({
    version: 1,
    rules: [{id: 'hello', trigger: 'event', action: {type: 'message', text: 'Hello'}}],
  });
  v.track({event: 'view_item', items: [{item_id: 'a', item_category: 'Tents'}]});
  await new Promise((resolve) => setTimeout(resolve, 30));
  const {variant} = v.experiment('cta', {variants: {a: 1, b: 1}});
  const doc = await v.privacy.export();
  assert.equal(doc.profile.segments.lifecycle, 'new');
  assert.deepEqual(doc.profile.segments.affinities.categories, ['Tents']);
  assert.equal(doc.profile.experiments.exposures.cta.variant, variant);
  assert.match(doc.profile.experiments.seed, /^[0-9a-f]{32}$/);
  assert.deepEqual(doc.profile.ruleFirings, {hello: [now()]});
  await v.consent.set({personalization: false});
  const without = await v.privacy.export();
  assert.deepEqual(Object.keys(without.profile), ['interests', 'removedInterests']);
  await v.close();
});

test(
    'import restores the experiments and the rule firings; malformed ones are refused',
    async () => {
      const now = fakeClock();
      const v = await open(ns('import-personal'), {now});
      await v.consent.set({history: true, personalization: true});
      const variants = {a: 1, b: 1, c: 1, d: 1};
      const first = {};
      for (let i = 0; i < 8; ++i) first[`e${i}`] = v.experiment(`e${i}`, {variants}).variant;
      const doc = await v.privacy.export();
      doc.profile.ruleFirings = {hello: [now() - 1000]};
      await v.privacy.erase();
      await v.consent.set({history: true, personalization: true});
      await v.privacy.import(doc);
      for (let i = 0; i < 8; ++i) {
        assert.equal(v.experiment(`e${i}`, {variants}).variant, first[`e${i}`], 'the same seed');
      }
      const again = await v.privacy.export();
      assert.deepEqual(again.profile.ruleFirings, {hello: [now() - 1000]});
      const bad = structuredClone(doc);
      bad.profile.ruleFirings = {hello: ['yesterday']};
      await assert.rejects(async () => v.privacy.import(bad), {code: 'invalid_argument'});
      bad.profile.ruleFirings = {};
      bad.profile.experiments = {seed: 'short', exposures: {}};
      await assert.rejects(async () => v.privacy.import(bad), {code: 'invalid_argument'});
      await v.close();
    });
