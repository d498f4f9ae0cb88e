// Consent adapters (js/src/consent/) against hand-written CMPs: IAB TCF v2.2 __tcfapi,
// Google Consent Mode v2 commands in a dataLayer, Shopify's Customer Privacy API, and the
// GPC / DNT gate. Unit test: imports the source module directly.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {applyBrowserSignals, attachConsentSource, browserSignals} from '../../js/src/consent/adapters.js';

const NONE = {
  history: false,
  personalization: false,
  measurement: false,
  autofill: false
};
const ALL = {
  history: true,
  personalization: true,
  measurement: true,
  autofill: false
};
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
const FAST = {
  pollIntervalMs: 5,
  pollTimeoutMs: 300
};

function recorder() {
  const signals = [];
  const apply = (signal) => signals.push(signal);
  apply.signals = signals;
  apply.purposes = () => signals.map((s) => s.purposes);
  apply.last = () => signals.at(-1)?.purposes;
  return apply;
}

// A TCF v2.2 CMP in the shape of the spec: listener ids from 0, like IAB's own CmpApi.
class FakeCmp {
  listeners = new Map();
  nextId = 0;
  calls = [];
  state = null;  // last tcData, replayed to new listeners like a real CMP

  api = (command, version, callback, parameter) => {
    this.calls.push(command);
    if (version !== 2) return callback(null, false);
    if (command === 'addEventListener') {
      const id = this.nextId++;
      this.listeners.set(id, callback);
      if (this.state) callback({...this.state.tcData, listenerId: id}, this.state.success);
    } else if (command === 'removeEventListener') {
      callback(this.listeners.delete(parameter), true);
    } else {
      callback(null, false);
    }
    return undefined;
  };

  emit(tcData, success = true) {
    this.state = {tcData, success};
    for (const [id, callback] of this.listeners) {
      callback(
          tcData === null || typeof tcData !== 'object' ? tcData : {...tcData, listenerId: id},
          success);
    }
  }

  // Sends raw arguments to every listener (for garbage tests).
  raw(...args) {
    for (const callback of this.listeners.values()) callback(...args);
  }
}

function tcData(eventStatus, consents, extra = {}) {
  const purposeConsents = {};
  for (let n = 1; n <= 11; ++n) purposeConsents[n] = consents.includes(n);
  return {
    tcString: 'CQ-test',
    gdprApplies: true,
    cmpId: 10,
    eventStatus,
    cmpStatus: 'loaded',
    purpose: {consents: purposeConsents, legitimateInterests: {}},
    ...extra
  };
}

// --- TCF -------------------------------------------------------------------------------

test('tcf: cmpuishown is ignored; tcloaded and useractioncomplete are reported', () => {
  const cmp = new FakeCmp();
  const apply = recorder();
  const stop = attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, apply);
  assert.equal(apply.signals.length, 0, 'no answer before the CMP has one');
  cmp.emit(tcData('cmpuishown', [1, 5, 6, 8]));
  assert.equal(apply.signals.length, 0, 'cmpuishown must not be acted on');
  cmp.emit(tcData('tcloaded', [1, 5, 6, 8]));
  assert.deepEqual(apply.last(), ALL);
  assert.equal(apply.signals[0].source, 'tcf');
  assert.equal(apply.signals[0].detail.eventStatus, 'tcloaded');
  assert.equal(apply.signals[0].detail.tcString, 'CQ-test');
  cmp.emit(tcData('cmpuishown', []));
  assert.equal(apply.signals.length, 1, 'a re-opened banner changes nothing yet');
  cmp.emit(tcData('useractioncomplete', [1]));
  assert.deepEqual(apply.last(), {...NONE, history: true});
  assert.equal(apply.signals[1].detail.eventStatus, 'useractioncomplete');
  stop();
});

