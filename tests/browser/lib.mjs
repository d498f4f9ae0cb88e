// Shared helpers for the browser tests: the demo shop in-process on a free port, Debian's
// Chromium with a fresh temporary profile (never a downloaded browser), and probes for
// what a page stored and whether it broke any rule (CSP, console errors, dialogs).
import {launchChromium} from '../../bench/lib/chromium.mjs';
import {startDemoShop} from '../../demo-shop/server.mjs';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

// options: {testPages: true} also serves demo-shop/test-pages.mjs.
export function startShop(options = {}) {
  return startDemoShop({port: 0, host: '127.0.0.1', quiet: true, ...options});
}

// A persistent context on a new temporary profile (bench/lib/chromium.mjs, shared with the
// benchmarks): closing a page and opening another one keeps IndexedDB, as in a browser.
export async function launchBrowser() {
  const {context, close} = await launchChromium();
  context.setDefaultTimeout(10_000);  // fail fast: every step here takes well under a second
  const problems = [];
  // Record CSP violations from every page, reported to Node as they happen (so a violation
  // on a page we navigate away from is not lost).
  await context.exposeBinding('__shopTestViolation', ({page}, violation) => {
    problems.push({kind: 'csp', url: page?.url(), ...violation});
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__shopTestViolation({
        directive: e.violatedDirective,
        blocked: e.blockedURI,
        source: e.sourceFile,
        line: e.lineNumber,
        sample: e.sample
      });
    });
  });
  const watch = (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push({kind: 'console', url: page.url(), text: message.text()});
      }
    });
    page.on(
        'pageerror',
        (error) => problems.push({kind: 'pageerror', url: page.url(), text: String(error)}));
    page.on('dialog', (dialog) => {
      problems.push({kind: 'dialog', url: page.url(), text: dialog.message()});
      dialog.dismiss().catch(() => {});
    });
  };
  context.on('page', watch);
  for (const page of context.pages()) watch(page);
  return {
    context,
    problems,
    // A new tab (the persistent context opens with one blank page; reuse it first).
    newPage: async () => context.newPage(),
    close,
  };
}

// Loads a shop page and waits until the shop's script has wired everything (data-shop-ready)
// and the engine has started. The page comes to the front first: with several tabs, headless
// Chromium paints the others rarely, and a click waits for frames.
export async function open(page, url) {
  await page.bringToFront();
  const response = await page.goto(url);
  await page.waitForSelector('body[data-shop-ready]', {state: 'attached'});
  await page.evaluate(() => window.vitrine.ready);
  return response;
}

// Waits until every local write the engine started is committed (a shopper reading the page
// for a second gives it the same time).
export function settle(page) {
  return page.evaluate(async () => (await window.vitrine.ready).flush());
}

// The item ids in a row, in order, once the row has rendered.
export async function rowIds(page, testid) {
  const row = page.locator(`[data-testid="${testid}"]`);
  await row.and(page.locator('[data-state]')).waitFor({state: 'attached'});
  return row.locator('a.card').evaluateAll((cards) => cards.map((a) => a.dataset.itemId));
}

export async function rowState(page, testid) {
  return page.locator(`[data-testid="${testid}"]`).getAttribute('data-state');
}

// Clicks one of the banner's buttons and waits for the choice to be applied.
export async function chooseConsent(page, label) {
  const banner = page.getByTestId('consent-banner');
  await banner.waitFor({state: 'visible'});
  await banner.getByRole('button', {name: label, exact: true}).click();
  await banner.waitFor({state: 'hidden'});
}

