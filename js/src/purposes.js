// Consent purposes as the engine sees them: a 4-bit set. Unset means denied.
import {VitrineError} from './errors.js';

export const PURPOSES = ['history', 'personalization', 'measurement', 'autofill'];

export function bitsToPurposes(bits) {
  return Object.fromEntries(PURPOSES.map((name, i) => [name, Boolean(bits & (1 << i))]));
}

// Applies a partial { purpose: boolean } object to bits; anything else is an error.
export function applyPurposes(bits, change) {
  if (change === null || typeof change !== 'object' || Array.isArray(change)) {
    throw new VitrineError(
        'invalid_argument', 'consent.set takes an object like { history: true }');
  }
  let next = bits;
  for (const [name, value] of Object.entries(change)) {
    const i = PURPOSES.indexOf(name);
    if (i < 0) {
      throw new VitrineError(
          'invalid_argument', `unknown consent purpose "${name}" (known: ${PURPOSES.join(', ')})`);
    }
    if (typeof value !== 'boolean') {
      throw new VitrineError('invalid_argument', `consent for "${name}" must be true or false`);
    }
    next = value ? next | (1 << i) : next & ~(1 << i);
  }
  return next;
}

export const HISTORY = 1;
export const PERSONALIZATION = 2;
export const MEASUREMENT = 4;
export const AUTOFILL = 8;

export function purposesToBits(purposes) {
  return PURPOSES.reduce(
      (bits, name, i) => (purposes?.[name] === true ? bits | (1 << i) : bits), 0);
}
