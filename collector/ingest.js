// Group commit: requests that arrive while a write is in flight are stored together in the
// next single INSERT, and each request is acknowledged only after the statement that holds
// its reports has committed. One write at a time keeps the order simple and the database
// does one fsync per group instead of one per request.
const MAX_GROUP_REPORTS = 4096;

export class Ingestor {
  #store;
  #pending = [];
  #running = false;

  constructor(store) {
    this.#store = store;
  }

  // Resolves to {stored, duplicate: [ids]} once durable; rejects if the write failed (then
  // nothing of the request was acknowledged, and the client retries).
  submit(reports, day) {
    return new Promise((resolve, reject) => {
      this.#pending.push({reports, day, resolve, reject});
      if (!this.#running) this.#run();
    });
  }

  async #run() {
    this.#running = true;
    try {
      while (this.#pending.length) {
        // One group per day (a group never spans midnight's day change).
        const day = this.#pending[0].day;
        const group = [];
        let size = 0;
        while (this.#pending.length && this.#pending[0].day === day &&
               (size === 0 || size + this.#pending[0].reports.length <= MAX_GROUP_REPORTS)) {
          const item = this.#pending.shift();
          group.push(item);
          size += item.reports.length;
        }
        await this.#write(group, day);
      }
    } finally {
      this.#running = false;
    }
  }

  async #write(group, day) {
    let fresh;
    try {
      fresh = await this.#store.insert(group.flatMap((g) => g.reports), day);
    } catch (error) {
      for (const g of group) g.reject(error);
      return;
    }
    // Two requests of one group carrying the same id: the first one stored it.
    for (const g of group) {
      const duplicate = [];
      let stored = 0;
      for (const r of g.reports) {
        if (fresh.delete(r.id)) {
          stored++;
        } else {
          duplicate.push(r.id);
        }
      }
      g.resolve({stored, duplicate});
    }
  }
}
