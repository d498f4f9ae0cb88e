// The engine's data on the device: which record lives where (storage/schema.js), sealed
// with storage/crypto.js, validated on the way in, quarantined when damaged, and written
// under a Web Lock so tabs take turns. Knows nothing of the engine itself.
import {readConsentRecord} from './consent-record.js';
import {VitrineError} from './errors.js';
import {Sealer, xor} from './storage/crypto.js';
import {JOURNAL_STORES, PURPOSE_STORES} from './storage/schema.js';

const HISTORY = {
  store: 'history',
  key: 'snapshot',
  format: 'vitrine.history',
  version: 2
};
// An event's own small record, written at once after it is recorded (journal-N/journal:*):
// the full history write that follows may be cut short by a navigation, this one is done in
// a millisecond or two. Same format as the snapshot; the next full write folds it in.
// Schema 2 wrote these records into 'history'; they are still read and folded from there.
const JOURNAL_PREFIX = 'journal:';
const journalPlace = (store, key) => ({...HISTORY, store, key});
// Keystreams kept ready so that an event's record is written in the same task as the event
// (a navigation in that task leaves no time to wait for WebCrypto): two of 2 KiB.
const STREAMS = 2;
const STREAM_BYTES = 2048;
// Journal records double the writes of a page. On a device with less room than this for
// the site, the history is written whole only, as before (each write replaces the last).
const JOURNAL_MIN_FREE_BYTES = 4 * 1024 * 1024;

// Resolves to `value` after ms, so that no browser call here can hold up the page's writes.
const within = (promise, ms, value) =>
    Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(value), ms))]);

async function roomForJournal() {
  try {
    const {quota, usage} =
        (await within(globalThis.navigator?.storage?.estimate?.() ?? null, 200, null)) ?? {};
    return !(Number.isFinite(quota) && Number.isFinite(usage)) ||
        quota - usage >= JOURNAL_MIN_FREE_BYTES;
  } catch {
    return true;
  }
}
const PROFILE = {
  store: 'profile',
  key: 'profile',
  format: 'vitrine.profile',
  version: 1
};
const featurePlace = (name) =>
    ({store: 'profile', key: name, format: `vitrine.${name}`, version: 1});
const QUARANTINE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
// Saved checkout details not saved or edited for two years are deleted (data-inventory.md).
const AUTOFILL_MAX_AGE_MS = 730 * 24 * 3600 * 1000;

// Keeps two records quarantined in the same millisecond apart.
function randomSuffix() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
const place = (r) => `${r.store}/${r.key}/v${r.version}`;

// Runs fn while holding the namespace's lock (one tab at a time), where Web Locks exist.
function withLock(name, fn) {
  const locks = globalThis.navigator?.locks;
  return typeof locks?.request === 'function' ? locks.request(name, fn) : fn();
}

export class LocalState {
  #store;
  #name;
  #now;
  #sealer = null;
  #streams = [];
  #filling = null;
  #journalRoom = false;  // known once prepareJournal() ran
  #busy = new Map();     // journal store -> this page's transactions on it, in flight

  constructor(store, name, now) {
    this.#store = store;
    this.#name = name;
    this.#now = now;
  }

  get open() {
    return this.#store.open;
  }

  lock(fn) {
    return withLock(`vitrine:${this.#name}`, fn);
  }

