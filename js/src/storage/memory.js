// The same interface as IndexedDbStore, in memory: for `storage: 'memory'`, for browsers
// without IndexedDB, and for fast tests. Data lives as long as the page.
const databases = new Map();

export class MemoryStore {
  #name;
  #records;

  constructor(name, records) {
    this.#name = name;
    this.#records = records;
  }

  static available() {
    return true;
  }

  static async open(name, {create}) {
    if (!databases.has(name)) {
      if (!create) return null;
      databases.set(name, new Map());
    }
    return new MemoryStore(name, databases.get(name));
  }

  static async destroy(name) {
    databases.delete(name);
  }

  get open() {
    return this.#records !== null;
  }

  async get(key) {
    return structuredClone(this.#records.get(key));
  }

  async put(key, value) {
    this.#records.set(key, structuredClone(value));
  }

  async delete(key) {
    this.#records.delete(key);
  }

  async update(key, change) {
    const next = change(structuredClone(this.#records.get(key)));
    if (next !== undefined) this.#records.set(key, structuredClone(next));
  }

  close() {
    this.#records = null;
  }
}
