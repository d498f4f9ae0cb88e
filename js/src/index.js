// The public API of the `vitrine` package: createVitrine(options) -> Vitrine.
// The engine (wasm) keeps everything in memory and decides what each purpose allows; this
// layer adds local storage, consent sources, tabs and event capture around it.
// Reference: docs/api.md.
import {AUTOFILL_RECORD, autofillFacade, parseJson} from './autofill/facade.js';
import {captureDataLayer} from './capture/datalayer.js';
import {nextConsentRecord, trimConsentLog} from './consent-record.js';
import {applyBrowserSignals, browserSignals} from './consent/signals.js';
import {loadCore} from './core-loader.js';
import {Emitter} from './emitter.js';
import {check, VitrineError} from './errors.js';
import {featureUrl, loadFeature} from './feature-loader.js';
import {LocalState} from './local-state.js';
import {categoryName, eventJson, readOptions, recentlyViewedArgs, recommendArgs} from './options.js';
import {fetchShard, loadPack} from './pack.js';
import {applyPurposes, AUTOFILL, bitsToPurposes, HISTORY, MEASUREMENT, PERSONALIZATION, PURPOSES, purposesToBits} from './purposes.js';
import {personalFeatures} from './segments/features.js';
import {readBestsellers, readSegments} from './segments/segments.js';
import {IndexedDbStore} from './storage/indexeddb.js';
import {MemoryStore} from './storage/memory.js';
import {widgetsFacade} from './widgets/facade.js';

export {VitrineError} from './errors.js';
export {PURPOSES} from './purposes.js';

const DAY_MS = 24 * 3600 * 1000;
const RETENTION_EVERY_MS = 3600 * 1000;
// How long a full write of the history waits when journal records already hold what it
// would write (#schedulePersist).
const PERSIST_AFTER_MS = 1000;
const QUOTA_ERRORS = new Set(['QuotaExceededError']);

function isQuotaError(error) {
  return QUOTA_ERRORS.has(error?.name) || QUOTA_ERRORS.has(error?.inner?.name) ||
      /quota/i.test(String(error?.message));
}

// The 'error' event's code: always one of ours (a DOMException's `code` is a legacy number).
function errorCode(error, fallback) {
  if (typeof error?.code === 'string') return error.code;
  return isQuotaError(error) ? 'storage_full' : fallback;
}

// The list with its missing shards as a non-enumerable property: the array stays a plain
// list for callers that compare or spread it.
function withMissing(items, missingShards) {
  Object.defineProperty(items, 'missingShards', {value: missingShards});
  return items;
}

export async function createVitrine(options = {}) {
  const opts = readOptions(options);
  const core = await loadCore(opts);
  const vitrine = new Vitrine(core, opts);
  try {
    await vitrine._start();
  } catch (error) {
    await vitrine.close();
    throw error;
  }
  return vitrine;
}

class Vitrine {
  #core;
  #engine;
  #opts;
  #Store;
  #state = null;          // LocalState once something may be stored
  #consentRecord = null;  // the current policy's record, or null: ask the shopper
  #autofillOptIn = false;
  #pack = null;
  #packSource = null;
  #shardLoads = new Map();         // shard index -> promise of its load, while in flight
  #blockLoads = new Map();         // directory block index -> promise of its load
  #packLoads = Promise.resolve();  // the pack load in progress (they run one at a time)
  #events = new Emitter();
  #writes = Promise.resolve();
  #journalWrites = new Set();  // each event's own record, in flight
  #persistQueued = false;
  #persistTimer = null;  // a full write waiting its second (#schedulePersist)
  #shedOnce = false;     // the history was halved for lack of space (at most once a page)
  #storageFull = false;  // the last history write failed for lack of space
  #channel = null;
  #stops = [];
  #closed = false;
  #rejectedHere = 0;          // events refused before reaching the engine (not JSON-serializable)
  #internal = new Emitter();  // between this instance and its features only
  #features;
  #measurement = null;   // the measurement chunk's API (a promise) while it runs
  #tallies = new Set();  // its daybook writes in flight

