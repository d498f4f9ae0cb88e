// Collector ingest benchmark: the standalone collector (its own process) on loopback,
// storing into PostgreSQL, under an open-loop load of `--rate` reports per second in
// batches of `--batch` for `--seconds`. Prints JSON: reports acknowledged per second and the
// acknowledgement latency percentiles. Budget (issue 8): >= 2,000 reports/s sustained for
// 60 s with p99 <= 50 ms.
// Usage: node bench/collector_ingest.mjs [--backend server|pglite] [--rate 2500]
//        [--batch 4] [--seconds 60]
import {readFileSync, rmSync} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import {parseArgs} from 'node:util';

import {reportTypes} from '../collector/schema.js';
import {report, startCollector, startPostgres, tempDir} from '../tests/collector/lib.mjs';

const {values} = parseArgs({
  options: {
    backend: {type: 'string', default: 'server'},
    rate: {type: 'string', default: '2500'},
    batch: {type: 'string', default: '4'},
    seconds: {type: 'string', default: '60'},
  },
});
const rate = Number(values.rate), batchSize = Number(values.batch),
      seconds = Number(values.seconds);
const types = reportTypes();
const pick = (i) => types[i % types.length];
const bits = (type, i) =>
    Array.from({length: type.domain}, (_, v) => ((v * 7 + i) % 3 === 0 ? 1 : 0));

let pg = null, dataDir;
if (values.backend === 'server') {
  pg = await startPostgres();
} else {
  dataDir = tempDir();
}
const {child, base} =
    await startCollector({databaseUrl: pg?.url, dataDir, reportsPerSecond: rate * 4});

// CPU seconds (user + system) a process has used: what the collector costs whatever the
// machine's other load.
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in clock ticks
}
// The PostgreSQL server's processes: the postmaster (first line of postmaster.pid) and its
// children (the backends serving the collector's connections, the WAL writer, ...).
function postgresCpuSeconds() {
  if (!pg) return 0;
  const main = Number(readFileSync(`${pg.dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  const kids = readFileSync(`/proc/${main}/task/${main}/children`, 'utf8').trim().split(/\s+/);
  let total = 0;
  for (const pid of [main, ...kids.filter(Boolean).map(Number)]) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}
const cpuStart = cpuSeconds(child.pid);
const pgCpuStart = postgresCpuSeconds();
const latencies = [];
let acked = 0, errors = 0, inflight = 0, maxInflight = 0, sent = 0;
const loadStart = os.loadavg();
const t0 = performance.now();
const interval = 1000 * batchSize / rate;  // ms between batches
const perSecond = new Array(Math.ceil(seconds)).fill(0);

// Keep-alive connections, at most 64: browsers arrive on their own connections, but one
// load generator opening thousands of sockets on loopback measures the kernel, not us.
const agent = new http.Agent({keepAlive: true, maxSockets: 64});
const url = new URL(`${base}/collect`);
function postRaw(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
        url, {
          method: 'POST',
          agent,
          headers: {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)},
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
    req.on('error', reject);
    req.end(body);
  });
}

// Latency is measured from the moment the batch was due (open loop: queueing counts).
async function send(i) {
  const body = JSON.stringify(Array.from({length: batchSize}, (_, j) => {
    const type = pick(i * batchSize + j);
    return report(type, bits(type, i + j));
  }));
  const start = performance.now();
  inflight++;
  maxInflight = Math.max(maxInflight, inflight);
  try {
    const status = await postRaw(body);
    const end = performance.now();
    if (status === 200) {
      acked += batchSize;
      latencies.push(end - start);
      const s = Math.floor((end - t0) / 1000);
      if (s < perSecond.length) perSecond[s] += batchSize;
    } else {
      errors++;
    }
  } catch {
    errors++;
  } finally {
    inflight--;
  }
}

// Open loop: batches leave on schedule whatever the answers' latency.
const pending = [];
while (true) {
  const due = t0 + sent * interval;
  const now = performance.now();
  if (due - t0 >= seconds * 1000) break;
  if (due > now) await new Promise((r) => setTimeout(r, Math.max(0, due - now)));
  // Catch up if the timer was late (a burst rather than a lower rate).
  while (t0 + sent * interval <= performance.now() && t0 + sent * interval - t0 < seconds * 1000) {
    pending.push(send(sent++));
  }
}
await Promise.all(pending);
agent.destroy();
const elapsed = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => latencies.length ?
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] :
    null;
const collectorCpu = cpuSeconds(child.pid) - cpuStart;
const postgresCpu = postgresCpuSeconds() - pgCpuStart;
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
await pg?.stop();
if (dataDir) rmSync(dataDir, {recursive: true, force: true});

const result = {
  benchmark: 'collector_ingest',
  date: new Date().toISOString(),
  backend: values.backend === 'server' ? 'PostgreSQL server (Debian, loopback)' :
                                         'PGlite (embedded)',
  environment: {
    node: process.version,
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    loadavg_start: loadStart,
    loadavg_end: os.loadavg()
  },
  target_reports_per_s: rate,
  batch_reports: batchSize,
  seconds,
  reports_sent: sent * batchSize,
  reports_acked: acked,
  errors,
  achieved_reports_per_s: Math.round(acked / elapsed),
  min_reports_in_a_second: Math.min(...perSecond.slice(1, -1)),
  max_inflight_requests: maxInflight,
  collector_cpu_ms_per_1000_reports: acked ? Math.round(collectorCpu * 1e6 / acked) : null,
  // Backends that ended before the end (none with the pool of 4) are not counted.
  postgres_cpu_ms_per_1000_reports: pg && acked ? Math.round(postgresCpu * 1e6 / acked) : null,
  ack_ms: {p50: q(0.5), p90: q(0.9), p99: q(0.99), max: latencies.at(-1) ?? null},
};
result.budget = {
  reports_per_s: 2000,
  p99_ms: 50,
  seconds: 60
};
result.met = seconds >= 60 && errors === 0 && result.min_reports_in_a_second >= 2000 &&
    result.ack_ms.p99 <= 50;
console.log(JSON.stringify(result, null, 2));
