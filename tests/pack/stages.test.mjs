// The two-stage pack build on DIGINETICA: `aggregate` then `build` gives the very bytes of
// the single-step build; a spilling aggregation (small --memory-mb) gives the same tables as
// an in-memory one; `vitrine-eval --format pairs` on the test set written as (prefix,
// target) pairs gives the figures of the sessions file; bad tables are refused clearly.
import assert from 'node:assert/strict';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';

import {DATA, EVAL, PACK, run, runOk, tempDir} from './lib.mjs';

const dir = tempDir();
after(() => rmSync(dir, {recursive: true, force: true}));  // ~0.5 GB of tables
const D = path.join(DATA, 'diginetica');
const train = path.join(D, 'train_sessions.txt');
const at = (name) => path.join(dir, name);
const bytes = (name) => readFileSync(at(name));

// The single-step build adds SSTA and FUSN (they need the sessions in time order, which
// aggregate tables do not keep): compared without them.
test('aggregate + build = the single-step pack, byte for byte; spilling changes nothing', () => {
  runOk(PACK, ['--sessions', train, '--no-session-stats', '-q', '-o', at('one.vpk')]);
  runOk(PACK, ['aggregate', '--sessions', train, '-q', '-o', at('tables')]);
  const spill =
      runOk(PACK, ['aggregate', '--sessions', train, '--memory-mb', '4', '-o', at('spilled')]);
  assert.match(spill.stderr, /merging \d+ runs of co_view/, 'the 4 MB cap spills');
  for (const name of ['totals.tsv', 'items.tsv', 'pairs.tsv']) {
    assert.ok(bytes(`spilled/${name}`).equals(bytes(`tables/${name}`)), `${name} differs`);
  }
  runOk(PACK, ['build', '--tables', at('tables'), '-q', '-o', at('two.vpk')]);
  assert.ok(bytes('one.vpk').length > 1e6);
  assert.ok(bytes('two.vpk').equals(bytes('one.vpk')), 'two-stage pack differs');
  // Rare pairs cut in stage 1: the default pack (min support 2) is unchanged, and a pack
  // of min support 1 from such tables is refused.
  runOk(PACK, [
    'aggregate', '--sessions', train, '--min-sessions', '2', '--memory-mb', '8', '-q', '-o',
    at('cut')
  ]);
  assert.ok(bytes('cut/pairs.tsv').length < bytes('tables/pairs.tsv').length / 2);
  runOk(PACK, ['build', '--tables', at('cut'), '-q', '-o', at('cut.vpk')]);
  assert.ok(bytes('cut.vpk').equals(bytes('one.vpk')), 'pack from cut tables differs');
  const low = run(PACK, ['build', '--tables', at('cut'), '--min-support', '1', '-o', at('x')]);
  assert.equal(low.code, 1);
  assert.match(low.stderr, /min_sessions 2/);
  // The tables hold counts of the whole training set.
  const totals = Object.fromEntries(readFileSync(at('tables/totals.tsv'), 'utf8')
                                        .trim()
                                        .split('\n')
                                        .slice(1)
                                        .map((l) => l.split('\t')));
  const lines = readFileSync(train, 'utf8').trim().split('\n');
  assert.equal(Number(totals.sessions), lines.length);
  assert.equal(Number(totals.events), lines.reduce((n, l) => n + l.trim().split(/\s+/).length, 0));
});

test('--format pairs: the test set as (prefix, target) pairs scores as the sessions file', () => {
  // The first 800 test sessions and the engine alone, for time (the whole set and every
  // model: docs/evaluation.md).
  const sessions = readFileSync(path.join(D, 'test_sessions.txt'), 'utf8')
                       .split('\n')
                       .filter((l) => l.trim() !== '')
                       .slice(0, 800);
  writeFileSync(at('test.txt'), sessions.join('\n') + '\n');
  const pairs = [];
  for (const line of sessions) {
    const items = line.trim().split(/\s+/);
    for (let t = 1; t < items.length; ++t) {
      pairs.push(`${items.slice(0, t).join(' ')}\t${items[t]}`);
    }
  }
  writeFileSync(at('pairs.txt'), pairs.join('\n') + '\n');
  // A published point whose target training never saw: a miss, not dropped.
  writeFileSync(at('pairs-unknown.txt'), pairs.join('\n') + '\n1 2\tnot-in-training\n');
  const score = (file, format) => JSON.parse(runOk(EVAL, [
                                               '--train',
                                               train,
                                               '--test',
                                               at(file),
                                               '--format',
                                               format,
                                               '--pack',
                                               at('one.vpk'),
                                               '--json',
                                               '--model',
                                               'engine',
                                             ]).stdout);
  const bySessions = score('test.txt', 'lines');
  const byPairs = score('pairs.txt', 'pairs');
  assert.equal(byPairs.points, pairs.length);
  assert.equal(bySessions.points, pairs.length);
  assert.equal(byPairs.results.length, 1);
  for (let m = 0; m < bySessions.results.length; ++m) {
    const a = bySessions.results[m], b = byPairs.results[m];
    assert.equal(b.model, a.model);
    for (const key of Object.keys(a)) {
      if (key === 'seconds') continue;
      if (typeof a[key] === 'number') {
        assert.ok(Math.abs(a[key] - b[key]) < 2e-4, `${a.model} ${key}: ${a[key]} vs ${b[key]}`);
      }
    }
  }
  const engine = bySessions.results.find((r) => r.model === 'engine');
  assert.ok(engine['hr@20'] > 30, 'the engine scores');
  const unknown = score('pairs-unknown.txt', 'pairs');
  assert.equal(unknown.points, pairs.length + 1);
  const hits = (r, n) => Math.round((r['hr@20'] * n) / 100);
  for (let m = 0; m < unknown.results.length; ++m) {
    assert.equal(
        hits(unknown.results[m], pairs.length + 1), hits(bySessions.results[m], pairs.length),
        'same hits, one more point');
  }
});

