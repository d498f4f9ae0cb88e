// Browser privacy signals: Global Privacy Control and Do Not Track. They only ever take
// purposes away (measurement), never grant one. Their values never leave the device.
import {isObject, read} from './common.js';

// DNT has been spelled '1' (standard), 'yes' (old Firefox) and exposed on window or as
// msDoNotTrack (old Edge/IE); anything else, including unspecified, counts as off.
function dntOn(value) {
  return value === '1' || value === 'yes' || value === 1;
}

export function browserSignals(win = globalThis) {
  const nav = read(win, 'navigator');
  if (!isObject(nav)) return {gpc: false, dnt: false};
  // The GPC spec defines a boolean; '1' is accepted too because some extensions set it.
  const gpcValue = read(nav, 'globalPrivacyControl');
  const gpc = gpcValue === true || gpcValue === '1';
  const dnt = dntOn(read(nav, 'doNotTrack')) || dntOn(read(win, 'doNotTrack')) ||
      dntOn(read(nav, 'msDoNotTrack'));
  return {gpc, dnt};
}

// The last gate on whatever a source says: GPC or DNT on means no measurement reports.
// Returns a new object with exactly the four purposes; anything not strictly true is false.
export function applyBrowserSignals(purposes, signals) {
  const p = isObject(purposes) ? purposes : {};
  const optOut = isObject(signals) && (signals.gpc === true || signals.dnt === true);
  return {
    history: p.history === true,
    personalization: p.personalization === true,
    measurement: p.measurement === true && !optOut,
    autofill: p.autofill === true,
  };
}
