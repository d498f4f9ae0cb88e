// The local database's layout: one object store per kind of data, so erasing one
// purpose's data is one clear() and the data inventory (privacy/data-inventory.md) maps
// store by store. Forward-only migrations, each tested from its old version.
export const SCHEMA_VERSION = 3;

export const STORES = [
  'consent',     // 'state': purposes, policy version and the consent log (not encrypted)
  'history',     // 'snapshot': the browsing history, encrypted            [history]
  'profile',     // 'profile': removed interests, encrypted                 [personalization]
  'autofill',    // saved checkout details, encrypted                       [autofill]
  'sent',        // what was sent and when                                  [measurement]
  'meta',        // 'tombstone' while an erase is under way
  'keys',        // the non-extractable AES-GCM key
  'quarantine',  // records that failed validation, kept 30 days for inspection
];

// Each event's own small record ('journal:<time>:<random>', encrypted), until the next full
// write of the history folds it in [history]. Several stores, so that a record never waits
// for another transaction on its store: when a page is left, IndexedDB aborts the
// transactions still queued, even committed ones (local-state.js, #journalStore).
export const JOURNAL_STORES = ['journal-0', 'journal-1', 'journal-2', 'journal-3'];
export const ALL_STORES = [...STORES, ...JOURNAL_STORES];

// Which stores hold which purpose's data: withdrawing the purpose clears them.
export const PURPOSE_STORES = {
  history: ['history', ...JOURNAL_STORES],
  personalization: ['profile'],
  measurement: ['sent'],
  autofill: ['autofill'],
};

// Schema 1 (0.1.0) kept everything in one store 'state' under the keys 'consent',
// 'history' and 'quarantine:<time>'.
function moveV1Records(db, tx) {
  const old = tx.objectStore('state');
  const request = old.openCursor();
  request.onsuccess = () => {
    const cursor = request.result;
    if (!cursor) {
      db.deleteObjectStore('state');
      return;
    }
    const {key, value} = cursor;
    if (key === 'consent') {
      tx.objectStore('consent').put(value, 'state');
    } else if (key === 'history') {
      tx.objectStore('history').put(value, 'snapshot');
    } else if (typeof key === 'string' && key.startsWith('quarantine:')) {
      tx.objectStore('quarantine').put(value, key.slice('quarantine:'.length));
    }
    cursor.continue();
  };
}

// MIGRATIONS[n] upgrades a database from version n to n + 1, inside the upgrade transaction.
export const MIGRATIONS = [
  (db) => {
    db.createObjectStore('state');
  },
  (db, tx) => {
    for (const name of STORES) db.createObjectStore(name);
    moveV1Records(db, tx);
  },
  // Schema 2 kept journal records in 'history'; they are still read from there.
  (db) => {
    for (const name of JOURNAL_STORES) db.createObjectStore(name);
  },
];
