// Shared set-up for the storage tests: a fake IndexedDB (fake-indexeddb) installed as the
// global one, so `storage: 'indexeddb'` runs in node, and helpers that look at what the
// package stored through that same fake, the way DevTools would.
import 'fake-indexeddb/auto';

import {readFile} from 'node:fs/promises';

import {createVitrine} from './helpers.mjs';

export {DAY, fakeClock, view} from './helpers.mjs';
export {createVitrine};

export const PACK =
    new Uint8Array(await readFile(new URL('../fuzz/corpus/pack/catalog.vpk', import.meta.url)));

let counter = 0;
// A namespace no other test uses.
export const ns = (label = 'db') => `${label}-${process.pid}-${++counter}`;

// An IndexedDB-backed instance; `errors` collects its 'error' events.
export async function open(namespace, options = {}) {
  const v = await createVitrine({storage: 'indexeddb', namespace, ...options});
  v.errors = [];
  v.on('error', (e) => v.errors.push(e));
  return v;
}

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits until check() is true (or fails after timeoutMs).
export async function until(check, timeoutMs = 1000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(5);
  }
}

export function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function databaseNames() {
  return (await indexedDB.databases()).map((d) => d.name);
}

export async function exists(name) {
  return (await databaseNames()).includes(name);
}

// Opens an existing database at its current version, as another tab would. Closes itself
// when the package upgrades or deletes the database.
export async function rawOpen(name, version) {
  const req = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
  const db = await request(req);
  db.onversionchange = () => db.close();
  return db;
}

// { version, stores: { name: Map(key -> value) } } or null when the database does not exist
// (checked first: opening a missing database would create it).
export async function dump(name) {
  if (!(await exists(name))) return null;
  const db = await rawOpen(name);
  try {
    const stores = {};
    for (const store of db.objectStoreNames) {
      const os = db.transaction([store], 'readonly').objectStore(store);
      const [keys, values] = await Promise.all([request(os.getAllKeys()), request(os.getAll())]);
      stores[store] = new Map(keys.map((k, i) => [k, values[i]]));
    }
    return {version: db.version, stores};
  } finally {
    db.close();
  }
}

// Store name -> number of records, for stores that have any.
export function nonEmpty(d) {
  return Object.fromEntries(
      Object.entries(d.stores).filter(([, m]) => m.size > 0).map(([s, m]) => [s, m.size]));
}

// Writes records into an existing database: [[store, key, value]] (value undefined deletes).
export async function rawWrite(name, records) {
  const db = await rawOpen(name);
  try {
    const tx = db.transaction([...new Set(records.map((r) => r[0]))], 'readwrite');
    for (const [store, key, value] of records) {
      if (value === undefined)
        tx.objectStore(store).delete(key);
      else
        tx.objectStore(store).put(value, key);
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

// True when `needle` (a string) appears in the bytes.
export function containsText(bytes, needle) {
  const n = new TextEncoder().encode(needle);
  outer: for (let i = 0; i + n.length <= bytes.length; ++i) {
    for (let j = 0; j < n.length; ++j) {
      if (bytes[i + j] !== n[j]) continue outer;
    }
    return true;
  }
  return false;
}

// Every byte of a stored record (Uint8Arrays and strings inside it), for plaintext scans.
export function recordBytes(value) {
  const parts = [];
  const walk = (v) => {
    if (v instanceof Uint8Array) {
      parts.push(v);
    } else if (typeof v === 'string') {
      parts.push(new TextEncoder().encode(v));
    } else if (v && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(value);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Replaces proto[name] with wrap(original) until the returned restore() is called.
export function patch(proto, name, wrap) {
  const original = proto[name];
  proto[name] = wrap(original);
  return () => {
    proto[name] = original;
  };
}

// Records every write request the package makes: { op, store, tx, mode, durability }.
export function spyWrites() {
  const ops = [];
  const restores = ['put', 'add', 'delete', 'clear'].map(
      (op) => patch(IDBObjectStore.prototype, op, (original) => function(...args) {
        ops.push({
          op,
          store: this.name,
          key: op === 'put' ? args[1] : args[0],
          tx: this.transaction,
          durability: this.transaction.durability,
        });
        return original.apply(this, args);
      }));
  ops.restore = () => restores.forEach((r) => r());
  return ops;
}

export const ALL_DENIED = {
  history: false,
  personalization: false,
  measurement: false,
  autofill: false
};

// Events of the shop: a view, a cart add and a purchase, items with categories.
export const item = (id, category, extra = {}) =>
    ({item_id: id, item_name: `name-${id}`, item_category: category, price: 10, ...extra});
export const viewOf = (id, category) => ({event: 'view_item', items: [item(id, category)]});
export const cartOf = (id, category) => ({event: 'add_to_cart', items: [item(id, category)]});
export const purchaseOf = (id, category, tx = 'T1') =>
    ({event: 'purchase', ecommerce: {transaction_id: tx, items: [item(id, category)]}});
