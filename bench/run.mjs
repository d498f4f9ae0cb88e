// Runs every benchmark, one after the other, and writes the combined JSON to
// build/bench/latest.json (and prints it). `make bench` runs this.
//
//   node bench/run.mjs [--only NAME[,NAME]] [--no-browser]
//
// NAME: page_weight (the Vitrine bytes of each demo shop page, gzip and brotli), foundation
// (bundle sizes, ready time, ingest), recommend (native against wasm under
// node, bench/recommend_bench.mjs), recommend_browser (the package in Chromium and node),
// autofill_browser (detect + fill in Chromium, page weights of home/product/checkout),
// widgets (the web components' weight, and that a page without one loads none of it).
// dp_pack (build time of a private DIGINETICA pack against the exact one).
// long_tasks (main-thread tasks over 50 ms while a pack opens, Chromium, cold and warm).
// js_peer (the package against a plain JavaScript peer of the same scoring: latency per
// context, JS peer / wasm, parity of the lists, pack open time; node and Chromium).
// pack_aggregate (vitrine-pack aggregate on a synthetic OTTO-format stream).
// wasm_split (the wasm's bytes a product page needs, against the whole module).
// --no-browser: skip Chromium (foundation and recommend_browser then measure node only).
// Each benchmark runs in its own node process; one that fails is reported in the JSON and
// the exit status is 1. Budgets are reported, not enforced: a missed budget exits 0.
// The package is measured from a snapshot of js/dist taken at the start (build/bench/dist):
// others rebuild js/dist, and one run must not mix two builds.
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {availableParallelism, cpus, loadavg, release, tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';

import {DIST, distHashes, snapshotDist} from './lib/dist.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const BENCHMARKS = {
  // The Vitrine bytes of each demo shop page (gzip, brotli), from js/dist itself: the
  // snapshot holds only the three files of the main bundle, a page loads chunks too.
  page_weight: () => ['page_weight.mjs'],
  foundation: (o) => ['foundation.mjs', '--dist', o.dist, ...(o.browser ? [] : ['--no-browser'])],
  recommend: () => ['recommend_bench.mjs'],
  // What a split of the wasm by page would save, checked on the DIGINETICA pack that
  // `recommend` built (the Makefile's bench target builds the module with names).
  wasm_split: () =>
      ['wasm_split.mjs', '--pack', join(tmpdir(), 'vitrine-recommend-bench', 'diginetica.vpk')],
  // Stage 1 of the pack build on a synthetic OTTO-format stream at 1/10 of OTTO's events
  // (the full scale, --scale 1, is a long run: docs/benchmarks.md).
  pack_aggregate: () => ['pack_aggregate.mjs', '--scale', '0.1'],
  recommend_browser:
      (o) => ['recommend_browser.mjs', '--dist', o.dist, ...(o.browser ? [] : ['--no-browser'])],
  // Chromium only: detect + fill of a 20-field checkout, and the pages' Vitrine bytes.
  autofill_browser: (o) => (o.browser ? ['autofill_browser.mjs', '--dist', o.dist] : null),
  // The components' chunk (per component) and the page bytes with and without components;
  // its page part needs Chromium.
  widgets: (o) => (o.browser ? ['widgets.mjs'] : null),
  // Chromium only: with --no-browser it is left out (opts.only below).
  segments: (o) => ['segments.mjs', '--dist', o.dist],
  // Build time of a differentially private DIGINETICA pack against the exact one.
  dp_pack: () => ['dp_pack.mjs'],
  // Chromium only: long tasks (> 50 ms) while the DIGINETICA and a 200k-item pack open.
  long_tasks: (o) => (o.browser ? ['long_tasks.mjs', '--dist', o.dist] : null),
  // What wasm buys: the package against a plain JavaScript peer (bench/lib/js-peer.mjs).
  js_peer: (o) => ['js_peer.mjs', '--dist', o.dist, ...(o.browser ? [] : ['--no-browser'])],
};

