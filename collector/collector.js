// The collector: receives privatized reports from shoppers' browsers, validates and stores
// them, and serves de-biased estimates and a dashboard. Standalone (collector/server.mjs) or
// mounted in another node:http server (the demo shop): `await collector.handle(req, res)`
// answers and returns true for its own paths, false for any other.
//   POST {base}/collect      body: JSON array of reports (see schema.js)
//   GET  {base}/estimates    ?type=NAME&version=N: JSON of the released estimates
//   GET  {base}/dashboard    HTML with plots of the estimates over days
// It never reads or stores the client's address, cookies or other headers.
import {dashboardPage} from './dashboard.js';
import {Ingestor} from './ingest.js';
import {RateLimit} from './rate.js';
import {findType, MAX_BODY_BYTES, parseBatch, ReportError, reportTypes} from './schema.js';
import {openDatabase, ReportStore} from './store.js';

const STATUS = {
  malformed: 400,
  out_of_schema: 400,
  replayed: 400,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
};

const SECURITY_HEADERS = {
  'content-security-policy': 'default-src \'none\'; img-src \'self\'; base-uri \'none\'',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

// Reports come from shop pages, possibly on another origin; never with credentials.
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
};

function reply(res, status, type, body, extra = {}) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

const json = (res, status, value, extra) =>
    reply(res, status, 'application/json; charset=utf-8', JSON.stringify(value), extra);

// Reads at most `limit` bytes; a longer body is drained (so that the client reads our 413)
// up to 64 times the limit, and the connection dropped past that.
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      if (size > 64 * limit) req.destroy();
    });
    req.on('end', () => {
      if (size > limit) {
        reject(new ReportError('too_large', `body exceeds ${limit} bytes`));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
}

const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);

// options: databaseUrl (a PostgreSQL server; default process.env.DATABASE_URL), dataDir
// (PGlite directory; default: in memory), k (minimum reports a day for a release; 50),
// reportsPerSecond (intake bound; 5000), basePath ('/vitrine'), now (clock, ms).
export async function createCollector(options = {}) {
  const {
    databaseUrl = process.env.DATABASE_URL,
    dataDir,
    k = 50,
    reportsPerSecond = 5000,
    basePath = '/vitrine',
    now = () => Date.now(),
  } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k must be an integer >= 1');
  const store = new ReportStore(await openDatabase({databaseUrl, dataDir}));
  const ingestor = new Ingestor(store);
  const limit = new RateLimit(reportsPerSecond);

  async function collect(req, res) {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    // text/plain is what navigator.sendBeacon sends for a string, and needs no preflight.
    if (type !== 'application/json' && type !== 'text/plain') {
      throw new ReportError(
          'unsupported_media_type', 'content-type must be application/json or text/plain');
    }
    const reports = parseBatch(await readBody(req, MAX_BODY_BYTES));
    if (!limit.take(reports.length)) {
      throw new ReportError('rate_limited', 'the collector is at its intake limit; retry later');
    }
    const result = await ingestor.submit(reports, utcDay(now()));
    json(res, 200, result, CORS);
  }

  async function estimates(url) {
    const name = url.searchParams.get('type');
    const version = Number(url.searchParams.get('version') ?? 1);
    const type = findType(name, version);
    if (!type)
      throw new ReportError('out_of_schema', `unknown report type ${name} version ${version}`);
    return {type, k, days: await store.estimates(type, k)};
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://collector.invalid');
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : null;
    if (path !== '/collect' && path !== '/estimates' && path !== '/dashboard') return false;
    try {
      if (path === '/collect' && req.method === 'OPTIONS') {
        res.writeHead(204, {...SECURITY_HEADERS, ...CORS});
        res.end();
      } else if (path === '/collect' && req.method === 'POST') {
        await collect(req, res);
      } else if (path === '/collect' || req.method !== 'GET') {
        json(res, 405, {error: {code: 'method_not_allowed', message: `${req.method} not allowed`}});
      } else if (path === '/estimates') {
        json(res, 200, await estimates(url));
      } else {
        const all = [];
        for (const type of reportTypes()) all.push({type, days: await store.estimates(type, k)});
        reply(res, 200, 'text/html; charset=utf-8', dashboardPage(all, k));
      }
    } catch (error) {
      if (error instanceof ReportError) {
        const extra = error.code === 'rate_limited' ? {...CORS, 'retry-after': '1'} : CORS;
        json(
            res, STATUS[error.code] ?? 400, {error: {code: error.code, message: error.message}},
            extra);
      } else {
        // Nothing was acknowledged: the client keeps the reports and retries.
        json(
            res, 503, {error: {code: 'unavailable', message: 'storage failed; retry later'}},
            {...CORS, 'retry-after': '5'});
      }
    }
    return true;
  }

  return {handle, store, close: () => store.close()};
}
