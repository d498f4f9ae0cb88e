// The demo shop's server: node demo-shop/server.mjs [--port 8080] [--host 127.0.0.1]
// [--shards K] (serve the pack sharded).
// Serves server-rendered pages, generated product images, the catalog as JSON, the Vitrine
// package from js/dist and the model pack. Only node: built-ins.
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {mountCollector} from '../collector/mount.js';

import {catalog} from './catalog.mjs';
import {productSvg} from './images.mjs';
import {ensurePack, ensureShards, PACK_PATH} from './pack.mjs';
import {cartPage, categoryPage, checkoutDonePage, checkoutPage, errorPage, homePage, privacyPage, productPage, searchPage, SORTS} from './pages.mjs';
import {testPage} from './test-pages.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS_DIR = path.join(here, 'assets');
const DIST_DIR = path.join(here, '..', 'js', 'dist');

export const CSP =
    'default-src \'self\'; script-src \'self\' \'wasm-unsafe-eval\'; img-src \'self\'; ' +
    'style-src \'self\'; object-src \'none\'; base-uri \'none\'';

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.vpk': 'application/octet-stream',
};

// Files served from disk: fixed names only, never a path built from the request.
const VITRINE_FILES = {
  'vitrine.js': path.join(DIST_DIR, 'vitrine.js'),
  'vitrine.wasm': path.join(DIST_DIR, 'vitrine.wasm'),
  'vitrine-autofill.mjs': path.join(DIST_DIR, 'vitrine-autofill.mjs'),
  'vitrine-autofill.wasm': path.join(DIST_DIR, 'vitrine-autofill.wasm'),
  // The measurement chunk, fetched only by pages whose shopper granted measurement.
  'vitrine-measurement.mjs': path.join(DIST_DIR, 'vitrine-measurement.mjs'),
  'vitrine-measurement.wasm': path.join(DIST_DIR, 'vitrine-measurement.wasm'),
  'pack.vpk': PACK_PATH,
  'vitrine-rules.mjs': path.join(DIST_DIR, 'vitrine-rules.mjs'),
  // The CMP adapters, fetched only by pages whose script tag names a consent source.
  'vitrine-consent.mjs': path.join(DIST_DIR, 'vitrine-consent.mjs'),
  // The web components, fetched only by pages that have one; the privacy center's chunk
  // only by a page with a <vitrine-privacy-center>.
  'vitrine-widgets.mjs': path.join(DIST_DIR, 'vitrine-widgets.mjs'),
  'vitrine-privacy-center.mjs': path.join(DIST_DIR, 'vitrine-privacy-center.mjs'),
  // The consent banner, fetched only while it has to ask.
  'vitrine-banner.mjs': path.join(DIST_DIR, 'vitrine-banner.mjs'),
  // The export's format, fetched when the shopper exports or imports (the privacy page).
  'vitrine-rights.mjs': path.join(DIST_DIR, 'vitrine-rights.mjs'),
  'vitrine-widgets.css': path.join(DIST_DIR, 'vitrine-widgets.css'),
  // Their texts in languages other than English, fetched by pages in that language only.
  ...Object.fromEntries(['de', 'fr', 'es', 'ro', 'ru', 'zh', 'zh-Hant', 'ja'].flatMap(
      (lang) => ['widgets', 'privacy-center'].map(
          (chunk) =>
              [`vitrine-${chunk}-${lang}.mjs`,
               path.join(DIST_DIR, `vitrine-${chunk}-${lang}.mjs`)]))),
  'rules.json': path.join(here, 'rules.json'),
};

// The package's files under versioned names (a digest of their bytes), served as immutable
// with their Subresource Integrity hashes on the tags (privacy.md #27). The plain names
// stay for pages that do not pin a version (benchmarks, old themes): no-cache.
const IMMUTABLE = 'public, max-age=31536000, immutable';
function versionedAssets() {
  const assets = {};
  for (const name of ['vitrine.js', 'vitrine.wasm']) {
    let bytes;
    try {
      bytes = readFileSync(VITRINE_FILES[name]);
    } catch {
      assets[name] = {url: `/vitrine/${name}`, integrity: null, file: null};
      continue;
    }
    const digest = createHash('sha384').update(bytes).digest();
    const [base, ext] = name.split('.');
    assets[name] = {
      url: `/vitrine/${base}.${digest.subarray(0, 8).toString('hex')}.${ext}`,
      integrity: `sha384-${digest.toString('base64')}`,
      file: VITRINE_FILES[name],
    };
  }
  return assets;
}