test('tcf: purposes 1 / 1+5+6 / 1+(8 or 9); unset and legitimate interest deny', () => {
  const cases = [
    [[], NONE],
    [[1], {...NONE, history: true}],
    [[5, 6, 8, 9], NONE],  // nothing without purpose 1
    [[1, 5], {...NONE, history: true}],
    [[1, 6], {...NONE, history: true}],
    [[1, 5, 6], {...NONE, history: true, personalization: true}],
    [[1, 8], {...NONE, history: true, measurement: true}],
    [[1, 9], {...NONE, history: true, measurement: true}],
    [[1, 7, 10], {...NONE, history: true}],
    [[1, 5, 6, 9], ALL],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], ALL],
  ];
  for (const [consents, expected] of cases) {
    const cmp = new FakeCmp();
    const apply = recorder();
    attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, apply);
    cmp.emit(tcData('tcloaded', consents));
    assert.deepEqual(apply.last(), expected, `purposes ${consents}`);
  }
  // Legitimate interest for 8/9 (allowed by TCF) must not count as consent.
  const cmp = new FakeCmp();
  const apply = recorder();
  attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, apply);
  const data = tcData('tcloaded', [1]);
  data.purpose.legitimateInterests = {8: true, 9: true, 5: true, 6: true};
  cmp.emit(data);
  assert.deepEqual(apply.last(), {...NONE, history: true});
});

test('tcf: success === false denies everything, even after a grant', () => {
  const cmp = new FakeCmp();
  const apply = recorder();
  attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, apply);
  cmp.emit(tcData('tcloaded', [1, 5, 6, 8]));
  assert.deepEqual(apply.last(), ALL);
  cmp.emit(tcData('useractioncomplete', [1, 5, 6, 8]), false);
  assert.deepEqual(apply.last(), NONE);
  assert.equal(apply.signals[1].detail.reason, 'cmp_error');
  // A CMP answering an unsupported version with (null, false) is also a denial.
  const apply2 = recorder();
  attachConsentSource('tcf', {win: {__tcfapi: (c, v, cb) => cb(null, false)}}, apply2);
  assert.deepEqual(apply2.purposes(), [NONE]);
});

test('tcf: revocation mid-session withdraws purposes one by one', () => {
  const cmp = new FakeCmp();
  const apply = recorder();
  attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, apply);
  cmp.emit(tcData('tcloaded', [1, 5, 6, 9]));
  cmp.emit(tcData('cmpuishown', [1, 5, 6, 9]));
  cmp.emit(tcData('useractioncomplete', [1, 5, 6]));
  cmp.emit(tcData('cmpuishown', [1, 5, 6]));
  cmp.emit(tcData('useractioncomplete', []));
  assert.deepEqual(apply.purposes(), [
    ALL,
    {...ALL, measurement: false},
    NONE,
  ]);
});

test('tcf: gdprApplies === false reports everything denied', () => {
  const cmp = new FakeCmp();
  const apply = recorder();
  attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, apply);
  cmp.emit(tcData('tcloaded', [1, 5, 6, 8]));
  cmp.emit({gdprApplies: false, eventStatus: 'tcloaded', cmpStatus: 'loaded'});
  assert.deepEqual(apply.purposes(), [ALL, NONE]);
  assert.equal(apply.signals[1].detail.gdprApplies, false);
  // Even when a (stale) purpose object is still there.
  const cmp2 = new FakeCmp();
  const apply2 = recorder();
  attachConsentSource('tcf', {win: {__tcfapi: cmp2.api}}, apply2);
  cmp2.emit(tcData('tcloaded', [1, 5, 6, 8], {gdprApplies: false}));
  assert.deepEqual(apply2.purposes(), [NONE]);
});

test('tcf: stop removes the listener by its id (0 included); nothing reported after', () => {
  const cmp = new FakeCmp();
  const apply = recorder();
  const stop = attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, apply);
  cmp.emit(tcData('tcloaded', [1]));
  assert.equal(cmp.listeners.size, 1);
  assert.ok(cmp.listeners.has(0), 'the first listener id is 0');
  stop();
  assert.equal(cmp.listeners.size, 0, 'listener 0 removed');
  assert.deepEqual(cmp.calls, ['addEventListener', 'removeEventListener']);
  cmp.emit(tcData('useractioncomplete', [1, 5, 6, 8]));
  assert.equal(apply.signals.length, 1);
  stop();  // idempotent
  assert.deepEqual(cmp.calls, ['addEventListener', 'removeEventListener']);
  assert.ok(!cmp.calls.includes('getTCData'), 'never the deprecated getTCData');
});

