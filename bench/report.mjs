// Prints the Markdown tables of docs/benchmarks.md from a bench/run.mjs result, so that the
// page only ever shows measured numbers. Usage: node bench/report.mjs [build/bench/latest.json]
import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import {markdown as jsPeerMarkdown} from './js_peer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] ?? join(root, 'build', 'bench', 'latest.json');
const run = JSON.parse(readFileSync(file, 'utf8'));
const out = [];
const line = (s = '') => out.push(s);
const table = (head, rows) => {
  line(`| ${head.join(' | ')} |`);
  line(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) line(`| ${r.join(' | ')} |`);
  line();
};
const n = (x, d = 3) => (x === null || x === undefined ? 'n/a' : Number(x).toFixed(d));
const int = (x) => (x === null || x === undefined ? 'n/a' : Number(x).toLocaleString('en-US'));
const verdict = (met) => (met === true ? 'met' : met === false ? '**missed**' : 'not measured');

const env = run.environment;
line(`Run ${run.date}, commit ${run.commit?.slice(0, 12) ?? 'n/a'}${
    run.worktree_dirty ? ' (work tree with uncommitted changes)' : ''}.`);
line(`Package measured (snapshot of js/dist), sha256: ${
    Object.entries(run.dist_sha256 ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
line();
table(['node', 'Chromium', 'nproc', 'CPU', 'kernel', 'load average (1/5/15 min) start / end'], [[
        env.node, env.chromium ?? 'n/a', env.nproc, env.cpu, env.kernel,
        `${env.loadavg_start.join(' ')} / ${env.loadavg_end.join(' ')}`
      ]]);

const f = run.benchmarks.foundation;
if (f && !f.error) {
  line('### Foundation');
  line();
  table(
      ['file', 'raw bytes', 'gzip -9 bytes'],
      ['vitrine.js', 'vitrine.mjs', 'vitrine.wasm']
          .map((k) => [k, int(f.sizes[k].raw), int(f.sizes[k].gzip)])
          .concat(
              [['product page (vitrine.js + vitrine.wasm)', '', int(f.sizes.productPageGzip)]]));
  const nt = f.nodeTimes;
  const ct = f.chromium;
  table(['measure', 'node', 'Chromium'], [
    [
      'ready ms p50 / p90', `${n(nt.readyMs.p50, 2)} / ${n(nt.readyMs.p90, 2)}`,
      ct ? `${n(ct.readyMs.p50, 2)} / ${n(ct.readyMs.p90, 2)}` : 'n/a'
    ],
    [
      'ingest us/event',
      `${n(nt.ingestUsPerEvent.p50, 2)} (p50 of 7 x 5000; max ${n(nt.ingestUsPerEvent.max, 2)})`,
      ct ? `${n(ct.ingestUsPerEvent, 2)} (best of 7 x 5000)` : 'n/a'
    ],
  ]);
}

const r = run.benchmarks.recommend;
if (r && !r.error) {
  line('### Recommend: native against wasm (node)');
  line();
  table(
      [
        'pack', 'items', 'emb. dim', 'raw bytes', 'gzip -9 bytes', 'build ms',
        'open ms native / wasm'
      ],
      r.results.map(
          (p) =>
              [p.pack, int(p.items), p.embedding_dim, int(p.raw_bytes), int(p.gzip_bytes),
               n(p.build_ms, 0), `${n(p.open_ms.native, 1)} / ${n(p.open_ms.wasm_node, 1)}`]));
  const rows = [];
  for (const p of r.results) {
    for (const c of p.cases) {
      rows.push([
        p.pack, c.context, c.embeddings ? 'yes' : 'no',
        `${n(c.native.p50_ms, 4)} / ${n(c.native.p99_ms, 4)} / ${n(c.native.mean_ms, 4)}`,
        c.wasm_node ? `${n(c.wasm_node.p50_ms, 4)} / ${n(c.wasm_node.p99_ms, 4)} / ${
                          n(c.wasm_node.mean_ms, 4)}` :
                      'n/a',
        `${n(c.wasm_over_native.p50, 2)} / ${n(c.wasm_over_native.mean, 2)}`
      ]);
    }
  }
  table(
      [
        'pack', 'context', 'embeddings', 'native p50 / p99 / mean ms',
        'wasm-node (-O3) p50 / p99 / mean ms', 'wasm/native p50 / mean'
      ],
      rows);
}

const b = run.benchmarks.recommend_browser;
if (b && !b.error) {
  line('### Recommend through the package (Chromium and node)');
  line();
  const rows = [];
  for (const p of b.results) {
    for (const c of p.cases) {
      const fmt = (x) =>
          x ? `${n(x.p50_ms)} / ${n(x.p99_ms)} / ${n(x.mean_ms)} / ${n(x.max_ms)}` : 'n/a';
      rows.push(
          [p.pack, c.context, c.chromium?.calls ?? c.node?.calls, fmt(c.chromium), fmt(c.node)]);
    }
  }
  table(
      [
        'pack', 'context', 'calls', 'Chromium p50 / p99 / mean / max ms',
        'node p50 / p99 / mean / max ms'
      ],
      rows);
  table(
      [
        'pack', 'Chromium fetch + open ms (first / p50)', 'of which fetch p50', 'of which open p50',
        'node open ms (first / p50)'
      ],
      b.results.map((p) => {
        const c = p.load_ms.chromium;
        const nd = p.load_ms.node;
        return [
          p.pack,
          c ? `${n(c.fetch_and_open.first_ms, 1)} / ${n(c.fetch_and_open.p50_ms, 1)}` : 'n/a',
          c ? n(c.fetch.p50_ms, 1) : 'n/a', c ? n(c.open.p50_ms, 1) : 'n/a',
          nd ? `${n(nd.open.first_ms, 1)} / ${n(nd.open.p50_ms, 1)}` : 'n/a'
        ];
      }));
  table(
      ['pack', 'home calls citing a history item (Chromium / node)', 'max history entries'],
      b.results.map((p) => {
        const h = p.history_check;
        return [
          p.pack,
          `${n(h.chromium?.home_calls_citing_history_share, 3)} / ${
              n(h.node?.home_calls_citing_history_share, 3)}`,
          h.chromium?.max_history_entries ?? h.node?.max_history_entries
        ];
      }));
  if (b.environment.chromium) {
    line(
        `Chromium timer: cross-origin isolated ${b.environment.chromium_cross_origin_isolated}, ` +
        `resolution ${b.environment.chromium_timer_resolution_ms} ms.`);
    line();
  }
}

const jp = run.benchmarks.js_peer;
if (jp && !jp.error) {
  line('### A JavaScript peer against the package (issue 15)');
  line();
  out.push(...jsPeerMarkdown(jp));
}

line('### Budgets');
line();
const brows = [];
if (f && !f.error) {
  const m = f.budgets.measured ?? {};
  brows.push(
      [
        'product page gzip (vitrine.js + vitrine.wasm)',
        `<= ${int(f.budgets.productPageGzipMax)} B`, `${int(f.sizes.productPageGzip)} B`,
        verdict(f.sizes.productPageGzip <= f.budgets.productPageGzipMax)
      ],
      [
        'ingest, node p50', `<= ${f.budgets.ingestUsMax} us`,
        `${n(f.nodeTimes.ingestUsPerEvent.p50, 2)} us`,
        verdict(f.nodeTimes.ingestUsPerEvent.p50 <= f.budgets.ingestUsMax)
      ],
      [
        `ready, ${m.readyFrom ?? (f.chromium ? 'chromium' : 'node')} p50`,
        `<= ${f.budgets.readyMsMax} ms`,
        `${n(f.chromium?.readyMs.p50 ?? f.nodeTimes.readyMs.p50, 2)} ms`,
        verdict((f.chromium?.readyMs.p50 ?? f.nodeTimes.readyMs.p50) <= f.budgets.readyMsMax)
      ]);
}
if (b && !b.error) {
  const s = b.budgets.synthetic_200k_p99_ms_chromium;
  const d = b.budgets.diginetica_pack_gzip_bytes;
  brows.push(
      [
        'recommend p99, 200k items, Chromium (worst context)', `<= ${s.max} ms`,
        s.measured === null ? 'n/a' : `${n(s.measured)} ms`, verdict(s.met)
      ],
      ['DIGINETICA pack gzip', `<= ${int(d.max)} B`, `${int(d.measured)} B`, verdict(d.met)]);
}
table(['budget', 'limit', 'measured', 'verdict'], brows);
console.log(out.join('\n'));
