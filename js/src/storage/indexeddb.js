// Local storage in IndexedDB: the stores of schema.js in one database per namespace.
// Every logical update is one transaction with nothing else awaited inside it; consent,
// tombstones and erasure use strict durability.
import {VitrineError} from '../errors.js';

import {ALL_STORES, MIGRATIONS, SCHEMA_VERSION} from './schema.js';

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

// How long an open or a deletion may wait for another page that keeps an older connection
// and ignores `versionchange` (an old tab that never closes), before it fails clearly.
export const BLOCKED_TIMEOUT_MS = 3000;

function blockedError(what) {
  return new VitrineError(
      'storage_blocked',
      `${what} is blocked by another page of this site that keeps the local database open ` +
          '(close the other tabs of the shop)');
}

// Whether the database exists, without opening (or creating) it. Null where the browser
// cannot tell (no indexedDB.databases()).
async function exists(name) {
  if (typeof indexedDB.databases !== 'function') return null;
  try {
    return (await indexedDB.databases()).some((d) => d.name === name);
  } catch {
    return null;
  }
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
  // not exist is neither opened nor created: where the browser lists its databases, the
  // list is asked first; elsewhere the open's upgrade is aborted, which writes nothing.
  // An open that another page blocks fails after blockedTimeoutMs with 'storage_blocked'.
  static async open(name, {create, onLost, onDeleted, blockedTimeoutMs = BLOCKED_TIMEOUT_MS} = {}) {
    if (!create && (await exists(name)) === false) return null;
    return new Promise((resolve, reject) => {
      let refused = false;
      let timer = null;
      let gaveUp = false;
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
      req.onsuccess = () => {
        clearTimeout(timer);
        if (gaveUp) {
          req.result.close();  // the caller went on without it
          return;
        }
        resolve(new IndexedDbStore(req.result, onLost, onDeleted));
      };
      req.onerror = (event) => {
        clearTimeout(timer);
        if (refused) {
          event.preventDefault();
          resolve(null);
        } else {
          reject(req.error);
        }
      };
      // Our other tabs close on versionchange and the open proceeds; a page that does not
      // would make it wait forever.
      req.onblocked = () => {
        timer ??= setTimeout(() => {
          gaveUp = true;
          reject(blockedError('opening the local database'));
        }, blockedTimeoutMs);
      };
    });
  }

  // Deletes the database. Blocked by a page that keeps it open, it fails after
  // blockedTimeoutMs with 'storage_blocked'; the browser still deletes it once that page
  // lets go (and an erase's tombstone finishes the work on the next load).
  static destroy(name, {blockedTimeoutMs = BLOCKED_TIMEOUT_MS} = {}) {
    return new Promise((resolve, reject) => {
      const req = indexedDB.deleteDatabase(name);
      let timer = null;
      req.onsuccess = () => {
        clearTimeout(timer);
        resolve();
      };
      req.onerror = () => {
        clearTimeout(timer);
        reject(req.error);
      };
      req.onblocked = () => {
        timer ??=
            setTimeout(() => reject(blockedError('deleting the local database')), blockedTimeoutMs);
      };
    });
  }

  // destroy() for a database that may never have been created: nothing is opened or
  // deleted when the browser lists no such database.
  static async destroyIfExists(name, options) {
    if ((await exists(name)) === false) return;
    await IndexedDbStore.destroy(name, options);
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
    // Commit now rather than when this task ends: the sooner it is committed, the less a
    // navigation can cut short.
    try {
      tx.commit?.();
    } catch {
      // Already aborted (a quota error): `committed` rejects with the reason.
    }
    return committed;
  }

  // Applies ops only if allows(record) holds for the record at check.store/check.key, read
  // in the same transaction: nothing another tab commits in between can slip past it.
  // Resolves to whether the ops were applied.
  writeIf(check, allows, ops) {
    const stores = [...new Set([check.store, ...ops.map((op) => op.store)])];
    const tx = this.#tx(stores, 'readwrite');
    const req = tx.objectStore(check.store).get(check.key);
    let applied = false;
    req.onsuccess = () => {
      if (!allows(req.result)) return;
      for (const op of ops) tx.objectStore(op.store).put(op.value, op.key);
      applied = true;
    };
    return done(tx).then(() => applied);
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
      if (!ALL_STORES.includes(s)) throw new VitrineError('invalid_argument', `no store ${s}`);
    }
    return this.#db.transaction(stores, mode, {durability: strict ? 'strict' : 'default'});
  }
}
