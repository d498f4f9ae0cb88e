// Recommend benchmark: builds the DIGINETICA pack and a synthetic 200k-item pack, runs the
// native and the wasm (node) builds of bench/recommend_bench.cpp on both, and prints one
// JSON object: pack sizes (raw, gzip), build times, latency p50/p99/mean per context, and
// the wasm/native ratios. Chromium latency is measured by the JS package's bench.
//
//   node bench/recommend_bench.mjs [--native build] [--wasm build-wasm]
//        [--data ../shared/data/diginetica] [--tmp DIR] [--queries 3000]
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
} = {}) {
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
    const n = JSON.parse(run(benchNative, common).out);
    const w = haveWasm ? JSON.parse(run(process.execPath, [benchWasm, ...common]).out) : null;
    const cases = n.cases.map((c, i) => {
      const wc = w ? w.cases[i] : null;
      const ratio = (k) => (wc ? +(wc[k] / c[k]).toFixed(2) : null);
      return {
        context: c.context,
        embeddings: c.embeddings,
        native: {p50_ms: c.p50_ms, p99_ms: c.p99_ms, mean_ms: c.mean_ms},
        wasm_node: wc ? {p50_ms: wc.p50_ms, p99_ms: wc.p99_ms, mean_ms: wc.mean_ms} : null,
        wasm_over_native: {p50: ratio('p50_ms'), p99: ratio('p99_ms'), mean: ratio('mean_ms')},
      };
    });
    results.push({
      pack: p.label,
      items: n.items,
      embedding_dim: n.embedding_dim,
      min_support: p.min_support,
      ...sizes(p.file),
      build_ms: +p.build_ms.toFixed(1),
      open_ms: {native: n.open_ms, wasm_node: w ? w.open_ms : null},
      cases,
    });
  }
  return {bench: 'recommend', node: process.version, results};
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
      '--min-support': 'minSupport'
    }[a[i]];
    if (!key || a[i + 1] === undefined) {
      console.error(`unknown or incomplete argument ${a[i]}`);
      process.exit(2);
    }
    opts[key] = key === 'queries' || key === 'minSupport' ? Number(a[i + 1]) : resolve(a[i + 1]);
  }
  console.log(JSON.stringify(runRecommendBench(opts), null, 2));
}
