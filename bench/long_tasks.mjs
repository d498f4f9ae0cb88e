// Long tasks (the Long Tasks API: main-thread tasks over 50 ms) while the package opens a
// model pack in Chromium, through the script tag: the DIGINETICA pack and a synthetic
// 200k-item pack, cold (a new browser profile: nothing compiled or cached) and warm (the
// same profile, a new page, the pack opened a second time on that page too). Budget: no
// long task while a pack loads (fetch, copy, checksums, opening and indexing). Long tasks
// of the rest of the page's start (the engine's compile, the script) are reported apart.
// Prints one JSON object.
//
//   node bench/long_tasks.mjs [--native build] [--data ../shared/data/diginetica]
//        [--tmp DIR] [--dist DIR] [--rounds 3]
//
// Packs are shared with recommend_browser.mjs (same --tmp, same builds).
import {loadavg, tmpdir} from 'node:os';
import {basename, dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import {chromiumPipeRun} from './lib/chromium-pipe.mjs';
import {DIST} from './lib/dist.mjs';
import {preparePacks} from './recommend_browser.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUDGET_LONG_TASK_MS = 50;

// In the page: loads the pack `times` times; returns each load's window and the long tasks.
async function loadInPage(page, packUrl, times) {
  return page.evaluate(async ({packUrl, times}) => {
    const v = await window.vitrine.ready;
    const loads = [];
    for (let i = 0; i < times; ++i) {
      const start = performance.now();
      await v.loadPack(packUrl);
      loads.push({start, end: performance.now()});
    }
    // A long task is reported once it ends: give the observer a frame to run.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return {loads, longTasks: window.longTasks, items: v.pack.items};
  }, {packUrl, times});
}

function summarize({loads, longTasks}) {
  const inLoad = (t, l) => t.start < l.end && t.start + t.duration > l.start;
  const during = loads.map((l) => longTasks.filter((t) => inLoad(t, l)));
  const outside = longTasks.filter((t) => !loads.some((l) => inLoad(t, l)));
  const stats = (tasks) => ({
    count: tasks.length,
    max_ms: tasks.length ? +Math.max(...tasks.map((t) => t.duration)).toFixed(1) : 0,
    blocking_ms: +tasks.reduce((a, t) => a + t.duration - 50, 0).toFixed(1),
  });
  return {
    load_ms: loads.map((l) => +(l.end - l.start).toFixed(1)),
    during_load: during.map(stats),
    page_start: stats(outside),
  };
}

async function measure(pack, dist, rounds) {
  const routes = {'/packs/': dirname(pack.file), '/vitrine/': dist};
  const packUrl = `/packs/${basename(pack.file)}`;
  const out = {cold: [], warm: []};
  for (let r = 0; r < rounds; ++r) {
    // Every round a new profile: the first page is cold, the second warm.
    // Without Playwright: its DevTools Network domain costs the page long tasks of its own
    // (lib/chromium-pipe.mjs).
    await chromiumPipeRun(async ({page, url, browser}) => {
      await page.goto(`${url}/longtask.html`);
      out.cold.push(summarize(await loadInPage(page, packUrl, 1)));
      const second = await browser.newPage();
      await second.goto(`${url}/longtask.html`);
      out.warm.push(summarize(await loadInPage(second, packUrl, 2)));
    }, routes);
  }
  return out;
}

export async function runLongTasks({
  native = join(root, 'build'),
  data = resolve(root, '..', 'shared', 'data', 'diginetica'),
  tmp = join(tmpdir(), 'vitrine-recommend-bench'),
  dist = DIST,
  rounds = 3,
} = {}) {
  const loadavgStart = loadavg().map((x) => +x.toFixed(2));
  const packs = preparePacks({native, data, tmp});
  const results = [];
  for (const pack of packs) results.push({pack: pack.label, ...await measure(pack, dist, rounds)});
  let worst = 0;
  for (const r of results) {
    for (const run of [...r.cold, ...r.warm]) {
      for (const d of run.during_load) worst = Math.max(worst, d.max_ms);
    }
  }
  return {
    benchmark: 'long_tasks',
    loadavg: {start: loadavgStart, end: loadavg().map((x) => +x.toFixed(2))},
    results,
    budget: {
      longest_task_while_loading_ms: {
        max: BUDGET_LONG_TASK_MS,
        measured: worst,
        met: worst <= BUDGET_LONG_TASK_MS,
      },
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const result = await runLongTasks({
    native: opt('--native', undefined),
    data: opt('--data', undefined),
    tmp: opt('--tmp', undefined),
    dist: opt('--dist', undefined),
    rounds: Number(opt('--rounds', 3)),
  });
  console.log(JSON.stringify(result, null, 2));
}
