// Local storage in IndexedDB: the stores of schema.js in one database per namespace.
// Every logical update is one transaction with nothing else awaited inside it; consent,
// tombstones and erasure use strict durability.
import {VitrineError} from '../errors.js';

import {MIGRATIONS, SCHEMA_VERSION, STORES} from './schema.js';

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A quota error surfaces as an abort whose error is the QuotaExceededError.
    tx.onabort = () => reject(tx.error ?? new VitrineError('aborted', 'transaction aborted'));
    tx.onerror = (event) => event.preventDefault();  // reported once, by onabort
  });
}

export class IndexedDbStore {
  #db;

  constructor(db, onLost, onDeleted) {
    this.#db = db;
    // Another tab upgrades or deletes the database: step aside at once. A deletion
    // (newVersion null) from outside the package also means the consent is gone.
    db.onversionchange = (event) => {
      this.close();
      if (event.newVersion === null) onDeleted?.();
    };
    // The browser deleted the database under us (site data cleared, eviction).
    db.onclose = () => {
      this.#db = null;
      onLost?.();
    };
  }

  static available() {
    return typeof indexedDB === 'object' && indexedDB !== null;
  }

  // Opens the database, upgrading older schemas. With create = false a database that does
  // not exist yet is not created (the upgrade is aborted): looking writes nothing.
  static open(name, {create, onLost, onDeleted}) {
    return new Promise((resolve, reject) => {
      let refused = false;
      const req = indexedDB.open(name, SCHEMA_VERSION);
      req.onupgradeneeded = (event) => {
        if (event.oldVersion === 0 && !create) {
          refused = true;
          req.transaction.abort();
          return;
        }
        for (let v = event.oldVersion; v < SCHEMA_VERSION; ++v) {
          MIGRATIONS[v](req.result, req.transaction);
        }
      };
      req.onsuccess = () => resolve(new IndexedDbStore(req.result, onLost, onDeleted));
      req.onerror = (event) => {
        if (refused) {
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

  async get(store, key) {
    return request(this.#tx([store], 'readonly').objectStore(store).get(key));
  }

  // [[key, value], ...] of one store.
  async entries(store) {
    const os = this.#tx([store], 'readonly').objectStore(store);
    const [keys, values] = await Promise.all([request(os.getAllKeys()), request(os.getAll())]);
    return keys.map((key, i) => [key, values[i]]);
  }

  // Applies writes to several stores atomically: [{store, key, value}],
  // [{store, key, delete: true}] or [{store, clear: true}].
  // A request that throws at once (a quota or clone error) aborts the whole transaction, so
  // that none of the others land, and rejects like any other failure.
  async write(ops, {strict = false} = {}) {
    const stores = [...new Set(ops.map((op) => op.store))];
    const tx = this.#tx(stores, 'readwrite', strict);
    const committed = done(tx);
    try {
      for (const op of ops) {
        const os = tx.objectStore(op.store);
        if (op.clear) {
          os.clear();
        } else if (op.delete) {
          os.delete(op.key);
        } else {
          os.put(op.value, op.key);
        }
      }
    } catch (error) {
      committed.catch(() => {});
      try {
        tx.abort();
      } catch {
        // Already finished: nothing was written by this transaction anyway.
      }
      throw error;
    }
    return committed;
  }

  // Reads a record and writes what change(old) returns, in one transaction. change runs
  // synchronously inside it; undefined writes nothing.
  update(store, key, change, {strict = false} = {}) {
    const tx = this.#tx([store], 'readwrite', strict);
    const os = tx.objectStore(store);
    const req = os.get(key);
    let result;
    req.onsuccess = () => {
      result = change(req.result);
      if (result !== undefined) os.put(result, key);
    };
    return done(tx).then(() => result ?? req.result);
  }

  close() {
    if (this.#db) this.#db.onclose = null;
    this.#db?.close();
    this.#db = null;
  }

  #tx(stores, mode, strict = false) {
    if (!this.#db) throw new VitrineError('storage_closed', 'local storage is closed');
    for (const s of stores) {
      if (!STORES.includes(s)) throw new VitrineError('invalid_argument', `no store ${s}`);
    }
    return this.#db.transaction(stores, mode, {durability: strict ? 'strict' : 'default'});
  }
}
