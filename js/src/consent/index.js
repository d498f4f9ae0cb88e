// The on-demand consent chunk (vitrine-consent.mjs): the CMP adapters, fetched only by a
// page whose options.consent names a source (js/src/index.js).
export {attachConsentSource} from './adapters.js';
