// Consent from a consent management platform (CMP), as the engine's four purposes.
// attachConsentSource(kind, env, apply) watches one source and calls apply(signal) with
// { purposes, source, detail } whenever the mapped answer changes. Browser privacy signals
// (GPC, DNT) are applied last. Adapters read page globals only and never throw into the
// page: anything missing or malformed counts as denied. The package loads this file as an
// on-demand chunk (vitrine-consent.mjs) only when options.consent names a source.
import {VitrineError} from '../errors.js';

import {DEFAULT_POLL} from './common.js';
import {attachGcm} from './gcm.js';
import {attachShopify} from './shopify.js';
import {applyBrowserSignals, browserSignals} from './signals.js';
import {CONSENT_SOURCES} from './sources.js';
import {attachTcf} from './tcf.js';

export {applyBrowserSignals, browserSignals} from './signals.js';
export {CONSENT_SOURCES} from './sources.js';

const PURPOSE_NAMES = ['history', 'personalization', 'measurement', 'autofill'];

function same(a, b) {
  return a !== null && PURPOSE_NAMES.every((name) => a[name] === b[name]);
}

// env: { win = globalThis, dataLayer = win.dataLayer, onError, pollIntervalMs = 50,
// pollTimeoutMs = 10000 }. onError(error) receives exceptions thrown by apply, which are
// otherwise swallowed so that they never reach the CMP's code. Returns stop().
export function attachConsentSource(kind, env = {}, apply) {
  if (!CONSENT_SOURCES.includes(kind)) {
    throw new VitrineError(
        'invalid_argument',
        `unknown consent source "${kind}" (known: ${CONSENT_SOURCES.join(', ')})`);
  }
  if (typeof apply !== 'function') {
    throw new VitrineError('invalid_argument', 'attachConsentSource needs an apply function');
  }
  const options = env ?? {};
  const win = options.win ?? globalThis;
  const onError = (error) => {
    try {
      if (typeof options.onError === 'function') options.onError(error);
    } catch {
      // Nothing sensible is left to do with an error from the error handler.
    }
  };
  const poll = {
    intervalMs: options.pollIntervalMs ?? DEFAULT_POLL.intervalMs,
    timeoutMs: options.pollTimeoutMs ?? DEFAULT_POLL.timeoutMs,
  };

  let last = null;
  let stopped = false;
  const report = (purposes, detail = {}) => {
    if (stopped) return;
    // A CMP never grants autofill: it needs an explicit opt-in through consent.set.
    const fromSource = {...purposes, autofill: false};
    const signals = browserSignals(win);
    const gated = applyBrowserSignals(fromSource, signals);
    if (same(last, gated)) return;
    last = gated;
    const extra = {};
    if (gated.measurement !== (fromSource.measurement === true)) {
      extra.overriddenBy = ['gpc', 'dnt'].filter((name) => signals[name]);
    }
    try {
      apply({purposes: {...gated}, source: kind, detail: {...detail, ...extra}});
    } catch (error) {
      onError(error);
    }
  };

  let stopSource = () => {};
  try {
    if (kind === 'tcf') stopSource = attachTcf(win, report, {poll});
    if (kind === 'gcm') stopSource = attachGcm(win, options.dataLayer, report);
    if (kind === 'shopify') stopSource = attachShopify(win, report, {poll});
  } catch (error) {
    report({}, {reason: 'adapter_error'});
    onError(error);
  }
  return () => {
    if (stopped) return;
    stopped = true;
    try {
      stopSource();
    } catch (error) {
      onError(error);
    }
  };
}
