// What splitting the engine's wasm by page would save: the bytes of a first module that
// keeps only what a page can reach, and of a second one with the rest, loaded on demand
// (Binaryen's wasm-split; a call into the second module before it is loaded lands in a
// placeholder). Nothing ships from here: it measures, so that the page budget is argued
// from bytes (docs/benchmarks.md, "What a split of the wasm would save").
//
//   cmake --build build-wasm --target vitrine_wasm_names
//   node bench/wasm_split.mjs [--wasm build-wasm/wasm/vitrine-core-names.wasm] [--tmp DIR]
//                             [--pack FILE]
//
// The input is the shipped module linked with its functions' names (--profiling-funcs).
// It gets the shipped -O3 pass, then its call graph is read from wasm-dis's text. The first
// module keeps every function reachable by direct calls from the exports and the table
// (indirect calls, and Embind's bindings, which JS calls through the table), except the
// bindings a scenario moves out and the functions it cuts (a page that never scores `home`
// would reach the fused scorer through a pointer set by the second module). A cut is a lower
// bound: code the compiler inlined into a kept function stays.
// With --pack (a pack with session statistics, as bench/recommend_bench.mjs builds from
// DIGINETICA), each first module is also run alone through the package's own code for a
// product page's calls, with every placeholder throwing: the split holds when none is hit,
// and the product page's module, asked for `home`, must hit one (its cut took the scorer).
// Prints one JSON object; sizes are gzip -9 and brotli 11 (node's zlib), names stripped.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {check} from '../js/src/errors.js';
import {loadPack} from '../js/src/pack.js';
import {HISTORY, PERSONALIZATION} from '../js/src/purposes.js';

import {weigh} from './lib/weigh.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FEATURES = [
  '--enable-simd', '--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int'
];

// Bindings by their C++ names in wasm/*_bindings.cpp (the JS name in camelCase).
const SHARDS = ['add_shard', 'add_shard_block', 'shard_file', 'shard_buffer'];
const SCENARIOS = [
  {
    name: 'async-only',
    about: 'the bindings that only promise-returning methods call: export, import, shards',
    out: ['export_history', 'import_history', ...SHARDS],
    cut: [],
    homeReachesSecond: false,
  },
  {
    name: 'product-page',
    about: 'every binding the product page (history and personalization granted, rules) ' +
        'does not call, the home context\'s fused scorer and the sharded packs\' join',
    out: [
      'export_history', 'import_history', ...SHARDS, 'bestsellers', 'erase', 'remove_item',
      'block_interest', 'unblock_interest', 'shed_history', 'category_index'
    ],
    cut: [
      'StatsScorer::score', 'StatsScorer::top', 'stats_pass', 'det_log', 'det_exp', 'det_pow',
      'ShardSet::'
    ],
    // Only the home page asks for `home`: here it must reach the second module.
    homeReachesSecond: true,
  },
];

function parseArgs(argv) {
  const opts = {
    wasm: path.join(root, 'build-wasm', 'wasm', 'vitrine-core-names.wasm'),
    tmp: path.join(tmpdir(), 'vitrine-wasm-split'),
    pack: null,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = {'--wasm': 'wasm', '--tmp': 'tmp', '--pack': 'pack'}[argv[i]];
    if (!key || argv[i + 1] === undefined) {
      throw new Error(
          `unknown or incomplete argument ${argv[i]} (--wasm FILE, --tmp DIR, --pack FILE)`);
    }
    opts[key] = path.resolve(argv[i + 1]);
  }
  return opts;
}

const run = (cmd, args) => execFileSync(cmd, args, {encoding: 'utf8', maxBuffer: 1 << 28});

