// The consent record kept on the device: the purposes granted, under which policy
// version, and a log of every change (purpose, value, time, policy version, source).
import {bitsToPurposes, PURPOSES} from './purposes.js';

const CONSENT_LOG_LIMIT = 200;
export const DEFAULT_POLICY_VERSION = '1';
// Entries older than this leave the log (retention: docs in privacy/data-inventory.md).
const CONSENT_LOG_MAX_AGE_MS = 3 * 365 * 24 * 3600 * 1000;

// The record after a change from `before` to `after` bits.
export function nextConsentRecord(previous, after, {source, policyVersion, now}) {
  const before = previous?.policyVersion === policyVersion ? previous.bits : 0;
  const log = [...(previous?.log ?? [])];
  for (let i = 0; i < PURPOSES.length; ++i) {
    const was = Boolean(before & (1 << i));
    const is = Boolean(after & (1 << i));
    // The first decision under a policy is logged in full, later ones as changes.
    if (was !== is || previous?.policyVersion !== policyVersion) {
      log.push({purpose: PURPOSES[i], value: is, time: now, policyVersion, source});
    }
  }
  return {
    bits: after,
    purposes: bitsToPurposes(after),
    policyVersion,
    source,
    updatedAt: now,
    log: trimConsentLog(log, now),
  };
}

// Old and surplus entries go, except the newest entry of each purpose: it is the record
// of the consent in force, however old.
export function trimConsentLog(log, now) {
  const newest = new Set(PURPOSES.map((p) => log.findLast((e) => e.purpose === p)));
  const recent =
      new Set(log.filter((e) => now - e.time <= CONSENT_LOG_MAX_AGE_MS).slice(-CONSENT_LOG_LIMIT));
  return log.filter((e) => recent.has(e) || newest.has(e));
}

// A stored record as trusted values, or null when it is not one of ours.
export function readConsentRecord(record) {
  // Schema 1 (0.1.0) kept { bits, purposes, updatedAt, source }: policy '1', empty log.
  if (record && Number.isInteger(record.bits) && record.policyVersion === undefined &&
      record.log === undefined) {
    record = {...record, policyVersion: DEFAULT_POLICY_VERSION, log: []};
  }
  if (record === null || typeof record !== 'object' || !Number.isInteger(record.bits) ||
      typeof record.policyVersion !== 'string' || !Array.isArray(record.log)) {
    return null;
  }
  const log = record.log.filter(
      (e) => e && PURPOSES.includes(e.purpose) && typeof e.value === 'boolean' &&
          Number.isFinite(e.time) && typeof e.policyVersion === 'string' &&
          typeof e.source === 'string');
  return {...record, bits: record.bits & 0xf, log};
}
