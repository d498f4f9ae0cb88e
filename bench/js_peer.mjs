// What the wasm build buys (issue 15): the package (js/dist, wasm) against a plain
// JavaScript peer of the same scoring (bench/lib/js-peer.mjs) on the same packs, the same
// histories and the same queries, in one run, in node and in Debian's Chromium. Every call
// of both is timed, and their lists are compared (items, order, scores): the parity share
// per context. Also times opening the pack in both. Prints one JSON object.
//
//   node bench/js_peer.mjs [--native build] [--data ../shared/data/diginetica]
//        [--tmp DIR] [--queries 3000] [--warmup 500] [--loads 5] [--no-browser] [--no-node]
//        [--dist DIR] [--interleave]
//   node bench/js_peer.mjs --report FILE    the Markdown tables of docs/benchmarks.md
//
// Packs and histories are those of bench/recommend_browser.mjs (DIGINETICA: prefixes of the
// test sessions replayed as view_item; synthetic 200k: recommend_bench.cpp's random walks),
// with the package's defaults (limit 20, no category cap, embeddings weight 0.2, the pack's
// fused scorer for home). Each implementation runs its own pass over all the points (warm-up
// first); --interleave runs both at each point instead, one after the other. The package gets the
// events through track(); the peer gets the same events as an array (it has no storage: the history
// is the page's to keep).
import {readFileSync} from 'node:fs';
import {availableParallelism, cpus, loadavg, tmpdir} from 'node:os';
import {basename, dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

import {chromiumRun} from './lib/chromium.mjs';
import {DIST, distHashes} from './lib/dist.mjs';
import {percentile} from './lib/stats.mjs';
import {planPacks, preparePacks} from './recommend_browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const CONTEXTS = ['home', 'item', 'cart'];

// --- the measurement, run as is in node and in the page (self-contained) ---------------

async function measurePeer(v, peer, {bytes, plan, warmup, loads, interleave}) {
  const now = () => performance.now();
  const open = {wasm: [], peer: [], peer_checksums: []};
  for (let i = 0; i < loads; ++i) {
    const t0 = now();
    await v.loadPack(bytes);
    open.wasm.push(now() - t0);
  }
  let rec = null;
  for (const checksums of [false, true]) {
    for (let i = 0; i < loads; ++i) {
      const t0 = now();
      const pack = peer.PeerPack.open(bytes, {verifyChecksums: checksums});
      rec = new peer.PeerRecommender(pack);
      open[checksums ? 'peer_checksums' : 'peer'].push(now() - t0);
    }
  }
  const contexts = ['home', 'item', 'cart'];
  const lat = {};
  const parity = {};
  for (const c of contexts) {
    lat[c] = {wasm: [], peer: [], peer_no_embeddings: []};
    parity[c] = {calls: 0, same_items: 0, same_scores: 0, same_reasons: 0, first_differences: []};
  }
  await v.consent.set({history: false, personalization: true});
  const reset = async () => {  // withdrawing 'history' erases it: a new shopper
    await v.consent.set({history: true});
    await v.consent.set({history: false});
    if (v.stats().historyEntries !== 0) throw new Error('the history was not emptied');
  };
  // The peer without its dense pass (no package counterpart): what the embeddings cost it.
  const noEmbeddings = {...peer.DEFAULT_WEIGHTS, embedding: 0};
  const reasonKey = (r) => `${r.source}|${r.itemId ?? ''}|${r.category ?? ''}`;
  const compact = (list) => list.map((x) => [x.itemId, x.score, reasonKey(x.reason)]);
  const expected = [];  // the package's lists, by call, for the peer's passes to compare
  const compare = (context, a, b, history, options) => {
    const p = parity[context];
    p.calls += 1;
    const items = a.length === b.length && a.every((x, i) => x[0] === b[i][0]);
    const scores = items && a.every((x, i) => x[1] === b[i][1]);
    const reasons = scores && a.every((x, i) => x[2] === b[i][2]);
    p.same_items += items;
    p.same_scores += scores;
    p.same_reasons += reasons;
    if (!reasons && p.first_differences.length < 3) {
      p.first_differences.push(
          {history: history.length, options, wasm: a.slice(0, 5), peer: b.slice(0, 5)});
    }
  };
  // One pass over the sessions: `run` lists which implementations are called at each point,
  // in that order; with one, each runs alone (a page runs one), without the other's
  // memory traffic between its calls.
  const pass = async (sessions, record, run) => {
    let point = 0, call = 0;
    const wasm = run.includes('wasm');
    for (const s of sessions) {
      if (wasm) await reset();
      const history = [];
      const cart = [];
      let k = 0;
      for (const q of s.queryAfter) {
        while (k < q) {
          const [id, event] = s.events[k++];
          if (wasm && !v.track({event, items: [{item_id: id}]}).ok) {
            throw new Error('track failed');
          }
          history.push({itemId: id, event});
          if (event === 'add_to_cart' && !cart.includes(id)) cart.push(id);
        }
        const last = s.events[q - 1][0];
        const options = {
          home: {context: 'home', limit: 20},
          item: {context: 'item', itemId: last, limit: 20},
          cart: {context: 'cart', itemIds: cart.length ? [...cart] : [last], limit: 20},
        };
        for (let c = 0; c < 3; ++c, ++call) {
          const context = contexts[(point + c) % 3];  // rotate which context runs first
          // Interleaved: which implementation goes first alternates.
          const order = point % 2 === 0 ? run : [...run].reverse();
          const got = {};
          for (const who of order) {
            const t0 = now();
            const r = who === 'wasm' ?
                v.recommend(options[context]) :
                who === 'peer' ?
                rec.recommend(history, options[context]) :
                rec.recommend(history, {...options[context], weights: noEmbeddings});
            const ms = now() - t0;
            if (record) lat[context][who].push(ms);
            got[who] = r;
          }
          if (!record) continue;
          if (got.wasm) expected[call] = compact(got.wasm);
          if (got.peer) {
            compare(context, expected[call], compact(got.peer), history, options[context]);
          }
        }
        ++point;
      }
    }
    if (wasm) await reset();
  };
  const runs = interleave ? [['wasm', 'peer']] : [['wasm'], ['peer']];
  if (v.pack.embeddingDim > 0) runs.push(['peer_no_embeddings']);
  for (const run of runs) {
    await pass(warmup, false, run);
    await pass(plan, true, run);
  }
  return {open, lat, parity, pack: v.pack};
}

// --- summaries ------------------------------------------------------------------------

const round = (x, d = 4) => (x === null || x === undefined ? null : +x.toFixed(d));

function summarize(values) {
  return {
    p50_ms: round(percentile(values, 50)),
    p99_ms: round(percentile(values, 99)),
    mean_ms: round(values.reduce((a, b) => a + b, 0) / values.length),
  };
}

function summarizeRun(run) {
  const open = Object.fromEntries(Object.entries(run.open).map(
      ([k, ms]) => [k, {first_ms: round(ms[0], 2), p50_ms: round(percentile(ms, 50), 2)}]));
  const cases = CONTEXTS.map((context) => {
    const wasm = summarize(run.lat[context].wasm);
    const peer = summarize(run.lat[context].peer);
    const noEmbeddings = run.lat[context].peer_no_embeddings;
    const p = run.parity[context];
    return {
      context,
      calls: p.calls,
      wasm,
      js_peer: peer,
      js_peer_without_embeddings: noEmbeddings.length ? summarize(noEmbeddings) : null,
      js_peer_over_wasm: {
        p50: round(peer.p50_ms / wasm.p50_ms, 2),
        p99: round(peer.p99_ms / wasm.p99_ms, 2),
        mean: round(peer.mean_ms / wasm.mean_ms, 2),
      },
      parity: {
        same_items_share: round(p.same_items / p.calls, 4),
        same_scores_share: round(p.same_scores / p.calls, 4),
        same_reasons_share: round(p.same_reasons / p.calls, 4),
        first_differences: p.first_differences,
      },
    };
  });
  return {open_ms: open, cases};
}

// --- node and Chromium ----------------------------------------------------------------

async function nodeRun(pack, arg, dist) {
  const {createVitrine} = await import(pathToFileURL(join(dist, 'vitrine.mjs')));
  const peer = await import(pathToFileURL(join(here, 'lib', 'js-peer.mjs')));
  const v = await createVitrine({storage: 'memory', namespace: `bench-js-peer-${pack.label}`});
  try {
    const file = readFileSync(pack.file);
    const bytes = file.buffer.slice(file.byteOffset, file.byteOffset + file.length);
    return await measurePeer(v, peer, {...arg, bytes});
  } finally {
    await v.close();
  }
}

async function chromiumRunAll(packs, plans, loads, interleave, dist) {
  const routes = {
    '/packs/': dirname(packs[0].file),
    '/vitrine/': dist,
    '/peer/': join(here, 'lib')
  };
  return chromiumRun(async ({page: first, url, context}) => {
    const cdp = await context.newCDPSession(first);
    const {product} = await cdp.send('Browser.getVersion');
    const out = {version: product.replace(/^[A-Za-z]+\//, ''), packs: {}};
    await first.close();
    for (const pack of packs) {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[chromium] ${e.message}`));
      await page.goto(`${url}/recommend.html`);
      await page.waitForFunction(() => window.vitrine);
      await page.addScriptTag({content: `${measurePeer}`});
      out.packs[pack.label] = await page.evaluate(async ({packUrl, arg}) => {
        const v = await window.vitrine.ready;
        const peer = await import('/peer/js-peer.mjs');
        const bytes = await (await fetch(packUrl, {credentials: 'omit'})).arrayBuffer();
        return {
          isolated: self.crossOriginIsolated,
          ...(await measurePeer(v, peer, {...arg, bytes}))
        };
      }, {
        packUrl: `/packs/${basename(pack.file)}`,
        arg: {...plans[pack.label], loads, interleave}
      });
      await page.close();
    }
    return out;
  }, routes, {isolated: true});
}

export async function runJsPeer({
  native = join(root, 'build'),
  data = resolve(root, '..', 'shared', 'data', 'diginetica'),
  tmp = join(tmpdir(), 'vitrine-recommend-bench'),
  queries = 3000,
  warmup = 500,
  loads = 5,
  browser = true,
  node = true,
  dist = DIST,
  interleave = false,
} = {}) {
  const loadavgStart = loadavg().map((x) => +x.toFixed(2));
  const distBefore = distHashes(dist);
  const packs = preparePacks({native, data, tmp});
  const plans = planPacks(packs, {data, queries, warmup});
  const nodeRuns = {};
  if (node) {
    for (const p of packs) {
      nodeRuns[p.label] = await nodeRun(p, {...plans[p.label], loads, interleave}, dist);
    }
  }
  const chrome = browser ? await chromiumRunAll(packs, plans, loads, interleave, dist) : null;
  const results = packs.map((p) => {
    const n = nodeRuns[p.label];
    const c = chrome?.packs[p.label];
    const summary = n?.pack ?? c?.pack;
    return {
      pack: p.label,
      items: summary.items,
      embedding_dim: summary.embeddingDim,
      bytes: summary.bytes,
      queries: plans[p.label].plan.reduce((a, s) => a + s.queryAfter.length, 0),
      node: n ? summarizeRun(n) : null,
      chromium: c ? summarizeRun(c) : null,
    };
  });
  return {
    bench: 'js_peer',
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      chromium: chrome?.version ?? null,
      chromium_cross_origin_isolated: chrome?.packs.diginetica?.isolated ?? null,
      nproc: availableParallelism(),
      cpu: cpus()[0]?.model ?? null,
      loadavg_start: loadavgStart,
      loadavg_end: loadavg().map((x) => +x.toFixed(2)),
      dist,
      dist_sha256: distBefore,
    },
    method: {
      wasm: 'the package (js/dist): track() each event, then recommend(options)',
      js_peer: 'bench/lib/js-peer.mjs: recommend(history, options), the same options',
      options: 'home {limit: 20}; item {itemId: last item, limit: 20}; ' +
          'cart {itemIds: carted items, else the last item, limit: 20}',
      order: interleave ?
          'per query point both run back to back, which one first alternating' :
          'one pass over all the points per implementation (each after its own warm-up)',
      js_peer_without_embeddings: 'a last pass of the peer with weights.embedding 0 (no ' +
          'package counterpart, not compared)',
      parity: 'same_items: the same item ids in the same order; same_scores: and equal ' +
          'scores; same_reasons: and equal reasons',
      open: 'wasm: loadPack(ArrayBuffer) (checksums verified in slices); js_peer: ' +
          'PeerPack.open + new PeerRecommender, without and with checksums',
      consent: {history: false, personalization: true},
      interleave,
      warmup_points: warmup,
      pack_loads: loads,
    },
    results,
  };
}

// The tables of docs/benchmarks.md from a result (also printed by bench/report.mjs).
export function markdown(result) {
  const out = [];
  const n = (x, d = 3) => (x === null || x === undefined ? 'n/a' : Number(x).toFixed(d));
  const ms = (c) => (c ? `${n(c.p50_ms)} / ${n(c.p99_ms)} / ${n(c.mean_ms)}` : 'n/a');
  const table = (head, rows) => {
    out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    for (const r of rows) out.push(`| ${r.join(' | ')} |`);
    out.push('');
  };
  const rows = [];
  const parity = [];
  const open = [];
  for (const r of result.results) {
    for (const runtime of ['chromium', 'node']) {
      const x = r[runtime];
      if (!x) continue;
      for (const c of x.cases) {
        rows.push([
          r.pack, runtime, c.context, ms(c.wasm), ms(c.js_peer),
          `${n(c.js_peer_over_wasm.p50, 2)} / ${n(c.js_peer_over_wasm.p99, 2)} / ${
              n(c.js_peer_over_wasm.mean, 2)}`,
          ms(c.js_peer_without_embeddings)
        ]);
        parity.push([
          r.pack, runtime, c.context, c.calls, n(c.parity.same_items_share, 4),
          n(c.parity.same_scores_share, 4), n(c.parity.same_reasons_share, 4)
        ]);
      }
      const o = x.open_ms;
      open.push([
        r.pack, runtime, `${n(o.wasm.first_ms, 1)} / ${n(o.wasm.p50_ms, 1)}`,
        `${n(o.peer.first_ms, 1)} / ${n(o.peer.p50_ms, 1)}`,
        `${n(o.peer_checksums.first_ms, 1)} / ${n(o.peer_checksums.p50_ms, 1)}`
      ]);
    }
  }
  table(
      [
        'pack', 'runtime', 'context', 'wasm p50 / p99 / mean ms', 'JS peer p50 / p99 / mean ms',
        'JS peer / wasm (p50 / p99 / mean)', 'JS peer without embeddings p50 / p99 / mean ms'
      ],
      rows);
  table(
      [
        'pack', 'runtime', 'context', 'calls', 'same top-20 items', 'same items and scores',
        'same items, scores and reasons'
      ],
      parity);
  table(
      [
        'pack', 'runtime', 'wasm loadPack ms (first / p50)', 'JS peer open ms (first / p50)',
        'JS peer open with checksums ms (first / p50)'
      ],
      open);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) &&
    process.argv[2] === '--report') {
  console.log(markdown(JSON.parse(readFileSync(process.argv[3], 'utf8'))).join('\n'));
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = {};
  const a = process.argv.slice(2);
  const values = {
    '--native': 'native',
    '--data': 'data',
    '--tmp': 'tmp',
    '--queries': 'queries',
    '--warmup': 'warmup',
    '--loads': 'loads',
    '--dist': 'dist',
  };
  for (let i = 0; i < a.length; ++i) {
    if (a[i] === '--interleave') {
      opts.interleave = true;
    } else if (a[i] === '--no-browser') {
      opts.browser = false;
    } else if (a[i] === '--no-node') {
      opts.node = false;
    } else if (values[a[i]] && a[i + 1] !== undefined) {
      const key = values[a[i]];
      opts[key] = ['queries', 'warmup', 'loads'].includes(key) ? Number(a[++i]) : resolve(a[++i]);
    } else {
      console.error(`unknown or incomplete argument ${a[i]}`);
      process.exit(2);
    }
  }
  console.log(JSON.stringify(await runJsPeer(opts), null, 2));
}