test('tcf: stopped while queued in the stub, the listener removes itself once it has an id', () => {
  // IAB stub: queues calls until the CMP loads, then the CMP replays them.
  const queue = [];
  const win = {__tcfapi: (...args) => (args.length ? queue.push(args) : queue)};
  const apply = recorder();
  const stop = attachConsentSource('tcf', {win}, apply);
  assert.equal(queue.length, 1);
  assert.equal(queue[0][0], 'addEventListener');
  stop();  // listener id unknown yet
  const cmp = new FakeCmp();
  cmp.state = {tcData: tcData('tcloaded', [1, 5, 6, 8]), success: true};
  win.__tcfapi = cmp.api;
  for (const args of queue) cmp.api(...args);
  assert.equal(cmp.listeners.size, 0, 'removed on its first callback');
  assert.equal(apply.signals.length, 0, 'nothing reported after stop');
});

test('tcf: the standard stub queue is answered when the CMP loads', () => {
  const queue = [];
  const win = {__tcfapi: (...args) => (args.length ? queue.push(args) : queue)};
  const apply = recorder();
  const stop = attachConsentSource('tcf', {win}, apply);
  const cmp = new FakeCmp();
  win.__tcfapi = cmp.api;
  for (const args of queue) cmp.api(...args);
  cmp.emit(tcData('tcloaded', [1, 5, 6]));
  assert.deepEqual(apply.last(), {...NONE, history: true, personalization: true});
  stop();
  assert.equal(cmp.listeners.size, 0);
});

test('tcf: a late __tcfapi is found by polling (default 50 ms)', async () => {
  const win = {};
  const apply = recorder();
  const stop = attachConsentSource('tcf', {win}, apply);
  await tick(30);
  const cmp = new FakeCmp();
  win.__tcfapi = cmp.api;
  cmp.emit(tcData('tcloaded', [1, 8]));
  assert.equal(cmp.listeners.size, 0, 'not attached before the next poll');
  await tick(120);
  assert.equal(cmp.listeners.size, 1, 'attached by the poll');
  assert.deepEqual(apply.last(), {...NONE, history: true, measurement: true});
  stop();
  assert.equal(cmp.listeners.size, 0);
});

test('tcf: stop ends polling; no CMP at all is reported denied at the timeout', async () => {
  const win = {};
  const apply = recorder();
  const stop = attachConsentSource('tcf', {win, ...FAST}, apply);
  stop();
  const cmp = new FakeCmp();
  win.__tcfapi = cmp.api;
  await tick(40);
  assert.equal(cmp.calls.length, 0, 'no call after stop');

  const apply2 = recorder();
  attachConsentSource('tcf', {win: {}, pollIntervalMs: 5, pollTimeoutMs: 40}, apply2);
  assert.equal(apply2.signals.length, 0);
  await tick(100);
  assert.deepEqual(apply2.purposes(), [NONE]);
  assert.equal(apply2.signals[0].detail.reason, 'no_cmp');
});

test('tcf: garbage from the CMP is denied and never throws', () => {
  const cmp = new FakeCmp();
  const apply = recorder();
  attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, apply);
  const garbage = [
    [null, true], ['tcloaded', true], [42, true], [{eventStatus: 'tcloaded'}, true],  // no purpose
    [{eventStatus: 'tcloaded', purpose: null}, true],
    [{eventStatus: 'tcloaded', purpose: {consents: 'YYYY'}}, true],
    [{eventStatus: 'tcloaded', purpose: {consents: {1: 'true', 5: 1, 6: 'yes', 8: {}}}}, true],
    [{eventStatus: 'tcloaded', purpose: {consents: [true, true]}}, true],  // index 1 only
  ];
  for (const [data, success] of garbage) {
    // Grant first, so that each garbage answer has something to take away.
    cmp.emit(tcData('tcloaded', [1, 5, 6, 8]));
    assert.deepEqual(apply.last(), ALL);
    assert.doesNotThrow(() => cmp.raw(data, success));
    const expected = Array.isArray(data?.purpose?.consents) ? {...NONE, history: true} : NONE;
    assert.deepEqual(apply.last(), expected, JSON.stringify(data));
  }
  // Unknown statuses are not answers: nothing changes.
  cmp.emit(tcData('tcloaded', [1]));
  const count = apply.signals.length;
  cmp.raw({...tcData('tcloaded', []), eventStatus: 'banana'}, true);
  assert.equal(apply.signals.length, count);
});

