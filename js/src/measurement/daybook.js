// The day's tally a device keeps for its daily reports, in the measurement database's
// `state` store (key 'daybook'): the UTC day, the day of the visit before it, the product
// views and the views per category index. Nothing else: no item, no time of day. When a
// later day begins, the finished day is handed back once (one transaction, so two tabs
// cannot both report it) and the tally starts again.
import {VitrineError} from '../errors.js';

const KEY = 'daybook';
const MAX_CATEGORIES = 1024;  // top_category's domain

function emptyBook(day, prev) {
  return {day, prev, views: 0, categories: {}};
}

export class Daybook {
  #db;
  constructor(db) {
    this.#db = db;
  }

  // Counts one observation of `day` ({view, category}: a product view and its category
  // index, or {} for a visit without one). Resolves to the finished day's tally when this
  // is the first observation of a later day, else null. A clock that went back counts
  // nothing.
  observe(day, {view = false, category = -1} = {}) {
    const tx = this.#db.transaction('state', 'readwrite', {durability: 'strict'});
    const store = tx.objectStore('state');
    let finished = null;
    const read = store.get(KEY);
    read.onsuccess = () => {
      let book = read.result ?? null;
      if (book && day < book.day) return;
      if (!book || book.day !== day) {
        finished = book;
        book = emptyBook(day, book ? book.day : -1);
      }
      if (view) {
        book.views += 1;
        if (Number.isInteger(category) && category >= 0 && category < MAX_CATEGORIES) {
          book.categories[category] = (book.categories[category] ?? 0) + 1;
        }
      }
      store.put(book, KEY);
    };
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve(finished);
      tx.onabort = () => reject(tx.error ?? new VitrineError('aborted', 'daybook not written'));
    });
  }
}

// The most viewed category index of a tally (the lowest index on a tie), or -1.
export function topCategory(book) {
  let best = -1, most = 0;
  for (const [key, count] of Object.entries(book.categories)) {
    const index = Number(key);
    if (count > most || (count === most && index < best)) {
      best = index;
      most = count;
    }
  }
  return best;
}
