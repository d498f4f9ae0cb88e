// Recommend benchmark: builds the DIGINETICA pack and a synthetic 200k-item pack, runs the
// native and the wasm (node) builds of bench/recommend_bench.cpp on both, and prints one
// JSON object: pack sizes (raw, gzip), build times, latency p50/p99/mean per context, and
// the wasm/native ratios. Chromium latency is measured by the JS package's bench.
//
//   node bench/recommend_bench.mjs [--native build] [--wasm build-wasm]
//        [--data ../shared/data/diginetica] [--tmp DIR] [--queries 3000] [--rounds 6]
//
// A round runs the native binary and then the wasm one, or the other way round: the order
// alternates, and the rounds are even in number. Latencies are medians over the rounds;
// wasm_over_native is the geometric mean of each round's own ratio. On this shared machine
// the second run of a round is often slower (one run each gave 1.38 and 1.77 for the same
// code; rounds of one run, 0.59 to 1.92): with as many rounds in each order, that factor
// cancels out of the geometric mean, where a median would keep it.
//
// Also importable: `import { runRecommendBench } from './recommend_bench.mjs'`.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args) {
  const t0 = process.hrtime.bigint();
  const out = execFileSync(
      cmd, args, {encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe']});
  return {out, ms: Number(process.hrtime.bigint() - t0) / 1e6};
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function geomean(values) {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

function sizes(file) {
  const raw = readFileSync(file);
  return {raw_bytes: raw.length, gzip_bytes: gzipSync(raw, {level: 9}).length};
}

export function runRecommendBench({
  native = join(root, 'build'),
  wasm = join(root, 'build-wasm'),
  data = resolve(root, '..', 'shared', 'data', 'diginetica'),
  tmp = join(tmpdir(), 'vitrine-recommend-bench'),
  queries = 3000,
  minSupport = 2,
  rounds = 6,
} = {}) {
  if (!Number.isInteger(rounds) || rounds < 2 || rounds % 2) {
    throw new Error(`--rounds must be an even number (${rounds}): as many rounds in each order`);
  }
  mkdirSync(tmp, {recursive: true});
  const pack = join(native, 'tools', 'vitrine-pack');
  const benchNative = join(native, 'tools', 'vitrine-recommend-bench');
  const benchWasm = join(wasm, 'tools', 'vitrine-recommend-bench.cjs');
  for (const f of [pack, benchNative]) {
    if (!existsSync(f)) throw new Error(`missing ${f}: build the native tree first`);
  }
  const haveWasm = existsSync(benchWasm);

  const dgPack = join(tmp, 'diginetica.vpk');
  const dgBuild = run(pack, [
    '--quiet', '--sessions', join(data, 'train_sessions.txt'), '--min-support', String(minSupport),
    '-o', dgPack
  ]);
  const synthPack = join(tmp, 'synthetic-200k.vpk');
  const synth = run(benchNative, ['--make-synthetic', synthPack, '--items', '200000']);

  const packs = [
    {
      label: 'diginetica',
      file: dgPack,
      args: ['--sessions', join(data, 'test_sessions.txt')],
      build_ms: dgBuild.ms,
      min_support: minSupport
    },
    {
      label: 'synthetic-200k',
      file: synthPack,
      args: [],
      build_ms: JSON.parse(synth.out).build_ms,
      min_support: 2
    },
  ];
  const results = [];
  for (const p of packs) {
    const common = ['--pack', p.file, '--label', p.label, '--queries', String(queries), ...p.args];
    const runs = [];
    for (let r = 0; r < rounds; r++) {
      const native = () => JSON.parse(run(benchNative, common).out);
      const inWasm = () =>
          (haveWasm ? JSON.parse(run(process.execPath, [benchWasm, ...common]).out) : null);
      if (r % 2 === 0) {
        const n = native();
        runs.push({n, w: inWasm()});
      } else {
        const w = inWasm();
        runs.push({n: native(), w});
      }
    }
    const n = runs[0].n;
    const w = runs[0].w;
    const cases = n.cases.map((c, i) => {
      const of = (side, k) => +median(runs.map((x) => x[side].cases[i][k])).toFixed(5);
      const ratios = (k) => runs.map((x) => x.w.cases[i][k] / x.n.cases[i][k]);
      const ratio = (k) => (w ? +geomean(ratios(k)).toFixed(2) : null);
      const latency = (side) =>
          ({p50_ms: of(side, 'p50_ms'), p99_ms: of(side, 'p99_ms'), mean_ms: of(side, 'mean_ms')});
      return {
        context: c.context,
        embeddings: c.embeddings,
        native: latency('n'),
        wasm_node: w ? latency('w') : null,
        wasm_over_native: {p50: ratio('p50_ms'), p99: ratio('p99_ms'), mean: ratio('mean_ms')},
        p50_ratio_per_round: w ? ratios('p50_ms').map((x) => +x.toFixed(2)) : null,
      };
    });
    results.push({
      pack: p.label,
      items: n.items,
      embedding_dim: n.embedding_dim,
      min_support: p.min_support,
      ...sizes(p.file),
      build_ms: +p.build_ms.toFixed(1),
      open_ms: {
        native: median(runs.map((x) => x.n.open_ms)),
        wasm_node: w ? median(runs.map((x) => x.w.open_ms)) : null
      },
      cases,
    });
  }
  return {bench: 'recommend', node: process.version, rounds, results};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    const key = {
      '--native': 'native',
      '--wasm': 'wasm',
      '--data': 'data',
      '--tmp': 'tmp',
      '--queries': 'queries',
      '--rounds': 'rounds',
      '--min-support': 'minSupport'
    }[a[i]];
    if (!key || a[i + 1] === undefined) {
      console.error(`unknown or incomplete argument ${a[i]}`);
      process.exit(2);
    }
    opts[key] =
        ['queries', 'rounds', 'minSupport'].includes(key) ? Number(a[i + 1]) : resolve(a[i + 1]);
  }
  console.log(JSON.stringify(runRecommendBench(opts), null, 2));
}
