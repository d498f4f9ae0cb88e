// The demo shop mounts the collector under /vitrine/: reports in, dashboard out.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {reportTypes} from '../../collector/schema.js';
import {startDemoShop} from '../../demo-shop/server.mjs';

import {post, report} from './lib.mjs';

test('the demo shop serves the collector and its dashboard', async (t) => {
  delete process.env.DATABASE_URL;
  const shop = await startDemoShop({port: 0, quiet: true});
  t.after(() => shop.close());
  const type = reportTypes().find((x) => x.name === 'recency');
  const r = await post(`${shop.url}/vitrine`, [report(type, [0, 0, 1, 0, 0, 0, 0, 0])]);
  assert.deepEqual(r, {status: 200, body: {stored: 1, duplicate: []}});
  const page = await fetch(`${shop.url}/vitrine/dashboard`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<h1>Aggregated signals<\/h1>/);
  // The shop's own routes are untouched.
  assert.equal((await fetch(`${shop.url}/vitrine/collect`)).status, 405);
  assert.equal((await fetch(`${shop.url}/`)).status, 200);
});
