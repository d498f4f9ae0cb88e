// A collector killed with SIGKILL in the middle of ingesting loses no report it had
// acknowledged: an acknowledgement is sent only after the commit. Against PGlite (on a
// directory) and a real PostgreSQL server.
import assert from 'node:assert/strict';
import {rmSync} from 'node:fs';
import {describe, test} from 'node:test';

import {reportTypes} from '../../collector/schema.js';
import {openDatabase, ReportStore} from '../../collector/store.js';

import {backends, post, report, startCollector, tempDir} from './lib.mjs';

const type = reportTypes().find((t) => t.name === 'recency' && t.version === 1);
const batch = () => Array.from({length: 8}, (_, i) => report(type, [0, 1, 0, 0, 0, 0, i & 1, 0]));

describe('collector crash', async () => {
  for (const backend of backends()) {
    test(`SIGKILL mid-ingest loses no acknowledged report (${backend.name})`, async (t) => {
      const options = await backend.options();
      const dataDir = options.databaseUrl ? undefined : tempDir();
      if (dataDir) t.after(() => rmSync(dataDir, {recursive: true, force: true}));
      const {child, base} = await startCollector({databaseUrl: options.databaseUrl, dataDir});
      const acked = new Set();
      let failed = 0, stop = false;
      const exited = new Promise((r) => child.on('exit', r));
      // Eight clients posting as fast as they are answered.
      const clients = Array.from({length: 8}, async () => {
        while (!stop) {
          const b = batch();
          try {
            const r = await post(base, b);
            if (r.status === 200)
              for (const x of b) acked.add(x.id);
          } catch {
            failed++;  // the connection died with the collector: not acknowledged
          }
        }
      });
      while (acked.size < 800) await new Promise((r) => setTimeout(r, 10));
      child.kill('SIGKILL');
      await exited;
      stop = true;
      await Promise.all(clients);
      assert.ok(failed > 0, 'the kill hit requests in flight');

      const db = await openDatabase({databaseUrl: options.databaseUrl, dataDir});
      const store = new ReportStore(db);
      const stored = await store.ids();
      await store.close();
      const lost = [...acked].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged reports lost`);
      assert.ok(acked.size >= 800);
    });
  }
});
