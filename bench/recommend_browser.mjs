// Recommend latency through the public package: the script-tag build (js/dist/vitrine.js)
// in Debian's Chromium, and the ES module (js/dist/vitrine.mjs) in node, on the DIGINETICA
// pack and on a synthetic 200k-item pack. Histories are real: every call follows events
// replayed with track() (personalization granted, history not), the way a page feeds the
// engine, and the benchmark checks that the recommendations cite those history items.
// Also times loading the pack (fetch + open) and checks the budgets. Prints one JSON object.
//
//   node bench/recommend_browser.mjs [--native build] [--data ../shared/data/diginetica]
//        [--tmp DIR] [--queries 3000] [--warmup 500] [--loads 5] [--no-browser] [--no-node]
//        [--wasm FILE] [--dist DIR]
//
// --queries: history points per pack; each point times recommend({limit: 20}) in the three
// contexts. DIGINETICA: the first N prefixes of the test sessions, in file order (the
// histories of bench/recommend_bench.cpp). Synthetic: the N random walks of
// recommend_bench.cpp (same generator and seed; every 7th event an add_to_cart).
// --wasm: use another build of vitrine.wasm (same JS glue), e.g. to measure other flags.
// --dist: another copy of js/dist (bench/run.mjs passes a snapshot: others rebuild js/dist).
// Packs are cached in --tmp (shared with recommend_bench.mjs) and rebuilt when missing or
// older than the tool that builds them.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, statSync} from 'node:fs';
import {availableParallelism, cpus, loadavg, tmpdir} from 'node:os';
import {basename, dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {gzipSync} from 'node:zlib';

import {chromiumRun} from './lib/chromium.mjs';
import {DIST, distHashes} from './lib/dist.mjs';
import {percentile} from './lib/stats.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONTEXTS = ['home', 'item', 'cart'];
export const BUDGETS = {
  p99MsSynthetic200kChromium: 3,
  digineticaPackGzipBytes: 3_000_000,  // "3 MB"; also under 3 MiB (3,145,728)
};

// --- packs ----------------------------------------------------------------------------

function newerThan(file, tool) {
  return existsSync(file) && statSync(file).mtimeMs > statSync(tool).mtimeMs;
}

function timed(cmd, args) {
  const t0 = performance.now();
  const out = execFileSync(
      cmd, args, {encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe']});
  return {out, ms: performance.now() - t0};
}

export function preparePacks({native, data, tmp}) {
  mkdirSync(tmp, {recursive: true});
  const packTool = join(native, 'tools', 'vitrine-pack');
  const benchTool = join(native, 'tools', 'vitrine-recommend-bench');
  for (const f of [packTool, benchTool]) {
    if (!existsSync(f)) throw new Error(`missing ${f}: build the native tree first`);
  }
  const dg = join(tmp, 'diginetica.vpk');
  let dgBuild = {cached: true, ms: null};
  if (!newerThan(dg, packTool)) {
    const r = timed(packTool, [
      '--quiet', '--sessions', join(data, 'train_sessions.txt'), '--min-support', '2', '-o', dg
    ]);
    dgBuild = {cached: false, ms: +r.ms.toFixed(1)};
  }
  const synth = join(tmp, 'synthetic-200k.vpk');
  let synthBuild = {cached: true, ms: null};
  if (!newerThan(synth, benchTool)) {
    const r = timed(benchTool, ['--make-synthetic', synth, '--items', '200000']);
    synthBuild = {cached: false, ms: JSON.parse(r.out).build_ms};
  }
  return [
    {label: 'diginetica', file: dg, build: dgBuild},
    {label: 'synthetic-200k', file: synth, build: synthBuild},
  ];
}

// --- histories ------------------------------------------------------------------------
// A plan is a list of sessions: { events: [[itemId, eventName], ...], queryAfter: [k, ...] }.
// The engine's history is emptied before each session; after k events a query point times
// one recommend() per context.

function digineticaPlan(file, points) {
  const plan = [];
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (total >= points) break;
    const ids = line.trim().split(/\s+/).filter(Boolean);
    if (ids.length === 0) continue;
    const n = Math.min(ids.length, points - total);
    plan.push({
      events: ids.slice(0, n).map((id) => [id, 'view_item']),
      queryAfter: Array.from({length: n}, (_, k) => k + 1),
    });
    total += n;
  }
  return plan;
}

// recommend_bench.cpp's xorshift64* and its random walks (Rng rng(7)), item i = SKU-%07u.
function syntheticPlan(items, points) {
  const M = (1n << 64n) - 1n;
  let s = 7n;
  const next = () => {
    s ^= s >> 12n;
    s = (s ^ (s << 25n)) & M;
    s ^= s >> 27n;
    return (s * 2685821657736338717n) & M;
  };
  const below = (n) => Number(next() % BigInt(n));
  const sku = (i) => `SKU-${String(i).padStart(7, '0')}`;
  const plan = [];
  for (let q = 0; q < points; ++q) {
    let x = below(items);
    const len = 1 + below(15);
    const events = [];
    for (let k = 0; k < len; ++k) {
      events.push([sku(x), k % 7 === 6 ? 'add_to_cart' : 'view_item']);
      x = (x + 1 + below(20)) % items;
    }
    plan.push({events, queryAfter: [len]});
  }
  return plan;
}

function headOfPlan(plan, points) {
  const out = [];
  let total = 0;
  for (const s of plan) {
    if (total >= points) break;
    const queryAfter = s.queryAfter.slice(0, points - total);
    out.push({events: s.events, queryAfter});
    total += queryAfter.length;
  }
  return out;
}

// --- the measurement, run as is in node and in the page (self-contained) ---------------

async function measureRecommend(v, {plan, warmup}) {
  const contexts = ['home', 'item', 'cart'];
  const lat = {home: [], item: [], cart: []};
  const check = {
    homeCalls: 0,
    homeCallsCitingHistory: 0,
    results: 0,
    calls: 0,
    maxHistoryEntries: 0,
    trackErrors: 0
  };
  await v.consent.set({history: false, personalization: true});
  // Withdrawing 'history' erases the history at once: a new shopper for every session.
  const reset = async () => {
    await v.consent.set({history: true});
    await v.consent.set({history: false});
    if (v.stats().historyEntries !== 0) throw new Error('the history was not emptied');
  };
  let point = 0;
  const pass = async (sessions, record) => {
    for (const s of sessions) {
      await reset();
      const seen = new Set();
      const cart = [];
      let k = 0;
      for (const q of s.queryAfter) {
        while (k < q) {
          const [id, event] = s.events[k++];
          if (!v.track({event, items: [{item_id: id}]}).ok) ++check.trackErrors;
          seen.add(id);
          if (event === 'add_to_cart' && !cart.includes(id)) cart.push(id);
        }
        const last = s.events[q - 1][0];
        const options = {
          home: {context: 'home', limit: 20},
          item: {context: 'item', itemId: last, limit: 20},
          // The page passes its cart; with views only, the product just seen.
          cart: {context: 'cart', itemIds: cart.length ? [...cart] : [last], limit: 20},
        };
        for (let c = 0; c < 3; ++c) {
          const context = contexts[(point + c) % 3];  // rotate which context runs first
          const t0 = performance.now();
          const r = v.recommend(options[context]);
          const ms = performance.now() - t0;
          if (!record) continue;
          lat[context].push(ms);
          check.calls += 1;
          check.results += r.length;
          if (context === 'home') {
            check.homeCalls += 1;
            if (r.some((x) => x.reason.source !== 'popularity' && seen.has(x.reason.itemId))) {
              check.homeCallsCitingHistory += 1;
            }
          }
        }
        ++point;
        if (record) {
          check.maxHistoryEntries = Math.max(check.maxHistoryEntries, v.stats().historyEntries);
        }
      }
    }
  };
  await pass(warmup, false);
  await pass(plan, true);
  await reset();
  return {lat, check};
}

function timerResolutionMs() {
  let min = Infinity;
  let last = performance.now();
  for (let i = 0; i < 200000; ++i) {
    const t = performance.now();
    if (t > last) {
      min = Math.min(min, t - last);
      last = t;
    }
  }
  return min;
}

// --- summaries ------------------------------------------------------------------------

const round = (x, d = 4) => (x === null || x === undefined ? null : +x.toFixed(d));

function summarize(values) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    calls: values.length,
    p50_ms: round(percentile(values, 50)),
    p99_ms: round(percentile(values, 99)),
    mean_ms: round(mean),
    max_ms: round(Math.max(...values)),
  };
}

