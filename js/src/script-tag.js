// The script-tag build: <script src=".../vitrine.js" data-pack="..." data-consent="manual"
// defer></script>. Exposes one global, `vitrine`, captures window.dataLayer (including what
// was pushed before it loaded), and accepts track/consent calls before the engine is ready.
import {createVitrine} from './index.js';
import {whenWidgetsAppear} from './widgets/facade.js';

(() => {
  if (typeof window === 'undefined' || window.vitrine) return;  // loaded twice: keep the first
  const script = document.currentScript;
  const data = script?.dataset ?? {};
  const base = script?.src || location.href;
  const options = {
    captureDataLayer: data.datalayer !== 'off',
    wasmUrl: data.wasm ? new URL(data.wasm, base).href : new URL('vitrine.wasm', base).href,
    featureBase: new URL('./', base).href,
  };
  if (data.wasmIntegrity) options.wasmIntegrity = data.wasmIntegrity;
  if (data.consent) options.consent = data.consent;
  if (data.policyVersion) options.policyVersion = data.policyVersion;
  if (data.storage) options.storage = data.storage;
  if (data.namespace) options.namespace = data.namespace;
  if (data.pack) options.pack = new URL(data.pack, location.href).href;  // relative to the page
  if (data.endpoint) options.endpoint = new URL(data.endpoint, location.href).href;

  let instance = null;
  const early = [];  // calls made before the engine was ready, replayed in order
  const ready = createVitrine(options).then((v) => {
    instance = v;
    for (const call of early.splice(0)) call(v);
    return v;
  });
  ready.catch(() => {});  // reported through `ready`; never an unhandled rejection
  // data-autofill="on": on a page with an address form (a cheap look first, so other pages
  // load nothing more), offer to fill and to remember the details.
  if (data.autofill === 'on') {
    const look = () => document.querySelector(
                           '[autocomplete~="postal-code"],[autocomplete~="address-line1"],' +
                           '[autocomplete~="street-address"],input[name*="zip" i],' +
                           'input[name*="postcode" i],input[name*="postal" i]') &&
        ready.then((v) => v.autofill.offer(document)).catch(() => {});
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', look);
    } else {
      look();
    }
  }

  // A page with a Vitrine component (<vitrine-recommendations> ...) gets the components'
  // chunk, also when a single-page app adds the first one later; a page without one never
  // fetches it.
  const lookForWidgets = () => whenWidgetsAppear(
      () => ready.then((v) => v.widgets.define())
                .catch((error) => console.error(`vitrine: widgets: ${error?.message ?? error}`)));
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', lookForWidgets);
  } else {
    lookForWidgets();
  }

  const later = (call) => {
    if (instance) return Promise.resolve(call(instance));
    return new Promise((resolve, reject) => early.push((v) => {
      try {
        resolve(call(v));
      } catch (error) {
        reject(error);
      }
    }));
  };
  const need = (name) => {
    if (!instance) {
      throw new Error(`vitrine.${name}() needs the engine: use (await vitrine.ready).${name}()`);
    }
    return instance;
  };
  const now = (name) => (...args) => need(name)[name](...args);
  // The shopper's rights are asynchronous anyway: they wait for the engine.
  const privacyAsync = [
    'export', 'import', 'erase', 'removeItem', 'removeInterest', 'restoreInterest', 'sent',
    'ledger', 'enforceRetention', 'storedCounts'
  ];

  window.vitrine = Object.freeze({
    ready,
    track: (event) =>
        (instance ? instance.track(event) :
                    (later((v) => v.track(event)), {ok: true, queued: true})),
    consent: Object.freeze({
      set: (change) => later((v) => v.consent.set(change)),
      get: () => need('consent.get').consent.get(),
      log: () => need('consent.log').consent.log(),
      get required() {
        return need('consent.required').consent.required;
      },
      source: options.consent ?? 'manual',
    }),
    privacy: Object.freeze({
      ...Object.fromEntries(
          privacyAsync.map((name) => [name, (...args) => later((v) => v.privacy[name](...args))])),
      interests: () => need('privacy.interests').privacy.interests(),
      removedInterests: () => need('privacy.removedInterests').privacy.removedInterests(),
      segments: () => need('privacy.segments').privacy.segments(),
      experiments: () => need('privacy.experiments').privacy.experiments(),
    }),
    segments: now('segments'),
    bestsellers: now('bestsellers'),
    rerank: now('rerank'),
    experiment: now('experiment'),
    rules: Object.freeze({
      load: (source) => later((v) => v.rules.load(source)),
      setPage: (page) => later((v) => v.rules.setPage(page)),
      decisions: () => later((v) => v.rules.decisions()),
    }),
    recentlyViewed: now('recentlyViewed'),
    recommend: now('recommend'),
    recommendAsync: (options) => later((v) => v.recommendAsync(options)),
    loadPack: (source) => later((v) => v.loadPack(source)),
    stats: now('stats'),
    on: (name, listener) => {
      let off = null;
      let cancelled = false;
      later((v) => {
        if (!cancelled) off = v.on(name, listener);
      });
      return () => {
        cancelled = true;
        off?.();
      };
    },
    flush: () => later((v) => v.flush()),
    // Options first, then the components (define() may come before or after the engine).
    widgets: Object.freeze({
      define: (options) => later((v) => v.widgets.define(options)),
      configure: (options) => later((v) => v.widgets.configure(options)),
    }),
    autofill: Object.freeze({
      ...Object.fromEntries(['load', 'save', 'get', 'forget', 'fill'].map(
          (name) => [name, (...args) => later((v) => v.autofill[name](...args))])),
      detect: (root) => need('autofill.detect').autofill.detect(root),
    }),
  });
})();
