// v.rerank(results, { maxShift }): the shop's own search results, reordered by the
// shopper's affinities (category, brand, price band), each item moving at most maxShift
// places. Unchanged without personalization or without history. docs/segments.md#rerank.
import {VitrineError} from '../errors.js';

const invalid = (message) => new VitrineError('invalid_argument', message);
const BANDS = {
  low: 0,
  medium: 1,
  high: 2
};

function bandOf(price, [medium, high]) {
  return price >= high ? 2 : price >= medium ? 1 : 0;
}

export function rerankArgs(results, options = {}) {
  if (!Array.isArray(results) || results.length > 1000) {
    throw invalid('results must be an array of at most 1000 items');
  }
  for (const [i, r] of results.entries()) {
    if (r === null || typeof r !== 'object' || typeof r.itemId !== 'string') {
      throw invalid(`results[${i}] must be an object with a string itemId`);
    }
  }
  const {maxShift = 3} = options ?? {};
  if (!Number.isInteger(maxShift) || maxShift < 0 || maxShift > 100) {
    throw invalid('maxShift must be a whole number from 0 to 100');
  }
  return maxShift;
}

// profile: { interests: [{category, weight}], brands: [names], priceBand, priceBands }.
export function rerank(results, maxShift, profile) {
  const category = new Map(profile.interests.map(({category, weight}) => [category, weight]));
  const brands = profile.brands ?? [];
  const band = profile.priceBand === null ? null : BANDS[profile.priceBand];
  const scored = results.map((item, index) => {
    let score = 0;
    let reason = null;
    const c = category.get(item.category);
    if (c) {
      score += c;
      reason = {source: 'category', category: item.category};
    }
    const b = brands.indexOf(item.brand);
    if (b >= 0) {
      score += 0.5 / (b + 1);
      reason ??= {source: 'brand', brand: item.brand};
    }
    if (band !== null && typeof item.price === 'number' &&
        bandOf(item.price, profile.priceBands) === band) {
      score += 0.1;
      reason ??= {source: 'priceBand', priceBand: profile.priceBand};
    }
    return {item, index, score, reason};
  });
  // Position by position: an item that would otherwise fall more than maxShift places goes
  // now; else the best-scored item among those at most maxShift places further down.
  const left = scored.slice();
  const out = [];
  while (left.length) {
    const i = out.length;
    let pick = 0;
    if (left[0].index > i - maxShift) {
      for (let k = 1; k < left.length && left[k].index <= i + maxShift; ++k) {
        if (left[k].score > left[pick].score) pick = k;
      }
    }
    const [chosen] = left.splice(pick, 1);
    out.push({...chosen.item, reason: chosen.reason, shift: chosen.index - i});
  }
  return out;
}
