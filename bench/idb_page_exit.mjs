// What IndexedDB keeps of a write when the page is left in the same task (Chromium). The
// write is a small put with an explicit commit(), as each event's journal record is
// (js/src/local-state.js); it is made
// - alone;
// - behind another transaction on the same store, which a chain of reads keeps alive for
//   400 ms (a full write of the history, or its read, holds the store that way);
// - beside that transaction, on another store.
// The next page reads the record back. Prints one JSON object: records kept of --runs.
//
//   node bench/idb_page_exit.mjs [--runs 10]
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import {launchChromium, serveFiles} from './lib/chromium.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('runs', 10));
const CASES = {
  alone: null,
  behindOnSameStore: 'a',
  besideOnOtherStore: 'b'
};

// Defined in every page (an init script): the database with its two stores.
function defineOpen() {
  window.openExitDb = () => new Promise((resolve, reject) => {
    const req = indexedDB.open('exit-bench', 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('a');
      req.result.createObjectStore('b');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// In the page: the busy transaction (if any), the write, and the navigation, in one task.
function writeAndLeave({key, store, busy, next}) {
  window.openExitDb().then((db) => {
    if (busy) {
      const tx = db.transaction(['a'], 'readonly');
      const until = performance.now() + 400;
      const read = () => {
        if (performance.now() < until) tx.objectStore('a').get('nothing').onsuccess = read;
      };
      read();
    }
    const tx = db.transaction([store], 'readwrite');
    tx.objectStore(store).put({at: Date.now()}, key);
    tx.commit();
    location.href = next;
  });
}

function readBack({key, store}) {
  return window.openExitDb().then((db) => new Promise((resolve) => {
                                    const req = db.transaction([store]).objectStore(store).get(key);
                                    req.onsuccess = () => {
                                      db.close();
                                      resolve(req.result !== undefined);
                                    };
                                  }));
}

const server = await serveFiles({'/': join(root, 'bench/pages')});
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();
const result = {
  runs,
  kept: {}
};
try {
  await browser.context.addInitScript(defineOpen);
  const page = await browser.context.newPage();
  for (const [name, busyStore] of Object.entries(CASES)) {
    let kept = 0;
    for (let i = 0; i < runs; ++i) {
      const key = `${name}-${i}`;
      const store = busyStore === 'b' ? 'b' : 'a';
      await page.goto(`${base}/blank.html?from=${key}`);
      const next = `${base}/blank.html?to=${key}`;
      await page.evaluate(writeAndLeave, {key, store, busy: busyStore !== null, next});
      await page.waitForURL(next);
      if (await page.evaluate(readBack, {key, store})) ++kept;
    }
    result.kept[name] = kept;
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result));
