// A sharded pack through the built package: the head alone, the shards a query misses,
// recommendAsync fetching them (and then ranking as the whole pack), shardUrl, bad shards.
// Fixture: tests/data/shards, cut from tests/fuzz/corpus/pack/catalog.vpk by
//   build/tools/vitrine-pack shard --in tests/fuzz/corpus/pack/catalog.vpk \
//     --out tests/data/shards --shards 4
// and tests/data/shards-blocks, the same with `--block 2` (a two-level directory).
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
const BLOCKS_DIR = new URL('../data/shards-blocks/', import.meta.url);
const BLOCKS_HEAD = await readFile(new URL('head.vpk', BLOCKS_DIR));
const BLOCKS = new Map();
for (const name of await readdir(new URL('shards/', BLOCKS_DIR))) {
  BLOCKS.set(name, await readFile(new URL(`shards/${name}`, BLOCKS_DIR)));
}

let server;
let base;
const requests = [];
let corrupt = false;
before(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url);
    // /p/: the one-level cut; /b/: the two-level one (blocks .vdb beside the shards).
    const m = /^\/p\/shards\/([0-9a-f]{64}\.vpk)$/.exec(req.url);
    const b = /^\/b\/shards\/([0-9a-f]{64}\.(vpk|vdb))$/.exec(req.url);
    let body = req.url === '/p/head.vpk' ? HEAD :
        req.url === '/b/head.vpk'        ? BLOCKS_HEAD :
        m                                ? SHARDS.get(m[1]) :
        b                                ? BLOCKS.get(b[1]) :
                                           undefined;
    if (!body) return res.writeHead(404).end();
    if (corrupt && (m || (b && corrupt === b[2]))) {
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

test(
    'a two-level directory: each block fetched once before its shards, then the same lists',
    async () => {
      const {whole, sharded} = await pair();
      await sharded.close();
      const v = await fresh({pack: `${base}/b/head.vpk`});
      await v.consent.set({personalization: true});
      for (const id of ['306', '9', '41', '120']) v.track(view(id));
      assert.equal(v.pack.shards, 4);
      assert.ok(v.pack.bytes < HEAD.length, 'two block digests instead of four shard digests');
      const from = requests.length;
      for (const q
               of [{context: 'item', itemId: '306', limit: 10}, {context: 'home', limit: 10},
                   {context: 'cart', itemIds: ['9', '13'], limit: 6}]) {
        assert.deepEqual(
            plain(await v.recommendAsync(q)), plain(whole.recommend(q)), JSON.stringify(q));
      }
      const fetched = requests.slice(from);
      const blocks = fetched.filter((r) => r.endsWith('.vdb'));
      assert.ok(blocks.length >= 1 && blocks.length <= 2, JSON.stringify(fetched));
      assert.equal(new Set(fetched).size, fetched.length, 'each file fetched once');
      // The shards are the one-level cut's bytes; each came after its block.
      for (const r of fetched.filter((r) => r.endsWith('.vpk'))) {
        assert.ok(SHARDS.has(r.slice(r.lastIndexOf('/') + 1)), r);
      }
      assert.ok(
          fetched.findIndex((r) => r.endsWith('.vdb')) <
          fetched.findIndex((r) => r.endsWith('.vpk')));
      for (const x of [whole, v]) await x.close();

      // shardUrl is told which kind of file it places.
      const kinds = [];
      const placed = await fresh({
        pack: new Uint8Array(BLOCKS_HEAD),
        shardUrl: (index, digest, kind) => {
          kinds.push(kind);
          return `${base}/b/shards/${digest}.${kind === 'block' ? 'vdb' : 'vpk'}`;
        }
      });
      await placed.recommendAsync({context: 'item', itemId: '306'});
      assert.equal(kinds[0], 'block');
      assert.ok(kinds.includes('shard'));
      await placed.close();

      // A bad block: data_loss, nothing changes, the next call tries again.
      const w = await fresh({pack: `${base}/b/head.vpk`});
      const q = {context: 'item', itemId: '306'};
      const before = w.recommend(q);
      corrupt = 'vdb';
      try {
        await assert.rejects(w.recommendAsync(q), {code: 'data_loss', message: /block.*SHA-256/});
      } finally {
        corrupt = false;
      }
      assert.deepEqual(w.recommend(q).missingShards, before.missingShards);
      assert.deepEqual((await w.recommendAsync(q)).missingShards, []);
      await w.close();
    });
