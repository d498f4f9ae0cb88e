// The package's hand-written types, checked against how a shop uses them (`make test-types`
// runs tsc on this file). Each @ts-expect-error line must stay an error: a type that got
// too loose fails the check.
import {CheckoutProfile, createVitrine, PURPOSES, Recommendation, Vitrine, VitrineError} from 'vitrine';

async function shop(): Promise<void> {
  const v: Vitrine = await createVitrine({
    pack: '/vitrine/pack.vpk',
    consent: 'tcf',
    policyVersion: '2',
    shardUrl: (index, digest) => `/shards/${digest}.vpk`
  });
  const status = v.track({event: 'view_item', items: [{item_id: 'SKU-1', price: 19.5}]});
  if (!status.ok) console.log(status.code, status.error);
  const rows = v.recentlyViewed({limit: 8, excludeItem: 'SKU-1'});
  const first: string|undefined = rows[0]?.itemId;
  const recs: Recommendation[] =
      v.recommend({context: 'cart', itemIds: ['SKU-1'], limit: 4, filter: {maxPerCategory: 2}});
  const source: 'co_view'|'co_purchase'|'embedding'|'re_view'|'popularity'|'segment' =
      recs[0].reason.source;
  const missing: number[] = v.recommend({context: 'item', itemId: 'SKU-1'}).missingShards;
  const withShards: Recommendation[] = await v.recommendAsync({context: 'item', itemId: 'SKU-1'});
  const shardCount: number = (await v.loadPack('/head.vpk')).shards;
  console.log(missing.length, withShards.length, shardCount);
  const purposes = await v.consent.set({history: true});
  const granted: boolean =
      purposes.personalization && v.consent.get().history && !v.consent.required;
  const log = v.consent.log();
  const when: number = log[0].time;
  const exported = await v.privacy.export();
  await v.privacy.import(exported);
  const removed: number = await v.privacy.removeItem('SKU-1');
  const interests = v.privacy.interests();
  const weight: number = interests[0].weight;
  await v.privacy.removeInterest('Hats');
  await v.privacy.restoreInterest('Hats');
  const sentTypes: string[] = (await v.privacy.sent()).map((r) => r.type);
  const spent: number = (await v.privacy.ledger())?.spent ?? 0;
  await createVitrine({endpoint: '/vitrine/collect'});
  await v.privacy.erase();
  const off = v.on('error', (e) => console.log(e.code, e.message));
  off();
  const summary = await v.loadPack(new Uint8Array(8));
  const items: number = summary.items + (v.pack?.items ?? 0);
  await v.close();
  console.log(
      first, source, granted, when, removed, weight, items, PURPOSES.length, sentTypes, spent);

  // @ts-expect-error an unknown consent source
  await createVitrine({consent: 'cookies'});
  // @ts-expect-error an unknown context
  v.recommend({context: 'checkout'});
  // @ts-expect-error an unknown purpose
  await v.consent.set({marketing: true});
  // @ts-expect-error limit is a number
  v.recentlyViewed({limit: '8'});
}

async function personal(v: Vitrine): Promise<void> {
  const s = v.segments();
  const tier: 'low'|'medium'|'high'|null = s.valueTier;
  const top: string|undefined = s.affinities.categories?.[0];
  console.log(tier, top, s.lifecycle === 'repeat', s.predictedValue?.toFixed(2));
  const loaded = await v.rules.load('/vitrine/rules.json');
  console.log(loaded.rules.length, loaded.triggers);
  v.on(
      'action',
      ({ruleId, action, reason}) => console.log(ruleId, action.text, action.offer?.code, reason));
  const ordered = v.rerank([{itemId: '1', category: 'Tents', sku: 'x'}], {maxShift: 2});
  console.log(ordered[0].sku, ordered[0].shift, ordered[0].reason?.source);
  const {variant} = v.experiment('cta', {variants: {a: 1, b: 1}});
  console.log(
      variant?.toUpperCase(), v.privacy.experiments(), v.privacy.segments().evidence?.orders);
  // @ts-expect-error results need an itemId
  v.rerank([{category: 'Tents'}]);
}

function scriptTag(): void {
  const g = window.vitrine;
  if (!g) return;
  g.track({event: 'add_to_cart', ecommerce: {items: [{item_id: 7, quantity: 2}]}});
  void g.ready.then((v) => v.recommend({context: 'item', itemId: '7'}));
  void g.privacy.export();
  void g.consent.set({history: false});
}

async function checkout(v: Vitrine): Promise<void> {
  const saved: CheckoutProfile = await v.autofill.save({
    givenName: 'Jane',
    familyName: 'Doe',
    tel: '(415) 555-0132',
    shipping:
        {line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US'},
  });
  const region: string|undefined = saved.shipping.region;
  await v.autofill.load();
  const fields = v.autofill.detect(document);
  const first: string|null = fields[0]?.field ?? null;
  const result = await v.autofill.fill(document, {section: 'billing'});
  console.log(region, first, result.filled.length, result.skipped.map((s) => s.why));
  const again: CheckoutProfile|null = await v.autofill.get();
  if (again) await v.autofill.forget();
}

// The web components: a lookup from the shop's catalog, sync or async.
async function widgets(v: Vitrine) {
  await v.widgets.define({
    lookup: async (id: string) => (id ? {name: `Item ${id}`, price: 10, url: `/p/${id}`} : null),
    itemUrl: '/p/{id}',
    currency: 'EUR',
    texts: {de: {title_recent: 'Zuletzt gesehen'}},
  });
  v.widgets.configure({dataLayer: false});
  const lang: Record<string, Record<string, string>>|undefined = v.widgets.options.texts;
  console.log(lang);
  void window.vitrine?.widgets.define({imageUrl: '/img/{id}.svg'});
}

try {
  void createVitrine().then(widgets);
  void shop();
  void createVitrine().then(checkout);
  scriptTag();
  void createVitrine().then(personal);
} catch (e) {
  if (e instanceof VitrineError) console.log(e.code);
}
