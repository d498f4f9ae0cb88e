// The measurement feature: privatized reports (privacy/ldp, in vitrine-measurement.wasm),
// the daily budget, the queue and its transport to the shop's collector. The caller starts
// it only with `measurement` granted and neither Global Privacy Control nor Do Not Track on;
// it checks again. What is sent, byte by byte: privacy/what-leaves.md.
import {VitrineError} from '../errors.js';

import {topCategory} from './daybook.js';
import {loadLdp} from './ldp-wasm.js';
import {DAY_MS, destroyQueue, openQueue} from './queue.js';

const BATCH = 32;        // reports per request (the collector's limit)
const MAX_ATTEMPTS = 8;  // then a report is dropped (its budget stays spent)

// options: namespace, endpoint (collector URL), wasm (URL or bytes of
// vitrine-measurement.wasm), signals {measurement, gpc, dnt}, dailyEpsilon (1), now, random
// (jitter only; the mechanisms use crypto.getRandomValues), fetch, delay [min, max] ms
// before a batch leaves (jitter: reports do not leave at the moment of the page event).
export async function startMeasurement(options) {
  const {
    namespace,
    endpoint,
    wasm,
    signals = {},
    dailyEpsilon = 1,
    now = Date.now,
    random = Math.random,
    fetch: fetchFn = globalThis.fetch?.bind(globalThis),
    delay = [5000, 60000],
  } = options;
  if (!signals.measurement || signals.gpc || signals.dnt) {
    throw new VitrineError('permission_denied', 'measurement needs consent and no GPC or DNT');
  }
  if (typeof endpoint !== 'string' || !endpoint) {
    throw new VitrineError('invalid_argument', 'measurement needs an endpoint');
  }
  if (!(dailyEpsilon > 0 && dailyEpsilon <= 16)) {
    throw new VitrineError('invalid_argument', 'dailyEpsilon must be in (0, 16]');
  }
  const ldp = await loadLdp(wasm);
  const queue = await openQueue(namespace);
  const day = () => Math.floor(now() / DAY_MS);
  let timer = null;
  let closed = false;
  let flushing = null;
  // The queue as this page last knew it: what page hide sends at once, since a page being
  // left may not live long enough to read IndexedDB first. A report sent twice this way
  // (its 2xx not recorded before the page went) is dropped by the collector by its id.
  const known = new Map((await queue.due(Infinity, Infinity)).map((e) => [e.id, e]));

  // One POST of `entries`, started synchronously (keepalive lets it outlive the page).
  function post(entries, keepalive) {
    return fetchFn(endpoint, {
             method: 'POST',
             body: `[${entries.map((e) => e.payload).join(',')}]`,
             // text/plain needs no CORS preflight; no cookies, no Referer (the page's URL).
             headers: {'content-type': 'text/plain'},
             credentials: 'omit',
             referrerPolicy: 'no-referrer',
             cache: 'no-store',
             keepalive,
           })
        .then((res) => res.ok, () => false);  // offline, blocked: retried later
  }

  async function settle(entries, ok) {
    for (const e of entries) known.delete(e.id);
    if (ok) return queue.markSent(entries, day());
    await queue.retryLater(entries, now(), random, MAX_ATTEMPTS);
    for (const e of await queue.due(Infinity, Infinity)) known.set(e.id, e);
  }

  async function flushOnce() {
    let sent = 0, failed = 0;
    for (let round = 0; round < 8; round++) {
      const entries = await queue.due(now(), BATCH);
      if (!entries.length) break;
      const ok = await post(entries, false);
      await settle(entries, ok);
      if (ok) {
        sent += entries.length;
      } else {
        failed += entries.length;
        break;
      }
    }
    return {sent, failed};
  }

  function schedule() {
    if (timer || closed || !known.size) return;
    timer = setTimeout(() => {
      timer = null;
      api.flush().catch(() => {});
    }, delay[0] + random() * (delay[1] - delay[0]));
  }

  // The finished day's three reports (privacy/what-leaves.md): its most viewed category,
  // the days since the visit before it, its product views. A type with nothing to say (no
  // view, no known category) is not sent.
  function planDay(book) {
    const measured = {
      top_category: topCategory(book),
      recency: book.prev < 0 ? -1 : book.day - book.prev,
      views_per_day: book.views > 0 ? book.views : -1,
    };
    const reports = [];
    for (const [name, number] of Object.entries(measured)) {
      const index = ldp.catalogue.findIndex((t) => t.name === name && t.version === 1);
      const value = number < 0 && name !== 'recency' ? -1 : ldp.value(index, number);
      if (value >= 0) {
        reports.push(
            {type: ldp.catalogue[index], value, make: (memo) => ldp.report(index, value, memo)});
      }
    }
    return reports;
  }

  function queued(entries) {
    for (const entry of entries) known.set(entry.id, entry);
    if (entries.length) schedule();
  }

  const api = {
    catalogue: ldp.catalogue,
    // Counts a page visit ({}) or a product view ({view: true, category: pack category
    // index or -1}) in today's tally; the first of a new day queues the finished one's
    // reports, within today's budget, in the same transaction.
    async observe(observation = {}) {
      queued(await queue.observe({day: day(), observation, plan: planDay, dailyEpsilon}));
    },
    // Queues one report of `typeName` (version 1) for the true value; resolves to the queued
    // entry, or null when today's budget is spent.
    async report(typeName, value) {
      const index = ldp.catalogue.findIndex((t) => t.name === typeName && t.version === 1);
      if (index < 0) throw new VitrineError('invalid_argument', `unknown report type ${typeName}`);
      const type = ldp.catalogue[index];
      if (!Number.isInteger(value) || value < 0 || value >= type.domain) {
        throw new VitrineError(
            'invalid_argument', `${typeName}: value must be in [0, ${type.domain})`);
      }
      const entry = await queue.enqueue(
          {type, value, day: day(), dailyEpsilon, make: (memo) => ldp.report(index, value, memo)});
      queued(entry ? [entry] : []);
      return entry;
    },
    // Starts the POSTs of what is due in this same task, with keepalive so that they outlive
    // the page; resolves once their answers are recorded (if the page lives that long).
    sendNow() {
      const due = [...known.values()].filter((e) => e.next <= now()).slice(0, 4 * BATCH);
      const sending = [];
      for (let i = 0; i < due.length; i += BATCH) {
        const entries = due.slice(i, i + BATCH);
        for (const e of entries) known.delete(e.id);
        sending.push(post(entries, true)
                         .then((ok) => settle(entries, ok).then(() => ok))
                         .then(
                             (ok) =>
                                 (ok ? {sent: entries.length, failed: 0} :
                                       {sent: 0, failed: entries.length})));
      }
      return Promise.all(sending).then(
          (parts) => parts.reduce(
              (a, b) => ({sent: a.sent + b.sent, failed: a.failed + b.failed}),
              {sent: 0, failed: 0}));
    },
    // Sends what is due now.
    flush() {
      flushing = (flushing ?? Promise.resolve()).then(() => flushOnce());
      return flushing;
    },
    sent: () => queue.sent(),
    ledger: () => queue.ledger(day()).then((l) => ({...l, budget: dailyEpsilon})),
    close() {
      closed = true;
      clearTimeout(timer);
      timer = null;
      globalThis.removeEventListener?.('visibilitychange', onHide);
      globalThis.removeEventListener?.('pagehide', onHide);
      queue.close();
    },
  };
  // Page hide (tab hidden, navigation, close): what is due leaves at once with keepalive,
  // not sendBeacon (a beacon would carry the page's URL as Referer).
  const onHide = (event) => {
    if (event.type === 'visibilitychange' && globalThis.document?.visibilityState !== 'hidden') {
      return;
    }
    api.sendNow().catch(() => {});
  };
  globalThis.addEventListener?.('visibilitychange', onHide);
  globalThis.addEventListener?.('pagehide', onHide);
  schedule();  // reports an earlier page queued and could not send
  return api;
}

// Withdrawal or erasure: the whole measurement database goes.
export function eraseMeasurement(namespace) {
  return destroyQueue(namespace);
}