test('tcf: a throwing __tcfapi or getter is denied, not thrown', () => {
  const apply = recorder();
  assert.doesNotThrow(
      () => attachConsentSource(
          'tcf', {
            win: {
              __tcfapi() {
                throw new Error('CMP bug');
              }
            }
          },
          apply));
  assert.deepEqual(apply.purposes(), [NONE]);
  const hostile = {};
  Object.defineProperty(hostile, '__tcfapi', {
    get() {
      throw new Error('no');
    }
  });
  const apply2 = recorder();
  const stop =
      attachConsentSource('tcf', {win: hostile, pollIntervalMs: 5, pollTimeoutMs: 20}, apply2);
  assert.doesNotThrow(stop);
});

test('tcf: exceptions in apply go to onError, not the CMP; same answer reported once', () => {
  const cmp = new FakeCmp();
  const errors = [];
  let calls = 0;
  attachConsentSource('tcf', {win: {__tcfapi: cmp.api}, onError: (e) => errors.push(e)}, () => {
    ++calls;
    throw new Error('engine bug');
  });
  assert.doesNotThrow(() => cmp.emit(tcData('tcloaded', [1])));
  assert.equal(errors.length, 1);
  assert.equal(errors[0].message, 'engine bug');
  cmp.emit(tcData('useractioncomplete', [1]));  // same purposes
  assert.equal(calls, 1);
  cmp.emit(tcData('useractioncomplete', [1, 5, 6]));
  assert.equal(calls, 2);
});

// --- Google Consent Mode v2 ------------------------------------------------------------

function gtagFor(dataLayer) {
  return function gtag() {
    dataLayer.push(arguments);  // what gtag.js does: the arguments object itself
  };
}

test('gcm: default then update already in the dataLayer (arrays)', () => {
  const dataLayer = [
    {event: 'gtm.js'},
    [
      'consent', 'default', {
        ad_storage: 'denied',
        analytics_storage: 'denied',
        personalization_storage: 'denied',
        wait_for_update: 500
      }
    ],
    ['consent', 'update', {analytics_storage: 'granted'}],
  ];
  const apply = recorder();
  attachConsentSource('gcm', {win: {}, dataLayer}, apply);
  assert.deepEqual(apply.purposes(), [{...NONE, measurement: true}]);
  assert.equal(apply.signals[0].source, 'gcm');
});

test('gcm: real arguments objects pushed before and after attach', () => {
  const dataLayer = [];
  const gtag = gtagFor(dataLayer);
  gtag('consent', 'default', {personalization_storage: 'denied', analytics_storage: 'denied'});
  gtag('event', 'page_view');
  const win = {dataLayer};
  const apply = recorder();
  const stop = attachConsentSource('gcm', {win}, apply);
  assert.deepEqual(apply.purposes(), [NONE]);
  gtag('consent', 'update', {personalization_storage: 'granted'});
  assert.deepEqual(apply.last(), {...NONE, history: true, personalization: true});
  gtag('consent', 'update', {analytics_storage: 'granted'});
  assert.deepEqual(apply.last(), {...ALL});
  gtag('consent', 'update', {personalization_storage: 'denied', analytics_storage: 'denied'});
  assert.deepEqual(apply.last(), NONE);
  assert.equal(apply.signals.length, 4);
  stop();
  gtag('consent', 'update', {personalization_storage: 'granted'});
  assert.equal(apply.signals.length, 4, 'nothing after stop');
});

