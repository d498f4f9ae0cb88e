// Validation of everything a shop passes in: createVitrine options, events, and the
// options of each call. Anything unexpected is a VitrineError('invalid_argument').
// A virtual module of js/build.mjs: { file: new URL('./file', import.meta.url).href }.
import {chunkUrls} from 'vitrine-chunk-urls';

import {DEFAULT_POLICY_VERSION} from './consent-record.js';
import {CONSENT_SOURCES} from './consent/sources.js';
import {VitrineError} from './errors.js';

const invalid = (message) => new VitrineError('invalid_argument', message);

function defaultWasmUrl() {
  // In an ES module build the .wasm sits beside the module; bundlers (vite, webpack 5)
  // recognise this pattern and emit the file.
  return new URL('./vitrine.wasm', import.meta.url).href;
}

function defaultFeatureBase() {
  // On-demand chunks (vitrine-<feature>.mjs) sit beside this module: their URLs as bundlers
  // rewrite them (js/build.mjs makes this table; none in the script-tag build).
  return chunkUrls() ?? (typeof import.meta.url === 'string' ? import.meta.url : undefined);
}

function positiveInteger(value, name, max) {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw invalid(`${name} must be a whole number from 1 to ${max}`);
  }
  return value;
}

export function readOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw invalid('createVitrine takes an options object');
  }
  const {
    storage = 'indexeddb',
    consent = 'manual',
    policyVersion = DEFAULT_POLICY_VERSION,
    namespace = 'vitrine',
    now = Date.now,
    captureDataLayer: capture = false,
    dataLayer,
    wasmUrl,
    wasmBinary,
    wasmIntegrity,
    pack,
    shardUrl,
    blockedTimeout = 3000,
    featureBase,
    endpoint,
  } = options;
  if (storage !== 'indexeddb' && storage !== 'memory') {
    throw invalid(`storage must be 'indexeddb' or 'memory'`);
  }
  if (consent !== 'manual' && !CONSENT_SOURCES.includes(consent)) {
    throw invalid(`consent must be one of manual, ${CONSENT_SOURCES.join(', ')}`);
  }
  if (typeof policyVersion !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(policyVersion)) {
    throw invalid('policyVersion must be 1-64 printable characters');
  }
  if (typeof namespace !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(namespace)) {
    throw invalid('namespace must be 1-64 letters, digits, _ . or -');
  }
  if (typeof now !== 'function') throw invalid('now must be a function');
  if (featureBase !== undefined && typeof featureBase !== 'string') {
    throw invalid('featureBase must be a URL string');
  }
  if (shardUrl !== undefined && typeof shardUrl !== 'function') {
    throw invalid('shardUrl must be a function (index, digest) => URL');
  }
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    throw invalid('endpoint must be an http(s) URL (the collector that receives reports)');
  }
  if (dataLayer !== undefined && !Array.isArray(dataLayer))
    throw invalid('dataLayer must be an array');
  positiveInteger(blockedTimeout, 'blockedTimeout', 600_000);
  if (wasmIntegrity !== undefined &&
      (typeof wasmIntegrity !== 'string' ||
       !/^sha(256|384|512)-[A-Za-z0-9+/=]+$/.test(wasmIntegrity))) {
    throw invalid('wasmIntegrity must be a Subresource Integrity hash like sha384-...');
  }
  return {
    storage,
    consent,
    policyVersion,
    namespace,
    now,
    capture: Boolean(capture),
    dataLayer,
    wasmUrl: wasmUrl ?? (wasmBinary ? undefined : defaultWasmUrl()),
    wasmBinary,
    wasmIntegrity,
    pack,
    shardUrl,
    blockedTimeout,
    featureBase: featureBase ?? defaultFeatureBase(),
    endpoint: endpoint === undefined ? undefined :
                                       new URL(endpoint, globalThis.location?.href).href,
  };
}

function isHttpUrl(value) {
  if (typeof value !== 'string') return false;
  try {
    return /^https?:$/.test(new URL(value, globalThis.location?.href).protocol);
  } catch {
    return false;
  }
}

