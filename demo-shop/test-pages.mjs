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
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {html} from './html.mjs';
import {homePage} from './pages.mjs';

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
  if (pathname === '/test/gcm-setup.js') {
    return {type: 'text/javascript; charset=utf-8', body: GCM_SETUP};
  }
  return null;
}
