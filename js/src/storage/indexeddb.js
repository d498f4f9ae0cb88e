// Local storage in IndexedDB. One database per shop origin (name configurable), one
// object store `state` keyed by record name. Every logical update is one transaction,
// and nothing else is awaited inside it.
import {VitrineError} from '../errors.js';

export const SCHEMA_VERSION = 1;

// Forward-only migrations: MIGRATIONS[n] upgrades a database from version n to n + 1.
const MIGRATIONS = [
  (db) => {
    db.createObjectStore('state');
  },
];

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new VitrineError('aborted', 'transaction aborted'));
    tx.onerror = () => reject(tx.error);
  });
}

export class IndexedDbStore {
  #db;

  constructor(db) {
    this.#db = db;
    // Another tab wants to upgrade or delete the database: step aside at once.
    db.onversionchange = () => this.close();
  }

  static available() {
    return typeof indexedDB === 'object' && indexedDB !== null;
  }

  // Opens the database. With create = false a database that does not exist yet is not
  // created (the upgrade is aborted), so looking for stored consent writes nothing.
  static open(name, {create}) {
    return new Promise((resolve, reject) => {
      let created = false;
      const req = indexedDB.open(name, SCHEMA_VERSION);
      req.onupgradeneeded = (event) => {
        if (event.oldVersion === 0 && !create) {
          created = true;
          req.transaction.abort();
          return;
        }
        for (let v = event.oldVersion; v < SCHEMA_VERSION; ++v) MIGRATIONS[v](req.result, req.transaction);
      };
      req.onsuccess = () => resolve(new IndexedDbStore(req.result));
      req.onerror = (event) => {
        if (created) {
          event.preventDefault();
          resolve(null);
        } else {
          reject(req.error);
        }
      };
      req.onblocked = () => {};  // other tabs close on versionchange; the open then proceeds
    });
  }

  static destroy(name) {
    return request(indexedDB.deleteDatabase(name));
  }

  get open() {
    return this.#db !== null;
  }

  async get(key) {
    const tx = this.#tx('readonly');
    return request(tx.objectStore('state').get(key));
  }

  put(key, value, {strict = false} = {}) {
    const tx = this.#tx('readwrite', strict);
    tx.objectStore('state').put(value, key);
    return done(tx);
  }

  delete(key, {strict = false} = {}) {
    const tx = this.#tx('readwrite', strict);
    tx.objectStore('state').delete(key);
    return done(tx);
  }

  // Reads a record and writes what `change(old)` returns, in one transaction.
  // `change` runs synchronously inside the transaction; returning undefined writes nothing.
  update(key, change, {strict = false} = {}) {
    const tx = this.#tx('readwrite', strict);
    const store = tx.objectStore('state');
    const req = store.get(key);
    req.onsuccess = () => {
      const next = change(req.result);
      if (next !== undefined) store.put(next, key);
    };
    return done(tx);
  }

  close() {
    this.#db?.close();
    this.#db = null;
  }

  #tx(mode, strict = false) {
    if (!this.#db) throw new VitrineError('storage_closed', 'local storage is closed');
    return this.#db.transaction('state', mode, {durability: strict ? 'strict' : 'default'});
  }
}
