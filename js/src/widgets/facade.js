// v.widgets in the main bundle: keeps the shop's widget options and loads the components'
// chunk (dist/vitrine-widgets.mjs) on first use, so a page without a component never
// fetches it. The script tag calls load() by itself when the page has a vitrine-* element.
import {VitrineError} from '../errors.js';
import {loadFeature} from '../feature-loader.js';

export const WIDGET_TAGS = [
  'vitrine-recently-viewed', 'vitrine-recommendations', 'vitrine-privacy-center',
  'vitrine-consent-banner'
];

// Calls found() once the document has a vitrine-* element: now, or when a single-page app
// adds one later (a route rendered after load). Until then a MutationObserver looks at
// what is added, and stops at the first one.
export function whenWidgetsAppear(found) {
  const selector = WIDGET_TAGS.join(',');
  if (document.querySelector(selector)) return found();
  const isWidget = (node) => node.nodeType === Node.ELEMENT_NODE &&
      (WIDGET_TAGS.includes(node.localName) || node.querySelector(selector) !== null);
  const observer = new MutationObserver((records) => {
    if (!records.some((record) => [...record.addedNodes].some(isWidget))) return;
    observer.disconnect();
    found();
  });
  observer.observe(document.documentElement, {childList: true, subtree: true});
  return undefined;
}

const invalid = (message) => new VitrineError('invalid_argument', message);

// Checks the options of define()/configure(); returns a copy holding only known keys.
export function readWidgetOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalid('widgets options must be an object');
  }
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'lookup') {
      if (typeof value !== 'function') throw invalid('widgets lookup must be a function');
    } else if (key === 'itemUrl' || key === 'imageUrl') {
      if (typeof value !== 'string' || !value.includes('{id}') || value.length > 500) {
        throw invalid(`widgets ${key} must be a URL pattern containing {id}`);
      }
    } else if (key === 'currency') {
      if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) {
        throw invalid('widgets currency must be an ISO 4217 code such as EUR');
      }
    } else if (key === 'texts') {
      const ok = value !== null && typeof value === 'object' &&
          Object.values(value).every(
              (layer) => layer !== null && typeof layer === 'object' &&
                  Object.values(layer).every((t) => typeof t === 'string' && t.length <= 1000));
      if (!ok) throw invalid('widgets texts must be {lang: {key: text}} with string texts');
    } else if (key === 'dataLayer') {
      if (typeof value !== 'boolean') throw invalid('widgets dataLayer must be true or false');
    } else {
      throw invalid(`unknown widgets option '${key}'`);
    }
    out[key] = value;
  }
  return out;
}

// host: { base, instance, captures }: the Vitrine instance and whether it captures the
// dataLayer itself (then a pushed select_item reaches it from there).
export function widgetsFacade(host) {
  let options = {};
  const listeners = new Set();
  let loading = null;
  const load = () => (loading ??= loadFeature('widgets', host.base).then((m) => m.defineWidgets({
    base: host.base,
    vitrine: host.instance,
    captures: host.captures,
    options: () => options,
    onOptions: (fn) => listeners.add(fn),
  })));
  const configure = (change) => {
    options = {...options, ...readWidgetOptions(change)};
    for (const fn of listeners) fn();
  };
  return Object.freeze({
    configure,
    // Sets the options (if given) and defines the custom elements.
    define: (change) => {
      if (change !== undefined) configure(change);
      return load().then(() => {});
    },
    get options() {
      return {...options};
    },
  });
}
