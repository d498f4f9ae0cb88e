// Pages that exist only for the browser tests: startDemoShop({testPages: true}) serves them,
// the shop itself never does (off by default, no command-line switch).
//   /test/gcm           the home page with data-consent="gcm" and a Consent Mode v2 stub
//   /test/gcm-setup.js  that stub: gtag() and its 'default' command, everything denied,
//                       run before the Vitrine script tag (no inline script: the CSP holds)
//   /test/bare          nothing but the Vitrine script tag, as a theme adds it
//   /test/bad-script-integrity, /test/bad-wasm-integrity
//                       the same with a wrong Subresource Integrity hash for the script or
//                       the wasm: the browser must refuse the file
//   /test/autofill/*    the checkout fixtures of the autofill tests
//   /test/widgets/<lang> (and /test/widgets-unreserved/<lang>, without the reserved space)
//                       a plain theme page with every Vitrine component and the script
//                       tag (no shop code but a product lookup), served with the shop's CSP
//                       plus require-trusted-types-for 'script'; /test/widgets.js its lookup
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {html} from './html.mjs';
import {homePage} from './pages.mjs';
import {CSP} from './server.mjs';

// A hash of the right shape that matches no file.
const WRONG_HASH = `sha384-${'A'.repeat(64)}`;

function barePage(shop, {scriptIntegrity, wasmIntegrity} = {}) {
  const script = shop.assets['vitrine.js'];
  const wasm = shop.assets['vitrine.wasm'];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Bare page</title>
<script src="${script.url}" integrity="${scriptIntegrity ?? script.integrity}" data-wasm="${
             wasm.url}" data-wasm-integrity="${
             wasmIntegrity ?? wasm.integrity}" data-consent="manual" defer></script>
</head>
<body><p>A page with only the Vitrine script tag.</p></body>
</html>
`.text;
}

// The checkout fixtures of tests/browser/autofill-*.test.mjs: /test/autofill/<name> (.html),
// /test/autofill/<name>.js and /test/autofill/<name>.css, fixed-shape names only.
const AUTOFILL_FIXTURES = path.join(
    path.dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'browser', 'fixtures', 'autofill');
const FIXTURE_TYPES = {
  '': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function autofillFixture(pathname) {
  const m = /^\/test\/autofill\/([a-z0-9-]{1,40})(\.js|\.css)?$/.exec(pathname);
  if (!m) return null;
  const ext = m[2] ?? '';
  const file = path.join(AUTOFILL_FIXTURES, `${m[1]}${ext || '.html'}`);
  if (!existsSync(file)) return null;
  return {type: FIXTURE_TYPES[ext], body: readFileSync(file, 'utf8')};
}

// Every component on one theme page, as a shop without a CMP would add them: the rows
// reserve their space (card-height) before the script runs.
// reserved: false leaves out the reservation (stylesheet and card-height), the control of
// the layout-shift test.
function widgetsPage(shop, lang, {reserved}) {
  const size = reserved ? html` card-height="260"` : '';
  const script = shop.assets['vitrine.js'];
  const wasm = shop.assets['vitrine.wasm'];
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>Components</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${reserved ? html`<link rel="stylesheet" href="/vitrine/vitrine-widgets.css">` : ''}
<link rel="stylesheet" href="/assets/widgets-test.css">
<script src="/test/widgets.js"></script>
<script src="${script.url}" integrity="${script.integrity}" data-wasm="${
             wasm.url}" data-wasm-integrity="${
             wasm.integrity}" data-pack="/vitrine/pack.vpk" data-consent="manual" defer></script>
</head>
<body>
<main>
<h1>Theme page</h1>
<vitrine-recently-viewed data-testid="w-recent" limit="6"${size}></vitrine-recently-viewed>
<vitrine-recommendations data-testid="w-home" context="home" limit="6"${
             size}></vitrine-recommendations>
<vitrine-recommendations data-testid="w-custom" context="home" limit="4"${
             size} list-name="Custom cards">
  <template><link rel="stylesheet" href="/assets/widgets-test.css"><a class="tile" data-field="url"><img data-field="image" width="120" height="120"><b class="tile-name" data-field="name"></b> <i data-field="price"></i></a></template>
</vitrine-recommendations>
<p>Below the rows.</p>
<vitrine-privacy-center data-testid="w-privacy"></vitrine-privacy-center>
</main>
<vitrine-consent-banner data-testid="w-banner"></vitrine-consent-banner>
</body>
</html>
`.text;
}

// The shop's product lookup, registered before the script tag has loaded (queued).
const WIDGETS_SETUP = `const products = fetch('/catalog.json').then((r) => r.json())
    .then((c) => new Map(c.products.map((p) => [p.id, p])));
window.vitrineReady = new Promise((resolve) => {
  document.addEventListener('DOMContentLoaded', () => {
    window.vitrine.widgets.define({
      currency: 'EUR',
      itemUrl: '/p/{id}',
      imageUrl: '/img/{id}.svg',
      lookup: async (id) => {
        const p = (await products).get(id);
        return p ? {name: p.name, price: p.price} : null;
      },
    }).then(resolve);
  });
});
`;

const GCM_SETUP =
    `// Consent Mode v2 as a site sets it up: gtag() pushes its arguments into the dataLayer,
// and the 'default' command runs before any tag, with every type denied.
window.dataLayer = window.dataLayer || [];
window.gtag = function gtag() {
  window.dataLayer.push(arguments);
};
window.gtag('consent', 'default', {
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
  analytics_storage: 'denied',
  functionality_storage: 'denied',
  personalization_storage: 'denied',
  security_storage: 'granted',
});
`;

// {type, body} for a test route, or null.
export function testPage(shop, pathname) {
  if (pathname === '/test/gcm') {
    return {
      type: 'text/html; charset=utf-8',
      body: homePage(shop, {consent: 'gcm', before: ['/test/gcm-setup.js']}),
    };
  }
  const HTML = 'text/html; charset=utf-8';
  if (pathname === '/test/bare') return {type: HTML, body: barePage(shop)};
  if (pathname === '/test/bad-script-integrity') {
    return {type: HTML, body: barePage(shop, {scriptIntegrity: WRONG_HASH})};
  }
  if (pathname === '/test/bad-wasm-integrity') {
    return {type: HTML, body: barePage(shop, {wasmIntegrity: WRONG_HASH})};
  }
  if (pathname.startsWith('/test/autofill/')) return autofillFixture(pathname);
  const widgets = /^\/test\/widgets(-unreserved)?\/([a-zA-Z-]{2,10})$/.exec(pathname);
  if (widgets) {
    return {
      type: HTML,
      body: widgetsPage(shop, widgets[2], {reserved: !widgets[1]}),
      headers: {'content-security-policy': `${CSP}; require-trusted-types-for 'script'`},
    };
  }
  if (pathname === '/test/widgets.js') {
    return {type: 'text/javascript; charset=utf-8', body: WIDGETS_SETUP};
  }
  if (pathname === '/test/gcm-setup.js') {
    return {type: 'text/javascript; charset=utf-8', body: GCM_SETUP};
  }
  return null;
}