  constructor(core, opts) {
    this.#core = core;
    this.#opts = opts;
    this.#engine = core.engineNew();  // a number: the engine's handle (wasm/engine_handle.hpp)
    const wanted = opts.storage === 'indexeddb' ? IndexedDbStore : MemoryStore;
    this.#Store = wanted.available() ? wanted : MemoryStore;
    const self = this;
    this.consent = Object.freeze({
      set: (change) => self.#setConsent(change),
      get: () => bitsToPurposes(self.#core.consentBits(self.#engine)),
      log: () => structuredClone(self.#consentRecord?.log ?? []),
      // True until the shopper decided under the current policy version: show the banner.
      get required() {
        return self.#consentRecord?.policyVersion !== opts.policyVersion;
      },
      source: opts.consent,
    });
    this.#features = personalFeatures({
      now: () => opts.now(),
      personal: () => Boolean(this.#core.consentBits(this.#engine) & PERSONALIZATION),
      segments: () => readSegments(core, this.#engine, opts.now()),
      interests: () => this.#interests(),
      recentlyViewed: () => this.recentlyViewed({limit: 50}),
      emit: (name, data) => this.#events.emit(name, data),
      on: (name, fn) => (name === 'feature' ? this.#internal : this.#events).on(name, fn),
      read: (name) => this.#readFeature(name),
      write: (name, value, merge) => this.#enqueue(() => this.#writeFeature(name, value, merge)),
      featureBase: opts.featureBase,
      page: {},
    });
    this.rules = this.#features.rules;
    this.privacy = Object.freeze({
      export: () => this.#exportData(),
      import: (document) => this.#importData(document),
      erase: () => this.#erase(),
      removeItem: (itemId) => this.#removeItem(itemId),
      interests: () => this.#interests(),
      segments: () => readSegments(this.#core, this.#engine, this.#opts.now()),
      experiments: () => this.#features.experimentsLog(),
      removedInterests: () => this.#core.blockedInterests(this.#engine),
      removeInterest: (category) => this.#setInterest(categoryName(category), false),
      restoreInterest: (category) => this.#setInterest(categoryName(category), true),
      sent: () => this.#sent(),
      ledger: () => this.#ledger(),
      enforceRetention: () => this.#enqueue(() => this.#enforceRetention()),
      storedCounts: () => this.#enqueue(async () => (this.#state ? this.#state.counts() : null)),
    });
    // The web components (js/src/widgets/), loaded on demand by widgets.define().
    this.widgets = widgetsFacade({base: opts.featureBase, instance: this, captures: opts.capture});
    // Loaded on demand (js/src/autofill/). state(job) runs job(localState) in turn, only
    // with the `autofill` purpose and a database (else resolves to null).
    this.autofill = autofillFacade({
      base: opts.featureBase,
      VitrineError,
      consent: this.consent,
      allowed: () => Boolean(this.#core.consentBits(this.#engine) & AUTOFILL),
      state: (job) => this.#enqueue(async () => {
        const state =
            this.#core.consentBits(this.#engine) & AUTOFILL ? await this.#existingState() : null;
        return state ? job(state) : null;
      }),
    });
  }

  async _start() {
    await this.#loadStored();
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(`${this.#opts.namespace}:tabs`);
      this.#channel.onmessage = (message) => this.#onTabMessage(message.data);
      this.#channel.unref?.();  // Node: a library must not keep the process alive
    }
    if (this.#opts.pack !== undefined) {
      // A missing or bad pack must not take recently viewed down with it: report, go on.
      try {
        await this.loadPack(this.#opts.pack);
      } catch (error) {
        this.#emitError(errorCode(error, 'pack_failed'), error);
      }
    }
    // Before the events a theme pushed early are captured: their views count today. Without
    // the purpose, a measurement database left behind (an erase or a withdrawal cut short)
    // is deleted now.
    this.#syncMeasurement({forget: !(this.#core.consentBits(this.#engine) & MEASUREMENT)})
        .catch((error) => this.#emitError(errorCode(error, 'storage_failed'), error));
    if (this.#opts.consent !== 'manual') await this.#attachConsentSource();
    if (this.#opts.capture) {
      const layer = this.#opts.dataLayer ?? (globalThis.dataLayer = globalThis.dataLayer ?? []);
      this.#stops.push(captureDataLayer(layer, (event) => this.track(event)));
    }
    const timer =
        setInterval(() => this.privacy.enforceRetention().catch(() => {}), RETENTION_EVERY_MS);
    timer.unref?.();
    this.#stops.push(() => clearInterval(timer));
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
    const now = this.#opts.now();
    const status = this.#core.track(this.#engine, json, now);
    if (status.ok) {
      this.#schedulePersist(this.#journal(now));
      this.#observe(event);
      this.#events.emit('change', {reason: 'track'});
    }
    return status;
  }

  recentlyViewed(options) {
    this.#assertOpen();
    const o = recentlyViewedArgs(options);
    return check(this.#core.recentlyViewed(
                     this.#engine, o.limit, o.maxAgeDays * DAY_MS, o.excludePurchased,
                     o.excludeItem, this.#opts.now()))
        .rows;
  }

  // Loads (or replaces) the model pack. Rejects with a VitrineError on a bad pack, and
  // the pack in use, if any, stays. Resolves to { items, categories, embeddingDim, bytes,
  // shards } (shards: the shard count of a shard head, else 0).
  async loadPack(source) {
    this.#assertOpen();
    // One at a time: a pack is checked in slices, and the engine stages one pack.
    const load = this.#packLoads.then(
        () => loadPack(this.#core, this.#engine, source, () => this.#assertOpen()));
    this.#packLoads = load.catch(() => {});
    this.#pack = await load;
    this.#packSource = source;
    this.#shardLoads.clear();
    this.#blockLoads.clear();
    this.#events.emit('change', {reason: 'pack'});
    return this.#pack;
  }

  get pack() {
    return this.#pack;
  }

  // [{ itemId, score, reason: { source, itemId?, category? } }]; [] when no pack is loaded.
  // The history is used only with the `personalization` purpose (the engine decides).
  // With a sharded pack the array's `missingShards` lists the shards this list would read
  // and that are not loaded yet (then the items behind them only add popular fillers);
  // recommendAsync() loads them first. Always [] for a whole pack.
  recommend(options = {}) {
    this.#assertOpen();
    const args = recommendArgs(options);
    if (this.#pack === null) return withMissing([], []);
    const {items, missingShards} = check(this.#core.recommend(this.#engine, ...args));
    return withMissing(items, missingShards);
  }

  // As recommend(), after fetching the shards it needs (at most once each per page; the
  // HTTP cache keeps them across pages). Rejects with a VitrineError when a shard cannot be
  // fetched or is not the one the head names; the shards already loaded stay.
  async recommendAsync(options = {}) {
    this.#assertOpen();
    recommendArgs(options);  // a bad query rejects before any fetch
    let result = this.recommend(options);
    // A history item the pack does not know shows only once its shard is in; older steps
    // then count, and may need shards of their own: a further round (rarely more than one).
    for (let round = 0; round < 8 && result.missingShards.length !== 0; ++round) {
      await this.loadShards(result.missingShards);
      result = this.recommend(options);
    }
    return result;
  }

  // Fetches and adds shards of the sharded pack in use (indices from missingShards).
  async loadShards(indices) {
    this.#assertOpen();
    if (!this.#pack?.shards)
      throw new VitrineError('failed_precondition', 'the pack has no shards');
    const loads = indices.map((index) => {
      let load = this.#shardLoads.get(index);
      if (load === undefined) {
        const where = {
          source: this.#packSource,
          shardUrl: this.#opts.shardUrl,
          blocks: this.#blockLoads
        };
        load = fetchShard(this.#core, this.#engine, where, index).catch((error) => {
          this.#shardLoads.delete(index);  // a later call may try again
          throw error;
        });
        this.#shardLoads.set(index, load);
      }
      return load;
    });
    await Promise.all(loads);
    this.#events.emit('change', {reason: 'shards'});
  }

  // { lifecycle, recency, engagement, valueTier, predictedValue, affinities }: docs/segments.md.
  segments() {
    this.#assertOpen();
    return readSegments(this.#core, this.#engine, this.#opts.now()).segments;
  }

  // The pack's bestsellers for the shopper's own segment: docs/segments.md#bestsellers.
  bestsellers(options) {
    this.#assertOpen();
    return readBestsellers(
        this.#core, this.#engine, this.#pack !== null, options, this.#opts.now());
  }

  // The shop's search results reordered by the profile: docs/segments.md#rerank.
  rerank(results, options) {
    this.#assertOpen();
    return this.#features.rerank(results, options);
  }

  // { variant }: docs/segments.md#experiments.
  experiment(name, options) {
    this.#assertOpen();
    return this.#features.experiment(name, options);
  }

  // { accepted, rejected, historyEntries }
  stats() {
    this.#assertOpen();
    const stats = this.#core.stats(this.#engine);
    stats.rejected += this.#rejectedHere;
    return stats;
  }

  on(name, listener) {
    return this.#events.on(name, listener);
  }

  // Resolves when every local write started so far is committed.
  flush() {
    if (this.#persistTimer) this.#startPersist();
    return Promise.all([this.#writes, ...this.#tallies]).then(() => {});
  }

  async close() {
    if (this.#closed) return;
    for (const stop of this.#stops.splice(0)) stop();
    const measurement = this.#measurement;
    this.#measurement = null;
    await measurement?.then((m) => m?.close());
    if (this.#persistTimer) this.#startPersist();
    await this.#writes.catch(() => {});
    this.#closed = true;
    this.#channel?.close();
    this.#state?.close();
    this.#events.clear();
    this.#core.engineDelete(this.#engine);
  }

  // --- loading -----------------------------------------------------------------------

  // Opens this namespace's database. Storage can be unavailable (private mode, blocked, no
  // secure context): this page then keeps its data in memory only, and says why once.
  async #openStore(create) {
    const options = {
      create,
      onLost: () => this.#onStorageLost(),
      // Deleted by another tab's erase or withdrawal (which also broadcast it), or from
      // outside the package: in every case nothing stored is left, consent included.
      onDeleted: () => this.#forgetEverything('erase'),
      blockedTimeoutMs: this.#opts.blockedTimeout,
    };
    try {
      return await this.#Store.open(this.#opts.namespace, options);
    } catch (error) {
      if (this.#Store === MemoryStore) throw error;
      this.#emitError(errorCode(error, 'storage_unavailable'), error);
      this.#Store = MemoryStore;
      return MemoryStore.open(this.#opts.namespace, options);
    }
  }

  #destroyStore() {
    return this.#Store.destroy(this.#opts.namespace, {blockedTimeoutMs: this.#opts.blockedTimeout});
  }

  async #loadStored() {
    const store = await this.#openStore(false);
    if (!store) return;  // never consented on this device: nothing was stored
    const state = new LocalState(store, this.#opts.namespace, this.#opts.now);
    const record = (await state.isErasing()) ? null : await state.readConsent();
    if (!record || record.bits === 0 || record.policyVersion !== this.#opts.policyVersion) {
      // An erase that was cut short, or no consent under this policy: nothing may stay.
      state.close();
      // Blocked by another page: the browser deletes it once that page lets go.
      await this.#destroyStore().catch(
          (error) => this.#emitError(errorCode(error, 'storage_failed'), error));
      return;
    }
    this.#state = state;
    this.#consentRecord = record;
    this.#autofillOptIn = Boolean(record.bits & AUTOFILL);
    this.#core.setConsent(this.#engine, this.#gate(record.bits));
    // Events whose page was left before their full write: folded into the snapshot now.
    if ((await this.#mergeStoredHistory()).journal.length) this.#schedulePersist(true);
    // Ready before the page is: an event right after load is written in its own task.
    if (record.bits & HISTORY) await this.#state.prepareJournalSoon();
    await this.#loadProfile();
    await this.#enforceRetention();
  }

  // Merges the stored history (snapshot and journal) into the engine. Returns
  // { found, journal }: whether anything was stored, and the journal records read.
  async #mergeStoredHistory() {
    const none = {found: false, journal: []};
    if (!(this.#core.consentBits(this.#engine) & HISTORY) || !this.#state?.open) return none;
    try {
      return await this.#state.readHistory((bytes) => this.#core.restore(this.#engine, bytes));
    } catch (error) {
      this.#emitError(errorCode(error, 'data_loss'), error);
      return none;
    }
  }

  async #loadProfile() {
    if (!(this.#core.consentBits(this.#engine) & PERSONALIZATION) || !this.#state?.open) return;
    try {
      // A list the engine refuses is quarantined like any other damaged record.
      await this.#state.readProfile(
          (removed) => this.#core.setBlockedInterests(this.#engine, removed));
    } catch (error) {
      this.#emitError(errorCode(error, 'data_loss'), error);
    }
    await this.#features.load();
  }

  // A feature's personalization record (js/src/segments/features.js), or undefined.
  async #readFeature(name) {
    if (!(this.#core.consentBits(this.#engine) & PERSONALIZATION) || !this.#state?.open)
      return undefined;
    try {
      return await this.#state.readFeature(name);
    } catch (error) {
      this.#emitError(errorCode(error, 'data_loss'), error);
      return undefined;
    }
  }

  // --- writing -----------------------------------------------------------------------

  // Writes the event just recorded (at time `since`) as its own small record at once,
  // outside the queue: a shopper who navigates right after a view or an add to cart would
  // otherwise lose it with the full write that the navigation cuts short. The next full
  // write folds it into the snapshot; a failure here is reported by that write. Returns
  // whether the record went out in this task (then the full write can wait).
  #journal(since) {
    // On a full device the history is kept in the page until a full write fits: records
    // here would only take the room that write needs.
    if (!(this.#core.consentBits(this.#engine) & HISTORY) || !this.#state?.open ||
        this.#storageFull)
      return false;
    const recent = this.#core.snapshotSince(this.#engine, since);
    if (!recent.ok) return false;
    const now = this.#state.appendJournalNow(recent.bytes, HISTORY);
    const write = (now ?? this.#state.appendJournal(recent.bytes, HISTORY)).catch(() => {});
    this.#journalWrites.add(write);
    write.finally(() => this.#journalWrites.delete(write));
    return now !== null && this.#state.journalRoom;
  }

  // merge(stored): what to write given the stored value (read under the lock, so that what
  // another tab wrote a moment ago is kept); without it, `value` replaces the stored one.
  async #writeFeature(name, value, merge) {
    const state =
        this.#core.consentBits(this.#engine) & PERSONALIZATION ? await this.#existingState() : null;
    if (!state) return;
    await state.lock(async () => {
      if (!((await state.readConsent())?.bits & PERSONALIZATION)) return;
      // A damaged record is quarantined by the read, and replaced.
      const next = merge ? merge(await state.readFeature(name).catch(() => undefined)) : value;
      await state.writeFeature(name, next);
    });
    this.#channel?.postMessage({type: 'feature', name});
  }

  // The full write of the history. `canWait`: what it would write is already in journal
  // records, so it starts a second later. A shopper who moves on sooner costs no full write
  // per page (the next page folds the records in), and the write rarely holds a journal
  // store (its deletions) when the shopper leaves.
  #schedulePersist(canWait = false) {
    if (!(this.#core.consentBits(this.#engine) & HISTORY)) return;
    if (!canWait) {
      this.#startPersist();
    } else if (!this.#persistQueued && !this.#persistTimer) {
      this.#persistTimer = setTimeout(() => this.#startPersist(), PERSIST_AFTER_MS);
      this.#persistTimer.unref?.();
    }
  }

  #startPersist() {
    clearTimeout(this.#persistTimer);
    this.#persistTimer = null;
    if (this.#persistQueued) return;
    this.#persistQueued = true;
    this.#enqueue(async () => {
      this.#persistQueued = false;
      await this.#persistHistory();
    });
  }

  // Merges what other tabs wrote, applies edit() (a removal, an import) to the union, drops
  // what is past retention, and writes the result, one tab at a time. Deletions therefore
  // happen after the merge: a stored copy cannot bring back what was just removed. Nothing
  // is written when the stored consent (another tab may have just withdrawn) does not allow
  // it. When the device is out of space, the oldest half goes and the write is retried.
  async #persistHistory(edit = () => {}) {
    const state =
        this.#core.consentBits(this.#engine) & HISTORY ? await this.#existingState() : null;
    if (!state) {
      edit();
      return;
    }
    // This page's journal records land first, so that the merge below reads and folds them.
    // (At most a second: a write the browser never settles must not hold up the history.)
    await Promise.race(
        [Promise.all(this.#journalWrites), new Promise((resolve) => setTimeout(resolve, 1000))]);
    await state.lock(async () => {
      if (!((await state.readConsent())?.bits & HISTORY)) {
        edit();
        return;
      }
      let {journal} = await this.#mergeStoredHistory();
      edit();
      this.#core.enforceRetention(this.#engine, this.#opts.now());
      // Out of space: the journal records (already merged here) go first, then the oldest
      // half of the history, once per page, and the write is retried. Later failures shed
      // nothing more (when something else fills the quota, shedding would only empty the
      // history) and are reported once until a write passes.
      let triedShedding = false;
      let droppedJournal = false;
      for (;;) {
        const snapshot = this.#core.snapshot(this.#engine);
        if (!snapshot.ok) return;
        try {
          await state.writeHistory(snapshot.bytes, journal);
          this.#storageFull = false;
          return;
        } catch (error) {
          if (!isQuotaError(error)) throw error;
          if (journal.length && !droppedJournal) {
            // A browser counts a transaction's new bytes against the quota before its
            // deletions: delete on their own first. If even that fails, they stay in the
            // write's own deletions (or a later merge would bring back what is shed below).
            droppedJournal = true;
            try {
              await state.dropJournal(journal);
              journal = [];
            } catch {
              // kept in `journal`
            }
            continue;
          }
          const entries = this.#core.stats(this.#engine).historyEntries;
          const shed = !this.#shedOnce && !triedShedding && entries > 1;
          triedShedding = true;
          if (!this.#storageFull) {
            this.#storageFull = true;
            this.#emitError(
                'storage_full',
                new VitrineError(
                    'storage_full',
                    shed ?
                        `local storage is full: the oldest ${
                            entries - Math.floor(entries / 2)} history entries were dropped` :
                        'local storage is full: the history is kept in this page until there is room'));
          }
          if (!shed) return;
          this.#shedOnce = true;
          this.#core.shedHistory(this.#engine, Math.floor(entries / 2));
        }
      }
    });
    this.#channel?.postMessage({type: 'history'});
  }

  async #persistProfile() {
    const state =
        this.#core.consentBits(this.#engine) & PERSONALIZATION ? await this.#existingState() : null;
    if (!state) return;
    await state.lock(async () => {
      if (!((await state.readConsent())?.bits & PERSONALIZATION)) return;
      await state.writeProfile({removedInterests: this.#core.blockedInterests(this.#engine)});
    });
    this.#channel?.postMessage({type: 'profile'});
  }

  // The database, created if needed: only when consent is being given.
  async #openState() {
    if (!this.#state?.open) {
      const store = await this.#openStore(true);
      this.#state = new LocalState(store, this.#opts.namespace, this.#opts.now);
    }
    return this.#state;
  }

  // The database if it exists, or null (another tab withdrew everything or erased): data
  // writes never create it.
  async #existingState() {
    if (!this.#state?.open) {
      this.#state = null;
      const store = await this.#openStore(false);
      if (store) this.#state = new LocalState(store, this.#opts.namespace, this.#opts.now);
    }
    return this.#state;
  }

  #enqueue(job) {
    const run = this.#writes.then(job);
    // A failed write is reported, and later writes still run.
    this.#writes =
        run.then(() => {}, (error) => this.#emitError(errorCode(error, 'storage_failed'), error));
    return run;
  }

  async #enforceRetention() {
    const history = this.#core.enforceRetention(this.#engine, this.#opts.now());
    if (history > 0) await this.#persistHistory();  // prunes the merged copy again
    const quarantine = this.#state?.open ? await this.#state.enforceRetention() : 0;
    const consentLog = await this.#trimConsentLog();
    return {history, quarantine, consentLog};
  }

  // Consent log entries past their retention (3 years) go, on the same schedule as the
  // history's; the newest entry of each purpose stays (consent-record.js).
  async #trimConsentLog() {
    const record = this.#consentRecord;
    if (!record) return 0;
    const log = trimConsentLog(record.log, this.#opts.now());
    const dropped = record.log.length - log.length;
    if (dropped === 0) return 0;
    this.#consentRecord = {...record, log};
    const state = this.#state?.open ? this.#state : null;
    await state?.lock(() => state.writeConsent(this.#consentRecord, []));
    return dropped;
  }

  // The CMP adapters are a chunk (vitrine-consent.mjs) that only a page naming a source
  // fetches. ready waits for it, so that a CMP's answer is applied by then, as before.
  // Without the chunk, nothing is granted: the error is reported and the page goes on.
  async #attachConsentSource() {
    const env = {
      dataLayer: this.#opts.dataLayer,
      onError: (e) => this.#emitError('consent_source', e)
    };
    let attach;
    try {
      ({attachConsentSource: attach} = await loadFeature('consent', this.#opts.featureBase));
    } catch (error) {
      this.#emitError('consent_source', error);
      return;
    }
    if (this.#closed) return;
    this.#stops.push(attach(this.#opts.consent, env, (signal) => this.#fromSource(signal)));
  }

  // --- measurement (js/src/measurement/, loaded on demand) ------------------------------

  // Runs while `measurement` is granted (never with GPC or DNT: #gate), the shop named an
  // endpoint and the device keeps data (IndexedDB); stops otherwise. Its database goes
  // when the purpose is withdrawn (`forget`).
  #syncMeasurement({forget = false} = {}) {
    const wanted = !this.#closed && Boolean(this.#core.consentBits(this.#engine) & MEASUREMENT) &&
        this.#opts.endpoint !== undefined && this.#Store === IndexedDbStore;
    if (wanted && !this.#measurement) {
      this.#measurement = this.#startMeasurement();
      return this.#measurement;
    }
    if (wanted) return this.#measurement;
    const running = this.#measurement;
    this.#measurement = null;
    return (running ?? Promise.resolve(null)).then(async (m) => {
      m?.close();
      if (forget) {
        await IndexedDbStore.destroyIfExists(
            `${this.#opts.namespace}-measurement`, {blockedTimeoutMs: this.#opts.blockedTimeout});
      }
    });
  }

  async #startMeasurement() {
    try {
      const {startMeasurement} = await loadFeature('measurement', this.#opts.featureBase);
      const signals = browserSignals(globalThis);
      const measurement = await startMeasurement({
        namespace: this.#opts.namespace,
        endpoint: this.#opts.endpoint,
        wasm: featureUrl('vitrine-measurement.wasm', this.#opts.featureBase),
        signals: {measurement: true, gpc: signals.gpc, dnt: signals.dnt},
        now: this.#opts.now,
      });
      // Withdrawn or closed while the chunk loaded: it stops at once.
      if (this.#closed || !(this.#core.consentBits(this.#engine) & MEASUREMENT)) {
        measurement.close();
        return null;
      }
      await measurement.observe();  // this page is a visit
      return measurement;
    } catch (error) {
      this.#emitError(errorCode(error, 'measurement_failed'), error);
      return null;
    }
  }

  // A product view counts in the day's tally (views, category index in the pack).
  #observe(event) {
    if (!this.#measurement || event.event !== 'view_item') return;
    // Both shapes the engine takes: { event, items } and dataLayer's { event, ecommerce }.
    const items = event.items ?? event.ecommerce?.items;
    const item = Array.isArray(items) ? items[0] : undefined;
    const category = this.#core.categoryIndex(
        this.#engine, String(item?.item_id ?? ''), String(item?.item_category ?? ''));
    const write =
        this.#measurement.then((m) => m?.observe({view: true, category}))
            .catch((error) => this.#emitError(errorCode(error, 'measurement_failed'), error));
    this.#tallies.add(write);
    write.finally(() => this.#tallies.delete(write));
  }

  async #ledger() {
    this.#assertOpen();
    const measurement = await this.#measurement;
    return measurement ? measurement.ledger() : null;
  }

  // --- consent -----------------------------------------------------------------------

  // Global Privacy Control and Do Not Track: never measurement, whatever the source says.
  #gate(bits) {
    return purposesToBits(applyBrowserSignals(bitsToPurposes(bits), browserSignals(globalThis)));
  }

  #setConsent(change) {
    this.#assertOpen();
    applyPurposes(0, change);  // throws here, at the call, on anything invalid
    const manual = this.#opts.consent === 'manual';
    // The CMP owns the other purposes; here the shopper only opts in or out of autofill.
    if (!manual && Object.keys(change).some((p) => p !== 'autofill')) {
      throw new VitrineError(
          'invalid_argument',
          `consent comes from '${this.#opts.consent}': only autofill can be set here`);
    }
    // Applied to the purposes as they are when its turn comes, so that calls made without
    // awaiting each other all take effect.
    return this.#enqueue(() => {
      const current = this.#core.consentBits(this.#engine);
      let after = applyPurposes(current, change);
      if (!manual) {
        this.#autofillOptIn = Boolean(after & AUTOFILL);
        after = (current & ~AUTOFILL) | (this.#autofillOptIn && (after & HISTORY) ? AUTOFILL : 0);
      }
      return this.#applyConsent(this.#gate(after), 'manual');
    });
  }

  #fromSource({purposes, source}) {
    if (this.#closed) return;
    // Autofill needs the CMP's storage purpose and the shopper's explicit opt-in.
    let bits = purposesToBits(purposes) & ~AUTOFILL;
    if (this.#autofillOptIn && (bits & HISTORY)) bits |= AUTOFILL;
    this.#enqueue(() => this.#applyConsent(this.#gate(bits), source));
  }

  async #applyConsent(after, source) {
    const before = this.#core.consentBits(this.#engine);
    const decided = !this.consent.required;
    if (after === before && decided) return bitsToPurposes(after);
    // The engine forgets the withdrawn purposes' data first: nothing is used from here on.
    this.#core.setConsent(this.#engine, after);
    const record = nextConsentRecord(
        this.#consentRecord, after,
        {source, policyVersion: this.#opts.policyVersion, now: this.#opts.now()});
    this.#consentRecord = record;
    if (after === 0) {
      // Nothing granted: nothing may stay on the device. The log lives in this page only.
      this.#state?.close();
      this.#state = null;
      await this.#destroyStore();
    } else {
      const withdrawn = PURPOSES.filter((p, i) => (before & (1 << i)) && !(after & (1 << i)));
      const state = await this.#openState();
      try {
        await state.lock(() => state.writeConsent(record, withdrawn));
      } catch (error) {
        if (!withdrawn.length) throw error;
        // A withdrawal that cannot be recorded (storage full) must not leave the data it
        // forbids, nor a record that still grants it: everything goes, the next page asks.
        this.#emitError(errorCode(error, 'storage_failed'), error);
        this.#state?.close();
        this.#state = null;
        await this.#destroyStore();
      }
      if (!(before & HISTORY) && (after & HISTORY)) {
        await this.#persistHistory();
        // As on load: the next event is then written in its own task.
        await this.#state?.prepareJournalSoon();
      }
      if (!(before & PERSONALIZATION) && (after & PERSONALIZATION)) await this.#loadProfile();
    }
    await this.#syncMeasurement({forget: Boolean(before & MEASUREMENT) && !(after & MEASUREMENT)});
    this.#channel?.postMessage({type: 'consent', bits: after});
    this.#announce('consent');
    return bitsToPurposes(after);
  }

  #announce(reason) {
    if (reason === 'consent' || reason === 'erase') {
      this.#events.emit('consent', bitsToPurposes(this.#core.consentBits(this.#engine)));
    }
    this.#events.emit('change', {reason});
  }

  // --- the shopper's rights ----------------------------------------------------------

  // The rights chunk (js/src/rights/): the export's format, loaded by the first export or
  // import of the page.
  #rights() {
    return loadFeature('rights', this.#opts.featureBase);
  }

  async #exportData() {
    this.#assertOpen();
    const {buildExport} = await this.#rights();
    return this.#enqueue(async () => {
      const personal = Boolean(this.#core.consentBits(this.#engine) & PERSONALIZATION);
      return buildExport({
        now: this.#opts.now(),
        namespace: this.#opts.namespace,
        consent: {
          purposes: bitsToPurposes(this.#core.consentBits(this.#engine)),
          policyVersion: this.#consentRecord?.policyVersion ?? null,
          log: this.consent.log(),
        },
        history: JSON.parse(check(this.#core.exportHistory(this.#engine)).json),
        interests:
            personal ? check(this.#core.interests(this.#engine, this.#opts.now())).interests : [],
        removedInterests: this.#core.blockedInterests(this.#engine),
        sent: await this.#readSent(),
        savedDetails: this.#core.consentBits(this.#engine) & AUTOFILL && this.#state?.open ?
            [await this.#state.readSealed(AUTOFILL_RECORD, parseJson).catch(() => null)].filter(
                Boolean) :
            [],
        // Personalization data of issue 9: what the segments are now, the experiments'
        // seed and exposures, and when each rule fired (caps and cool-downs).
        personal: personal ? {
          segments: readSegments(this.#core, this.#engine, this.#opts.now()).segments,
          experiments: this.#features.experimentsRecord(),
          ruleFirings: (await this.#readFeature('rules'))?.fired ?? {},
        } :
                             {},
      });
    });
  }

  // What was sent from this device, as stored in the `sent` store (measurement).
  #sent() {
    this.#assertOpen();
    return this.#enqueue(() => this.#readSent());
  }

  // The reports the measurement chunk sent (type, version, epsilon, the day they are about,
  // the day sent, the privatized answer `y` exactly as sent), after any the `sent` store of
  // the main database holds (none in this version).
  async #readSent() {
    const stored = this.#state?.open ? await this.#state.readSent() : [];
    const measurement = await this.#measurement;
    return [...stored, ...(measurement ? await measurement.sent() : [])];
  }

  // All or nothing: the removed interests are set first (the engine checks them), then the
  // history replaces the stored one; if either is refused, both stay as they were. Removed
  // interests are personalization data: without that purpose they are not kept.
  async #importData(document) {
    this.#assertOpen();
    const parts = (await this.#rights()).readImport(document);
    return this.#enqueue(async () => {
      if (!(this.#core.consentBits(this.#engine) & HISTORY)) {
        check(this.#core.importHistory(this.#engine, parts.historyJson));  // permission_denied
      }
      const personal = Boolean(this.#core.consentBits(this.#engine) & PERSONALIZATION);
      const removedBefore = this.#core.blockedInterests(this.#engine);
      if (personal) check(this.#core.setBlockedInterests(this.#engine, parts.removedInterests));
      try {
        await this.#persistHistory(
            () => check(this.#core.importHistory(this.#engine, parts.historyJson)));
      } catch (error) {
        if (personal) this.#core.setBlockedInterests(this.#engine, removedBefore);
        throw error;
      }
      await this.#persistProfile();
      if (personal) await this.#importPersonal(parts.personal);
      // Other tabs hold the old history in memory: they must replace, not merge, it.
      this.#channel?.postMessage({type: 'replaced'});
      this.#announce('import');
    });
  }

  // The experiments' seed and exposures and the rule firings of an export: stored, then
  // read back by the features of this tab (and, through the channel, of the others).
  async #importPersonal({experiments, ruleFirings}) {
    if (experiments) {
      await this.#writeFeature('experiments', experiments);
      await this.#features.load();
    }
    if (ruleFirings) {
      await this.#writeFeature('rules', {fired: ruleFirings});
      this.#internal.emit('feature', 'rules');
    }
  }

  // Deletes everything of this namespace on the device: a durable tombstone first (an
  // erase cut short is finished on the next load), then the engine's memory, then the
  // database with its key; every tab is told.
  #erase() {
    this.#assertOpen();
    return this.#enqueue(async () => {
      let state = this.#state;
      if (!state?.open) {
        const store = await this.#openStore(false);
        state = store && new LocalState(store, this.#opts.namespace, this.#opts.now);
      }
      // Without room for the tombstone (storage full), erasing goes on without it.
      await state?.writeTombstone().catch(
          (error) => this.#emitError(errorCode(error, 'storage_failed'), error));
      this.#channel?.postMessage({type: 'erase'});
      this.#core.erase(this.#engine);
      this.#consentRecord = null;
      this.#autofillOptIn = false;
      state?.close();
      this.#state = null;
      await this.#destroyStore();
      await this.#syncMeasurement({forget: true});
      this.#announce('erase');
    });
  }

  #removeItem(itemId) {
    this.#assertOpen();
    if (typeof itemId !== 'string' || itemId === '') {
      throw new VitrineError('invalid_argument', 'itemId must be a non-empty string');
    }
    return this.#enqueue(async () => {
      const removed = this.#core.removeItem(this.#engine, itemId);
      if (removed > 0) {
        // Removed again after the merge with the stored copy, and in the other tabs.
        await this.#persistHistory(() => this.#core.removeItem(this.#engine, itemId));
        this.#channel?.postMessage({type: 'removeItem', itemId});
        this.#announce('history');
      }
      return removed;
    });
  }

  #interests() {
    this.#assertOpen();
    if (!(this.#core.consentBits(this.#engine) & PERSONALIZATION)) return [];
    return check(this.#core.interests(this.#engine, this.#opts.now())).interests;
  }

  #setInterest(category, keep) {
    this.#assertOpen();
    const status = keep ? this.#core.unblockInterest(this.#engine, category) :
                          this.#core.blockInterest(this.#engine, category);
    check(status);
    return this.#enqueue(async () => {
      await this.#persistProfile();
      this.#announce('profile');
    });
  }

  // --- tabs and storage events -------------------------------------------------------

  #onTabMessage(message) {
    if (this.#closed || message === null || typeof message !== 'object') return;
    if (message.type === 'consent' && Number.isInteger(message.bits)) {
      this.#enqueue(async () => {
        const bits = message.bits & 0xf;
        const before = this.#core.consentBits(this.#engine);
        this.#core.setConsent(this.#engine, bits);
        if (bits === 0) {
          this.#state?.close();
          this.#state = null;
          this.#consentRecord = null;
        } else {
          // This tab may have started before any consent: the database exists now.
          const state = await this.#existingState();
          if (state) {
            this.#consentRecord = await state.readConsent();
            if (!(before & HISTORY)) await this.#mergeStoredHistory();
            await this.#loadProfile();
          }
        }
        // The withdrawing tab deletes the measurement database; this one lets go of it.
        await this.#syncMeasurement();
        this.#announce('consent');
      });
    } else if (message.type === 'removeItem' && typeof message.itemId === 'string') {
      this.#enqueue(() => {
        if (this.#core.removeItem(this.#engine, message.itemId) > 0) this.#announce('history');
      });
    } else if (message.type === 'history') {
      this.#enqueue(async () => {
        if ((await this.#mergeStoredHistory()).found) this.#announce('tab');
      });
    } else if (message.type === 'replaced') {
      this.#enqueue(async () => {
        // Withdrawing and re-granting `history` in the engine drops its copy; the stored
        // history (the import) is then read in its place.
        const bits = this.#core.consentBits(this.#engine);
        this.#core.setConsent(this.#engine, bits & ~HISTORY);
        this.#core.setConsent(this.#engine, bits);
        await this.#mergeStoredHistory();
        this.#announce('history');
      });
    } else if (message.type === 'profile') {
      this.#enqueue(async () => {
        await this.#loadProfile();
        this.#announce('profile');
      });
    } else if (message.type === 'feature' && typeof message.name === 'string') {
      this.#enqueue(() => this.#internal.emit('feature', message.name));
    } else if (message.type === 'erase') {
      this.#forgetEverything('erase');
    }
  }

  // The database vanished under us (site data cleared, eviction): start clean; the
  // shopper is asked again.
  #onStorageLost() {
    this.#forgetEverything('storage_lost');
    this.#emitError('storage_lost', new VitrineError('storage_lost', 'local storage was deleted'));
  }

  #forgetEverything(reason) {
    if (this.#closed) return;
    this.#core.erase(this.#engine);
    this.#consentRecord = null;
    this.#autofillOptIn = false;
    this.#state?.close();
    this.#state = null;
    // Nothing stored is left: the measurement database goes too.
    this.#syncMeasurement({forget: true}).catch(() => {});
    this.#announce(reason === 'storage_lost' ? 'consent' : 'erase');
  }

  #emitError(code, error) {
    this.#events.emit('error', {code, message: String(error?.message ?? error), error});
  }

  #assertOpen() {
    if (this.#closed) throw new VitrineError('closed', 'this Vitrine instance is closed');
  }
}
