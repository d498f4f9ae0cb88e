// Debian's Chromium driven over its DevTools pipe with only the Target, Page and Runtime
// domains: for benchmarks that time the page's main thread. Playwright enables the Network
// domain on every page, and with it the renderer keeps a copy of each response body of up
// to 10 MB for the inspector; at the end of a 4.2 MB pack that copy cost one main-thread
// task of 50-90 ms in every load (docs/benchmarks.md, Long tasks), a task no shopper's
// browser runs. { newPage(), close() }; a page has goto(url) and evaluate(fn, arg).
import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {CHROMIUM_ARGS, serveFiles} from './chromium.mjs';

// One DevTools connection: messages are JSON, each followed by a NUL byte.
function connect(toBrowser, fromBrowser) {
  let lastId = 0;
  let buffered = '';
  const calls = new Map();  // id -> {resolve, reject}
  const listeners = new Set();
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (text) => {
    buffered += text;
    for (let end; (end = buffered.indexOf('\0')) >= 0;) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const call = calls.get(message.id);
      if (call) {
        calls.delete(message.id);
        if (message.error)
          call.reject(new Error(`${call.method}: ${message.error.message}`));
        else
          call.resolve(message.result);
      } else if (message.method) {
        for (const listener of listeners) listener(message);
      }
    }
  });
  let failed = null;  // once Chromium is gone, every call fails at once
  const send = (method, params = {}, sessionId = undefined) => new Promise((resolve, reject) => {
    if (failed) return reject(failed);
    const id = ++lastId;
    calls.set(id, {resolve, reject, method});
    toBrowser.write(JSON.stringify({id, method, params, ...(sessionId ? {sessionId} : {})}) + '\0');
  });
  const next = (method, sessionId) => new Promise((resolve) => {
    const listener = (message) => {
      if (message.method !== method || message.sessionId !== sessionId) return;
      listeners.delete(listener);
      resolve(message.params);
    };
    listeners.add(listener);
  });
  // Chromium gone (a crash): every call still waiting fails instead of hanging the bench.
  const fail = (error) => {
    failed ??= error;
    for (const call of calls.values()) call.reject(error);
    calls.clear();
  };
  return {send, next, fail};
}

export async function launchChromiumPipe() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-chromium-'));
  const child = spawn(
      process.env.CHROMIUM ?? '/usr/bin/chromium',
      [
        ...CHROMIUM_ARGS, '--headless', `--user-data-dir=${dir}`, '--remote-debugging-pipe',
        'about:blank'
      ],
      {stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe']});
  const {send, next, fail} = connect(child.stdio[3], child.stdio[4]);
  // A pipe error (Chromium gone) fails the calls waiting on it.
  for (const pipe of [child.stdio[3], child.stdio[4]]) pipe.on('error', fail);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      fail(new Error(`Chromium exited (${signal ?? code})`));
      resolve();
    });
    child.once('error', (error) => {  // not started at all
      fail(error);
      resolve();
    });
  });
  const newPage = async () => {
    const {targetId} = await send('Target.createTarget', {url: 'about:blank'});
    const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true});
    await send('Page.enable', {}, sessionId);
    return {
      async goto(url) {
        const loaded = next('Page.loadEventFired', sessionId);
        const {errorText} = await send('Page.navigate', {url}, sessionId);
        if (errorText) throw new Error(`could not open ${url}: ${errorText}`);
        await Promise.race([
          loaded, exited.then(() => {
            throw new Error(`Chromium exited while ${url} loaded`);
          })
        ]);
      },
      // fn runs in the page (its source is sent, as with Playwright): its result, awaited.
      async evaluate(fn, arg) {
        const {result, exceptionDetails} = await send(
            'Runtime.evaluate', {
              expression: `(${fn})(${JSON.stringify(arg)})`,
              awaitPromise: true,
              returnByValue: true,
            },
            sessionId);
        if (exceptionDetails) {
          throw new Error(
              `in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
        }
        return result.value;
      },
    };
  };
  return {
    newPage,
    close: async () => {
      child.kill('SIGKILL');
      await exited;
      await rm(dir, {recursive: true, force: true, maxRetries: 5, retryDelay: 100});
    },
  };
}

// As chromiumRun (chromium.mjs), over the pipe: fn({ browser, page, url }).
export async function chromiumPipeRun(fn, extraRoutes = {}) {
  const root = new URL('../..', import.meta.url).pathname;
  const routes = {...extraRoutes};
  routes['/vitrine/'] ??= path.join(root, 'js/dist');
  routes['/'] ??= path.join(root, 'bench/pages');
  const server = await serveFiles(routes);
  const browser = await launchChromiumPipe();
  try {
    const page = await browser.newPage();
    return await fn({browser, page, url: `http://127.0.0.1:${server.address().port}`});
  } finally {
    await browser.close();
    server.close();
  }
}
