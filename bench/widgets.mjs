// The web components' weight (js/src/widgets/), printed as JSON:
//   chunk: vitrine-widgets.mjs (minified, gzip -9) and what each component and the texts
//          take of it (esbuild's metafile: bytes of each source in the minified output),
//          and each language chunk (vitrine-widgets-<lang>.mjs, gzip -9)
//   privacyCenter: vitrine-privacy-center.mjs the same way (its sections, its English texts)
//          and its language chunks (vitrine-privacy-center-<lang>.mjs)
//   mainBundle: what the components add to vitrine.js and vitrine.mjs (the facade that
//          loads the chunk, and the script tag's look for a vitrine-* element)
//   pages: the /vitrine/ bytes (gzip -9) that Chromium loads for a page without any
//          component (/test/bare), the components' test page (/test/widgets/en, every
//          component), the demo shop's home page and its privacy page (/privacy, the
//          privacy center); the pack is not counted
// Usage: node bench/widgets.mjs [--core build-wasm/wasm]   (after `make js`)
import * as esbuild from 'esbuild';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';

import {startDemoShop} from '../demo-shop/server.mjs';

import {launchChromium} from './lib/chromium.mjs';
import {DIST} from './lib/dist.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gzip = (bytes) => gzipSync(bytes, {level: 9}).length;

// Builds one entry like js/build.mjs does, in memory, with a metafile.
async function build(entry, extra = {}) {
  const out = await esbuild.build({
    entryPoints: [path.join(root, 'js', 'src', entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome91', 'firefox90', 'safari16.4', 'node20'],  // as js/build.mjs
    write: false,
    metafile: true,
    outdir: '/out',
    legalComments: 'none',
    logLevel: 'silent',
    // vitrine-chunk-urls: js/build.mjs's table of the chunks' URLs (a few hundred bytes).
    external: [
      'vitrine-core', 'vitrine-chunk-urls', 'fs', 'path', 'url', 'module', 'crypto', 'ws',
      'worker_threads'
    ],
    ...extra,
  });
  const [file] = out.outputFiles;
  const inputs = Object.values(out.metafile.outputs)[0].inputs;
  return {bytes: file.contents.length, gzip: gzip(file.contents), inputs};
}

// Bytes in the minified output of the sources under js/src/widgets/, by file.
function widgetsInputs(inputs) {
  const out = {};
  for (const [file, {bytesInOutput}] of Object.entries(inputs)) {
    if (file.includes('widgets/')) out[path.basename(file)] = bytesInOutput;
  }
  return out;
}

async function chunk(entry = 'widgets/index.js', name = 'widgets') {
  const built = await build(entry);
  const dist = readFileSync(path.join(DIST, `vitrine-${name}.mjs`));
  // The texts of each language but English (built in): a chunk each, gzip bytes.
  const languagesGzip = {};
  const language = new RegExp(`^vitrine-${name}-([a-zA-Z]{2}(?:-Hant)?)\\.mjs$`);
  for (const file of readdirSync(DIST)) {
    const m = language.exec(file);
    if (m) languagesGzip[m[1]] = gzip(readFileSync(path.join(DIST, file)));
  }
  return {
    bytes: built.bytes,
    gzip: built.gzip,
    distGzip: gzip(dist),
    minifiedBytesBySource: widgetsInputs(built.inputs),
    languagesGzip,
  };
}

async function mainBundle() {
  const esm = await build('index.js');
  const tag =
      await build('script-tag.js', {format: 'iife', define: {'import.meta.url': 'undefined'}});
  return {
    'vitrine.mjs': {bytes: esm.bytes, widgetsSources: widgetsInputs(esm.inputs)},
    'vitrine.js': {bytes: tag.bytes, widgetsSources: widgetsInputs(tag.inputs)},
  };
}

async function pages() {
  const shop = await startDemoShop({port: 0, quiet: true, testPages: true});
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const got = new Map();
    page.on('response', async (response) => {
      const p = new URL(response.url()).pathname;
      if (!p.startsWith('/vitrine/') || p.endsWith('.vpk')) return;
      try {
        got.set(p, gzip(await response.body()));
      } catch {
        // no body (redirect)
      }
    });
    const weigh = async (url, settle) => {
      got.clear();
      await page.goto(`${shop.url}${url}`);
      await page.evaluate(() => window.vitrine.ready);
      await settle();
      await page.waitForTimeout(300);
      const files = Object.fromEntries(got);
      return {
        files,
        gzip: Object.values(files).reduce((a, b) => a + b, 0),
        widgetsChunkLoaded: Object.keys(files).some((f) => f.includes('vitrine-widgets')),
      };
    };
    const rendered = (selector) => () =>
        page.locator(`${selector}[data-state="ready"]`).first().waitFor({state: 'attached'});
    return {
      noComponent: await weigh('/test/bare', async () => {}),
      everyComponent: await weigh('/test/widgets/en', rendered('vitrine-recommendations')),
      demoHome: await weigh('/', rendered('vitrine-recommendations')),
      demoPrivacy: await weigh('/privacy', rendered('vitrine-privacy-center')),
    };
  } finally {
    await browser.close();
    await shop.close();
  }
}

console.log(JSON.stringify(
    {
      benchmark: 'widgets',
      chunk: await chunk(),
      privacyCenter: await chunk('widgets/privacy-chunk.js', 'privacy-center'),
      mainBundle: await mainBundle(),
      pagesGzip: await pages(),
    },
    null, 2));
