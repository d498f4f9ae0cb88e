// The components' chunk (dist/vitrine-widgets.mjs), loaded by v.widgets.define() or by the
// script tag when the page has a vitrine-* element. Defines the custom elements once.
import {ConsentBanner} from './consent-banner.js';
import {PrivacyCenter} from './privacy-center.js';
import {RecentlyViewed, Recommendations} from './row.js';
import {setHost} from './shared.js';

const ELEMENTS = {
  'vitrine-recently-viewed': RecentlyViewed,
  'vitrine-recommendations': Recommendations,
  'vitrine-privacy-center': PrivacyCenter,
  'vitrine-consent-banner': ConsentBanner,
};

let defined = false;

export function defineWidgets(host) {
  if (defined) return;  // one instance drives the page's components: the first to define them
  defined = true;
  setHost(host);
  for (const [name, element] of Object.entries(ELEMENTS)) {
    if (!customElements.get(name)) customElements.define(name, element);
  }
}
