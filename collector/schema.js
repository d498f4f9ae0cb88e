// The closed report catalogue (report-types.json, printed by the C++ catalogue:
// `vitrine-ldp-sim --print-schema`, compared by a ctest) and the validation of every report.
// A report is exactly {"t": type, "v": version, "id": 32 hex digits, "y": answer}.
import {readFileSync} from 'node:fs';

const TYPES = JSON.parse(readFileSync(new URL('./report-types.json', import.meta.url), 'utf8'));

export const MAX_BATCH_REPORTS = 32;
export const MAX_BODY_BYTES = 16 * 1024;
const ID = /^[0-9a-f]{32}$/;
const HEX = /^[0-9a-f]*$/;
const KEYS = ['id', 't', 'v', 'y'];

export class ReportError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export function reportTypes() {
  return TYPES;
}

export function findType(name, version) {
  return TYPES.find((t) => t.name === name && t.version === version) ?? null;
}

// Checks one parsed report; returns {type, id, value, bits (hex)} or throws a ReportError.
export function validateReport(r, where = 'report') {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    throw new ReportError('malformed', `${where}: not a JSON object`);
  }
  const keys = Object.keys(r).sort();
  if (keys.length !== KEYS.length || keys.some((k, i) => k !== KEYS[i])) {
    throw new ReportError(
        'out_of_schema', `${where}: fields must be exactly t, v, id, y (got ${keys.join(', ')})`);
  }
  if (typeof r.t !== 'string' || !Number.isInteger(r.v)) {
    throw new ReportError('out_of_schema', `${where}: t must be a string and v an integer`);
  }
  const type = findType(r.t, r.v);
  if (!type) {
    throw new ReportError(
        'out_of_schema',
        `${where}: unknown report type ${JSON.stringify(r.t).slice(0, 40)} version ${r.v}`);
  }
  if (typeof r.id !== 'string' || !ID.test(r.id)) {
    throw new ReportError('out_of_schema', `${where}: id must be 32 lowercase hex digits`);
  }
  if (type.mechanism === 'grr') {
    if (!Number.isInteger(r.y) || r.y < 0 || r.y >= type.domain) {
      throw new ReportError(
          'out_of_schema',
          `${where}: y must be an integer in [0, ${type.domain}) for ${type.name}`);
    }
    return {type, id: r.id, value: r.y, bits: null};
  }
  const bytes = Math.ceil(type.domain / 8);
  if (typeof r.y !== 'string' || r.y.length !== 2 * bytes || !HEX.test(r.y)) {
    throw new ReportError(
        'out_of_schema', `${where}: y must be ${2 * bytes} lowercase hex digits for ${type.name}`);
  }
  const used = type.domain % 8;
  if (used && parseInt(r.y.slice(-2), 16) >> used) {
    throw new ReportError('out_of_schema', `${where}: y sets bits past the domain of ${type.name}`);
  }
  return {type, id: r.id, value: null, bits: r.y};
}

// Parses and checks a request body: a JSON array of 1..MAX_BATCH_REPORTS reports with
// distinct ids. Throws a ReportError naming the first problem; nothing of a bad batch is kept.
export function parseBatch(body) {
  if (body.length > MAX_BODY_BYTES) {
    throw new ReportError('too_large', `body of ${body.length} bytes exceeds ${MAX_BODY_BYTES}`);
  }
  let parsed;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ReportError('malformed', 'body is not valid JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ReportError('malformed', 'body must be a non-empty JSON array of reports');
  }
  if (parsed.length > MAX_BATCH_REPORTS) {
    throw new ReportError(
        'too_large', `${parsed.length} reports in one batch, at most ${MAX_BATCH_REPORTS}`);
  }
  const reports = parsed.map((r, i) => validateReport(r, `report ${i}`));
  if (new Set(reports.map((r) => r.id)).size !== reports.length) {
    throw new ReportError('replayed', 'the same report id twice in one batch');
  }
  return reports;
}