function summarizeRun({lat, check}) {
  const cases = Object.fromEntries(CONTEXTS.map((c) => [c, summarize(lat[c])]));
  return {
    cases,
    history: {
      home_calls_citing_history_share: round(check.homeCallsCitingHistory / check.homeCalls, 3),
      max_history_entries: check.maxHistoryEntries,
      mean_results: round(check.results / check.calls, 2),
      track_errors: check.trackErrors,
      used: check.homeCallsCitingHistory > 0,
    },
  };
}

function loadSummary(ms) {
  return {first_ms: round(ms[0], 2), p50_ms: round(percentile(ms, 50), 2)};
}

// --- node ----------------------------------------------------------------------------

async function nodeRun(pack, plan, warmup, loads, wasm, dist) {
  const {createVitrine} = await import(pathToFileURL(join(dist, 'vitrine.mjs')));
  const options = {storage: 'memory', namespace: `bench-recommend-${pack.label}`};
  if (wasm) options.wasmBinary = readFileSync(wasm);
  const v = await createVitrine(options);
  try {
    const read = [];
    const open = [];
    for (let i = 0; i < loads; ++i) {
      const t0 = performance.now();
      const bytes = readFileSync(pack.file);
      const t1 = performance.now();
      await v.loadPack(bytes);
      open.push(performance.now() - t1);
      read.push(t1 - t0);
    }
    const summary = v.pack;
    const run = await measureRecommend(v, {plan, warmup});
    return {pack: summary, load: {read: loadSummary(read), open: loadSummary(open)}, ...run};
  } finally {
    await v.close();
  }
}

