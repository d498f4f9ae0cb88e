// Consent sources wired into createVitrine, on a fake IndexedDB: an IAB TCF v2.2 CMP
// (window.__tcfapi), Google Consent Mode v2 commands in a dataLayer, and Global Privacy
// Control. The adapters alone are tested in consent-adapters.test.mjs; here the package
// acts on them: stores, erases, refuses consent.set for purposes the CMP owns.
// notes/privacy.md items 4, 6-8.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {ALL_DENIED, dump, exists, ns, open, viewOf} from './idb.mjs';

// Sets globalThis[name] for the duration of fn, then puts back exactly what was there.
async function withGlobal(name, value, fn) {
  const had = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(
      globalThis, name, {value, configurable: true, writable: true, enumerable: true});
  try {
    return await fn();
  } finally {
    if (had)
      Object.defineProperty(globalThis, name, had);
    else
      delete globalThis[name];
  }
}

// A TCF v2.2 CMP: addEventListener replays the current state, like IAB's CmpApi.
class FakeCmp {
  listeners = new Map();
  nextId = 0;
  state = null;
  api = (command, version, callback, parameter) => {
    if (command === 'addEventListener') {
      const id = this.nextId++;
      this.listeners.set(id, callback);
      if (this.state) callback({...this.state, listenerId: id}, true);
    } else if (command === 'removeEventListener') {
      callback(this.listeners.delete(parameter), true);
    } else {
      callback(null, false);
    }
  };
  emit(eventStatus, consents) {
    const purposeConsents = {};
    for (let n = 1; n <= 11; ++n) purposeConsents[n] = consents.includes(n);
    this.state = {
      tcString: 'CQ-test',
      gdprApplies: true,
      cmpId: 10,
      eventStatus,
      cmpStatus: 'loaded',
      purpose: {consents: purposeConsents, legitimateInterests: {}}
    };
    for (const [id, callback] of this.listeners) callback({...this.state, listenerId: id}, true);
  }
}

test('tcf: purposes 1, 5, 6 grant history and personalization; revocation erases', async () => {
  const cmp = new FakeCmp();
  cmp.emit('tcloaded', [1, 5, 6]);
  await withGlobal('__tcfapi', cmp.api, async () => {
    const namespace = ns('tcf');
    const v = await open(namespace, {consent: 'tcf'});
    await v.flush();
    assert.equal(v.consent.source, 'tcf');
    assert.deepEqual(v.consent.get(), {...ALL_DENIED, history: true, personalization: true});
    assert.equal(v.consent.required, false);
    assert.ok(v.consent.log().every((e) => e.source === 'tcf'));
    v.track(viewOf('9', 'C'));
    await v.privacy.removeInterest('C');
    await v.flush();
    assert.equal((await dump(namespace)).stores.history.size, 1);

    // The CMP owns these purposes: consent.set may only opt in or out of autofill.
    for (const change
             of [{history: false}, {measurement: true}, {personalization: true, autofill: true}]) {
      assert.throws(
          () => v.consent.set(change), {code: 'invalid_argument'}, JSON.stringify(change));
    }
    assert.deepEqual(
        await v.consent.set({autofill: true}),
        {...ALL_DENIED, history: true, personalization: true, autofill: true});
    assert.equal(v.consent.log().at(-1).source, 'manual');

    // The banner shown again changes nothing; a revocation withdraws and erases at once.
    cmp.emit('cmpuishown', []);
    await v.flush();
    assert.equal(v.consent.get().history, true);
    cmp.emit('useractioncomplete', [1]);
    await v.flush();
    assert.deepEqual(v.consent.get(), {...ALL_DENIED, history: true, autofill: true});
    assert.deepEqual(v.privacy.removedInterests(), []);
    assert.equal((await dump(namespace)).stores.profile.size, 0);
    cmp.emit('useractioncomplete', []);
    await v.flush();
    assert.deepEqual(v.consent.get(), ALL_DENIED, 'autofill needs the CMP\'s storage purpose');
    assert.deepEqual(v.recentlyViewed(), []);
    assert.equal(await exists(namespace), false);
    // Granted again: the shopper's autofill opt-in is remembered for this page.
    cmp.emit('useractioncomplete', [1, 8]);
    await v.flush();
    assert.deepEqual(
        v.consent.get(), {...ALL_DENIED, history: true, measurement: true, autofill: true});
    assert.deepEqual(v.errors, []);
    await v.close();
    assert.equal(cmp.listeners.size, 0, 'the listener is removed on close');
  });
});

