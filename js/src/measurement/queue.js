// The measurement database (`<namespace>-measurement`, created only once measurement is
// granted): the daily budget ledger, the permanent answers, the queue of reports to send and
// the list of reports sent. Spending budget and queueing the report are one transaction
// (strict durability): two tabs cannot both spend the day's last epsilon, and a report is
// never queued without its epsilon being counted.
import {VitrineError} from '../errors.js';

import {advance, DAYBOOK_KEY} from './daybook.js';

const VERSION = 1;
const UNITS = 1e6;  // epsilon in millionths, as privacy/ldp/ledger.hpp: 0.5+0.25+0.25 is exactly 1
export const DAY_MS = 24 * 3600 * 1000;
export const SENT_DAYS = 30;  // retention of the list of sent reports

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
    tx.onerror = (event) => event.preventDefault();
  });
}

export function databaseName(namespace) {
  return `${namespace}-measurement`;
}

// Inside `tx`: for each report in turn, reads its permanent answer, spends its epsilon and
// queues it, while the day's budget covers it. Each step runs in the callback of the one
// before, so the transaction stays open and nothing else interleaves.
function queueEach(tx, reports, {ledger, day, dailyEpsilon}, entries) {
  const last = ledger ?? {day: -1, spent: 0};
  if (day < last.day) return;  // a clock going back refills nothing
  let spent = last.day === day ? last.spent : 0;
  const step = (i) => {
    if (i >= reports.length) return;
    const {type, value, make} = reports[i];
    const memoKey = `${type.name}@${type.version}:${value}`;
    const cost = Math.round(type.epsilon * UNITS);
    const memoReq = tx.objectStore('memo').get(memoKey);
    memoReq.onsuccess = () => {
      if (spent + cost <= Math.round(dailyEpsilon * UNITS)) {
        const made = make(memoReq.result ?? null);
        const entry = {
          id: JSON.parse(made.json).id,
          type: type.name,
          version: type.version,
          epsilon: type.epsilon,
          day,
          payload: made.json,
          attempts: 0,
          next: 0
        };
        spent += cost;
        tx.objectStore('state').put({day, spent}, 'ledger');
        tx.objectStore('memo').put(made.answer, memoKey);
        tx.objectStore('queue').put(entry);
        entries.push(entry);
      }
      step(i + 1);
    };
  };
  step(0);
}

export async function openQueue(namespace) {
  const req = indexedDB.open(databaseName(namespace), VERSION);
  req.onupgradeneeded = () => {
    const db = req.result;
    db.createObjectStore('state');  // 'ledger' -> {day, spent}; 'daybook' (daybook.js)
    db.createObjectStore('memo');   // 'type@v:value' -> Uint8Array answer
    db.createObjectStore('queue', {keyPath: 'id'});  // reports waiting for a 2xx
    db.createObjectStore('sent', {keyPath: 'id'});   // what the shopper can list
  };
  return new MeasurementQueue(await request(req));
}

export class MeasurementQueue {
  #db;
  constructor(db) {
    this.#db = db;
    db.onversionchange = () => db.close();  // erased from another tab
  }

  // Spends `type.epsilon` of `day`'s budget (dailyEpsilon) and queues one report made by
  // make(memo) -> {answer, json}, in one transaction. Resolves to the queued entry, or null
  // when the budget left today does not cover it.
  enqueue({type, value, day, dailyEpsilon, make}) {
    const tx = this.#write();
    const entries = [];
    const ledgerReq = tx.objectStore('state').get('ledger');
    ledgerReq.onsuccess = () => {
      queueEach(tx, [{type, value, make}], {ledger: ledgerReq.result, day, dailyEpsilon}, entries);
    };
    return done(tx).then(() => entries[0] ?? null);
  }

  // Counts `observation` in `day`'s tally (daybook.js). When it is the first of a later day,
  // the finished tally's reports, plan(book) -> [{type, value, make}], are queued within the
  // day's budget in the same transaction: a page that goes away at that moment cannot hand
  // a day out of the tally without its reports. Resolves to the entries queued.
  observe({day, observation, plan, dailyEpsilon}) {
    const tx = this.#write();
    const state = tx.objectStore('state');
    const entries = [];
    const bookReq = state.get(DAYBOOK_KEY);
    bookReq.onsuccess = () => {
      const next = advance(bookReq.result ?? null, day, observation);
      if (!next) return;
      state.put(next.book, DAYBOOK_KEY);
      if (!next.finished) return;
      const ledgerReq = state.get('ledger');
      ledgerReq.onsuccess = () => {
        queueEach(tx, plan(next.finished), {ledger: ledgerReq.result, day, dailyEpsilon}, entries);
      };
    };
    return done(tx).then(() => entries);
  }

  #write() {
    return this.#db.transaction(['state', 'memo', 'queue'], 'readwrite', {durability: 'strict'});
  }

  async ledger(day) {
    const tx = this.#db.transaction('state', 'readonly');
    const ledger = await request(tx.objectStore('state').get('ledger'));
    return {day, spent: ledger?.day === day ? ledger.spent / UNITS : 0};
  }

  // Up to `limit` queued reports due at `now`.
  async due(now, limit) {
    const tx = this.#db.transaction('queue', 'readonly');
    const all = await request(tx.objectStore('queue').getAll());
    return all.filter((e) => e.next <= now).slice(0, limit);
  }

  // After a 2xx: out of the queue, into the list of what was sent (one transaction), which
  // keeps SENT_DAYS days.
  markSent(entries, day) {
    const tx = this.#db.transaction(['queue', 'sent'], 'readwrite', {durability: 'strict'});
    const old = tx.objectStore('sent').getAll();
    old.onsuccess = () => {
      for (const s of old.result) {
        if (s.sentDay < day - SENT_DAYS) tx.objectStore('sent').delete(s.id);
      }
    };
    for (const e of entries) {
      tx.objectStore('queue').delete(e.id);
      const y = JSON.parse(e.payload).y;
      tx.objectStore('sent').put({
        id: e.id,
        type: e.type,
        version: e.version,
        epsilon: e.epsilon,
        day: e.day,
        sentDay: day,
        y
      });
    }
    return done(tx);
  }

  // After a failure: later, with exponential backoff and jitter; dropped after maxAttempts.
  retryLater(entries, now, random, maxAttempts) {
    const tx = this.#db.transaction('queue', 'readwrite');
    for (const e of entries) {
      const attempts = e.attempts + 1;
      if (attempts >= maxAttempts) {
        tx.objectStore('queue').delete(e.id);
        continue;
      }
      const wait = Math.min(DAY_MS, 30000 * 2 ** (attempts - 1)) * (0.5 + random());
      tx.objectStore('queue').put({...e, attempts, next: now + wait});
    }
    return done(tx);
  }

  async sent() {
    const tx = this.#db.transaction('sent', 'readonly');
    const all = await request(tx.objectStore('sent').getAll());
    return all
        .map(
            ({type, version, epsilon, day, sentDay, y}) =>
                ({type, version, epsilon, day, sentDay, y}))
        .sort((a, b) => a.sentDay - b.sentDay || a.type.localeCompare(b.type));
  }

  close() {
    this.#db.close();
  }
}

export function destroyQueue(namespace) {
  return request(indexedDB.deleteDatabase(databaseName(namespace)));
}
