// The measurement chunk (js/dist/vitrine-measurement.mjs + .wasm) in node, over a fake
// IndexedDB, sending to a real collector (PGlite): reports made by the C++ mechanisms, the
// daily budget spent in the same transaction that queues, refusal past the budget (also
// from two instances, as two tabs), retry with backoff after a non-2xx, sent() after a 2xx.
import 'fake-indexeddb/auto';

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {pathToFileURL} from 'node:url';

import {eraseMeasurement, startMeasurement} from '../../js/dist/vitrine-measurement.mjs';
import {serveCollector} from '../collector/lib.mjs';

const WASM =
    pathToFileURL(new URL('../../js/dist/vitrine-measurement.wasm', import.meta.url).pathname).href;
const DAY = 24 * 3600 * 1000;
const GRANTED = {
  measurement: true,
  gpc: false,
  dnt: false
};
let counter = 0;
const ns = () => `m-${process.pid}-${++counter}`;

function clock(start = Date.UTC(2026, 10, 2, 9)) {
  let t = start;
  const now = () => t;
  now.advance = (ms) => (t += ms);
  return now;
}

test('refuses to start without measurement, or with GPC or DNT', async () => {
  for (const signals
           of [{}, {measurement: false}, {...GRANTED, gpc: true}, {...GRANTED, dnt: true}]) {
    await assert.rejects(
        startMeasurement({namespace: ns(), endpoint: 'http://x/', wasm: WASM, signals}),
        {code: 'permission_denied'});
  }
  // And it created no database.
  const names = (await indexedDB.databases()).map((d) => d.name);
  assert.ok(!names.some((n) => n.endsWith('-measurement')), names.join());
});

test(
    'reports leave through the C++ mechanisms, within the daily budget, and are listed once sent',
    async (t) => {
      const c = await serveCollector({databaseUrl: '', k: 1});
      t.after(() => c.close());
      const now = clock();
      const namespace = ns();
      const m = await startMeasurement({
        namespace,
        endpoint: `${c.base}/collect`,
        wasm: WASM,
        signals: GRANTED,
        now,
        delay: [1e9, 1e9]
      });
      t.after(() => m.close());
      assert.deepEqual(
          m.catalogue.map((x) => [x.name, x.epsilon]),
          [['top_category', 0.5], ['recency', 0.25], ['views_per_day', 0.25]]);

      const a = await m.report('top_category', 17);
      const b = await m.report('recency', 2);
      const d = await m.report('views_per_day', 3);
      assert.ok(a && b && d);
      assert.equal(await m.report('recency', 2), null, 'the day\'s budget of 1 is spent');
      assert.deepEqual(await m.ledger(), {day: Math.floor(now() / DAY), spent: 1, budget: 1});
      assert.match(
          a.payload, /^\{"t":"top_category","v":1,"id":"[0-9a-f]{32}","y":"[0-9a-f]{256}"\}$/);
      assert.match(b.payload, /^\{"t":"recency","v":1,"id":"[0-9a-f]{32}","y":"[0-9a-f]{2}"\}$/);
      await assert.rejects(m.report('url', 1), {code: 'invalid_argument'});
      await assert.rejects(m.report('recency', 8), {code: 'invalid_argument'});

      assert.deepEqual(await m.sent(), [], 'nothing is listed as sent before a 2xx');
      assert.deepEqual(await m.flush(), {sent: 3, failed: 0});
      assert.equal(await c.collector.store.count(), 3);
      const sent = await m.sent();
      assert.deepEqual(
          sent.map((s) => [s.type, s.epsilon]).sort(),
          [['recency', 0.25], ['top_category', 0.5], ['views_per_day', 0.25]]);
      assert.equal(sent.find((s) => s.type === 'recency').y, JSON.parse(b.payload).y);

      // Next day: budget again, and the permanent answer for the same value is the same.
      now.advance(DAY);
      const b2 = await m.report('recency', 2);
      assert.equal(JSON.parse(b2.payload).y, JSON.parse(b.payload).y);
      assert.notEqual(JSON.parse(b2.payload).id, JSON.parse(b.payload).id);

      // A hostile stored answer (wrong type, wrong size) is not used: a fresh one is drawn.
      const db = await new Promise((resolve) => {
        const req = indexedDB.open(`${namespace}-measurement`);
        req.onsuccess = () => resolve(req.result);
      });
      for (const bad of ['ff', new Uint8Array(9000), new Uint8Array([1, 2, 3])]) {
        await new Promise((resolve) => {
          const tx = db.transaction('memo', 'readwrite');
          tx.objectStore('memo').put(bad, 'views_per_day@1:4');
          tx.oncomplete = resolve;
        });
        const r = await m.report('views_per_day', 4);
        assert.match(r.payload, /"y":"[0-7][0-9a-f]"\}$/);  // one byte, the padding bit clear
      }
      db.close();

      // The list of what was sent keeps 30 days.
      now.advance(31 * DAY);
      await m.report('recency', 5);
      assert.deepEqual(await m.flush(), {sent: 5, failed: 0});  // b2, 3 views_per_day, this one
      // The three sent on the first day are gone; the five sent today stay.
      const kept = await m.sent();
      assert.equal(kept.length, 5);
      assert.ok(kept.every((s) => s.sentDay === Math.floor(now() / DAY)));
      await eraseMeasurement(namespace).catch(() => {});
    });