function parseArgs(argv) {
  const opts = {browser: true, only: Object.keys(BENCHMARKS)};
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--no-browser') {
      opts.browser = false;
      opts.only = opts.only.filter((n) => n !== 'segments');
    } else if (argv[i] === '--only' && argv[i + 1] !== undefined) {
      opts.only = argv[++i].split(',').filter(Boolean);
      const unknown = opts.only.filter((n) => !(n in BENCHMARKS));
      if (unknown.length) {
        throw new Error(`unknown benchmark ${unknown.join(', ')}; one of ${
            Object.keys(BENCHMARKS).join(', ')}`);
      }
    } else {
      throw new Error(`unknown or incomplete argument ${argv[i]}`);
    }
  }
  return opts;
}

// Runs `node bench/SCRIPT ARGS`; stdout must be one JSON object. stderr goes through, with
// long lines cut (an exception inside the minified bundle prints a whole line of it).
function runOne(script, args) {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(
        process.execPath, [join(here, script), ...args],
        {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    createInterface({input: child.stderr, crlfDelay: Infinity}).on('line', (line) => {
      console.error(line.length > 300 ? `${line.slice(0, 300)} [${line.length} chars]` : line);
    });
    child.on('close', (code, signal) => {
      const seconds = +((performance.now() - t0) / 1000).toFixed(1);
      if (code !== 0) {
        resolvePromise({error: `exit ${code ?? signal}`, seconds});
        return;
      }
      try {
        resolvePromise({result: JSON.parse(out), seconds});
      } catch (error) {
        resolvePromise({error: `output is not JSON: ${error.message}`, seconds});
      }
    });
  });
}

function git(args) {
  try {
    return execFileSync(
               'git', args, {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
        .trim();
  } catch {
    return null;
  }
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}

opts.dist = await snapshotDist(join(root, 'build', 'bench', 'dist'));
const combined = {
  date: new Date().toISOString(),
  commit: git(['rev-parse', 'HEAD']),
  worktree_dirty: git(['status', '--porcelain']) !== '',
  environment: {
    node: process.version,
    chromium: null,
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? null,
    kernel: release(),
    loadavg_start: loadavg().map((x) => +x.toFixed(2)),
  },
  dist_sha256: distHashes(opts.dist),
  benchmarks: {},
  seconds: {},
  budgets: {},
  failed: [],
};
for (const name of opts.only) {
  const command = BENCHMARKS[name](opts);
  if (!command) {
    combined.benchmarks[name] = {skipped: 'needs Chromium (--no-browser)'};
    continue;
  }
  const [script, ...args] = command;
  console.error(`bench: ${name} (node bench/${[script, ...args].join(' ')})`);
  const {result, error, seconds} = await runOne(script, args);
  combined.seconds[name] = seconds;
  if (error) {
    console.error(`bench: ${name} failed: ${error}`);
    combined.benchmarks[name] = {error};
    combined.failed.push(name);
    continue;
  }
  combined.benchmarks[name] = result;
  if (result.budgets) combined.budgets[name] = result.budgets;
  combined.environment.chromium ??= result.environment?.chromium ?? null;
}
combined.environment.loadavg_end = loadavg().map((x) => +x.toFixed(2));
// Informational: the numbers are those of the snapshot, whatever js/dist holds now.
const distNow = distHashes(DIST);
combined.js_dist_rebuilt_during_run =
    Object.keys(distNow).some((k) => distNow[k] !== combined.dist_sha256[k]);

const file = join(root, 'build', 'bench', 'latest.json');
mkdirSync(dirname(file), {recursive: true});
writeFileSync(file, `${JSON.stringify(combined, null, 2)}\n`);
console.log(JSON.stringify(combined, null, 2));
const VERDICT = {
  true: 'met',
  false: 'MISSED',
  null: 'not all measured'
};
for (const [name, b] of Object.entries(combined.budgets)) {
  console.error(`bench: ${name} budgets ${VERDICT[b.met ?? null]}`);
}
console.error(`bench: wrote ${file}`);
process.exit(combined.failed.length ? 1 : 0);