// page.evaluate has no timeout, and Chromium has twice left an IndexedDB call of this origin
// unanswered after the quota test's many failed writes (the test then hung until the
// runner's 600 s limit): the raw storage reads below fail within IDB_DEADLINE_MS instead, and
// say which read it was.
const IDB_DEADLINE_MS = 30_000;
async function evaluateWithin(page, what, fn, arg) {
  let timer;
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(
        () => reject(new Error(`${what}: the page did not answer in ${IDB_DEADLINE_MS} ms`)),
        IDB_DEADLINE_MS);
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// Everything a page of this origin could have left on the device.
export function deviceStorage(page) {
  return evaluateWithin(
      page, 'deviceStorage',
      async () => ({
        databases: (await indexedDB.databases()).map((d) => d.name),
        localStorage: localStorage.length,
        cookie: document.cookie,
        caches: (await caches.keys()).length,
        serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
      }));
}

export const NOTHING_STORED = {
  databases: [],
  localStorage: 0,
  cookie: '',
  caches: 0,
  serviceWorkers: 0
};

// Everything this origin keeps on the device, as one text to search: every record of every
// IndexedDB database (store names, then values, bytes as Latin-1 so digits inside binary
// would show; the CryptoKey left out), localStorage, sessionStorage, cookies, Cache Storage.
export function deviceText(page) {
  return page.evaluate(async () => {
    const out =
        [document.cookie, JSON.stringify({...localStorage}), JSON.stringify({...sessionStorage})];
    for (const key of await caches.keys()) out.push(key);
    const text = (v) => JSON.stringify(v, (k, x) => {
      if (x instanceof Uint8Array || x instanceof ArrayBuffer) {
        const bytes = x instanceof Uint8Array ? x : new Uint8Array(x);
        return String.fromCharCode(...bytes);
      }
      return x;
    });
    for (const {name} of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of db.objectStoreNames) {
        const values = await new Promise((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        out.push(store, text(values.filter((v) => !(v instanceof CryptoKey))));
      }
      db.close();
    }
    return out.join('\n');
  });
}

// The catalog as the shop serves it.
export async function fetchCatalog(url) {
  const response = await fetch(`${url}/catalog.json`);
  return response.json();
}

// The records of one object store of the engine's database, read through the page without
// ever creating the database: null when there is no database. Each record is summarized as
// {key, format, version, bytes} (bytes: the sealed data's length, for encrypted records).
export function storeRecords(page, store, name = 'vitrine') {
  return evaluateWithin(page, `storeRecords(${store})`, async ({store, name}) => {
    if (!(await indexedDB.databases()).some((d) => d.name === name)) return null;
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onupgradeneeded = () => req.transaction.abort();  // it vanished meanwhile
      req.onsuccess = () => resolve(req.result);
      req.onerror = (event) => {
        event.preventDefault();
        if (req.error?.name === 'AbortError')
          resolve(null);
        else
          reject(req.error);
      };
    });
    if (!db) return null;
    try {
      if (!db.objectStoreNames.contains(store)) return [];
      const os = db.transaction(store, 'readonly').objectStore(store);
      const all = (req) => new Promise((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const [keys, values] = await Promise.all([all(os.getAllKeys()), all(os.getAll())]);
      return keys.map((key, i) => ({
                        key,
                        format: values[i]?.format ?? null,
                        version: values[i]?.version ?? null,
                        bytes: values[i]?.data?.byteLength ?? null,
                      }));
    } finally {
      db.close();
    }
  }, {store, name});
}

// Deletes everything the origin stored (as "Clear site data" does), from a blank page of
// the same context, so that each test starts from a new shopper. Close the shop's pages
// first: this is also how tests make storage vanish under an open page.
// Every test a new shopper: no page open, nothing stored, no problem recorded yet.
export async function newShopper(browser, shop) {
  for (const page of browser.context.pages()) await page.close();
  await clearOrigin(browser.context, shop.url);
  browser.problems.length = 0;
}

export async function clearOrigin(context, origin) {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', {origin, storageTypes: 'all'});
    await cdp.detach();
  } finally {
    await page.close();
  }
}

// Every request a page makes, as {method, url, type}.
export function recordRequests(page) {
  const requests = [];
  page.on('request', (request) => requests.push({
    method: request.method(),
    url: request.url(),
    type: request.resourceType(),
  }));
  return requests;
}

// The engine's 'error' events on a page, from now on (and those raised before: the engine
// hands them to its first listener).
export async function watchEngineErrors(page) {
  await page.evaluate(() => {
    window.__engineErrors = [];
    window.vitrine.on('error', ({code, message}) => window.__engineErrors.push({code, message}));
  });
  return () => page.evaluate(() => window.__engineErrors);
}

// The privacy center (Vitrine's <vitrine-privacy-center>), rendered from the engine.
export async function openPrivacy(page, url) {
  await open(page, `${url}/privacy`);
  await privacyRendered(page);
}

export function privacyRendered(page) {
  return page.waitForSelector('vitrine-privacy-center[data-state="ready"]', {state: 'attached'});
}

export const PURPOSES = ['history', 'personalization', 'measurement', 'autofill'];