// { functions, calls: Map($name -> Set($name)), exported, table } ($names) from wasm-dis text;
// names stay in its escaped form, which is also how wasm-split matches them.
export function callGraph(wat) {
  const functions = [];
  const calls = new Map();
  const exported = [];
  const table = [];
  let current = null;
  for (const line of wat.split('\n')) {
    let m;
    if ((m = /^ \(func (\$\S+)/.exec(line))) {
      current = m[1];
      functions.push(current);
      calls.set(current, new Set());
    } else if (line.startsWith(' (elem')) {
      table.push(...line.split(' ').filter((t) => t.startsWith('$')));
    } else if ((m = /^ \((?:export "[^"]*" \(func|start) (\$[^\s)]+)/.exec(line))) {
      exported.push(m[1]);
    } else if (current) {
      const call = /\((?:call|return_call|ref\.func) (\$[^\s)]+)/g;
      while ((m = call.exec(line))) calls.get(current).add(m[1]);
    }
  }
  return {functions, calls, exported, table};
}

function bindingPattern(names) {
  return new RegExp(`::(${names.join('|')})\\\\28`);
}

export function keepList(graph, {out, cut}) {
  const moved = out.length ? bindingPattern(out) : null;
  const cutRe = cut.length ? new RegExp(cut.join('|')) : null;
  const isBinding = (f) => f.includes('ByHandle<');
  const roots =
      [...graph.exported, ...graph.table.filter((f) => !(moved && isBinding(f) && moved.test(f)))];
  const keep = new Set();
  const stack = [...roots];
  while (stack.length) {
    const f = stack.pop();
    if (keep.has(f) || (cutRe && cutRe.test(f))) continue;
    keep.add(f);
    for (const g of graph.calls.get(f) ?? []) stack.push(g);
  }
  // A binding or a cut that matches nothing is a name that changed: say so, not a quiet 0.
  const unmatched = [
    ...out.filter((b) => !graph.table.some((f) => isBinding(f) && bindingPattern([b]).test(f))),
    ...cut.filter((c) => !graph.functions.some((f) => f.includes(c))),
  ];
  return {keep: graph.functions.filter((f) => keep.has(f)), unmatched};
}

function stripped(file) {
  const out = file.replace(/\.wasm$/, '.stripped.wasm');
  run('wasm-opt', [...FEATURES, '--strip-debug', file, '-o', out]);
  return readFileSync(out);
}

// Instantiates a first module with the Emscripten glue of the names build; each placeholder
// records its index and throws.
async function loadFirst(wasm, firstFile, hits) {
  const {default: createCore} = await import(wasm.replace(/\.wasm$/, '.mjs'));
  const bytes = readFileSync(firstFile);
  const placeholder = new Proxy({}, {
    get: (_, index) => () => {
      hits.push(Number(index));
      throw new Error(`placeholder ${String(index)} called`);
    },
  });
  return createCore({
    print: () => {},
    printErr: () => {},
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(bytes, {...imports, placeholder})
          .then(({instance, module}) => receive(instance, module));
      return {};
    },
  });
}

// A product page's calls (index.js, pack.js, segments.js, with history and personalization
// granted): each [name, ok] in order; then `home`, which only the home page asks for.
async function productPageCalls(core, packBytes, hits, [first, second]) {
  const calls = [];
  const call = async (name, fn) => {
    const before = hits.length;
    let outcome = 'ok';
    try {
      await fn();
    } catch (error) {
      outcome = hits.length > before ? 'second module' : `failed: ${error.message}`;
    }
    calls.push([name, outcome]);
  };
  const now = Date.UTC(2026, 11, 1);
  const engine = core.engineNew();
  await call('setConsent', () => core.setConsent(engine, HISTORY | PERSONALIZATION));
  await call('setBlockedInterests', () => check(core.setBlockedInterests(engine, [])));
  await call('loadPack', () => loadPack(core, engine, packBytes, () => {}));
  const view = (id) => JSON.stringify(
      {event: 'view_item', items: [{item_id: id, item_category: 'c1', price: 12.5}]});
  await call('track', () => check(core.track(engine, view(first), now - 60000)));
  await call('track', () => check(core.track(engine, view(second), now)));
  await call('snapshotSince', () => check(core.snapshotSince(engine, now)));
  await call(
      'recentlyViewed', () => check(core.recentlyViewed(engine, 8, 30 * 864e5, false, '', now)));
  // The binding's arguments as options.js's recommendArgs() gives them.
  const query = (context, itemId) => [context, itemId, [], [], 8, '', 0, false, false, false];
  for (const context of ['item', 'cart']) {
    await call(
        `recommend ${context}`, () => check(core.recommend(engine, ...query(context, second))));
  }
  await call('segments', () => check(core.segments(engine, now)));
  await call('interests', () => check(core.interests(engine, now)));
  await call('blockedInterests', () => core.blockedInterests(engine));
  await call('stats', () => core.stats(engine));
  await call('enforceRetention', () => core.enforceRetention(engine, now));
  let bytes = null;
  await call('snapshot', () => (bytes = check(core.snapshot(engine)).bytes));
  const other = core.engineNew();
  await call('restore', () => {
    core.setConsent(other, HISTORY | PERSONALIZATION);
    check(core.restore(other, bytes));
  });
  await call('recommend home', () => check(core.recommend(engine, ...query('home', ''))));
  return calls;
}

// Two items of the pack, the first two a home page shows (the whole module, unsplit): the
// product page's history, so that item and cart scoring read relations, not only fillers.
async function homeItems(wasm, whole, packBytes) {
  const core = await loadFirst(wasm, whole, []);
  const engine = core.engineNew();
  await loadPack(core, engine, packBytes, () => {});
  const query = ['home', '', [], [], 2, '', 0, false, false, false];
  return check(core.recommend(engine, ...query)).items.map((r) => r.itemId);
}

export async function measureSplit({wasm, tmp, pack}) {
  if (!existsSync(wasm)) {
    throw new Error(`missing ${wasm}: cmake --build build-wasm --target vitrine_wasm_names`);
  }
  if (pack && !existsSync(pack)) {
    throw new Error(`missing ${pack}: node bench/recommend_bench.mjs builds it`);
  }
  mkdirSync(tmp, {recursive: true});
  const optimized = path.join(tmp, 'whole.wasm');
  run('wasm-opt', ['-O3', '-g', ...FEATURES, wasm, '-o', optimized]);
  const graph = callGraph(run('wasm-dis', [optimized]));
  const packBytes = pack ? readFileSync(pack) : null;
  const items = pack ? await homeItems(wasm, optimized, packBytes) : null;
  const result = {
    bench: 'wasm_split',
    input: path.relative(root, wasm),
    functions: graph.functions.length,
    whole: weigh(stripped(optimized)),
    scenarios: [],
  };
  for (const scenario of SCENARIOS) {
    const {keep, unmatched} = keepList(graph, scenario);
    if (unmatched.length) throw new Error(`${scenario.name}: no function matches ${unmatched}`);
    const list = path.join(tmp, `${scenario.name}.keep`);
    writeFileSync(list, keep.map((f) => f.slice(1)).join('\n') + '\n');
    const first = path.join(tmp, `${scenario.name}.first.wasm`);
    const second = path.join(tmp, `${scenario.name}.second.wasm`);
    run('wasm-split',
        [...FEATURES, optimized, '--keep-funcs', `@${list}`, '-o1', first, '-o2', second]);
    const firstSize = weigh(stripped(first));
    let pageRun = null;
    if (pack) {
      const hits = [];
      const core = await loadFirst(wasm, first, hits);
      const calls = await productPageCalls(core, packBytes, hits, items);
      const home = calls.pop();
      const wrong = calls.filter(([, outcome]) => outcome !== 'ok');
      const homeWanted = scenario.homeReachesSecond ? 'second module' : 'ok';
      if (home[1] !== homeWanted) wrong.push(home);
      if (wrong.length) {
        throw new Error(`${scenario.name}: ${wrong.map(([n, o]) => `${n}: ${o}`).join('; ')}`);
      }
      pageRun = {history: items, product_page_calls: calls.map(([name]) => name), home: home[1]};
    }
    result.scenarios.push({
      name: scenario.name,
      about: scenario.about,
      functions_kept: keep.length,
      first: firstSize,
      second: weigh(stripped(second)),
      first_saves_gzip: result.whole.gzip - firstSize.gzip,
      product_page_run: pageRun,
    });
  }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measureSplit(parseArgs(process.argv.slice(2))), null, 2));
}