test('gcm: unset types are denied (Google treats them as granted; we do not)', () => {
  const dataLayer = [[
    'consent', 'default', {
      ad_storage: 'granted',
      ad_user_data: 'granted',
      ad_personalization: 'granted',
      functionality_storage: 'granted'
    }
  ]];
  const apply = recorder();
  attachConsentSource('gcm', {win: {}, dataLayer}, apply);
  assert.deepEqual(apply.purposes(), [NONE]);
  // An empty dataLayer is an answer too: nothing set, everything denied.
  const apply2 = recorder();
  attachConsentSource('gcm', {win: {}, dataLayer: []}, apply2);
  assert.deepEqual(apply2.purposes(), [NONE]);
  assert.equal(apply2.signals[0].detail.commands, 0);
});

test('gcm: update overrides default per key; a later default does not undo it', () => {
  const dataLayer = [];
  const gtag = gtagFor(dataLayer);
  const apply = recorder();
  attachConsentSource('gcm', {win: {}, dataLayer}, apply);
  gtag('consent', 'default', {personalization_storage: 'granted', analytics_storage: 'granted'});
  assert.deepEqual(apply.last(), ALL);
  gtag('consent', 'update', {analytics_storage: 'denied'});
  assert.deepEqual(apply.last(), {...ALL, measurement: false}, 'personalization kept from default');
  gtag('consent', 'default', {analytics_storage: 'granted'});
  assert.deepEqual(apply.last(), {...ALL, measurement: false}, 'the update still wins');
});

test('gcm: region defaults apply, and the strictest default wins in either order', () => {
  const regional = [
    'consent', 'default',
    {analytics_storage: 'denied', personalization_storage: 'denied', region: ['FR', 'DE']}
  ];
  const global =
      ['consent', 'default', {analytics_storage: 'granted', personalization_storage: 'granted'}];
  for (const order of [[regional, global], [global, regional]]) {
    const apply = recorder();
    attachConsentSource('gcm', {win: {}, dataLayer: [...order]}, apply);
    assert.deepEqual(apply.purposes(), [NONE]);
  }
  const apply = recorder();
  const dataLayer = [regional, global];
  attachConsentSource('gcm', {win: {}, dataLayer}, apply);
  dataLayer.push(['consent', 'update', {analytics_storage: 'granted'}]);
  assert.deepEqual(apply.last(), {...NONE, measurement: true}, 'an update grants regardless');
});

test('gcm: never pushes; stop restores push unless someone wrapped it after us', () => {
  const dataLayer = [['consent', 'default', {analytics_storage: 'granted'}]];
  const original = dataLayer.push;
  const apply = recorder();
  const stop = attachConsentSource('gcm', {win: {}, dataLayer}, apply);
  assert.equal(dataLayer.length, 1, 'nothing pushed by attach');
  assert.notEqual(dataLayer.push, original);
  dataLayer.push({event: 'x'}, ['consent', 'update', {analytics_storage: 'denied'}]);
  assert.equal(dataLayer.length, 3, 'both entries stored by the real push');
  assert.deepEqual(apply.last(), NONE);
  stop();
  assert.equal(dataLayer.push, original, 'restored');

  // Someone (GTM, event capture) wraps after us: leave theirs in place, stop forwarding.
  const layer2 = [];
  const apply2 = recorder();
  const stop2 = attachConsentSource('gcm', {win: {}, dataLayer: layer2}, apply2);
  const ours = layer2.push;
  const theirs = function(...entries) {
    return ours.apply(this, entries);
  };
  layer2.push = theirs;
  stop2();
  assert.equal(layer2.push, theirs);
  layer2.push(['consent', 'update', {analytics_storage: 'granted'}]);
  assert.equal(layer2.length, 1);
  assert.equal(apply2.signals.length, 1, 'no report after stop');
});

test('gcm: creates window.dataLayer when absent, and sees the gtag snippet use it', () => {
  const win = {};
  const apply = recorder();
  attachConsentSource('gcm', {win}, apply);
  assert.ok(Array.isArray(win.dataLayer));
  assert.equal(win.dataLayer.length, 0);
  // The standard snippet keeps an existing dataLayer.
  win.dataLayer = win.dataLayer || [];
  const gtag = gtagFor(win.dataLayer);
  gtag('consent', 'update', {personalization_storage: 'granted'});
  assert.deepEqual(apply.last(), {...NONE, history: true, personalization: true});
});

