// Stage 1 of the pack build (`vitrine-pack aggregate`) on a synthetic OTTO-scale stream:
// throughput and peak memory. The stream (build/tools/otto-synth) has distributions fitted
// here to ../shared/data/otto-sample: log-normal session lengths (maximum likelihood), the
// share of events revisiting an item of the same session, the clicks/carts/orders mix, and
// the Zipf exponent of item popularity that makes the expected number of distinct items
// across the sample's sessions equal the observed one. The generator pipes into the tool on
// the same machine; /usr/bin/time -v measures the tool.
//
//   node bench/pack_aggregate.mjs [--scale 0.1] [--memory-mb 1536] [--min-sessions 2]
//                                 [--out DIR]
// --scale 1 is OTTO's size: 2e8 events, 1.8e6 items (--scale scales the events only).
// Prints one JSON object.
import {spawn} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync} from 'node:fs';
import {cpus, tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OTTO_EVENTS = 2e8;
const OTTO_ITEMS = 1.8e6;

function parseArgs(argv) {
  const o = {scale: 0.1, memoryMb: 1536, minSessions: 2, out: join(tmpdir(), 'vitrine-agg-bench')};
  for (let i = 0; i < argv.length; ++i) {
    const v = argv[i + 1];
    if (argv[i] === '--scale')
      o.scale = Number(v);
    else if (argv[i] === '--memory-mb')
      o.memoryMb = Number(v);
    else if (argv[i] === '--min-sessions')
      o.minSessions = Number(v);
    else if (argv[i] === '--out')
      o.out = v;
    else
      throw new Error(`unknown argument ${argv[i]}`);
    ++i;
  }
  if (!(o.scale > 0 && o.scale <= 10)) throw new Error('--scale must be in (0, 10]');
  return o;
}

export function fit(file) {
  const sessions = readFileSync(file, 'utf8')
                       .split('\n')
                       .filter((l) => l.trim() !== '')
                       .map((l) => JSON.parse(l).events);
  const logs = sessions.map((s) => Math.log(s.length));
  const mu = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sigma = Math.sqrt(logs.reduce((a, b) => a + (b - mu) ** 2, 0) / logs.length);
  const events = sessions.reduce((a, s) => a + s.length, 0);
  const perSession = sessions.reduce((a, s) => a + new Set(s.map((e) => e.aid)).size, 0);
  const union = new Set(sessions.flatMap((s) => s.map((e) => e.aid))).size;
  const count = (t) => sessions.reduce((a, s) => a + s.filter((e) => e.type === t).length, 0);
  // E[distinct of D independent Zipf(a) draws over N items] = sum_i 1 - (1 - p_i)^D, which
  // falls as a grows: bisect for the observed union.
  const expectedUnion = (a) => {
    let z = 0;
    for (let r = 1; r <= OTTO_ITEMS; ++r) z += r ** -a;
    let u = 0;
    for (let r = 1; r <= OTTO_ITEMS; ++r) u += 1 - (1 - r ** -a / z) ** perSession;
    return u;
  };
  let lo = 0, hi = 2;
  for (let k = 0; k < 20; ++k) {
    const mid = (lo + hi) / 2;
    if (expectedUnion(mid) > union)
      lo = mid;
    else
      hi = mid;
  }
  return {
    sessions: sessions.length,
    events,
    len_mu: mu,
    len_sigma: sigma,
    len_max: Math.max(...sessions.map((s) => s.length)),
    revisit: 1 - perSession / events,
    zipf: (lo + hi) / 2,
    carts: count('carts') / events,
    orders: count('orders') / events,
    distinct_per_session_sum: perSession,
    distinct_union: union,
  };
}

// Runs `gen | /usr/bin/time -v tool` through sh (a pipe the tool can open as /dev/stdin);
// resolves {stderr of both, code}.
function pipeline(gen, genArgs, tool, toolArgs) {
  const q = (args) => args.map((a) => `'${a}'`).join(' ');
  const cmd = `'${gen}' ${q(genArgs)} | /usr/bin/time -v nice -n 5 '${tool}' ${q(toolArgs)}`;
  return new Promise((done, fail) => {
    const p = spawn('sh', ['-c', cmd], {stdio: ['ignore', 'ignore', 'pipe']});
    let err = '';
    p.stderr.on('data', (d) => {
      err += d;
      if (process.env.VERBOSE) process.stderr.write(d);
    });
    p.on('error', fail);
    p.on('close', (code) => done({code, tErr: err}));
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const params = fit(join(root, '..', 'shared', 'data', 'otto-sample', 'sessions.jsonl'));
  const events = Math.round(OTTO_EVENTS * o.scale);
  rmSync(o.out, {recursive: true, force: true});
  mkdirSync(o.out, {recursive: true});
  const genArgs = [
    '--events',    String(events),
    '--items',     String(OTTO_ITEMS),
    '--len-mu',    String(params.len_mu),
    '--len-sigma', String(params.len_sigma),
    '--len-max',   '500',
    '--revisit',   String(params.revisit),
    '--zipf',      String(params.zipf),
    '--carts',     String(params.carts),
    '--orders',    String(params.orders),
    '--seed',      '1',
  ];
  const toolArgs = [
    'aggregate',
    '--format',
    'otto',
    '--sessions',
    '/dev/stdin',
    '--memory-mb',
    String(o.memoryMb),
    '--min-sessions',
    String(o.minSessions),
    '-o',
    o.out,
  ];
  const started = Date.now();
  const r = await pipeline(
      join(root, 'build', 'tools', 'otto-synth'), genArgs,
      join(root, 'build', 'tools', 'vitrine-pack'), toolArgs);
  const wall = (Date.now() - started) / 1000;
  if (r.code !== 0)
    throw new Error(`vitrine-pack aggregate failed (${r.code}): ${r.tErr.slice(-2000)}`);
  const num = (re, s = r.tErr) => Number((s.match(re) ?? [])[1]);
  const summary = r.tErr.split('\n').find((l) => l.includes('pair rows:')) ?? '';
  const result = {
    name: 'pack_aggregate',
    command: `build/tools/otto-synth ${genArgs.join(' ')} | build/tools/vitrine-pack ${
        toolArgs.join(' ')}`,
    cpus: cpus().length,
    fitted_to: '../shared/data/otto-sample/sessions.jsonl',
    params,
    scale: o.scale,
    events: num(/, (\d+) events;/, summary),
    sessions: num(/items, (\d+) sessions/, summary),
    items: num(/: (\d+) items,/, summary),
    pair_rows: {
      co_view_seq: num(/co_view_seq (\d+)/, summary),
      co_view: num(/co_view (\d+)/, summary),
      co_purchase: num(/co_purchase (\d+)/, summary),
    },
    min_sessions: o.minSessions,
    memory_mb_flag: o.memoryMb,
    spilled_runs: num(/(\d+) spilled runs/, summary),
    spilled_bytes: num(/spilled runs \((\d+) bytes\)/, summary),
    wall_s: wall,
    tool_wall_s: (() => {
      const m = r.tErr.match(
          /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
      return m ? Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
    })(),
    tool_user_s: num(/User time \(seconds\): ([\d.]+)/),
    peak_rss_mb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
  };
  result.events_per_s = result.events / result.wall_s;
  result.budget = {
    minutes: 30,
    peak_gb: 6,
    cores: 2,
    met: result.wall_s <= 1800 && result.peak_rss_mb <= 6 * 1024
  };
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
