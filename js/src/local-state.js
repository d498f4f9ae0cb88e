// The engine's data on the device: which record lives where (storage/schema.js), sealed
// with storage/crypto.js, validated on the way in, quarantined when damaged, and written
// under a Web Lock so tabs take turns. Knows nothing of the engine itself.
import {readConsentRecord} from './consent-record.js';
import {VitrineError} from './errors.js';
import {Sealer} from './storage/crypto.js';
import {PURPOSE_STORES} from './storage/schema.js';

const HISTORY = {
  store: 'history',
  key: 'snapshot',
  format: 'vitrine.history',
  version: 2
};
const PROFILE = {
  store: 'profile',
  key: 'profile',
  format: 'vitrine.profile',
  version: 1
};
const featurePlace = (name) =>
    ({store: 'profile', key: name, format: `vitrine.${name}`, version: 1});
const QUARANTINE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

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

  // Reads the stored history snapshot and hands its bytes to restore(bytes), which
  // returns the engine's status. Returns false when there is none. A record that does
  // not decrypt or that the engine refuses is quarantined, and the error thrown.
  async readHistory(restore) {
    const record = await this.#store.get(HISTORY.store, HISTORY.key);
    if (record === undefined) return false;
    let status;
    try {
      // Schema 1 records were not encrypted: read them once, the next write seals them.
      const legacy = record?.format === HISTORY.format && record.version === 1 &&
          record.bytes instanceof Uint8Array;
      status = restore(legacy ? record.bytes : await this.#unseal(HISTORY, record));
    } catch (error) {
      status = {ok: false, code: error.code ?? 'data_loss', error: error.message};
    }
    if (!status.ok) {
      await this.quarantine(HISTORY, record);
      throw new VitrineError(
          status.code, `stored history refused and quarantined: ${status.error}`);
    }
    return true;
  }

  async writeHistory(bytes) {
    await this.#seal(HISTORY, bytes);
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
    await this.#store.write([
      // A random suffix: two records quarantined in the same millisecond both stay.
      {
        store: 'quarantine',
        key: `${where.store}:${this.#now()}:${randomSuffix()}`,
        value: {at: this.#now(), record}
      },
      {store: where.store, key: where.key, delete: true},
    ]);
  }

  // Drops quarantined records past their retention; returns how many went.
  async enforceRetention() {
    const old = (await this.#store.entries('quarantine'))
                    .filter(([, v]) => !(this.#now() - v?.at <= QUARANTINE_MAX_AGE_MS));
    if (old.length)
      await this.#store.write(old.map(([key]) => ({store: 'quarantine', key, delete: true})));
    return old.length;
  }

  async counts() {
    const out = {};
    for (const store of ['consent', 'history', 'profile', 'autofill', 'sent', 'quarantine']) {
      out[store] = (await this.#store.entries(store)).length;
    }
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

  async #seal(where, bytes) {
    const sealed = await (await this.#key()).seal(bytes, place(where));
    await this.#store.write([{
      store: where.store,
      key: where.key,
      value: {format: where.format, version: where.version, ...sealed, updatedAt: this.#now()},
    }]);
  }

  async #unseal(where, record) {
    if (record?.format !== where.format || record.version !== where.version) {
      throw new VitrineError('data_loss', `stored ${where.store} record has an unknown format`);
    }
    return (await this.#key()).open(record, place(where));
  }
}
