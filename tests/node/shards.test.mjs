// A sharded pack through the built package: the head alone, the shards a query misses,
// recommendAsync fetching them (and then ranking as the whole pack), shardUrl, bad shards.
// Fixture: tests/data/shards, cut from tests/fuzz/corpus/pack/catalog.vpk by
//   build/tools/vitrine-pack shard --in tests/fuzz/corpus/pack/catalog.vpk \
//     --out tests/data/shards --shards 4
import assert from 'node:assert/strict';
import {readdir, readFile} from 'node:fs/promises';
import http from 'node:http';
import {after, before, test} from 'node:test';

import {fresh, view} from './helpers.mjs';

const DIR = new URL('../data/shards/', import.meta.url);
const WHOLE = await readFile(new URL('../fuzz/corpus/pack/catalog.vpk', import.meta.url));
const HEAD = await readFile(new URL('head.vpk', DIR));
const SHARDS = new Map();
for (const name of await readdir(new URL('shards/', DIR))) {
  SHARDS.set(name, await readFile(new URL(`shards/${name}`, DIR)));
}

let server;
let base;
const requests = [];
let corrupt = false;
before(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url);
    const m = /^\/p\/shards\/([0-9a-f]{64}\.vpk)$/.exec(req.url);
    let body = req.url === '/p/head.vpk' ? HEAD : m ? SHARDS.get(m[1]) : undefined;
    if (!body) return res.writeHead(404).end();
    if (corrupt && m) {
      body = Buffer.from(body);
      body[body.length >> 1] ^= 1;
    }
    res.writeHead(200, {'content-type': 'application/octet-stream'}).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const plain = (list) => JSON.parse(JSON.stringify(list));

// Two shoppers with the same history, one on the whole pack, one on the head.
async function pair(options = {}) {
  const whole = await fresh({pack: new Uint8Array(WHOLE)});
  const sharded = await fresh({pack: `${base}/p/head.vpk`, ...options});
  for (const v of [whole, sharded]) {
    await v.consent.set({personalization: true});
    for (const id of ['306', '9', '41', '120']) v.track(view(id));
  }
  return {whole, sharded};
}

test('the head alone: popular items, and the shards each query misses', async () => {
  const {whole, sharded} = await pair();
  assert.equal(sharded.pack.shards, 4);
  assert.ok(sharded.pack.bytes < whole.pack.bytes, 'the head has no relations');
  assert.deepEqual(whole.recommend({context: 'item', itemId: '306'}).missingShards, []);
  const missing = sharded.recommend({context: 'item', itemId: '306'}).missingShards;
  assert.ok(missing.length >= 1 && missing.length <= 4, JSON.stringify(missing));
  assert.ok(missing.every((k) => Number.isInteger(k) && k >= 0 && k < 4));
  assert.ok(!requests.some((r) => r.includes('/shards/')), 'nothing fetched before asked');
  for (const v of [whole, sharded]) await v.close();
});

test('recommendAsync fetches what it misses and then ranks as the whole pack', async () => {
  const {whole, sharded} = await pair();
  const queries = [
    {context: 'home', limit: 10},
    {context: 'item', itemId: '306', limit: 10},
    {context: 'item', itemId: '77', limit: 10, filter: {maxPerCategory: 3}},
    {context: 'cart', itemIds: ['9', '13'], limit: 6},
  ];
  for (const q of queries) {
    const list = await sharded.recommendAsync(q);
    assert.deepEqual(list.missingShards, []);
    assert.deepEqual(plain(list), plain(whole.recommend(q)), JSON.stringify(q));
  }
  const fetched = requests.filter((r) => r.includes('/shards/'));
  assert.equal(new Set(fetched).size, fetched.length, 'each shard fetched once');
  for (const v of [whole, sharded]) await v.close();
});

test('shardUrl places the shards; a pack from bytes needs it', async () => {
  const seen = [];
  const v = await fresh({
    pack: new Uint8Array(HEAD),
    shardUrl: (index, digest) => {
      seen.push(index);
      return `${base}/p/shards/${digest}.vpk`;
    }
  });
  const list = await v.recommendAsync({context: 'item', itemId: '306'});
  assert.ok(seen.length >= 1);
  assert.ok(list.some((r) => r.reason.itemId === '306'));
  await v.close();

  const bare = await fresh({pack: new Uint8Array(HEAD)});
  await assert.rejects(
      bare.recommendAsync({context: 'item', itemId: '306'}),
      {code: 'invalid_argument', message: /shardUrl/});
  await bare.close();
  await assert.rejects(
      fresh({shardUrl: 'shards/'}), {code: 'invalid_argument', message: /shardUrl/});
});

test('a bad shard rejects with data_loss and changes nothing', async () => {
  const v = await fresh({pack: `${base}/p/head.vpk`});
  const q = {context: 'item', itemId: '306'};
  const before = v.recommend(q);
  corrupt = true;
  try {
    await assert.rejects(v.recommendAsync(q), {code: 'data_loss', message: /SHA-256/});
  } finally {
    corrupt = false;
  }
  assert.deepEqual(plain(v.recommend(q)), plain(before));
  assert.deepEqual(v.recommend(q).missingShards, before.missingShards);
  // The next call tries again, and the good bytes are taken.
  assert.deepEqual((await v.recommendAsync(q)).missingShards, []);
  await v.close();
  const whole = await fresh({pack: new Uint8Array(WHOLE)});
  await assert.rejects(whole.loadShards([0]), {code: 'failed_precondition'});
  await whole.close();
});
