// The rights chunk (dist/vitrine-rights.mjs): the export document, built and read back.
// Loaded by v.privacy.export() and import() only, so the pages that never offer them (all but
// a privacy page) do not load it.
export {buildExport, readImport} from './export-format.js';