// --- Chromium -------------------------------------------------------------------------

async function chromiumRunAll(packs, plans, loads, wasm, dist) {
  const routes = {'/packs/': dirname(packs[0].file), '/vitrine/': dist};
  if (wasm) routes['/engine/'] = dirname(resolve(wasm));
  const query = wasm ? `?wasm=/engine/${basename(wasm)}` : '';
  return chromiumRun(async ({page: first, url, context}) => {
    // The user agent says 156.0.0.0 (reduced); the DevTools protocol has the full version.
    const cdp = await context.newCDPSession(first);
    const {product} = await cdp.send('Browser.getVersion');
    const out = {version: product.replace(/^[A-Za-z]+\//, ''), packs: {}};
    await first.close();
    for (const pack of packs) {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[chromium] ${e.message}`));
      await page.goto(`${url}/recommend.html${query}`);
      await page.waitForFunction(() => window.vitrine);
      await page.addScriptTag({content: `${measureRecommend}\n${timerResolutionMs}`});
      const packUrl = `/packs/${basename(pack.file)}`;
      const env = await page.evaluate(async () => {
        await window.vitrine.ready;
        return {isolated: self.crossOriginIsolated, timerResolutionMs: timerResolutionMs()};
      });
      const load = await page.evaluate(async ({packUrl, loads}) => {
        const v = await window.vitrine.ready;
        const total = [];
        const fetchMs = [];
        const openMs = [];
        for (let i = 0; i < loads; ++i) {
          const t0 = performance.now();
          await v.loadPack(packUrl);
          total.push(performance.now() - t0);
        }
        for (let i = 0; i < loads; ++i) {
          const t0 = performance.now();
          const response = await fetch(packUrl, {credentials: 'omit'});
          const bytes = await response.arrayBuffer();
          const t1 = performance.now();
          await v.loadPack(bytes);
          openMs.push(performance.now() - t1);
          fetchMs.push(t1 - t0);
        }
        return {total, fetchMs, openMs, pack: v.pack};
      }, {packUrl, loads});
      const run = await page.evaluate(async (arg) => {
        return measureRecommend(await window.vitrine.ready, arg);
      }, plans[pack.label]);
      out.packs[pack.label] = {env, load, run};
      await page.close();
    }
    return out;
  }, routes, {isolated: true});
}

// --- the benchmark --------------------------------------------------------------------

// Each pack's history points and its warm-up (the head of them), by pack label.
export function planPacks(packs, {data, queries, warmup}) {
  const plans = {};
  for (const p of packs) {
    const plan = p.label === 'diginetica' ?
        digineticaPlan(join(data, 'test_sessions.txt'), queries) :
        syntheticPlan(200000, queries);
    plans[p.label] = {plan, warmup: headOfPlan(plan, warmup)};
  }
  return plans;
}

export async function runRecommendBrowser({
  native = join(root, 'build'),
  data = resolve(root, '..', 'shared', 'data', 'diginetica'),
  tmp = join(tmpdir(), 'vitrine-recommend-bench'),
  queries = 3000,
  warmup = 500,
  loads = 5,
  browser = true,
  node = true,
  wasm = null,
  dist = DIST,
} = {}) {
  // Other work on the machine shows in the tails: the load average goes in the output.
  const loadavgStart = loadavg().map((x) => +x.toFixed(2));
  const distBefore = distHashes(dist);
  const packs = preparePacks({native, data, tmp});
  const plans = planPacks(packs, {data, queries, warmup});

  const nodeResults = {};
  if (node) {
    for (const p of packs) {
      nodeResults[p.label] =
          await nodeRun(p, plans[p.label].plan, plans[p.label].warmup, loads, wasm, dist);
    }
  }
  const chrome = browser ? await chromiumRunAll(packs, plans, loads, wasm, dist) : null;

  const results = packs.map((p) => {
    const raw = readFileSync(p.file);
    const n = nodeResults[p.label];
    const c = chrome?.packs[p.label];
    const summary = n?.pack ?? c?.load.pack;
    const nodeSum = n ? summarizeRun(n) : null;
    const chromeSum = c ? summarizeRun(c.run) : null;
    return {
      pack: p.label,
      items: summary.items,
      categories: summary.categories,
      embedding_dim: summary.embeddingDim,
      raw_bytes: raw.length,
      gzip_bytes: gzipSync(raw, {level: 9}).length,
      build: p.build,
      queries: plans[p.label].plan.reduce((a, s) => a + s.queryAfter.length, 0),
      sessions: plans[p.label].plan.length,
      load_ms: {
        chromium: c ? {
          fetch_and_open: loadSummary(c.load.total),
          fetch: loadSummary(c.load.fetchMs),
          open: loadSummary(c.load.openMs),
        } :
                      null,
        node: n ? {read_file: n.load.read, open: n.load.open} : null,
      },
      history_check: {chromium: chromeSum?.history ?? null, node: nodeSum?.history ?? null},
      cases: CONTEXTS.map((context) => ({
                            context,
                            chromium: chromeSum?.cases[context] ?? null,
                            node: nodeSum?.cases[context] ?? null,
                          })),
    };
  });

  const synth = results.find((r) => r.pack === 'synthetic-200k');
  const dg = results.find((r) => r.pack === 'diginetica');
  const p99 = chrome ? Math.max(...synth.cases.map((c) => c.chromium.p99_ms)) : null;
  const budgets = {
    synthetic_200k_p99_ms_chromium: {
      max: BUDGETS.p99MsSynthetic200kChromium,
      measured: p99,
      met: p99 === null ? null : p99 <= BUDGETS.p99MsSynthetic200kChromium,
    },
    diginetica_pack_gzip_bytes: {
      max: BUDGETS.digineticaPackGzipBytes,
      measured: dg.gzip_bytes,
      met: dg.gzip_bytes <= BUDGETS.digineticaPackGzipBytes,
    },
  };
  const verdicts = Object.values(budgets).map((b) => b.met);
  budgets.met = verdicts.includes(false) ? false : verdicts.includes(null) ? null : true;
  const historyUsed = results.every(
      (r) => (r.history_check.chromium?.used ?? true) && (r.history_check.node?.used ?? true));

  return {
    bench: 'recommend_browser',
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      chromium: chrome?.version ?? null,
      chromium_cross_origin_isolated: chrome?.packs.diginetica.env.isolated ?? null,
      chromium_timer_resolution_ms: chrome ? round(chrome.packs.diginetica.env.timerResolutionMs) :
                                             null,
      nproc: availableParallelism(),
      cpu: cpus()[0]?.model ?? null,
      loadavg_start: loadavgStart,
      loadavg_end: loadavg().map((x) => +x.toFixed(2)),
      dist,
      wasm: wasm ? resolve(wasm) : join(dist, 'vitrine.wasm'),
      dist_sha256: distBefore,
      dist_changed_during_run: JSON.stringify(distHashes(dist)) !== JSON.stringify(distBefore),
    },
    method: {
      api: 'recommend({context, itemId, itemIds, limit: 20}); default weights and filters',
      chromium: 'script tag js/dist/vitrine.js, pack fetched over loopback HTTP',
      node: 'ES module js/dist/vitrine.mjs, pack as bytes',
      histories: {
        diginetica: 'prefixes of the test sessions in file order, replayed as view_item',
        'synthetic-200k': 'recommend_bench.cpp random walks (seed 7), 1-15 events, ' +
            'every 7th an add_to_cart',
      },
      item_context: 'itemId = the last item of the history',
      cart_context: 'itemIds = the carted items of the history, else the last item',
      consent: {history: false, personalization: true},
      warmup_points: warmup,
      pack_loads: loads,
    },
    history_used: historyUsed,
    results,
    budgets,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = {};
  const a = process.argv.slice(2);
  const values = {
    '--native': 'native',
    '--data': 'data',
    '--tmp': 'tmp',
    '--queries': 'queries',
    '--warmup': 'warmup',
    '--loads': 'loads',
    '--wasm': 'wasm',
    '--dist': 'dist',
  };
  for (let i = 0; i < a.length; ++i) {
    if (a[i] === '--no-browser') {
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
  console.log(JSON.stringify(await runRecommendBrowser(opts), null, 2));
}
