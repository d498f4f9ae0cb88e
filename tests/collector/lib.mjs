// Helpers of the collector tests: a real PostgreSQL server started from Debian's binaries
// (initdb into a temp dir, pg_ctl on a free port), the collector as a child process, and
// reports made the way a browser makes them.
import {execFileSync, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {chmodSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after} from 'node:test';
import {fileURLToPath} from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function postgresBin() {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(base, v, 'bin');
    if (existsSync(path.join(bin, 'initdb'))) return bin;
  }
  throw new Error(
      'PostgreSQL server binaries not found: run scripts/install-deps.sh (Debian package postgresql)');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const {port} = s.address();
      s.close(() => resolve(port));
    });
  });
}

// PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
function asUser() {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  return {uid, gid};
}

export async function startPostgres() {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-pg-'));
  const user = asUser();
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const run = (tool, args) => execFileSync(path.join(bin, tool), args, {...user, stdio: 'pipe'});
  run('initdb', ['-D', data, '-U', 'vitrine', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // fsync stays on (the default): the SIGKILL test relies on a commit being durable.
  run('pg_ctl', [
    '-D', data, '-l', path.join(dir, 'log'), '-w', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start'
  ]);
  const url = `postgres://vitrine@127.0.0.1:${port}/postgres`;
  return {
    url,
    dataDir: data,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, {recursive: true, force: true});
      }
    },
  };
}

export function tempDir(prefix = 'vitrine-collector-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

// The standalone collector as a child process; resolves once it listens.
export function startCollector({databaseUrl, dataDir, k = 1, reportsPerSecond = 100000} = {}) {
  const args = [
    path.join(ROOT, 'collector', 'server.mjs'), '--port', '0', '--k', String(k),
    '--reports-per-second', String(reportsPerSecond)
  ];
  if (dataDir) args.push('--data-dir', dataDir);
  const env = {...process.env};
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const child = spawn(process.execPath, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve({child, base: m[1]});
    });
    child.on('exit', (code) => reject(new Error(`collector exited (${code}): ${err}`)));
  });
}

export const hex = (bytes) => randomBytes(bytes).toString('hex');

// A report of `type` with answer `y` (an integer, or OUE bits as an array of 0/1).
export function report(type, y, id = hex(16)) {
  if (type.mechanism === 'grr') return {t: type.name, v: type.version, id, y};
  const bytes = Buffer.alloc(Math.ceil(type.domain / 8));
  y.forEach((b, v) => {
    if (b) bytes[v >> 3] |= 1 << (v & 7);
  });
  return {t: type.name, v: type.version, id, y: bytes.toString('hex')};
}

// Seeded PRNG (mulberry32) for reproducible simulated browsers.
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// OUE as the browser runs it: the true value's bit is 1 with p, every other bit with q.
export function oue(type, x, rand) {
  return Array.from(
      {length: type.domain}, (_, v) => (rand() < (v === x ? type.p : type.q) ? 1 : 0));
}

export async function post(base, body, contentType = 'application/json') {
  const res = await fetch(`${base}/collect`, {
    method: 'POST',
    headers: {'content-type': contentType},
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {status: res.status, body: await res.json()};
}

// The collector in this process behind a node:http server on a free port.
export async function serveCollector(options) {
  const {createCollector} = await import('../../collector/collector.js');
  const http = await import('node:http');
  const collector = await createCollector({basePath: '', ...options});
  const server = http.createServer(async (req, res) => {
    if (!(await collector.handle(req, res))) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    collector,
    base: `http://127.0.0.1:${server.address().port}`,
    async close() {
      await new Promise((r) => server.close(r));
      await collector.close();
    },
  };
}

// The two databases every collector test runs against: PGlite (embedded, the default) and
// a PostgreSQL server started for the test file. Call inside describe() (registers after()).
export function backends() {
  let pg = null;
  after(() => pg?.stop());
  return [
    {name: 'PGlite', options: () => ({databaseUrl: ''})},
    {
      name: 'PostgreSQL server',
      options: async () => {
        if (!pg) {
          pg = await startPostgres();
        }
        // A fresh database per collector so that tests do not see each other's reports.
        const db = `t${hex(6)}`;
        const {default: pgClient} = await import('pg');
        const c = new pgClient.Client({connectionString: pg.url});
        await c.connect();
        await c.query(`CREATE DATABASE ${db}`);
        await c.end();
        return {databaseUrl: pg.url.replace(/\/postgres$/, `/${db}`)};
      },
    },
  ];
}
