// Recommendations through the built package: pack loading (bytes and URL), bad packs,
// the personalization gate, contexts, reasons and option validation.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import http from 'node:http';
import {test} from 'node:test';

import {fresh, view} from './helpers.mjs';

const PACK = await readFile(new URL('../fuzz/corpus/pack/catalog.vpk', import.meta.url));
const bytes = () => new Uint8Array(PACK);

test('no pack: recommend returns [] and recently viewed still works', async () => {
  const v = await fresh();
  assert.equal(v.pack, null);
  v.track(view('306'));
  assert.deepEqual(v.recommend(), []);
  assert.equal(v.recentlyViewed()[0].itemId, '306');
  await v.close();
});

test('a pack from bytes: summary, popular items for a new shopper', async () => {
  const v = await fresh({pack: bytes()});
  assert.deepEqual(
      v.pack, {items: 157, categories: 2, embeddingDim: 0, bytes: PACK.length, shards: 0});
  const rows = v.recommend({limit: 5});
  assert.equal(rows.length, 5);
  for (const row of rows) {
    assert.equal(typeof row.itemId, 'string');
    assert.equal(row.reason.source, 'popularity');
  }
  await v.close();
});

test('the history counts only with the personalization purpose', async () => {
  const v = await fresh({pack: bytes()});
  v.track(view('9'));
  const anonymous = v.recommend({limit: 4});
  assert.ok(anonymous.every((r) => r.reason.source === 'popularity' && !r.reason.itemId));
  await v.consent.set({personalization: true});
  const personal = v.recommend({limit: 4});
  assert.ok(personal.some((r) => r.reason.itemId === '9'), JSON.stringify(personal));
  assert.notDeepEqual(personal.map((r) => r.itemId), anonymous.map((r) => r.itemId));
  await v.consent.set({personalization: false});
  assert.deepEqual(v.recommend({limit: 4}), anonymous);
  await v.close();
});

test('item context: similar items with the item as reason, never the item itself', async () => {
  const v = await fresh({pack: bytes()});
  const rows = v.recommend({context: 'item', itemId: '306', limit: 6});
  assert.equal(rows.length, 6);
  assert.ok(!rows.some((r) => r.itemId === '306'));
  assert.equal(rows[0].reason.itemId, '306');
  assert.ok(rows[0].score > 0);
  // Scores never go up along the list (popular fillers score 0).
  for (let k = 1; k < rows.length; ++k) assert.ok(rows[k].score <= rows[k - 1].score);
  await v.close();
});

test('cart context uses the cart the page passes, and leaves its items out', async () => {
  const v = await fresh({pack: bytes()});
  const rows = v.recommend({context: 'cart', itemIds: ['306', 'not-in-pack'], limit: 4});
  assert.equal(rows.length, 4);
  assert.ok(!rows.some((r) => r.itemId === '306'));
  assert.equal(rows[0].reason.itemId, '306');
  await v.close();
});

test('a bad pack is refused with a clear error and the loaded one stays', async () => {
  const v = await fresh({pack: bytes()});
  const before = v.recommend({context: 'item', itemId: '306'});
  const flipped = bytes();
  flipped[Math.floor(flipped.length / 2)] ^= 0x40;
  await assert.rejects(
      v.loadPack(flipped), (e) => e.code === 'data_loss' && /checksum/.test(e.message));
  await assert.rejects(v.loadPack(new Uint8Array(0)), {code: 'data_loss'});
  await assert.rejects(v.loadPack(bytes().slice(0, 100)), {code: 'data_loss'});
  await assert.rejects(v.loadPack(42), {code: 'invalid_argument'});
  assert.deepEqual(v.recommend({context: 'item', itemId: '306'}), before);
  await v.close();
});

test('packs loaded at once open one after the other, each checked whole', async () => {
  // A pack is checked in slices with the page's work in between: a second load started
  // meanwhile must neither mix its bytes with the first nor skip its own checks.
  const v = await fresh();
  const otto =
      new Uint8Array(await readFile(new URL('../fuzz/corpus/pack/otto.vpk', import.meta.url)));
  const flipped = otto.slice();
  flipped[flipped.length - 5] ^= 0x40;  // in the last section: found by the last slice
  const [first, bad, second] =
      await Promise.allSettled([v.loadPack(bytes()), v.loadPack(flipped), v.loadPack(otto)]);
  assert.equal(first.status, 'fulfilled');
  assert.equal(bad.status, 'rejected');
  assert.equal(bad.reason.code, 'data_loss');
  assert.equal(second.status, 'fulfilled');
  assert.notEqual(first.value.items, second.value.items);
  assert.deepEqual(v.pack, second.value);  // the last one asked for is the one in use
  await v.close();
  await assert.rejects(v.loadPack(otto), {code: 'closed'});
});

test('a pack by URL; a missing one is reported as an error event and nothing breaks', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/pack.vpk')
      res.end(PACK);
    else
      res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const v = await fresh({pack: `${base}/pack.vpk`});
    assert.equal(v.pack.items, 157);
    await v.close();
    const w = await fresh({pack: `${base}/missing.vpk`});
    assert.equal(w.pack, null);
    const errors = [];
    w.on('error', (e) => errors.push(e));  // errors from start-up reach the first listener
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'pack_unavailable');
    assert.match(errors[0].message, /HTTP 404/);
    assert.deepEqual(w.recommend(), []);
    assert.equal(w.track(view('306')).ok, true);
    await w.close();
  } finally {
    server.close();
  }
});

test('bad recommend options throw invalid_argument', async () => {
  const v = await fresh({pack: bytes()});
  const bad = [
    {context: 'nope'},
    {context: 'item'},
    {context: 'item', itemId: 3},
    {limit: 0},
    {limit: 51},
    {limit: 2.5},
    {itemIds: 'a'},
    {itemIds: [1]},
    {filter: null},
    {filter: {category: 7}},
    {filter: {maxPerCategory: -1}},
    null,
  ];
  for (const options of bad) {
    assert.throws(() => v.recommend(options), {code: 'invalid_argument'}, JSON.stringify(options));
  }
  await v.close();
});

test('filter.excludeItems keeps items off the list', async () => {
  const v = await fresh({pack: bytes()});
  const all = v.recommend({context: 'item', itemId: '306', limit: 6});
  const skip = all.slice(0, 2).map((r) => r.itemId);
  const rest =
      v.recommend({context: 'item', itemId: '306', limit: 6, filter: {excludeItems: skip}});
  assert.equal(rest.length, 6);
  for (const id of skip) assert.ok(!rest.some((r) => r.itemId === id), id);
  assert.deepEqual(rest.slice(0, 4), all.slice(2, 6));
  assert.throws(() => v.recommend({filter: {excludeItems: 'x'}}), {code: 'invalid_argument'});
  await v.close();
});
