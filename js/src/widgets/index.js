// The components' chunk (dist/vitrine-widgets.mjs), loaded by v.widgets.define() or by the
// script tag when the page has a vitrine-* element. Defines the custom elements once.
import {loadFeature} from '../feature-loader.js';

import {ConsentBanner} from './consent-banner.js';
import {RecentlyViewed, Recommendations} from './row.js';
import {setHost} from './shared.js';

const ELEMENTS = {
  'vitrine-recently-viewed': RecentlyViewed,
  'vitrine-recommendations': Recommendations,
  'vitrine-consent-banner': ConsentBanner,
};

const PRIVACY_CENTER = 'vitrine-privacy-center';

// The privacy center is a chunk of its own (privacy-chunk.js), loaded when the first
// <vitrine-privacy-center> is in the document: now, or when one is added later (a
// single-page app's privacy route). Until then an observer watches for it.
function definePrivacyCenterWhenUsed(host) {
  const define = () =>
      loadFeature('privacy-center', host.base).then((chunk) => chunk.definePrivacyCenter(host));
  if (document.querySelector(PRIVACY_CENTER)) return define();
  const observer = new MutationObserver((records) => {
    const added = records.some(
        (record) => [...record.addedNodes].some(
            (node) => node.nodeType === Node.ELEMENT_NODE &&
                (node.localName === PRIVACY_CENTER || node.querySelector(PRIVACY_CENTER))));
    if (!added) return;
    observer.disconnect();
    define().catch((error) => console.error(`vitrine: privacy center: ${error?.message ?? error}`));
  });
  observer.observe(document, {childList: true, subtree: true});
  return undefined;
}

let defined = false;

export function defineWidgets(host) {
  if (defined) return;  // one instance drives the page's components: the first to define them
  defined = true;
  setHost(host);
  for (const [name, element] of Object.entries(ELEMENTS)) {
    if (!customElements.get(name)) customElements.define(name, element);
  }
  return definePrivacyCenterWhenUsed(host);
}