test('gcm: garbage commands count as denied and never throw', () => {
  const dataLayer = [];
  const gtag = gtagFor(dataLayer);
  const apply = recorder();
  attachConsentSource('gcm', {win: {}, dataLayer}, apply);
  const grant = () =>
      gtag('consent', 'update', {personalization_storage: 'granted', analytics_storage: 'granted'});
  const garbage = [
    () => gtag('consent', 'update', null),
    () => gtag('consent', 'update', 'granted'),
    () => gtag('consent', 'update', ['analytics_storage']),
    () => gtag('consent', 'update', {personalization_storage: 'GRANTED', analytics_storage: true}),
    () => dataLayer.push(['consent', 'update']),
  ];
  for (const push of garbage) {
    grant();
    assert.deepEqual(apply.last(), ALL);
    assert.doesNotThrow(push);
    assert.deepEqual(apply.last(), NONE, String(push));
  }
  // Not consent commands at all: ignored.
  grant();
  const count = apply.signals.length;
  for (const entry
           of [null, undefined, 7, 'consent', {0: 'consent', 1: 'update', 2: {}},
               ['consent', 'revoke', {analytics_storage: 'denied'}], ['set', {}]]) {
    assert.doesNotThrow(() => dataLayer.push(entry));
  }
  assert.equal(apply.signals.length, count);
  // A dataLayer that is not usable: denied once, no throw.
  const apply2 = recorder();
  assert.doesNotThrow(() => attachConsentSource('gcm', {win: {dataLayer: 'oops'}}, apply2)());
  assert.deepEqual(apply2.purposes(), [NONE]);
  assert.equal(apply2.signals[0].detail.reason, 'no_datalayer');
});

// --- Shopify Customer Privacy API ------------------------------------------------------

function shopifyApi({preferences = false, analytics = false, marketing = false, current} = {}) {
  return {
    preferencesProcessingAllowed: () => preferences,
    analyticsProcessingAllowed: () => analytics,
    marketingAllowed: () => marketing,
    ...(current ? {currentVisitorConsent: () => current} : {}),
  };
}

const collected = (detail) => new CustomEvent('visitorConsentCollected', {detail});

test('shopify: preferences -> history + personalization, analytics -> measurement', () => {
  const cases = [
    [{}, NONE],
    [{marketing: true}, NONE],
    [{preferences: true}, {...NONE, history: true, personalization: true}],
    [{analytics: true}, {...NONE, measurement: true}],
    [{preferences: true, analytics: true, marketing: true}, ALL],
  ];
  for (const [flags, expected] of cases) {
    const apply = recorder();
    const win = {Shopify: {customerPrivacy: shopifyApi(flags)}, document: new EventTarget()};
    attachConsentSource('shopify', {win}, apply);
    assert.deepEqual(apply.purposes(), [expected], JSON.stringify(flags));
    assert.equal(apply.signals[0].detail.via, 'api');
  }
});

test('shopify: a recorded \'no\' in currentVisitorConsent vetoes a default allow', () => {
  const apply = recorder();
  const api = shopifyApi({
    preferences: true,
    analytics: true,
    current: {preferences: 'no', analytics: 'yes', marketing: '', sale_of_data: ''}
  });
  attachConsentSource('shopify', {win: {Shopify: {customerPrivacy: api}}}, apply);
  assert.deepEqual(apply.purposes(), [{...NONE, measurement: true}]);
  // '' (no interaction) does not veto what Shopify allows for the region.
  const apply2 = recorder();
  const api2 = shopifyApi({preferences: true, current: {preferences: '', analytics: ''}});
  attachConsentSource('shopify', {win: {Shopify: {customerPrivacy: api2}}}, apply2);
  assert.deepEqual(apply2.purposes(), [{...NONE, history: true, personalization: true}]);
});