  async isErasing() {
    return (await this.#store.get('meta', 'tombstone')) !== undefined;
  }

  async readConsent() {
    return readConsentRecord(await this.#store.get('consent', 'state'));
  }

  // The consent record and, in the same transaction, the data of withdrawn purposes.
  writeConsent(record, withdrawn) {
    const ops = [{store: 'consent', key: 'state', value: record}];
    for (const purpose of withdrawn) {
      for (const store of PURPOSE_STORES[purpose]) ops.push({store, clear: true});
    }
    return this.#store.write(ops, {strict: true});
  }

  // Reads the stored history, the snapshot and then every journal record, and hands the
  // bytes of each to restore(bytes), which returns the engine's status. Returns
  // { found, journal } (journal: the keys of the journal records read, for writeHistory to
  // drop once their content is in the snapshot). A record that does not decrypt or that the
  // engine refuses is quarantined; a damaged snapshot is also thrown, after the journal.
  async readHistory(restore) {
    const records = await this.#store.entries(HISTORY.store);
    const snapshot = records.find(([key]) => key === HISTORY.key)?.[1];
    const journal = records.filter(([key]) => String(key).startsWith(JOURNAL_PREFIX))
                        .map(([key, record]) => [journalPlace(HISTORY.store, key), record]);
    for (const store of JOURNAL_STORES) {
      for (const [key, record] of await this.#holding(store, this.#store.entries(store))) {
        journal.push([journalPlace(store, key), record]);
      }
    }
    let refused = null;
    if (snapshot !== undefined) {
      // Schema 1 records were not encrypted: read them once, the next write seals them.
      const legacy = snapshot?.format === HISTORY.format && snapshot.version === 1 &&
          snapshot.bytes instanceof Uint8Array;
      refused = await this.#restoreRecord(HISTORY, snapshot, restore, legacy);
    }
    const read = [];
    for (const [where, record] of journal) {
      if (!(await this.#restoreRecord(where, record, restore, false))) read.push(where);
    }
    if (refused) {
      throw new VitrineError(
          refused.code, `stored history refused and quarantined: ${refused.error}`);
    }
    return {found: snapshot !== undefined || journal.length > 0, journal: read};
  }

  // The snapshot, and in the same transaction the journal records it now contains
  // (`journal`: what readHistory returned).
  async writeHistory(bytes, journal = []) {
    const deletions = journal.map(({store, key}) => ({store, key, delete: true}));
    await this.#seal(HISTORY, bytes, {deletions});
  }

  // Deletes journal records (their content is in the engine, to be written with the next
  // snapshot).
  dropJournal(journal) {
    const ops = journal.map(({store, key}) => ({store, key, delete: true}));
    return this.#holding(ops.map((op) => op.store), this.#store.write(ops));
  }

  // The journal store for the next record: the first one that no transaction of this page
  // holds (a record queued behind another transaction is lost if the shopper leaves), else
  // the least busy. Mostly the first, so that a full write usually holds that one alone.
  #journalStore() {
    let best = JOURNAL_STORES[0];
    for (const store of JOURNAL_STORES) {
      const n = this.#busy.get(store) ?? 0;
      if (n === 0) return store;
      if (n < this.#busy.get(best)) best = store;
    }
    return best;
  }

  // Counts `promise` as holding the given journal stores until it settles; returns it.
  #holding(stores, promise) {
    const held = [stores].flat().filter((store) => JOURNAL_STORES.includes(store));
    for (const store of held) this.#busy.set(store, (this.#busy.get(store) ?? 0) + 1);
    const release = () => {
      for (const store of held) this.#busy.set(store, this.#busy.get(store) - 1);
    };
    promise.then(release, release);
    return promise;
  }

  // Whether the device has room for journal records (known once prepareJournal() ran).
  get journalRoom() {
    return this.#journalRoom;
  }

  // Keeps keystreams ready for appendJournalNow. Resolves when they are (at most about half
  // a second: the caller waits no longer).
  prepareJournalSoon() {
    return within(this.prepareJournal().catch(() => {}), 500, undefined);
  }

  prepareJournal() {
    // The storage estimate (up to 200 ms) and the keystreams at once, not one after the
    // other: an event pushed right before the shopper leaves is then more often written in
    // its own task. Streams are handed out only once the room is known.
    this.#filling ??= (async () => {
                        const room = roomForJournal();
                        const sealer = await this.#key();
                        const streams = [];
                        while (this.#streams.length + streams.length < STREAMS) {
                          streams.push(await sealer.keystream(STREAM_BYTES));
                        }
                        this.#journalRoom = await room;
                        this.#streams.push(...streams);
                      })().finally(() => (this.#filling = null));
    return this.#filling;
  }

  // Writes one event's record now, in this task: the transaction starts before this returns.
  // Returns the write's promise, or null when no keystream is ready (or the record is too
  // big for one): then appendJournal does it, a moment later. The stored consent is checked
  // after the write (waiting for it first is what this avoids): a record that another tab's
  // withdrawal no longer allows is deleted at once.
  appendJournalNow(bytes, bit) {
    if (!this.open || bytes.length > STREAM_BYTES || this.#streams.length === 0) return null;
    if (!this.#journalRoom) return Promise.resolve(false);
    const {iv, stream} = this.#streams.shift();
    const store = this.#journalStore();
    const key = `${JOURNAL_PREFIX}${this.#now()}:${randomSuffix()}`;
    const value = {
      format: HISTORY.format,
      version: HISTORY.version,
      cipher: 'stream',
      iv,
      data: xor(bytes, stream),
      updatedAt: this.#now(),
    };
    const written = this.#holding(store, this.#store.write([{store, key, value}]));
    this.prepareJournal().catch(() => {});
    return written.then(async () => {
      if (!((await this.readConsent())?.bits & bit)) {
        await this.#store.write([{store, key, delete: true}]);
      }
    });
  }

  // Seals one event's record and writes it at once, if the stored consent (read in the
  // same transaction) still grants `bit`: another tab may have withdrawn it a moment ago.
  async appendJournal(bytes, bit) {
    // Also tells whether there is room; the next event is fast.
    await within(this.prepareJournal().catch(() => {}), 500, undefined);
    if (!this.#journalRoom) return false;
    const where =
        journalPlace(this.#journalStore(), `${JOURNAL_PREFIX}${this.#now()}:${randomSuffix()}`);
    const sealed = await (await this.#key()).seal(bytes, place(where));
    if (!this.open) return false;
    return this.#holding(
        where.store,
        this.#store.writeIf(
            {store: 'consent', key: 'state'},
            (record) => Boolean(readConsentRecord(record)?.bits & bit), [{
              store: where.store,
              key: where.key,
              value: {
                format: HISTORY.format,
                version: HISTORY.version,
                ...sealed,
                updatedAt: this.#now()
              },
            }]));
  }

  // Null when restored, else the refusal ({ code, error }); the record is then quarantined.
  async #restoreRecord(where, record, restore, legacy) {
    let status;
    try {
      status = restore(legacy ? record.bytes : await this.#unseal(where, record));
    } catch (error) {
      status = {ok: false, code: error.code ?? 'data_loss', error: error.message};
    }
    if (status.ok) return null;
    await this.quarantine(where, record);
    return status;
  }

  // Reads the stored profile and hands its removed interests to apply(list), which returns
  // the engine's status. Returns the profile { removedInterests: [...] }, or null when there
  // is none. A record that does not decrypt, is malformed or that the engine refuses is
  // quarantined, and the error thrown.
  async readProfile(apply) {
    const record = await this.#store.get(PROFILE.store, PROFILE.key);
    if (record === undefined) return null;
    try {
      const text = new TextDecoder().decode(await this.#unseal(PROFILE, record));
      const profile = JSON.parse(text);
      if (!Array.isArray(profile?.removedInterests) ||
          !profile.removedInterests.every((c) => typeof c === 'string')) {
        throw new VitrineError('data_loss', 'stored profile is malformed');
      }
      const status = apply(profile.removedInterests);
      if (!status.ok) {
        throw new VitrineError('data_loss', `stored profile refused: ${status.error}`);
      }
      return profile;
    } catch (error) {
      await this.quarantine(PROFILE, record);
      throw error instanceof VitrineError ?
          error :
          new VitrineError('data_loss', `stored profile: ${error.message}`);
    }
  }

  async writeProfile(profile) {
    await this.#seal(PROFILE, new TextEncoder().encode(JSON.stringify(profile)));
  }

  // For features loaded on demand (autofill): a sealed record of theirs. read(where, check)
  // returns check(bytes), or null when there is none; a record that does not open or that
  // check() refuses (throws) is quarantined, and the error thrown.
  async readSealed(where, check) {
    const record = await this.#store.get(where.store, where.key);
    if (record === undefined) return null;
    try {
      return check(await this.#unseal(where, record));
    } catch (error) {
      await this.quarantine(where, record);
      throw error;
    }
  }

  writeSealed(where, bytes) {
    return this.#seal(where, bytes, {strict: true});
  }

  removeRecord(where) {
    return this.#store.write([{store: where.store, key: where.key, delete: true}]);
  }

  // A feature's own personalization data (rule caps, experiment exposures): JSON sealed
  // in the 'profile' store, so withdrawing `personalization` clears it with the profile.
  // Returns undefined when there is none; a record that does not open is quarantined.
  async readFeature(name) {
    const where = featurePlace(name);
    const record = await this.#store.get(where.store, where.key);
    if (record === undefined) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(await this.#unseal(where, record)));
    } catch (error) {
      await this.quarantine(where, record);
      throw new VitrineError('data_loss', `stored ${name} record: ${error.message}`);
    }
  }

  async writeFeature(name, value) {
    await this.#seal(featurePlace(name), new TextEncoder().encode(JSON.stringify(value)));
  }

  // Keeps a damaged record aside (for inspection, 30 days) instead of passing it on.
  async quarantine(where, record) {
    await this.#holding(where.store, this.#store.write([
      // A random suffix: two records quarantined in the same millisecond both stay.
      {
        store: 'quarantine',
        key: `${where.store}:${this.#now()}:${randomSuffix()}`,
        value: {at: this.#now(), record}
      },
      {store: where.store, key: where.key, delete: true},
    ]));
  }

  // Drops quarantined records past their retention; returns how many went.
  async enforceRetention() {
    const old = (await this.#store.entries('quarantine'))
                    .filter(([, v]) => !(this.#now() - v?.at <= QUARANTINE_MAX_AGE_MS));
    const ops = old.map(([key]) => ({store: 'quarantine', key, delete: true}));
    for (const [key, v] of await this.#store.entries('autofill')) {
      if (!(this.#now() - v?.updatedAt <= AUTOFILL_MAX_AGE_MS)) {
        ops.push({store: 'autofill', key, delete: true});
      }
    }
    if (ops.length) await this.#store.write(ops);
    return old.length;
  }

  // The reports kept in the `sent` store, oldest first.
  async readSent() {
    return (await this.#store.entries('sent')).map(([, value]) => value);
  }

  async counts() {
    const out = {};
    for (const store of ['consent', 'history', 'profile', 'autofill', 'sent', 'quarantine']) {
      out[store] = (await this.#store.entries(store)).length;
    }
    for (const store of JOURNAL_STORES) out.history += (await this.#store.entries(store)).length;
    return out;
  }

  // First step of an erase: a durable note that it is under way, so a crash midway
  // is finished on the next load.
  writeTombstone() {
    return this.#store.write(
        [{store: 'meta', key: 'tombstone', value: {at: this.#now()}}], {strict: true});
  }

  close() {
    this.#store.close();
  }

  async #key() {
    this.#sealer ??= await Sealer.forStore(this.#store);
    return this.#sealer;
  }

  // deletions: records the new one replaces, deleted first in the same transaction (on a
  // full device the space they free counts for the write). strict: durability.
  async #seal(where, bytes, {deletions = [], strict = false} = {}) {
    const sealed = await (await this.#key()).seal(bytes, place(where));
    await this.#holding(
        deletions.map((op) => op.store),
        this.#store.write(
            [
              ...deletions,
              {
                store: where.store,
                key: where.key,
                value: {
                  format: where.format,
                  version: where.version,
                  ...sealed,
                  updatedAt: this.#now()
                },
              },
            ],
            {strict}));
  }

  async #unseal(where, record) {
    if (record?.format !== where.format || record.version !== where.version) {
      throw new VitrineError('data_loss', `stored ${where.store} record has an unknown format`);
    }
    if (record.cipher === 'stream' && String(where.key).startsWith(JOURNAL_PREFIX)) {
      return (await this.#key()).openStream(record, STREAM_BYTES);
    }
    return (await this.#key()).open(record, place(where));
  }
}
