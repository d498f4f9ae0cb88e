// The same interface as IndexedDbStore, in memory: for `storage: 'memory'`, for browsers
// without IndexedDB, and for fast tests. Data lives as long as the page.
import {ALL_STORES} from './schema.js';

const databases = new Map();

export class MemoryStore {
  #stores;

  constructor(stores) {
    this.#stores = stores;
  }

  static available() {
    return true;
  }

  static async open(name, {create}) {
    if (!databases.has(name)) {
      if (!create) return null;
      databases.set(name, new Map(ALL_STORES.map((s) => [s, new Map()])));
    }
    return new MemoryStore(databases.get(name));
  }

  static async destroy(name) {
    databases.delete(name);
  }

  get open() {
    return this.#stores !== null;
  }

  async get(store, key) {
    return structuredClone(this.#stores.get(store).get(key));
  }

  async entries(store) {
    return structuredClone([...this.#stores.get(store)]);
  }

  async write(ops) {
    for (const op of ops) {
      const s = this.#stores.get(op.store);
      if (op.clear) {
        s.clear();
      } else if (op.delete) {
        s.delete(op.key);
      } else {
        s.set(op.key, structuredClone(op.value));
      }
    }
  }

  async writeIf(check, allows, ops) {
    if (!allows(structuredClone(this.#stores.get(check.store).get(check.key)))) return false;
    await this.write(ops);
    return true;
  }

  async update(store, key, change) {
    const s = this.#stores.get(store);
    const next = change(structuredClone(s.get(key)));
    if (next !== undefined) s.set(key, structuredClone(next));
    return structuredClone(next ?? s.get(key));
  }

  close() {
    this.#stores = null;
  }
}
