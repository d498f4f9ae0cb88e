// v.segments(): the engine's segments, or every field null without `personalization`.
// Definitions: docs/segments.md.
import {check, VitrineError} from '../errors.js';
import {PERSONALIZATION} from '../purposes.js';

export function noSegments() {
  return {
    lifecycle: null,
    recency: null,
    engagement: null,
    valueTier: null,
    predictedValue: null,
    affinities: {categories: null, brands: null, priceBand: null},
  };
}

// { segments, evidence }: evidence holds the counts behind each segment (for explanations),
// or null without consent.
export function readSegments(core, engine, now) {
  if (!(core.consentBits(engine) & PERSONALIZATION))
    return {segments: noSegments(), evidence: null};
  const out = check(core.segments(engine, now));
  return {segments: out.segments, evidence: out.evidence};
}

// { segment: { kind: 'category'|'priceBand'|'all', value }, items: [itemId] }: the pack's
// bestsellers for the shopper's own segment, chosen by the engine (docs/segments.md).
export function readBestsellers(core, engine, hasPack, {limit = 8} = {}, now) {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new VitrineError('invalid_argument', 'limit must be a whole number from 1 to 100');
  }
  if (!hasPack) return {segment: {kind: 'all', value: null}, items: []};
  const out = check(core.bestsellers(engine, limit, now));
  return {segment: out.segment, items: out.items};
}
