// What the components share: the Vitrine instance, the shop's options (product lookup,
// URL patterns, currency, texts), a stylesheet helper, and the GA4 select_item push.
import {loadFeature} from '../feature-loader.js';

import {languageOf, loadLanguage, textsFor} from './texts.js';

let host = null;
let version = 0;  // bumped when the shop changes its options: product data is looked up again
const watchers = new Set();

export function setHost(h) {
  host = h;
  h.onOptions(() => {
    ++version;
    cache.clear();
    for (const fn of watchers) fn();
  });
}

export const engine = () => host.vitrine;
// The host itself, for a chunk the components load that needs it too (the banner's).
export const currentHost = () => host;
export const options = () => host.options();
export function onOptions(fn) {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

// The element's texts, once its language's chunks are loaded (English is built in):
// bundles 'widgets' (rows, banner, purposes) and, for the privacy center, 'privacy-center'.
export async function texts(element, bundles = ['widgets']) {
  const tag =
      element.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  const load = (name) => loadFeature(name, host.base);
  await Promise.all(bundles.map((bundle) => loadLanguage(languageOf(tag), load, bundle)));
  return textsFor(tag, options().texts, bundles);
}

// Constructed stylesheets: no <style> element, so a CSP without 'unsafe-inline' styles
// and Trusted Types both hold.
export function sheet(css) {
  const s = new CSSStyleSheet();
  s.replaceSync(css);
  return s;
}

// Only http(s) URLs (relative ones resolved against the page) reach href/src: a lookup
// that returns javascript: or data: gets no link.
export function safeUrl(value) {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const url = new URL(value, document.baseURI);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

const cache = new Map();

// { id, name, price, image, url } for one item, or null when nothing names it. From the
// shop's lookup (sync or async) when registered, else from what the history knows (hint:
// a recently viewed row's name and price), with URLs from the itemUrl/imageUrl patterns.
export async function product(id, hint = {}) {
  const key = `${version}:${id}`;
  if (!cache.has(key)) cache.set(key, readProduct(id, hint));
  return cache.get(key);
}

async function readProduct(id, hint) {
  const o = options();
  const fill = (pattern) => (pattern ? pattern.replaceAll('{id}', encodeURIComponent(id)) : null);
  let data = {};
  if (o.lookup) {
    try {
      data = (await o.lookup(id)) ?? null;
    } catch (error) {
      console.warn(`vitrine widgets: lookup(${id}) failed: ${error?.message ?? error}`);
      data = null;
    }
    if (data === null || typeof data !== 'object') return null;  // the shop does not sell it
  }
  const name = typeof data.name === 'string' && data.name ? data.name :
      typeof hint.name === 'string' && hint.name          ? hint.name :
                                                            null;
  if (name === null) return null;
  const price = Number.isFinite(data.price) ? data.price :
      Number.isFinite(hint.price)           ? hint.price :
                                              null;
  return {
    id,
    name,
    price,
    image: safeUrl(data.image ?? fill(o.imageUrl)),
    url: safeUrl(data.url ?? fill(o.itemUrl)),
  };
}

export function formatPrice(price, element) {
  if (price === null) return '';
  const lang = element.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang;
  const currency = options().currency;
  try {
    return new Intl
        .NumberFormat(
            lang || 'en', currency ? {style: 'currency', currency} : {minimumFractionDigits: 2})
        .format(price);
  } catch {
    return price.toFixed(2);
  }
}

// A click on a widget card: GA4 select_item with the row as the list, pushed to the page's
// dataLayer (the shop's analytics see it); Vitrine learns from it through its dataLayer
// capture, or, when it does not capture, through track().
export function selectItem({listId, listName, item, index}) {
  const gaItem = {
    item_id: item.id,
    item_name: item.name,
    index,
    item_list_id: listId,
    item_list_name: listName,
  };
  if (item.price !== null) gaItem.price = item.price;
  const ecommerce = {item_list_id: listId, item_list_name: listName, items: [gaItem]};
  if (options().currency) ecommerce.currency = options().currency;
  const event = {event: 'select_item', ecommerce};
  if (options().dataLayer !== false) {
    const layer = (globalThis.dataLayer = globalThis.dataLayer ?? []);
    layer.push({ecommerce: null});  // clears the previous ecommerce object (GA4 advice)
    layer.push(event);
    if (host.captures) return;
  }
  try {
    host.vitrine.track(event);
  } catch {
    // closed instance: the page is going away
  }
}

// A short id unique in this document, for aria-labelledby/controls inside a shadow root.
let counter = 0;
export const uid = (prefix) => `${prefix}-${++counter}`;

// document.createElement with attributes and text children (never HTML).
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
