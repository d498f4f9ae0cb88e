// v.segments(): the engine's segments, or every field null without `personalization`.
// Definitions: docs/segments.md.
import {check} from '../errors.js';
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
  if (!(engine.consentBits() & PERSONALIZATION)) return {segments: noSegments(), evidence: null};
  const out = check(core.segments(engine, now));
  return {segments: out.segments, evidence: out.evidence};
}
