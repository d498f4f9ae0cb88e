// IAB TCF v2.2 through the CMP's in-page API, window.__tcfapi (CMP JS API v2.2).
// Only 'addEventListener' is used: 'getTCData' is deprecated in 2.2, and a listener sees
// every later change (a user revoking mid-session) as well as the first answer.
import {denied, isObject, poll, read} from './common.js';

// TCF purposes: 1 store/access on a device, 5 create a personalised content profile,
// 6 use it to select personalised content, 8 measure content performance, 9 market
// research. Only consent counts: legitimate interest never grants device access, and 2.2
// allows 5 and 6 on consent only.
export function purposesFromTcData(tcData) {
  if (!isObject(tcData)) return denied();
  // gdprApplies === false means the CMP says the TCF does not govern this visitor. We
  // still report everything denied rather than guess what applies instead: a shop that
  // serves visitors outside the TCF's scope must configure another consent source.
  if (read(tcData, 'gdprApplies') === false) return denied();
  const consents = read(read(tcData, 'purpose'), 'consents');
  if (!isObject(consents)) return denied();
  const has = (n) => read(consents, n) === true;  // keys are '1'..'11'; unset is denied
  const storage = has(1);
  return {
    history: storage,
    personalization: storage && has(5) && has(6),
    measurement: storage && (has(8) || has(9)),
    autofill: false,
  };
}

function detailOf(tcData) {
  const detail = {eventStatus: read(tcData, 'eventStatus')};
  const gdprApplies = read(tcData, 'gdprApplies');
  if (typeof gdprApplies === 'boolean') detail.gdprApplies = gdprApplies;
  const tcString = read(tcData, 'tcString');
  if (typeof tcString === 'string') detail.tcString = tcString;
  const cmpId = read(tcData, 'cmpId');
  if (Number.isInteger(cmpId)) detail.cmpId = cmpId;
  return detail;
}

// report(purposes, detail) on 'tcloaded' / 'useractioncomplete'; returns stop().
export function attachTcf(win, report, {poll: pollOptions} = {}) {
  let stopped = false;
  let listenerId;  // can be 0: IAB's own CmpApi numbers listeners from 0
  const tcfapi = () => {
    const f = read(win, '__tcfapi');
    return typeof f === 'function' ? f : null;
  };

  const removeListener = () => {
    const f = tcfapi();
    if (!f || listenerId === undefined) return;
    const id = listenerId;
    listenerId = undefined;
    try {
      // The callback receives a success boolean; a separate function so that it never
      // reaches the consent listener.
      f('removeEventListener', 2, () => {}, id);
    } catch {
      // A broken CMP cannot be helped; the listener ignores calls after stop anyway.
    }
  };

  const listener = (tcData, success) => {
    const id = read(tcData, 'listenerId');
    if ((typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id)) {
      listenerId = id;
    }
    // A listener queued before the CMP was ready learns its id only now: remove it.
    if (stopped) return removeListener();
    if (success === false) return report(denied(), {reason: 'cmp_error'});
    if (!isObject(tcData)) return report(denied(), {reason: 'malformed'});
    const status = read(tcData, 'eventStatus');
    // 'cmpuishown': the banner is open and the user has not decided; keep what we had.
    if (status !== 'tcloaded' && status !== 'useractioncomplete') return undefined;
    return report(purposesFromTcData(tcData), detailOf(tcData));
  };

  // The CMP's stub (or the CMP itself) defines __tcfapi, possibly after we load; a stub
  // queues our call until the CMP is ready.
  const start = () => {
    if (stopped) return true;
    const f = tcfapi();
    if (!f) return false;
    try {
      f('addEventListener', 2, listener);
    } catch {
      report(denied(), {reason: 'cmp_error'});
    }
    return true;
  };
  const cancelPoll = poll(start, () => report(denied(), {reason: 'no_cmp'}), pollOptions);

  return () => {
    if (stopped) return;
    stopped = true;
    cancelPoll();
    removeListener();
  };
}
