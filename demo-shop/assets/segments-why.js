// The privacy center's "Segments" list: each segment the engine computed, with why, from
// the evidence the engine gives (v.privacy.segments()). Text only: names are untrusted.
const DAY_MS = 24 * 3600 * 1000;

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const days = (ms) => Math.max(0, Math.floor(ms / DAY_MS));
const money = (x) => Number(x).toFixed(2);

// [{ key, label, value, why }] for the segments that hold; [] without consent.
export function explainSegments({segments: s, evidence: e}, now) {
  if (!e || s.lifecycle === null) return [];
  const rows = [];
  const add = (key, label, value, why) => {
    if (value !== null && value !== undefined) rows.push({key, label, value: String(value), why});
  };
  const orders = plural(e.orders, 'order');
  const lifecycleWhy = {
    new: 'no earlier visit and no order on this device',
    returning: `${plural(e.visits, 'visit')} on this device and no order yet`,
    customer: `1 order, the last ${days(now - e.lastOrder)} days ago`,
    repeat: `${orders}, the last ${days(now - e.lastOrder)} days ago`,
    lapsed: `${orders}, the last ${days(now - e.lastOrder)} days ago (over 60 days)`,
  }[s.lifecycle];
  add('lifecycle', 'Lifecycle', s.lifecycle, lifecycleWhy);
  if (e.previousVisit !== null) {
    add('recency', 'Previous visit', s.recency,
        `your previous visit ended ${days(now - e.previousVisit)} days ago`);
  }
  add('engagement', 'Engagement', s.engagement,
      `${plural(e.visits30d, 'visit')} and ${plural(e.itemEvents30d, 'product event')} in 30 days`);
  add('valueTier', 'Value tier', s.valueTier, `${orders} worth ${money(e.orderValue)} in total`);
  if (s.predictedValue !== null) {
    add('predictedValue', 'Predicted value (90 days)', money(s.predictedValue),
        `about ${Number(e.expectedOrders).toFixed(2)} more orders expected (BG/NBD model) ` +
            `x ${money(e.orderValue / e.orders)} per order`);
  }
  for (const category of s.affinities.categories ?? []) {
    add('category', 'Category', category, 'from the products you looked at and bought');
  }
  for (const brand of s.affinities.brands ?? []) {
    add('brand', 'Brand', brand, 'from the products you looked at and bought');
  }
  const band = {low: 0, medium: 1, high: 2}[s.affinities.priceBand];
  add('priceBand', 'Price band', s.affinities.priceBand,
      band === undefined ? '' :
                           `${Math.round(e.priceShares[band] * 100)}% of what you looked at ` +
              `(weighted) is in this price range`);
  return rows;
}
