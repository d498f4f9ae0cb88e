// Shopify's Customer Privacy API: window.Shopify.customerPrivacy (loaded by the theme with
// Shopify.loadFeatures 'consent-tracking-api') and the 'visitorConsentCollected' document
// event it fires when the visitor decides. Shopify 'preferences' maps to history and
// personalization, 'analytics' to measurement; marketing and sale of data grant nothing.
import {denied, isObject, poll, read} from './common.js';

function mapped(preferences, analytics) {
  return {...denied(), history: preferences, personalization: preferences, measurement: analytics};
}

function allowed(api, method) {
  const f = read(api, method);
  if (typeof f !== 'function') return false;
  try {
    return f.call(api) === true;
  } catch {
    return false;
  }
}

// A recorded refusal ('no'; older builds used 'false' or false) in currentVisitorConsent()
// vetoes what the *Allowed() methods say: those also answer for the merchant's regional
// defaults, and an explicit refusal must win over any default.
function refused(value) {
  return value === 'no' || value === 'false' || value === false;
}

export function purposesFromApi(api) {
  let preferences = allowed(api, 'preferencesProcessingAllowed');
  let analytics = allowed(api, 'analyticsProcessingAllowed');
  const current = read(api, 'currentVisitorConsent');
  if (typeof current === 'function') {
    try {
      const consent = current.call(api);
      if (refused(read(consent, 'preferences'))) preferences = false;
      if (refused(read(consent, 'analytics'))) analytics = false;
    } catch {
      // The *Allowed() answers stand.
    }
  }
  return mapped(preferences, analytics);
}

// The event's detail: {analyticsAllowed, preferencesAllowed, marketingAllowed,
// saleOfDataAllowed, ...}. Only a strict true grants.
export function purposesFromEvent(detail) {
  if (!isObject(detail)) return denied();
  return mapped(
      read(detail, 'preferencesAllowed') === true, read(detail, 'analyticsAllowed') === true);
}

export function attachShopify(win, report, {poll: pollOptions} = {}) {
  let stopped = false;
  const api = () => {
    const customerPrivacy = read(read(win, 'Shopify'), 'customerPrivacy');
    return isObject(customerPrivacy) ? customerPrivacy : null;
  };

  const onCollected = (event) => {
    if (!stopped) report(purposesFromEvent(read(event, 'detail')), {via: 'event'});
  };
  const doc = read(win, 'document');
  const canListen = typeof read(doc, 'addEventListener') === 'function';
  if (canListen) {
    try {
      doc.addEventListener('visitorConsentCollected', onCollected);
    } catch {
      // No event: the API (if it appears) is all we read.
    }
  }

  // Report the API's answer when it is there, or denied now and the API's answer when
  // the theme loads it (a returning visitor's choice fires no event).
  const check = () => {
    if (stopped) return true;
    const customerPrivacy = api();
    if (!customerPrivacy) return false;
    report(purposesFromApi(customerPrivacy), {via: 'api'});
    return true;
  };
  if (!api()) report(denied(), {reason: 'no_api'});
  const cancelPoll = poll(check, () => {}, pollOptions);

  return () => {
    if (stopped) return;
    stopped = true;
    cancelPoll();
    if (canListen) {
      try {
        doc.removeEventListener('visitorConsentCollected', onCollected);
      } catch {
        // Nothing more to do: onCollected ignores events after stop.
      }
    }
  };
}
