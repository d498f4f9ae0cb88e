// Pages that exist only for the browser tests: startDemoShop({testPages: true}) serves them,
// the shop itself never does (off by default, no command-line switch).
//   /test/gcm           the home page with data-consent="gcm" and a Consent Mode v2 stub
//   /test/gcm-setup.js  that stub: gtag() and its 'default' command, everything denied,
//                       run before the Vitrine script tag (no inline script: the CSP holds)
import {homePage} from './pages.mjs';

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
  if (pathname === '/test/gcm-setup.js') {
    return {type: 'text/javascript; charset=utf-8', body: GCM_SETUP};
  }
  return null;
}
