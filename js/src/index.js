// The public API of the `vitrine` package: createVitrine(options) -> Vitrine.
// The engine (wasm) keeps everything in memory; this layer adds storage, consent, tabs
// and event capture around it. See README "API" for the reference.
import {captureDataLayer} from './capture/datalayer.js';
import {applyPurposes, bitsToPurposes, HISTORY} from './consent.js';
import {loadCore} from './core-loader.js';
import {Emitter} from './emitter.js';
import {check, VitrineError} from './errors.js';
import {loadPack} from './pack.js';
import {IndexedDbStore} from './storage/indexeddb.js';
import {MemoryStore} from './storage/memory.js';

export {PURPOSES} from './consent.js';
export {VitrineError} from './errors.js';

const DAY_MS = 24 * 3600 * 1000;
const HISTORY_RECORD = {
  format: 'vitrine.history',
  version: 1
};

function defaultWasmUrl() {
  // In an ES module build the .wasm sits beside the module; bundlers (vite, webpack 5)
  // recognise this pattern and emit the file.
  return new URL('./vitrine.wasm', import.meta.url).href;
}

function readOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw new VitrineError('invalid_argument', 'createVitrine takes an options object');
  }
  const {
    storage = 'indexeddb',
    consent = 'manual',
    namespace = 'vitrine',
    now = Date.now,
    captureDataLayer: capture = false,
    dataLayer,
    wasmUrl,
    wasmBinary,
    pack,
  } = options;
  if (storage !== 'indexeddb' && storage !== 'memory') {
    throw new VitrineError('invalid_argument', `storage must be 'indexeddb' or 'memory'`);
  }
  if (consent !== 'manual') {
    throw new VitrineError(
        'invalid_argument', `consent '${consent}' is not supported yet; use 'manual'`);
  }
  if (typeof namespace !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(namespace)) {
    throw new VitrineError('invalid_argument', 'namespace must be 1-64 letters, digits, _ . or -');
  }
  if (typeof now !== 'function')
    throw new VitrineError('invalid_argument', 'now must be a function');
  return {
    storage,
    consent,
    namespace,
    now,
    capture: Boolean(capture),
    dataLayer,
    wasmUrl: wasmUrl ?? (wasmBinary ? undefined : defaultWasmUrl()),
    wasmBinary,
    pack,
  };
}

// JSON without silently turning NaN or Infinity into null (which would read as "absent").
function eventJson(event) {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new VitrineError('invalid_argument', 'an event must be an object like { event, items }');
  }
  return JSON.stringify(event, (key, value) => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new VitrineError('invalid_argument', `${key || 'value'} must be a finite number`);
    }
    return value;
  });
}

const CONTEXTS = ['home', 'item', 'cart'];

// recommend() options as the binding's arguments; anything unexpected is an error.
function recommendArgs(options) {
  if (options === null || typeof options !== 'object') {
    throw new VitrineError('invalid_argument', 'recommend takes an options object');
  }
  const {context = 'home', itemId = '', itemIds = [], limit = 8, filter = {}} = options;
  if (!CONTEXTS.includes(context)) {
    throw new VitrineError('invalid_argument', `context must be one of ${CONTEXTS.join(', ')}`);
  }
  if (typeof itemId !== 'string')
    throw new VitrineError('invalid_argument', 'itemId must be a string');
  if (context === 'item' && itemId === '') {
    throw new VitrineError('invalid_argument', 'context \'item\' needs an itemId');
  }
  if (!Array.isArray(itemIds) || itemIds.length > 200 ||
      !itemIds.every((id) => typeof id === 'string')) {
    throw new VitrineError('invalid_argument', 'itemIds must be an array of at most 200 strings');
  }
  positiveInteger(limit, 'limit', 50);
  if (filter === null || typeof filter !== 'object') {
    throw new VitrineError('invalid_argument', 'filter must be an object');
  }
  const {
    category = '',
    maxPerCategory = 0,
    excludePurchased = true,
    excludeInCart = true,
    excludeUnavailable = true
  } = filter;
  if (typeof category !== 'string')
    throw new VitrineError('invalid_argument', 'filter.category must be a string');
  if (maxPerCategory !== 0) positiveInteger(maxPerCategory, 'filter.maxPerCategory', 50);
  return [
    context, itemId, itemIds, limit, category, maxPerCategory, Boolean(excludePurchased),
    Boolean(excludeInCart), Boolean(excludeUnavailable)
  ];
}

function positiveInteger(value, name, max) {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new VitrineError('invalid_argument', `${name} must be a whole number from 1 to ${max}`);
  }
  return value;
}

export async function createVitrine(options = {}) {
  const opts = readOptions(options);
  const core = await loadCore(opts);
  const vitrine = new Vitrine(core, opts);
  await vitrine._start();
  return vitrine;
}