// An EventTarget that shows which event types have a listener.
function spyDocument() {
  const document = new EventTarget();
  document.listeners = new Set();
  const add = document.addEventListener.bind(document);
  const remove = document.removeEventListener.bind(document);
  document.addEventListener = (type, fn) => {
    document.listeners.add(type);
    add(type, fn);
  };
  document.removeEventListener = (type, fn) => {
    document.listeners.delete(type);
    remove(type, fn);
  };
  return document;
}

test('shopify: no API -> denied, then visitorConsentCollected; stop removes the listener', () => {
  const document = spyDocument();
  const apply = recorder();
  const stop = attachConsentSource('shopify', {win: {document}, ...FAST}, apply);
  assert.deepEqual(apply.purposes(), [NONE]);
  assert.equal(apply.signals[0].detail.reason, 'no_api');
  document.dispatchEvent(collected({
    analyticsAllowed: false,
    preferencesAllowed: true,
    marketingAllowed: true,
    saleOfDataAllowed: true
  }));
  assert.deepEqual(apply.last(), {...NONE, history: true, personalization: true});
  assert.equal(apply.signals[1].detail.via, 'event');
  document.dispatchEvent(collected({
    analyticsAllowed: true,
    preferencesAllowed: false,
    marketingAllowed: false,
    saleOfDataAllowed: false
  }));
  assert.deepEqual(apply.last(), {...NONE, measurement: true});
  assert.deepEqual([...document.listeners], ['visitorConsentCollected']);
  stop();
  assert.equal(document.listeners.size, 0, 'listener removed');
  document.dispatchEvent(collected({analyticsAllowed: true, preferencesAllowed: true}));
  assert.equal(apply.signals.length, 3, 'nothing after stop');
});

test('shopify: an API loaded later by the theme is picked up (no event needed)', async () => {
  const win = {Shopify: {}, document: new EventTarget()};
  const apply = recorder();
  const stop = attachConsentSource('shopify', {win, ...FAST}, apply);
  assert.deepEqual(apply.purposes(), [NONE]);
  win.Shopify.customerPrivacy = shopifyApi({preferences: true, analytics: true});
  await tick(40);
  assert.deepEqual(apply.purposes(), [NONE, ALL]);
  stop();
});

test('shopify: malformed details and throwing methods are denied, never thrown', () => {
  const document = new EventTarget();
  const apply = recorder();
  attachConsentSource('shopify', {win: {document}, ...FAST}, apply);
  for (const detail of [null, 'yes', {preferencesAllowed: 'true', analyticsAllowed: 1}]) {
    document.dispatchEvent(collected({preferencesAllowed: true, analyticsAllowed: true}));
    assert.deepEqual(apply.last(), ALL);
    document.dispatchEvent(collected(detail));
    assert.deepEqual(apply.last(), NONE, JSON.stringify(detail));
  }
  const boom = () => {
    throw new Error('boom');
  };
  const apply2 = recorder();
  const api = {
    preferencesProcessingAllowed: boom,
    analyticsProcessingAllowed: () => 'yes',
    currentVisitorConsent: boom
  };
  assert.doesNotThrow(
      () => attachConsentSource('shopify', {win: {Shopify: {customerPrivacy: api}}}, apply2));
  assert.deepEqual(apply2.purposes(), [NONE]);
});

// --- GPC and DNT -----------------------------------------------------------------------

test('browserSignals: GPC and DNT, feature-detected', () => {
  assert.deepEqual(
      browserSignals({navigator: {globalPrivacyControl: true}}), {gpc: true, dnt: false});
  assert.deepEqual(
      browserSignals({navigator: {globalPrivacyControl: false, doNotTrack: '0'}}),
      {gpc: false, dnt: false});
  assert.deepEqual(browserSignals({navigator: {doNotTrack: '1'}}), {gpc: false, dnt: true});
  assert.deepEqual(
      browserSignals({navigator: {doNotTrack: 'unspecified'}}), {gpc: false, dnt: false});
  assert.deepEqual(browserSignals({navigator: {doNotTrack: 'yes'}}), {gpc: false, dnt: true});
  assert.deepEqual(browserSignals({navigator: {}, doNotTrack: '1'}), {gpc: false, dnt: true});
  assert.deepEqual(browserSignals({navigator: {msDoNotTrack: '1'}}), {gpc: false, dnt: true});
  assert.deepEqual(browserSignals({}), {gpc: false, dnt: false});
  assert.deepEqual(browserSignals(null), {gpc: false, dnt: false});
  const nav = {};
  Object.defineProperty(nav, 'globalPrivacyControl', {
    get() {
      throw new Error('no');
    }
  });
  assert.deepEqual(browserSignals({navigator: nav}), {gpc: false, dnt: false});
});

