// The shopper's export: one versioned JSON document with everything this device holds
// for the shop (docs/formats.md#export). import() reads the same document back.
import {VitrineError} from './errors.js';

const EXPORT_FORMAT = 'vitrine.export';
const EXPORT_VERSION = 1;
const MAX_IMPORT_CHARS = 8 * 1024 * 1024;

export function buildExport(
    {now, namespace, consent, history, interests, removedInterests, savedDetails = [], sent}) {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    namespace,
    consent,  // { purposes, policyVersion, log }
    history,  // { items, events, searches }
    profile: {interests, removedInterests},
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
  return {historyJson: JSON.stringify(doc.history), removedInterests: removed};
}
