// The JavaScript peer of the benchmark (bench/lib/js-peer.mjs) against the built package:
// the same histories and queries must give the same lists, item for item, score for score,
// reason for reason, or bench/js_peer.mjs compares two different things. Packs: catalog.vpk
// (co-view relations, two categories), otto.vpk (co-purchase), stats_fusion.vpk (statistics
// and fusion for home), and a synthetic pack with all of those and embeddings, built by
//   build/tools/vitrine-recommend-bench --make-synthetic F --items 600 \
//     --sessions-count 3000 --dim 8 [--embed-index on]
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';

import {PeerPack, PeerRecommender} from '../../bench/lib/js-peer.mjs';

import {fresh} from './helpers.mjs';

const corpus = (name) => readFileSync(new URL(`../fuzz/corpus/pack/${name}`, import.meta.url));

function syntheticPack(extra = []) {
  const tool = new URL('../../build/tools/vitrine-recommend-bench', import.meta.url).pathname;
  if (!existsSync(tool)) throw new Error(`missing ${tool}: run make native first`);
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-js-peer-'));
  try {
    const file = join(dir, 'synthetic.vpk');
    execFileSync(
        tool,
        [
          '--make-synthetic', file, '--items', '600', '--sessions-count', '3000', '--dim', '8',
          ...extra
        ],
        {stdio: 'ignore'});
    return readFileSync(file);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

// xorshift32: the same histories on every run.
function rng(seed) {
  let s = seed;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

const EVENTS = [
  'view_item', 'view_item', 'view_item', 'view_item', 'select_item', 'add_to_cart', 'add_to_cart',
  'remove_from_cart', 'begin_checkout', 'purchase', 'view_item_list', 'add_shipping_info', 'refund'
];

const plain = (list) => list.map((r) => ({
                                   itemId: r.itemId,
                                   score: r.score,
                                   source: r.reason.source,
                                   reasonItem: r.reason.itemId ?? null,
                                   category: r.reason.category ?? null,
                                 }));

// Sessions of random walks over the pack's ids (plus an id it does not know), a query
// after every event in the three contexts with a few filter variants. Returns the count
// of queries and of lists that came from the scored candidates (not popularity only).
async function compare(bytes, seed, {sessions = 12, length = 14} = {}) {
  const pack = PeerPack.open(bytes, {verifyChecksums: true});
  const peer = new PeerRecommender(pack);
  const v = await fresh({pack: new Uint8Array(bytes)});
  await v.consent.set({history: false, personalization: true});
  const next = rng(seed);
  let queries = 0, scored = 0;
  const ids = Array.from({length: pack.items}, (_, i) => pack.itemId(i));
  try {
    for (let s = 0; s < sessions; ++s) {
      await v.consent.set({history: true});
      await v.consent.set({history: false});  // withdrawing erases: a new shopper
      const history = [];
      const cart = [];
      let x = next(ids.length);
      for (let k = 0; k < length; ++k) {
        const id = next(20) === 0 ? 'not-in-the-pack' : ids[x];
        const event = EVENTS[next(EVENTS.length)];
        assert.equal(v.track({event, items: [{item_id: id}]}).ok, true);
        history.push({itemId: id, event});
        if (event === 'add_to_cart' && !cart.includes(id)) cart.push(id);
        x = (x + 1 + next(8)) % ids.length;
        const variant = next(4);
        const filter = variant === 1 ? {maxPerCategory: 2} :
            variant === 2            ? {excludeUnavailable: false, excludeItems: [ids[x]]} :
            variant === 3            ? {category: pack.categories ? pack.categoryName(0) : 'none'} :
                                       {};
        const all = [
          {context: 'home', limit: 20, filter},
          {context: 'item', itemId: id, limit: 20, filter},
          {context: 'cart', itemIds: cart.length ? [...cart] : [id], limit: 12, filter},
        ];
        for (const options of all) {
          const expected = plain(v.recommend(options));
          const got = plain(peer.recommend(history, options));
          assert.deepEqual(got, expected, `${JSON.stringify(options)} after ${history.length}`);
          ++queries;
          if (expected.some((r) => r.source !== 'popularity' && r.source !== 'segment')) ++scored;
        }
      }
    }
  } finally {
    await v.close();
  }
  return {queries, scored};
}

test('the peer ranks as the package on a co-view pack with categories', async () => {
  const {queries, scored} = await compare(corpus('catalog.vpk'), 1);
  assert.ok(scored > queries / 2, `${scored} of ${queries} lists scored`);
});

test('the peer ranks as the package on a pack with co-purchases', async () => {
  const {queries, scored} = await compare(corpus('otto.vpk'), 2);
  assert.ok(scored > queries / 2, `${scored} of ${queries} lists scored`);
});

test('the peer ranks as the package with session statistics and the fusion', async () => {
  const bytes = corpus('stats_fusion.vpk');
  const pack = PeerPack.open(bytes);
  assert.ok(pack.stats !== null && pack.fusion !== null, 'the pack has SSTA and FUSN');
  const {queries, scored} = await compare(bytes, 3);
  assert.ok(scored > queries / 2, `${scored} of ${queries} lists scored`);
});

test('the peer ranks as the package with embeddings, statistics and fusion', async () => {
  const bytes = syntheticPack();
  const pack = PeerPack.open(bytes);
  assert.equal(pack.embeddingDim, 8);
  assert.ok(pack.stats !== null && pack.fusion !== null, 'the pack has SSTA and FUSN');
  const {queries, scored} = await compare(bytes, 4, {sessions: 10});
  assert.ok(scored > queries / 2, `${scored} of ${queries} lists scored`);
});

test('the peer ranks as the package with the embeddings in clusters (EIDX)', async () => {
  const bytes = syntheticPack(['--embed-index', 'on']);
  const pack = PeerPack.open(bytes);
  assert.ok(pack.clusters !== null && pack.clusters.count > 1, 'the pack has EIDX');
  const {queries, scored} = await compare(bytes, 5, {sessions: 8});
  assert.ok(scored > queries / 2, `${scored} of ${queries} lists scored`);
});

test('a bad pack is refused with an Error naming what is wrong', () => {
  const good = corpus('catalog.vpk');
  assert.throws(() => PeerPack.open(corpus('truncated')), /model pack: size mismatch/);
  assert.throws(() => PeerPack.open(corpus('magic_only')), /model pack: truncated header/);
  assert.throws(() => PeerPack.open(new Uint8Array(64)), /bad magic/);
  const flipped = new Uint8Array(good);
  flipped[good.length >> 1] ^= 0xff;  // inside a section
  assert.throws(() => PeerPack.open(flipped, {verifyChecksums: true}), /checksum mismatch/);
  // An item id out of range in a relation, with the checksums left unchecked.
  const bad = new Uint8Array(good);
  const dv = new DataView(bad.buffer);
  for (let s = 0; s < dv.getUint32(12, true); ++s) {
    const tag = String.fromCharCode(...bad.subarray(32 + 16 * s, 36 + 16 * s));
    if (tag !== 'RSEQ') continue;
    const off = dv.getUint32(36 + 16 * s, true);
    const n = dv.getUint32(off, true), width = dv.getUint32(off + 8, true);
    const ids = off + 1040 + 4 * (n + 1);
    if (width === 2)
      dv.setUint16(ids, 0xffff, true);
    else
      dv.setUint32(ids, 0xffffffff, true);
  }
  assert.throws(() => PeerPack.open(bad), /item out of range in RSEQ/);
});