// JSON without silently turning NaN or Infinity into null (which would read as "absent").
// JSON.stringify without a replacer keeps V8's fast path (a replacer made it twice as slow).
export function eventJson(event) {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw invalid('an event must be an object like { event, items }');
  }
  // That path writes NaN and Infinity as null: a walk finds them first. A toJSON (a Date,
  // say) or a depth past any event's (a cycle) stops the walk, and then a replacer checks
  // instead: it sees what toJSON returned (toJSON runs once), and stringify names the cycle.
  return plainAndFinite(event, '', 0) ? JSON.stringify(event) : JSON.stringify(event, finiteOnly);
}

function notFinite(key) {
  return invalid(`${key || 'value'} must be a finite number`);
}

function finiteOnly(key, value) {
  if (typeof value === 'number' && !Number.isFinite(value)) throw notFinite(key);
  return value;
}

// False when the value holds a toJSON or nests deeper than 32 levels (the engine takes 8);
// throws on a number that is not finite.
function plainAndFinite(value, key, depth) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw notFinite(key);
    return true;
  }
  if (value === null || typeof value !== 'object') return true;
  if (typeof value.toJSON === 'function' || depth > 32) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; ++i) {
      if (!plainAndFinite(value[i], String(i), depth + 1)) return false;
    }
  } else {
    for (const k of Object.keys(value)) {
      if (!plainAndFinite(value[k], k, depth + 1)) return false;
    }
  }
  return true;
}

const CONTEXTS = ['home', 'item', 'cart'];

// recommend() options as the binding's arguments.
export function recommendArgs(options) {
  if (options === null || typeof options !== 'object')
    throw invalid('recommend takes an options object');
  const {context = 'home', itemId = '', itemIds = [], limit = 8, filter = {}} = options;
  if (!CONTEXTS.includes(context)) throw invalid(`context must be one of ${CONTEXTS.join(', ')}`);
  if (typeof itemId !== 'string') throw invalid('itemId must be a string');
  if (context === 'item' && itemId === '') throw invalid('context \'item\' needs an itemId');
  if (!Array.isArray(itemIds) || itemIds.length > 200 ||
      !itemIds.every((id) => typeof id === 'string')) {
    throw invalid('itemIds must be an array of at most 200 strings');
  }
  positiveInteger(limit, 'limit', 50);
  if (filter === null || typeof filter !== 'object') throw invalid('filter must be an object');
  const {
    category = '',
    maxPerCategory = 0,
    excludePurchased = true,
    excludeInCart = true,
    excludeUnavailable = true,
    excludeItems = []
  } = filter;
  if (typeof category !== 'string') throw invalid('filter.category must be a string');
  if (!Array.isArray(excludeItems) || excludeItems.length > 200 ||
      !excludeItems.every((id) => typeof id === 'string')) {
    throw invalid('filter.excludeItems must be an array of at most 200 strings');
  }
  if (maxPerCategory !== 0) positiveInteger(maxPerCategory, 'filter.maxPerCategory', 50);
  return [
    context, itemId, itemIds, excludeItems, limit, category, maxPerCategory,
    Boolean(excludePurchased), Boolean(excludeInCart), Boolean(excludeUnavailable)
  ];
}

export function recentlyViewedArgs(
    {limit = 50, excludeItem = '', excludePurchased = false, maxAgeDays = 30} = {}) {
  positiveInteger(limit, 'limit', 50);
  if (typeof excludeItem !== 'string') throw invalid('excludeItem must be a string');
  if (typeof maxAgeDays !== 'number' || !(maxAgeDays > 0) || maxAgeDays > 3650) {
    throw invalid('maxAgeDays must be a number from 0 to 3650');
  }
  return {limit, excludeItem, excludePurchased: Boolean(excludePurchased), maxAgeDays};
}

export function categoryName(category) {
  if (typeof category !== 'string' || category.length === 0 || category.length > 256) {
    throw invalid('an interest is a category name of 1 to 256 characters');
  }
  return category;
}
