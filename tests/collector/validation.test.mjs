// Every report is validated: malformed, oversized, replayed and out-of-schema reports are
// refused with a clear error and store nothing; replays are stored once. Against PGlite and
// a real PostgreSQL server.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';

import {MAX_BATCH_REPORTS, MAX_BODY_BYTES, reportTypes} from '../../collector/schema.js';

import {backends, hex, post, report, serveCollector} from './lib.mjs';

const [topCategory, recency] = ['top_category', 'recency'].map(
    (n) => reportTypes().find((t) => t.name === n && t.version === 1));
const bits = (type, ones) =>
    Array.from({length: type.domain}, (_, v) => (ones.includes(v) ? 1 : 0));
const good = () => report(recency, bits(recency, [2]));

describe('collector validation', async () => {
  for (const backend of backends()) {
    test(
        `refuses bad reports with clear errors, keeps nothing of them (${backend.name})`,
        async (t) => {
          const c = await serveCollector({...(await backend.options()), k: 1});
          t.after(() => c.close());
          const refused = async (body, status, code, pattern, type) => {
            const r = await post(c.base, body, type);
            assert.equal(r.status, status, JSON.stringify(r.body));
            assert.equal(r.body.error.code, code);
            assert.match(r.body.error.message, pattern);
          };
          await refused('{"t":', 400, 'malformed', /not valid JSON/);
          await refused('{}', 400, 'malformed', /array/);
          await refused([], 400, 'malformed', /non-empty/);
          await refused([42], 400, 'malformed', /report 0: not a JSON object/);
          await refused(
              [good(), {...good(), extra: 1}], 400, 'out_of_schema',
              /report 1: fields must be exactly/);
          await refused(
              [{...good(), url: 'https://x'}].map(({y, ...r}) => r), 400, 'out_of_schema',
              /fields/);
          await refused(
              [{...good(), t: 'search_terms'}], 400, 'out_of_schema',
              /unknown report type "search_terms"/);
          await refused([{...good(), v: 2}], 400, 'out_of_schema', /version 2/);
          await refused(
              [{...good(), id: 'ABC'}], 400, 'out_of_schema', /id must be 32 lowercase hex/);
          await refused(
              [{...good(), y: 3}], 400, 'out_of_schema', /y must be 2 lowercase hex digits/);
          await refused([{...good(), y: 'zz'}], 400, 'out_of_schema', /hex/);
          // top_category: 1024 values = 128 bytes; recency: 8 values, so no padding bits; use a
          // 7-value type for the padding check.
          const views = reportTypes().find((x) => x.name === 'views_per_day');
          await refused(
              [{...report(views, bits(views, [1])), y: '80'}], 400, 'out_of_schema',
              /past the domain/);
          await refused(
              [{...report(topCategory, bits(topCategory, [1])), y: 'ab'}], 400, 'out_of_schema',
              /256 lowercase hex/);
          const r = good();
          await refused([r, {...good(), id: r.id}], 400, 'replayed', /same report id twice/);
          await refused(
              Array.from({length: MAX_BATCH_REPORTS + 1}, good), 413, 'too_large', /at most 32/);
          await refused('['.padEnd(MAX_BODY_BYTES + 10, ' ') + ']', 413, 'too_large', /exceeds/);
          await refused(
              [good()], 415, 'unsupported_media_type', /content-type/,
              'application/x-www-form-urlencoded');
          assert.equal(await c.collector.store.count(), 0, 'nothing of a refused batch is stored');

          // text/plain (sendBeacon) is accepted.
          assert.equal((await post(c.base, [good()], 'text/plain;charset=UTF-8')).status, 200);
          assert.equal(await c.collector.store.count(), 1);
        });

    test(
        `a replayed report is acknowledged as a duplicate and stored once (${backend.name})`,
        async (t) => {
          const c = await serveCollector({...(await backend.options()), k: 1});
          t.after(() => c.close());
          const batch = [good(), report(topCategory, bits(topCategory, [0, 1023]))];
          const first = await post(c.base, batch);
          assert.deepEqual(first, {status: 200, body: {stored: 2, duplicate: []}});
          const fresh = good();
          const again = await post(c.base, [batch[1], fresh]);
          assert.deepEqual(again, {status: 200, body: {stored: 1, duplicate: [batch[1].id]}});
          // Two requests in flight with the same id: exactly one stores it.
          const same = good();
          const both = await Promise.all([post(c.base, [same]), post(c.base, [same])]);
          assert.deepEqual(both.map((b) => b.body.stored).sort(), [0, 1]);
          assert.deepEqual(
              await c.collector.store.ids(), new Set([...batch, fresh, same].map((r) => r.id)));
        });

    test(`intake beyond the rate bound gets 429 with Retry-After (${backend.name})`, async (t) => {
      const c = await serveCollector({...(await backend.options()), k: 1, reportsPerSecond: 10});
      t.after(() => c.close());
      // The bucket holds 2 seconds of reports (20): the next full batch of 32 is refused.
      const r = await fetch(`${c.base}/collect`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify(Array.from({length: 21}, good)),
      });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.equal((await r.json()).error.code, 'rate_limited');
      assert.equal(await c.collector.store.count(), 0);
    });

    test(`estimates of an unknown type are refused (${backend.name})`, async (t) => {
      const c = await serveCollector({...(await backend.options()), k: 1});
      t.after(() => c.close());
      const r = await fetch(`${c.base}/estimates?type=url&version=1`);
      assert.equal(r.status, 400);
      assert.match((await r.json()).error.message, /unknown report type url/);
      assert.equal((await fetch(`${c.base}/collect`)).status, 405);
    });
  }
});
