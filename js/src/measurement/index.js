// The measurement feature: privatized reports (privacy/ldp, in vitrine-measurement.wasm),
// the daily budget, the queue and its transport to the shop's collector. The caller starts
// it only with `measurement` granted and neither Global Privacy Control nor Do Not Track on;
// it checks again. What is sent, byte by byte: privacy/what-leaves.md.
import {VitrineError} from '../errors.js';

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
  let flushing = null;

  async function flushOnce(keepalive) {
    let sent = 0, failed = 0;
    for (let round = 0; round < 8; round++) {
      const entries = await queue.due(now(), BATCH);
      if (!entries.length) break;
      let ok = false;
      try {
        const res = await fetchFn(endpoint, {
          method: 'POST',
          body: `[${entries.map((e) => e.payload).join(',')}]`,
          // text/plain needs no CORS preflight; no cookies, no Referer (the page's URL).
          headers: {'content-type': 'text/plain'},
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
          cache: 'no-store',
          keepalive,
        });
        ok = res.ok;
      } catch {
        ok = false;  // offline, blocked: retried later
      }
      if (ok) {
        await queue.markSent(entries, day());
        sent += entries.length;
      } else {
        await queue.retryLater(entries, now(), random, MAX_ATTEMPTS);
        failed += entries.length;
        break;
      }
    }
    return {sent, failed};
  }

  const api = {
    catalogue: ldp.catalogue,
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
      if (entry && !timer) {
        timer = setTimeout(() => {
          timer = null;
          api.flush().catch(() => {});
        }, delay[0] + random() * (delay[1] - delay[0]));
      }
      return entry;
    },
    // Sends what is due now; keepalive lets the request outlive the page (page hide).
    flush({keepalive = false} = {}) {
      flushing = (flushing ?? Promise.resolve()).then(() => flushOnce(keepalive));
      return flushing;
    },
    sent: () => queue.sent(),
    ledger: () => queue.ledger(day()).then((l) => ({...l, budget: dailyEpsilon})),
    close() {
      clearTimeout(timer);
      timer = null;
      globalThis.removeEventListener?.('visibilitychange', onHide);
      queue.close();
    },
  };
  // Page hide: send what is due with keepalive, not sendBeacon (a beacon would carry the
  // page's URL as Referer).
  const onHide = () => {
    if (globalThis.document?.visibilityState === 'hidden') api.flush({keepalive: true});
  };
  globalThis.addEventListener?.('visibilitychange', onHide);
  return api;
}

// Withdrawal or erasure: the whole measurement database goes.
export function eraseMeasurement(namespace) {
  return destroyQueue(namespace);
}
