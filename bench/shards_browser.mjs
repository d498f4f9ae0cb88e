// Sharded packs in Debian's Chromium over loopback (issue 12): what a home page and the
// product pages after it download, and how long a shard fetch plus the first
// recommendation takes. The pack is a head plus shards cut by `vitrine-pack shard`
// (e.g. of the synthetic million-item catalog of bench/synth_catalog.mjs). Prints JSON.
//
//   node bench/shards_browser.mjs --dir DIR --items N [--pages 10] [--shoppers 20] [--seed 5]
//
// DIR holds head.vpk and shards/<sha256>.vpk (and .vdb blocks). Each simulated shopper (a fresh
// browser profile, so an empty HTTP cache) opens the home page (loadPack(head) + recommend home),
// then `--pages` product pages: track view_item, then recommendAsync({context: 'item'}).
// Products are drawn as the synthetic sessions draw them (P(rank r) ~ 1/r; N = --items).
// Bytes: every .vpk response (raw, and gzip -6 of the file as a server would send it; the
// loopback server sends raw). Shards are served immutable: a shard seen before is not fetched
// again.
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';

import {createRandom} from '../demo-shop/prng.mjs';

import {launchChromium, serveFiles} from './lib/chromium.mjs';
import {percentile} from './lib/stats.mjs';
import {itemId, popularRank} from './synth_catalog.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parse(argv) {
  const o = {dir: null, items: 0, pages: 10, shoppers: 20, seed: 5};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o) || argv[i + 1] === undefined) {
      console.error(
          'usage: node bench/shards_browser.mjs --dir DIR --items N [--pages P] ' +
          '[--shoppers S] [--seed X]');
      process.exit(2);
    }
    o[key] = key === 'dir' ? argv[i + 1] : Number(argv[i + 1]);
  }
  if (!o.dir || !existsSync(join(o.dir, 'head.vpk')) || !(o.items > 0)) {
    console.error('shards_browser: --dir must hold head.vpk, --items must be the catalog size');
    process.exit(2);
  }
  return o;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    max: round(sorted[sorted.length - 1]),
  };
}

// Raw and gzip -6 bytes of a served file, from disk (the same bytes the server sends).
const sizeCache = new Map();
function sizes(dir, path) {
  const file = path.startsWith('/packs/shards/') ? join(dir, 'shards', path.slice(14)) :
                                                   join(dir, path.slice(7));
  if (!sizeCache.has(file)) {
    const body = readFileSync(file);
    sizeCache.set(file, {bytes: body.length, gzip: gzipSync(body, {level: 6}).length});
  }
  return sizeCache.get(file);
}

async function shopper(server, o, rnd) {
  const {context, close} = await launchChromium();
  try {
    const page = await context.newPage();
    const got = [];  // {path, bytes, gzip} per .vpk or .vdb response, in order
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.vpk') || path.endsWith('.vdb'))
        got.push({path, status: r.status(), ...sizes(o.dir, path)});
    });
    const base = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${base}/recommend.html`);
    await page.evaluate(() => window.vitrine.ready);
    const settle = () => page.waitForTimeout(50);  // response events reach node a bit later
    const bytesSince = (from) => got.slice(from).reduce(
        (a, e) => ({bytes: a.bytes + e.bytes, gzip: a.gzip + e.gzip, requests: a.requests + 1}),
        {bytes: 0, gzip: 0, requests: 0});

    const home = await page.evaluate(async () => {
      const v = window.vitrine;
      await v.consent.set({personalization: true});
      const t0 = performance.now();
      const pack = await v.loadPack('/packs/head.vpk');
      const list = v.recommend({context: 'home', limit: 20});
      return {ms: performance.now() - t0, items: list.length, pack};
    });
    await settle();
    const homeBytes = bytesSince(0);
    const pages = [];
    for (let k = 0; k < o.pages; ++k) {
      const id = itemId(popularRank(o.items, rnd.next()));
      const from = got.length;
      const r = await page.evaluate(async (id) => {
        const v = window.vitrine;
        v.track({event: 'view_item', items: [{item_id: id}]});
        const t0 = performance.now();
        const list = await v.recommendAsync({context: 'item', itemId: id, limit: 20});
        const ms = performance.now() - t0;
        return {
          ms,
          items: list.length,
          related:
              list.filter((x) => x.reason.source !== 'popularity' && x.reason.source !== 'segment')
                  .length
        };
      }, id);
      await settle();
      pages.push({...r, ...bytesSince(from)});
    }
    const from = got.length;
    const back = await page.evaluate(async () => {
      const t0 = performance.now();
      const list = await window.vitrine.recommendAsync({context: 'home', limit: 20});
      return {ms: performance.now() - t0, items: list.length};
    });
    await settle();
    return {home: {...home, ...homeBytes}, pages, homeAgain: {...back, ...bytesSince(from)}};
  } finally {
    await close();
  }
}

async function main() {
  const o = parse(process.argv.slice(2));
  const dir = resolve(o.dir);
  const server = await serveFiles(
      {
        '/packs/shards/': join(dir, 'shards'),
        '/packs/': dir,
        '/vitrine/': join(root, 'js/dist'),
        '/': join(root, 'bench/pages'),
      },
      {headers: {'cache-control': 'public, max-age=31536000, immutable'}});
  const rnd = createRandom(o.seed);
  const runs = [];
  try {
    for (let s = 0; s < o.shoppers; ++s) runs.push(await shopper(server, o, rnd));
  } finally {
    server.close();
  }
  const pages = runs.flatMap((r) => r.pages);
  const fetching = pages.filter((p) => p.requests > 0);
  console.log(
      JSON.stringify(
          {
            bench: 'shards_browser',
            dir,
            items: o.items,
            shoppers: o.shoppers,
            pagesPerShopper: o.pages,
            head: {items: runs[0].home.pack.items, shards: runs[0].home.pack.shards},
            home: {
              packGzipBytes: summary(runs.map((r) => r.home.gzip)),
              packBytes: summary(runs.map((r) => r.home.bytes)),
              loadPackAndRecommendMs: summary(runs.map((r) => r.home.ms)),
              recommendations: summary(runs.map((r) => r.home.items)),
            },
            productPage: {
              gzipBytes: summary(pages.map((p) => p.gzip)),
              bytes: summary(pages.map((p) => p.bytes)),
              shardRequests: summary(pages.map((p) => p.requests)),
              recommendAsyncMs: summary(pages.map((p) => p.ms)),
              recommendAsyncMsWhenFetching: fetching.length ? summary(fetching.map((p) => p.ms)) :
                                                              null,
              relatedItems: summary(pages.map((p) => p.related)),
            },
            homeAfterProducts:
                {
                  gzipBytes: summary(runs.map((r) => r.homeAgain.gzip)),
                  recommendAsyncMs: summary(runs.map((r) => r.homeAgain.ms)),
                },
          },
          null, 2));
}

await main();
