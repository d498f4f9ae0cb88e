// Stage 1 in SQL (tools/sql/aggregate.sql) on a real PostgreSQL server gives the same
// aggregate tables, byte for byte after canonical sorting, as the C++ stage
// (`vitrine-pack aggregate`), on a sample of the public data: the first 3,000 DIGINETICA
// training sessions (views) and the OTTO sample (clicks, carts, orders; sessions of more
// than 50 distinct items, so the long-session rule is exercised too).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {startPostgres} from '../collector/lib.mjs';

import {canonical, DATA, PACK, ROOT, runOk, tempDir} from './lib.mjs';

const dir = tempDir();
let pg;

// Sessions as [{item, kind}] in time order, as the C++ reader orders them (OTTO events by
// timestamp, stable).
function sample() {
  const sessions = [];
  const digi = readFileSync(path.join(DATA, 'diginetica', 'train_sessions.txt'), 'utf8')
                   .split('\n')
                   .filter((l) => l.trim() !== '')
                   .slice(0, 3000);
  for (const line of digi) {
    sessions.push(line.trim().split(/\s+/).map((item) => ({item, kind: 0, type: 'clicks'})));
  }
  const otto = readFileSync(path.join(DATA, 'otto-sample', 'sessions.jsonl'), 'utf8')
                   .split('\n')
                   .filter((l) => l.trim() !== '');
  for (const line of otto) {
    const events = JSON.parse(line).events.map((e, k) => ({...e, k}));
    events.sort((x, y) => x.ts - y.ts || x.k - y.k);
    sessions.push(events.map(
        (e) => ({item: String(e.aid), kind: e.type === 'clicks' ? 0 : 1, type: e.type})));
  }
  return sessions;
}

before(async () => {
  pg = await startPostgres();
});

after(async () => {
  await pg?.stop();
  rmSync(dir, {recursive: true, force: true});
});

test('aggregate.sql on PostgreSQL = vitrine-pack aggregate, table for table', () => {
  const sessions = sample();
  // The C++ stage reads OTTO's JSON lines (its ids are numbers: DIGINETICA's are too).
  const jsonl = sessions.map((s, n) => JSON.stringify({
    session: n,
    events: s.map((e, k) => ({aid: Number(e.item), ts: 1000 * k, type: e.type})),
  }));
  writeFileSync(path.join(dir, 'sample.jsonl'), jsonl.join('\n') + '\n');
  runOk(PACK, [
    'aggregate', '--format', 'otto', '--sessions', path.join(dir, 'sample.jsonl'), '-q', '-o',
    path.join(dir, 'cpp')
  ]);

  // The warehouse's events table: (session_id, pos, item_id, kind), loaded with COPY.
  const rows = [];
  sessions.forEach(
      (s, n) => s.forEach((e, pos) => rows.push(`${n}\t${pos}\t${e.item}\t${e.kind}`)));
  writeFileSync(path.join(dir, 'events.tsv'), rows.join('\n') + '\n');
  const sql = path.join(dir, 'run.sql');
  const out = (name) => path.join(dir, 'sql', name);
  execFileSync('mkdir', ['-p', path.join(dir, 'sql')]);
  writeFileSync(sql, [
    'CREATE TABLE events (session_id BIGINT, pos INT, item_id TEXT, kind INT);',
    `\\copy events FROM '${path.join(dir, 'events.tsv')}'`,
    `\\i ${path.join(ROOT, 'tools', 'sql', 'aggregate.sql')}`,
    `\\copy (SELECT name, value FROM agg_totals) TO '${out('totals.body')}'`,
    `\\copy (SELECT item_id, sessions, orders FROM agg_items) TO '${out('items.body')}'`,
    `\\copy (SELECT relation, item_a, item_b, sessions, weight FROM agg_pairs) TO '${
        out('pairs.body')}'`,
  ].join('\n') + '\n');
  execFileSync(
      'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', pg.url, '-f', sql], {stdio: 'pipe'});
  const headers = {
    totals: 'name\tvalue',
    items: 'item_id\tsessions\torders',
    pairs: 'relation\titem_a\titem_b\tsessions\tweight',
  };
  for (const [name, header] of Object.entries(headers)) {
    writeFileSync(out(`${name}.tsv`), header + '\n' + readFileSync(out(`${name}.body`), 'utf8'));
  }

  for (const name of Object.keys(headers)) {
    const cpp = canonical(path.join(dir, 'cpp', `${name}.tsv`));
    const fromSql = canonical(out(`${name}.tsv`));
    assert.ok(cpp.split('\n').length > 3, `${name}: C++ table has rows`);
    assert.equal(fromSql, cpp, `${name}.tsv: SQL and C++ differ`);
  }
  // The sample covers every relation and the long-session rule.
  const pairs = canonical(path.join(dir, 'cpp', 'pairs.tsv'));
  for (const rel of ['co_view_seq', 'co_view', 'co_purchase']) {
    assert.ok(pairs.includes(`\n${rel}\t`), `sample has ${rel} rows`);
  }
  assert.ok(
      sessions.some((s) => new Set(s.map((e) => e.item)).size > 50),
      'a session of more than 50 distinct items');

  // Stage 2 reads the warehouse's export: the same pack as from the C++ tables.
  runOk(PACK, ['build', '--tables', path.join(dir, 'cpp'), '-q', '-o', path.join(dir, 'a.vpk')]);
  runOk(PACK, ['build', '--tables', path.join(dir, 'sql'), '-q', '-o', path.join(dir, 'b.vpk')]);
  assert.ok(readFileSync(path.join(dir, 'a.vpk')).equals(readFileSync(path.join(dir, 'b.vpk'))));
});