test('bad tables and arguments are refused with a clear message', () => {
  runOk(
      PACK,
      ['aggregate', '--sessions', path.join(D, 'test_sessions.txt'), '-q', '-o', at('small')]);
  const original = {
    totals: readFileSync(at('small/totals.tsv'), 'utf8'),
    items: readFileSync(at('small/items.tsv'), 'utf8'),
    pairs: readFileSync(at('small/pairs.tsv'), 'utf8'),
  };
  const cases = [
    ['pairs', (s) => s.replace('relation\t', 'rel\t'), /pairs\.tsv:1: header must be/],
    ['pairs', (s) => s + 'co_view\t1\tno-such-item\t1\t0\n', /is not in items\.tsv/],
    ['pairs', (s) => s + 'co_view\t1\t2\t-1\t0\n', /sessions and weight must be integers/],
    ['pairs', (s) => s + 'co_view\t1\t1\t1\t0\n', /itself/],
    ['items', (s) => s + s.split('\n')[1] + '\n', /duplicate item/],
    ['totals', (s) => s.replace('version\t1', 'version\t2'), /version 2/],
    ['totals', (s) => s.replace('weight_scale\t2520', 'weight_scale\t2521'), /lcm/],
  ];
  for (const [file, edit, message] of cases) {
    for (const [name, text] of Object.entries(original)) {
      writeFileSync(at(`small/${name}.tsv`), name === file ? edit(text) : text);
    }
    const r = run(PACK, ['build', '--tables', at('small'), '-q', '-o', at('bad.vpk')]);
    assert.equal(r.code, 1, `${message}: exit code`);
    assert.match(r.stderr, message);
  }
  assert.equal(
      run(PACK, ['aggregate', '--sessions', train, '--window', '21', '-o', at('x')]).code, 2);
  assert.equal(
      run(PACK, ['build', '--tables', at('small'), '--window', '5', '-o', at('x')]).code, 2);
  writeFileSync(at('no-tab.txt'), '1 2 3\n');
  const r = run(EVAL, ['--train', train, '--test', at('no-tab.txt'), '--format', 'pairs']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no-tab\.txt:1: need one tab/);
});

test('with a catalog, and with --catalog-only, the two stages give the one-step pack', () => {
  const otto = path.join(DATA, 'otto-sample', 'sessions.jsonl');
  // A catalog of every other item of the sample, in three categories.
  const aids = [...new Set(readFileSync(otto, 'utf8')
                               .trim()
                               .split('\n')
                               .flatMap((l) => JSON.parse(l).events.map((e) => e.aid)))];
  const rows = aids.filter((_, k) => k % 2 === 0)
                   .map((aid, k) => `${aid},cat${k % 3},${(k % 17) + 0.5},${k % 5 ? 1 : 0}`);
  writeFileSync(at('catalog.csv'), ['item_id,category,price,available', ...rows].join('\n') + '\n');
  for (const only of [[], ['--catalog-only']]) {
    const common =
        ['--format', 'otto', '--sessions', otto, '--catalog', at('catalog.csv'), ...only];
    runOk(PACK, [...common, '--min-support', '1', '--no-session-stats', '-q', '-o', at('c1.vpk')]);
    runOk(PACK, ['aggregate', ...common, '-q', '-o', at('ctables')]);
    runOk(PACK, [
      'build', '--tables', at('ctables'), '--catalog', at('catalog.csv'), '--min-support', '1',
      '-q', '-o', at('c2.vpk')
    ]);
    assert.ok(bytes('c1.vpk').length > 10000);
    assert.ok(bytes('c2.vpk').equals(bytes('c1.vpk')), `differs ${only.join(' ')}`);
  }
});