function send(req, res, status, type, body, extra = {}) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    ...extra,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function sendFile(req, res, file, shop, extra = {}) {
  let body;
  try {
    body = await readFile(file);
  } catch {
    return notFound(req, res, shop);
  }
  return send(req, res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', body, extra);
}

function notFound(req, res, shop) {
  return send(
      req, res, 404, TYPES['.html'], errorPage(shop, 404, 'There is nothing at this address.'));
}

function catalogJson(shop) {
  return JSON.stringify({
    currency: 'EUR',
    categories: shop.categories.map(({name, slug}) => ({name, slug})),
    products: shop.products.map(
        ({id, name, category, categorySlug, price, available}) =>
            ({id, name, category, categorySlug, price, available})),
  });
}

// Query parameters a route understands are validated strictly; others (utm_*, gclid...)
// are ignored, as any storefront must tolerate campaign tags.
function sortParam(query) {
  const sort = query.get('sort') ?? 'featured';
  return Object.hasOwn(SORTS, sort) && query.getAll('sort').length <= 1 ? sort : null;
}

async function route(req, res, shop) {
  // Route on the raw path, never decoded or normalized: ids and slugs need no escapes, so
  // anything with '%', '..' or an unknown shape simply matches no route.
  const raw = req.url ?? '';
  const q = raw.indexOf('?');
  const pathname = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  if (pathname.length > 200) return notFound(req, res, shop);
  let m;
  if (pathname === '/') return send(req, res, 200, TYPES['.html'], homePage(shop));
  if ((m = /^\/c\/([a-z0-9-]{1,40})$/.exec(pathname))) {
    const category = shop.categoryBySlug.get(m[1]);
    const sort = sortParam(query);
    if (!category || sort === null) return notFound(req, res, shop);
    return send(req, res, 200, TYPES['.html'], categoryPage(shop, category, sort));
  }
  if ((m = /^\/p\/([0-9]{1,9})$/.exec(pathname))) {
    const product = shop.byId.get(m[1]);
    if (!product) return notFound(req, res, shop);
    return send(req, res, 200, TYPES['.html'], productPage(shop, product));
  }
  if (pathname === '/search') {
    const term = query.get('q') ?? '';
    if (term.length > 100) return notFound(req, res, shop);
    return send(req, res, 200, TYPES['.html'], searchPage(shop, term));
  }
  if (pathname === '/cart') return send(req, res, 200, TYPES['.html'], cartPage(shop));
  if (pathname === '/privacy') return send(req, res, 200, TYPES['.html'], privacyPage(shop));
  if (pathname === '/checkout') return send(req, res, 200, TYPES['.html'], checkoutPage(shop));
  if (pathname === '/checkout/done') {
    return send(req, res, 200, TYPES['.html'], checkoutDonePage(shop));
  }
  if ((m = /^\/img\/([0-9]{1,9})\.svg$/.exec(pathname))) {
    const product = shop.byId.get(m[1]);
    if (!product) return notFound(req, res, shop);
    const svg = productSvg(product, shop.categoryBySlug.get(product.categorySlug));
    return send(req, res, 200, TYPES['.svg'], svg, {'cache-control': 'public, max-age=3600'});
  }
  if (pathname === '/catalog.json') return send(req, res, 200, TYPES['.json'], shop.catalogJson);
  if ((m = /^\/vitrine\/([a-zA-Z-]+\.[a-z]+)$/.exec(pathname)) &&
      Object.hasOwn(VITRINE_FILES, m[1])) {
    return sendFile(req, res, VITRINE_FILES[m[1]], shop);
  }
  if (shop.shardDir && pathname === '/vitrine/pack/head.vpk') {
    return sendFile(req, res, path.join(shop.shardDir, 'head.vpk'), shop);
  }
  if (shop.shardDir && (m = /^\/vitrine\/pack\/shards\/([0-9a-f]{64})\.vpk$/.exec(pathname))) {
    // Named by their SHA-256: a name always means the same bytes, so cache them for good.
    return sendFile(
        req, res, path.join(shop.shardDir, 'shards', `${m[1]}.vpk`), shop,
        {'cache-control': IMMUTABLE});
  }
  const versioned = Object.values(shop.assets).find((a) => a.file && a.url === pathname);
  if (versioned) return sendFile(req, res, versioned.file, shop, {'cache-control': IMMUTABLE});
  if ((m = /^\/assets\/([a-z0-9-]{1,40}\.(?:css|js|svg))$/.exec(pathname))) {
    return sendFile(req, res, path.join(ASSETS_DIR, m[1]), shop);
  }
  if (shop.testPages && pathname.startsWith('/test/')) {
    const page = testPage(shop, pathname);
    if (page) return send(req, res, 200, page.type, page.body, page.headers);
  }
  return notFound(req, res, shop);
}

function handler(shop, quiet) {
  return (req, res) => {
    if (shop.collector.owns(req.url)) {
      return shop.collector.handle(req, res).catch((error) => {
        if (!quiet) console.error(`demo-shop: collector: ${error.stack ?? error}`);
        res.destroy();
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(
          req, res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n',
          {'allow': 'GET, HEAD'});
    }
    route(req, res, shop).catch((error) => {
      if (!quiet) console.error(`demo-shop: ${req.url}: ${error.stack ?? error}`);
      if (res.headersSent) return res.destroy();
      send(req, res, 500, TYPES['.html'], errorPage(shop, 500, 'The shop had a problem.'));
    });
  };
}

// Starts the shop; resolves to {server, url, close()}. port 0 picks a free port (tests).
// testPages: also serve the pages of test-pages.mjs (browser tests only; off by default).
// shards: serve the pack as a head and that many relation shards (docs/pack-format.md
// #sharded-packs) instead of one file; default 0 (VITRINE_PACK_SHARDS), one file.
export async function startDemoShop({
  port = 8080,
  host = '127.0.0.1',
  quiet = false,
  testPages = false,
  shards = Number(process.env.VITRINE_PACK_SHARDS ?? 0)
} = {}) {
  const log = quiet ? () => {} : (line) => console.log(`demo-shop: ${line}`);
  if (!(Number.isInteger(shards) && shards >= 0 && shards <= 65536)) {
    throw new Error('shards must be an integer from 0 to 65536');
  }
  let shardDir = null;
  try {
    await ensurePack({log});
    if (shards > 0) shardDir = await ensureShards(shards, {log});
  } catch (error) {
    // The shop still works (recently viewed needs no pack); recommendations will be empty.
    console.warn(`demo-shop: no model pack: ${error.message}`);
  }
  // The report collector (collector/): PGlite in VITRINE_COLLECTOR_DIR (default: in memory),
  // or the PostgreSQL server of DATABASE_URL.
  const collector = mountCollector({dataDir: process.env.VITRINE_COLLECTOR_DIR});
  // Its pages send reports (data-endpoint): the database is opened before the first page.
  await collector.open();
  const shop = {...catalog(), testPages: Boolean(testPages), collector, assets: versionedAssets()};
  if (shardDir) Object.assign(shop, {shardDir, packUrl: '/vitrine/pack/head.vpk'});
  shop.catalogJson = catalogJson(shop);
  const server = http.createServer(handler(shop, quiet));
  // Requests the HTTP parser refuses (bytes not allowed in a URL, broken headers): a plain 400.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  if (!quiet) {
    for (const [name, file] of Object.entries(VITRINE_FILES)) {
      if (!existsSync(file))
        console.warn(`demo-shop: ${file} is missing: /vitrine/${name} will be a 404`);
    }
    console.log(`Vitrine demo shop: ${url}/`);
  }
  const close = () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();  // keep-alive sockets from browsers would hold it open
      }).then(() => collector.close());
  return {server, url, close};
}

function parseArgs(argv) {
  const options = {port: 8080, host: '127.0.0.1'};
  for (let i = 0; i < argv.length; ++i) {
    const value = argv[i + 1];
    if (argv[i] === '--port' && /^[0-9]{1,5}$/.test(value ?? '') && Number(value) < 65536) {
      options.port = Number(value);
      ++i;
    } else if (argv[i] === '--shards' && /^[0-9]{1,5}$/.test(value ?? '')) {
      options.shards = Number(value);
      ++i;
    } else if (argv[i] === '--host' && value) {
      options.host = value;
      ++i;
    } else {
      console.error(
          'usage: node demo-shop/server.mjs [--port 8080] [--host 127.0.0.1] [--shards K]');
      process.exit(2);
    }
  }
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await startDemoShop(parseArgs(process.argv.slice(2)));
}
