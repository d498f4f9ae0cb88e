// The day's tally a device keeps for its daily reports, in the measurement database's
// `state` store (key 'daybook'): the UTC day, the day of the visit before it, the product
// views and the views per category index. Nothing else: no item, no time of day. Pure
// logic: queue.js reads and writes it in the transaction that queues the finished day's
// reports.

export const DAYBOOK_KEY = 'daybook';
const MAX_CATEGORIES = 1024;  // top_category's domain

function emptyBook(day, prev) {
  return {day, prev, views: 0, categories: {}};
}

// Counts one observation of `day` ({view, category}: a product view and its category
// index, or {} for a visit without one) in `book` (null before the first). Returns
// {book, finished}: the tally to keep and, when this is the first observation of a later
// day, the finished day's tally (else null). A clock that went back counts nothing: null.
export function advance(book, day, {view = false, category = -1} = {}) {
  if (book && day < book.day) return null;
  let finished = null;
  let next = book;
  if (!book || book.day !== day) {
    finished = book;
    next = emptyBook(day, book ? book.day : -1);
  } else {
    next = {...book, categories: {...book.categories}};
  }
  if (view) {
    next.views += 1;
    if (Number.isInteger(category) && category >= 0 && category < MAX_CATEGORIES) {
      next.categories[category] = (next.categories[category] ?? 0) + 1;
    }
  }
  return {book: next, finished};
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
