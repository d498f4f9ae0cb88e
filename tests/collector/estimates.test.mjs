// Estimates: reports made as browsers make them (OUE with the catalogue's p and q) from a
// known truth, over several days; the SQL estimate is the exact de-biasing formula, close to
// the truth, its 95% intervals cover it, and a day with fewer than k reports is not
// released. Against PGlite and a real PostgreSQL server.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';

import {reportTypes} from '../../collector/schema.js';

import {backends, oue, post, prng, report, serveCollector} from './lib.mjs';

const type = reportTypes().find((t) => t.name === 'top_category' && t.version === 1);
const DAY = 24 * 3600 * 1000;
const START = Date.UTC(2026, 10, 2);
const K = 50;

// Truth: value v with weight 1/(v+1) over the first 20 values.
function truthOf(n, rand) {
  const w = Array.from({length: 20}, (_, v) => 1 / (v + 1));
  const total = w.reduce((a, b) => a + b);
  return Array.from({length: n}, () => {
    let u = rand() * total, v = 0;
    while (v < 19 && u >= w[v]) u -= w[v++];
    return v;
  });
}

describe('collector estimates', async () => {
  for (const backend of backends()) {
    test(
        `de-biased estimates with intervals, k threshold, dashboard (${backend.name})`,
        async (t) => {
          let now = START;
          const c = await serveCollector({...(await backend.options()), k: K, now: () => now});
          t.after(() => c.close());
          const rand = prng(42);
          const days = [{n: 1500}, {n: 1200}, {n: K - 1}];
          for (const [i, day] of days.entries()) {
            now = START + i * DAY + 3600 * 1000;
            day.truth = new Array(type.domain).fill(0);
            day.support = new Array(type.domain).fill(0);
            const values = truthOf(day.n, rand);
            const reports = values.map((x) => {
              day.truth[x]++;
              const bits = oue(type, x, rand);
              bits.forEach((b, v) => (day.support[v] += b));
              return report(type, bits);
            });
            for (let j = 0; j < reports.length; j += 32) {
              const r = await post(c.base, reports.slice(j, j + 32));
              assert.equal(r.status, 200);
            }
          }
          const res = await (await fetch(`${c.base}/estimates?type=top_category&version=1`)).json();
          assert.equal(res.k, K);
          // The third day has k - 1 reports: not released.
          assert.deepEqual(
              res.days.map((d) => [d.day, d.n]), [['2026-11-02', 1500], ['2026-11-03', 1200]]);
          let covered = 0, cells = 0;
          for (const [i, d] of res.days.entries()) {
            const {truth, support, n} = days[i];
            assert.equal(d.values.length, type.domain);
            for (const e of d.values) {
              // Exactly Wang et al.'s estimator (the SQL and this line compute the same number).
              const expected = (support[e.v] - n * type.q) / (type.p - type.q);
              assert.ok(Math.abs(e.count - expected) < 1e-6, `v ${e.v}: ${e.count} vs ${expected}`);
              assert.ok(Math.abs(e.share - e.count / n) < 1e-12);
              cells++;
              if (e.low <= truth[e.v] && truth[e.v] <= e.high) covered++;
            }
            // The largest values are found within 4.5 standard deviations.
            for (const v of [0, 1, 2]) {
              const e = d.values[v];
              assert.ok(
                  Math.abs(e.count - truth[v]) < 4.5 * e.sd,
                  `day ${i} v ${v}: ${e.count} vs ${truth[v]}`);
            }
          }
          // 95% intervals: 2,048 cells; with a variance off by a factor 2 coverage would be ~83%.
          const coverage = covered / cells;
          assert.ok(coverage > 0.92 && coverage < 0.98, `coverage ${coverage}`);

          const page = await (await fetch(`${c.base}/dashboard`)).text();
          assert.match(page, /<svg[^>]*aria-label="top_category estimated shares per day"/);
          assert.match(page, /2026-11-03: 1200 reports/);
          assert.match(page, /No day with at least 50 reports yet/);  // the other types
          assert.doesNotMatch(page, /<script/);
        });
  }
});