test('two instances (tabs) share one budget', async (t) => {
  const now = clock();
  const namespace = ns();
  const opts = {
    namespace,
    endpoint: 'http://127.0.0.1:9/collect',
    wasm: WASM,
    signals: GRANTED,
    now,
    delay: [1e9, 1e9]
  };
  const [m1, m2] = [await startMeasurement(opts), await startMeasurement(opts)];
  t.after(() => (m1.close(), m2.close()));
  // Eight reports of 0.25 raced from both: exactly four fit in the budget of 1.
  const results = await Promise.all(
      Array.from({length: 8}, (_, i) => (i % 2 ? m1 : m2).report('recency', i % 8)));
  assert.equal(results.filter(Boolean).length, 4);
  assert.equal((await m1.ledger()).spent, 1);
});

test('a finished day becomes its reports in one transaction, even as the page goes', async (t) => {
  const now = clock();
  const bodies = [];
  const opts = {
    namespace: ns(),
    endpoint: 'http://127.0.0.1:9/collect',
    wasm: WASM,
    signals: GRANTED,
    now,
    delay: [1e9, 1e9],
    fetch: async (url, init) => (bodies.push(JSON.parse(init.body)), {ok: true}),
  };
  const m1 = await startMeasurement(opts);
  await m1.observe();
  for (const category of [3, 5, 3]) await m1.observe({view: true, category});
  now.advance(2 * DAY);
  // The first visit of a later day, and the page closes the database at once (as a page
  // left mid-start does): the tally is handed out only with its reports queued.
  const rolled = m1.observe();
  m1.close();
  await rolled;

  const m2 = await startMeasurement(opts);
  t.after(() => m2.close());
  assert.deepEqual(await m2.ledger(), {day: Math.floor(now() / DAY), spent: 1, budget: 1});
  await m2.observe();  // the same day again: nothing more
  assert.deepEqual(await m2.flush(), {sent: 3, failed: 0});
  assert.deepEqual(
      bodies.flat().map((r) => r.t).sort(), ['recency', 'top_category', 'views_per_day']);
  assert.deepEqual((await m2.sent()).map((s) => s.day), Array(3).fill(Math.floor(now() / DAY)));
});

test('a non-2xx answer keeps the reports and retries later with backoff', async (t) => {
  const now = clock();
  const calls = [];
  let status = 503;
  const fetch = async (url, init) => {
    calls.push(init);
    return new Response('{}', {status});
  };
  const m = await startMeasurement({
    namespace: ns(),
    endpoint: 'https://collector.example/c',
    wasm: WASM,
    signals: GRANTED,
    now,
    fetch,
    random: () => 0.5,
    delay: [1e9, 1e9]
  });
  t.after(() => m.close());
  await m.report('recency', 1);
  assert.deepEqual(await m.flush(), {sent: 0, failed: 1});
  assert.equal(calls[0].credentials, 'omit');
  assert.equal(calls[0].referrerPolicy, 'no-referrer');
  assert.equal(calls[0].method, 'POST');
  // Backed off: nothing is due right away.
  assert.deepEqual(await m.flush(), {sent: 0, failed: 0});
  assert.equal(calls.length, 1);
  now.advance(31000);  // 30 s x (0.5 + 0.5)
  status = 200;
  // Page hide: started at once, with keepalive.
  assert.deepEqual(await m.sendNow(), {sent: 1, failed: 0});
  assert.equal(calls[1].keepalive, true);
  assert.deepEqual(await m.sendNow(), {sent: 0, failed: 0}, 'nothing is sent twice');
  assert.equal((await m.sent()).length, 1);
});