test('gcm: consent commands in the dataLayer; unset types are denied; updates apply', async () => {
  const dataLayer = [];
  function gtag() {
    dataLayer.push(arguments);  // what gtag.js does
  }
  gtag('consent', 'default', {ad_storage: 'denied', analytics_storage: 'denied'});
  const namespace = ns('gcm');
  const v = await open(namespace, {consent: 'gcm', dataLayer});
  await v.flush();
  assert.deepEqual(v.consent.get(), ALL_DENIED);
  assert.equal(await exists(namespace), false);
  gtag('consent', 'update', {personalization_storage: 'granted'});
  await v.flush();
  assert.deepEqual(v.consent.get(), {...ALL_DENIED, history: true, personalization: true});
  v.track(viewOf('9', 'C'));
  await v.flush();
  assert.equal((await dump(namespace)).stores.history.size, 1);
  gtag('consent', 'update', {analytics_storage: 'granted'});
  await v.flush();
  assert.equal(v.consent.get().measurement, true);
  assert.throws(() => v.consent.set({measurement: false}), {code: 'invalid_argument'});
  gtag('consent', 'update', {personalization_storage: 'denied'});
  await v.flush();
  assert.deepEqual(v.consent.get(), {...ALL_DENIED, measurement: true});
  assert.deepEqual(v.recentlyViewed(), []);
  assert.equal((await dump(namespace)).stores.history.size, 0);
  assert.ok(v.consent.log().every((e) => e.source === 'gcm'));
  // Only read, never written: nothing but the page's own commands in the dataLayer.
  assert.equal(dataLayer.length, 4);
  await v.close();
});

// What a shopper's decision leaves on the device, with the browser's signals given: the
// stored consent record (times fixed by a fake clock) and the package's answer.
async function decide(navigatorValue, label) {
  const run = async () => {
    const namespace = ns(label);
    const v = await open(namespace, {now: () => Date.UTC(2026, 0, 1)});
    const answer = await v.consent.set({history: true, measurement: true});
    const stored = (await dump(namespace)).stores.consent.get('state');
    await v.close();
    return {answer, stored};
  };
  return navigatorValue === undefined ? run() : withGlobal('navigator', navigatorValue, run);
}

for (const [signal, navigatorValue] of [
         ['gpc', {globalPrivacyControl: true}],
         ['dnt', {doNotTrack: '1'}],
         ['gpc and dnt', {globalPrivacyControl: true, doNotTrack: '1'}],
]) {
  test(
      `${signal}: measurement stays off whatever the shopper or the CMP grants; the signal is stored nowhere`,
      async () => {
        const {answer, stored} = await decide(navigatorValue, signal.replaceAll(' ', '-'));
        assert.deepEqual(answer, {...ALL_DENIED, history: true});
        // Exactly the record of a shopper who granted history alone, with no signal on: the
        // signal cannot be read back from the device.
        await withGlobal('navigator', {}, async () => {
          const namespace = ns(`${signal.replaceAll(' ', '-')}-plain`);
          const v = await open(namespace, {now: () => Date.UTC(2026, 0, 1)});
          await v.consent.set({history: true});
          const plain = (await dump(namespace)).stores.consent.get('state');
          await v.close();
          assert.deepEqual(stored, plain);
        });

        const dataLayer = [
          ['consent', 'default', {personalization_storage: 'granted', analytics_storage: 'granted'}]
        ];
        await withGlobal('navigator', navigatorValue, async () => {
          const w =
              await open(ns(`${signal.replaceAll(' ', '-')}-gcm`), {consent: 'gcm', dataLayer});
          await w.flush();
          assert.deepEqual(w.consent.get(), {...ALL_DENIED, history: true, personalization: true});
          await w.close();
        });
        assert.equal(globalThis.navigator, undefined, 'the global is restored');
      });
}

test('without gpc or dnt (or with dnt "0") the same grant of measurement stands', async () => {
  assert.equal((await decide(undefined, 'nosignal')).answer.measurement, true);
  assert.equal(
      (await decide({doNotTrack: '0', globalPrivacyControl: false}, 'dnt0')).answer.measurement,
      true);
});
