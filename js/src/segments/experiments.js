// v.experiment(name, { variants }) -> { variant }: a deterministic, weighted assignment from
// a per-install random seed that never leaves the device; each exposure is logged on the
// device. Seed and exposures are personalization data (the 'experiments' record): without
// that purpose there is no assignment ({ variant: null }: show the default), and
// withdrawing it forgets both. docs/segments.md#experiments.
import {VitrineError} from '../errors.js';

const invalid = (message) => new VitrineError('invalid_argument', message);
const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_EXPERIMENTS = 100;

// FNV-1a, 32 bits, then a finalizer: spreads seed:name evenly enough for bucketing (not a secret).
function unit(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; ++i) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // MurmurHash3's finalizer: FNV alone leaves the high bits poorly mixed for names that
  // differ in their last characters (measured: 366 of 400 in a 1:3 split).
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

export function readVariants(name, variants) {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalid('an experiment name is 1-64 letters, digits, _ . : or -');
  }
  if (variants === null || typeof variants !== 'object' || Array.isArray(variants)) {
    throw invalid(`experiment '${name}' needs variants: { name: weight, ... }`);
  }
  const entries = Object.entries(variants);
  if (entries.length < 1 || entries.length > 20 ||
      !entries.every(([v, w]) => NAME.test(v) && Number.isFinite(w) && w >= 0) ||
      !entries.some(([, w]) => w > 0)) {
    throw invalid(`experiment '${name}': 1-20 variants with weights >= 0, one above 0`);
  }
  return entries;
}

export function pickVariant(seed, name, entries) {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let x = unit(`${seed}:${name}`) * total;
  for (const [variant, weight] of entries) {
    if (x < weight) return variant;
    x -= weight;
  }
  return entries.findLast(([, w]) => w > 0)[0];
}

export function newSeed() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The in-memory record { seed, exposures: { name: { variant, first, last, count } } }.
export function expose(record, name, variant, now) {
  const known = record.exposures[name];
  if (!known && Object.keys(record.exposures).length >= MAX_EXPERIMENTS) return;
  record.exposures[name] = known?.variant === variant ?
      {...known, last: now, count: known.count + 1} :
      {variant, first: now, last: now, count: 1};
}

export function validRecord(r) {
  return r !== null && typeof r === 'object' && typeof r.seed === 'string' &&
      /^[0-9a-f]{32}$/.test(r.seed) && r.exposures !== null && typeof r.exposures === 'object';
}
