// The privacy center's "Segments" list: each segment the engine computed, with why, from
// the evidence the engine gives (v.privacy.segments()), in the element's language (t: its
// texts, fmt: its number, date and plural formatters). Text only: names are untrusted.
const DAY_MS = 24 * 3600 * 1000;

const days = (ms) => Math.max(0, Math.floor(ms / DAY_MS));

// [{ key, label, value, why }] for the segments that hold; [] without consent.
export function explainSegments({segments: s, evidence: e}, now, t, fmt) {
  if (!e || s.lifecycle === null) return [];
  const rows = [];
  const add = (key, value, why, shown = t(`value_${value}`)) => {
    if (value !== null && value !== undefined) {
      rows.push({key, label: t(`seg_${key}`), value: String(shown), why});
    }
  };
  const count = fmt.count;
  const money = (x) => fmt.number(Number(x).toFixed(2));
  const orders = count('n_orders', e.orders);
  const ago = (ms) => count('n_days', days(now - ms));
  const lifecycleWhy = {
    new: t('why_new'),
    returning: t('why_returning', {visits: count('n_visits', e.visits)}),
    customer: t('why_ordered', {orders, days: ago(e.lastOrder)}),
    repeat: t('why_ordered', {orders, days: ago(e.lastOrder)}),
    lapsed: t('why_lapsed', {orders, days: ago(e.lastOrder)}),
  }[s.lifecycle];
  add('lifecycle', s.lifecycle, lifecycleWhy);
  if (e.previousVisit !== null) {
    add('recency', s.recency, t('why_recency', {days: ago(e.previousVisit)}));
  }
  add('engagement', s.engagement, t('why_engagement', {
        visits: count('n_visits', e.visits30d),
        events: count('n_events', e.itemEvents30d),
      }));
  add('valueTier', s.valueTier, t('why_value', {orders, amount: money(e.orderValue)}));
  if (s.predictedValue !== null) {
    add('predictedValue', s.predictedValue, t('why_predicted', {
          expected: fmt.number(Number(e.expectedOrders).toFixed(2)),
          amount: money(e.orderValue / e.orders),
        }),
        money(s.predictedValue));
  }
  for (const category of s.affinities.categories ?? []) {
    add('category', category, t('why_affinity'), category);
  }
  for (const brand of s.affinities.brands ?? []) add('brand', brand, t('why_affinity'), brand);
  const band = {low: 0, medium: 1, high: 2}[s.affinities.priceBand];
  if (band !== undefined) {
    add('priceBand', s.affinities.priceBand,
        t('why_price', {percent: fmt.percent(e.priceShares[band])}));
  }
  return rows;
}
