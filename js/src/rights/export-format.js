// The shopper's export: one versioned JSON document with everything this device holds
// for the shop (docs/formats.md#export). import() reads the same document back.
import {VitrineError} from '../errors.js';
import {validRecord} from '../segments/experiments.js';

const EXPORT_FORMAT = 'vitrine.export';
const EXPORT_VERSION = 1;
const MAX_IMPORT_CHARS = 8 * 1024 * 1024;

export function buildExport({
  now,
  namespace,
  consent,
  history,
  interests,
  removedInterests,
  savedDetails = [],
  sent,
  personal
}) {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    namespace,
    consent,  // { purposes, policyVersion, log }
    history,  // { items, events, searches }
    profile: {interests, removedInterests, ...personal},
    savedDetails,  // the checkout profile, decrypted, when the autofill purpose is granted
    sent,          // the reports sent from this device, as recorded in the `sent` store
  };
}

// The parts of an export that import() restores: the history and the removed interests.
// Consent is never imported: it is given on this device, by this shopper.
export function readImport(document) {
  let doc = document;
  if (typeof doc === 'string') {
    if (doc.length > MAX_IMPORT_CHARS)
      throw new VitrineError('invalid_argument', 'the export is too large');
    try {
      doc = JSON.parse(doc);
    } catch (error) {
      throw new VitrineError('invalid_argument', `the export is not JSON: ${error.message}`);
    }
  }
  if (doc === null || typeof doc !== 'object' || doc.format !== EXPORT_FORMAT) {
    throw new VitrineError('invalid_argument', `not a ${EXPORT_FORMAT} document`);
  }
  if (doc.version !== EXPORT_VERSION) {
    throw new VitrineError(
        'unsupported',
        `export version ${doc.version} is not supported (this package reads ${EXPORT_VERSION})`);
  }
  const removed = doc.profile?.removedInterests ?? [];
  if (!Array.isArray(removed) || !removed.every((c) => typeof c === 'string')) {
    throw new VitrineError(
        'invalid_argument', 'profile.removedInterests must be a list of category names');
  }
  if (doc.history === null || typeof doc.history !== 'object') {
    throw new VitrineError('invalid_argument', 'the export has no history object');
  }
  return {
    historyJson: JSON.stringify(doc.history),
    removedInterests: removed,
    personal: readPersonal(doc.profile ?? {}),
  };
}

const finite = (x) => typeof x === 'number' && Number.isFinite(x);

// The experiments record and rule firings of an export (present with personalization), or
// undefined for each that is absent. Anything malformed refuses the whole import.
function readPersonal({experiments, ruleFirings}) {
  const bad = (what) => new VitrineError('invalid_argument', `profile.${what}`);
  if (experiments !== undefined && experiments !== null) {
    if (!validRecord(experiments) ||
        !Object.entries(experiments.exposures)
             .every(
                 ([name, e]) => name.length <= 64 && typeof e?.variant === 'string' &&
                     e.variant.length <= 64 && finite(e.first) && finite(e.last) &&
                     Number.isInteger(e.count) && e.count >= 1)) {
      throw bad(
          'experiments must be { seed, exposures: { name: { variant, first, last, count } } }');
    }
  }
  if (ruleFirings !== undefined) {
    if (ruleFirings === null || typeof ruleFirings !== 'object' || Array.isArray(ruleFirings) ||
        !Object.entries(ruleFirings)
             .every(
                 ([id, times]) => id.length <= 64 && Array.isArray(times) && times.length <= 50 &&
                     times.every(finite))) {
      throw bad('ruleFirings must be { ruleId: [times] }');
    }
  }
  return {experiments, ruleFirings};
}