class Vitrine {
  #core;
  #engine;
  #opts;
  #Store;
  #store = null;
  #pack = null;
  #events = new Emitter();
  #writes = Promise.resolve();
  #persistQueued = false;
  #channel = null;
  #stopCapture = null;
  #closed = false;
  #rejectedHere = 0;  // events refused before reaching the engine (not JSON-serializable)

  constructor(core, opts) {
    this.#core = core;
    this.#opts = opts;
    this.#engine = new core.Engine();
    const wanted = opts.storage === 'indexeddb' ? IndexedDbStore : MemoryStore;
    this.#Store = wanted.available() ? wanted : MemoryStore;
    this.consent = {
      set: (change) => this.#setConsent(change),
      get: () => bitsToPurposes(this.#engine.consentBits()),
    };
  }

  async _start() {
    await this.#loadStored();
    if (this.#opts.pack !== undefined) {
      // A missing or bad pack must not take recently viewed down with it: report, go on.
      try {
        await this.loadPack(this.#opts.pack);
      } catch (error) {
        this.#emitError(error.code ?? 'pack_failed', error);
      }
    }
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(`${this.#opts.namespace}:tabs`);
      this.#channel.onmessage = (message) => this.#onTabMessage(message.data);
    }
    if (this.#opts.capture) {
      const layer = this.#opts.dataLayer ?? (globalThis.dataLayer = globalThis.dataLayer ?? []);
      this.#stopCapture = captureDataLayer(layer, (event) => this.track(event));
    }
  }

  // Records one GA4 ecommerce event. Returns { ok: true } or { ok: false, code, error };
  // a rejected event is counted and stored nowhere.
  track(event) {
    this.#assertOpen();
    let json;
    try {
      json = eventJson(event);
    } catch (error) {
      ++this.#rejectedHere;
      return {ok: false, code: 'invalid_argument', error: error.message};
    }
    const status = this.#engine.track(json, this.#opts.now());
    if (status.ok) {
      this.#schedulePersist();
      this.#events.emit('change', {reason: 'track'});
    }
    return status;
  }

  recentlyViewed({limit = 50, excludeItem = '', excludePurchased = false, maxAgeDays = 30} = {}) {
    this.#assertOpen();
    positiveInteger(limit, 'limit', 50);
    if (typeof excludeItem !== 'string') {
      throw new VitrineError('invalid_argument', 'excludeItem must be a string');
    }
    if (typeof maxAgeDays !== 'number' || !(maxAgeDays > 0) || maxAgeDays > 3650) {
      throw new VitrineError('invalid_argument', 'maxAgeDays must be a number from 0 to 3650');
    }
    const result = check(this.#engine.recentlyViewed(
        limit, maxAgeDays * DAY_MS, Boolean(excludePurchased), excludeItem, this.#opts.now()));
    return result.rows;
  }

  // Loads (or replaces) the model pack. Rejects with a VitrineError on a bad pack, and
  // the pack in use, if any, stays. Resolves to { items, categories, embeddingDim, bytes }.
  async loadPack(source) {
    this.#assertOpen();
    this.#pack = await loadPack(this.#core, this.#engine, source);
    this.#events.emit('change', {reason: 'pack'});
    return this.#pack;
  }

  // The loaded pack's summary, or null.
  get pack() {
    return this.#pack;
  }

  // [{ itemId, score, reason: { source, itemId?, category? } }]; [] when no pack is loaded.
  // The history is used only with the `personalization` purpose (the engine decides).
  recommend(options = {}) {
    this.#assertOpen();
    const args = recommendArgs(options);
    if (this.#pack === null) return [];
    return check(this.#core.recommend(this.#engine, ...args)).items;
  }

  // { accepted, rejected, historyEntries }
  stats() {
    this.#assertOpen();
    const stats = this.#engine.stats();
    stats.rejected += this.#rejectedHere;
    return stats;
  }

  on(name, listener) {
    return this.#events.on(name, listener);
  }

  // Resolves when every local write started so far is committed.
  flush() {
    return this.#writes;
  }

  async close() {
    if (this.#closed) return;
    this.#stopCapture?.();
    await this.#writes.catch(() => {});
    this.#closed = true;
    this.#channel?.close();
    this.#store?.close();
    this.#events.clear();
    this.#engine.delete();
  }

  // --- storage -----------------------------------------------------------------------

  async #loadStored() {
    let store;
    try {
      store = await this.#Store.open(this.#opts.namespace, {create: false});
    } catch (error) {
      // Storage can be unavailable (private mode, blocked): run in memory, say why.
      this.#emitError('storage_unavailable', error);
      return;
    }
    if (!store) return;  // never consented on this device: nothing was stored
    this.#store = store;
    const consent = await store.get('consent');
    const bits = Number.isInteger(consent?.bits) ? consent.bits & 0xf : 0;
    this.#engine.setConsent(bits);
    if (bits & HISTORY) {
      await this.#mergeStoredHistory();
      if (this.#engine.enforceRetention(this.#opts.now()) > 0) this.#schedulePersist();
    }
  }

  async #mergeStoredHistory() {
    const record = await this.#store.get('history');
    if (record === undefined) return;
    const status = this.#restore(record);
    if (!status.ok) {
      // Keep the damaged record aside for inspection instead of passing it on or losing it.
      await this.#store.put(`quarantine:history:${this.#opts.now()}`, record);
      await this.#store.delete('history');
      this.#emitError(status.code, new VitrineError(status.code, status.error));
    }
  }

  #restore(record) {
    if (record?.format !== HISTORY_RECORD.format || !(record.bytes instanceof Uint8Array)) {
      return {ok: false, code: 'data_loss', error: 'stored history record is malformed'};
    }
    return this.#engine.restore(record.bytes);
  }

  #schedulePersist() {
    if (!(this.#engine.consentBits() & HISTORY) || this.#persistQueued) return;
    this.#persistQueued = true;
    this.#enqueue(async () => {
      this.#persistQueued = false;
      await this.#persistHistory();
    });
  }

  // Merges what other tabs wrote, then writes the union: one transaction.
  async #persistHistory() {
    if (!(this.#engine.consentBits() & HISTORY)) return;
    const store = await this.#openStore();
    let damaged = null;
    await store.update('history', (stored) => {
      if (stored !== undefined) {
        const status = this.#restore(stored);
        if (!status.ok) damaged = stored;
      }
      const snapshot = this.#engine.snapshot();
      if (!snapshot.ok) return undefined;
      return {...HISTORY_RECORD, bytes: snapshot.bytes, updatedAt: this.#opts.now()};
    });
    if (damaged) await store.put(`quarantine:history:${this.#opts.now()}`, damaged);
    this.#channel?.postMessage({type: 'history'});
  }

  async #openStore() {
    if (!this.#store?.open) {
      this.#store = await this.#Store.open(this.#opts.namespace, {create: true});
    }
    return this.#store;
  }

  #enqueue(job) {
    const run = this.#writes.then(job);
    // A failed write is reported, and later writes still run.
    this.#writes = run.catch((error) => this.#emitError('storage_failed', error));
    return run;
  }

  // --- consent -----------------------------------------------------------------------

  #setConsent(change) {
    this.#assertOpen();
    const before = this.#engine.consentBits();
    const after = applyPurposes(before, change);
    return this.#enqueue(async () => {
      this.#engine.setConsent(after);
      await this.#storeConsent(before, after);
      this.#channel?.postMessage({type: 'consent', bits: after});
      this.#events.emit('consent', bitsToPurposes(after));
      this.#events.emit('change', {reason: 'consent'});
      return bitsToPurposes(after);
    });
  }

  async #storeConsent(before, after) {
    if (after === 0) {
      // Nothing granted: nothing may stay on the device.
      this.#store?.close();
      this.#store = null;
      await this.#Store.destroy(this.#opts.namespace);
      return;
    }
    const store = await this.#openStore();
    await store.put(
        'consent', {
          bits: after,
          purposes: bitsToPurposes(after),
          updatedAt: this.#opts.now(),
          source: this.#opts.consent
        },
        {strict: true});
    if ((before & HISTORY) && !(after & HISTORY)) await store.delete('history', {strict: true});
    if (!(before & HISTORY) && (after & HISTORY)) await this.#persistHistory();
  }

  // --- tabs --------------------------------------------------------------------------

  #onTabMessage(message) {
    if (this.#closed || message === null || typeof message !== 'object') return;
    if (message.type === 'consent' && Number.isInteger(message.bits)) {
      this.#engine.setConsent(message.bits & 0xf);
      if (message.bits === 0) {
        this.#store?.close();
        this.#store = null;
      }
      this.#events.emit('consent', bitsToPurposes(message.bits & 0xf));
      this.#events.emit('change', {reason: 'consent'});
    } else if (message.type === 'history' && (this.#engine.consentBits() & HISTORY)) {
      this.#enqueue(async () => {
        await this.#openStore();
        await this.#mergeStoredHistory();
        this.#events.emit('change', {reason: 'tab'});
      });
    }
  }

  #emitError(code, error) {
    this.#events.emit('error', {code, message: String(error?.message ?? error), error});
  }

  #assertOpen() {
    if (this.#closed) throw new VitrineError('closed', 'this Vitrine instance is closed');
  }
}
