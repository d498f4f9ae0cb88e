// <vitrine-privacy-center>, a chunk of its own (dist/vitrine-privacy-center.mjs) with its
// texts (privacy/texts/; other languages are chunks vitrine-privacy-center-<lang>.mjs): only
// a privacy page has one, so the other pages do not load it with the components' chunk
// (js/src/widgets/index.js defines it when the first one is in the document). The chunk has
// its own copy of shared.js, given the same host.
import {PrivacyCenter} from './privacy/center.js';
import {setHost} from './shared.js';

let defined = false;

export function definePrivacyCenter(host) {
  if (defined) return;
  defined = true;
  setHost(host);
  if (!customElements.get('vitrine-privacy-center')) {
    customElements.define('vitrine-privacy-center', PrivacyCenter);
  }
}