test('applyBrowserSignals: GPC or DNT turn off measurement only; new object', () => {
  const input = {...ALL, autofill: true};
  const off = applyBrowserSignals(input, {gpc: true, dnt: false});
  assert.deepEqual(off, {history: true, personalization: true, measurement: false, autofill: true});
  assert.notEqual(off, input);
  assert.equal(input.measurement, true, 'input untouched');
  assert.equal(applyBrowserSignals(input, {gpc: false, dnt: true}).measurement, false);
  assert.equal(applyBrowserSignals(input, {gpc: false, dnt: false}).measurement, true);
  assert.deepEqual(
      applyBrowserSignals({history: false, measurement: false}, {gpc: true}),
      {history: false, personalization: false, measurement: false, autofill: false});
  assert.deepEqual(applyBrowserSignals(null, null), {...NONE});
  assert.deepEqual(applyBrowserSignals({history: 'yes', measurement: 1}, {}), NONE);
});

test('attachConsentSource applies GPC / DNT to every source', () => {
  const cmp = new FakeCmp();
  const apply = recorder();
  attachConsentSource(
      'tcf', {win: {__tcfapi: cmp.api, navigator: {globalPrivacyControl: true}}}, apply);
  cmp.emit(tcData('tcloaded', [1, 5, 6, 8, 9]));
  assert.deepEqual(apply.last(), {...ALL, measurement: false});
  assert.deepEqual(apply.signals[0].detail.overriddenBy, ['gpc']);

  const apply2 = recorder();
  attachConsentSource(
      'gcm', {
        win: {navigator: {doNotTrack: '1'}},
        dataLayer: [
          ['consent', 'default', {analytics_storage: 'granted', personalization_storage: 'granted'}]
        ],
      },
      apply2);
  assert.deepEqual(apply2.purposes(), [{...ALL, measurement: false}]);
  assert.deepEqual(apply2.signals[0].detail.overriddenBy, ['dnt']);

  const apply3 = recorder();
  attachConsentSource(
      'shopify', {
        win: {
          navigator: {globalPrivacyControl: true},
          Shopify: {customerPrivacy: shopifyApi({preferences: true, analytics: true})}
        }
      },
      apply3);
  assert.deepEqual(apply3.purposes(), [{...ALL, measurement: false}]);
  // Nothing was overridden when measurement was not granted anyway.
  const cmp4 = new FakeCmp();
  const apply4 = recorder();
  attachConsentSource(
      'tcf', {win: {__tcfapi: cmp4.api, navigator: {globalPrivacyControl: true}}}, apply4);
  cmp4.emit(tcData('tcloaded', [1]));
  assert.equal(apply4.signals[0].detail.overriddenBy, undefined);
});

test('attachConsentSource: bad arguments throw; signals are copies', () => {
  assert.throws(() => attachConsentSource('onetrust', {}, () => {}), {code: 'invalid_argument'});
  assert.throws(() => attachConsentSource('tcf', {}, null), {code: 'invalid_argument'});
  const cmp = new FakeCmp();
  const apply = recorder();
  attachConsentSource('tcf', {win: {__tcfapi: cmp.api}}, (signal) => {
    apply(signal);
    signal.purposes.history = true;  // a consumer mutating what it got
  });
  cmp.emit(tcData('tcloaded', []));
  cmp.emit(tcData('useractioncomplete', []));
  assert.equal(apply.signals.length, 1, 'dedup is not fooled by the mutation');
  // env may be null: win defaults to globalThis.
  const stop = attachConsentSource('gcm', null, () => {});
  stop();
  assert.ok(Array.isArray(globalThis.dataLayer));
  delete globalThis.dataLayer;
});
